"""Per-feed refresh intervals: which feeds are due, when the next one is, and that a feed not yet
due gets no request at all (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.servers.loopback import LoopbackServer, Route, serve
from tui.core.cache import Cache
from tui.core.config import Config, Settings, Subscription
from tui.core.service import NewsService
from tui.core.state import State

MINUTE = 60.0


def _rss(title: str) -> bytes:
    item = f"<item><title>{title} story</title><link>/s</link><guid>{title}-1</guid></item>"
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{item}</channel></rss>'.encode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    routes = {f"/{name}.xml": Route(_rss(name), etag=f'"{name}"') for name in "abcd"}
    routes["/broken.xml"] = Route(b"gone", status=500)
    with serve(routes) as running:
        yield running


def _service(tmp_path: Path, subs: tuple[Subscription, ...], **settings: int) -> NewsService:
    config = Config(Settings(**settings), subs)
    return NewsService(config, Cache(tmp_path / "cache"), State(tmp_path / "state.db"))


@pytest.fixture
async def four(server: LoopbackServer, tmp_path: Path) -> AsyncIterator[NewsService]:
    """a: the global 30 minutes; b: its own 10; c: its own 120; d: 0, on demand only."""
    subs = (
        Subscription(server.url("/a.xml")),
        Subscription(server.url("/b.xml"), refresh_minutes=10),
        Subscription(server.url("/c.xml"), refresh_minutes=120),
        Subscription(server.url("/d.xml"), refresh_minutes=0),
    )
    service = _service(tmp_path, subs, refresh_minutes=30)
    try:
        yield service
    finally:
        await service.aclose()


def _names(subs: list[Subscription]) -> list[str]:
    return [sub.url.rsplit("/", 1)[1] for sub in subs]


async def test_never_refreshed_feeds_are_due_except_those_on_demand(four: NewsService) -> None:
    assert _names(four.due_subscriptions()) == ["a.xml", "b.xml", "c.xml"]
    assert four.next_due_in() == 0.0


async def test_each_feed_is_due_after_its_own_interval(
    four: NewsService, server: LoopbackServer
) -> None:
    await four.refresh_all(only_due=True)
    now = time.time()
    assert four.due_subscriptions(now) == []
    assert _names(four.due_subscriptions(now + 11 * MINUTE)) == ["b.xml"]
    assert _names(four.due_subscriptions(now + 31 * MINUTE)) == ["a.xml", "b.xml"]
    assert _names(four.due_subscriptions(now + 121 * MINUTE)) == ["a.xml", "b.xml", "c.xml"]
    # b, with the shortest interval, is next: in (just under) ten minutes
    wait = four.next_due_in(now)
    assert wait is not None and 9 * MINUTE < wait <= 10 * MINUTE
    assert four.next_due_in(now + 11 * MINUTE) == 0.0
    assert server.hits("/d.xml") == 0  # 0 minutes: never on a schedule


async def test_a_feed_not_yet_due_gets_no_request(
    four: NewsService, server: LoopbackServer
) -> None:
    first = await four.refresh_all(only_due=True)
    assert len(first.statuses) == 3 and first.not_due == 1 and not first.failures
    hits = {path: server.hits(path) for path in ("/a.xml", "/b.xml", "/c.xml", "/d.xml")}
    assert hits == {"/a.xml": 1, "/b.xml": 1, "/c.xml": 1, "/d.xml": 0}

    again = await four.refresh_all(only_due=True, keep_feeds=False)
    assert again.statuses == () and again.not_due == 4
    assert server.hits() == 3  # not one more request, conditional or not

    everything = await four.refresh_all(keep_feeds=False)  # on demand: every feed, 0 included
    assert len(everything.statuses) == 4 and everything.not_due == 0
    assert server.hits("/d.xml") == 1 and server.hits() == 7


async def test_refreshing_one_feed_on_demand_counts_for_its_schedule(
    four: NewsService, server: LoopbackServer
) -> None:
    a = four.subscriptions[0]
    status = await four.refresh_feed(a)
    assert status.error is None
    assert _names(four.due_subscriptions()) == ["b.xml", "c.xml"]


async def test_a_failing_feed_waits_its_interval_like_any_other(
    server: LoopbackServer, tmp_path: Path
) -> None:
    broken = Subscription(server.url("/broken.xml"))
    service = _service(tmp_path, (broken,), refresh_minutes=15)
    try:
        report = await service.refresh_all(only_due=True)
        assert len(report.failures) == 1
        assert service.due_subscriptions() == []  # a failing server is not asked more often
        assert service.due_subscriptions(time.time() + 16 * MINUTE) == [broken]
        await service.refresh_all(only_due=True)
    finally:
        await service.aclose()
    assert server.hits("/broken.xml") == 1


async def test_a_feed_whose_stored_copy_is_gone_is_due_again(
    four: NewsService, server: LoopbackServer
) -> None:
    await four.refresh_all(only_due=True)
    c = four.subscriptions[2]
    four.cache.delete("feed", c.url)  # as an eviction would
    assert _names(four.due_subscriptions()) == ["c.xml"]
    await four.refresh_all(only_due=True)
    assert four.cached_feed(c.url) is not None
    assert four.due_subscriptions() == []


async def test_a_cleared_cache_makes_every_scheduled_feed_due(four: NewsService) -> None:
    await four.refresh_all(only_due=True)
    assert four.due_subscriptions() == []
    four.clear_cache()
    assert _names(four.due_subscriptions()) == ["a.xml", "b.xml", "c.xml"]


async def test_the_schedule_outlives_the_process(server: LoopbackServer, tmp_path: Path) -> None:
    """Another service on the same cache (the next `broadsheet refresh`) sees the same times."""
    subs = (Subscription(server.url("/a.xml")), Subscription(server.url("/b.xml")))
    first = _service(tmp_path, subs)
    try:
        await first.refresh_all(only_due=True)
    finally:
        await first.aclose()
        first.cache.close()
        first.state.close()
    second = _service(tmp_path, subs)
    try:
        report = await second.refresh_all(only_due=True)
    finally:
        await second.aclose()
    assert report.not_due == 2 and server.hits() == 2


async def test_offline_nothing_is_asked_and_nothing_remembered(
    server: LoopbackServer, tmp_path: Path
) -> None:
    subs = (Subscription(server.url("/a.xml")),)
    service = _service(tmp_path, subs)
    service.set_offline(True)
    try:
        report = await service.refresh_all(only_due=True)
        assert len(report.failures) == 1  # "offline": no copy in the cache
        assert service.due_subscriptions() == list(subs)  # still due once back online
    finally:
        await service.aclose()
    assert server.hits() == 0


async def test_no_schedule_at_all_when_every_interval_is_zero(
    server: LoopbackServer, tmp_path: Path
) -> None:
    subs = (Subscription(server.url("/a.xml")), Subscription(server.url("/b.xml")))
    service = _service(tmp_path, subs, refresh_minutes=0)
    try:
        assert service.due_subscriptions() == []
        assert service.next_due_in() is None
        assert _service(tmp_path / "none", ()).next_due_in() is None
    finally:
        await service.aclose()
