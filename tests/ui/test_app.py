"""The app on the sample edition, driven at the keyboard as a person would."""

from __future__ import annotations

import asyncio
import gc
import threading

from tui.core.session import open_session
from tui.ui.app import BroadsheetApp
from tui.ui.screens import main as main_screen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.podcast_sidebar import PodcastSidebar
from tui.ui.widgets.story_list import StoryList

from .helpers import SEED_TITLE, sample_app, screen_text, wait_until


def _main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def _loaded(app, pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="the main screen")
    main = _main(app)
    await wait_until(
        pilot,
        lambda: any(
            e is not None and e.title == SEED_TITLE for e in main.stories_pane.rowset.entries
        ),
        what="the sample stories",
    )
    return main


async def _open_seed(app, pilot, main: MainScreen) -> None:  # type: ignore[no-untyped-def]
    stories = app.screen.query_one(StoryList)
    index = next(
        i
        for i, e in enumerate(main.stories_pane.rowset.entries)
        if e is not None and e.title == SEED_TITLE
    )
    await pilot.press("g")
    for _ in range(50):
        if stories.cursor == index:
            break
        await pilot.press("j")
    assert stories.cursor == index
    await pilot.press("enter")
    reader = app.screen.query_one(ArticleView)
    await wait_until(
        pilot,
        lambda: reader.article is not None and reader.article.title == SEED_TITLE,
        what="the seed article",
    )


async def test_read_the_seed_article_with_its_podcast_lengths() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await _loaded(app, pilot)
            text = screen_text(app)
            assert "The Broadsheet Sample" in text
            assert SEED_TITLE in text
            await _open_seed(app, pilot, main)
            reader = app.screen.query_one(ArticleView)
            assert reader.has_focus
            body = reader.article.text if reader.article else ""
            assert "marks a positive development" in body
            assert "Dear readers" not in body and "Podcasts" not in body
            await pilot.pause(0.1)
            shown = screen_text(app)
            assert "42:09" in shown and "57:04" in shown
            sidebar = app.screen.query_one(PodcastSidebar)
            assert [e.duration for e in sidebar.article_episodes] == ["42:09", "57:04"]
            # the story is now read: its row lost the unread mark
            row = main.stories_pane.rowset.rows[app.screen.query_one(StoryList).cursor]
            assert not row.unread
            await pilot.press("escape")
            assert app.screen.query_one(StoryList).has_focus
    finally:
        session.close()


async def test_moving_with_j_and_k_and_switching_panes() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await _loaded(app, pilot)
            stories = app.screen.query_one(StoryList)
            await pilot.press("g")
            first = stories.cursor
            await pilot.press("j", "j")
            assert stories.cursor > first
            moved = stories.cursor
            await pilot.press("k")
            assert first <= stories.cursor < moved
            await pilot.press("tab")
            assert not stories.has_focus
            await pilot.press("shift+tab")
            assert stories.has_focus
    finally:
        session.close()


async def test_help_lists_live_bindings_and_closes() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await _loaded(app, pilot)
            await pilot.press("question_mark")
            await wait_until(
                pilot, lambda: isinstance(app.screen, HelpScreen), what="the help screen"
            )
            text = screen_text(app)
            assert "Refresh all" in text and "main.refresh_all" in text
            await pilot.press("escape")
            await wait_until(
                pilot, lambda: isinstance(app.screen, MainScreen), what="help to close"
            )
    finally:
        session.close()


async def test_q_quits() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await _loaded(app, pilot)
            await pilot.press("q")
            await pilot.pause(0.2)
            assert not app.is_running
    finally:
        session.close()


async def test_offline_with_an_empty_cache_says_so_and_fetches_nothing() -> None:
    app, session = sample_app(offline=True)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_until(
                pilot, lambda: isinstance(app.screen, MainScreen), what="the main screen"
            )
            await wait_until(
                pilot,
                lambda: "nothing is cached yet" in screen_text(app),
                what="the offline notice",
            )
            assert "offline" in screen_text(app)
            await pilot.press("R")
            await pilot.pause(0.2)
            assert "Offline: refresh is off." in screen_text(app)
        assert session.service.cache.names("raw") == set()  # nothing was fetched
    finally:
        session.close()


def _fill_cache() -> None:
    """Fetch the sample edition once, as a previous run of the app would have."""
    session = open_session(sample_only=True)
    try:

        async def refresh() -> None:
            await session.service.refresh_all()
            await session.service.aclose()

        asyncio.run(refresh())
    finally:
        session.close()


def _first_frames(app: BroadsheetApp) -> list[str]:
    """Record the story list's first line in every frame the app paints."""
    frames: list[str] = []
    display = app._display

    def hook(screen, update) -> None:  # type: ignore[no-untyped-def]
        display(screen, update)
        if update is not None and isinstance(screen, MainScreen):
            frames.append(screen.query_one(StoryList).render_line(0).text.strip())

    app._display = hook  # type: ignore[method-assign]
    return frames


def test_the_first_frame_already_shows_the_cached_stories(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _fill_cache()
    # The app waits a quarter second at most; a loaded test machine can take longer to read.
    monkeypatch.setattr(main_screen, "FIRST_FRAME_WAIT", 30.0)
    app, session = sample_app(offline=True)
    frames = _first_frames(app)

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await _loaded(app, pilot)

    try:
        asyncio.run(run())
    finally:
        session.close()
    assert frames and frames[0].startswith("The Broadsheet Sample"), frames[:3]


def test_a_slow_cache_does_not_hold_the_screen_back(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _fill_cache()
    app, session = sample_app(offline=True)
    statuses = session.service.statuses
    painted = threading.Event()

    def slow_statuses():  # type: ignore[no-untyped-def]
        painted.wait(30)  # the cache answers only once the screen has been painted
        return statuses()

    monkeypatch.setattr(session.service, "statuses", slow_statuses)
    frames = _first_frames(app)
    display = app._display

    def hook(screen, update) -> None:  # type: ignore[no-untyped-def]
        display(screen, update)
        painted.set()

    app._display = hook  # type: ignore[method-assign]

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await _loaded(app, pilot)  # the stories still come, after the first frame
            await wait_until(
                pilot,
                lambda: any(line.startswith("The Broadsheet Sample") for line in frames),
                what="a frame with the stories",
            )

    try:
        asyncio.run(run())
    finally:
        session.close()
    assert frames[0] == ""  # painted at once, with an empty list; the stories came later


def test_start_up_runs_without_the_cyclic_collector_until_the_first_frame() -> None:
    _fill_cache()
    gc.disable()  # as `broadsheet` starts the app
    try:
        app, session = sample_app(offline=True)
        collector_on: list[bool] = []
        display = app._display

        def hook(screen, update) -> None:  # type: ignore[no-untyped-def]
            display(screen, update)
            if update is not None:
                collector_on.append(gc.isenabled())

        app._display = hook  # type: ignore[method-assign]

        async def run() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                await _loaded(app, pilot)
                await pilot.pause()

        try:
            asyncio.run(run())
        finally:
            session.close()
        assert collector_on[0] is False  # the first frame was made with the collector off
        assert gc.isenabled()  # and it is on once that frame is out
    finally:
        gc.enable()
