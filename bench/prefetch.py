"""Benchmark `broadsheet refresh` + `broadsheet prefetch` against a generated news site.

bench/pagegen.py writes 1,000 article pages (~100 KB of realistic news markup each, one photo
each) and feeds listing them; a loopback server on 127.0.0.1 serves them, and serves each
page's photo (a 960×540 JPEG) as a news site does. Each run uses fresh temp XDG dirs, runs the
real CLI (`python -m tui refresh`, then `python -m tui prefetch`) as child processes, in two
ways taking turns: as installed (pictures on: each article's photo is fetched, checked, shrunk
and stored too) and with `BROADSHEET_IMAGES=off` (the text only). It measures:

- articles/s: articles made available offline (fetched + extracted + cached, and their
  pictures when on) divided by the prefetch process's wall time, start-up included;
- pictures fetched (the server's count of photo requests);
- peak RSS of the prefetch process and its worker processes together (sampled; started by
  bench/launcher.py, since a child's own ru_maxrss would include this process's pages);
- cache size on disk (du of the cache dir, allocated blocks) divided by the raw HTML bytes.

Medians of --runs runs (default 3) of each way are compared with the targets: articles/s
≥ 150 and cache ≤ 1/3 of the HTML are the text-only targets (set before pictures were kept);
the pictures-on figures are printed beside them, and peak RSS ≤ 200 MiB holds for both. Only
127.0.0.1 traffic.

    .venv/bin/python bench/prefetch.py [--pages 1000] [--runs 3] [--per-host N] [--concurrency N]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.launcher import Launcher  # noqa: E402
from bench.pagegen import generate_site  # noqa: E402
from tests.servers.loopback import LoopbackServer, Route, serve  # noqa: E402

TARGET_RATE = 150.0
TARGET_RSS_MB = 200.0
TARGET_RATIO = 1 / 3


def du_bytes(directory: Path) -> int:
    """Bytes allocated on disk under `directory` (like `du -s`, in bytes)."""
    total = 0
    for dirpath, _dirs, files in os.walk(directory):
        for name in files:
            total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
    return total


def run_child(
    launcher: Launcher, argv: list[str], env: dict[str, str]
) -> tuple[int, str, str, float, float]:
    """Run a child to completion through the launcher (so its peak RSS is its own, not this
    process's, which holds every page): (exit code, stdout, stderr, wall s, peak RSS MiB).
    The peak is of the child and its worker processes together."""
    with tempfile.TemporaryDirectory(prefix="bench-prefetch-out-") as tmp:
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        child = launcher.run(argv, env=env, cwd=ROOT, stdout=out, stderr=err)
        return (
            child.returncode,
            out.read_text(errors="replace"),
            err.read_text(errors="replace"),
            child.seconds,
            child.tree_rss_mb,
        )


PHOTO_PATH = re.compile(r'<img src="(/img/[^"]+)" srcset="([^"]+)"')


def photo_routes(pages: dict[str, bytes]) -> list[str]:
    """The photo addresses the pages name (src and every srcset candidate)."""
    paths: list[str] = []
    for html in pages.values():
        for src, srcset in PHOTO_PATH.findall(html.decode("utf-8", "replace")):
            paths.append(src)
            paths.extend(part.split()[0] for part in srcset.split(","))
    return paths


def photo_jpeg() -> bytes:
    """A 960×540 JPEG with the smooth gradients and edges of a photo (about 30 KB)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((960, 540)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = (n * 97) % 900, (n * 53) % 500
        draw.ellipse((x, y, x + 60, y + 40), fill=((n * 40) % 256, (n * 90) % 256, (n * 20) % 256))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def photo_hits(server: LoopbackServer) -> int:
    return server.hits(prefix="/img/")


def one_run(
    launcher: Launcher,
    server: LoopbackServer,
    feed_urls: list[str],
    html_bytes: int,
    args: argparse.Namespace,
    pictures: bool,
) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-prefetch-") as tmp:
        root = Path(tmp)
        # Without PYTHONDONTWRITEBYTECODE (set in some sandboxes) bytecode is cached like in
        # any installed program, instead of every changed module compiling in every run.
        env = {
            k: v
            for k, v in os.environ.items()
            if "proxy" not in k.lower() and k != "PYTHONDONTWRITEBYTECODE"
        }
        env.update(
            XDG_CONFIG_HOME=str(root / "config"),
            XDG_CACHE_HOME=str(root / "cache"),
            XDG_DATA_HOME=str(root / "data"),
            PYTHONPATH=str(ROOT),
            BROADSHEET_IMAGES="auto" if pictures else "off",
        )
        config = root / "config" / "broadsheet" / "config.toml"
        config.parent.mkdir(parents=True)
        settings = "[settings]\nsample_edition = false\n"
        if args.per_host:
            settings += f"per_host = {args.per_host}\n"
        if args.concurrency:
            settings += f"concurrency = {args.concurrency}\n"
        config.write_text(settings + "".join(f'\n[[feeds]]\nurl = "{u}"\n' for u in feed_urls))
        cli = [sys.executable, "-m", "tui"]
        code, out, err, refresh_s, _ = run_child(launcher, [*cli, "refresh"], env)
        if code != 0:
            raise SystemExit(f"refresh failed ({code}): {err or out}")
        photos_before = photo_hits(server)
        code, out, err, seconds, rss = run_child(launcher, [*cli, "prefetch"], env)
        if code != 0:
            raise SystemExit(f"prefetch failed ({code}): {err or out}")
        made = re.search(r"Made (\d+) articles available offline in ([\d.]+) s; (\d+) failed", out)
        if made is None:
            raise SystemExit(f"unexpected prefetch output: {out!r}")
        articles, failed = int(made.group(1)), int(made.group(3))
        cache_bytes = du_bytes(root / "cache" / "broadsheet")
        return {
            "refresh_s": refresh_s,
            "articles": articles,
            "failed": failed,
            "seconds": seconds,
            "rate": articles / seconds,
            "inner_rate": articles / float(made.group(2)),
            "rss_mb": rss,
            "cache_mb": cache_bytes / 2**20,
            "ratio": cache_bytes / html_bytes,
            "photos": photo_hits(server) - photos_before,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-host", type=int, default=0, help="override settings.per_host")
    parser.add_argument("--concurrency", type=int, default=0, help="override settings.concurrency")
    args = parser.parse_args()

    launcher = Launcher()  # first, while this process is small (see bench/launcher.py)
    runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    with launcher, serve() as server:
        started = time.perf_counter()
        pages, feeds = generate_site(str(server), pages=args.pages)
        for path, html in pages.items():
            server.route(path, Route(body=html, content_type="text/html; charset=utf-8"))
        for path, xml in feeds.items():
            server.route(path, Route(body=xml, content_type="application/rss+xml"))
        photo = photo_jpeg()
        for path in photo_routes(pages):
            server.route(path, Route(body=photo, content_type="image/jpeg"))
        html_bytes = sum(len(h) for h in pages.values())
        print(
            f"{len(pages)} pages, {html_bytes / 2**20:.1f} MiB of HTML "
            f"(mean {html_bytes / len(pages) / 1000:.0f} kB), {len(feeds)} feeds, a "
            f"{len(photo) / 1000:.0f} kB photo each; generated in "
            f"{time.perf_counter() - started:.1f} s"
        )
        feed_urls = [server.url(p) for p in feeds]
        for n in range(args.runs):
            for pictures in (True, False) if n % 2 == 0 else (False, True):
                result = one_run(launcher, server, feed_urls, html_bytes, args, pictures)
                runs[pictures].append(result)
                print(
                    f"run {n + 1}, pictures {'on ' if pictures else 'off'}: "
                    f"{result['articles']:.0f} articles ({result['failed']:.0f} failed), "
                    f"{result['photos']:.0f} photos fetched, in {result['seconds']:.2f} s = "
                    f"{result['rate']:.0f}/s ({result['inner_rate']:.0f}/s excluding start-up); "
                    f"peak RSS {result['rss_mb']:.0f} MiB; cache {result['cache_mb']:.1f} MiB "
                    f"= {result['ratio']:.3f} of the HTML; refresh {result['refresh_s']:.2f} s"
                )
        if server.hits() == 0:
            raise SystemExit("the server saw no traffic")
        print(
            f"server: {server.hits()} requests on {server.connections} TCP connections, "
            f"at most {server.max_in_flight} in flight"
        )

    def median(pictures: bool, key: str) -> float:
        return statistics.median(r[key] for r in runs[pictures])

    text_rate, text_ratio = median(False, "rate"), median(False, "ratio")
    rss = max(median(True, "rss_mb"), median(False, "rss_mb"))
    rows = [
        ("articles/s, text only", text_rate, f">= {TARGET_RATE:.0f}", text_rate >= TARGET_RATE),
        ("articles/s, pictures on", median(True, "rate"), "reported", None),
        ("photos fetched, pictures on", median(True, "photos"), "reported", None),
        ("peak RSS MiB, both", rss, f"<= {TARGET_RSS_MB:.0f}", rss <= TARGET_RSS_MB),
        ("cache/HTML, text only", text_ratio, "<= 0.333", text_ratio <= TARGET_RATIO),
        ("cache/HTML, pictures on", median(True, "ratio"), "reported", None),
    ]
    print(
        f"\nmedians of {args.runs} runs each (a child doing nothing reports "
        f"{launcher.floor_mb:.0f} MiB):"
    )
    for name, value, target, ok in rows:
        verdict = "" if ok is None else "ok" if ok else "MISSED"
        print(f"  {name:28} {value:9.3f}   target {target:8}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
