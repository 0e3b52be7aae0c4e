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


def _content_feed(items: range) -> bytes:
    body = "".join(
        f"<item><title>Story {n}</title><link>/s{n}</link><guid>g{n}</guid>"
        f"<pubDate>Tue, {n:02d} May 2025 10:00:00 +0000</pubDate>"
        f"<description>Summary {n}</description>"
        f"<content:encoded><![CDATA[<p>Full text {n}</p>]]></content:encoded></item>"
        for n in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>T</title>{body}</channel></rss>"
    ).encode()


async def test_starred_entries_outlive_the_cap_across_refreshes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with serve({"/f.xml": Route(_feed(range(1, 4)), etag='"v1"')}) as server:
        sub = Subscription(server.url("/f.xml"))
        config = Config(Settings(max_entries_per_feed=3), (sub,))
        service = NewsService(config, Cache(tmp_path / "c"), State(tmp_path / "s.db"))
        try:
            first = (await service.refresh_all()).statuses[0].feed
            assert first is not None
            oldest = next(e for e in first.entries if e.title == "Story 1")
            service.set_starred(oldest, True)
            server.route("/f.xml", Route(_feed(range(4, 8)), etag='"v2"'))
            again = await service.refresh_all(keep_feeds=False)
            assert again.new_entries == 3 and again.statuses[0].feed is None  # 4 is over the cap
            stored = await service.refresh_all()  # a 304 now: the stored copy, as the app sees it
        finally:
            await service.aclose()
    feed = stored.statuses[0].feed
    assert feed is not None
    # the three newest, then the starred one the cap would have dropped; stories 2 and 3 gone
    assert [e.title for e in feed.entries] == ["Story 7", "Story 6", "Story 5", "Story 1"]
    assert all(e.feed_url == sub.url for e in feed.entries)


async def test_feed_content_is_stored_only_where_the_reader_shows_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    routes = {
        "/full.xml": Route(_content_feed(range(1, 3))),
        "/own.xml": Route(_content_feed(range(1, 3))),
    }
    with serve(routes) as server:
        fetched = Subscription(server.url("/full.xml"))  # the article page is fetched: no copy
        own = Subscription(server.url("/own.xml"), fetch_full=False)  # the feed's text is read
        config = Config(Settings(), (fetched, own))
        service = NewsService(config, Cache(tmp_path / "c"), State(tmp_path / "s.db"))
        try:
            report = await service.refresh_all()
        finally:
            await service.aclose()
    by_url = {s.subscription.url: s.feed for s in report.statuses}
    full, kept = by_url[fetched.url], by_url[own.url]
    assert full is not None and kept is not None
    assert [e.content_html for e in full.entries] == [None, None]
    assert [e.summary for e in full.entries] == ["Summary 2", "Summary 1"]
    assert [e.content_html for e in kept.entries] == ["<p>Full text 2</p>", "<p>Full text 1</p>"]
    assert service.cached_feed(own.url) == kept and service.cached_feed(fetched.url) == full


async def test_an_unreadable_stored_entry_is_dropped_and_the_refresh_goes_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with serve({"/f.xml": Route(_feed(range(1, 3)))}) as server:
        sub = Subscription(server.url("/f.xml"))
        cache = Cache(tmp_path / "c")
        good = {"id": "g0", "feed_url": sub.url, "title": "Story 0", "published": "2025-05-01"}
        cache.set_json(
            "feed", sub.url, {"url": sub.url, "title": "T", "entries": [good, {"id": 7}, "x"]}
        )
        service = NewsService(Config(Settings(), (sub,)), cache, State(tmp_path / "s.db"))
        try:
            report = await service.refresh_all()
        finally:
            await service.aclose()
    feed = report.statuses[0].feed
    assert not report.failures and feed is not None
    assert [e.title for e in feed.entries] == ["Story 2", "Story 1", "Story 0"]
    assert report.new_entries == 2
