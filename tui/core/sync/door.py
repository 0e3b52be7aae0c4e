"""The service's sync side: the Google Reader server's feeds beside the config's, the durable
queue of marks, one sync at a time on a thread and event loop of its own, and stories and
marks by article URL (`broadsheet stories`, `broadsheet mark`).

A mixin of NewsService (tui/core/service.py), which is still the one door: the UI and the CLI
call these methods on the service. Kept here so the service's module holds one idea (feeds,
articles and the user's state) and sync's wiring sits beside the sync room it serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core.config import Subscription
from tui.core.errors import BroadsheetError, ConfigError, FeedError, OfflineError
from tui.core.jobs import merge_records
from tui.core.models import Entry, Feed
from tui.core.service_parts import ServiceParts

if TYPE_CHECKING:
    from tui.core.sync.engine import SyncSummary
    from tui.core.sync.greader import GReaderClient
    from tui.core.sync.local import CacheLocal
    from tui.core.sync.queue import Kind, SyncStore


_T = TypeVar("_T")


class SyncDoor(ServiceParts):
    """NewsService's sync methods (see the module docstring)."""

    # -- sync ---------------------------------------------------------------------------------------
    # Sync with the reader's own server (the `[sync]` table; tui/core/sync/). The server's
    # subscriptions are kept in the state database, not written into the config: the config's
    # [[feeds]] stay the user's own list, and `subscriptions` shows both (a feed in both is
    # listed once, with the config's settings). A feed the server follows is read through the
    # server: `refresh_all` leaves it to `sync`, so its stories are never stored twice under
    # two kinds of ids. Synced stories are stored like any feed's (sync/local.py), and every
    # mark the user makes is queued durably for the next sync.

    def _init_sync(self) -> None:
        self._sync_store: SyncStore | None = None
        self._sync_lock = threading.Lock()
        self._sync_notice: str | None = None
        self._server_feeds: tuple[Subscription, ...] | None = None

    @property
    def sync_configured(self) -> bool:
        """Whether the config has a usable `[sync]` table."""
        return self.config.sync is not None

    def _store(self) -> SyncStore:
        """The sync queue in the state database (opened once). Raises SyncError."""
        if self._sync_store is None:
            from tui.core.sync.queue import SyncStore

            self._sync_store = SyncStore(self.state.path)
        return self._sync_store

    def close_sync(self) -> None:
        """Close the sync queue's database connection (the session does, at the end)."""
        if self._sync_store is not None:
            self._sync_store.close()
            self._sync_store = None

    def _server_feed_list(self) -> tuple[Subscription, ...]:
        """The server's subscriptions as the last sync saw them (read once, then remembered)."""
        if self.config.sync is None:
            return ()
        if self._server_feeds is None:
            from tui.core.sync.errors import SyncError
            from tui.core.sync.local import as_subscription, remote_feeds

            try:
                feeds = remote_feeds(self._store())
            except SyncError:
                return ()
            self._server_feeds = tuple(as_subscription(f) for f in feeds)
        return self._server_feeds

    def _server_only_feeds(self) -> tuple[Subscription, ...]:
        own = {sub.url for sub in self.config.feeds}
        return tuple(sub for sub in self._server_feed_list() if sub.url not in own)

    def _follows_on_server(self, url: str) -> bool:
        return any(sub.url == url for sub in self._server_feed_list())

    def _fetched_subscriptions(self) -> tuple[Subscription, ...]:
        """The subscriptions `refresh_all` fetches itself: all but those the server follows."""
        server = {sub.url for sub in self._server_feed_list()}
        return tuple(sub for sub in self.subscriptions if sub.url not in server)

    def _server_feed(self, url: str, keep_feed: bool) -> Feed | None:
        """A feed the server follows is never fetched here (its stories would be stored twice,
        under the feed's ids and the server's): its stored copy, from the last sync."""
        feed = self.cached_feed(url)
        if feed is None:
            raise FeedError(
                "this feed is read through the sync server, and no sync has stored it yet", url
            )
        return feed if keep_feed else None

    def server_subscriptions(self) -> tuple[Subscription, ...]:
        """The sync server's feeds that are not in the config (`broadsheet list` shows them)."""
        return self._server_only_feeds()

    def synced_feed_urls(self) -> frozenset[str]:
        """The feeds whose stories come from the sync server (the UI may mark them)."""
        return frozenset(sub.url for sub in self._server_feed_list())

    def last_synced(self) -> float | None:
        """When the last successful sync finished (Unix time), or None (never, or no sync)."""
        if self.config.sync is None:
            return None
        from tui.core.sync.errors import SyncError

        try:
            return self._store().last_sync
        except SyncError:
            return None

    def sync_status(self, now: float | None = None) -> str | None:
        """The status bar's words about sync: "Synced 5 min ago", "Not synced yet", with
        " · 3 marks to send" while marks wait; None without sync. Disk work (two small reads)."""
        if self.config.sync is None:
            return None
        at = self.last_synced()
        if at is None:
            text = "Not synced yet"
        else:
            minutes = int(max(0.0, (time.time() if now is None else now) - at) // 60)
            if minutes < 1:
                text = "Synced just now"
            elif minutes < 60:
                text = f"Synced {minutes} min ago"
            elif minutes < 48 * 60:
                text = f"Synced {minutes // 60} h ago"
            else:
                text = f"Synced {minutes // (24 * 60)} days ago"
        waiting = self.pending_marks()
        if waiting:
            text += f" · {waiting} mark{'s' * (waiting != 1)} to send"
        return text

    def pending_marks(self) -> int:
        """How many marks wait to be sent at the next sync (0 without sync)."""
        if self.config.sync is None:
            return 0
        from tui.core.sync.errors import SyncError

        try:
            return self._store().pending_count()
        except SyncError:
            return 0

    def _queue_marks(self, keys: Sequence[tuple[str, str]], kind: Kind, value: bool) -> None:
        """Queue the user's marks for the next sync, durably, before returning."""
        if self.config.sync is None or not keys:
            return
        from tui.core.sync.errors import SyncError

        try:
            self._store().record(keys, kind, value)
        except SyncError as error:
            self._sync_notice = (
                f"A mark could not be queued for sync ({error.reason}); it is kept here only."
            )

    async def sync(self, on_progress: Callable[[str], None] | None = None) -> SyncSummary:
        """Sync once with the server: send queued subscription changes, pull the subscriptions
        and new stories, push the queued marks, pull the server's read and starred state.

        One sync at a time (a second call waits for the first, then syncs again: cheap when
        nothing changed). It runs on a thread and an event loop of its own, so a caller's loop
        (the UI's) stays free while stories are stored; `on_progress` gets a word for each step,
        called from that thread. Raises SyncError (one plain line, never the password) when
        the server cannot be reached or refuses, ConfigError when the password cannot be had,
        OfflineError offline.
        """
        config = self.config.sync
        if config is None:
            raise ConfigError(
                "sync is not set up: add a [sync] table to the config (README: Sync)",
                str(self.config.path) if self.config.path else None,
            )
        if self.offline:
            raise OfflineError("offline: sync needs the network")
        run = _ThreadRun()
        try:
            return await asyncio.to_thread(self._sync_in_thread, on_progress, run)
        except asyncio.CancelledError:
            run.cancel()  # the app is closing: stop the sync's own loop too, at once
            raise

    def _sync_in_thread(
        self, on_progress: Callable[[str], None] | None, run: _ThreadRun
    ) -> SyncSummary:
        with self._sync_lock:
            return asyncio.run(run.start(self._sync_once(on_progress)))

    def _sync_client(self) -> GReaderClient:
        assert self.config.sync is not None
        return self.config.sync.client(
            total_timeout=max(120.0, self.config.settings.timeout_seconds)
        )

    def _sync_local(self) -> CacheLocal:
        from tui.core.sync.local import CacheLocal

        fetch_full = {sub.url: sub.fetch_full for sub in self.subscriptions}
        return CacheLocal(
            self.cache,
            self.state,
            self._store(),
            cap=self.config.settings.max_entries_per_feed,
            merge=merge_records,
            keep_content=lambda url: not fetch_full.get(url, True),
        )

    async def _sync_once(self, on_progress: Callable[[str], None] | None) -> SyncSummary:
        from tui.core.sync.engine import sync

        assert self.config.sync is not None
        account = self.config.sync.account
        store = self._store()
        local = self._sync_local()
        restore = local.needs_restore(account)
        try:
            async with self._sync_client() as client:
                await self._send_subscription_changes(client, store)
                summary = await sync(
                    client, store, local, account=account, progress=on_progress, restore=restore
                )
        finally:
            self._server_feeds = None  # read the server's list again
        local.mark_stored(account)
        return summary

    async def _send_subscription_changes(self, client: GReaderClient, store: SyncStore) -> None:
        """Send the subscription changes made while the server could not be reached, in order;
        each is forgotten only once the server has it."""
        from tui.core.sync.local import PENDING

        pending = store.meta(PENDING, [])
        if not isinstance(pending, list) or not pending:
            return
        followed: set[str] | None = None
        for n, change in enumerate(pending):
            if isinstance(change, dict) and isinstance(change.get("url"), str):
                url = change["url"]
                if change.get("op") == "add":
                    await client.subscribe(
                        url, title=change.get("title"), folder=change.get("folder")
                    )
                    if followed is not None:
                        followed.add(url)
                else:
                    if followed is None:
                        followed = {s.url for s in await client.subscriptions()}
                    if url in followed:
                        await client.unsubscribe(url)
                        followed.discard(url)
            store.set_meta({PENDING: pending[n + 1 :]})

    def _tell_server(
        self, op: str, url: str, title: str | None = None, folder: str | None = None
    ) -> str | None:
        """Subscribe (op "add") or unsubscribe ("remove") on the server too, now; when that
        fails, keep the change queued for the next sync and say so. Network: call in a thread."""
        if self.config.sync is None:
            return None
        from tui.core.sync.errors import SyncError
        from tui.core.sync.items import RemoteFeed
        from tui.core.sync.local import PENDING, remote_feeds, save_remote_feeds

        try:
            store = self._store()
        except SyncError as error:
            return f"The sync server was not told: {error.reason}."
        change = {"op": op, "url": url, "title": title, "folder": folder}
        reason = "offline" if self.offline else None
        if reason is None:
            try:
                with self._sync_lock:
                    _run_in_new_loop(self._change_on_server(change))
            except BroadsheetError as error:
                reason = error.reason
        if reason is not None:
            pending = store.meta(PENDING, [])
            store.set_meta({PENDING: [*(pending if isinstance(pending, list) else []), change]})
        feeds = [f for f in remote_feeds(store) if f.url != url]
        if op == "add":
            feeds.append(
                RemoteFeed("feed/" + url, url, title or "", None, (folder,) if folder else ())
            )
        save_remote_feeds(store, feeds)
        self._server_feeds = None
        if reason is None:
            return None
        done = "subscribed" if op == "add" else "unsubscribed"
        return (
            f"The sync server could not be reached ({reason}): {done} here only for now; "
            "the server is told at the next sync."
        )

    def _queue_server_adds(self, subs: Sequence[Subscription]) -> None:
        """Queue these new subscriptions for the server (sent at the start of the next sync,
        in one connection, rather than one login each now: an OPML file may list hundreds)."""
        if self.config.sync is None or not subs:
            return
        from tui.core.sync.errors import SyncError
        from tui.core.sync.local import PENDING

        try:
            store = self._store()
            pending = store.meta(PENDING, [])
            adds = [{"op": "add", "url": s.url, "title": s.title, "folder": s.folder} for s in subs]
            store.set_meta({PENDING: [*(pending if isinstance(pending, list) else []), *adds]})
        except SyncError as error:
            self._sync_notice = (
                f"The sync server will not hear of the imported feeds ({error.reason})."
            )

    async def _change_on_server(self, change: dict[str, Any]) -> None:
        async with self._sync_client() as client:
            await self._send_subscription_changes_now(client, change)

    @staticmethod
    async def _send_subscription_changes_now(client: GReaderClient, change: dict[str, Any]) -> None:
        if change["op"] == "add":
            await client.subscribe(change["url"], title=change["title"], folder=change["folder"])
        elif any(s.url == change["url"] for s in await client.subscriptions()):
            await client.unsubscribe(change["url"])

    # -- stories and marks by URL (broadsheet stories, broadsheet mark) ---------------------------

    def stories(
        self, *, unread: bool = False, starred: bool = False, feed: str | None = None
    ) -> list[StoryState]:
        """Every story of the subscriptions (cached feeds, newest first by feed) and every
        starred story, with its read, starred and offline state; only unread, only starred or
        only one feed's when asked. Works offline (disk only). Disk work: call in a thread."""
        read = self.state.read_ids()
        star = self.state.starred_ids()
        ready = self.offline_urls()
        out: list[StoryState] = []
        seen: set[tuple[str, str]] = set()
        subs = [s for s in self.subscriptions if feed is None or s.url == feed]
        text_feeds = {s.url for s in subs if not s.fetch_full}

        def add(entry: Entry) -> None:
            key = (entry.feed_url, entry.id)
            if key in seen:
                return
            seen.add(key)
            is_read, is_starred = key in read, key in star
            if (unread and is_read) or (starred and not is_starred):
                return
            offline = entry.feed_url in text_feeds or bool(entry.url and entry.url in ready)
            out.append(StoryState(entry, is_read, is_starred, offline))

        for sub in subs:
            cached = self.cached_feed(sub.url)
            for entry in cached.entries if cached else ():
                add(entry)
        for entry in self.state.starred():
            if feed is None or entry.feed_url == feed:
                add(entry)
        return out

    def mark_urls(self, action: str, urls: Sequence[str]) -> list[str]:
        """Mark the stories whose article URL is in `urls`: `action` is "read", "unread",
        "star" or "unstar". Every story with that URL (it may be in two feeds) is marked, and
        the marks are queued for sync like any other. Returns the URLs no story has. Disk work."""
        if action not in ("read", "unread", "star", "unstar"):
            raise ValueError(f"unknown action {action!r}")
        wanted = set(urls)
        found: dict[str, list[Entry]] = {}
        for story in self.stories():
            if story.entry.url in wanted:
                found.setdefault(story.entry.url, []).append(story.entry)
        entries = [e for url in dict.fromkeys(urls) for e in found.get(url, ())]
        if action in ("read", "unread"):
            self.mark_read(entries, action == "read")
        else:
            for entry in entries:
                self.set_starred(entry, action == "star")
        return [url for url in dict.fromkeys(urls) if url not in found]


@dataclass(frozen=True, slots=True)
class StoryState:
    """One story and what the user's state says of it (`broadsheet stories`)."""

    entry: Entry
    read: bool
    starred: bool
    offline: bool  # its text can be read without the network
    saved_at: float | None = None  # when it was saved for later (`stories --saved`)
    tags: tuple[str, ...] = ()  # its tags on the shelf


class _ThreadRun:
    """A coroutine run on another thread's event loop, which the caller's loop can cancel."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._task: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.cancelled = False

    async def start(self, work: Coroutine[Any, Any, _T]) -> _T:
        with self._lock:
            if self.cancelled:
                work.close()
                raise asyncio.CancelledError
            self._task = asyncio.current_task()
            self._loop = asyncio.get_running_loop()
        return await work

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            if self._loop is not None and self._task is not None:
                with contextlib.suppress(RuntimeError):  # its loop has just finished
                    self._loop.call_soon_threadsafe(self._task.cancel)


def _run_in_new_loop(work: Coroutine[Any, Any, _T]) -> _T:
    """Run `work` to the end on an event loop of its own, in a thread of its own (so it works
    whether or not the caller's thread already runs a loop)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()
