"""Sync in the app: at start (after the cached stories are shown) and on R; the synced stories
in the list, the summary and "Synced just now" in the status bar; a failed sync said plainly."""

from __future__ import annotations

import pytest

from tests.servers.greader import PASSWORD, fake_greader
from tests.servers.loopback import Route, serve
from tui.core import paths
from tui.core.session import open_session
from tui.ui.app import BroadsheetApp

from .helpers import main_screen, screen_text, wait_until

FEED = "http://feeds.test/a.xml"


def _config(base: str, feeds: list[str] = []) -> None:  # noqa: B006 (never changed)
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[settings]\nsample_edition = false\n\n"
        + "".join(f'[[feeds]]\nurl = "{url}"\n\n' for url in feeds)
        + f'[sync]\nurl = "{base}"\nuser = "alice"\npassword_command = ["false"]\n'
    )


async def test_the_app_syncs_at_start_and_on_R(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROADSHEET_SYNC_PASSWORD", PASSWORD)
    with fake_greader() as server:
        stream = server.add_feed(FEED, "Feed A", folder="News")
        server.add_item(stream, "First story", "https://a.test/1")
        _config(server.base)
        session = open_session()
        app = BroadsheetApp(session)
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                main = await main_screen(app, pilot)
                await wait_until(
                    pilot,
                    lambda: any(r.title == "First story" for r in main.stories_pane.rowset.rows),
                    what="the synced story",
                )
                await wait_until(
                    pilot, lambda: main.status.sync == "Synced just now", what="the sync status"
                )
                assert "Synced just now" in screen_text(app)
                assert main.status.message.startswith("Synced 1 feed: 1 new story")

                server.add_item(stream, "Second story", "https://a.test/2")
                await pilot.press("R")
                await wait_until(
                    pilot,
                    lambda: any(r.title == "Second story" for r in main.stories_pane.rowset.rows),
                    what="the story synced on R",
                )
        finally:
            session.close()


async def test_a_failed_sync_is_said_plainly_without_the_password_and_stays_in_view(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The feed answers after the sync has failed: the refresh's summary follows the failure
    # in the status bar instead of hiding it.
    monkeypatch.setenv("BROADSHEET_SYNC_PASSWORD", "not-the-password-s3cr3t")
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Times</title>
<item><title>Late story</title><link>/a.html</link><guid>a</guid></item></channel></rss>"""
    route = Route(body=feed, content_type="application/rss+xml", delay=1.0)
    with fake_greader() as server, serve({"/feed.xml": route}) as site:
        _config(server.base, feeds=[site.url("/feed.xml")])
        session = open_session()
        app = BroadsheetApp(session)
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                main = await main_screen(app, pilot)
                await wait_until(
                    pilot, lambda: main.status.message.startswith("Sync failed"), what="failure"
                )
                assert "s3cr3t" not in screen_text(app)
                assert main.status.sync == "Not synced yet"
                assert "Refreshed" not in main.status.message
                await wait_until(
                    pilot, lambda: "Refreshed 1 feeds." in main.status.message, what="refresh"
                )
                assert main.status.message.startswith("Sync failed")
                assert "Sync failed" in screen_text(app)
                assert "s3cr3t" not in screen_text(app)
                assert not main.status.progress
        finally:
            session.close()
