"""The remaining keys through Pilot: C, y, o, r, home/end, n/N while searching, the mouse
wheel in the reader, the palette's feed and tag commands, and a key remapped in the config."""

from __future__ import annotations

import webbrowser

import pytest
from textual import events
from textual.widgets import Input

from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.open_url import OpenUrlScreen, web_address
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.story_list import StoryRow

from .helpers import SEED_TITLE, refreshed_main, sample_app, screen_text, wait_until


def _cursor_title(main: MainScreen) -> str:
    return main.stories_pane.rowset.rows[main.stories.cursor].title


async def test_C_marks_everything_read() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            assert main.stories_pane.rowset.unread_total >= 13
            await pilot.press("C")
            await wait_until(
                pilot, lambda: main.stories_pane.rowset.unread_total == 0, what="all read"
            )
            assert main.status.counts.startswith("0 unread of")
            story_lines = screen_text(app).splitlines()[: main.stories.region.bottom]
            assert all("●" not in line[: main.stories.region.right] for line in story_lines)
    finally:
        session.close()


async def test_y_copies_and_o_opens_the_story_address(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("g")
            entry = main.stories_pane.entry_at_cursor()
            assert entry is not None and entry.url
            await pilot.press("y")
            assert app.clipboard == entry.url
            assert main.status.message == "Copied the story's address."
            await pilot.press("o")
            await wait_until(pilot, lambda: opened == [entry.url], what="the browser")
            await wait_until(
                pilot, lambda: main.status.message == "Opened in the browser.", what="the message"
            )
    finally:
        session.close()


async def test_r_refreshes_the_feed_under_the_cursor() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("g", "r")
            await wait_until(pilot, lambda: main.status.message == "Feed refreshed.", what="r")
    finally:
        session.close()


async def test_home_and_end() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            stories = [i for i, r in enumerate(main.stories_pane.rowset.rows) if r.kind == "story"]
            await pilot.press("end")
            assert main.stories.cursor == stories[-1]
            await pilot.press("home")
            assert main.stories.cursor == stories[0]
    finally:
        session.close()


async def test_n_and_N_go_from_match_to_match_while_searching() -> None:
    """Even read matches: while a search filters the list, n/N step through what it found."""
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("C")  # everything read: plain n would find nothing
            await wait_until(
                pilot, lambda: main.stories_pane.rowset.unread_total == 0, what="all read"
            )
            await pilot.press("slash", *"episode", "enter")
            await wait_until(
                pilot,
                lambda: (
                    main.stories.highlight == "episode"
                    and all(
                        "episode" in r.title
                        for r in main.stories_pane.rowset.rows
                        if r.kind == "story"
                    )
                ),
                what="the matches",
            )
            matches = [i for i, r in enumerate(main.stories_pane.rowset.rows) if r.kind == "story"]
            assert len(matches) >= 3
            await pilot.press("g")
            assert main.stories.cursor == matches[0]
            await pilot.press("n", "n")
            assert main.stories.cursor == matches[2]
            await pilot.press("N")
            assert main.stories.cursor == matches[1]
    finally:
        session.close()


async def test_the_mouse_wheel_scrolls_the_reader() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 24)) as pilot:
            main = await refreshed_main(app, pilot)
            index = next(
                i for i, r in enumerate(main.stories_pane.rowset.rows) if r.title == SEED_TITLE
            )
            main.stories.cursor = index
            await pilot.press("enter")
            reader = main.query_one(ArticleView)
            await wait_until(pilot, lambda: reader.article is not None, what="the article")
            await wait_until(pilot, lambda: reader.max_scroll_y > 0, what="a long article")
            assert reader.scroll_y == 0
            for _ in range(3):
                reader.post_message(
                    events.MouseScrollDown(reader, 5, 5, 0, 1, 0, False, False, False)
                )
            await wait_until(pilot, lambda: reader.scroll_y > 0, what="the wheel")
    finally:
        session.close()


async def test_palette_goes_to_a_feed_and_views_a_folder() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("ctrl+p")
            await pilot.press(*"Go to feed: Broadsheet Sample Radio")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: (
                    isinstance(app.screen, MainScreen)
                    and main.stories_pane.feed_url_at_cursor() is not None
                    and "podcast" in (main.stories_pane.feed_url_at_cursor() or "")
                ),
                what="the jump",
            )
            await pilot.press("ctrl+p")
            await pilot.press(*"View folder/tag: Sample")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: main.stories_pane.tag == "Sample", what="the folder view"
            )
    finally:
        session.close()


