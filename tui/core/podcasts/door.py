"""The service's listening room: playing, marks, lengths, downloads, speed, the play queue,
chapters, transcripts and episode pages.

A mixin of NewsService (tui/core/service.py), which stays the one door: the UI and the CLI call
these methods on the service. Here so the service's module holds one idea.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core.errors import BroadsheetError
from tui.core.models import Article, ArticleResult, Entry, Episode, EpisodeMark
from tui.core.service_parts import ServiceParts

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from tui.core.models import Chapter
    from tui.core.podcasts.playback import OnEnd


_T = TypeVar("_T")


class ListeningDoor(ServiceParts):
    """NewsService's methods for this room (see the module docstring)."""

    # -- for the UI: listening --------------------------------------------------------------------

    @property
    def playing(self) -> Episode | None:
        """The episode the player is playing, if any."""
        return self.listening.playing

    def episode_marks(self) -> dict[str, EpisodeMark]:
        """Played and started episodes, by URL. Disk work: call in a thread."""
        return self.listening.marks()

    def known_length(self, episode: Episode) -> Episode:
        """The episode with the length measured before, if any. Disk work: call in a thread."""
        return self.listening.known_length(episode)

    async def measure_length(self, episode: Episode) -> Episode:
        """The episode with a length: given, cached, or measured from the file's first bytes
        (unchanged when it cannot be found)."""
        return await self.listening.measure(episode)

    async def download_episode(
        self, episode: Episode, progress: Callable[[int, int | None], None] | None = None
    ) -> Path:
        """Download the episode's file; its path. Raises BroadsheetError."""
        return await self.listening.download(episode, progress)

    def play(self, episode: Episode, on_end: OnEnd | None = None) -> int:
        """Play the episode from where the user left it; the start second. `on_end` is called
        from the player's watcher thread. Starts a process: call in a thread. Raises
        BroadsheetError."""
        return self.listening.play(episode, on_end=on_end)

    def stop_playing(self) -> tuple[Episode, EpisodeMark] | None:
        """Stop the player, keeping the position: the episode that was playing and where it
        stopped, or None. Call in a thread."""
        episode = self.listening.stop()
        if episode is None:
            return None
        return episode, self.state.episode_mark(episode.url)

    def toggle_played(self, episode: Episode) -> bool:
        """Mark played (or unplayed when it was); the new state. Disk work: call in a thread."""
        return self.listening.toggle_played(episode)

    # -- the listening room -----------------------------------------------------------------------
    # Speed, seeking, the play queue and chapters. Speed and seeking talk to the player's local
    # socket, the queue is the state database: plain functions, called from thread workers.

    def change_speed(self, faster: bool) -> tuple[Episode, float]:
        """One speed step faster (or slower) for what plays, remembered for its podcast: the
        episode and its new speed. Raises BroadsheetError when nothing plays or the player
        cannot (no IPC). Call in a thread."""
        return self.listening.change_speed(faster)

    def seek(self, seconds: float) -> None:
        """Jump the player to `seconds` into the episode. Raises BroadsheetError when nothing
        plays or the player cannot. Call in a thread."""
        self.listening.seek(seconds)

    def playback_position(self) -> float | None:
        """Seconds into what plays (asked of the player), None when nothing plays. Call in a
        thread."""
        return self.listening.position()

    def play_queue(self) -> list[Episode]:
        """The play queue, in order. Disk work: call in a thread."""
        return self.listening.room.queue()

    def queue_add(self, episode: Episode) -> bool:
        """Add to the end of the queue; False when it is already queued. Call in a thread."""
        return self.listening.room.add(episode)

    def queue_remove(self, episode: Episode) -> bool:
        """Take an episode out of the queue; False when it was not in it. Call in a thread."""
        return self.listening.room.remove(episode.url)

    def queue_move(self, episode: Episode, by: int) -> int | None:
        """Move a queued episode `by` places (negative: up); its new index, None when it is not
        queued. Call in a thread."""
        return self.listening.room.move(episode.url, by)

    def play_next(self, ended: Episode, on_end: OnEnd | None = None) -> Episode | None:
        """After `ended` stopped by itself: if it was played to its end, it leaves the queue and
        the next queued episode starts (returned). Starts a process: call in a thread. Raises
        BroadsheetError when the next one cannot be played."""
        return self.listening.after_end(ended, on_end)

    async def episode_chapters(self, episode: Episode) -> tuple[Chapter, ...]:
        """The episode's chapters (from the feed, its chapter file, or the ID3 tag at the head of
        the file), cached. Raises BroadsheetError with a reason when the file is bad."""
        from tui.core.podcasts.chapters import ChaptersError

        async def fetch(url: str, max_bytes: int) -> bytes:
            result = await self.fetcher.fetch(url, max_bytes=max_bytes, accept="application/json")
            return result.body

        try:
            return await self.listening.chapters(episode, fetch)
        except ChaptersError as error:
            raise BroadsheetError(f"Chapters: {error}", episode.chapters_url) from error

    async def load_transcript(self, episode: Episode) -> ArticleResult:
        """The episode's transcript as an article (cached like any article, so it reads offline
        and `/` finds it; its story is found too). At most one fetch per episode at a time.
        Raises BroadsheetError with a reason."""
        url = episode.transcript_url
        if not url:
            raise BroadsheetError("This episode has no transcript.", episode.url)
        cached = await asyncio.to_thread(self.cached_article, url)
        if cached is not None:
            self._text_index.add(cached)
            return ArticleResult(cached, from_cache=True)
        article = await self.listening.once(
            f"transcript {url}", lambda: self._fetch_transcript(episode)
        )
        return ArticleResult(article)

    async def _fetch_transcript(self, episode: Episode) -> Article:
        from tui.core.extract_version import EXTRACTOR_VERSION
        from tui.core.podcasts.transcripts import MAX_BYTES, TranscriptError, transcript_article

        url = episode.transcript_url
        result = await self.fetcher.fetch(url, max_bytes=MAX_BYTES)
        try:
            article = await asyncio.to_thread(
                transcript_article,
                result.body,
                url,
                declared=episode.transcript_type,
                content_type=result.content_type,
                title=episode.title,
            )
        except TranscriptError as error:
            raise BroadsheetError(f"Transcript: {error}", url) from error
        values: list[tuple[str, str, Any]] = [
            (f"article:{EXTRACTOR_VERSION}", url, article.to_dict())
        ]
        values.append(("transcript-of", url, {"page": episode.page_url, **episode.to_dict()}))
        await asyncio.to_thread(self.cache.set_many, values)
        self._offline_set.add(url)
        self._text_index.add(article)
        return article

    def play_from_transcript(self, transcript_url: str, seconds: float) -> Episode:
        """Enter on a timed paragraph of a transcript: seek its episode there when it plays,
        else play it from there. The episode. Starts a process: call in a thread. Raises
        BroadsheetError (not a transcript read here; the player cannot seek)."""
        playing = self.listening.playing
        if playing is not None and playing.transcript_url == transcript_url:
            self.listening.seek(seconds)
            return playing
        data = self.cache.get_json("transcript-of", transcript_url)
        if not isinstance(data, dict) or not isinstance(data.get("url"), str):
            raise BroadsheetError("This is not the transcript of an episode.", transcript_url)
        episode = Episode.from_dict(data)
        self.listening.play(episode, start_at=int(seconds))
        return episode

    def _transcript_pages(self, urls: set[str]) -> set[str]:
        """The stories whose transcripts are among `urls` (disk work, in the caller's thread)."""
        pages = set()
        for url in urls:
            data = self.cache.get_json("transcript-of", url)
            if isinstance(data, dict) and data.get("page") and isinstance(data["page"], str):
                pages.add(data["page"])
        return pages

    async def load_episode_page(self, entry: Entry) -> ArticleResult:
        """A podcast story in the reader: its show notes (its page, or the feed's notes when it
        links to the audio itself or nowhere), then its episodes' lengths, chapters and
        transcript link. The chapters and transcript are fetched beside the page (each at most
        once per episode at a time); a failure there costs only that part."""
        from tui.core.podcasts.episode_page import link_is_audio, with_episodes

        episodes = [self.listening.known_length(e) for e in entry.episodes]

        async def notes() -> ArticleResult:
            if entry.url and not link_is_audio(entry.url, episodes):
                return await self.load_article(entry.url, summary=entry.summary or None)
            return ArticleResult(await asyncio.to_thread(self._feed_notes, entry))

        async def chapters(episode: Episode) -> tuple[Chapter, ...]:
            try:
                return await self.episode_chapters(episode)
            except BroadsheetError:
                return ()

        async def transcript(episode: Episode) -> None:
            if episode.transcript_url:
                # A failure leaves the link; following it says what is wrong.
                await asyncio.gather(self.load_transcript(episode), return_exceptions=True)

        page = asyncio.ensure_future(notes())
        extras = asyncio.gather(*(transcript(e) for e in episodes))
        found = await asyncio.gather(*(chapters(e) for e in episodes))
        await extras
        result = await page
        by_url = {e.url: c for e, c in zip(episodes, found, strict=True)}
        return replace(result, article=with_episodes(result.article, episodes, by_url))

    @staticmethod
    def _feed_notes(entry: Entry) -> Article:
        """The feed's show notes as an article, cleaned by the extractor like any page."""
        from tui.core.extract import extract
        from tui.core.models import Block

        url = entry.url or (entry.episodes[0].url if entry.episodes else entry.feed_url)
        if entry.content_html:
            article = extract(entry.content_html, url, content_type="text/html")
            if article.source not in ("failed",) and article.blocks:
                return replace(article, title=article.title or entry.title)
        paragraphs = [p.strip() for p in entry.summary.split("\n\n") if p.strip()]
        blocks = tuple(Block("paragraph", p) for p in paragraphs)
        return Article(url=url, title=entry.title, blocks=blocks)
