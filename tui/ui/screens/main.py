"""The main screen: story list | reader | podcast sidebar, with a status bar.

Domain state lives in the NewsService; this screen holds only what it shows (the rows and the
entry behind each) and asks the service for everything else from workers, so no key press
waits for the disk or the network.
"""

from __future__ import annotations

import asyncio
import threading
import time
import webbrowser
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from tui.core.config import Subscription
from tui.core.durations import format_duration
from tui.core.errors import BroadsheetError
from tui.core.models import Entry, Episode
from tui.core.service import FeedStatus, RefreshProgress
from tui.core.state import EpisodeMark
from tui.core.textindex import TextIndex
from tui.ui.heap import freeze_start_up_heap
from tui.ui.messages import ArticleFailed, ArticleLoaded, RefreshProgressed
from tui.ui.rows import VIEWS, RowSet, Superseded, View, build_rows, tags_of
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.podcast_sidebar import PodcastSidebar
from tui.ui.widgets.status_bar import StatusBar, progress_bar
from tui.ui.widgets.story_list import StoryList, StoryRow

if TYPE_CHECKING:
    from tui.core.service import NewsService

_T = TypeVar("_T")
_Cached = tuple[list[FeedStatus], RowSet, list[Episode], dict[str, EpisodeMark]]


def _in_thread(function: Callable[[], _T]) -> Future[_T]:
    """Run `function` in a new daemon thread; its result (or exception) comes in the Future."""
    future: Future[_T] = Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(function())
            except BaseException as error:  # handed to whoever awaits the future
                future.set_exception(error)

    threading.Thread(target=run, name=f"broadsheet-{function.__name__}", daemon=True).start()
    return future


