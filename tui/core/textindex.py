"""Search the text of cached articles: their words, casefolded, held in memory by URL.

Built in a worker thread from the cache the first time the user searches, then kept up to date
as articles are opened. A search is a substring test per cached article (str.find in C):
thousands of articles a keystroke, with no index files to keep consistent with the cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from tui.core.models import Article


class TextIndex:
    """Casefolded article text by URL (thread-safe)."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._texts)

    def __contains__(self, url: object) -> bool:
        return url in self._texts

    def add(self, article: Article) -> None:
        """Index an article's title, byline, lede and body (only full articles, not failures)."""
        if not article.url or article.source == "failed" or not article.text:
            return
        text = "\n".join(filter(None, (article.title, article.byline, article.lede, article.text)))
        with self._lock:
            self._texts[article.url] = text.casefold()

    def fill(
        self,
        urls: Iterable[str],
        load: Callable[[str], Article | None],
        stop: Callable[[], bool] = lambda: False,
    ) -> int:
        """Index every URL not indexed yet with `load(url)` (a cache read); returns how many."""
        added = 0
        for url in urls:
            if stop():
                break
            if url in self._texts:
                continue
            article = load(url)
            if article is not None:
                self.add(article)
                added += 1
        return added

    def matching(self, needle: str) -> set[str]:
        """URLs of the indexed articles whose text contains `needle` (case-insensitive)."""
        needle = needle.casefold().strip()
        if not needle:
            return set()
        with self._lock:
            items = list(self._texts.items())
        return {url for url, text in items if needle in text}
