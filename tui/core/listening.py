"""Episodes for the ear: true lengths measured when a feed did not give them, downloads, playback
(one episode at a time, resumed where the user left it, marked played at its end).

Measured lengths are cached (plain JSON, keyed by URL) so a file is probed once; probes run a
few at a time so a sidebar full of unknown lengths is polite to the servers behind it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core.cache import Cache
from tui.core.errors import BroadsheetError, OfflineError
from tui.core.models import Chapter, Episode
from tui.core.state import EpisodeMark, State

if TYPE_CHECKING:
    import subprocess

    from tui.core.podcasts.playback import OnEnd, Playback
    from tui.core.podcasts.probe import HttpxRangeReader
    from tui.core.podcasts.room import RoomState

PROBES_AT_ONCE = 2
T = TypeVar("T")

FetchBytes = Callable[[str, int], Awaitable[bytes]]  # (url, max bytes) -> the body


class Listening:
    def __init__(
        self, cache: Cache, state: State, *, offline: bool = False, player: str | None = None
    ) -> None:
        self.cache = cache
        self.state = state
        self.offline = offline
        self.player = player or None
        self._reader: HttpxRangeReader | None = None
        self._probe_slots = asyncio.Semaphore(PROBES_AT_ONCE)
        self._playback: Playback | None = None
        self._room: RoomState | None = None
        self._running: dict[str, asyncio.Task[Any]] = {}

    async def aclose(self) -> None:
        """Stop the player (its position is kept) and close the network client."""
        if self._playback is not None:
            await asyncio.to_thread(self._playback.stop)
        if self._reader is not None:
            await self._reader.aclose()
            self._reader = None

    # -- lengths ----------------------------------------------------------------------------------

    def known_length(self, episode: Episode) -> Episode:
        """The episode with its measured length from the cache, when one was measured before."""
        if episode.duration_seconds is not None:
            return episode
        data = self.cache.get_json("length", episode.url)
        if isinstance(data, dict) and isinstance(data.get("seconds"), int):
            return replace(
                episode, duration_seconds=data["seconds"], estimated=bool(data.get("estimated"))
            )
        return episode

    async def measure(self, episode: Episode) -> Episode:
        """The episode with a length: given, cached, or measured from the file's first bytes.

        Returns the episode unchanged when its length cannot be found (offline, no such file).
        """
        episode = await asyncio.to_thread(self.known_length, episode)
        if episode.duration_seconds is not None or self.offline:
            return episode
        from tui.core.podcasts.probe import HttpxRangeReader, probe_length

        if self._reader is None:
            self._reader = HttpxRangeReader()
        async with self._probe_slots:
            try:
                seconds, estimated = await probe_length(
                    self._reader, episode.url, episode.mime_type or None
                )
            except BroadsheetError:
                return episode
        if seconds is None:
            return episode
        await asyncio.to_thread(
            self.cache.set_json, "length", episode.url, {"seconds": seconds, "estimated": estimated}
        )
        return replace(episode, duration_seconds=seconds, estimated=estimated)

    # -- downloads and playback -------------------------------------------------------------------

    @staticmethod
    def downloaded_file(episode: Episode) -> Path | None:
        from tui.core.podcasts.download import downloads_dir
        from tui.core.podcasts.filenames import safe_filename

        path = downloads_dir() / safe_filename(
            episode.title, episode.url, episode.mime_type or None
        )
        return path if path.is_file() else None

    async def download(
        self, episode: Episode, progress: Callable[[int, int | None], None] | None = None
    ) -> Path:
        from tui.core.podcasts.download import download, downloads_dir

        if self.offline:
            raise OfflineError("offline: downloads are off", episode.url)
        return await download(
            episode.url,
            downloads_dir(),
            title=episode.title,
            progress=progress,
            mime_type=episode.mime_type or None,
        )

    @property
    def playback(self) -> Playback:
        if self._playback is None:
            from tui.core.podcasts.playback import Playback

            self._playback = Playback(self.state)
        return self._playback

    @property
    def playing(self) -> Episode | None:
        return self._playback.current if self._playback is not None else None

    def marks(self) -> dict[str, EpisodeMark]:
        """Played and started episodes, by URL."""
        return self.state.episode_marks()

    def toggle_played(self, episode: Episode) -> bool:
        """Mark played (or unplayed when it was played); returns the new state."""
        played = not self.state.episode_mark(episode.url).played
        self.state.set_played(episode.url, played)
        return played

    def play(
        self, episode: Episode, on_end: OnEnd | None = None, start_at: int | None = None
    ) -> int:
        """Play the downloaded file if there is one, else the URL, from where the user left it.

        Whatever played before is stopped (its position kept). Returns the start second.
        """
        from tui.core.podcasts.download import downloads_dir
        from tui.core.podcasts.player import play

        local = self.downloaded_file(episode)
        if local is None and self.offline:
            raise OfflineError("offline, and this episode is not downloaded", episode.url)
        target = str(local) if local else episode.url

        speed = self.room.speed(episode)

        def start(episode: Episode, start_seconds: int, ipc_path: str) -> subprocess.Popen[bytes]:
            return play(
                target,
                start_seconds=start_seconds,
                configured=self.player,
                downloads=downloads_dir(),
                ipc_path=ipc_path,
                speed=speed,
            )

        return self.playback.start(episode, start, on_end, start_at)

    def stop(self) -> Episode | None:
        """Stop playback, keeping the position; the episode that was playing, if any."""
        return self._playback.stop() if self._playback is not None else None

    # -- the listening room: speed, seeking, the queue, chapters ----------------------------------

    @property
    def room(self) -> RoomState:
        if self._room is None:
            from tui.core.podcasts.room import RoomState

            self._room = RoomState(self.state)
        return self._room

    def change_speed(self, faster: bool) -> tuple[Episode, float]:
        """One step faster or slower for what plays, remembered for its podcast.

        Raises PlayerError when nothing plays or the player has no IPC (only mpv has).
        """
        from tui.core.podcasts import PlayerError
        from tui.core.podcasts.room import step_speed

        episode = self.playing
        if episode is None:
            raise PlayerError("Nothing is playing.")
        speed = step_speed(self.room.speed(episode), faster)
        self.playback.set_speed(speed)
        self.room.set_speed(episode, speed)
        return episode, speed

    def seek(self, seconds: float) -> None:
        self.playback.seek(seconds)

    def position(self) -> float | None:
        return self._playback.position() if self._playback is not None else None

    def after_end(self, episode: Episode, on_end: OnEnd | None = None) -> Episode | None:
        """An episode ended by itself: when it was played, it leaves the queue and the next
        queued episode starts. Returns the episode started, if any."""
        if not self.state.episode_mark(episode.url).played or self.playing is not None:
            return None
        self.room.remove(episode.url)
        queue = self.room.queue()
        if not queue:
            return None
        self.play(queue[0], on_end)
        return queue[0]

    async def chapters(self, episode: Episode, fetch: FetchBytes) -> tuple[Chapter, ...]:
        """The episode's chapters: from the feed (psc), its chapter file, or the file's ID3 tag.

        Cached once found; at most one fetch per episode at a time (a second caller waits for
        the first). Raises ChaptersError or BroadsheetError with a reason when a file is bad.
        """
        if episode.chapters:
            return episode.chapters
        return await self.once(
            f"chapters {episode.url}", lambda: self._find_chapters(episode, fetch)
        )

    async def once(self, key: str, start: Callable[[], Awaitable[T]]) -> T:
        """Run `start()` unless a run for `key` is going on; either way, await its result (one
        fetch per episode at a time: a second caller shares the first one's)."""
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(start())
            self._running[key] = running
            running.add_done_callback(lambda _: self._running.pop(key, None))
        result: T = await asyncio.shield(running)
        return result

    async def _find_chapters(self, episode: Episode, fetch: FetchBytes) -> tuple[Chapter, ...]:
        from tui.core.podcasts.chapters import (
            MAX_JSON_BYTES,
            id3_chapters,
            parse_json_chapters,
        )

        cached = await asyncio.to_thread(self.cache.get_json, "chapters", episode.url)
        if isinstance(cached, dict) and isinstance(cached.get("chapters"), list):
            return Episode.from_dict({"title": "", "url": "", **cached}).chapters
        chapters: tuple[Chapter, ...] = ()
        looked = False  # a source answered: remember what it said, even "no chapters"
        if episode.chapters_url:
            body = await fetch(episode.chapters_url, MAX_JSON_BYTES)
            chapters = await asyncio.to_thread(parse_json_chapters, body, episode.duration_seconds)
            looked = True
        elif "mpeg" in episode.mime_type or episode.url.lower().split("?")[0].endswith(".mp3"):
            head = await self._head(episode)
            chapters = await asyncio.to_thread(id3_chapters, head, episode.duration_seconds)
            looked = bool(head)
        if looked:
            await asyncio.to_thread(
                self.cache.set_json,
                "chapters",
                episode.url,
                {"chapters": [[c.start, c.title] for c in chapters]},
            )
        return chapters

    async def _head(self, episode: Episode) -> bytes:
        """The first bytes of the episode: from the downloaded file, else one Range request."""
        from tui.core.podcasts.probe import PROBE_BYTES, HttpxRangeReader

        local = self.downloaded_file(episode)
        if local is not None:
            return await asyncio.to_thread(_read_head, local, PROBE_BYTES)
        if self.offline:
            return b""
        if self._reader is None:
            self._reader = HttpxRangeReader()
        async with self._probe_slots:
            try:
                head, _ = await self._reader.get_range(episode.url, 0, PROBE_BYTES - 1)
            except BroadsheetError:
                return b""
        return head[:PROBE_BYTES]


def _read_head(path: Path, size: int) -> bytes:
    with path.open("rb") as file:
        return file.read(size)
