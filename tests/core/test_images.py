"""Pictures: checked, shrunk and stored (tui/core/images), fetched through the service over
loopback, and every hostile kind gives a reason instead of a crash."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image as PILImage

from tests.core.image_fixtures import SVG, animated_gif, bomb, picture
from tests.servers.hostile import drip
from tests.servers.loopback import Route, redirect, serve
from tui.core.cache import Cache
from tui.core.config import Config, Settings
from tui.core.images import (
    IMAGES_PER_ARTICLE,
    MAX_PIXELS,
    STORE_WIDTH,
    ImageError,
    prepare,
    wanted_images,
)
from tui.core.models import Article, Image
from tui.core.service import NewsService
from tui.core.state import State


@pytest.fixture(autouse=True)
def _pictures_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BROADSHEET_IMAGES", raising=False)


def test_the_environment_overrides_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(tmp_path, images="kitty")
    assert service.images_mode == "kitty"
    monkeypatch.setenv("BROADSHEET_IMAGES", "off")
    assert service.images_mode == "off"
    monkeypatch.setenv("BROADSHEET_IMAGES", "nonsense")
    assert service.images_mode == "kitty"


def _pixels(data: bytes) -> PILImage.Image:
    with PILImage.open(io.BytesIO(data)) as image:
        image.load()
        return image.convert("RGB")


def test_a_picture_is_shrunk_to_a_jpeg_keeping_its_shape() -> None:
    prepared = prepare(picture(3000, 1500))
    assert (prepared.width, prepared.height) == (STORE_WIDTH, STORE_WIDTH // 2)
    stored = _pixels(prepared.data)
    assert stored.size == (STORE_WIDTH, STORE_WIDTH // 2)
    assert len(prepared.data) < 60_000
    red, green, blue = stored.getpixel((5, 5))
    assert red > 150 and green < 90 and blue < 90  # the colour survived


def test_a_small_picture_keeps_its_size() -> None:
    prepared = prepare(picture(400, 300, "JPEG"))
    assert (prepared.width, prepared.height) == (400, 300)


def test_a_colour_jpeg_of_the_kept_size_is_kept_as_sent_and_others_are_compressed() -> None:
    # Compressing such a JPEG again cost twice its decoding and gained nothing; it is still
    # decoded whole first, so a truncated one is refused (test_hostile_images_give_a_reason).
    sent = picture(400, 300, "JPEG")
    assert prepare(sent).data == sent
    png = picture(400, 300)
    assert prepare(png).data[:3] == b"\xff\xd8\xff"  # a PNG becomes a JPEG
    large = picture(3000, 1500, "JPEG")
    assert prepare(large).data != large  # shrunk, so compressed again


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bomb(), "too many pixels"),
        (picture(17_000, 40), "too large to draw"),
        (picture(400, 300, "JPEG")[:2000], "truncated or corrupt"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "not an image"),
        (b"GIF89a" + bytes(range(256)) * 4, "not an image"),
        (b"this is not an image at all" * 10, "not an image"),
        (SVG, "SVG"),
        (picture(1, 1), "too small"),
        (picture(31, 200), "too small"),
        (b"", "no image"),
    ],
    ids=[
        "bomb",
        "huge-side",
        "truncated",
        "corrupt-png",
        "corrupt-gif",
        "text",
        "svg",
        "pixel",
        "thin",
        "empty",
    ],
)
def test_hostile_images_give_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ImageError) as caught:
        prepare(data, "http://127.0.0.1/x")
    assert reason in caught.value.reason
    assert PILImage.MAX_IMAGE_PIXELS == MAX_PIXELS  # the limit is set, never disabled


def test_an_animated_gif_gives_its_first_frame() -> None:
    stored = _pixels(prepare(animated_gif()).data)
    red, green, blue = stored.getpixel((32, 32))
    assert red > 200 and green < 60 and blue < 60


def test_transparency_is_laid_over_white() -> None:
    image = PILImage.new("RGBA", (64, 64), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    assert min(_pixels(prepare(out.getvalue()).data).getpixel((10, 10))) > 240


def test_the_wanted_pictures_lead_first_no_svg_capped() -> None:
    images = tuple(Image(f"http://127.0.0.1/{n}.png", position=n) for n in range(20))
    lead = Image("http://127.0.0.1/lead.jpg")
    article = Article(
        "http://127.0.0.1/a",
        images=(Image("http://127.0.0.1/logo.svg"), images[0], *images),
        lead_image=lead,
    )
    wanted = wanted_images(article)
    assert len(wanted) == IMAGES_PER_ARTICLE
    assert wanted[0] == lead and wanted[1] == images[0] and wanted[2] == images[1]


def _service(tmp_path: Path, **settings: object) -> NewsService:
    config = Config(Settings(**settings))  # type: ignore[arg-type]
    return NewsService(config, Cache(tmp_path / "cache"), State(tmp_path / "state.db"))


async def test_a_picture_is_fetched_once_then_read_from_the_cache(tmp_path: Path) -> None:
    with serve({"/p.png": Route(picture(1200, 800), content_type="image/png")}) as server:
        service = _service(tmp_path)
        try:
            first = await service.load_picture(server.url("/p.png"))
            assert (first.width, first.height, first.reason) == (960, 640, "")
            second = await service.load_picture(server.url("/p.png"))
            assert second.data == first.data
            assert server.hits("/p.png") == 1
            stats = service.cache_info()
            assert stats.images == 1 and 0 < stats.image_bytes < 200_000
        finally:
            await service.aclose()


async def test_bad_answers_give_a_picture_with_a_reason(tmp_path: Path) -> None:
    routes = {
        "/page.png": Route(b"<html>not found</html>", content_type="text/html"),
        "/loop.png": redirect("/loop.png"),
        "/missing.png": Route(b"gone", status=404),
        "/big.png": Route(b"\0" * (3 * 2**20), content_type="image/png"),
        "/drawing": Route(SVG, content_type="image/svg+xml"),
        "/bomb.png": Route(bomb(), content_type="image/png"),
        "/slow.png": drip(picture(), 0.5),
    }
    with serve(routes) as server:
        service = _service(tmp_path, timeout_seconds=2.0)
        try:
            reasons = {}
            for path in routes:
                result = await service.load_picture(server.url(path))
                assert not result.data
                reasons[path] = result.reason
            assert "not an image" in reasons["/page.png"]
            assert "redirects" in reasons["/loop.png"]
            assert "404" in reasons["/missing.png"]
            assert "larger than 2 MiB" in reasons["/big.png"]
            assert "SVG" in reasons["/drawing"]
            assert "too many pixels" in reasons["/bomb.png"]
            assert "timed out" in reasons["/slow.png"]
            assert service.cache_info().images == 0
            # a failure is remembered for the session: not asked again
            hits = server.hits("/bomb.png")
            await service.load_picture(server.url("/bomb.png"))
            assert server.hits("/bomb.png") == hits
        finally:
            await service.aclose()


async def test_fetch_pictures_stores_them_for_offline(tmp_path: Path) -> None:
    routes = {
        f"/{n}.png": Route(picture(300 + n, 200), content_type="image/png") for n in range(12)
    }
    with serve(routes) as server:
        service = _service(tmp_path)
        article = Article(
            server.url("/a"),
            images=tuple(Image(server.url(f"/{n}.png"), position=n) for n in range(12)),
        )
        try:
            stored, failures = await service.fetch_pictures(article)
            assert (stored, failures) == (IMAGES_PER_ARTICLE, [])
            assert sum(server.hits(f"/{n}.png") for n in range(12)) == IMAGES_PER_ARTICLE
        finally:
            await service.aclose()
    service.set_offline(True)
    try:
        shown = await service.load_picture(article.images[3].url)
        assert shown.width == 303 and shown.data
        missing = await service.load_picture(article.images[10].url)
        assert not missing.data and "offline" in missing.reason
    finally:
        await service.aclose()


async def test_images_off_fetches_nothing(tmp_path: Path) -> None:
    with serve({"/p.png": Route(picture(), content_type="image/png")}) as server:
        service = _service(tmp_path, images="off")
        try:
            article = Article(server.url("/a"), images=(Image(server.url("/p.png")),))
            assert await service.fetch_pictures(article) == (0, [])
            assert server.hits("/p.png") == 0
        finally:
            await service.aclose()


def test_article_round_trips_with_images_and_reads_old_cached_data() -> None:
    article = Article(
        "http://127.0.0.1/a",
        images=(Image("http://127.0.0.1/1.png", "alt", "cap", 640, 480, 2),),
        lead_image=Image("http://127.0.0.1/lead.png", "lead"),
    )
    assert Article.from_dict(article.to_dict()) == article
    old = {"url": "http://127.0.0.1/a", "title": "t", "blocks": [["paragraph", "x", 0]]}
    assert Article.from_dict(old).images == () and Article.from_dict(old).lead_image is None
    dirty = Image("http://127.0.0.1/x\x1b[2J.png", "a\x1b]0;evil\x07lt")
    assert "\x1b" not in dirty.url + dirty.alt


def test_the_sample_edition_serves_its_own_pictures() -> None:
    from tui.core.sample import sample_files

    files = sample_files()
    pictures = {path for path in files if path.startswith("/img/")}
    assert "/img/nato-briefing-room.jpg" in pictures
    for path in pictures:
        prepared = prepare(files[path], path)  # each is a picture Broadsheet draws
        assert prepared.width >= 64
    pages = b"".join(body for path, body in files.items() if path.endswith(".html"))
    # no photo of an article left on another host (the publisher's logo in JSON-LD stays)
    assert not re.search(rb"static\.example\.org/[^\"]*\.jpg", pages)


def _figure_page(server_url: str) -> bytes:
    prose = (
        "<p>" + "The harbour wall was repaired after the winter storms damaged it. " * 6 + "</p>"
    )
    return (
        "<!doctype html><html><head><title>Wall</title>"
        f'<meta property="og:image" content="{server_url}/lead.jpg"></head><body><article>'
        f"<h1>Wall</h1>{prose * 2}"
        '<figure><img src="/fig.png" alt="The wall" width="800" height="600">'
        f"<figcaption>After the repair.</figcaption></figure>{prose * 3}"
        '<img src="/pixel.gif" width="1" height="1" alt=""></article></body></html>'
    ).encode()


async def test_prefetch_stores_the_pictures_and_they_show_offline(tmp_path: Path) -> None:
    with serve() as server:
        server.route("/story.html", Route(_figure_page(str(server)), content_type="text/html"))
        server.route("/lead.jpg", Route(picture(1200, 675, "JPEG"), content_type="image/jpeg"))
        server.route("/fig.png", Route(picture(800, 600), content_type="image/png"))
        server.route("/pixel.gif", Route(picture(1, 1, "GIF"), content_type="image/gif"))
        service = _service(tmp_path)
        try:
            fetched, failures = await service.prefetch([server.url("/story.html")])
            assert (fetched, failures) == (1, [])
        finally:
            await service.aclose()
        assert server.hits("/lead.jpg") == 1 and server.hits("/fig.png") == 1
        assert server.hits("/pixel.gif") == 0  # a tracking pixel is never fetched
        seen = len(server.requests)
    offline = _service(tmp_path)
    offline.set_offline(True)
    try:
        result = await offline.load_article(server.url("/story.html"))
        article = result.article
        assert [image.alt for image in article.images] == ["The wall"]
        assert article.lead_image is not None and article.lead_image.url.endswith("/lead.jpg")
        for image in (article.lead_image, *article.images):
            shown = await offline.load_picture(image.url)
            assert shown.data and not shown.reason
        assert offline.cache_info().images == 2
    finally:
        await offline.aclose()
    assert len(server.requests) == seen  # offline: nothing asked
