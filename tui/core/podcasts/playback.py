"""What is playing now: one player at a time, its position saved as it plays, played at the end.

Where the player is: mpv answers `time-pos` on the JSON IPC socket it is started with; the
other players report nothing, so their position is the start offset plus the time they have run
(Broadsheet starts them with no terminal, window or input, so they cannot be paused: the clock
is the position). The position is saved every SAVE_EVERY seconds while playing (a `kill -9`
loses at most that much), when the user stops or switches episodes, and when the player exits.

Played: the player exited by itself with status 0 at the end, or the position reached the last
END_SLACK seconds of a known length. Playing an episode again resumes a little before where it
stopped, unless it was played to the end.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.durations import format_duration
from tui.core.models import Episode
from tui.core.podcasts import PlayerError
from tui.core.podcasts.mpv_ipc import IPC_TIMEOUT, NoAnswer, mpv_request
from tui.core.state import State

SAVE_EVERY = 5.0  # seconds between saved positions while playing
END_SLACK = 30.0  # this close to the end counts as played
RESUME_REWIND = 3.0  # resume this much before the saved position, to pick up the thread
FAILED_WITHIN = 3.0  # a player that ends this soon played nothing (a bad file?): nothing saved

NO_IPC = (
    "This player cannot change speed or seek: only mpv can (through its IPC socket);"
    ' install mpv or set player = "mpv" in the config'
)

Starter = Callable[[Episode, int, str], "subprocess.Popen[bytes]"]
OnEnd = Callable[[Episode, str], None]  # the episode and a line for the user


def ask_position(ipc_path: Path, timeout: float = IPC_TIMEOUT) -> float | None:
    """mpv's playback position in seconds from its IPC socket; None when it does not answer."""
    try:
        data = mpv_request(ipc_path, ["get_property", "time-pos"], timeout)
    except NoAnswer:
        return None
    if isinstance(data, bool) or not isinstance(data, int | float) or data < 0:
        return None
    return float(data)


@dataclass(eq=False)
class NowPlaying:
    episode: Episode
    process: subprocess.Popen[bytes]
    start_seconds: float
    ipc_dir: Path
    started: float = field(default_factory=time.monotonic)
    reported: tuple[float, float] | None = None  # (position, monotonic time it was reported)
    stopped: bool = False  # stopped by the user (or a newer episode), not by reaching the end
    ipc: bool = False  # the player was given an IPC socket (mpv): it can change speed and seek

    @property
    def ipc_path(self) -> Path:
        return self.ipc_dir / "mpv.sock"

    def position(self) -> float:
        """Seconds into the episode: what the player reports, else the clock since the start."""
        now = time.monotonic()
        if self.process.poll() is None:
            reported = ask_position(self.ipc_path)
            if reported is not None:
                self.reported = (reported, now)
        if self.reported is not None:
            position = self.reported[0] + (now - self.reported[1])
        else:
            position = self.start_seconds + (now - self.started)
        length = self.episode.duration_seconds
        return min(position, float(length)) if length else position

    def near_end(self, position: float) -> bool:
        length = self.episode.duration_seconds
        return bool(length) and position >= float(length or 0) - END_SLACK


