"""RawFeed → Feed: entry ids, de-duplication, order, caps and podcast detection, for every format.

Order: entries with a date newest first; entries without one after them, in document order
(a feed that dates nothing keeps its own order, which is almost always newest first). Equal
dates keep document order too (the sort is stable).
Ids: the guid / Atom id / JSON id, else the link, else a hash of title and date (and, when
both are empty, of the text), so the same item keeps its id across refreshes. The first of
several entries with one id wins; the feed URL is not part of the id (Entry.feed_url is).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from tui.core.feeds.episodes import episodes_of
from tui.core.feeds.raw import RawEntry, RawFeed
from tui.core.feeds.text import truncate
from tui.core.models import Entry, Feed

UNTITLED = "Untitled"


def build_feed(raw: RawFeed, url: str, max_entries: int) -> Feed:
    """The frozen Feed for `raw`, read from `url`, with at most `max_entries` entries."""
    feed_title = raw.title or urlsplit(url).hostname or url
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in raw.entries:
        entry = _entry(item, url, feed_title)
        if entry is None or entry.id in seen:
            continue
        seen.add(entry.id)
        entries.append(entry)
        if len(entries) >= max_entries:
            break
    dated = sorted((e for e in entries if e.published), key=_published, reverse=True)
    undated = [e for e in entries if not e.published]
    with_audio = sum(1 for e in entries if e.episodes)
    return Feed(
        url=url,
        title=feed_title,
        site_url=raw.site_url,
        description=raw.description,
        entries=(*dated, *undated),
        is_podcast=with_audio * 2 > len(entries),
    )


def _published(entry: Entry) -> str:
    return entry.published or ""


def _entry(item: RawEntry, feed_url: str, feed_title: str) -> Entry | None:
    """The Entry for one item, or None when it carries nothing to show (no title, link, text)."""
    title = item.title or truncate(item.summary.split("\n", 1)[0], 120) or item.url or ""
    episode_title = title or UNTITLED
    episodes = episodes_of(item, episode_title, feed_title)
    if not (title or item.content_html or episodes):
        return None
    return Entry(
        id=_entry_id(item),
        feed_url=feed_url,
        title=title or UNTITLED,
        url=item.url,
        published=item.published,
        summary=item.summary,
        author=item.author,
        content_html=item.content_html,
        episodes=episodes,
    )


def _entry_id(item: RawEntry) -> str:
    if item.guid:
        return item.guid
    if item.url:
        return item.url
    basis = f"{item.title}\n{item.published or ''}"
    if not item.title and not item.published:
        basis += f"\n{item.summary}\n{item.content_html or ''}"
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:32]
