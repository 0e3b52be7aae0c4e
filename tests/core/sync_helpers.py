"""An in-memory local side for sync tests, as the service will implement it over Cache and State."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from tui.core.models import Entry
from tui.core.sync.items import RemoteFeed

FEED = "http://feeds.test/a.xml"


class MemoryLocal:
    """The local side in memory. `feed` is the feed `key(url)` names stories of."""

    def __init__(self, feed: str = FEED) -> None:
        self.feed = feed
        self.feeds: dict[str, RemoteFeed] = {}
        self.stories: dict[tuple[str, str], Entry] = {}
        self.read: set[tuple[str, str]] = set()
        self.starred: set[tuple[str, str]] = set()
        self.stored_batches = 0

    def add_subscriptions(self, subscriptions: Sequence[RemoteFeed]) -> None:
        for sub in subscriptions:
            self.feeds[sub.url] = sub

    def store_stories(self, entries: Sequence[Entry]) -> None:
        self.stored_batches += 1
        for entry in entries:
            self.stories[(entry.feed_url, entry.id)] = entry

    def read_keys(self) -> Collection[tuple[str, str]]:
        return frozenset(self.read)

    def starred_keys(self) -> Collection[tuple[str, str]]:
        return frozenset(self.starred)

    def set_read(self, keys: Sequence[tuple[str, str]], read: bool) -> None:
        (self.read.update if read else self.read.difference_update)(keys)

    def set_starred(self, keys: Sequence[tuple[str, str]], starred: bool) -> None:
        assert all(key in self.stories for key in keys)
        (self.starred.update if starred else self.starred.difference_update)(keys)

    def key(self, url: str) -> tuple[str, str]:
        return (self.feed, url)
