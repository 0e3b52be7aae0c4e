"""Pictures in the reader: half-block snapshots at two widths, the placeholder and its reasons,
the terminal-protocol choice with a faked terminal reply, smooth scrolling, offline display."""

from __future__ import annotations

import gc
import io
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen

from tests.core.image_fixtures import SVG, picture
from tests.servers.hostile import drip
from tests.servers.loopback import LoopbackServer, Route, serve
from tui.core.cache import Cache
from tui.core.config import Config, Settings
from tui.core.models import Article, Block, Entry, Image
from tui.core.service import ArticleResult, NewsService
from tui.core.state import State
from tui.ui.messages import ArticleLoaded
from tui.ui.widgets import article_image
from tui.ui.widgets.article_image import ArticleImage, cells_for, choose_protocol
from tui.ui.widgets.reader_pane import ReaderPane

from .helpers import screen_text, wait_until


@pytest.fixture(autouse=True)
def _halfblocks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("BROADSHEET_IMAGES", raising=False)
    choose_protocol("halfblock")
    yield
    article_image._chosen = None


class ReaderApp(App[None]):
    def __init__(self, service: NewsService) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> ComposeResult:
        yield ReaderPane(self.service, id="reader")


def _routes() -> dict[str, object]:
    return {
        "/lead.png": Route(picture(640, 360, colour=(30, 140, 60)), content_type="image/png"),
        "/tall.jpg": Route(picture(300, 900, "JPEG"), content_type="image/jpeg"),
        "/chart.svg": Route(SVG, content_type="image/svg+xml"),
        "/broken.jpg": Route(picture(400, 300, "JPEG")[:900], content_type="image/jpeg"),
    }


def _article(server: LoopbackServer) -> Article:
    paragraphs = [
        "The harbour wall was finished on Tuesday, two weeks early.",
        "Engineers said the new stone would outlast the old by a century.",
        "Fishermen were less sure, and said so at length.",
        "The mayor cut a ribbon.",
    ]
    return Article(
        url=server.url("/story"),
        title="Harbour wall finished early",
        blocks=tuple(Block("paragraph", p) for p in paragraphs),
        lead_image=Image(server.url("/lead.png"), "The new harbour wall at low tide"),
        images=(
            Image(
                server.url("/tall.jpg"),
                "A lighthouse",
                "The lighthouse, from the wall.",
                position=2,
            ),
            Image(server.url("/chart.svg"), "A chart of tides", position=3),
            Image(server.url("/broken.jpg"), "A broken picture", position=4),
        ),
    )


def _service(tmp_path: Path, **settings: object) -> NewsService:
    config = Config(Settings(**settings))  # type: ignore[arg-type]
    return NewsService(config, Cache(tmp_path / "cache"), State(tmp_path / "state.db"))


async def _open(pilot: Pilot, article: Article) -> ReaderPane:
    reader = pilot.app.query_one(ReaderPane)
    reader.current = Entry(id=article.url, feed_url="", title=article.title, url=article.url)
    reader.post_message(ArticleLoaded(article.url, ArticleResult(article)))
    await wait_until(pilot, lambda: reader.article is not None, what="the article")
    await wait_until(
        pilot,
        lambda: all(
            slot.picture is not None or "loading" not in str(slot._line.render())
            for slot in reader.query(ArticleImage)
        ),
        what="every picture or its reason",
    )
    await pilot.pause(0.2)
    return reader


