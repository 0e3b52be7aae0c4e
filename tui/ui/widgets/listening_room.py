"""The listening room's part of the podcast pane: speed, the play queue and chapters.

A mixin of PodcastPane (which owns listening): `]`/`[` change the speed of what plays, `+`
queues an episode, `-` and `K`/`J` in the sidebar remove or move a queued one, and when an
episode ends by itself the next queued one starts. The chapters of the playing episode are
loaded when it starts (one load at a time), shown under it, and the current one is followed by
asking the player where it is every POLL_SECONDS; enter on a chapter seeks there.
Every service call that touches the disk or the player runs in a thread worker; the chapter
file is fetched by an async one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.timer import Timer

from tui.core.durations import format_duration
from tui.core.errors import BroadsheetError
from tui.core.models import Chapter, Entry, Episode
from tui.ui.messages import Announced, EntryOpened
from tui.ui.widgets.podcast_sidebar import PodcastSidebar

if TYPE_CHECKING:
    from tui.core.service import NewsService

POLL_SECONDS = 2.0


class QueueRead(Message, bubble=False):
    def __init__(self, queue: list[Episode], highlight: Episode | None = None) -> None:
        self.queue = queue
        self.highlight = highlight
        super().__init__()


class PlayStarted(Message, bubble=False):
    """An episode started playing (from a thread worker): load its chapters."""

    def __init__(self, episode: Episode) -> None:
        self.episode = episode
        super().__init__()


class PositionRead(Message, bubble=False):
    def __init__(self, position: float | None) -> None:
        self.position = position
        super().__init__()


class ListeningRoom(PodcastSidebar):
    """Speed, queue and chapters for the podcast pane."""

    service: NewsService
    _poll: Timer | None = None

    def _say(self, text: str) -> None:
        self.post_message(Announced(text))

    def on_mount(self) -> None:
        self.load_queue()

    # -- speed ------------------------------------------------------------------------------------

    @work(thread=True, group="speed", exit_on_error=False, name="Changing the speed")
    def change_speed(self, faster: bool) -> None:
        try:
            episode, speed = self.service.change_speed(faster)
        except BroadsheetError as error:
            self._say(error.reason)
            return
        podcast = episode.feed_title or "this podcast"
        self._say(f"Speed {speed:g}× (remembered for {podcast})")

    # -- the queue --------------------------------------------------------------------------------

    @work(thread=True, group="queue", exit_on_error=False, name="Reading the play queue")
    def load_queue(self, highlight: Episode | None = None) -> None:
        self.post_message(QueueRead(self.service.play_queue(), highlight))

    @on(QueueRead)
    def _on_queue_read(self, message: QueueRead) -> None:
        self.set_queue(message.queue, message.highlight)

    def queue_chosen(self, article_episodes: Sequence[Episode] = ()) -> None:
        """`+`: queue the highlighted episode, else the first of the open article's."""
        episode = self.highlighted_episode()
        if episode is None and article_episodes:
            episode = article_episodes[0]
        if episode is None:
            self._say("Choose an episode in the podcast sidebar first (tab to it).")
            return
        self._queue_add(episode)

    @work(thread=True, group="queue", exit_on_error=False, name="Adding to the play queue")
    def _queue_add(self, episode: Episode) -> None:
        title = episode.title or episode.url
        if self.service.queue_add(episode):
            count = len(self.service.play_queue())
            self._say(f"Queued ({count} in the queue): {title}")
        else:
            self._say(f"Already in the queue: {title}")
        self.load_queue()

    @on(PodcastSidebar.QueueEdit)
    def _on_queue_edit(self, event: PodcastSidebar.QueueEdit) -> None:
        event.stop()
        if event.episode is None:
            self._say("Highlight an episode in the queue first (+ adds one, - removes, K/J move).")
            return
        self._queue_edit(event.episode, event.edit)

    @work(thread=True, group="queue", exit_on_error=False, name="Changing the play queue")
    def _queue_edit(self, episode: Episode, edit: str) -> None:
        title = episode.title or episode.url
        if edit == "remove":
            self.service.queue_remove(episode)
            self._say(f"Removed from the queue: {title}")
            self.load_queue()
            return
        place = self.service.queue_move(episode, -1 if edit == "up" else 1)
        if place is not None:
            self._say(f"Queue place {place + 1}: {title}")
        self.load_queue(highlight=episode)

    def next_in_queue(self, ended: Episode) -> None:
        """An episode ended by itself: start the next queued one when it was played."""
        self._play_next(ended)

    @work(thread=True, group="player", exit_on_error=False, name="Playing the next episode")
    def _play_next(self, ended: Episode) -> None:
        try:
            started = self.service.play_next(ended, on_end=self.player_ended)
        except BroadsheetError as error:
            self._say(f"The next episode in the queue cannot play: {error.reason}")
            started = None
        if started is not None:
            self._say(f"Next in the queue: {started.title or started.url}  (x stops)")
            self.post_message(PlayStarted(started))
        self.load_queue()

    def player_ended(self, episode: Episode, message: str) -> None:  # overridden by the pane
        raise NotImplementedError

    # -- transcripts ------------------------------------------------------------------------------

    @on(PodcastSidebar.TranscriptWanted)
    def _on_transcript_wanted(self, event: PodcastSidebar.TranscriptWanted) -> None:
        event.stop()
        if not event.episode.transcript_url:
            self._say(f"No transcript in the feed for: {event.episode.title or event.episode.url}")
            return
        self.load_transcript(event.episode)

    @work(group="transcript", exclusive=True, exit_on_error=False, name="Loading the transcript")
    async def load_transcript(self, episode: Episode) -> None:
        """Fetch (or read from the cache) the transcript, then open it in the reader."""
        try:
            result = await self.service.load_transcript(episode)
        except BroadsheetError as error:
            self._say(error.reason)
            return
        article = result.article
        self.post_message(
            EntryOpened(Entry(id=article.url, feed_url="", title=article.title, url=article.url))
        )

    # -- chapters ---------------------------------------------------------------------------------

    @on(PlayStarted)
    def _on_play_started(self, message: PlayStarted) -> None:
        self.set_chapters(message.episode.url, ())
        self.load_chapters(message.episode)

    @work(group="chapters", exclusive=True, exit_on_error=False, name="Loading chapters")
    async def load_chapters(self, episode: Episode) -> None:
        try:
            chapters = await self.service.episode_chapters(episode)
        except BroadsheetError as error:
            self._say(f"No chapters: {error.reason}")
            return
        playing = self.service.playing
        if chapters and playing is not None and playing.url == episode.url:
            self.set_chapters(episode.url, chapters)
            self._follow_position()

    def _follow_position(self) -> None:
        if self._poll is None:
            self._poll = self.set_interval(POLL_SECONDS, self._ask_position)
        self._ask_position()

    @work(thread=True, group="position", exclusive=True, exit_on_error=False, name="Position")
    def _ask_position(self) -> None:
        self.post_message(PositionRead(self.service.playback_position()))

    @on(PositionRead)
    def _on_position_read(self, message: PositionRead) -> None:
        if message.position is None and self._poll is not None:
            self._poll.stop()  # nothing plays: stop asking until chapters show again
            self._poll = None
        self.set_position(message.position)

    @on(PodcastSidebar.ChapterChosen)
    def _on_chapter_chosen(self, event: PodcastSidebar.ChapterChosen) -> None:
        event.stop()
        self._seek(event.chapter)

    @work(thread=True, group="seek", exit_on_error=False, name="Seeking")
    def _seek(self, chapter: Chapter) -> None:
        try:
            self.service.seek(chapter.start)
        except BroadsheetError as error:
            self._say(error.reason)
            return
        self._say(f"At {format_duration(int(chapter.start)) or '0:00'}: {chapter.title}")
        self.post_message(PositionRead(chapter.start))
