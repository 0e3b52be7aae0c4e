"""NewsService: the one façade the UI and the CLI use.

Every read goes cache → network → parse/extract → cache. Network IO is async (one shared
Fetcher); parsing, extraction and disk work run in threads (`asyncio.to_thread`), so a caller on
an event loop is never blocked. Nothing is cached until it parsed or extracted successfully,
and a failed refresh never replaces a good copy.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tui.core.cache import Cache, RawResponse
from tui.core.config import Config, Subscription
from tui.core.errors import BroadsheetError, FeedError, FetchError, OfflineError
from tui.core.listening import Listening
from tui.core.models import Article, Entry, Episode, Feed, FetchResult
from tui.core.state import State

if TYPE_CHECKING:
    from tui.core.http import Fetcher

FEED_BYTES = 20 * 2**20
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5"
PAGE_BYTES = 10 * 2**20


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """What the app knows of one subscription: its feed (maybe cached) and its last error."""

    subscription: Subscription
    feed: Feed | None = None
    error: str | None = None
    error_at: float | None = None
    refreshed_at: float | None = None
    new_entries: int = 0


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    done: int
    total: int
    url: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshReport:
    statuses: tuple[FeedStatus, ...]
    new_entries: int
    seconds: float

    @property
    def failures(self) -> list[FeedStatus]:
        return [s for s in self.statuses if s.error]


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """An article and how it was obtained: `notice` is a plain sentence for the status bar."""

    article: Article
    from_cache: bool = False
    notice: str | None = None


def merge_entries(
    new: Sequence[Entry], old: Sequence[Entry], cap: int, keep: set[str]
) -> tuple[Entry, ...]:
    """New and old entries de-duplicated by id (newest copy wins), newest first, capped at `cap`.

    Entries whose id is in `keep` (starred) are never dropped by the cap.
    """
    seen: dict[str, Entry] = {}
    for entry in (*new, *old):
        seen.setdefault(entry.id, entry)
    ordered = sorted(seen.values(), key=lambda e: e.published or "", reverse=True)
    if len(ordered) <= cap:
        return tuple(ordered)
    kept = ordered[:cap]
    kept += [e for e in ordered[cap:] if e.id in keep]
    return tuple(kept)


class NewsService:
    """Feeds, articles and state for one user, online or offline."""

    def __init__(
        self,
        config: Config,
        cache: Cache,
        state: State,
        *,
        offline: bool = False,
        extra_feeds: Sequence[Subscription] = (),
        fetcher: Fetcher | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self.state = state
        self.offline = offline
        self.extra_feeds = tuple(extra_feeds)
        self._fetcher = fetcher
        self._errors: dict[str, tuple[str, float]] = {}
        self.listening = Listening(cache, state, offline=offline, player=config.settings.player)

    # -- plumbing ---------------------------------------------------------------------------------

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            from tui.core.http import Fetcher  # httpx is imported on first use, not at start-up

            s = self.config.settings
            self._fetcher = Fetcher(
                offline=self.offline,
                concurrency=s.concurrency,
                per_host=s.per_host,
                total_timeout=s.timeout_seconds,
            )
        return self._fetcher

    async def aclose(self) -> None:
        await self.listening.aclose()
        if self._fetcher is not None:
            await self._fetcher.aclose()

    @property
    def subscriptions(self) -> tuple[Subscription, ...]:
        return (*self.extra_feeds, *self.config.feeds)

    # -- feeds ------------------------------------------------------------------------------------

    def cached_feed(self, url: str) -> Feed | None:
        """The stored feed (entries merged across refreshes), or None. Disk work: call in a thread."""
        data = self.cache.get_json("feed", url)
        if not isinstance(data, dict):
            return None
        try:
            return Feed.from_dict(data)
        except (TypeError, ValueError, KeyError):
            self.cache.delete("feed", url)
            return None

    def statuses(self) -> list[FeedStatus]:
        """Every subscription with its cached feed and last error. Disk work: call in a thread."""
        result = []
        for sub in self.subscriptions:
            error = self._errors.get(sub.url)
            result.append(
                FeedStatus(
                    sub,
                    self.cached_feed(sub.url),
                    error=error[0] if error else None,
                    error_at=error[1] if error else None,
                )
            )
        return result

    async def refresh_feed(self, sub: Subscription, *, keep_feed: bool = True) -> FeedStatus:
        """Fetch, parse and merge one feed. Never raises: the error is in the status.

        With `keep_feed=False` (the CLI's summary) an unchanged feed is not read back from the
        cache and the status carries no feed, only counts.
        """
        try:
            feed, new_entries = await self._refresh(sub, keep_feed)
        except Exception as error:  # one bad feed never stops the refresh of the others
            reason = (
                error.reason
                if isinstance(error, BroadsheetError)
                else f"unexpected error ({type(error).__name__})"
            )
            self._errors[sub.url] = (reason, time.time())
            cached = await asyncio.to_thread(self.cached_feed, sub.url) if keep_feed else None
            return FeedStatus(sub, cached, error=reason, error_at=time.time())
        self._errors.pop(sub.url, None)
        return FeedStatus(sub, feed, refreshed_at=time.time(), new_entries=new_entries)

    async def _refresh(self, sub: Subscription, keep_feed: bool = True) -> tuple[Feed | None, int]:
        """The refreshed feed (None when unchanged and not wanted) and how many entries it gained.

        The validators live in a small record of their own, so an unchanged feed (304) costs
        neither decompressing nor parsing anything.
        """
        validators = await asyncio.to_thread(self.cache.get_json, "validators", sub.url)
        if not isinstance(validators, dict):
            validators = {}
        result = await self.fetcher.fetch(
            sub.url,
            etag=validators.get("etag"),
            last_modified=validators.get("last_modified"),
            max_bytes=FEED_BYTES,
            accept=FEED_ACCEPT,
        )
        if result.not_modified:
            if not keep_feed and await asyncio.to_thread(self.cache.has, "feed", sub.url):
                return None, 0
            cached = await asyncio.to_thread(self.cached_feed, sub.url)
            if cached is not None:
                return cached, 0
            # The parsed copy was evicted: ask again, unconditionally.
            await asyncio.to_thread(self.cache.delete, "validators", sub.url)
            result = await self.fetcher.fetch(sub.url, max_bytes=FEED_BYTES, accept=FEED_ACCEPT)
        feed, new = await asyncio.to_thread(self._store_feed, sub, result)
        return (feed if keep_feed else None), new

    def _store_feed(self, sub: Subscription, result: FetchResult) -> tuple[Feed, int]:
        from tui.core.feeds import parse_feed

        if not result.body:
            raise FeedError("empty response", sub.url)
        parsed = parse_feed(result.body, result.url, content_type=result.content_type)
        old = self.cached_feed(sub.url)
        starred = {
            entry_id for feed_url, entry_id in self.state.starred_ids() if feed_url == sub.url
        }
        entries = merge_entries(
            [replace(e, feed_url=sub.url) if e.feed_url != sub.url else e for e in parsed.entries],
            old.entries if old else (),
            self.config.settings.max_entries_per_feed,
            starred,
        )
        title = sub.title or parsed.title or sub.url
        feed = replace(parsed, url=sub.url, title=title, entries=entries)
        self.cache.set_json("feed", sub.url, feed.to_dict())
        self.cache.set_json(
            "validators", sub.url, {"etag": result.etag, "last_modified": result.last_modified}
        )
        old_ids = {e.id for e in old.entries} if old else set()
        return feed, sum(e.id not in old_ids for e in entries)

    async def refresh_all(
        self,
        on_progress: Callable[[RefreshProgress], None] | None = None,
        *,
        keep_feeds: bool = True,
    ) -> RefreshReport:
        """Refresh every subscription, `concurrency` feeds at a time (the Fetcher also enforces
        the per-host limit). Bounding whole refreshes, not just fetches, keeps fetched bodies from
        piling up while they wait for a parser thread."""
        start = time.perf_counter()
        subs = self.subscriptions
        slots = asyncio.Semaphore(max(1, self.config.settings.concurrency))
        done = 0

        async def one(sub: Subscription) -> FeedStatus:
            nonlocal done
            async with slots:
                status = await self.refresh_feed(sub, keep_feed=keep_feeds)
            done += 1
            if on_progress is not None:
                on_progress(RefreshProgress(done, len(subs), sub.url, status.error))
            return status

        statuses = await asyncio.gather(*(one(sub) for sub in subs))
        new = sum(s.new_entries for s in statuses)
        return RefreshReport(tuple(statuses), new, time.perf_counter() - start)

    async def fetch_feed(self, url: str) -> Feed:
        """One feed by URL (subscribed or not), for `broadsheet feed URL`. Raises BroadsheetError."""
        sub = next((s for s in self.subscriptions if s.url == url), Subscription(url))
        if self.offline:
            cached = await asyncio.to_thread(self.cached_feed, url)
            if cached is None:
                raise OfflineError("offline, and this feed is not in the cache", url)
            return cached
        feed, _ = await self._refresh(sub)
        assert feed is not None  # keep_feed=True always gives the feed
        return feed

    async def discover(self, url: str) -> list[tuple[str, str | None]]:
        """The feeds at `url`: the URL itself when it is a feed, else those its page announces."""
        from tui.core.discover import discover_feeds, looks_like_feed

        result = await self.fetcher.fetch(url, max_bytes=FEED_BYTES)
        if looks_like_feed(result.body, result.content_type):
            return [(result.url, None)]
        return [(found.url, found.title) for found in discover_feeds(result.body, result.url)]

    def subscribe(self, sub: Subscription) -> None:
        """Add a subscription and write the config (atomically). Disk work: call in a thread."""
        from tui.core.config import save_config, with_feed

        self.config = with_feed(self.config, sub)
        if self.config.path is not None:
            save_config(self.config, self.config.path)

    def unsubscribe(self, url: str) -> None:
        """Remove a subscription from the config; its cached entries stay until evicted."""
        from tui.core.config import save_config, without_feed

        self.config = without_feed(self.config, url)
        self._errors.pop(url, None)
        if self.config.path is not None:
            save_config(self.config, self.config.path)

    # -- articles ---------------------------------------------------------------------------------

    def cached_article(self, url: str) -> Article | None:
        """The stored extraction of `url` by the current extractor, re-extracted from stored HTML
        when only an older extractor's output is there. Disk and CPU work: call in a thread."""
        from tui.core.extract_version import EXTRACTOR_VERSION

        data = self.cache.get_json(f"article:{EXTRACTOR_VERSION}", url)
        if isinstance(data, dict):
            try:
                return Article.from_dict(data)
            except (TypeError, ValueError, KeyError):
                self.cache.delete(f"article:{EXTRACTOR_VERSION}", url)
        raw = self.cache.get_raw(url)
        if raw is not None:
            article = self._extract_and_store(url, raw)
            if article.source != "failed":
                return article
        return None

    def offline_urls(self) -> set[str]:
        """Every URL whose article can be read offline (one pass over the cache's keys)."""
        from tui.core.extract_version import EXTRACTOR_VERSION

        return self.cache.names(f"article:{EXTRACTOR_VERSION}") | self.cache.names("raw")

    def is_offline_ready(self, url: str) -> bool:
        from tui.core.extract_version import EXTRACTOR_VERSION

        return self.cache.has(f"article:{EXTRACTOR_VERSION}", url) or self.cache.has("raw", url)

    def _extract_and_store(self, url: str, raw: RawResponse, summary: str | None = None) -> Article:
        from tui.core.extract import EXTRACTOR_VERSION, extract

        article = extract(raw.body, raw.url or url, content_type=raw.content_type, summary=summary)
        if article.source not in ("failed", "summary"):
            self.cache.set_json(f"article:{EXTRACTOR_VERSION}", url, article.to_dict())
            self.cache.set_raw(url, raw)
        return article

    async def load_article(self, url: str, *, summary: str | None = None) -> ArticleResult:
        """The article at `url`: from the cache, else fetched and extracted.

        Falls back to the cached copy (with a notice) when the fetch fails, and to the feed's
        summary when there is nothing else. Raises BroadsheetError only when there is nothing at all.
        """
        cached = await asyncio.to_thread(self.cached_article, url)
        if cached is not None:
            return ArticleResult(cached, from_cache=True)
        try:
            result = await self.fetcher.fetch(
                url,
                max_bytes=PAGE_BYTES,
                accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
            )
        except FetchError as error:
            if summary:
                article = await asyncio.to_thread(self._summary_article, url, summary, error.reason)
                return ArticleResult(article, notice=f"Showing the feed's summary: {error.reason}")
            raise
        raw = RawResponse(
            result.url,
            result.body,
            result.content_type,
            result.etag,
            result.last_modified,
            result.fetched_at,
        )
        article = await asyncio.to_thread(self._extract_and_store, url, raw, summary)
        notice = None
        if article.source == "summary":
            notice = "Summary only: the page had no readable article text."
        elif article.source == "failed":
            notice = f"Could not read this page: {article.error or 'no article text found'}"
        return ArticleResult(article, notice=notice)

    @staticmethod
    def _summary_article(url: str, summary: str, reason: str) -> Article:
        from tui.core.models import Block

        paragraphs = [p.strip() for p in summary.split("\n\n") if p.strip()]
        return Article(
            url=url,
            blocks=tuple(Block("paragraph", p) for p in paragraphs),
            source="summary",
            error=reason,
        )

    async def prefetch(
        self,
        urls: Sequence[str],
        on_progress: Callable[[int, int, str, str | None], None] | None = None,
    ) -> tuple[int, list[tuple[str, str]]]:
        """Fetch and extract every URL not yet available offline. Returns (fetched, failures)."""
        todo = [u for u in urls if not await asyncio.to_thread(self.is_offline_ready, u)]
        failures: list[tuple[str, str]] = []
        done = 0

        async def one(url: str) -> None:
            nonlocal done
            error = None
            try:
                await self.load_article(url)
            except BroadsheetError as exc:
                error = exc.reason
                failures.append((url, exc.reason))
            done += 1
            if on_progress:
                on_progress(done, len(todo), url, error)

        await asyncio.gather(*(one(u) for u in todo))
        return len(todo) - len(failures), failures

    # -- podcasts ---------------------------------------------------------------------------------

    def podcast_episodes(self, feeds: Sequence[Feed], limit: int = 50) -> list[Episode]:
        """The latest episodes of every feed that carries audio, newest first."""
        episodes = [ep for feed in feeds for entry in feed.entries for ep in entry.episodes]
        episodes.sort(key=lambda e: e.published or "", reverse=True)
        return episodes[:limit]

    # -- user state ------------------------------------------------------------------------------

    def mark_read(self, entries: Sequence[Entry], read: bool = True) -> None:
        self.state.set_read(((e.feed_url, e.id) for e in entries), read)

    def set_starred(self, entry: Entry, starred: bool) -> None:
        self.state.set_starred(entry, starred)
