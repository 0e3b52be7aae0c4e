"""The stories pane: the feeds and their stories (the story list, the search box above it).

It owns what the list shows: the feeds' statuses, the rows built from them under a RowQuery
(view, search, one feed, folder or tag), and the features that change them: refresh,
subscribe and unsubscribe, read/star/mark-many, search, make-available-offline. Rows are
built in a thread worker from an immutable query, never from the live pane; results come back
as messages, and a result older than the last rebuild asked for is dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from tui.core.errors import BroadsheetError
from tui.core.models import Entry
from tui.core.service import FeedStatus, RefreshProgress
from tui.ui.messages import (
    Announced,
    CountsChanged,
    EntryOpened,
    FeedsChanged,
    ListEmptied,
    ProgressChanged,
    ReportsWorkers,
    SearchChanged,
)
from tui.ui.rows import (
    VIEWS,
    RowQuery,
    RowSet,
    Superseded,
    View,
    read_rows,
    refreshed_statuses,
    tags_of,
)
from tui.ui.widgets.story_list import StoryList, StoryRow

if TYPE_CHECKING:
    from tui.core.models import Subscription
    from tui.core.service import NewsService

NO_FEEDS = (
    "No subscriptions yet. Add a feed with `broadsheet add URL`, or run `broadsheet --sample`."
)
NOTHING_CACHED = "Offline, and nothing is cached yet.\n\nRun broadsheet without --offline once to fetch your feeds."


class _RowsBuilt(Message, bubble=False):
    def __init__(self, generation: int, rowset: RowSet) -> None:
        self.generation = generation
        self.rowset = rowset
        super().__init__()


class _RowsInvalidated(Message, bubble=False):
    """The user's state changed under the rows (many marked read): build them again."""


