"""The main screen: story list | reader | podcast sidebar, with a status bar.

Each pane owns its feature and workers: StoriesPane (feeds, stories), ReaderPane (the article),
PodcastPane (listening); SyncRoom and KeepRoom (saved, export, send-to) draw nothing. This
screen lays them out, keeps the key bindings (one-line delegates, so the binding ids users remap
stay here, in their order) and routes messages: attributes go down, messages go up. One handler
ends every worker's progress line and says in the status bar why a failed one failed.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.core.heap import freeze_start_up_heap
from tui.core.models import Entry
from tui.ui.messages import (
    Announced,
    ArticleShown,
    CountsChanged,
    EntryOpened,
    FeedsChanged,
    FeedsSynced,
    ListEmptied,
    ProgressChanged,
    SearchChanged,
    SyncStatusChanged,
    WorkerEnded,
    failure_text,
)
from tui.ui.start_up import Cached, in_thread, read_cache
from tui.ui.widgets.keep_room import KeepRoom
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.podcast_pane import PodcastPane
from tui.ui.widgets.reader_pane import ReaderPane
from tui.ui.widgets.status_bar import StatusBar
from tui.ui.widgets.stories_pane import StoriesPane
from tui.ui.widgets.story_list import StoryList
from tui.ui.widgets.sync_room import SyncRoom

if TYPE_CHECKING:
    from tui.core.service import NewsService

WIDE = 110  # below this many columns the podcast sidebar folds away (P shows it)
NARROW = 70  # below this, one pane at a time
SCHEDULE_CHECK_SECONDS = 60  # how often the app looks for feeds due for a refresh
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
        Binding("+", "queue", "Queue episode", show=False, id="main.queue_add"),
        Binding("]", "speed(1)", "Faster (playing)", show=False, id="main.faster"),
        Binding("[", "speed(0)", "Slower (playing)", show=False, id="main.slower"),
        Binding("D", "prefetch", "Make available offline", show=False, id="main.prefetch"),
        Binding("S", "keep('save')", "Save for later", show=False, id="main.save"),
        Binding("E", "keep('export')", "Export as Markdown", show=False, id="main.export"),
        Binding("W", "keep('share')", "Send to (first share)", show=False, id="main.share"),
        *[
            Binding(
                str(n), f"follow_link({n})", f"Follow link {n}", show=False, id=f"main.link_{n}"
            )
            for n in range(1, 10)
        ],
    ]

    def __init__(self, service: NewsService) -> None:
        super().__init__()
        self.service = service
        # The cache is read at once, in a thread: by the time Textual has started and mounted
        # this screen the stories are ready, and the first frame with them comes sooner.
        self._first_read: Future[Cached] | None = in_thread(partial(read_cache, service))

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield StoriesPane(self.service, id="stories-pane")
            yield ReaderPane(self.service, id="reader")
            yield PodcastPane(self.service, id="podcasts")
        yield StatusBar(id="status")
        yield KeyBar()
        yield SyncRoom(self.service, id="sync")
        yield KeepRoom(self.service, id="keep")

    @property
    def stories_pane(self) -> StoriesPane:
        return self.query_one(StoriesPane)

    @property
    def stories(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def reader(self) -> ReaderPane:
        return self.query_one(ReaderPane)

    @property
    def sidebar(self) -> PodcastPane:
        return self.query_one(PodcastPane)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def sync_room(self) -> SyncRoom:
        return self.query_one(SyncRoom)

    async def on_mount(self) -> None:
        self.status.offline = self.service.offline
        self.reader.set_width(self.service.reader_width)
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
        self._start_refresh_timer()

    def _start_refresh_timer(self) -> None:
        """Every minute, refresh the feeds whose interval has passed: each feed's own
        `refresh_minutes`, else the global one (0: on demand only). Not offline, and not while
        a refresh is under way. The status bar's "Synced 5 min ago" is brought up to date."""
        self.set_interval(SCHEDULE_CHECK_SECONDS, self._scheduled_refresh)
        self.sync_room.show_status()

    def _scheduled_refresh(self) -> None:
        self.sync_room.show_status()
        if not self.stories_pane.refreshing and not self.service.offline:
            self.stories_pane.refresh_all(only_due=True)

    def refresh_everything(self) -> None:
        """Refresh every feed, and sync with the server when sync is set up (R, start-up)."""
        self.stories_pane.refresh_all()
        self.sync_room.sync()

    def on_resize(self) -> None:
        width = self.size.width
        self.set_class(width < WIDE, "-medium")
        self.set_class(width < NARROW, "-narrow")

    @work(group="cached", exclusive=True, exit_on_error=False, name="Reading the cache")
    async def load_cached(self, reading: Future[Cached] | None = None) -> None:
        """Show what the cache has (`reading`: a read already under way), then refresh."""
        reading = reading or in_thread(partial(read_cache, self.service))
        self._cache_loaded(await asyncio.wrap_future(reading))

    def _cache_loaded(self, cached: Cached) -> None:
        statuses, rowset, (episodes, marks) = cached
        pane = self.stories_pane
        self.sidebar.show_episodes(episodes, marks)
        pane.show_cached(statuses, rowset)
        # In the first frame, not a message later: the counts, why the list is empty.
        self.status.counts = pane.counts
        if (emptied := pane.emptied()) is not None:
            self._list_emptied(emptied)
        if self.service.offline:
            self.status.message = "Offline: showing the cache."
        elif statuses or self.service.sync_configured:
            self.refresh_everything()

    # -- messages from the panes ------------------------------------------------------------------

    @on(Announced)
    def _announced(self, message: Announced) -> None:
        self.status.say(message.text)

    @on(CountsChanged)
    def _counts_changed(self, message: CountsChanged) -> None:
        self.status.counts = message.text

    @on(ProgressChanged)
    def _progress_changed(self, message: ProgressChanged) -> None:
        if not message.worker.is_finished:  # a late one, after its worker ended, is dropped
            self.status.show_progress(message.worker, message.text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.is_finished:
            self._worker_ended(event.worker)

    @on(WorkerEnded)
    def _pane_worker_ended(self, message: WorkerEnded) -> None:
        self._worker_ended(message.worker)

    def _worker_ended(self, worker: Worker[Any]) -> None:
        """Every worker of the screen and its panes ends here: its progress line goes, and a
        failure is said in the status bar."""
        self.status.end_progress(worker)
        if worker.state is WorkerState.ERROR:
            self.status.say_failure(failure_text(worker))

    @on(EntryOpened)
    def _entry_opened(self, message: EntryOpened) -> None:
        self.add_class("-reading")
        self.reader.open_entry(message.entry)

    @on(ArticleShown)
    def _article_shown(self, message: ArticleShown) -> None:
        self.sidebar.show_article_episodes(message.article.episodes)

    @on(FeedsChanged)
    def _feeds_changed(self, message: FeedsChanged) -> None:
        self.sidebar.show_feeds(message.statuses)

    @on(FeedsSynced)
    def _feeds_synced(self, message: FeedsSynced) -> None:
        self.stories_pane.feeds_changed(message.statuses)

    @on(SyncStatusChanged)
    def _sync_status_changed(self, message: SyncStatusChanged) -> None:
        self.status.sync = message.text or ""

    @on(KeepRoom.ShelfChanged)
    def _shelf_changed(self) -> None:
        self.stories_pane.rebuild_rows()

    @on(SearchChanged)
    def _search_changed(self, message: SearchChanged) -> None:
        self.reader.highlight = message.text

    @on(ListEmptied)
    def _list_emptied(self, message: ListEmptied) -> None:
        if message.even_when_reading or self.reader.current is None:
            self.reader.show_message(message.text)

    # -- actions: the screen's own ----------------------------------------------------------------

    def action_back(self) -> None:
        if self.stories_pane.leave_search():
            return
        self.reader.remember_position()
        self.remove_class("-reading")
        self.stories.focus()

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen, help_rows

        self.app.push_screen(HelpScreen(help_rows(self, (self.stories, self.reader, self.sidebar))))

    def action_toggle_podcasts(self) -> None:
        self.toggle_class("-show-podcasts")

    def action_toggle_offline(self) -> None:
        """Work from the cache only (a plane, a metered line), or go back online and refresh."""
        offline = not self.service.offline
        self.service.set_offline(offline)
        self.status.offline = offline
        if offline:
            self.stories_pane.stop_refreshing()  # its progress line goes as the worker ends
            self.status.message = "Offline: reading from the cache; nothing is fetched."
        else:
            self.status.message = "Online."
            self.refresh_everything()

    def action_open_url(self) -> None:
        from tui.ui.screens.open_url import OpenUrlScreen

        def chosen(url: str | None) -> None:
            if url:
                self.open_url(url)

        self.app.push_screen(OpenUrlScreen(), chosen)

    def open_url(self, url: str) -> None:
        """Read any web page in the reader (H goes back to what was open before)."""
        self.add_class("-reading")
        self.reader.open_url(url)

    def action_add_feed(self) -> None:
        from tui.ui.screens.feeds import AddFeedScreen

        self.app.push_screen(AddFeedScreen(self.service), self.stories_pane.subscribe)

    def action_feeds(self) -> None:
        from tui.ui.screens.feeds import FeedsScreen

        screen = FeedsScreen(list(self.stories_pane.statuses), self.service.rule_lines)
        self.app.push_screen(screen, self.stories_pane.unsubscribe)

    def _target_entry(self) -> Entry | None:
        """The story the reader shows when it has focus, else the one under the cursor."""
        current = self.reader.current
        if self.focused is self.reader and current is not None:
            return current
        return self.stories_pane.entry_at_cursor() or current

    # -- actions: one-line delegates into the panes -----------------------------------------------

    def action_refresh_all(self) -> None:
        self.refresh_everything()

    def action_refresh_feed(self) -> None:
        current = self.reader.current
        in_reader = self.focused is self.reader and current is not None
        self.stories_pane.refresh_feed(current.feed_url if in_reader and current else None)

    def action_open_browser(self) -> None:
        self.reader.open_in_browser(self._target_entry())

    def action_copy_url(self) -> None:
        self.reader.copy_url(self._target_entry())

    def action_toggle_star(self) -> None:
        self.stories_pane.toggle_star()

    def action_toggle_read(self) -> None:
        self.stories_pane.toggle_read()

    def action_mark_feed_read(self) -> None:
        self.stories_pane.mark_feed_read()

    def action_mark_all_read(self) -> None:
        self.stories_pane.mark_all_read()

    def action_cycle_view(self) -> None:
        self.stories_pane.cycle_view()

    async def action_search(self) -> None:
        await self.stories_pane.open_search()

    def action_history_back(self) -> None:
        self.reader.back()

    def action_history_forward(self) -> None:
        self.reader.forward()

    def action_feed_view(self) -> None:
        self.stories_pane.toggle_feed_view()

    def action_cycle_tag(self) -> None:
        self.stories_pane.cycle_tag()

    def action_play(self) -> None:
        self.sidebar.play(self.reader.episodes)

    def action_stop_playing(self) -> None:
        self.sidebar.stop_playing()

    def action_queue(self) -> None:
        self.sidebar.queue_chosen(self.reader.episodes)

    def action_speed(self, faster: int) -> None:
        self.sidebar.change_speed(bool(faster))

    def action_download(self) -> None:
        self.sidebar.download(self.reader.episodes)

    def action_prefetch(self) -> None:
        self.stories_pane.prefetch(only_this_feed=self.focused is self.stories)

    def action_keep(self, what: str) -> None:
        self.query_one(KeepRoom).act(what, self._target_entry(), self.reader.article)

    def action_follow_link(self, number: int) -> None:
        self.reader.follow_link(number)
