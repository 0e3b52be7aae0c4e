"""The listening room's durable state, in the user's state database: the play queue and the
playing speed of each podcast.

The tables live beside the reading state (same SQLite file, same connection and lock, WAL with
synchronous=FULL), so a queue change the user saw succeed survives `kill -9` right after: each
change is one transaction that rewrites the queue's order. The queue holds whole episodes (as
plain JSON) so it outlives the feeds and the cache.
"""

from __future__ import annotations

import json
import sqlite3
import time

from tui.core.models import Episode
from tui.core.state import State

MAX_QUEUE = 500
SPEEDS = (0.5, 0.75, 0.9, 1.0, 1.1, 1.2, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
MIN_SPEED, MAX_SPEED = SPEEDS[0], SPEEDS[-1]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS play_queue (position INTEGER, url TEXT PRIMARY KEY, episode TEXT);
CREATE TABLE IF NOT EXISTS podcast_speeds (podcast TEXT PRIMARY KEY, speed REAL, updated_at REAL);
"""


def step_speed(speed: float, faster: bool) -> float:
    """The next speed up or down the ladder (0.5 … 3.0), staying at its ends."""
    if faster:
        return next((s for s in SPEEDS if s > speed + 1e-9), MAX_SPEED)
    return next((s for s in reversed(SPEEDS) if s < speed - 1e-9), MIN_SPEED)


def podcast_key(episode: Episode) -> str:
    """What a speed is remembered by: the podcast's title (an article's audio: its host)."""
    if episode.feed_title:
        return episode.feed_title
    from urllib.parse import urlsplit

    return urlsplit(episode.url).hostname or ""


class RoomState:
    """The queue and the speeds (thread-safe through the State's lock)."""

    def __init__(self, state: State) -> None:
        self.state = state
        with state._lock:
            try:
                state._db.executescript(_SCHEMA)
            except sqlite3.Error as error:
                state.notice = f"Your play queue cannot be saved ({type(error).__name__})."

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        return self.state._read(sql, params)

    # -- speeds -----------------------------------------------------------------------------------

    def speed(self, episode: Episode) -> float:
        rows = self._rows(
            "SELECT speed FROM podcast_speeds WHERE podcast = ?", (podcast_key(episode),)
        )
        if rows and isinstance(rows[0][0], int | float):
            return min(MAX_SPEED, max(MIN_SPEED, float(rows[0][0])))
        return 1.0

    def set_speed(self, episode: Episode, speed: float) -> None:
        self.state._write(
            "INSERT OR REPLACE INTO podcast_speeds VALUES (?, ?, ?)",
            (podcast_key(episode), speed, time.time()),
        )

    # -- the queue --------------------------------------------------------------------------------

    def queue(self) -> list[Episode]:
        episodes = []
        for (blob,) in self._rows("SELECT episode FROM play_queue ORDER BY position"):
            try:
                episodes.append(Episode.from_dict(json.loads(str(blob))))
            except (ValueError, TypeError):
                continue
        return episodes

    def _save(self, episodes: list[Episode]) -> None:
        """Rewrite the queue in one transaction: all of the new order or none of it."""
        rows = [
            (i, e.url, json.dumps(e.to_dict(), ensure_ascii=False))
            for i, e in enumerate(episodes[:MAX_QUEUE])
        ]
        state = self.state
        with state._lock:
            state._writes += 1
            try:
                state._db.execute("BEGIN IMMEDIATE")
                try:
                    state._db.execute("DELETE FROM play_queue")
                    state._db.executemany("INSERT INTO play_queue VALUES (?, ?, ?)", rows)
                except BaseException:
                    state._db.execute("ROLLBACK")
                    raise
                state._db.execute("COMMIT")
            except sqlite3.Error as error:
                state.notice = f"Could not save your play queue ({type(error).__name__})."

    def add(self, episode: Episode) -> bool:
        """Append to the queue; False when it is already there (or the queue is full)."""
        episodes = self.queue()
        if any(e.url == episode.url for e in episodes) or len(episodes) >= MAX_QUEUE:
            return False
        self._save([*episodes, episode])
        return True

    def remove(self, url: str) -> bool:
        episodes = self.queue()
        kept = [e for e in episodes if e.url != url]
        if len(kept) == len(episodes):
            return False
        self._save(kept)
        return True

    def move(self, url: str, by: int) -> int | None:
        """Move an episode `by` places (negative: towards the top); its new index, or None."""
        episodes = self.queue()
        index = next((i for i, e in enumerate(episodes) if e.url == url), None)
        if index is None:
            return None
        target = min(len(episodes) - 1, max(0, index + by))
        if target != index:
            episode = episodes.pop(index)
            episodes.insert(target, episode)
            self._save(episodes)
        return target