class Playback:
    """One episode playing at a time; positions and played marks go to the user's state."""

    def __init__(self, state: State) -> None:
        self.state = state
        self._lock = threading.Lock()
        self._current: NowPlaying | None = None

    @property
    def current(self) -> Episode | None:
        now = self._current
        return now.episode if now is not None else None

    def resume_at(self, episode: Episode) -> int:
        """Where to start: a little before the saved position, or 0 when played or near the end."""
        mark = self.state.episode_mark(episode.url)
        if mark.played or mark.seconds < RESUME_REWIND * 2:
            return 0
        length = episode.duration_seconds
        if length and mark.seconds >= length - END_SLACK:
            return 0
        return int(mark.seconds - RESUME_REWIND)

    def start(
        self,
        episode: Episode,
        starter: Starter,
        on_end: OnEnd | None = None,
        start_at: int | None = None,
    ) -> int:
        """Stop what plays, start `episode` where it was left; returns the start second.

        `starter(episode, start_seconds, ipc_path)` launches the player (and raises its error).
        `on_end(episode, message)` is called from a watcher thread when the player ends by
        itself (not when stopped), with a line saying how it ended. `start_at` starts there
        rather than where the user left it.
        """
        self.stop()
        start_seconds = self.resume_at(episode) if start_at is None else max(0, start_at)
        ipc_dir = Path(tempfile.mkdtemp(prefix="broadsheet-player-"))
        try:
            process = starter(episode, start_seconds, str(ipc_dir / "mpv.sock"))
        except BaseException:
            shutil.rmtree(ipc_dir, ignore_errors=True)
            raise
        args = process.args if isinstance(process.args, list | tuple) else ()
        ipc = any(str(a).startswith("--input-ipc-server=") for a in args)
        now = NowPlaying(episode, process, float(start_seconds), ipc_dir, ipc=ipc)
        with self._lock:
            self._current = now
        threading.Thread(
            target=self._watch, args=(now, on_end), name="broadsheet-player", daemon=True
        ).start()
        return start_seconds

    # -- what mpv can be asked over its socket ----------------------------------------------------

    def _controllable(self) -> NowPlaying:
        now = self._current
        if now is None or now.process.poll() is not None:
            raise PlayerError("Nothing is playing.")
        if not now.ipc:
            raise PlayerError(NO_IPC)
        return now

    def set_speed(self, speed: float) -> None:
        """Change the playing speed (mpv only); PlayerError when the player cannot."""
        now = self._controllable()
        try:
            mpv_request(now.ipc_path, ["set_property", "speed", speed])
        except NoAnswer as exc:
            raise PlayerError("The player did not answer (its IPC socket is silent).") from exc

    def seek(self, seconds: float) -> None:
        """Jump to `seconds` into the episode (mpv only); PlayerError when the player cannot."""
        now = self._controllable()
        seconds = max(0.0, seconds)
        try:
            mpv_request(now.ipc_path, ["seek", seconds, "absolute"])
        except NoAnswer as exc:
            raise PlayerError("The player did not answer (its IPC socket is silent).") from exc
        now.reported = (seconds, time.monotonic())

    def position(self) -> float | None:
        """Seconds into what is playing now, None when nothing plays."""
        now = self._current
        return now.position() if now is not None else None

    def stop(self) -> Episode | None:
        """Stop the player, keeping its position; returns the episode that was playing."""
        with self._lock:
            now, self._current = self._current, None
        if now is None:
            return None
        now.stopped = True
        self._save(now)
        if now.process.poll() is None:
            now.process.terminate()
            try:
                now.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                now.process.kill()
        shutil.rmtree(now.ipc_dir, ignore_errors=True)
        return now.episode

    def _save(self, now: NowPlaying) -> bool:
        """Save the position (played when it reached the end); True when it counts as played."""
        position = now.position()
        if now.near_end(position):
            self.state.set_played(now.episode.url, True)
            return True
        self.state.set_episode_position(now.episode.url, position)
        return False

    def _watch(self, now: NowPlaying, on_end: OnEnd | None) -> None:
        while True:
            try:
                code = now.process.wait(timeout=SAVE_EVERY)
                break
            except subprocess.TimeoutExpired:
                if not now.stopped:
                    self._save(now)
        with self._lock:
            if self._current is now:
                self._current = None
        shutil.rmtree(now.ipc_dir, ignore_errors=True)
        if now.stopped:
            return  # stop() saved the position and told the user
        title = now.episode.title or now.episode.url
        position = now.position()
        if time.monotonic() - now.started < FAILED_WITHIN and not now.near_end(position):
            message = f"The player stopped at once (exit status {code}): {title}"
        elif self._save(now) or (code == 0 and now.episode.duration_seconds is None):
            # Without a length to compare with, a player that ends by itself with success
            # has played the file to its end.
            self.state.set_played(now.episode.url, True)
            message = f"Played to the end: {title}"
        else:
            message = f"Stopped at {format_duration(int(position))}: {title}"
        if on_end is not None:
            with contextlib.suppress(RuntimeError):  # the app may have closed meanwhile
                on_end(now.episode, message)
