"""The set of URLs whose article can be read offline, read once from the cache and kept.

One pass over the cache's keys costs ~16 ms per 1,000 cached pages, too much for every
keystroke of a search: the set is read on first use, grown as articles are cached one at a
time, and read again (`forget`) after a refresh or a prefetch, which may add or evict many.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class OfflineSet:
    """URLs readable offline (thread-safe). `read_all` is the full pass over the cache."""

    def __init__(self, read_all: Callable[[], set[str]]) -> None:
        self._read_all = read_all
        self._urls: frozenset[str] | None = None
        self._lock = threading.Lock()

    def urls(self) -> frozenset[str]:
        """Every URL readable offline. The first call after `forget` reads the cache: disk work,
        call it in a thread."""
        urls = self._urls
        if urls is None:
            read = frozenset(self._read_all())
            with self._lock:
                if self._urls is None:
                    self._urls = read
                urls = self._urls
        return urls

    def add(self, url: str) -> None:
        """`url` has just been cached (an article opened): no pass over the cache needed."""
        with self._lock:
            if self._urls is not None and url not in self._urls:
                self._urls = self._urls | {url}

    def forget(self) -> None:
        """Pages may have come or gone: the next `urls()` reads the cache again."""
        with self._lock:
            self._urls = None

    @property
    def is_known(self) -> bool:
        """Whether the set is held (no cache read needed for the next `urls()`)."""
        return self._urls is not None
