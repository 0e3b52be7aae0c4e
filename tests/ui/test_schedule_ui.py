"""The app's timer refreshes only the feeds whose interval has passed, and keeps the others."""

from __future__ import annotations

from tests.servers.loopback import Route, serve
from tui.core import paths
from tui.core.session import open_session
from tui.ui.app import BroadsheetApp

from .helpers import main_screen, wait_until


def _feed(title: str, story: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>/</link>'
        f"<item><title>{story}</title><link>/{story}.html</link><guid>{story}</guid>"
        "<pubDate>Tue, 20 May 2025 13:29:00 +0000</pubDate></item></channel></rss>"
    ).encode()


async def test_the_timer_refreshes_the_due_feeds_only_and_keeps_the_others() -> None:
    routes = {
        "/hourly.xml": Route(body=_feed("Hourly", "slow"), content_type="application/rss+xml"),
        "/often.xml": Route(body=_feed("Often", "fast"), content_type="application/rss+xml"),
    }
    with serve(routes) as server:
        hourly, often = server.url("/hourly.xml"), server.url("/often.xml")
        path = paths.config_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "[settings]\nsample_edition = false\n\n"
            f'[[feeds]]\nurl = "{hourly}"\nrefresh_minutes = 60\n\n'
            f'[[feeds]]\nurl = "{often}"\nrefresh_minutes = 5\n'
        )
        session = open_session()
        app = BroadsheetApp(session)
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                main = await main_screen(app, pilot)
                await wait_until(
                    pilot, lambda: main.status.message == "Refreshed 2 feeds.", what="start-up"
                )
                assert (server.hits("/hourly.xml"), server.hits("/often.xml")) == (1, 1)

                main._scheduled_refresh()  # nothing is due a moment after the start-up refresh
                await pilot.pause(0.5)
                assert (server.hits("/hourly.xml"), server.hits("/often.xml")) == (1, 1)

                # Five minutes on for the "often" feed: its record of the last request goes.
                session.service.cache.delete("refreshed", often)
                main._scheduled_refresh()
                await wait_until(pilot, lambda: server.hits("/often.xml") == 2, what="often")
                await wait_until(
                    pilot, lambda: main.status.message == "Refreshed 1 feeds.", what="the report"
                )
                assert server.hits("/hourly.xml") == 1
                titles = {row.title for row in main.stories_pane.rowset.rows}
                assert {"slow", "fast"} <= titles  # the feed not refreshed keeps its stories
                assert [s.subscription.url for s in main.stories_pane.statuses] == [hourly, often]
        finally:
            session.close()
