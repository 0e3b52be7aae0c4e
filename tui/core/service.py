"""NewsService: the one façade the UI and the CLI use.

Every read goes cache → network → parse/extract → cache. Network IO is async (one shared
Fetcher); parsing, extraction and disk work run in threads (`asyncio.to_thread`), so a caller on
an event loop is never blocked. Nothing is cached until it parsed or extracted successfully,
and a failed refresh never replaces a good copy.

Sync or async, one rule for every public method:
- a method that may wait on the network is a coroutine (`refresh_all`, `load_article`,
  `measure_length`, `download_episode`, …): the UI runs it in an async worker;
- a method that only does disk or CPU work is a plain function (`statuses`, `read_ids`,
  `set_position`, `play`, …): the UI calls it from a thread worker, never on the event loop;
- a plain in-memory getter is a property (`subscriptions`, `playing`, `reader_width`, …) and
  may be read anywhere.
The UI and the CLI reach nothing behind the service (its state, listening, config or cache),
and each operation has one path: every config write goes through `_edit_config`, which
refuses to rewrite a config file that is not valid TOML.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core.cache import Cache, CacheStats
from tui.core.config import Config, Subscription
from tui.core.errors import BroadsheetError, ConfigError, FetchError, OfflineError
from tui.core.jobs import extract_and_store, prefetch_page, raw_response, store_feed
from tui.core.keep_door import KeepDoor
from tui.core.listening import Listening
from tui.core.models import Article, Entry, Episode, Feed
from tui.core.models import ArticleResult as ArticleResult  # what load_article gives
from tui.core.offline import OfflineSet
from tui.core.pictures_door import PicturesDoor
from tui.core.podcasts.door import ListeningDoor
from tui.core.saved import SAVED_FEED as SAVED_FEED  # the UI names the Saved view by it
from tui.core.state import State
from tui.core.sync.door import StoryState as StoryState  # `broadsheet stories` prints them
from tui.core.textindex import TextIndex

if TYPE_CHECKING:
    from tui.core.http import Fetcher
    from tui.core.rules import RuleOutcome as RuleOutcome  # the story list reads it
    from tui.core.saved import SavedStory as SavedStory
    from tui.core.saved import SaveResult as SaveResult
    from tui.core.share import Share as Share  # the palette lists them
    from tui.core.share import ShareOutcome as ShareOutcome
    from tui.core.workers import Workers

_T = TypeVar("_T")

FEED_BYTES = 20 * 2**20
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5"
PAGE_BYTES = 10 * 2**20
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"  # what article fetches ask for
MEASURE_LIMIT = 20  # unknown episode lengths measured per feed, as the sidebar does at once


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
    not_due: int = 0  # subscriptions skipped because their interval had not passed (only_due)

    @property
    def failures(self) -> list[FeedStatus]:
        return [s for s in self.statuses if s.error]


@dataclass(frozen=True, slots=True)
class PrefetchPlan:
    """What `broadsheet prefetch` would fetch (see NewsService.prefetch_plan)."""

    stories: int  # entries in the cached feeds of the subscriptions
    unread: tuple[str, ...]  # article URLs of the unread ones
    todo: tuple[str, ...]  # of those, the pages not yet available offline


@dataclass(frozen=True, slots=True)
class _Known:
    """What the cache and the user's state held for a feed before it was fetched."""

    etag: str | None
    last_modified: str | None
    stored: bool  # a merged copy of the feed is in the cache
    starred: frozenset[str]  # ids of its starred entries, which the cap never drops


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class NewsService(KeepDoor, ListeningDoor, PicturesDoor):
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
        workers: Workers | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self.state = state
        self.offline = offline
        self.extra_feeds = tuple(extra_feeds)
        self._fetcher = fetcher
        self.workers = workers  # worker processes for parsing and extraction (the CLI's)
        self._errors: dict[str, tuple[str, float]] = {}
        self._picture_failures: dict[str, str] = {}  # url -> why it cannot be shown (this session)
        self._picture_slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None
        self.listening = Listening(cache, state, offline=offline, player=config.settings.player)
        # What the UI searches: the words of cached articles, and which URLs read offline
        # (a lambda, so a stand-in for offline_urls is the one called).
        self._text_index = TextIndex()
        self._offline_set = OfflineSet(lambda: self.offline_urls())
        self._rule_outcome: RuleOutcome | None = None  # the rules' last application
        self._passwords: dict[tuple[str, ...], str] = {}  # feed logins' passwords, this session
        self._init_sync()

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

    def set_offline(self, offline: bool) -> None:
        """Go offline (nothing is fetched: the cache answers) or back online."""
        self.offline = offline
        self.listening.offline = offline
        if self._fetcher is not None:
            self._fetcher.offline = offline

    async def aclose(self) -> None:
        await self.listening.aclose()
        if self._fetcher is not None:
            await self._fetcher.aclose()

    @property
    def subscriptions(self) -> tuple[Subscription, ...]:
        """The sample edition, the config's feeds, then the sync server's other feeds."""
        return (*self.extra_feeds, *self.config.feeds, *self._server_only_feeds())

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

    async def refresh_feed(
        self, sub: Subscription, *, keep_feed: bool = True, known: _Known | None = None
    ) -> FeedStatus:
        """Fetch, parse and merge one feed. Never raises: the error is in the status.

        With `keep_feed=False` (the CLI's summary) an unchanged feed is not read back from the
        cache and the status carries no feed, only counts. `known` is what the cache held for
        it before (`_look_up`), when the caller read that for many feeds at once. The attempt
        is remembered for the refresh schedule (`due_subscriptions`).
        """
        status = await self._refresh_status(sub, keep_feed, known)
        await asyncio.to_thread(self._remember_refreshes, [status])
        if self.config.rules or self.config.queries:
            await asyncio.to_thread(self.apply_rules)
        return status

    async def _refresh_status(
        self, sub: Subscription, keep_feed: bool, known: _Known | None
    ) -> FeedStatus:
        """`refresh_feed` without remembering when (refresh_all remembers all at once)."""
        try:
            feed, new_entries = await self._refresh(sub, keep_feed, known)
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
        self._offline_set.forget()  # the cache grew: pages may have been evicted
        return FeedStatus(sub, feed, refreshed_at=time.time(), new_entries=new_entries)

    async def _refresh(
        self, sub: Subscription, keep_feed: bool = True, known: _Known | None = None
    ) -> tuple[Feed | None, int]:
        """The refreshed feed (None when unchanged and not wanted) and how many entries it gained.

        The validators live in a small record of their own, so an unchanged feed (304) costs
        neither decompressing nor parsing anything.
        """
        if self._follows_on_server(sub.url):
            return await asyncio.to_thread(self._server_feed, sub.url, keep_feed), 0
        if known is None:
            known = (await asyncio.to_thread(self._look_up, [sub.url]))[sub.url]
        login = await asyncio.to_thread(self._login, sub) if sub.has_login else None
        result = await self.fetcher.fetch(
            sub.url,
            etag=known.etag,
            last_modified=known.last_modified,
            max_bytes=FEED_BYTES,
            accept=FEED_ACCEPT,
            credentials=login,
        )
        if result.not_modified:
            if not keep_feed and known.stored:
                return None, 0
            cached = await asyncio.to_thread(self.cached_feed, sub.url)
            if cached is not None:
                return cached, 0
            # The parsed copy was evicted: ask again, unconditionally.
            await asyncio.to_thread(self.cache.delete, "validators", sub.url)
            result = await self.fetcher.fetch(
                sub.url, max_bytes=FEED_BYTES, accept=FEED_ACCEPT, credentials=login
            )
        cap = self.config.settings.max_entries_per_feed
        record, new = await self._offload(store_feed, sub, result, cap, known.starred, keep_feed)
        if record is None:
            return None, new
        return await asyncio.to_thread(Feed.from_dict, record), new

    def _login(self, sub: Subscription) -> dict[str, str]:
        """The login headers of a feed (tui/core/feed_login.py): sent to its origin only."""
        from tui.core.feed_login import login_headers

        return login_headers(sub, self._passwords)

    def _look_up(self, urls: Sequence[str]) -> dict[str, _Known]:
        """What the cache and the user's state hold for each feed, read in one transaction.

        Refreshing many feeds, one read each from many threads would make them queue for the
        cache's lock one read at a time (see Cache.batch). Disk work: call in a thread.
        """
        starred: dict[str, set[str]] = {}
        for feed_url, entry_id in self.state.starred_ids():
            starred.setdefault(feed_url, set()).add(entry_id)
        known = {}
        with self.cache.batch():
            for url in urls:
                validators = self.cache.get_json("validators", url)
                if not isinstance(validators, dict):
                    validators = {}
                known[url] = _Known(
                    _text_or_none(validators.get("etag")),
                    _text_or_none(validators.get("last_modified")),
                    self.cache.has("feed", url),
                    frozenset(starred.get(url, ())),
                )
        return known

    async def _offload(self, job: Callable[..., _T], *args: Any) -> _T:
        """`job(self.cache, *args)` in a worker process when there are workers, else in a thread."""
        if self.workers is not None:
            from tui.core.workers import WorkerUnavailable

            try:
                result: _T = await self.workers.run(job, self.cache, *args)
                return result
            except WorkerUnavailable:
                pass
        return await asyncio.to_thread(job, self.cache, *args)

    async def refresh_all(
        self,
        on_progress: Callable[[RefreshProgress], None] | None = None,
        *,
        keep_feeds: bool = True,
        only_due: bool = False,
    ) -> RefreshReport:
        """Refresh every subscription (with `only_due`, only those `due_subscriptions` names;
        the report counts the others as `not_due`), `concurrency` feeds at a time (the Fetcher
        also enforces the per-host limit). Bounding whole refreshes, not just fetches, keeps
        fetched bodies from piling up while they wait for a parser thread."""
        start = time.perf_counter()
        subs = self._fetched_subscriptions()
        not_due = 0
        if only_due:
            due = await asyncio.to_thread(self.due_subscriptions)
            not_due = len(subs) - len(due)
            subs = tuple(due)
        slots = asyncio.Semaphore(max(1, self.config.settings.concurrency))
        done = 0
        known = await asyncio.to_thread(self._look_up, [sub.url for sub in subs])

        async def one(sub: Subscription) -> FeedStatus:
            nonlocal done
            async with slots:
                status = await self._refresh_status(sub, keep_feeds, known[sub.url])
            done += 1
            if on_progress is not None:
                on_progress(RefreshProgress(done, len(subs), sub.url, status.error))
            return status

        statuses = await asyncio.gather(*(one(sub) for sub in subs))
        await asyncio.to_thread(self._remember_refreshes, statuses)
        if self.config.rules or self.config.queries:
            await asyncio.to_thread(self.apply_rules)  # new stories go through the rules
        self._offline_set.forget()  # the cache grew: pages may have been evicted
        new = sum(s.new_entries for s in statuses)
        return RefreshReport(tuple(statuses), new, time.perf_counter() - start, not_due)

    # -- refresh schedule -------------------------------------------------------------------------
    # When each feed was last asked for lives in the cache ("refreshed" records, one per feed):
    # it describes the cached copy, so it goes with it. `broadsheet cache clear` makes every feed
    # due again (there is nothing left to show), and a lost record (evicted, a cache that fell
    # back to memory) costs one early conditional request, never a missed story. The records
    # are written once per refresh, in one transaction, and survive the process, so a cron
    # `broadsheet refresh` and the app share one schedule.

    def refresh_interval(self, sub: Subscription) -> float | None:
        """Seconds between scheduled refreshes of `sub`: its own `refresh_minutes`, else the
        global setting; None for 0, which means "only on demand" (never due on a schedule)."""
        minutes = (
            sub.refresh_minutes
            if sub.refresh_minutes is not None
            else self.config.settings.refresh_minutes
        )
        return minutes * 60.0 if minutes > 0 else None

    def due_subscriptions(self, now: float | None = None) -> list[Subscription]:
        """The subscriptions due for a scheduled refresh at `now` (default: the current time).

        A feed is due when its interval (`refresh_interval`) has passed since it was last asked
        for (whether that worked or failed: a failing server is not asked more often than a
        working one), when it was never asked for, or when it last worked but its stored copy is
        gone. A feed with an interval of 0 is never due: it is refreshed only on demand (`--all`,
        the app's refresh keys). Disk work: call in a thread.
        """
        return [sub for sub, wait in self._waits(now) if wait is not None and wait <= 0]

    def next_due_in(self, now: float | None = None) -> float | None:
        """Seconds until the next subscription is due (0 when one is due now), or None when
        none ever will be (no subscriptions, or every interval is 0). For the app's timer.
        Disk work: call in a thread."""
        waits = [wait for _, wait in self._waits(now) if wait is not None]
        return max(0.0, min(waits)) if waits else None

    def _waits(self, now: float | None) -> list[tuple[Subscription, float | None]]:
        """Each subscription with the seconds until it is due (<= 0: due; None: on demand only)."""
        now = time.time() if now is None else now
        subs = self._fetched_subscriptions()
        with self.cache.batch():
            last = {sub.url: self.cache.get_json("refreshed", sub.url) for sub in subs}
            stored = {sub.url: self.cache.has("feed", sub.url) for sub in subs}
        waits: list[tuple[Subscription, float | None]] = []
        for sub in subs:
            interval = self.refresh_interval(sub)
            found = last[sub.url]
            record: dict[str, Any] = found if isinstance(found, dict) else {}
            at = record.get("at")
            if interval is None:
                waits.append((sub, None))
            elif not isinstance(at, int | float) or isinstance(at, bool):
                waits.append((sub, 0.0))  # never asked for (or the record is unreadable)
            elif record.get("ok") and not stored[sub.url]:
                waits.append((sub, 0.0))  # it worked, but the stored copy was evicted since
            else:
                waits.append((sub, at + interval - now))
        return waits

    def _remember_refreshes(self, statuses: Sequence[FeedStatus]) -> None:
        """Record when each feed was asked for, and whether that worked (one transaction).
        Nothing is recorded offline: no request was made. Disk work: call in a thread."""
        if self.offline or not statuses:
            return
        now = time.time()
        self.cache.set_many(
            (
                "refreshed",
                status.subscription.url,
                {"at": status.refreshed_at or status.error_at or now, "ok": status.error is None},
            )
            for status in statuses
        )

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
        await asyncio.to_thread(
            self._remember_refreshes, [FeedStatus(sub, refreshed_at=time.time())]
        )
        return feed

    async def discover(self, url: str) -> list[tuple[str, str | None]]:
        """The feeds at `url`: the URL itself when it is a feed, else those its page announces."""
        from tui.core.discover import discover_feeds, looks_like_feed

        result = await self.fetcher.fetch(url, max_bytes=FEED_BYTES)
        if looks_like_feed(result.body, result.content_type):
            return [(result.url, None)]
        return [(found.url, found.title) for found in discover_feeds(result.body, result.url)]

    # -- subscriptions and other config writes -------------------------------------------------
    # One path for each change to the config, from the app and from the CLI alike; every write
    # goes through `_edit_config`.

    def subscribe(self, sub: Subscription) -> str | None:
        """Add a subscription and write the config (atomically); nothing changes when `sub.url`
        is already subscribed. Raises ConfigError when the config file cannot be rewritten
        safely (see `_edit_config`); OSError when it cannot be written. Disk work.

        With sync set up, the server subscribes too (network: call in a thread); when it cannot
        be reached the change is kept here, sent at the next sync, and the returned notice (one
        plain sentence) says so; otherwise None."""
        from tui.core.config import with_feed

        self._edit_config(lambda config: with_feed(config, sub))
        return self._tell_server("add", sub.url, sub.title, sub.folder)

    def unsubscribe(self, url: str) -> str | None:
        """Remove a subscription from the config; its cached entries stay until evicted.
        Raises ConfigError when `url` is not subscribed, or as `subscribe`. Disk work.

        With sync set up, a feed the server follows is removed there too (and may be one that
        is not in the config at all); returns a notice as `subscribe` does."""
        from tui.core.config import without_feed

        synced = self._follows_on_server(url)

        def change(config: Config) -> Config:
            if not any(feed.url == url for feed in config.feeds):
                if synced:
                    return config
                raise ConfigError(
                    f"not subscribed to {url}", str(config.path) if config.path else None
                )
            return without_feed(config, url)

        self._edit_config(change)
        self._errors.pop(url, None)
        return self._tell_server("remove", url) if synced else None

    def user_subscriptions(self) -> tuple[Subscription, ...]:
        """The user's own subscriptions, in the config's order (not the sample edition)."""
        return self.config.feeds

    def includes_sample_edition(self) -> bool:
        """Whether the bundled sample edition is shown beside the subscriptions."""
        return self.config.settings.sample_edition or bool(self.extra_feeds)

    def import_opml(self, data: bytes) -> tuple[int, int]:
        """Subscribe to every feed an OPML document lists (folders kept, duplicates skipped) in
        one config write. Returns (feeds added, feeds subscribed in all). Raises FeedError when
        `data` is not OPML, ConfigError as `subscribe`. Disk and CPU work."""
        from tui.core.config import with_feed
        from tui.core.opml import parse_opml

        items = parse_opml(data)
        before = len(self.config.feeds)

        def change(config: Config) -> Config:
            nonlocal before
            before = len(config.feeds)
            for item in items:
                config = with_feed(config, Subscription(item.url, item.title or None, item.folder))
            return config

        after = self._edit_config(change)
        self._queue_server_adds(after.feeds[before:])  # with sync: the server, at the next sync
        return len(after.feeds) - before, len(after.feeds)

    def export_opml(self) -> str:
        """The user's subscriptions as an OPML 2.0 document, folders as outlines: the config's
        feeds and the sync server's others (the sample edition is not the user's)."""
        from tui.core.opml import OpmlFeed, write_opml

        feeds = (*self.config.feeds, *self._server_only_feeds())
        return write_opml(OpmlFeed(s.url, s.title or "", s.folder) for s in feeds)

    def save_theme(self, theme: str) -> None:
        """Keep the theme chosen in the app for the next start (`[settings] theme`). Raises
        ConfigError as `subscribe`, OSError when the file cannot be written. Disk work."""

        if theme == self.config.settings.theme or self.config.path is None:
            return  # unchanged, or no config file (the sample edition only): nothing to write

        def change(config: Config) -> Config:
            return replace(config, settings=replace(config.settings, theme=theme))

        self._edit_config(change)
        self.config = change(self.config)

    def _edit_config(self, change: Callable[[Config], Config]) -> Config:
        """Apply `change` to the config file as it is on disk now, write it (atomically) and
        adopt its list of feeds; returns the config written.

        Reading the file again keeps what the user edited by hand since it was loaded (and never
        writes this session's empty stand-in, as under `--sample`, over it). A file that exists
        but is not valid TOML, or cannot be read, is never rewritten: its content would be lost.
        """
        from tui.core.config import load_config, save_config, unusable

        path = self.config.path
        if path is None:
            self.config = change(self.config)
            return self.config
        on_disk, errors = load_config(path)
        error = unusable(errors)
        if error is not None:
            raise ConfigError(
                f"{error.reason}; fix the config first (it was left unchanged)",
                error.path,
                error.line,
            )
        changed = change(on_disk)
        save_config(changed, path)
        self.config = replace(self.config, feeds=changed.feeds)
        return changed

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
            article = extract_and_store(self.cache, url, raw)
            if article.source != "failed":
                return article
        return self._saved_article(url)  # a saved article outlives the cache

    def offline_urls(self) -> set[str]:
        """Every URL whose article can be read offline (one pass over the cache's keys)."""
        from tui.core.extract_version import EXTRACTOR_VERSION

        return (
            self.cache.names(f"article:{EXTRACTOR_VERSION}")
            | self.cache.names("raw")
            | self.state.saved_urls(with_article=True)
        )

    def is_offline_ready(self, url: str) -> bool:
        from tui.core.extract_version import EXTRACTOR_VERSION

        return (
            self.cache.has(f"article:{EXTRACTOR_VERSION}", url)
            or self.cache.has("raw", url)
            or url in self.state.saved_urls(with_article=True)
        )

    async def load_article(self, url: str, *, summary: str | None = None) -> ArticleResult:
        """The article at `url`: from the cache, else fetched and extracted.

        Falls back to the cached copy (with a notice) when the fetch fails, and to the feed's
        summary when there is nothing else. Raises BroadsheetError only when there is nothing at all.
        """
        cached = await asyncio.to_thread(self.cached_article, url)
        if cached is not None:
            self._text_index.add(cached)
            return ArticleResult(cached, from_cache=True)
        try:
            result = await self.fetcher.fetch(
                url,
                max_bytes=PAGE_BYTES,
                accept=PAGE_ACCEPT,
            )
        except FetchError as error:
            if summary:
                article = await asyncio.to_thread(self._summary_article, url, summary, error.reason)
                return ArticleResult(article, notice=f"Showing the feed's summary: {error.reason}")
            raise
        raw = raw_response(result)
        article = await asyncio.to_thread(extract_and_store, self.cache, url, raw, summary)
        if article.source not in ("failed", "summary"):
            self._offline_set.add(url)  # extract_and_store has just cached it
        self._text_index.add(article)
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
        """Fetch and extract every URL not yet available offline. Returns (fetched, failures).

        `concurrency` pages are worked on at once: each is fetched (within the Fetcher's global
        and per-host limits) and then extracted, in a worker process when there are workers.
        A fixed number of tasks, rather than one per URL, keeps at most that many pages in
        memory however long the list is.
        """
        ready = await asyncio.to_thread(self.offline_urls)
        todo = [u for u in dict.fromkeys(urls) if u not in ready]
        failures: list[tuple[str, str]] = []
        done = 0
        pending = iter(todo)

        async def work() -> None:
            nonlocal done
            for url in pending:  # one shared iterator: each URL goes to exactly one task
                error = await self._prefetch_one(url)
                if error is not None:
                    failures.append((url, error))
                done += 1
                if on_progress:
                    on_progress(done, len(todo), url, error)

        tasks = max(1, min(self.config.settings.concurrency, len(todo)))
        try:
            await asyncio.gather(*(work() for _ in range(tasks)))
        finally:
            self._offline_set.forget()  # pages came (and others may have been evicted)
        return len(todo) - len(failures), failures

    async def _prefetch_one(self, url: str) -> str | None:
        """Fetch, extract and cache one page: None when done, else why not."""
        try:
            result = await self.fetcher.fetch(
                url,
                max_bytes=PAGE_BYTES,
                accept=PAGE_ACCEPT,
            )
            raw = raw_response(result)
            error = await self._offload(prefetch_page, url, raw)
            if error is None:
                await self._prefetch_pictures(url)
            return error
        except BroadsheetError as error:
            return error.reason
        except Exception as error:  # one bad page never stops the others
            return f"unexpected error ({type(error).__name__})"

    # -- offline reading (broadsheet prefetch) ----------------------------------------------------

    def prefetch_plan(self) -> PrefetchPlan:
        """What prefetching would do now, from the cached feeds of every subscription: how many
        stories there are, which unread ones have a page to read, and which of those are not yet
        available offline. A feed with `fetch_full = false` is read from its own text, already
        stored with it, so its stories need no page. Disk work: call in a thread."""
        read = self.state.read_ids()
        ready = self.offline_urls()
        stories = 0
        unread: dict[str, None] = {}
        todo: dict[str, None] = {}
        for sub in self.subscriptions:
            feed = self.cached_feed(sub.url)
            if feed is None:
                continue
            stories += len(feed.entries)
            for entry in feed.entries:
                if not entry.url or (entry.feed_url, entry.id) in read:
                    continue
                unread[entry.url] = None
                if sub.fetch_full and entry.url not in ready:
                    todo[entry.url] = None
        return PrefetchPlan(stories, tuple(unread), tuple(todo))

    # -- cache maintenance ------------------------------------------------------------------------

    def cache_info(self) -> CacheStats:
        """Where the cache is, its size, entries, articles available offline and oldest entry."""
        return self.cache.stats()

    def clear_cache(self) -> int:
        """Empty the cache (pages, feeds, articles, refresh times; the user's read and starred
        state is kept elsewhere). Returns how many entries were removed. Disk work."""
        return self.cache.clear()

    def storage_notices(self) -> list[str]:
        """One plain sentence for each problem with storage so far (a cache or state file that
        could not be opened or written), to show once."""
        notices = (self.cache.notice, self.state.notice, self._sync_notice)
        return [n for n in dict.fromkeys(notices) if n]

    # -- podcasts ---------------------------------------------------------------------------------

    def podcast_episodes(self, feeds: Sequence[Feed], limit: int = 50) -> list[Episode]:
        """The latest episodes of every feed that carries audio, newest first."""
        episodes = [ep for feed in feeds for entry in feed.entries for ep in entry.episodes]
        episodes.sort(key=lambda e: e.published or "", reverse=True)
        return episodes[:limit]

    # -- episode lengths (broadsheet feed) --------------------------------------------------------

    async def measure_feed(self, feed: Feed, *, limit: int = MEASURE_LIMIT) -> Feed:
        """The feed with the lengths its episodes lack filled in, as the sidebar does: from
        earlier measurements in the cache, else measured from the first bytes of the file (one
        or two Range requests, two files at a time, the result cached). Only the first `limit`
        files still unknown (the newest entries) are measured, so a long back catalogue costs
        at most `limit` small requests; offline, only cached lengths are used. Never raises:
        a file that cannot be measured keeps its unknown length."""
        unknown = {
            episode.url: episode
            for entry in feed.entries
            for episode in entry.episodes
            if episode.duration_seconds is None
        }
        if not unknown:
            return feed

        def from_cache() -> list[Episode]:
            with self.cache.batch():  # one transaction for the lot (see Cache.batch)
                return [self.listening.known_length(e) for e in unknown.values()]

        known = await asyncio.to_thread(from_cache)
        lengths = {e.url: e for e in known if e.duration_seconds is not None}
        still = [e for e in known if e.duration_seconds is None][: max(0, limit)]
        measured = await asyncio.gather(
            *(self.listening.measure(e) for e in still), return_exceptions=True
        )
        for result in measured:
            if isinstance(result, Episode) and result.duration_seconds is not None:
                lengths[result.url] = result
        if not lengths:
            return feed

        def filled(episode: Episode) -> Episode:
            found = lengths.get(episode.url)
            if found is None or episode.duration_seconds is not None:
                return episode
            return replace(
                episode, duration_seconds=found.duration_seconds, estimated=found.estimated
            )

        entries = tuple(
            replace(entry, episodes=tuple(filled(e) for e in entry.episodes))
            if any(e.url in lengths for e in entry.episodes)
            else entry
            for entry in feed.entries
        )
        return replace(feed, entries=entries)

    # -- user state ------------------------------------------------------------------------------

    def mark_read(self, entries: Sequence[Entry], read: bool = True) -> None:
        keys = [(e.feed_url, e.id) for e in entries]
        self.state.set_read(keys, read)
        self._queue_marks(keys, "read", read)

    def set_starred(self, entry: Entry, starred: bool) -> None:
        self.state.set_starred(entry, starred)
        self._queue_marks([(entry.feed_url, entry.id)], "star", starred)

    # -- for the UI: settings ---------------------------------------------------------------------

    @property
    def reader_width(self) -> int:
        """The reader's widest line, in cells."""
        return self.config.settings.reader_width

    @property
    def theme(self) -> str:
        return self.config.settings.theme

    @property
    def keys(self) -> dict[str, str]:
        """Keys remapped in the config: binding id → "keys,comma,separated"."""
        return dict(self.config.keys)

    def can_unsubscribe(self, url: str) -> bool:
        """Whether `url` is a subscription the user can remove: one of the config file's, or
        one the sync server follows (not the sample edition, which is on with --sample or
        sample_edition)."""
        return any(sub.url == url for sub in (*self.config.feeds, *self._server_only_feeds()))

    # -- for the UI: reading state ----------------------------------------------------------------

    def read_ids(self) -> frozenset[tuple[str, str]]:
        """Every (feed_url, entry_id) marked read. Disk work: call in a thread."""
        return self.state.read_ids()

    def starred(self) -> list[Entry]:
        """The starred stories, newest star first. Disk work: call in a thread."""
        return self.state.starred()

    def position(self, url: str) -> float | None:
        """How far down the article at `url` the reader was (0..1), if it was left open."""
        return self.state.position(url)

    def set_position(self, url: str, fraction: float) -> None:
        """Keep how far down the article at `url` the reader was. Disk work: call in a thread."""
        self.state.set_position(url, fraction)

    # -- for the UI: search and the offline set ---------------------------------------------------

    def available_offline(self) -> frozenset[str]:
        """The URLs whose article reads offline. Kept in memory, grown as articles are cached,
        read again after a refresh or a prefetch; the first call after those reads the cache's
        keys: call in a thread."""
        return self._offline_set.urls()

    def index_cached_articles(self, urls: Sequence[str], stop: Callable[[], bool]) -> int:
        """Read the cached articles among `urls` into the search index (once each); how many
        were added. `stop` is asked between articles. Disk and CPU work: call in a thread."""
        offline = self.available_offline()
        return self._text_index.fill(
            (url for url in urls if url in offline), self.cached_article, stop=stop
        )

    def search_text(self, needle: str) -> set[str]:
        """URLs of the indexed articles whose text contains `needle` (case-insensitive).
        CPU work over every indexed article: call in a thread."""
        urls = self._text_index.matching(needle)
        return urls | self._transcript_pages(urls)  # a transcript found: its story too