@pytest.mark.parametrize("size", [(60, 40), (100, 50)], ids=["narrow", "wide"])
def test_reader_with_pictures(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    with serve(_routes()) as server:  # type: ignore[arg-type]
        service = _service(tmp_path)
        article = _article(server)

        async def run_before(pilot: Pilot) -> None:
            await _open(pilot, article)

        assert snap_compare(ReaderApp(service), terminal_size=size, run_before=run_before)


async def test_pictures_fit_the_width_and_half_the_height_with_reasons(tmp_path: Path) -> None:
    with serve(_routes()) as server:  # type: ignore[arg-type]
        service = _service(tmp_path)
        app = ReaderApp(service)
        async with app.run_test(size=(80, 30)) as pilot:
            reader = await _open(pilot, _article(server))
            slots = {slot.image.url.rsplit("/", 1)[1]: slot for slot in reader.query(ArticleImage)}
            lead = slots["lead.png"].query_one(".picture")
            assert lead.size.width <= reader.scrollable_content_region.width
            assert lead.size.height <= 15
            tall = slots["tall.jpg"].query_one(".picture")
            assert tall.size.height == 15  # half the screen, and narrower to keep its shape
            assert tall.size.width < lead.size.width
            text = screen_text(app)
            assert "Harbour wall finished early" in text
            await pilot.press("end")
            await pilot.pause(0.1)
            text = screen_text(app)
            assert "A chart of tides — an SVG drawing: not drawn" in text
            assert "A broken picture — a truncated or corrupt image" in text
        await service.aclose()


async def test_a_slow_picture_shows_its_alt_text_while_loading(tmp_path: Path) -> None:
    with serve({"/slow.png": drip(picture(), 0.2)}) as server:
        service = _service(tmp_path)
        article = Article(
            server.url("/a"),
            title="Slow",
            blocks=(Block("paragraph", "Text first."),),
            images=(Image(server.url("/slow.png"), "A slow picture", position=0),),
        )
        app = ReaderApp(service)
        async with app.run_test(size=(80, 24)) as pilot:
            reader = pilot.app.query_one(ReaderPane)
            reader.current = Entry(id=article.url, feed_url="", title="Slow", url=article.url)
            reader.post_message(ArticleLoaded(article.url, ArticleResult(article)))
            await wait_until(pilot, lambda: reader.article is not None, what="the article")
            await pilot.pause(0.3)
            assert "A slow picture — loading…" in screen_text(app)
            started = time.perf_counter()
            await pilot.press("j", "k")  # keys still answer while the picture drips in
            assert time.perf_counter() - started < 1.0
        await service.aclose()


def test_cells_keep_the_shape_within_the_limits() -> None:
    width, height = cells_for(960, 540, 80, 100, "halfblock")
    assert width == 80 and height == round(80 * 540 / 960 / 2)
    width, height = cells_for(300, 900, 80, 15, "halfblock")
    assert height == 15 and width == 10
    assert cells_for(40, 40, 80, 20, "halfblock") == (40, 20)
    assert cells_for(0, 10, 80, 20, "halfblock") == (0, 0)


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _FakeKeyboard:
    """What textual-image reads the terminal's reply from: only its file number is asked for."""

    class buffer:
        @staticmethod
        def fileno() -> int:
            return 0


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("\x1b[?62;4;22c", "sixel"),  # Primary device attributes with 4: Sixel
        ("\x1b[?62;22c", "halfblock"),  # no 4, and no answer to Kitty's query
        ("\x1b[?62;22c\x1b_Gi=7;OK\x1b\\", "kitty"),  # no Sixel; Kitty's protocol says OK
    ],
)
def test_auto_asks_the_terminal(monkeypatch: pytest.MonkeyPatch, reply: str, expected: str) -> None:
    import contextlib
    import importlib

    import textual_image.renderable
    from textual_image import _terminal

    pending = list(reply)

    def read(fd: int, length: int, timeout: float | None = None) -> str:
        if not pending:
            raise TimeoutError("no more reply")
        return pending.pop(0)

    written = _FakeTerminal()
    with monkeypatch.context() as faked:
        faked.setattr(sys, "__stdout__", written)
        faked.setattr(sys, "__stdin__", _FakeKeyboard())
        faked.setattr(_terminal, "read", read)
        faked.setattr(_terminal, "capture_mode", contextlib.nullcontext)
        # textual-image asks the terminal when its renderables are imported: as at start-up
        importlib.reload(textual_image.renderable)
        try:
            assert choose_protocol("auto", tty=True) == expected
        finally:
            faked.undo()
            importlib.reload(textual_image.renderable)  # as it was: no terminal here
    assert "\x1b[c" in written.getvalue()  # it asked


def test_settings_choose_without_asking() -> None:
    assert choose_protocol("off") == "off"
    assert choose_protocol("kitty") == "kitty"
    assert choose_protocol("sixel") == "sixel"
    assert choose_protocol("auto", tty=False) == "halfblock"


async def test_scrolling_past_pictures_stays_smooth(tmp_path: Path) -> None:
    routes = {
        f"/{n}.jpg": Route(picture(1600, 1000, "JPEG"), content_type="image/jpeg") for n in range(8)
    }
    with serve(routes) as server:  # type: ignore[arg-type]
        service = _service(tmp_path)
        blocks = tuple(Block("paragraph", f"Paragraph {n}. " * 30) for n in range(16))
        article = Article(
            server.url("/long"),
            title="Long",
            blocks=blocks,
            images=tuple(
                Image(server.url(f"/{n}.jpg"), f"Picture {n}", position=2 * n) for n in range(8)
            ),
        )
        # Each frame's time, and whether a full collection of the cyclic garbage collector
        # ran inside it (those depend on the whole test process's heap, not on the pictures).
        frames: list[tuple[float, bool]] = []
        full_collections: list[int] = []

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start" and info["generation"] == 2:
                full_collections.append(1)

        original = Screen._compositor_refresh

        def timed(self: Screen) -> None:  # type: ignore[type-arg]
            before = len(full_collections)
            started = time.perf_counter()
            original(self)
            frames.append((time.perf_counter() - started, len(full_collections) > before))

        app = ReaderApp(service)
        async with app.run_test(size=(100, 40)) as pilot:
            reader = await _open(pilot, article)
            assert len([s for s in reader.query(ArticleImage) if s.picture]) == 8
            Screen._compositor_refresh = timed  # type: ignore[method-assign]
            gc.callbacks.append(on_gc)
            try:
                for _ in range(60):
                    await pilot.press("j")
                for _ in range(10):
                    await pilot.press("space")
                await pilot.pause(0.1)
            finally:
                gc.callbacks.remove(on_gc)
                Screen._compositor_refresh = original  # type: ignore[method-assign]
        await service.aclose()
        assert len(frames) > 60, "the frames were not counted"
        drawing = [seconds for seconds, collected in frames if not collected]
        assert max(drawing) < 0.050, f"slowest frame {max(drawing) * 1000:.1f} ms"


async def test_pictures_show_offline_after_they_were_stored(tmp_path: Path) -> None:
    with serve(_routes()) as server:  # type: ignore[arg-type]
        article = _article(server)
        online = _service(tmp_path)
        stored, failures = await online.fetch_pictures(article)
        assert stored == 2 and len(failures) == 1  # the broken one; the SVG is never fetched
        await online.aclose()
        hits = len(server.requests)
    offline = _service(tmp_path)
    offline.set_offline(True)
    app = ReaderApp(offline)
    async with app.run_test(size=(80, 40)) as pilot:
        reader = await _open(pilot, article)
        drawn = {s.image.url.rsplit("/", 1)[1] for s in reader.query(ArticleImage) if s.picture}
        assert drawn == {"lead.png", "tall.jpg"}
        await pilot.press("end")
        await pilot.pause(0.1)
        assert "A broken picture — not downloaded (offline)" in screen_text(app)
    await offline.aclose()
    assert len(server.requests) == hits