async def test_a_key_remapped_in_the_config_works_and_help_shows_it() -> None:
    app, session = sample_app()
    app.set_keymap({"main.toggle_read": "z"})
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("g")
            assert main.stories_pane.rowset.rows[main.stories.cursor].unread
            await pilot.press("z")
            await wait_until(
                pilot,
                lambda: not main.stories_pane.rowset.rows[main.stories.cursor].unread,
                what="z marks read",
            )
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            rows = app.screen._rows  # type: ignore[attr-defined]
            assert ("z", "Read/unread", "main.toggle_read") in rows
    finally:
        session.close()


def test_web_address_accepts_http_and_bare_hosts_only() -> None:
    assert web_address(" example.org/x ") == "https://example.org/x"
    assert web_address("http://127.0.0.1:8/a") == "http://127.0.0.1:8/a"
    assert web_address("localhost:8080/a") == "https://localhost:8080/a"
    for bad in (
        "",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://x/y",
        "a b",
        "https://",
        "mailto:x@y",
        "https://h:port/",
        "http://[x",  # a bracketed host urllib cannot read
        "https://a]b/",
    ):
        assert web_address(bad) is None, bad


async def test_palette_opens_a_web_address_in_the_reader() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            seed = next(
                e
                for e in main.stories_pane.rowset.entries
                if e is not None and e.title == SEED_TITLE
            )
            assert seed.url
            await pilot.press("ctrl+p", *"Open a web address")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, OpenUrlScreen), what="dialog")
            await pilot.press(*"javascript:alert(1)", "enter")
            await pilot.pause(0.2)
            assert isinstance(app.screen, OpenUrlScreen)  # refused, with a hint, still open
            assert "not a web address" in screen_text(app)
            app.screen.query_one(Input).value = seed.url
            await pilot.press("enter")
            reader = main.query_one(ArticleView)
            await wait_until(
                pilot,
                lambda: reader.article is not None and reader.article.title == SEED_TITLE,
                what="the page in the reader",
            )
            assert isinstance(app.screen, MainScreen)
    finally:
        session.close()


async def test_palette_goes_offline_and_back_online() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("ctrl+p", *"Go offline")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_until(pilot, lambda: session.service.offline, what="offline")
            assert main.status.offline and "○ offline" in screen_text(app)
            main.stories.cursor = next(
                i for i, r in enumerate(main.stories_pane.rowset.rows) if r.title == SEED_TITLE
            )
            await pilot.press("enter")  # never fetched before: the cache has no copy
            await wait_until(
                pilot, lambda: "Summary only" in screen_text(app), what="the feed's summary"
            )
            assert "offline" in main.status.message.lower()
            await pilot.press("R")
            await wait_until(pilot, lambda: main.status.message == "Offline: refresh is off.")
            await pilot.press("ctrl+p", *"Go online")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: main.status.message.startswith("Refreshed"), what="the refresh"
            )
            assert not session.service.offline and "● online" in screen_text(app)
    finally:
        session.close()


async def test_search_keystrokes_reuse_the_offline_set_and_an_opened_story_is_marked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, session = sample_app()
    reads: list[int] = []
    offline_urls = session.service.offline_urls

    def counted() -> set[str]:
        reads.append(1)
        return offline_urls()

    monkeypatch.setattr(session.service, "offline_urls", counted)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            index = next(
                i for i, r in enumerate(main.stories_pane.rowset.rows) if r.title == SEED_TITLE
            )
            assert not main.stories_pane.rowset.rows[index].offline
            main.stories.cursor = index
            await pilot.press("enter")
            reader = main.query_one(ArticleView)
            await wait_until(pilot, lambda: reader.article is not None, what="the article")
            main.stories.focus()
            before = len(reads)
            await pilot.press("slash", *"nato")

            def found() -> list[StoryRow]:
                return [r for r in main.stories_pane.rowset.rows if r.kind == "story"]

            await wait_until(
                pilot,
                lambda: (
                    main.stories_pane.query_text == "nato"
                    and any(r.title == SEED_TITLE for r in found())
                ),
                what="the search",
            )
            assert len(reads) == before  # four keystrokes, no pass over the cache's keys
            assert next(r for r in found() if r.title == SEED_TITLE).offline  # just read: ↓
    finally:
        session.close()
