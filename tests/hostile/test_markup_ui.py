"""Markup in feeds, pages, URLs and config keys is shown literally everywhere in the app.

`[bold]`, `[link=…]`, `[@click=app.quit]` and `[/]` arrive in titles, bodies, link texts, episode
names, a failing feed's URL and a config key; each must appear as typed in the story list, the
reader, the podcast sidebar, the status bar and the notifications — and the app keeps running.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widget import Widget

from tests.servers.loopback import LoopbackServer, Route, serve
from tests.ui.helpers import main_screen, wait_until
from tui.core.session import open_session
from tui.ui.app import BroadsheetApp
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.podcast_sidebar import PodcastSidebar
from tui.ui.widgets.status_bar import StatusBar
from tui.ui.widgets.story_list import StoryList

from .fixtures import article_page, forbidden_in, json_feed, write_config

LITERAL = "[bold]B[/bold]"
CLICK = "[@click=app.quit]Q[/]"
FAIL_PATH = "/[bold]fail[/bold]"


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    with serve() as server:
        mp3 = server.url("/ep.mp3")
        server.route(
            "/feed.json",
            Route(
                json_feed("Evil feed", [("Story one", server.url("/a/1"))], attachments=[mp3]),
                content_type="application/feed+json",
            ),
        )
        page = article_page(
            "Evil article", "Bodytext", links={"Next": server.url("/a/2")}, audio=[mp3]
        )
        server.route("/a/1", Route(page, content_type="text/html; charset=utf-8"))
        server.route("/ep.mp3", Route(b"\xff\xfb\x90\x00" * 64, content_type="audio/mpeg"))
        yield server


def region_text(app: App[Any], widget: Widget) -> str:
    """The part of the composited screen that `widget` covers, as plain text lines."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    x, y, width, height = widget.region
    return "\n".join(line[x : x + width] for line in lines[y : y + height])


async def test_markup_is_shown_literally_everywhere(
    site: LoopbackServer, isolated_dirs: dict[str, Path]
) -> None:
    failing = site.url(FAIL_PATH)
    config = write_config(isolated_dirs["config"], [site.url("/feed.json"), failing])
    # an unknown setting whose name is markup: the config error becomes a notification
    config.write_text(
        config.read_text().replace("[settings]\n", f'[settings]\n"{CLICK}" = 1\n'), "utf-8"
    )
    session = open_session(config_path=config)
    assert session.config_errors, "the bad key should be reported"
    app = BroadsheetApp(session)
    try:
        async with app.run_test(size=(220, 50)) as pilot:
            main = await main_screen(app, pilot)
            await wait_until(
                pilot,
                lambda: any(
                    e is not None and "Story one" in e.title
                    for e in main.stories_pane.rowset.entries
                ),
                what="the hostile story",
            )
            # notification from the config error, quoting the key literally
            await pilot.pause(0.2)
            shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            assert CLICK in shown, shown

            stories = main.query_one(StoryList)
            assert LITERAL in region_text(app, stories)

            status = main.query_one(StatusBar)
            await wait_until(pilot, lambda: "failed" in status.message, what="the refresh failure")
            status_text = region_text(app, status)
            assert "/[bold]fail" in status_text, status_text

            index = next(
                i
                for i, e in enumerate(main.stories_pane.rowset.entries)
                if e is not None and "Story one" in e.title
            )
            await pilot.press("g")
            for _ in range(20):
                if stories.cursor == index:
                    break
                await pilot.press("j")
            await pilot.press("enter")
            reader = main.query_one(ArticleView)
            await wait_until(pilot, lambda: reader.article is not None, what="the article")
            await pilot.pause(0.3)
            reader_text = region_text(app, reader)
            assert LITERAL in reader_text and CLICK in reader_text, reader_text

            sidebar = main.query_one(PodcastSidebar)
            await wait_until(pilot, lambda: bool(sidebar.episodes), what="episodes in the sidebar")
            await pilot.pause(0.2)
            if sidebar.region.width == 0:
                await pilot.press("P")  # the sidebar may start hidden
                await pilot.pause(0.2)
            sidebar_text = region_text(app, sidebar)
            assert "[bold]" in sidebar_text, sidebar_text

            everything = "\n".join(s.text for s in app.screen._compositor.render_strips())
            assert forbidden_in(everything.replace("\n", "")) == []
            assert app.is_running  # no [@click=app.quit] was ever acted on
    finally:
        session.close()