WIDE = 110  # below this many columns the podcast sidebar folds away (P shows it)
NARROW = 70  # below this, one pane at a time
FIRST_FRAME_WAIT = 0.25  # seconds the first frame may wait for the cached stories


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="app.quit"),
        Binding("escape,h,backspace", "back", "Back", id="main.back"),
        Binding("question_mark", "help", "Help", key_display="?", id="main.help"),
        Binding("r", "refresh_feed", "Refresh feed", id="main.refresh_feed"),
        Binding("R", "refresh_all", "Refresh all", id="main.refresh_all"),
        Binding("o", "open_browser", "Open in browser", id="main.open_browser"),
        Binding("y", "copy_url", "Copy URL", show=False, id="main.copy_url"),
        Binding("s", "toggle_star", "Star", show=False, id="main.star"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="main.toggle_read"),
        Binding("A", "mark_feed_read", "Mark feed read", show=False, id="main.mark_feed_read"),
        Binding("C", "mark_all_read", "Mark all read", show=False, id="main.mark_all_read"),
        Binding("v", "cycle_view", "View all/unread/starred", show=False, id="main.cycle_view"),
        Binding("slash", "search", "Search", key_display="/", id="main.search"),
        Binding("H", "history_back", "Back (link history)", show=False, id="main.history_back"),
        Binding(
            "L", "history_forward", "Forward (link history)", show=False, id="main.history_forward"
        ),
        Binding("f", "feed_view", "This feed only / all", show=False, id="main.feed_view"),
        Binding("t", "cycle_tag", "View by folder/tag", show=False, id="main.cycle_tag"),
        Binding("a", "add_feed", "Add feed", id="main.add_feed"),
        Binding("F", "feeds", "Feeds and errors", show=False, id="main.feeds"),
        Binding("P", "toggle_podcasts", "Podcasts", show=False, id="main.toggle_podcasts"),
        Binding("p", "play", "Play episode", show=False, id="main.play"),
        Binding("x", "stop_playing", "Stop playing", show=False, id="main.stop_playing"),
        Binding("d", "download", "Download episode", show=False, id="main.download"),
        Binding("D", "prefetch", "Make available offline", show=False, id="main.prefetch"),
        *[
            Binding(
                str(n), f"follow_link({n})", f"Follow link {n}", show=False, id=f"main.link_{n}"
            )
            for n in range(1, 10)
        ],
    ]

    DEFAULT_CSS = """
    MainScreen #panes { height: 1fr; }
    MainScreen #stories-pane { width: 42%; min-width: 30; max-width: 90; border-right: tall $panel; }
    MainScreen #search { display: none; height: 3; }
    MainScreen #search.-visible { display: block; }
    MainScreen StoryList { height: 1fr; }
    MainScreen ArticleView { width: 1fr; }
    MainScreen PodcastSidebar { border-left: tall $panel; }
    MainScreen.-medium PodcastSidebar { display: none; }
    MainScreen.-medium.-show-podcasts PodcastSidebar { display: block; }
    MainScreen.-narrow #stories-pane { width: 1fr; border-right: none; }
    MainScreen.-narrow ArticleView { display: none; }
    MainScreen.-narrow.-reading #stories-pane { display: none; }
    MainScreen.-narrow.-reading ArticleView { display: block; width: 1fr; }
    MainScreen.-narrow PodcastSidebar { display: none; }
    """

    def __init__(self, service: NewsService) -> None:
        super().__init__()
        self.service = service
        self.statuses: list[FeedStatus] = []
        self.rowset = RowSet([], [], 0, 0)
        self.view: View = "all"
        self.query_text = ""
        self.current: Entry | None = None  # the entry whose article is wanted in the reader
        self.feed_filter: str | None = None  # show one feed only
        self.tag: str | None = None  # show the feeds with this folder or tag only
        self.text_index = TextIndex()  # the words of cached articles, for search
        self._back: list[Entry] = []  # pages followed from links: H goes back, L forward
        self._forward: list[Entry] = []
        self._refreshing = False
        self._offline_urls: set[str] | None = None  # see _offline
        # The cache is read at once, in a thread: by the time Textual has started and mounted
        # this screen the stories are ready, and the first frame with them comes sooner.
        self._first_read: Future[_Cached] | None = _in_thread(self._read_cache)

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="stories-pane"):
                yield StoryList(id="stories")
            yield ArticleView(id="reader")
            yield PodcastSidebar(id="podcasts")
        yield StatusBar(id="status")
        yield KeyBar()

    @property
    def stories(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def reader(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def sidebar(self) -> PodcastSidebar:
        return self.query_one(PodcastSidebar)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    async def on_mount(self) -> None:
        self.status.offline = self.service.offline
        self.reader.set_width(self.service.config.settings.reader_width)
        self.stories.focus()
        first_read, self._first_read = self._first_read, None
        if first_read is None:
            self.load_cached()
        else:
            # The screen is not painted before this returns: wait (briefly) for the cache, so
            # the first frame shows the stories instead of an empty list followed by them.
            await asyncio.wait([asyncio.wrap_future(first_read)], timeout=FIRST_FRAME_WAIT)
            if first_read.done() and first_read.exception() is None:
                self._cache_loaded(first_read.result())
            else:
                self.load_cached(first_read)
        self.call_after_refresh(freeze_start_up_heap)
        minutes = self.service.config.settings.refresh_minutes
        if minutes > 0 and not self.service.offline:
            self.set_interval(minutes * 60, self._scheduled_refresh)

    def _scheduled_refresh(self) -> None:
        if not self._refreshing:
            self.refresh_all()

    def on_resize(self) -> None:
        width = self.size.width
        self.set_class(width < WIDE, "-medium")
        self.set_class(width < NARROW, "-narrow")

    # -- loading ----------------------------------------------------------------------------------

    def _read_cache(self) -> _Cached:
        """(In a thread.) The feeds' statuses and the rows, episodes and marks built from them."""
        statuses = self.service.statuses()
        return statuses, *self._build_rows(statuses)

    def _build_rows(
        self, statuses: list[FeedStatus], cancelled: Callable[[], bool] = lambda: False
    ) -> tuple[RowSet, list[Episode], dict[str, EpisodeMark]]:
        """(In a thread.) The story rows of the current view, the episodes and their marks."""
        service = self.service
        rowset = build_rows(
            statuses,
            service.state.read_ids(),
            service.state.starred(),
            view=self.view,
            query=self.query_text,
            feed_filter=self.feed_filter,
            tag=self.tag,
            offline=self._offline(),
            text_matches=self.text_index.matching(self.query_text),
            cancelled=cancelled,
        )
        episodes = [
            service.listening.known_length(e)  # lengths measured before: shown at once, no flicker
            for e in service.podcast_episodes([s.feed for s in statuses if s.feed])
        ]
        return rowset, episodes, service.listening.marks()

    def _offline(self) -> set[str]:
        """(In a thread.) The URLs readable offline. One pass over the cache's keys costs
        ~16 ms per 1,000 cached pages here, too much for every keystroke of a search: the set
        is kept, grown as articles open, and read again after a refresh or a prefetch."""
        urls = self._offline_urls
        if urls is None:
            urls = self._offline_urls = self.service.offline_urls()
        return urls

    def _cache_changed(self) -> None:
        """Pages may have come or gone (a refresh, a prefetch): the offline set is read again
        with the rows rebuilt."""
        self._offline_urls = None
        self.rebuild_rows()

    @work(group="cached", exclusive=True, exit_on_error=False)
    async def load_cached(self, reading: Future[_Cached] | None = None) -> None:
        """Show what the cache has (`reading`: a read already under way), then refresh."""
        self._cache_loaded(await asyncio.wrap_future(reading or _in_thread(self._read_cache)))

    def _cache_loaded(self, cached: _Cached) -> None:
        statuses, rowset, episodes, marks = cached
        self.statuses = statuses
        self._rows_built(rowset, episodes, marks)
        if self.service.offline:
            self.status.message = "Offline: showing the cache."
        elif statuses:
            self.refresh_all()

    @work(thread=True, group="rows", exclusive=True, exit_on_error=False)
    def rebuild_rows(self) -> None:
        # A thread cannot be stopped: a rebuild that a newer one replaced (each keystroke of
        # a search starts one) gives up at the next feed instead of running to the end.
        worker = get_current_worker()
        try:
            built = self._build_rows(self.statuses, cancelled=lambda: worker.is_cancelled)
        except Superseded:
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._rows_built, *built)

    def _rows_built(
        self, rowset: RowSet, episodes: list[Episode], marks: dict[str, EpisodeMark]
    ) -> None:
        keep = None
        cursor = self.stories.cursor
        if 0 <= cursor < len(self.rowset.rows):
            keep = self.rowset.rows[cursor].key
        self.rowset = rowset
        self.stories.set_rows(rowset.rows, keep_key=keep)
        self.stories.highlight = self.query_text
        self.sidebar.set_episodes(feeds=episodes)
        self.sidebar.set_marks(marks, self._playing_url())
        self.measure_lengths(episodes)
        self._show_counts()
        if (
            self.service.offline
            and self.statuses
            and not rowset.story_total
            and self.current is None
        ):
            self.reader.show_message(
                "Offline, and nothing is cached yet.\n\nRun broadsheet without --offline once to fetch your feeds."
            )
        if not rowset.rows and not self.statuses:
            self.reader.show_message(
                "No subscriptions yet. Add a feed with `broadsheet add URL`, or run `broadsheet --sample`."
            )

    def _show_counts(self) -> None:
        view = "" if self.view == "all" else f" · {self.view}"
        if self.tag:
            view += f" · {self.tag}"
        self.status.counts = f"{self.rowset.unread_total} unread of {self.rowset.story_total}{view}"

    @work(group="refresh", exclusive=True, exit_on_error=False)
    async def refresh_all(self) -> None:
        if self.service.offline:
            self.status.message = "Offline: refresh is off."
            return
        self._refreshing = True
        total = len(self.service.subscriptions)
        self.status.progress = f"Refreshing 0/{total}…"

        def progress(update: RefreshProgress) -> None:
            self.post_message(RefreshProgressed(update))

        try:
            report = await self.service.refresh_all(progress)
        finally:
            self._refreshing = False
        self.statuses = [s if s.feed else self._keep_cached(s) for s in report.statuses]
        failures = report.failures
        self.status.progress = ""
        self.status.message = (
            f"{len(failures)} feed(s) failed: {failures[0].subscription.url}: {failures[0].error}"
            if failures
            else f"Refreshed {total} feeds."
        )
        self._cache_changed()

    def _keep_cached(self, status: FeedStatus) -> FeedStatus:
        old = next(
            (s for s in self.statuses if s.subscription.url == status.subscription.url), None
        )
        if old is not None and old.feed is not None:
            return FeedStatus(status.subscription, old.feed, status.error, status.error_at)
        return status

    @on(RefreshProgressed)
    def _on_refresh_progress(self, message: RefreshProgressed) -> None:
        if not self._refreshing:
            return  # a late message, handled after the refresh ended: nothing is in progress
        p = message.progress
        self.status.progress = f"Refreshing {p.done}/{p.total}…"

    @work(group="refresh_one", exclusive=True, exit_on_error=False)
    async def refresh_one(self, url: str) -> None:
        sub = next((s for s in self.service.subscriptions if s.url == url), None)
        if sub is None:
            return
        self.status.progress = "Refreshing feed…"
        status = await self.service.refresh_feed(sub)
        self.status.progress = ""
        self.statuses = [status if s.subscription.url == url else s for s in self.statuses]
        self.status.message = f"{url}: {status.error}" if status.error else "Feed refreshed."
        self._cache_changed()

    # -- the story list ---------------------------------------------------------------------------

    def entry_at_cursor(self) -> Entry | None:
        index = self.stories.cursor
        if 0 <= index < len(self.rowset.entries):
            return self.rowset.entries[index]
        return None

    def feed_url_at_cursor(self) -> str | None:
        index = self.stories.cursor
        for i in range(min(index, len(self.rowset.rows) - 1), -1, -1):
            row = self.rowset.rows[i]
            if row.kind == "feed":
                return row.key
        return None

    @on(StoryList.Selected)
    def _on_story_selected(self, event: StoryList.Selected) -> None:
        entry = (
            self.rowset.entries[event.index]
            if 0 <= event.index < len(self.rowset.entries)
            else None
        )
        if entry is not None:
            self.open_entry(entry, event.index)

    def open_entry(self, entry: Entry, index: int) -> None:
        self._remember_position()
        self._back.clear()
        self._forward.clear()
        self.current = entry
        self.add_class("-reading")
        self.reader.show_message(f"Loading {entry.title}…")
        if index < len(self.rowset.rows) and self.rowset.rows[index].unread:
            self._set_read(index, entry, True)
        self.reader.focus()
        if entry.url:
            self.load_article(entry)
        else:
            self.reader.show_message(entry.summary or "This story has no link and no text.")

    def _set_read(self, index: int, entry: Entry, read: bool) -> None:
        row = self.rowset.rows[index]
        if row.unread == read:  # the state changes: keep the totals in step
            self.rowset = replace(
                self.rowset, unread_total=self.rowset.unread_total + (-1 if read else 1)
            )
            self._show_counts()
        self.rowset.rows[index] = StoryRow(
            row.kind, row.key, row.title, row.meta, not read, row.starred, row.offline
        )
        self.stories.update_row(index, self.rowset.rows[index])
        self.mark_read_worker([entry], read)

    @work(thread=True, group="state", exit_on_error=False)
    def mark_read_worker(self, entries: list[Entry], read: bool) -> None:
        self.service.mark_read(entries, read)

    @work(group="article", exclusive=True, exit_on_error=False)
    async def load_article(self, entry: Entry) -> None:
        url = entry.url or ""
        try:
            result = await self.service.load_article(url, summary=entry.summary or None)
        except BroadsheetError as error:
            self.post_message(ArticleFailed(url, error.reason))
            return
        self.post_message(ArticleLoaded(url, result))

    @on(ArticleLoaded)
    def _on_article_loaded(self, message: ArticleLoaded) -> None:
        if self.current is None or self.current.url != message.url:
            return  # the user moved on: a stale result is never shown
        matches = self.reader.show(
            message.result.article, notice=message.result.notice, highlight=self.query_text
        )
        self.text_index.add(message.result.article)
        if self._offline_urls is not None and message.result.article.source not in (
            "failed",
            "summary",
        ):
            self._offline_urls.add(message.url)  # the service has just cached it
        self._restore_position(message.result.article.url)
        self.sidebar.set_episodes(article=message.result.article.episodes)
        self.measure_lengths(list(message.result.article.episodes))
        if message.result.notice:
            self.status.message = message.result.notice
        elif matches:
            self.status.message = (
                f"{matches} × “{self.query_text.strip()}” highlighted in this article."
            )

    @work(thread=True, group="position", exclusive=True, exit_on_error=False)
    def _restore_position(self, url: str) -> None:
        fraction = self.service.state.position(url)
        if fraction:
            self.app.call_from_thread(self._scroll_reader_to, url, fraction)

    def _scroll_reader_to(self, url: str, fraction: float) -> None:
        article = self.reader.article
        if article is not None and article.url == url:
            self.reader.scroll_to(y=fraction * self.reader.max_scroll_y, animate=False)

    @on(ArticleFailed)
    def _on_article_failed(self, message: ArticleFailed) -> None:
        if self.current is None or self.current.url != message.url:
            return
        self.reader.show_message(f"Could not load this article.\n\n{message.url}\n{message.reason}")
        self.status.message = f"{message.url}: {message.reason}"

    # -- actions ----------------------------------------------------------------------------------

    def action_back(self) -> None:
        search = self._search_input()
        if search is not None and search.has_focus:
            self._close_search(clear=True)
            return
        self._remember_position()
        self.remove_class("-reading")
        self.stories.focus()

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen, live_binding_rows

        rows = live_binding_rows(
            [(key, active.binding) for key, active in self.active_bindings.items()]
        )
        rows += live_binding_rows(self._all_bindings())
        seen: set[str] = set()
        unique = [r for r in rows if not (r[1] in seen or seen.add(r[1]))]  # type: ignore[func-returns-value]
        self.app.push_screen(HelpScreen(unique))

    def _all_bindings(self) -> list[tuple[str, Binding]]:
        pairs: list[tuple[str, Binding]] = []
        for widget in (self.stories, self.reader, self.sidebar):
            for key, bindings in widget._bindings.key_to_bindings.items():
                pairs += [(key, b) for b in bindings]
        return pairs

    def action_refresh_all(self) -> None:
        self.refresh_all()

    def action_refresh_feed(self) -> None:
        url = (
            self.current.feed_url
            if self.focused is self.reader and self.current
            else self.feed_url_at_cursor()
        )
        if url and not self.service.offline:
            self.refresh_one(url)
        elif self.service.offline:
            self.status.message = "Offline: refresh is off."

    def _target_entry(self) -> Entry | None:
        if self.focused is self.reader and self.current is not None:
            return self.current
        return self.entry_at_cursor() or self.current

    def action_open_browser(self) -> None:
        entry = self._target_entry()
        url = entry.url if entry else None
        if not url or not url.startswith(("http://", "https://")):
            self.status.message = "This story has no web address to open."
            return
        self._open_in_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_in_browser(self, url: str) -> None:
        opened = webbrowser.open(url)
        self.app.call_from_thread(
            setattr,
            self.status,
            "message",
            "Opened in the browser." if opened else "No browser found.",
        )

    def action_copy_url(self) -> None:
        entry = self._target_entry()
        if entry and entry.url:
            self.app.copy_to_clipboard(entry.url)
            self.status.message = "Copied the story's address."

    def action_toggle_star(self) -> None:
        index = self.stories.cursor
        entry = self.entry_at_cursor()
        if entry is None:
            return
        row = self.rowset.rows[index]
        starred = not row.starred
        self.rowset.rows[index] = StoryRow(
            row.kind, row.key, row.title, row.meta, row.unread, starred, row.offline
        )
        self.stories.update_row(index, self.rowset.rows[index])
        self._star_worker(entry, starred)
        self.status.message = "Starred." if starred else "Unstarred."

    @work(thread=True, group="state", exit_on_error=False)
    def _star_worker(self, entry: Entry, starred: bool) -> None:
        self.service.set_starred(entry, starred)

    def action_toggle_read(self) -> None:
        entry = self.entry_at_cursor()
        if entry is not None:
            index = self.stories.cursor
            self._set_read(index, entry, self.rowset.rows[index].unread)

    def action_mark_feed_read(self) -> None:
        url = self.feed_url_at_cursor()
        if url:
            self._mark_many([e for e in self.rowset.entries if e is not None and e.feed_url == url])

    def action_mark_all_read(self) -> None:
        self._mark_many([e for e in self.rowset.entries if e is not None])

    def _mark_many(self, entries: list[Entry]) -> None:
        self._mark_many_worker(entries)

    @work(thread=True, group="state", exit_on_error=False)
    def _mark_many_worker(self, entries: list[Entry]) -> None:
        self.service.mark_read(entries, True)
        self.app.call_from_thread(self.rebuild_rows)

    def action_cycle_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.status.message = f"Showing {self.view} stories."
        self.rebuild_rows()

    def action_toggle_podcasts(self) -> None:
        self.toggle_class("-show-podcasts")

    def action_follow_link(self, number: int) -> None:
        article = self.reader.article
        if article is None or not 1 <= number <= len(article.links):
            self.status.message = f"No link {number} in this article."
            return
        link = article.links[number - 1]
        entry = Entry(
            id=link.url,
            feed_url=self.current.feed_url if self.current else "",
            title=link.text or link.url,
            url=link.url,
        )
        self._visit(entry)

    def action_toggle_offline(self) -> None:
        """Work from the cache only (a plane, a metered line), or go back online and refresh."""
        offline = not self.service.offline
        self.service.set_offline(offline)
        self.status.offline = offline
        if offline:
            self.workers.cancel_group(self, "refresh")
            self.status.progress = ""
            self.status.message = "Offline: reading from the cache; nothing is fetched."
        else:
            self.status.message = "Online."
            self.refresh_all()

    def action_open_url(self) -> None:
        from tui.ui.screens.open_url import OpenUrlScreen

        def chosen(url: str | None) -> None:
            if url:
                self.open_url(url)

        self.app.push_screen(OpenUrlScreen(), chosen)

    def open_url(self, url: str) -> None:
        """Read any web page in the reader (H goes back to what was open before)."""
        self.add_class("-reading")
        self._visit(Entry(id=url, feed_url="", title=url, url=url))

    def _visit(self, entry: Entry) -> None:
        """Open a page that was not in a feed (a link, an address): H comes back from it."""
        if self.current is not None:
            self._back.append(self.current)
            self._forward.clear()
        self._open_in_reader(entry)

    def _open_in_reader(self, entry: Entry) -> None:
        self._remember_position()
        self.current = entry
        self.reader.show_message(f"Loading {entry.title}…")
        self.load_article(entry)

    def action_history_back(self) -> None:
        if not self._back:
            self.status.message = "No earlier page in this reading."
            return
        if self.current is not None:
            self._forward.append(self.current)
        self._open_in_reader(self._back.pop())

    def action_history_forward(self) -> None:
        if not self._forward:
            self.status.message = "No later page."
            return
        if self.current is not None:
            self._back.append(self.current)
        self._open_in_reader(self._forward.pop())

    def action_feed_view(self) -> None:
        """Show only the feed under the cursor; again to show every feed."""
        if self.feed_filter is not None:
            self.feed_filter = None
            self.status.message = "Showing every feed."
        else:
            self.feed_filter = self.feed_url_at_cursor()
            self.status.message = "Showing one feed (f again for all)."
        self.rebuild_rows()

    def action_cycle_tag(self) -> None:
        """Next folder or tag (feeds with it only); after the last, every feed again."""
        tags = tags_of(self.statuses)
        if not tags:
            self.status.message = (
                'No folders or tags yet: give feeds a folder or tags = ["…"] in the config.'
            )
            return
        position = tags.index(self.tag) + 1 if self.tag in tags else 0
        self.show_tag(tags[position] if position < len(tags) else None)

    def show_tag(self, tag: str | None) -> None:
        """Show the feeds with folder or tag `tag` only (None: every feed)."""
        self.tag = tag
        self.status.message = f"Showing {tag} (t for the next)." if tag else "Showing every feed."
        self.rebuild_rows()

    def _remember_position(self) -> None:
        """Keep how far down the open article the reader was, for next time."""
        article = self.reader.article
        if article is not None and self.reader.max_scroll_y > 0:
            fraction = self.reader.scroll_y / self.reader.max_scroll_y
            self._save_position(article.url, fraction)

    @work(thread=True, group="state", exit_on_error=False)
    def _save_position(self, url: str, fraction: float) -> None:
        self.service.state.set_position(url, fraction)

    # -- subscriptions ----------------------------------------------------------------------------

    def action_add_feed(self) -> None:
        from tui.ui.screens.feeds import AddFeedScreen

        self.app.push_screen(AddFeedScreen(self.service), self._subscribe)

    def _subscribe(self, sub: Subscription | None) -> None:
        if sub is not None:
            self._subscribe_worker(sub)

    @work(thread=True, group="subscribe", exit_on_error=False)
    def _subscribe_worker(self, sub: Subscription) -> None:
        try:
            self.service.subscribe(sub)
        except OSError as error:
            self.app.call_from_thread(
                setattr, self.status, "message", f"Could not save the config: {error.strerror}"
            )
            return
        self.app.call_from_thread(self._subscribed, sub)

    def _subscribed(self, sub: Subscription) -> None:
        self.statuses = [*self.statuses, FeedStatus(sub)]
        self.status.message = f"Subscribed to {sub.title or sub.url}."
        self.refresh_one(sub.url)

    def action_feeds(self) -> None:
        from tui.ui.screens.feeds import FeedsScreen

        self.app.push_screen(FeedsScreen(list(self.statuses)), self._remove_feed)

    def _remove_feed(self, url: str | None) -> None:
        if url is None:
            return
        if not any(f.url == url for f in self.service.config.feeds):
            self.status.message = "The sample edition cannot be removed here (it is on with --sample or sample_edition)."
            return
        self._unsubscribe_worker(url)

    @work(thread=True, group="subscribe", exit_on_error=False)
    def _unsubscribe_worker(self, url: str) -> None:
        self.service.unsubscribe(url)
        self.app.call_from_thread(self._unsubscribed, url)

    def _unsubscribed(self, url: str) -> None:
        self.statuses = [s for s in self.statuses if s.subscription.url != url]
        self.status.message = f"Removed {url}."
        self.rebuild_rows()

    # -- search -----------------------------------------------------------------------------------

    def _search_input(self) -> Input | None:
        """The search box, or None before the first `/`: it is mounted on first use."""
        return next(iter(self.query("#search").results(Input)), None)

    async def action_search(self) -> None:
        search = self._search_input()
        if search is None:
            search = Input(
                placeholder="Search titles and cached articles… (enter keeps, escape clears)",
                id="search",
            )
            await self.query_one("#stories-pane").mount(search, before=0)
        search.add_class("-visible")
        search.focus()
        self.index_articles()

    @work(thread=True, group="index", exclusive=True, exit_on_error=False)
    def index_articles(self) -> None:
        """Read the cached articles of the listed stories into the search index (once each)."""
        worker = get_current_worker()
        urls = [e.url for s in self.statuses if s.feed for e in s.feed.entries if e.url]
        offline = self._offline()
        added = self.text_index.fill(
            (url for url in urls if url in offline),
            self.service.cached_article,
            stop=lambda: worker.is_cancelled,
        )
        if added and self.query_text:
            self.app.call_from_thread(self.rebuild_rows)

    @on(Input.Changed, "#search")
    def _on_search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.rebuild_rows()

    @on(Input.Submitted, "#search")
    def _on_search_submitted(self) -> None:
        self._close_search(clear=False)

    def _close_search(self, clear: bool) -> None:
        search = self.query_one("#search", Input)
        if clear:
            search.value = ""
            self.query_text = ""
            self.rebuild_rows()
        if not search.value:
            search.remove_class("-visible")
        self.stories.focus()

    # -- podcasts ---------------------------------------------------------------------------------

    def action_play(self) -> None:
        episode = self.sidebar.highlighted_episode()
        if episode is None and self.reader.article and self.reader.article.episodes:
            episode = self.reader.article.episodes[0]
        if episode is not None:
            self.play_episode(episode)

    @on(PodcastSidebar.EpisodeChosen)
    def _on_episode_chosen(self, event: PodcastSidebar.EpisodeChosen) -> None:
        self.play_episode(event.episode)

    @work(thread=True, group="player", exit_on_error=False)
    def play_episode(self, episode: Episode) -> None:
        """Start the player where the user left this episode; note how it ends."""

        def ended(episode: Episode, message: str) -> None:  # from the player's watcher thread
            self.app.call_from_thread(self._player_ended, message)

        try:
            start = self.service.listening.play(episode, on_end=ended)
            where = f" from {format_duration(start)}" if start else ""
            message = f"Playing{where}: {episode.title or episode.url}  (x stops)"
        except BroadsheetError as error:
            message = error.reason
        self._say_from_thread(message)
        self._load_marks()

    def _say_from_thread(self, message: str) -> None:
        """(In a worker thread) put `message` in the status bar."""
        self.app.call_from_thread(setattr, self.status, "message", message)

    def _player_ended(self, message: str) -> None:
        self.status.message = message
        self.load_marks()

    def action_stop_playing(self) -> None:
        self.stop_playing()

    @work(thread=True, group="player", exit_on_error=False)
    def stop_playing(self) -> None:
        listening = self.service.listening
        episode = listening.stop()
        if episode is None:
            message = "Nothing is playing."
        else:
            mark = listening.state.episode_mark(episode.url)
            where = "played" if mark.played else f"at {format_duration(int(mark.seconds))}"
            message = f"Stopped {where}: {episode.title or episode.url}"
        self._say_from_thread(message)
        self._load_marks()

    @on(PodcastSidebar.PlayedToggled)
    def _on_played_toggled(self, event: PodcastSidebar.PlayedToggled) -> None:
        self.toggle_played(event.episode)

    @work(thread=True, group="marks", exit_on_error=False)
    def toggle_played(self, episode: Episode) -> None:
        played = self.service.listening.toggle_played(episode)
        title = episode.title or episode.url
        message = f"Marked played: {title}" if played else f"Marked unplayed: {title}"
        self._say_from_thread(message)
        self._load_marks()

    @work(thread=True, group="marks", exit_on_error=False)
    def load_marks(self) -> None:
        self._load_marks()

    def _load_marks(self) -> None:
        """(In a worker thread) show the played marks and what is playing in the sidebar."""
        marks = self.service.listening.marks()
        self.app.call_from_thread(self.sidebar.set_marks, marks, self._playing_url())

    def _playing_url(self) -> str | None:
        playing = self.service.listening.playing
        return playing.url if playing is not None else None

    @work(group="lengths", exit_on_error=False)
    async def measure_lengths(self, episodes: list[Episode]) -> None:
        """Fill in unknown lengths (cached, else measured from the file's head), a few at a time."""
        unknown = [e for e in episodes if e.duration_seconds is None][:20]
        for measured in asyncio.as_completed([self.service.listening.measure(e) for e in unknown]):
            episode = await measured
            if episode.duration_seconds is not None:
                self.sidebar.update_episode(episode)

    def action_download(self) -> None:
        episode = self.sidebar.highlighted_episode()
        if episode is None and self.reader.article and self.reader.article.episodes:
            episode = self.reader.article.episodes[0]
        if episode is None:
            self.status.message = "Choose an episode in the podcast sidebar first (tab to it)."
            return
        self.download_episode(episode)

    @work(group="download", exit_on_error=False)
    async def download_episode(self, episode: Episode) -> None:
        last = 0.0

        def progress(received: int, total: int | None) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > 0.25:  # coalesce: a few updates a second, not one per chunk
                last = now
                size = f"{received / 2**20:.1f}" + (f"/{total / 2**20:.1f}" if total else "")
                parts = ("Downloading", progress_bar(received, total), f"{size} MiB")
                self.status.progress = " ".join(part for part in parts if part)

        try:
            path = await self.service.listening.download(episode, progress)
        except BroadsheetError as error:
            self.status.progress = ""
            self.status.message = f"Download failed: {error.reason}"
            return
        self.status.progress = ""
        self.status.message = f"Downloaded to {path}"

    def action_prefetch(self) -> None:
        url = self.feed_url_at_cursor() if self.focused is self.stories else None
        entries = [
            e
            for e, r in zip(self.rowset.entries, self.rowset.rows, strict=True)
            if e is not None and r.unread and e.url
        ]
        if url:
            entries = [e for e in entries if e.feed_url == url]
        self.prefetch_entries([e.url for e in entries if e.url])

    @work(group="prefetch", exclusive=True, exit_on_error=False)
    async def prefetch_entries(self, urls: list[str]) -> None:
        if self.service.offline:
            self.status.message = "Offline: cannot fetch articles now."
            return

        def progress(done: int, total: int, url: str, error: str | None) -> None:
            self.status.progress = f"Making available offline {done}/{total}…"

        fetched, failures = await self.service.prefetch(urls, progress)
        self.status.progress = ""
        self.status.message = f"{fetched} articles available offline" + (
            f", {len(failures)} failed." if failures else "."
        )
        self._cache_changed()

    def jump_to_feed(self, url: str) -> None:
        """Move the cursor to the first story of the feed at `url`."""
        for index, row in enumerate(self.rowset.rows):
            if row.kind == "feed" and row.key == url:
                target = (
                    index + 1
                    if index + 1 < len(self.rowset.rows)
                    and self.rowset.rows[index + 1].kind == "story"
                    else index
                )
                self.stories.cursor = target
                self.stories.focus()
                return
