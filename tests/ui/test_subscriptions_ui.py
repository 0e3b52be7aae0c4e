"""Adding a feed from a site's address (discovery), the feeds view, removal — and the CLI side."""

from __future__ import annotations

import subprocess
import sys

from tests.servers.loopback import Route, serve
from tui.core import paths
from tui.core.config import load_config
from tui.core.session import open_session
from tui.ui.app import BroadsheetApp
from tui.ui.screens.feeds import AddFeedScreen, FeedsScreen
from tui.ui.screens.main import MainScreen

from .helpers import screen_text, wait_until

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Times</title><link>/</link>
<item><title>Harbour reopens</title><link>/a.html</link><guid>a</guid><pubDate>Tue, 20 May 2025 13:29:00 +0000</pubDate></item>
</channel></rss>"""
PAGE = b"""<html><head><title>Site</title>
<link rel="alternate" type="application/rss+xml" title="Loopback Times" href="/feed.xml"></head><body>hi</body></html>"""


def _routes() -> dict[str, Route]:
    return {
        "/": Route(body=PAGE, content_type="text/html; charset=utf-8"),
        "/feed.xml": Route(body=FEED, content_type="application/rss+xml"),
        "/broken.xml": Route(body=b"<html>not a feed</html>", content_type="application/rss+xml"),
    }


def _write_config(text: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


async def test_add_a_site_then_see_its_stories_then_remove_it() -> None:
    with serve(_routes()) as server:
        _write_config("[settings]\nsample_edition = false\n")
        session = open_session()
        app = BroadsheetApp(session)
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                await wait_until(
                    pilot, lambda: isinstance(app.screen, MainScreen), what="main screen"
                )
                main = app.screen
                assert isinstance(main, MainScreen)
                await pilot.press("a")
                await wait_until(
                    pilot, lambda: isinstance(app.screen, AddFeedScreen), what="the dialog"
                )
                await pilot.press(*server.url("/"))
                await pilot.press("enter")
                await wait_until(
                    pilot, lambda: "1 feed(s) found" in screen_text(app), what="discovery"
                )
                await pilot.press("enter")
                await wait_until(
                    pilot,
                    lambda: any(
                        r.title == "Harbour reopens" for r in main.stories_pane.rowset.rows
                    ),
                    what="stories",
                )
                config, errors = load_config(paths.config_file())
                assert errors == [] and [f.url for f in config.feeds] == [server.url("/feed.xml")]
                await pilot.press("F")
                await wait_until(
                    pilot, lambda: isinstance(app.screen, FeedsScreen), what="the feeds view"
                )
                assert "Loopback Times" in screen_text(app) and "1 stories cached" in screen_text(
                    app
                )
                await pilot.press("x")
                await wait_until(pilot, lambda: not main.stories_pane.statuses, what="removal")
                assert load_config(paths.config_file())[0].feeds == ()
        finally:
            session.close()


async def test_a_failing_feed_shows_its_error_in_the_feeds_view() -> None:
    with serve(_routes()) as server:
        _write_config(
            f'[settings]\nsample_edition = false\n\n[[feeds]]\nurl = "{server.url("/broken.xml")}"\n'
        )
        session = open_session()
        app = BroadsheetApp(session)
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                await wait_until(
                    pilot, lambda: isinstance(app.screen, MainScreen), what="main screen"
                )
                main = app.screen
                assert isinstance(main, MainScreen)
                await wait_until(pilot, lambda: "failed" in main.status.message, what="the refresh")
                await pilot.press("F")
                await wait_until(
                    pilot, lambda: isinstance(app.screen, FeedsScreen), what="the feeds view"
                )
                text = screen_text(app)
                assert "⚠ failed" in text and "not a feed" in text
        finally:
            session.close()


def test_cli_add_discovers_list_export_import_remove(tmp_path) -> None:  # type: ignore[no-untyped-def]
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60
        )

    with serve(_routes()) as server:
        _write_config("[settings]\nsample_edition = false\n")
        added = run("add", server.url("/"), "--folder", "Local")
        assert added.returncode == 0, added.stderr
        assert f"Subscribed to {server.url('/feed.xml')} (Loopback Times)" in added.stdout
        assert server.url("/feed.xml") in run("list").stdout
        exported = run("export")
        assert (
            '<outline text="Local"' in exported.stdout
            and server.url("/feed.xml") in exported.stdout
        )
        assert run("remove", server.url("/feed.xml")).returncode == 0
        assert server.url("/feed.xml") not in run("list").stdout
        opml = tmp_path / "subs.opml"
        opml.write_text(exported.stdout)
        imported = run("import", str(opml))
        assert "Imported 1 new feeds" in imported.stdout
        config = load_config(paths.config_file())[0]
        assert [(f.url, f.folder) for f in config.feeds] == [(server.url("/feed.xml"), "Local")]
        nothing = run("add", server.url("/broken.xml"))
        assert nothing.returncode == 1 and nothing.stderr.count("\n") == 1
