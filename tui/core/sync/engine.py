"""One sync with a Google Reader API server: `await sync(client, store, local)`.

Steps, in order (a failure at any step raises SyncError and leaves the store as it was, so the
next sync repeats the work; local stories already stored are stored again, which is harmless):

1. Pull the subscriptions; `local.add_subscriptions` makes sure each feed exists locally.
2. New stories. The first sync pulls the whole reading list, continuation-paged. Later syncs
   ask for the ids crawled since the newest crawl time seen (minus ten minutes of overlap, for
   items the server was still writing when we looked; ids are cheap, so the overlap costs one
   small answer) and fetch the contents of the ids not known yet (`stream/items/contents`).
   New items go to `local.store_stories` as Entries.
3. Pull the server's unread ids and starred ids (cheap: ids only). Starred items we have never
   seen (older than the pulled window) are fetched by id.
4. Merge each known item's read and starred state (rules below), send what the server must
   change with `edit-tag`, apply what the local side must change, then record in one transaction
   the agreed states, the marks now on the server, and the cursor.

## Who wins (for read state and for stars, separately)

The server records when it crawled an item (crawlTimeMsec / timestampUsec), never when someone
marked it read or starred, and for read state it only says what is true now. So the time of a
server-side change is known only as "after the previous sync looked" (the previous snapshot).
Each item keeps its *base*: the state both sides agreed on at the previous sync. Then:

- You marked it here and the mark is still queued (made offline, or while the server was down):
  - the server still has the base state, or already has your value: your mark is sent. Sending
    it twice is harmless ("set read", never "toggle").
  - the server changed it to the other value since the previous sync: the later change wins. If
    your mark was made after the previous sync looked at the server, it is the later one as far
    as anything recorded can tell, and it is sent; if it was made before that (it waited in the
    queue across a sync, e.g. made while that sync was running), the server's change is later and
    your story takes the server's value.
- No queued mark: the side that differs from the base changed, so its value wins (a local
  change made with sync switched off is sent; a change made on the phone is applied here).
  Both sides cannot differ from the base in opposite ways: there are only two values.
- An item seen for the first time: read if either side has it read, starred if either side has
  it starred (a story read anywhere is read; a star is never dropped by a first sync).
- An item the server no longer lists among the unread counts as read there.
- Marks made while a sync runs are left queued and are not overwritten locally; the next sync
  sends them.
- Marks on stories that are not synced (feeds the server does not know) are dropped from the
  queue after the sync: they are local-only and already in the local state.
- A crash (kill -9) after marks were sent but before the sync recorded it: they are sent again
  next time, the same absolute values, so nothing flips; if in that window someone changed the
  same story on the server, the re-sent mark (the user's last word here) wins.

Crawl times serve only as the cursor of the incremental pull (which items are new), never to
date a mark: an item's crawl time is when it arrived, not when anyone read it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tui.core.models import Entry, Episode
from tui.core.sync.items import READING_LIST, RemoteFeed, RemoteItem
from tui.core.sync.queue import Kind, KnownItem, Mark, SyncStore

if TYPE_CHECKING:
    from tui.core.sync.greader import GReaderClient

OVERLAP_SECONDS = 600  # re-ask for the ids of items crawled this long before the cursor
FETCH_BATCH = 1000  # new items fetched by id per step (the client sends 250 ids a request)
MISSING_STARRED_LIMIT = 5000
ENTRY_ID_PREFIX = "greader:"

Key = tuple[str, str]


class LocalSide(Protocol):
    """What sync needs from the local store; the service implements it.

    `set_read` and `set_starred` apply the server's changes: they must NOT queue marks for sync
    (only the user's own marks are queued, with `SyncStore.record`).
    """

    def add_subscriptions(self, subscriptions: Sequence[RemoteFeed]) -> None:
        """Make sure each of these feeds (with its folders) is in the local feed list.

        This is the server's whole list, every sync: a synced feed missing from it was
        unsubscribed elsewhere (the service may remove it here too).
        """

    def store_stories(self, entries: Sequence[Entry]) -> None:
        """Keep these new stories (Entry.feed_url is the subscription's feed URL)."""

    def read_keys(self) -> Collection[Key]:
        """Every (feed_url, entry_id) read locally."""
        ...

    def starred_keys(self) -> Collection[Key]:
        """Every (feed_url, entry_id) starred locally."""
        ...

    def set_read(self, keys: Sequence[Key], read: bool) -> None:
        """Mark these stories read (or unread) locally, without queueing."""

    def set_starred(self, keys: Sequence[Key], starred: bool) -> None:
        """Star (or unstar) these stories locally, without queueing; they were stored before."""


@dataclass
class SyncSummary:
    """What one sync did."""

    feeds: int = 0
    new_stories: int = 0
    marks_sent: int = 0
    marks_received: int = 0
    requests: int = 0
    seconds: float = 0.0
    skipped_items: int = 0
    first: bool = False
    dropped_marks: int = 0
    details: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        """One plain line for the CLI and the status bar."""
        return (
            f"Synced {self.feeds} feed{'s' * (self.feeds != 1)}: "
            f"{self.new_stories} new stor{'ies' if self.new_stories != 1 else 'y'}, "
            f"{self.marks_sent} mark{'s' * (self.marks_sent != 1)} sent, "
            f"{self.marks_received} received."
        )


def decide(
    base: bool | None, server: bool, local: bool, mark: Mark | None, previous: float
) -> bool:
    """The agreed value of one flag of one item (the rules in the module docstring)."""
    if mark is not None:
        if base is None or server == base or server == mark.value:
            return mark.value
        return mark.value if mark.at >= previous else server
    if base is None:
        return server or local
    return local if server == base else server


def entry_for(item: RemoteItem, feed_url: str, entry_id: str) -> Entry:
    """A synced item as a local story."""
    episodes = tuple(
        Episode(
            title=item.title,
            url=enclosure.url,
            published=item.published,
            feed_title=item.feed_title,
            mime_type=enclosure.mime_type,
            size_bytes=enclosure.size_bytes,
        )
        for enclosure in item.enclosures
        if enclosure.mime_type.startswith(("audio/", "video/"))
    )
    return Entry(
        id=entry_id,
        feed_url=feed_url,
        title=item.title or (item.url or "Untitled"),
        url=item.url,
        published=item.published,
        summary=item.summary,
        author=item.author,
        content_html=item.content_html,
        episodes=episodes,
    )


async def sync(
    client: GReaderClient,
    store: SyncStore,
    local: LocalSide,
    *,
    account: str | None = None,
    clock: Callable[[], float] = time.time,
    progress: Callable[[str], None] | None = None,
    restore: bool = False,
) -> SyncSummary:
    """Pull, merge and push once; see the module docstring. Raises SyncError on failure.

    `restore`: the local side lost the stories (a cleared cache): pull the whole reading list
    again, as the first sync does, and store the known items again under their keys (they
    are not counted as new; their agreed states are kept).
    """
    started = time.monotonic()
    requests_before = client.requests
    summary = SyncSummary()
    if account is not None:
        store.bind_account(account)
    note = progress or (lambda _text: None)
    snapshot = clock()
    previous = _float(store.meta("snapshot_at"), 0.0)
    cursor = store.meta("cursor_ms")
    cursor_ms = int(cursor) if isinstance(cursor, int) else None
    summary.first = cursor_ms is None
    known = store.known()
    used_keys = {item.key for item in known.values()}

    note("subscriptions")
    subscriptions = await client.subscriptions()
    summary.feeds = len(subscriptions)
    local.add_subscriptions(subscriptions)
    feed_of = {s.id: s.url for s in subscriptions}

    fresh: dict[str, tuple[RemoteItem, Key]] = {}
    restored: set[str] = set()
    newest = cursor_ms or 0

    def take(page: Sequence[RemoteItem]) -> None:
        nonlocal newest
        batch = []
        for item in page:
            newest = max(newest, item.crawled_ms)
            if item.id in known:
                if restore and item.id not in restored:
                    restored.add(item.id)
                    batch.append(entry_for(item, *known[item.id].key))
                continue
            if item.id in fresh:
                continue
            feed_url = feed_of.get(item.stream_id) or _fallback_feed(item.stream_id)
            entry_id = item.url or ENTRY_ID_PREFIX + item.id
            if (feed_url, entry_id) in used_keys:
                entry_id = ENTRY_ID_PREFIX + item.id
            key = (feed_url, entry_id)
            used_keys.add(key)
            fresh[item.id] = (item, key)
            batch.append(entry_for(item, feed_url, entry_id))
        if batch:
            local.store_stories(batch)

    note("stories")
    if cursor_ms is None or restore:  # the first sync: every story, a page of contents at a time
        async for page in client.stream(READING_LIST):
            take(page)
    else:  # then: the ids crawled since the cursor (and the overlap), contents of the new ones
        since = max(0, cursor_ms // 1000 - OVERLAP_SECONDS)
        recent = await client.item_ids(READING_LIST, since=since)
        wanted = sorted(i for i in recent if i not in known)
        for start in range(0, len(wanted), FETCH_BATCH):
            take(await client.items(wanted[start : start + FETCH_BATCH]))

    note("read and starred state")
    unread = await client.unread_ids()
    starred = await client.starred_ids()
    missing = [i for i in starred if i not in known and i not in fresh][:MISSING_STARRED_LIMIT]
    if missing:
        take(await client.items(missing))
    summary.new_stories = len(fresh)

    marks = store.latest()
    local_read = set(local.read_keys())
    local_star = set(local.starred_keys())
    push: dict[tuple[Kind, bool], list[str]] = {}
    pull: dict[tuple[Kind, bool], list[Key]] = {}
    agreed: list[KnownItem] = []
    used_marks: list[Mark] = []
    rows: list[tuple[str, Key, KnownItem | None, int]] = [
        (i, k.key, k, k.crawled_ms) for i, k in known.items()
    ]
    rows += [(i, key, None, item.crawled_ms) for i, (item, key) in fresh.items()]
    for item_id, key, base, crawled in rows:
        final: dict[Kind, bool] = {}
        checks: tuple[tuple[Kind, bool, bool, bool | None], ...] = (
            ("read", item_id not in unread, key in local_read, base.read if base else None),
            ("star", item_id in starred, key in local_star, base.starred if base else None),
        )
        for kind, server, here, base_value in checks:
            mark = marks.get((key, kind))
            value = decide(base_value, server, here, mark, previous)
            if mark is not None:
                used_marks.append(mark)
            if value != server:
                push.setdefault((kind, value), []).append(item_id)
            if value != here:
                pull.setdefault((kind, value), []).append(key)
            final[kind] = value
        if base is None or base.read != final["read"] or base.starred != final["star"]:
            agreed.append(KnownItem(item_id, key[0], key[1], final["read"], final["star"], crawled))

    note("sending marks")
    for (kind, value), ids in sorted(push.items()):
        if kind == "read":
            await client.set_read(ids, value)
        else:
            await client.set_starred(ids, value)
        summary.marks_sent += len(ids)

    # Marks the user made while this sync ran are newer than anything decided here.
    newer = {slot for slot, mark in store.latest().items() if marks.get(slot) != mark}
    for (kind, value), keys in sorted(pull.items()):
        keys = [k for k in keys if (k, kind) not in newer]
        if not keys:
            continue
        if kind == "read":
            local.set_read(keys, value)
        else:
            local.set_starred(keys, value)
        summary.marks_received += len(keys)

    synced_keys = {item.key for item in known.values()} | {key for _, key in fresh.values()}
    orphans = [m for (key, _), m in marks.items() if key not in synced_keys]
    summary.dropped_marks = len(orphans)
    summary.requests = client.requests - requests_before
    summary.seconds = time.monotonic() - started
    store.finish(
        agreed,
        used_marks + orphans,
        {
            "cursor_ms": newest,
            "snapshot_at": snapshot,
            "finished_at": clock(),
            "summary": summary.line(),
        },
    )
    summary.seconds = time.monotonic() - started
    return summary


def _fallback_feed(stream_id: str) -> str:
    """A feed URL for an item whose feed is not among the subscriptions (an old starred story)."""
    if stream_id.startswith("feed/") and stream_id[5:].startswith(("http://", "https://")):
        return stream_id[5:]
    return ENTRY_ID_PREFIX + (stream_id or "unknown")


def _float(value: object, default: float) -> float:
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )
