"""Memory and time for an article with many pictures (issue 18: ≤ 200 MB with 50 pictures).

A loopback server on 127.0.0.1 serves `--pictures` large photos (noise JPEGs, --side pixels
wide, each about --kilobytes KB, under the 2 MiB cap) and one hostile decompression bomb.
In a fresh process, the service fetches, checks, shrinks and stores all of them (the per-article
cap raised to --pictures, so every one is really decoded), then the reader (headless Textual,
half-blocks) opens the article and draws the ones within the normal cap. Prints the process's
peak RSS before and after each stage and the wall times. Only 127.0.0.1 traffic.

    .venv/bin/python bench/pictures.py [--pictures 50] [--side 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _photo(side: int) -> bytes:
    from PIL import Image as PILImage

    noise = PILImage.effect_noise((side // 4, side * 3 // 16), 64).convert("RGB")
    photo = noise.resize((side, side * 3 // 4), PILImage.Resampling.BICUBIC)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    return out.getvalue()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pictures", type=int, default=50)
    parser.add_argument("--side", type=int, default=3000)
    args = parser.parse_args()
    os.environ.pop("BROADSHEET_IMAGES", None)

    import tui.core.images as images
    from tests.core.image_fixtures import bomb
    from tests.servers.loopback import Route, serve
    from tests.ui.test_pictures_ui import ReaderApp, _open
    from tui.core.cache import Cache
    from tui.core.config import Config, Settings
    from tui.core.models import Article, Block, Image
    from tui.core.service import NewsService
    from tui.core.state import State
    from tui.ui.widgets.article_image import ArticleImage, choose_protocol

    photo = _photo(args.side)
    routes = {f"/{n}.jpg": Route(photo, content_type="image/jpeg") for n in range(args.pictures)}
    routes["/bomb.png"] = Route(bomb(), content_type="image/png")
    print(f"{args.pictures} photos of {args.side} px, {len(photo) / 1024:.0f} KB each, + 1 bomb")
    print(f"start: peak RSS {_peak_mb():.0f} MB")
    tmp = Path(tempfile.mkdtemp())
    with serve(routes) as server:  # type: ignore[arg-type]
        urls = [server.url(f"/{n}.jpg") for n in range(args.pictures)] + [server.url("/bomb.png")]
        article = Article(
            server.url("/a"),
            title="Many pictures",
            blocks=tuple(Block("paragraph", f"Paragraph {n}.") for n in range(len(urls))),
            images=tuple(Image(url, f"Picture {n}", position=n) for n, url in enumerate(urls)),
        )
        service = NewsService(Config(Settings()), Cache(tmp / "c"), State(tmp / "s.db"))
        images.IMAGES_PER_ARTICLE = len(urls)
        started = time.perf_counter()
        stored, failures = await service.fetch_pictures(article)
        took = time.perf_counter() - started
        print(
            f"fetched+checked+stored {stored}, refused {len(failures)} "
            f"({failures[0][1] if failures else ''}) in {took:.2f} s: peak RSS {_peak_mb():.0f} MB"
        )
        print(f"cache: {service.cache_info().image_bytes / 2**20:.1f} MiB of pictures")
        await service.aclose()
        images.IMAGES_PER_ARTICLE = 8

        choose_protocol("halfblock")
        reader_service = NewsService(Config(Settings()), Cache(tmp / "c"), State(tmp / "s.db"))
        app = ReaderApp(reader_service)
        started = time.perf_counter()
        async with app.run_test(size=(120, 50)) as pilot:
            reader = await _open(pilot, article)
            drawn = sum(1 for slot in reader.query(ArticleImage) if slot.picture)
        print(
            f"reader: {drawn} drawn (cap 8), the rest as alt-text lines, in "
            f"{time.perf_counter() - started:.2f} s: peak RSS {_peak_mb():.0f} MB"
        )
        await reader_service.aclose()


if __name__ == "__main__":
    asyncio.run(main())
