"""The service's side of sync (engine.py's LocalSide): synced stories in the cache, marks in State.

Synced stories are stored exactly like the entries of any other feed: in the cache's "feed"
record of their feed URL (merged, newest first, capped at `max_entries_per_feed`, starred ones
never dropped), so the story list, full-article extraction, prefetch, search and podcasts treat
them as they treat every story. Read and starred state go to State, as the user's own marks do,
but without being queued for sync (they came from the server).

The server's subscription list (feeds with their folders, which are its labels) is kept in the
sync tables of the state database, not in the user's config: the config's `[[feeds]]` stay the
user's own list, and the service shows the union of both (see NewsService.subscriptions).
Subscription changes made while the server could not be reached wait there too
(`pending_subscriptions`) and are sent at the start of the next sync.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from tui.core.cache import Cache
from tui.core.config import Subscription
from tui.core.models import URL_LIMIT, Entry
from tui.core.sanitize import clean_line
from tui.core.state import State
from tui.core.sync.items import RemoteFeed
from tui.core.sync.queue import SyncStore

Key = tuple[str, str]
Merge = Callable[[Sequence[dict[str, Any]], Sequence[dict[str, Any]], int, Collection[str]], list]
SUBSCRIPTIONS = "subscriptions"
PENDING = "pending_subscriptions"
STORED_MARK = ("sync", "stored")  # a cache record: the synced stories are in this cache


def remote_feeds(store: SyncStore) -> list[RemoteFeed]:
    """The server's subscription list as the last sync saw it (and changes made here since)."""
    raw = store.meta(SUBSCRIPTIONS, [])
    feeds = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        folders = item.get("folders")
        feeds.append(
            RemoteFeed(
                id=str(item.get("id") or "feed/" + item["url"]),
                url=item["url"],
                title=str(item.get("title") or ""),
                site_url=item.get("site_url") if isinstance(item.get("site_url"), str) else None,
                folders=tuple(f for f in folders if isinstance(f, str))
                if isinstance(folders, list)
                else (),
            )
        )
    return feeds


def save_remote_feeds(store: SyncStore, feeds: Sequence[RemoteFeed]) -> None:
    store.set_meta(
        {
            SUBSCRIPTIONS: [
                {
                    "id": f.id,
                    "url": f.url,
                    "title": f.title,
                    "site_url": f.site_url,
                    "folders": list(f.folders),
                }
                for f in feeds
            ]
        }
    )


def as_subscription(feed: RemoteFeed) -> Subscription:
    """A server feed as a subscription: its first label is the folder, the others are tags."""
    folders = tuple(clean_line(f, 300) for f in feed.folders if f.strip())
    return Subscription(
        clean_line(feed.url, URL_LIMIT),
        clean_line(feed.title, 300) or None,
        folders[0] if folders else None,
        tags=folders[1:],
    )


