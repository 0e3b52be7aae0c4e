"""Refresh through the façade: conditional GET, merging, counts, the CLI's light mode."""

from __future__ import annotations

from tests.servers.loopback import Route, serve
from tui.core.cache import Cache
from tui.core.config import Config, Settings, Subscription
from tui.core.service import NewsService
from tui.core.state import State


def _feed(items: range) -> bytes:
    body = "".join(
        f"<item><title>Story {n}</title><link>/s{n}</link><guid>g{n}</guid>"
        f"<pubDate>Tue, {n:02d} May 2025 10:00:00 +0000</pubDate></item>"
        for n in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


async def test_unchanged_feed_is_a_304_and_new_items_merge(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with serve(
        {"/f.xml": Route(_feed(range(1, 4)), content_type="application/rss+xml", etag='"v1"')}
    ) as server:
        sub = Subscription(server.url("/f.xml"))
        config = Config(Settings(max_entries_per_feed=4), (sub,))
        service = NewsService(config, Cache(tmp_path / "c"), State(tmp_path / "s.db"))
        try:
            first = await service.refresh_all()
            assert first.new_entries == 3 and first.statuses[0].feed is not None

            again = await service.refresh_all(keep_feeds=False)
            assert again.new_entries == 0 and again.statuses[0].feed is None and not again.failures
            seen = [r for r in server.requests if r.path == "/f.xml"]
            assert seen[-1].headers.get("if-none-match") == '"v1"'

            server.route(
                "/f.xml", Route(_feed(range(3, 7)), content_type="application/rss+xml", etag='"v2"')
            )
            third = await service.refresh_all()
            feed = third.statuses[0].feed
            assert (
                feed is not None and third.new_entries == 3
            )  # stories 4, 5, 6; the list capped at 4
            assert [e.title for e in feed.entries] == ["Story 6", "Story 5", "Story 4", "Story 3"]
        finally:
            await service.aclose()
