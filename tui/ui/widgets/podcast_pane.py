"""The podcast pane: the sidebar with what listening needs — the episodes of the feeds and of
the open article, lengths measured when a feed gave none, play/stop (resumed where the user
left off), played marks and downloads; speed, the play queue and chapters come from the
listening room (listening_room.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.worker import get_current_worker

from tui.core.durations import format_duration
from tui.core.errors import BroadsheetError
from tui.core.models import Episode, EpisodeMark
from tui.ui.messages import Announced, ProgressChanged, ReportsWorkers
from tui.ui.widgets.listening_room import ListeningRoom, PlayStarted
from tui.ui.widgets.podcast_sidebar import PodcastSidebar
from tui.ui.widgets.status_bar import progress_bar

if TYPE_CHECKING:
    from tui.core.service import FeedStatus, NewsService

Marks = dict[str, EpisodeMark]


def read_episodes(
    service: NewsService, statuses: Sequence[FeedStatus]
) -> tuple[list[Episode], Marks]:
    """(In a thread.) The latest episodes of the feeds, with the lengths measured before (shown
    at once, no flicker), and the played marks."""
    episodes = [
        service.known_length(e)
        for e in service.podcast_episodes([s.feed for s in statuses if s.feed])
    ]
    return episodes, service.episode_marks()


class _EpisodesRead(Message, bubble=False):
    def __init__(self, episodes: list[Episode], marks: Marks) -> None:
        self.episodes = episodes
        self.marks = marks
        super().__init__()


class _MarksRead(Message, bubble=False):
    def __init__(self, marks: Marks) -> None:
        self.marks = marks
        super().__init__()


class _PlayerEnded(Message, bubble=False):
    def __init__(self, text: str, episode: Episode | None = None) -> None:
        self.text = text
        self.episode = episode
        super().__init__()


class PodcastPane(ReportsWorkers, ListeningRoom):
    """The podcast sidebar with its own workers; the service does the listening."""

    def __init__(self, service: NewsService, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.service = service

    def _announce(self, text: str) -> None:
        self.post_message(Announced(text))

    def _playing_url(self) -> str | None:
        playing = self.service.playing
        return playing.url if playing is not None else None

    # -- episodes ---------------------------------------------------------------------------------

    def show_episodes(self, episodes: list[Episode], marks: Marks) -> None:
        """Show the feeds' latest episodes and their marks; measure the unknown lengths."""
        self.set_episodes(feeds=episodes)
        self.set_marks(marks, self._playing_url())
        self.measure_lengths(episodes)

    def show_feeds(self, statuses: list[FeedStatus]) -> None:
        """The feeds changed: read their episodes again."""
        self._read_episodes(statuses)

    @work(
        thread=True, group="episodes", exclusive=True, exit_on_error=False, name="Listing episodes"
    )
    def _read_episodes(self, statuses: list[FeedStatus]) -> None:
        episodes, marks = read_episodes(self.service, statuses)
        if not get_current_worker().is_cancelled:
            self.post_message(_EpisodesRead(episodes, marks))

    @on(_EpisodesRead)
    def _on_episodes_read(self, message: _EpisodesRead) -> None:
        self.show_episodes(message.episodes, message.marks)

    def show_article_episodes(self, episodes: Sequence[Episode]) -> None:
        self.set_episodes(article=episodes)
        self.measure_lengths(list(episodes))

    @work(group="lengths", exit_on_error=False, name="Measuring lengths")
    async def measure_lengths(self, episodes: list[Episode]) -> None:
        """Fill in unknown lengths (cached, else measured from the file's head), a few at a time."""
        unknown = [e for e in episodes if e.duration_seconds is None][:20]
        for measured in asyncio.as_completed([self.service.measure_length(e) for e in unknown]):
            episode = await measured
            if episode.duration_seconds is not None:
                self.update_episode(episode)

    # -- marks ------------------------------------------------------------------------------------

    @on(PodcastSidebar.PlayedToggled)
    def _on_played_toggled(self, event: PodcastSidebar.PlayedToggled) -> None:
        event.stop()
        self._toggle_played(event.episode)

    @work(thread=True, group="marks", exit_on_error=False, name="Marking the episode")
    def _toggle_played(self, episode: Episode) -> None:
        played = self.service.toggle_played(episode)
        title = episode.title or episode.url
        self._announce(f"Marked played: {title}" if played else f"Marked unplayed: {title}")
        self._read_marks()

    @work(thread=True, group="marks", exit_on_error=False, name="Reading the played marks")
    def load_marks(self) -> None:
        self._read_marks()

    def _read_marks(self) -> None:
        """(In a worker thread) show the played marks and what is playing."""
        self.post_message(_MarksRead(self.service.episode_marks()))

    @on(_MarksRead)
    def _on_marks_read(self, message: _MarksRead) -> None:
        self.set_marks(message.marks, self._playing_url())

    # -- playing ----------------------------------------------------------------------------------

    def _chosen(self, article_episodes: Sequence[Episode]) -> Episode | None:
        """The highlighted episode, else the first of the open article's."""
        episode = self.highlighted_episode()
        if episode is None and article_episodes:
            episode = article_episodes[0]
        return episode

    def play(self, article_episodes: Sequence[Episode] = ()) -> None:
        episode = self._chosen(article_episodes)
        if episode is not None:
            self.play_episode(episode)

    @on(PodcastSidebar.EpisodeChosen)
    def _on_episode_chosen(self, event: PodcastSidebar.EpisodeChosen) -> None:
        event.stop()
        self.play_episode(event.episode)

    @work(thread=True, group="player", exit_on_error=False, name="Starting the player")
    def play_episode(self, episode: Episode) -> None:
        """Start the player where the user left this episode; note how it ends."""
        try:
            start = self.service.play(episode, on_end=self.player_ended)
            where = f" from {format_duration(start)}" if start else ""
            text = f"Playing{where}: {episode.title or episode.url}  (x stops)"
            self.post_message(PlayStarted(episode))
        except BroadsheetError as error:
            text = error.reason
        self._announce(text)
        self._read_marks()

    def player_ended(self, episode: Episode, message: str) -> None:
        """(From the player's watcher thread) an episode ended by itself."""
        self.post_message(_PlayerEnded(message, episode))

    @on(_PlayerEnded)
    def _on_player_ended(self, message: _PlayerEnded) -> None:
        self._announce(message.text)
        self.load_marks()
        if message.episode is not None:
            self.next_in_queue(message.episode)

    @work(thread=True, group="player", exit_on_error=False, name="Stopping the player")
    def stop_playing(self) -> None:
        stopped = self.service.stop_playing()
        if stopped is None:
            text = "Nothing is playing."
        else:
            episode, mark = stopped
            where = "played" if mark.played else f"at {format_duration(int(mark.seconds))}"
            text = f"Stopped {where}: {episode.title or episode.url}"
        self._announce(text)
        self._read_marks()

    # -- downloads --------------------------------------------------------------------------------

    def download(self, article_episodes: Sequence[Episode] = ()) -> None:
        episode = self._chosen(article_episodes)
        if episode is None:
            self._announce("Choose an episode in the podcast sidebar first (tab to it).")
            return
        self.download_episode(episode)

    @work(group="download", exit_on_error=False, name="Download")
    async def download_episode(self, episode: Episode) -> None:
        worker = get_current_worker()
        last = 0.0

        def progress(received: int, total: int | None) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > 0.25:  # coalesce: a few updates a second, not one per chunk
                last = now
                size = f"{received / 2**20:.1f}" + (f"/{total / 2**20:.1f}" if total else "")
                parts = ("Downloading", progress_bar(received, total), f"{size} MiB")
                self.post_message(ProgressChanged(worker, " ".join(p for p in parts if p)))

        try:
            path = await self.service.download_episode(episode, progress)
        except BroadsheetError as error:
            self.post_message(ProgressChanged(worker, ""))
            self._announce(f"Download failed: {error.reason}")
            return
        self.post_message(ProgressChanged(worker, ""))
        self._announce(f"Downloaded to {path}")