class CacheLocal:
    """The LocalSide the service hands the engine: the cache, State and the sync store.

    `keep_content(feed_url)` says whether the feed's own HTML is kept with each story (the
    feeds read from their own text, `fetch_full = false`); `merge` is the service's
    merge_records. Entries the cap drops during this sync are remembered until it ends, so a
    star the server has on one of them can still be stored whole.
    """

    def __init__(
        self,
        cache: Cache,
        state: State,
        store: SyncStore,
        *,
        cap: int,
        merge: Merge,
        keep_content: Callable[[str], bool] = lambda _url: False,
    ) -> None:
        self.cache = cache
        self.state = state
        self.store = store
        self.cap = cap
        self.merge = merge
        self.keep_content = keep_content
        self.titles: dict[str, str] = {}
        self.dropped: dict[Key, Entry] = {}
        self.stored = 0

    def add_subscriptions(self, subscriptions: Sequence[RemoteFeed]) -> None:
        self.titles = {s.url: s.title for s in subscriptions if s.title}
        save_remote_feeds(self.store, subscriptions)

    def store_stories(self, entries: Sequence[Entry]) -> None:
        by_feed: dict[str, list[Entry]] = {}
        for entry in entries:
            by_feed.setdefault(entry.feed_url, []).append(entry)
        starred: dict[str, set[str]] = {}
        for feed_url, entry_id in self.state.starred_ids():
            starred.setdefault(feed_url, set()).add(entry_id)
        with self.cache.batch():
            old = {url: self.cache.get_json("feed", url) for url in by_feed}
        records = []
        for url, group in by_feed.items():
            keep = self.keep_content(url)
            new = []
            for entry in group:
                record = entry.to_dict()
                if not keep:
                    record["content_html"] = None
                new.append(record)
            found = old[url]
            before: dict[str, Any] = found if isinstance(found, dict) else {}
            old_entries = [
                e
                for e in before.get("entries") or ()
                if isinstance(e, dict) and isinstance(e.get("id"), str)
            ]
            merged = self.merge(new, old_entries, self.cap, starred.get(url, set()))
            kept = {e["id"] for e in merged}
            for entry in group:
                if entry.id not in kept:
                    self.dropped[(entry.feed_url, entry.id)] = entry
            title = self.titles.get(url) or before.get("title") or url
            podcast = bool(before.get("is_podcast")) or any(e.episodes for e in group)
            records.append(
                (
                    "feed",
                    url,
                    {
                        "url": url,
                        "title": title,
                        "site_url": before.get("site_url"),
                        "description": before.get("description") or "",
                        "is_podcast": podcast,
                        "entries": merged,
                    },
                )
            )
        self.cache.set_many(records)
        self.stored += len(entries)

    def read_keys(self) -> Collection[Key]:
        return self.state.read_ids()

    def starred_keys(self) -> Collection[Key]:
        return self.state.starred_ids()

    def set_read(self, keys: Sequence[Key], read: bool) -> None:
        self.state.set_read(keys, read)

    def set_starred(self, keys: Sequence[Key], starred: bool) -> None:
        if not starred:
            self.state.set_starred_many((Entry(id=e, feed_url=f, title="") for f, e in keys), False)
            return
        self.state.set_starred_many(self._entries(keys), True)

    def _entries(self, keys: Sequence[Key]) -> list[Entry]:
        """The stored stories for `keys` (State keeps starred ones whole)."""
        wanted: dict[str, set[str]] = {}
        for feed_url, entry_id in keys:
            wanted.setdefault(feed_url, set()).add(entry_id)
        found: dict[Key, Entry] = {}
        with self.cache.batch():
            records = {url: self.cache.get_json("feed", url) for url in wanted}
        for url, ids in wanted.items():
            record = records[url]
            for raw in record.get("entries") or () if isinstance(record, dict) else ():
                if isinstance(raw, dict) and raw.get("id") in ids:
                    try:
                        found[(url, raw["id"])] = Entry.from_dict(raw)
                    except (TypeError, ValueError):
                        continue
        out = []
        for key in keys:
            entry = found.get(key) or self.dropped.get(key)
            if entry is None:  # not in the cache (evicted): the little we know
                link = key[1] if key[1].startswith(("http://", "https://")) else None
                entry = Entry(id=key[1], feed_url=key[0], title=link or "Untitled", url=link)
            out.append(entry)
        return out

    def mark_stored(self, account: str) -> None:
        """Note in the cache that the synced stories are in it (see `needs_restore`)."""
        self.cache.set_json(*STORED_MARK, {"account": account})

    def needs_restore(self, account: str) -> bool:
        """True when the sync store has synced before but the cache lost the stories (it was
        cleared, or is a new one): the next sync must pull every story again."""
        if self.store.meta("cursor_ms") is None:
            return False
        mark = self.cache.get_json(*STORED_MARK)
        return not (isinstance(mark, dict) and mark.get("account") == account)
