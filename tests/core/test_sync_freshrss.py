"""Sync against a real FreshRSS on 127.0.0.1 (skipped without ../shared or PHP; fails in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.sync_helpers import MemoryLocal
from tests.servers.freshrss import FreshRSS, freshrss_fixture, loop_feeds_fixture  # noqa: F401
from tui.core.sync.engine import sync
from tui.core.sync.errors import SyncAuthError, SyncError
from tui.core.sync.greader import GReaderClient
from tui.core.sync.queue import SyncStore

pytestmark = pytest.mark.timeout(300)


async def _subscribed_and_synced(
    loop_feeds: FreshRSS, url: str, tmp_path: Path
) -> tuple[SyncStore, MemoryLocal]:
    """The feed at `url` subscribed on the server, fetched by it, and synced here once."""
    async with loop_feeds.client() as client:
        await client.subscribe(url)
    loop_feeds.refresh()
    store = SyncStore(tmp_path / "state.sqlite")
    local = local_for(url)
    async with loop_feeds.client() as client:
        await sync(client, store, local)
    return store, local


async def test_login_and_a_wrong_password(loop_feeds: FreshRSS) -> None:
    async with loop_feeds.client() as client:
        await client.login()
        assert client.logged_in
        assert await client.subscriptions() == []
    async with GReaderClient(loop_feeds.api, loop_feeds.user, "wrong-password-42") as client:
        with pytest.raises(SyncAuthError) as caught:
            await client.subscriptions()
    assert "wrong-password-42" not in str(caught.value)
    assert "refused" in str(caught.value)


async def test_subscriptions_added_and_removed_with_folders(loop_feeds: FreshRSS) -> None:
    a, b = loop_feeds.new_feed(2), loop_feeds.new_feed(1)
    async with loop_feeds.client() as client:
        await client.subscribe(a.url, title="Feed A", folder="Tech")
        stream = await client.quickadd(b.url)
        subs = {s.url: s for s in await client.subscriptions()}
        assert set(subs) == {a.url, b.url}
        assert subs[a.url].folders == ("Tech",)
        assert subs[b.url].id == stream
        await client.unsubscribe(a.url)
        assert [s.url for s in await client.subscriptions()] == [b.url]


def local_for(feed_url: str) -> MemoryLocal:
    return MemoryLocal(feed=feed_url)


async def test_first_incremental_and_unchanged_sync(loop_feeds: FreshRSS, tmp_path: Path) -> None:
    feed = loop_feeds.new_feed(5)
    async with loop_feeds.client() as client:
        await client.subscribe(feed.url, folder="News")
    loop_feeds.refresh()
    store = SyncStore(tmp_path / "state.sqlite")
    local = local_for(feed.url)
    async with loop_feeds.client() as client:
        first = await sync(client, store, local, account="a")
    assert (first.feeds, first.new_stories, first.marks_sent, first.marks_received) == (1, 5, 0, 0)
    assert {key[1] for key in local.stories} == {link for _, link in feed.stories}
    assert local.feeds[feed.url].folders == ("News",)
    assert all(entry.title.startswith("Story ") for entry in local.stories.values())

    new_links = feed.add(3, prefix="Later")
    loop_feeds.refresh()
    async with loop_feeds.client() as client:
        second = await sync(client, store, local, account="a")
    assert second.new_stories == 3
    assert set(new_links) <= {key[1] for key in local.stories}
    calls = {}
    async with loop_feeds.client() as client:
        third = await sync(client, store, local, account="a")
        calls["requests"] = client.requests
    assert (third.new_stories, third.marks_sent, third.marks_received) == (0, 0, 0)
    assert calls["requests"] == 5  # login, subscriptions, recent ids, unread ids, starred ids


async def test_marks_and_stars_both_ways(loop_feeds: FreshRSS, tmp_path: Path) -> None:
    feed = loop_feeds.new_feed(6)
    store, local = await _subscribed_and_synced(loop_feeds, feed.url, tmp_path)
    links = [link for _, link in feed.stories]
    ids = {key[1]: store.item_for(key) for key in local.stories}

    # Here: read 0 and 1, star 2.
    store.record([local.key(links[0]), local.key(links[1])], "read", True)
    store.record([local.key(links[2])], "star", True)
    local.read.update({local.key(links[0]), local.key(links[1])})
    local.starred.add(local.key(links[2]))
    # On "the phone" (another client of the same account): read 3, star 4.
    async with loop_feeds.client() as phone:
        await phone.set_read([ids[links[3]]])  # type: ignore[list-item]
        await phone.set_starred([ids[links[4]]])  # type: ignore[list-item]
    async with loop_feeds.client() as client:
        summary = await sync(client, store, local)
    assert (summary.marks_sent, summary.marks_received) == (3, 2)
    assert local.key(links[3]) in local.read and local.key(links[4]) in local.starred
    async with loop_feeds.client() as phone:
        unread = await phone.unread_ids()
        starred = await phone.starred_ids()
    assert ids[links[0]] not in unread and ids[links[1]] not in unread
    assert ids[links[5]] in unread
    assert starred == {ids[links[2]], ids[links[4]]}

    # And back: unstar 2 here, unread 3 on the phone.
    store.record([local.key(links[2])], "star", False)
    local.starred.discard(local.key(links[2]))
    async with loop_feeds.client() as phone:
        await phone.set_read([ids[links[3]]], False)  # type: ignore[list-item]
    async with loop_feeds.client() as client:
        summary = await sync(client, store, local)
    assert (summary.marks_sent, summary.marks_received) == (1, 1)
    assert local.key(links[3]) not in local.read
    async with loop_feeds.client() as phone:
        assert await phone.starred_ids() == {ids[links[4]]}
    assert store.pending_count() == 0


async def test_offline_queue_is_replayed_when_the_server_is_back(
    loop_feeds: FreshRSS, tmp_path: Path
) -> None:
    feed = loop_feeds.new_feed(3)
    store, local = await _subscribed_and_synced(loop_feeds, feed.url, tmp_path)
    links = [link for _, link in feed.stories]
    loop_feeds.stop()
    try:
        store.record([local.key(links[0])], "read", True)
        store.record([local.key(links[1])], "star", True)
        async with loop_feeds.client(connect_timeout=2) as client:
            with pytest.raises(SyncError, match="cannot connect"):
                await sync(client, store, local)
        assert store.pending_count() == 2
    finally:
        loop_feeds.restart()
    async with loop_feeds.client() as client:
        summary = await sync(client, store, local)
        unread = await client.unread_ids()
        starred = await client.starred_ids()
    assert summary.marks_sent == 2 and store.pending_count() == 0
    assert store.item_for(local.key(links[0])) not in unread
    assert starred == {store.item_for(local.key(links[1]))}
