"""The service's side of sync against the loopback fake server: synced stories behave like any
feed's (listed, prefetched, podcasts, starred whole), marks are queued durably, a cleared cache
is filled again, and feeds the server follows are read through it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.greader import PASSWORD, FakeGReader, FakeHandler, fake_greader
from tests.servers.loopback import Route, serve
from tui.core.cache import Cache
from tui.core.config import Subscription, parse_config, save_config
from tui.core.errors import ConfigError, OfflineError
from tui.core.jobs import merge_records
from tui.core.models import Entry
from tui.core.service import NewsService
from tui.core.state import State
from tui.core.sync.errors import SyncAuthError
from tui.core.sync.local import CacheLocal
from tui.core.sync.queue import SyncStore

FEED = "http://feeds.test/a.xml"
OTHER = "http://feeds.test/b.xml"


@pytest.fixture
def server() -> Iterator[FakeGReader]:
    with fake_greader() as fake:
        yield fake


def make_service(tmp_path: Path, server: FakeGReader | None, *, feeds: str = "") -> NewsService:
    sync = (
        f'\n[sync]\nurl = "{server.base}"\nuser = "alice"\npassword_command = ["false"]\n'
        if server
        else ""
    )
    path = tmp_path / "config.toml"
    config, errors = parse_config(f"[settings]\nsample_edition = false\n{sync}{feeds}", path)
    assert errors == []
    save_config(config, path)
    return NewsService(config, Cache(tmp_path / "cache"), State(tmp_path / "state.sqlite3"))


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROADSHEET_SYNC_PASSWORD", PASSWORD)


async def test_synced_stories_are_stories_like_any_others(
    server: FakeGReader, tmp_path: Path
) -> None:
    stream = server.add_feed(FEED, "Feed A", folder="News")
    for n in range(5):
        server.add_item(stream, f"Story {n}", f"https://a.test/{n}", read=n == 0, starred=n == 1)
    audio = {"href": "https://a.test/ep.mp3", "type": "audio/mpeg", "length": "1000"}
    server.add_item(stream, "Episode", "https://a.test/ep", enclosure=[audio])
    service = make_service(tmp_path, server)
    assert service.sync_configured and service.last_synced() is None
    assert service.sync_status(now=1000.0) == "Not synced yet"
    summary = await service.sync()
    assert (summary.feeds, summary.new_stories, summary.marks_received) == (1, 6, 2)
    synced_at = service.last_synced()
    assert synced_at is not None
    assert service.sync_status(now=synced_at + 30) == "Synced just now"
    assert service.sync_status(now=synced_at + 600) == "Synced 10 min ago"

    # A subscription (folder = label), not written into the config.
    assert [(s.url, s.title, s.folder) for s in service.subscriptions] == [(FEED, "Feed A", "News")]
    assert service.user_subscriptions() == ()
    assert "[[feeds]]" not in (tmp_path / "config.toml").read_text()
    # ...and in the OPML export, in its folder.
    opml = service.export_opml()
    assert f'xmlUrl="{FEED}"' in opml and 'text="News"' in opml
    (status,) = service.statuses()
    assert status.feed is not None and status.feed.title == "Feed A"
    assert {e.url for e in status.feed.entries} == {
        *(f"https://a.test/{n}" for n in range(5)),
        "https://a.test/ep",
    }
    # Podcasts: the enclosure is an episode, the feed a podcast.
    assert status.feed.is_podcast
    (episode,) = service.podcast_episodes([status.feed])
    assert (episode.url, episode.mime_type, episode.size_bytes) == (
        "https://a.test/ep.mp3",
        "audio/mpeg",
        1000,
    )
    # Read and starred state came over; the star is kept whole, outliving the cache.
    stories = {s.entry.url: s for s in service.stories()}
    assert stories["https://a.test/0"].read and not stories["https://a.test/2"].read
    assert [e.title for e in service.state.starred()] == ["Story 1"]
    # Prefetch treats them as it treats every feed's stories.
    plan = service.prefetch_plan()
    assert set(plan.todo) == {*(f"https://a.test/{n}" for n in range(1, 5)), "https://a.test/ep"}
    await service.aclose()


async def test_user_marks_are_queued_for_sync_and_sent(server: FakeGReader, tmp_path: Path) -> None:
    stream = server.add_feed(FEED, "A")
    items = [server.add_item(stream, f"S{n}", f"https://a.test/{n}") for n in range(3)]
    service = make_service(tmp_path, server)
    await service.sync()
    entries = {e.url: e for e in service.cached_feed(FEED).entries}  # type: ignore[union-attr]
    service.mark_read([entries["https://a.test/0"]])
    service.set_starred(entries["https://a.test/1"], True)
    assert service.pending_marks() == 2
    at = service.last_synced()
    assert at is not None
    assert service.sync_status(now=at + 7200) == "Synced 2 h ago · 2 marks to send"
    # Durable: another handle on the same file sees them at once.
    assert SyncStore(tmp_path / "state.sqlite3").pending_count() == 2
    summary = await service.sync()
    assert summary.marks_sent == 2 and service.pending_marks() == 0
    assert items[0].read and items[1].starred and not items[2].read
    # Marks by URL go the same way.
    assert service.mark_urls("unread", ["https://a.test/0", "https://nowhere.test/"]) == [
        "https://nowhere.test/"
    ]
    assert service.pending_marks() == 1
    await service.sync()
    assert not items[0].read


def test_without_sync_nothing_is_queued(tmp_path: Path) -> None:
    service = make_service(tmp_path, None)
    entry = Entry(id="x", feed_url=FEED, title="X", url="https://a.test/x")
    service.mark_read([entry])
    service.set_starred(entry, True)
    assert not service.sync_configured and service.pending_marks() == 0
    assert service.last_synced() is None
    with pytest.raises(ConfigError, match="sync is not set up"):
        asyncio.run(service.sync())


async def test_offline_or_refused_is_an_error_and_no_state_is_lost(
    server: FakeGReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = server.add_feed(FEED, "A")
    server.add_item(stream, "S", "https://a.test/s")
    service = make_service(tmp_path, server)
    await service.sync()
    entry = service.cached_feed(FEED).entries[0]  # type: ignore[union-attr]
    service.set_offline(True)
    with pytest.raises(OfflineError):
        await service.sync()
    service.set_offline(False)
    service.mark_read([entry])
    monkeypatch.setenv("BROADSHEET_SYNC_PASSWORD", "not-the-password-77")
    with pytest.raises(SyncAuthError) as caught:
        await service.sync()
    assert "not-the-password-77" not in str(caught.value)
    assert service.pending_marks() == 1 and service.stories()[0].read


async def test_a_cleared_cache_is_filled_again_by_the_next_sync(
    server: FakeGReader, tmp_path: Path
) -> None:
    stream = server.add_feed(FEED, "A")
    for n in range(3):
        server.add_item(stream, f"S{n}", f"https://a.test/{n}", read=n == 0)
    service = make_service(tmp_path, server)
    await service.sync()
    service.clear_cache()
    assert service.stories() == []
    summary = await service.sync()
    assert summary.new_stories == 0  # known items: stored again, not new
    stories = {s.entry.url: s.read for s in service.stories()}
    assert stories == {
        "https://a.test/0": True,
        "https://a.test/1": False,
        "https://a.test/2": False,
    }
    again = await service.sync()
    assert again.requests == 5  # and then incremental again: nothing pulled twice


async def test_refresh_leaves_the_servers_feeds_to_sync(
    server: FakeGReader, tmp_path: Path
) -> None:
    with serve() as feeds:
        rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
        feeds.route("/a.xml", Route(body=rss, content_type="application/rss+xml"))
        feeds.route("/b.xml", Route(body=rss, content_type="application/rss+xml"))
        own, followed = feeds.url("/a.xml"), feeds.url("/b.xml")
        server.add_feed(followed, "Followed")
        service = make_service(tmp_path, server, feeds=f'\n[[feeds]]\nurl = "{own}"\n')
        await service.sync()
        assert [s.url for s in service.subscriptions] == [own, followed]
        report = await service.refresh_all()
        assert [s.subscription.url for s in report.statuses] == [own]
        assert feeds.hits("/a.xml") == 1 and feeds.hits("/b.xml") == 0
        assert [s.url for s in service.due_subscriptions()] == []
        await service.aclose()


async def test_subscribe_and_unsubscribe_reach_the_server(
    server: FakeGReader, tmp_path: Path
) -> None:
    service = make_service(tmp_path, server)
    assert await asyncio.to_thread(service.subscribe, Subscription(FEED, "A", "News")) is None
    assert [f["url"] for f in server.feeds.values()] == [FEED]
    assert [s.url for s in service.user_subscriptions()] == [FEED]  # and in the config
    await service.sync()
    assert await asyncio.to_thread(service.unsubscribe, FEED) is None
    assert server.feeds == {}
    assert service.subscriptions == ()


def test_a_star_the_cap_dropped_is_still_kept_whole(tmp_path: Path) -> None:
    cache, state = Cache(tmp_path / "cache"), State(tmp_path / "state.sqlite3")
    local = CacheLocal(
        cache, state, SyncStore(tmp_path / "state.sqlite3"), cap=2, merge=merge_records
    )
    entries = [
        Entry(id=f"https://a.test/{n}", feed_url=FEED, title=f"T{n}", published=f"2026-01-0{n + 1}")
        for n in range(4)
    ]
    local.store_stories(entries)
    stored = cache.get_json("feed", FEED)
    assert [e["title"] for e in stored["entries"]] == ["T3", "T2"]  # newest two
    local.set_starred([(FEED, "https://a.test/0"), (OTHER, "https://b.test/9")], True)
    assert {e.title for e in state.starred()} == {"T0", "https://b.test/9"}
    local.set_starred([(FEED, "https://a.test/0")], False)
    assert state.starred_ids() == {(OTHER, "https://b.test/9")}
    local.set_read([(FEED, "https://a.test/1")], True)
    assert local.read_keys() == {(FEED, "https://a.test/1")}


async def test_a_cancelled_sync_stops_its_own_loop_at_once(
    server: FakeGReader, tmp_path: Path
) -> None:
    """The app closing mid-sync must not wait for a slow server: the sync's thread ends."""
    server.add_feed(FEED, "A")

    def stall(handler: FakeHandler) -> None:  # no answer for 20 s
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not server.stopping.is_set():
            time.sleep(0.05)

    server.raw["reader/api/0/subscription/list"] = stall
    service = make_service(tmp_path, server)
    task = asyncio.create_task(service.sync())
    await asyncio.sleep(0.5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    del server.raw["reader/api/0/subscription/list"]
    started = time.monotonic()
    summary = await asyncio.wait_for(service.sync(), 10)  # the first one let go of the lock
    assert summary.feeds == 1 and time.monotonic() - started < 5


async def test_imported_feeds_reach_the_server_at_the_next_sync(
    server: FakeGReader, tmp_path: Path
) -> None:
    service = make_service(tmp_path, server)
    opml = (
        f'<opml version="2.0"><body><outline text="News"><outline text="A" xmlUrl="{FEED}"/>'
        f'<outline text="B" xmlUrl="{OTHER}"/></outline></body></opml>'
    ).encode()
    assert service.import_opml(opml) == (2, 2)
    assert server.feeds == {}  # nothing sent yet: one connection at the next sync
    summary = await service.sync()
    assert summary.feeds == 2
    assert {(f["url"], f["categories"][0]["label"]) for f in server.feeds.values()} == {
        (FEED, "News"),
        (OTHER, "News"),
    }
    assert [s.url for s in service.subscriptions] == [FEED, OTHER]  # listed once each