class StoriesPane(ReportsWorkers, Vertical):
    """The story list and its search box, with the feeds behind them."""

    def __init__(self, service: NewsService, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.service = service
        self.statuses: list[FeedStatus] = []
        self.rowset = RowSet([], [], 0, 0)
        self.query_rows = RowQuery()
        self._generation = 0  # of the last rebuild asked for: older results are dropped
        self._refresh: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield StoryList(id="stories")

    @property
    def stories(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def view(self) -> View:
        return self.query_rows.view

    @property
    def tag(self) -> str | None:
        return self.query_rows.tag

    @property
    def query_text(self) -> str:
        return self.query_rows.text

    @property
    def refreshing(self) -> bool:
        return self._refresh is not None and not self._refresh.is_finished

    def _announce(self, text: str) -> None:
        self.post_message(Announced(text))

    # -- rows -------------------------------------------------------------------------------------

    def show_cached(self, statuses: list[FeedStatus], rowset: RowSet) -> None:
        """Show what the cache had at start-up."""
        self.statuses = statuses
        self._show_rows(rowset)

    def _set_query(self, **changes: Any) -> None:
        self.query_rows = replace(self.query_rows, **changes)
        self.rebuild_rows()

    def rebuild_rows(self) -> None:
        self._generation += 1
        self._build_rows(self._generation, list(self.statuses), self.query_rows)

    @work(thread=True, group="rows", exclusive=True, exit_on_error=False, name="Listing stories")
    def _build_rows(self, generation: int, statuses: list[FeedStatus], query: RowQuery) -> None:
        # A thread cannot be stopped: a rebuild that a newer one replaced (each keystroke of
        # a search starts one) gives up at the next feed instead of running to the end.
        worker = get_current_worker()
        try:
            rowset = read_rows(self.service, statuses, query, lambda: worker.is_cancelled)
        except Superseded:
            return
        if not worker.is_cancelled:
            self.post_message(_RowsBuilt(generation, rowset))

    @on(_RowsBuilt)
    def _on_rows_built(self, message: _RowsBuilt) -> None:
        if message.generation == self._generation:  # else a newer rebuild is on its way
            self._show_rows(message.rowset)

    @on(_RowsInvalidated)
    def _on_rows_invalidated(self) -> None:
        self.rebuild_rows()

    def _show_rows(self, rowset: RowSet) -> None:
        keep = None
        stories = self.stories
        if 0 <= stories.cursor < len(self.rowset.rows):
            keep = self.rowset.rows[stories.cursor].key
        self.rowset = rowset
        stories.set_rows(rowset.rows, keep_key=keep)
        stories.highlight = self.query_text
        self._show_counts()
        emptied = self.emptied()
        if emptied is not None:
            self.post_message(emptied)

    @property
    def counts(self) -> str:
        """The totals for the status bar: "12 unread of 40 · unread · Folder"."""
        view = "" if self.view == "all" else f" · {self.view}"
        if self.tag:
            view += f" · {self.tag}"
        return f"{self.rowset.unread_total} unread of {self.rowset.story_total}{view}"

    def _show_counts(self) -> None:
        self.post_message(CountsChanged(self.counts))

    def emptied(self) -> ListEmptied | None:
        """Why the list is empty (offline with nothing cached, no feeds), if it is."""
        if self.service.offline and self.statuses and not self.rowset.story_total:
            return ListEmptied(NOTHING_CACHED)
        if not self.rowset.rows and not self.statuses:
            return ListEmptied(NO_FEEDS, even_when_reading=True)
        return None

    def feeds_changed(self, statuses: list[FeedStatus]) -> None:
        """New statuses: the rows are built again and the screen is told (the sidebar's
        episodes come from them)."""
        self.statuses = statuses
        self.post_message(FeedsChanged(list(statuses)))
        self.rebuild_rows()

    # -- refresh ----------------------------------------------------------------------------------

    @work(group="refresh", exclusive=True, exit_on_error=False, name="Refresh")
    async def refresh_all(self, only_due: bool = False) -> None:
        """Refresh every feed; with `only_due` (the app's timer) only the feeds whose refresh
        interval has passed, and nothing at all is said when none has."""
        if self.service.offline:
            if not only_due:
                self._announce("Offline: refresh is off.")
            return
        worker = self._refresh = get_current_worker()
        if only_due:
            due = await asyncio.to_thread(self.service.due_subscriptions)
            if not due:
                return
            total = len(due)
        else:
            total = len(self.service.subscriptions)
        self.post_message(ProgressChanged(worker, f"Refreshing 0/{total}…"))

        def progress(update: RefreshProgress) -> None:
            self.post_message(ProgressChanged(worker, f"Refreshing {update.done}/{update.total}…"))

        report = await self.service.refresh_all(progress, only_due=only_due)
        failures = report.failures
        self.post_message(ProgressChanged(worker, ""))
        self._announce(
            f"{len(failures)} feed(s) failed: {failures[0].subscription.url}: {failures[0].error}"
            if failures
            else f"Refreshed {len(report.statuses)} feeds."
        )
        self.feeds_changed(refreshed_statuses(self.statuses, report.statuses))

    def stop_refreshing(self) -> None:
        self.workers.cancel_group(self, "refresh")

    def refresh_feed(self, url: str | None) -> None:
        """Refresh the feed at `url` (None: the feed under the cursor)."""
        url = url or self.feed_url_at_cursor()
        if url and not self.service.offline:
            self.refresh_one(url)
        elif self.service.offline:
            self._announce("Offline: refresh is off.")

    @work(group="refresh_one", exclusive=True, exit_on_error=False, name="Refresh")
    async def refresh_one(self, url: str) -> None:
        sub = next((s for s in self.service.subscriptions if s.url == url), None)
        if sub is None:
            return
        worker = get_current_worker()
        self.post_message(ProgressChanged(worker, "Refreshing feed…"))
        status = await self.service.refresh_feed(sub)
        self.post_message(ProgressChanged(worker, ""))
        self._announce(f"{url}: {status.error}" if status.error else "Feed refreshed.")
        self.feeds_changed([status if s.subscription.url == url else s for s in self.statuses])

    # -- subscriptions ----------------------------------------------------------------------------

    def subscribe(self, sub: Subscription | None) -> None:
        if sub is not None:
            self._subscribe(sub)

    async def _subscriptions_changed(self, change: Callable[[], str | None], done: str) -> bool:
        """Make a change that writes the config (in a thread) and say `done`, with what the
        sync server made of it when that is worth saying; False (and why, in the status bar)
        when the file could not be written."""
        try:
            notice = await asyncio.to_thread(change)
        except OSError as error:
            self._announce(f"Could not save the config: {error.strerror}")
            return False
        except BroadsheetError as error:  # a config that is not valid TOML is never rewritten
            self._announce(f"Could not save the config: {error}")
            return False
        self._announce(f"{done} {notice}" if notice else done)
        return True

    @work(group="subscribe", exit_on_error=False, name="Subscribing")
    async def _subscribe(self, sub: Subscription) -> None:
        subscribe = partial(self.service.subscribe, sub)
        if await self._subscriptions_changed(subscribe, f"Subscribed to {sub.title or sub.url}."):
            self.statuses = [*self.statuses, FeedStatus(sub)]
            self.refresh_one(sub.url)

    def unsubscribe(self, url: str | None) -> None:
        if url is None:
            return
        if not self.service.can_unsubscribe(url):
            self._announce(
                "The sample edition cannot be removed here (it is on with --sample or sample_edition)."
            )
            return
        self._unsubscribe(url)

    @work(group="subscribe", exit_on_error=False, name="Removing the feed")
    async def _unsubscribe(self, url: str) -> None:
        if await self._subscriptions_changed(
            partial(self.service.unsubscribe, url), f"Removed {url}."
        ):
            self.feeds_changed([s for s in self.statuses if s.subscription.url != url])

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
        index = event.index
        entry = self.rowset.entries[index] if 0 <= index < len(self.rowset.entries) else None
        if entry is None:
            return
        if index < len(self.rowset.rows) and self.rowset.rows[index].unread:
            self._set_read(index, entry, True)
        self.post_message(EntryOpened(entry))

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
        self._mark_read_worker([entry], read)

    @work(thread=True, group="state", exit_on_error=False, name="Saving the read mark")
    def _mark_read_worker(self, entries: list[Entry], read: bool) -> None:
        self.service.mark_read(entries, read)

    def toggle_read(self) -> None:
        entry = self.entry_at_cursor()
        if entry is not None:
            index = self.stories.cursor
            self._set_read(index, entry, self.rowset.rows[index].unread)

    def toggle_star(self) -> None:
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
        self._announce("Starred." if starred else "Unstarred.")

    @work(thread=True, group="state", exit_on_error=False, name="Saving the star")
    def _star_worker(self, entry: Entry, starred: bool) -> None:
        self.service.set_starred(entry, starred)

    def mark_feed_read(self) -> None:
        url = self.feed_url_at_cursor()
        if url:
            self._mark_many([e for e in self.rowset.entries if e is not None and e.feed_url == url])

    def mark_all_read(self) -> None:
        self._mark_many([e for e in self.rowset.entries if e is not None])

    @work(thread=True, group="state", exit_on_error=False, name="Marking stories read")
    def _mark_many(self, entries: list[Entry]) -> None:
        self.service.mark_read(entries, True)
        self.post_message(_RowsInvalidated())

    # -- views ------------------------------------------------------------------------------------

    def cycle_view(self) -> None:
        view = VIEWS[(VIEWS.index(self.query_rows.view) + 1) % len(VIEWS)]
        self._announce(f"Showing {view} stories.")
        self._set_query(view=view)

    def toggle_feed_view(self) -> None:
        """Show only the feed under the cursor; again to show every feed."""
        if self.query_rows.feed_filter is not None:
            self._announce("Showing every feed.")
            self._set_query(feed_filter=None)
        else:
            self._announce("Showing one feed (f again for all).")
            self._set_query(feed_filter=self.feed_url_at_cursor())

    def cycle_tag(self) -> None:
        """Next folder or tag (feeds with it only); after the last, every feed again."""
        tags = tags_of(self.statuses)
        if not tags:
            self._announce(
                'No folders or tags yet: give feeds a folder or tags = ["…"] in the config.'
            )
            return
        position = tags.index(self.tag) + 1 if self.tag in tags else 0
        self.show_tag(tags[position] if position < len(tags) else None)

    def show_tag(self, tag: str | None) -> None:
        """Show the feeds with folder or tag `tag` only (None: every feed)."""
        self._announce(f"Showing {tag} (t for the next)." if tag else "Showing every feed.")
        self._set_query(tag=tag)

    def jump_to_feed(self, url: str) -> None:
        """Move the cursor to the first story of the feed at `url`."""
        rows = self.rowset.rows
        for index, row in enumerate(rows):
            if row.kind == "feed" and row.key == url:
                story_next = index + 1 < len(rows) and rows[index + 1].kind == "story"
                self.stories.cursor = index + 1 if story_next else index
                self.stories.focus()
                return

    # -- search -----------------------------------------------------------------------------------

    def _search_input(self) -> Input | None:
        """The search box, or None before the first `/`: it is mounted on first use."""
        return next(iter(self.query("#search").results(Input)), None)

    async def open_search(self) -> None:
        search = self._search_input()
        if search is None:
            search = Input(
                placeholder="Search titles and cached articles… (enter keeps, escape clears)",
                id="search",
            )
            await self.mount(search, before=0)
        search.add_class("-visible")
        search.focus()
        self._index_articles(
            [e.url for s in self.statuses if s.feed for e in s.feed.entries if e.url]
        )

    @work(thread=True, group="index", exclusive=True, exit_on_error=False, name="Indexing articles")
    def _index_articles(self, urls: list[str]) -> None:
        """Read the cached articles of the listed stories into the search index (once each)."""
        worker = get_current_worker()
        added = self.service.index_cached_articles(urls, stop=lambda: worker.is_cancelled)
        if added and self.query_text:
            self.post_message(_RowsInvalidated())

    @on(Input.Changed, "#search")
    def _on_search_changed(self, event: Input.Changed) -> None:
        self.post_message(SearchChanged(event.value))
        self._set_query(text=event.value)

    @on(Input.Submitted, "#search")
    def _on_search_submitted(self) -> None:
        self._close_search(clear=False)

    def leave_search(self) -> bool:
        """Escape in the search box clears it and goes back to the list; False elsewhere."""
        search = self._search_input()
        if search is None or not search.has_focus:
            return False
        self._close_search(clear=True)
        return True

    def _close_search(self, clear: bool) -> None:
        search = self.query_one("#search", Input)
        if clear:
            search.value = ""
            self.post_message(SearchChanged(""))
            self._set_query(text="")
        if not search.value:
            search.remove_class("-visible")
        self.stories.focus()

    # -- offline ----------------------------------------------------------------------------------

    def prefetch(self, only_this_feed: bool) -> None:
        """Make the unread stories available offline: those of the feed under the cursor when
        `only_this_feed` (the list has focus), else every listed one."""
        url = self.feed_url_at_cursor() if only_this_feed else None
        entries = [
            e
            for e, r in zip(self.rowset.entries, self.rowset.rows, strict=True)
            if e is not None and r.unread and e.url
        ]
        if url:
            entries = [e for e in entries if e.feed_url == url]
        self._prefetch([e.url for e in entries if e.url])

    @work(group="prefetch", exclusive=True, exit_on_error=False, name="Making available offline")
    async def _prefetch(self, urls: list[str]) -> None:
        if self.service.offline:
            self._announce("Offline: cannot fetch articles now.")
            return
        worker = get_current_worker()

        def progress(done: int, total: int, url: str, error: str | None) -> None:
            self.post_message(ProgressChanged(worker, f"Making available offline {done}/{total}…"))

        fetched, failures = await self.service.prefetch(urls, progress)
        self.post_message(ProgressChanged(worker, ""))
        self._announce(
            f"{fetched} articles available offline"
            + (f", {len(failures)} failed." if failures else ".")
        )
        self.rebuild_rows()  # the service read its offline set again
