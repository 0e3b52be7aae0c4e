"""Snapshot tripwires for the main screens (re-record with `make snapshots` after a deliberate change)."""

from __future__ import annotations

from textual.pilot import Pilot

from tui.core.session import open_session
from tui.ui.app import BroadsheetApp
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.podcast_sidebar import PodcastSidebar
from tui.ui.widgets.story_list import StoryList

from .helpers import SEED_TITLE, main_screen, sample_app, wait_until


async def _settled(pilot: Pilot) -> None:
    app = pilot.app
    main = await main_screen(app, pilot)
    await wait_until(pilot, lambda: main.status.message.startswith("Refreshed"), what="the refresh")
    await wait_until(pilot, lambda: len(main.stories_pane.rowset.rows) > 5, what="rows")
    sidebar = main.query_one(PodcastSidebar)
    await wait_until(
        pilot,
        lambda: (
            bool(sidebar.feed_episodes) and all(e.duration_seconds for e in sidebar.feed_episodes)
        ),
        what="every length measured",
    )
    await pilot.pause(0.2)


async def _open_seed(pilot: Pilot) -> None:
    await _settled(pilot)
    main = pilot.app.screen
    assert isinstance(main, MainScreen)
    index = next(
        i
        for i, e in enumerate(main.stories_pane.rowset.entries)
        if e is not None and e.title == SEED_TITLE
    )
    main.query_one(StoryList).cursor = index
    await pilot.press("enter")
    reader = main.query_one(ArticleView)
    await wait_until(pilot, lambda: reader.article is not None, what="the article")
    await pilot.pause(0.2)


def test_main_screen_wide(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app, session = sample_app()
    try:
        assert snap_compare(app, terminal_size=(160, 48), run_before=_open_seed)
    finally:
        session.close()


def test_main_screen_narrow(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app, session = sample_app()
    try:
        assert snap_compare(app, terminal_size=(64, 30), run_before=_settled)
    finally:
        session.close()


def test_help_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def open_help(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="help")
        await pilot.pause(0.2)

    app, session = sample_app()
    try:
        assert snap_compare(app, terminal_size=(120, 40), run_before=open_help)
    finally:
        session.close()


def test_search_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def search(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("slash", *"ferry")
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        await wait_until(
            pilot,
            lambda: (
                main.stories.highlight == "ferry"
                and sum(r.kind == "story" for r in main.stories_pane.rowset.rows) == 1
            ),
            what="the search",
        )
        await pilot.pause(0.2)

    app, session = sample_app()
    try:
        assert snap_compare(app, terminal_size=(120, 30), run_before=search)
    finally:
        session.close()


def test_error_screen(snap_compare, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A feed that cannot be fetched: its header and the status bar say why (the feeds view, F,
    shows the time it failed, so it is tested in test_subscriptions_ui instead)."""
    config = tmp_path / "config.toml"
    config.write_text(
        '[settings]\nsample_edition = true\n\n[[feeds]]\nurl = "http://127.0.0.1:9/feed.xml"\n'
        'title = "Unreachable"\n'
    )

    async def failed(pilot: Pilot) -> None:
        app = pilot.app
        main = await main_screen(app, pilot)
        await wait_until(pilot, lambda: "failed" in main.status.message, what="the failure")
        await pilot.pause(0.3)

    session = open_session(config_path=config)
    app = BroadsheetApp(session)
    try:
        assert snap_compare(app, terminal_size=(120, 30), run_before=failed)
    finally:
        session.close()
