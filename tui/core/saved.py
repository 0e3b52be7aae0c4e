"""Saved for later: the stories the user keeps, with their articles, in the user's state.

A saved story is kept whole in the state database (the story, its extracted article, its
tags and when it was saved), never in the evictable cache alone, so it reads offline for as
long as it stays saved, whatever the cache's size limit drops. The shelf is shown as a feed
of its own, "Saved" (`SAVED_FEED`), newest saved first.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.models import Article, Entry

SAVED_FEED = "broadsheet:saved"  # the feed_url of a page saved by its address (not from a feed)
SAVED_TITLE = "Saved"


@dataclass(frozen=True, slots=True)
class SavedStory:
    """One story on the shelf."""

    entry: Entry
    saved_at: float  # seconds since the epoch
    tags: tuple[str, ...] = ()
    readable: bool = True  # its article is kept (False: saved offline before it could be read)


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What `NewsService.save` did: the story as saved and a sentence for the status bar."""

    story: SavedStory
    article: Article | None
    notice: str


def entry_for(url: str, article: Article | None, entry: Entry | None = None) -> Entry:
    """The story to keep for `url`: the feed's own entry when it came from one (so it is read
    or unread in both places), else one made from the article (or the bare address)."""
    if entry is not None and entry.feed_url and entry.url == url:
        return entry
    if article is None:
        title = entry.title if entry is not None and entry.title != url else url
        return Entry(id=url, feed_url=SAVED_FEED, title=title, url=url)
    return Entry(
        id=url,
        feed_url=SAVED_FEED,
        title=article.title or (entry.title if entry else "") or url,
        url=url,
        published=article.published,
        summary=article.lede or "",
        author=article.byline,
    )
