"""One sync against the loopback fake: pulls, pushes, incremental windows and the conflict rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.sync_helpers import FEED, MemoryLocal
from tests.servers.greader import PASSWORD, FakeGReader, FakeHandler, fake_greader
from tui.core.sync.engine import OVERLAP_SECONDS, decide, sync
from tui.core.sync.errors import SyncError
from tui.core.sync.greader import GReaderClient
from tui.core.sync.queue import Mark, SyncStore


@pytest.fixture
def server() -> Iterator[FakeGReader]:
    with fake_greader() as fake:
        yield fake


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SyncStore]:
    store = SyncStore(tmp_path / "state.sqlite")
    yield store
    store.close()


async def run(server: FakeGReader, store: SyncStore, local: MemoryLocal, **options: object):  # type: ignore[no-untyped-def]
    async with GReaderClient(server.base, "alice", PASSWORD, page_size=50) as client:
        return await sync(client, store, local, **options)  # type: ignore[arg-type]


def by_url(server: FakeGReader, url: str):  # type: ignore[no-untyped-def]
    return next(i for i in server.items.values() if i.url == url)


async def test_first_then_incremental_then_unchanged(server: FakeGReader, store: SyncStore) -> None:
    stream = server.add_feed(FEED, "A", folder="News")
    for n in range(120):
        server.add_item(stream, f"T{n}", f"https://a.test/{n}", read=n < 100, starred=n == 3)
    local = MemoryLocal()
    first = await run(server, store, local)
    assert (first.feeds, first.new_stories, first.marks_sent, first.first) == (1, 120, 0, True)
    assert first.marks_received == 101  # 100 read + 1 star applied here
    assert local.feeds[FEED].folders == ("News",)
    assert len(local.stories) == 120 and local.stored_batches == 3  # a batch per page of 50
    assert local.key("https://a.test/5") in local.read
    assert local.key("https://a.test/105") not in local.read
    assert local.starred == {local.key("https://a.test/3")}
    assert first.line() == "Synced 1 feed: 120 new stories, 0 marks sent, 101 received."

    server.add_item(stream, "New", "https://a.test/new")
    second = await run(server, store, local)
    assert (second.new_stories, second.marks_sent, second.marks_received) == (1, 0, 0)
    assert not second.first
    assert (
        len(server.calls("reader/api/0/stream/contents/user/-/state/com.google/reading-list")) == 3
    )
    since = server.calls("reader/api/0/stream/items/ids")[-3]  # then unread, then starred
    newest_before = max(i.crawl_ms for i in server.items.values() if i.title != "New")
    assert since.query["ot"] == [str(newest_before // 1000 - OVERLAP_SECONDS)]
    fetched = server.calls("reader/api/0/stream/items/contents")
    assert len(fetched) == 1 and len(fetched[0].form["i"]) == 1  # only the new one's contents

    before = len(server.seen)
    third = await run(server, store, local)
    assert (third.new_stories, third.marks_sent, third.marks_received) == (0, 0, 0)
    paths = [s.path for s in server.seen[before:]]
    assert "reader/api/0/edit-tag" not in paths
    assert third.requests == len(paths) == 5  # login, list, recent ids, unread ids, starred ids


async def test_marks_both_ways(server: FakeGReader, store: SyncStore) -> None:
    stream = server.add_feed(FEED)
    items = [server.add_item(stream, f"T{n}", f"https://a.test/{n}") for n in range(4)]
    local = MemoryLocal()
    await run(server, store, local)
    # Here: read 0, star 1. On the phone: read 2, star 3.
    store.record([local.key("https://a.test/0")], "read", True)
    store.record([local.key("https://a.test/1")], "star", True)
    local.read.add(local.key("https://a.test/0"))
    local.starred.add(local.key("https://a.test/1"))
    items[2].read = True
    items[3].starred = True
    summary = await run(server, store, local)
    assert (summary.marks_sent, summary.marks_received) == (2, 2)
    assert items[0].read and items[1].starred
    assert local.key("https://a.test/2") in local.read
    assert local.key("https://a.test/3") in local.starred
    assert store.pending_count() == 0
    # And back: unread and unstar, both ways.
    store.record([local.key("https://a.test/0")], "read", False)
    local.read.discard(local.key("https://a.test/0"))
    items[3].starred = False
    summary = await run(server, store, local)
    assert (summary.marks_sent, summary.marks_received) == (1, 1)
    assert not items[0].read and local.starred == {local.key("https://a.test/1")}


def mark(value: bool, at: float) -> Mark:
    return Mark(1, FEED, "x", "read", value, at)


@pytest.mark.parametrize(
    ("base", "server", "local", "queued", "expected", "case"),
    [
        (False, False, True, mark(True, 50), True, "only here: the mark is sent"),
        (False, True, True, mark(True, 50), True, "both sides already agree"),
        (False, True, False, mark(False, 150), False, "server changed, mark after last look: mark"),
        (
            False,
            True,
            False,
            mark(False, 50),
            True,
            "server changed, mark before last look: server",
        ),
        (False, True, False, None, True, "only the server changed: applied here"),
        (False, False, True, None, True, "changed here without a queued mark: sent"),
        (True, True, True, None, True, "nothing changed"),
        (None, False, True, None, True, "first sight: read if either side read it"),
        (None, False, False, None, False, "first sight, unread on both"),
        (None, True, False, mark(False, 1), False, "first sight with a queued mark: the mark"),
    ],
)
def test_who_wins(base, server, local, queued, expected, case) -> None:  # type: ignore[no-untyped-def]
    assert decide(base, server, local, queued, previous=100.0) is expected, case


async def test_the_later_change_wins_in_a_real_conflict(
    server: FakeGReader, store: SyncStore
) -> None:
    stream = server.add_feed(FEED)
    items = [server.add_item(stream, f"T{n}", f"https://a.test/{n}") for n in range(2)]
    local = MemoryLocal()
    times = iter([1000.0, 1001.0, 2000.0, 2001.0])
    await run(server, store, local, clock=lambda: next(times))  # looked at the server at 1000
    # Both stories: read on the phone after 1000, and marked unread here.
    items[0].read = items[1].read = True
    store.record([local.key("https://a.test/0")], "read", False, at=1500.0)  # after: wins
    store.record([local.key("https://a.test/1")], "read", False, at=900.0)  # before: loses
    summary = await run(server, store, local, clock=lambda: next(times))
    assert not items[0].read  # our later unread went to the server
    assert items[1].read and local.key("https://a.test/1") in local.read
    assert (summary.marks_sent, summary.marks_received) == (1, 1)
    assert store.pending_count() == 0


async def test_offline_marks_wait_and_go_when_the_server_is_back(tmp_path: Path) -> None:
    store = SyncStore(tmp_path / "state.sqlite")
    local = MemoryLocal()
    with fake_greader() as server:
        stream = server.add_feed(FEED)
        item = server.add_item(stream, "T", "https://a.test/1")
        await run(server, store, local)
        base = server.base
        state = server.items
    store.record([local.key("https://a.test/1")], "read", True)
    store.record([local.key("https://a.test/1")], "star", True)
    async with GReaderClient(base, "alice", PASSWORD, connect_timeout=2) as client:
        with pytest.raises(SyncError, match="cannot connect"):
            await sync(client, store, local)
    assert store.pending_count() == 2  # the failed sync kept them
    with fake_greader() as server:  # back (elsewhere), with the same data
        server.feeds[stream] = {"id": stream, "title": "A", "url": FEED, "categories": []}
        server.items = state
        summary = await run(server, store, local)
    assert summary.marks_sent == 2 and item.read and item.starred
    assert store.pending_count() == 0


async def test_a_crash_after_sending_resends_without_flipping(
    server: FakeGReader, store: SyncStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = server.add_feed(FEED)
    item = server.add_item(stream, "T", "https://a.test/1")
    local = MemoryLocal()
    await run(server, store, local)
    store.record([local.key("https://a.test/1")], "read", True)
    local.read.add(local.key("https://a.test/1"))

    def crash(*args: object) -> None:
        raise SyncError("killed")

    with monkeypatch.context() as patch:
        patch.setattr(store, "finish", crash)
        with pytest.raises(SyncError):
            await run(server, store, local)
    assert item.read and store.pending_count() == 1  # sent, but not known to be sent
    summary = await run(server, store, local)
    assert item.read and local.key("https://a.test/1") in local.read  # sent again: still read
    assert store.pending_count() == 0 and summary.marks_received == 0


async def test_a_mark_made_during_a_sync_is_not_overwritten(
    server: FakeGReader, store: SyncStore
) -> None:
    stream = server.add_feed(FEED)
    item = server.add_item(stream, "T", "https://a.test/1")
    local = MemoryLocal()
    await run(server, store, local)
    item.read = True  # read on the phone
    key = local.key("https://a.test/1")

    def progress(step: str) -> None:
        if step == "sending marks":  # the user marks it unread here, mid-sync
            store.record([key], "read", False, at=10**10)

    await run(server, store, local, progress=progress)
    assert key not in local.read  # the server's read did not overwrite the user's newer mark
    assert store.pending_count() == 1
    await run(server, store, local)
    assert not item.read and key not in local.read


async def test_first_sync_merges_local_reads_and_drops_local_only_marks(
    server: FakeGReader, store: SyncStore
) -> None:
    stream = server.add_feed(FEED)
    item = server.add_item(stream, "T", "https://a.test/1", starred=True)
    local = MemoryLocal()
    local.read.add(local.key("https://a.test/1"))  # read before sync was set up
    store.record([("http://elsewhere.test/feed", "x")], "read", True)
    summary = await run(server, store, local)
    assert item.read and item.starred and local.key("https://a.test/1") in local.starred
    assert summary.dropped_marks == 1 and store.pending_count() == 0


async def test_an_old_starred_item_outside_the_window_is_fetched(
    server: FakeGReader, store: SyncStore
) -> None:
    stream = server.add_feed(FEED)
    server.add_item(stream, "T", "https://a.test/1")
    local = MemoryLocal()
    await run(server, store, local)
    old = server.add_item(stream, "Old", "https://a.test/old", starred=True, crawl_ms=1000)
    summary = await run(server, store, local)
    assert summary.new_stories == 1
    assert local.key("https://a.test/old") in local.starred
    assert server.calls("reader/api/0/stream/items/contents")[0].form["i"] == [
        f"tag:google.com,2005:reader/item/{old.num:016x}"
    ]


async def test_repeated_urls_and_missing_urls_get_distinct_keys(
    server: FakeGReader, store: SyncStore
) -> None:
    stream = server.add_feed(FEED)
    a = server.add_item(stream, "A", "https://a.test/same")
    b = server.add_item(stream, "B", "https://a.test/same")
    c = server.add_item(stream, "C", None)
    d = server.add_item("feed/999", "D", "https://gone.test/1")
    local = MemoryLocal()
    await run(server, store, local)
    keys = set(local.stories)
    assert len(keys) == 4
    assert (FEED, f"greader:{c.num:016x}") in keys
    assert {(FEED, "https://a.test/same"), (FEED, f"greader:{a.num:016x}")} <= keys | {
        (FEED, f"greader:{b.num:016x}")
    }
    assert ("greader:feed/999", "https://gone.test/1") in keys
    assert local.stories[("greader:feed/999", "https://gone.test/1")].title == "D"
    assert d.read is False


@pytest.mark.parametrize(
    "path",
    ["reader/api/0/stream/items/ids", "reader/api/0/subscription/list", "reader/api/0/edit-tag"],
)
async def test_a_bad_answer_mid_sync_loses_no_local_state(
    server: FakeGReader, store: SyncStore, path: str
) -> None:
    stream = server.add_feed(FEED)
    server.add_item(stream, "T", "https://a.test/1")
    local = MemoryLocal()
    await run(server, store, local)
    cursor = store.meta("cursor_ms")
    server.add_item(stream, "U", "https://a.test/2", read=True)
    store.record([local.key("https://a.test/1")], "read", True)
    local.read.add(local.key("https://a.test/1"))

    def garbage(h: FakeHandler) -> None:
        h.reply(200, b"<html>oops</html>" if "ids" in path else b'{"x": [', "text/html")

    server.raw[path] = garbage
    with pytest.raises(SyncError):
        await run(server, store, local)
    assert store.pending_count() == 1 and store.meta("cursor_ms") == cursor
    assert local.read == {local.key("https://a.test/1")}
    del server.raw[path]
    summary = await run(server, store, local)
    assert summary.new_stories == 1 and summary.marks_sent == 1 and store.pending_count() == 0
    assert local.key("https://a.test/2") in local.read


async def test_hostile_items_become_clean_stories(server: FakeGReader, store: SyncStore) -> None:
    stream = server.add_feed(FEED, "Feed \x1b[2J\x1b]8;;http://evil\x07A")
    server.add_item(
        stream,
        "Title\x1b[31m red\x1b]0;owned\x07 \u202eevil",
        "javascript:alert(document.cookie)",
        author="Eve\x1b[5m",
    )
    local = MemoryLocal()
    await run(server, store, local)
    (entry,) = local.stories.values()
    assert entry.title == "Title red evil"
    assert entry.url is None and entry.id.startswith("greader:")
    assert entry.author == "Eve"
    assert local.feeds[FEED].title == "Feed A"
