"""The user's own state: read and starred stories, reading positions, episodes played and where.

Kept apart from the cache and never evicted. SQLite in WAL mode with synchronous=FULL: every
method commits before it returns, so a change the caller saw succeed survives `kill -9` right
after; two processes (the app and a cron `broadsheet refresh`) share the file safely.
Starred stories are stored whole (as plain JSON) so they outlive the cache and the feed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from tui.core.models import Entry, EpisodeMark

__all__ = ["EpisodeMark", "State"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS read (feed_url TEXT, entry_id TEXT, read_at REAL,
    PRIMARY KEY (feed_url, entry_id));
CREATE TABLE IF NOT EXISTS starred (feed_url TEXT, entry_id TEXT, entry TEXT, starred_at REAL,
    PRIMARY KEY (feed_url, entry_id));
CREATE TABLE IF NOT EXISTS positions (url TEXT PRIMARY KEY, position REAL, updated_at REAL);
CREATE TABLE IF NOT EXISTS episodes (url TEXT PRIMARY KEY, played INTEGER, seconds REAL,
    updated_at REAL);
CREATE TABLE IF NOT EXISTS saved (url TEXT PRIMARY KEY, entry TEXT, article TEXT, tags TEXT,
    saved_at REAL);
CREATE TABLE IF NOT EXISTS ruled (feed_url TEXT, entry_id TEXT, PRIMARY KEY (feed_url, entry_id));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


class State:
    """Durable per-user state in one SQLite file (thread-safe; one connection, one lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice: str | None = None
        self._lock = threading.Lock()
        self._db = self._connect(path)
        self._writes = 0  # our own writes (SQLite's data_version counts only other connections')
        self._read_ids: tuple[tuple[int, int], frozenset[tuple[str, str]]] | None = None

    def _connect(self, path: Path) -> sqlite3.Connection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            return db
        except (OSError, sqlite3.Error) as error:
            self.notice = f"Your reading state cannot be saved at {path} ({type(error).__name__}); changes last this session only."
            db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            db.executescript(_SCHEMA)
            return db

    def _write(
        self,
        sql: str,
        params: tuple[object, ...] | Iterable[tuple[object, ...]],
        many: bool = False,
    ) -> None:
        with self._lock:
            self._writes += 1
            try:
                if many:
                    # One transaction for the lot: in autocommit mode every row would be a
                    # commit of its own, each waiting for the disk (10,000 rows took 6 s).
                    self._db.execute("BEGIN IMMEDIATE")
                    try:
                        self._db.executemany(sql, params)  # type: ignore[arg-type]
                    except BaseException:
                        self._db.execute("ROLLBACK")
                        raise
                    self._db.execute("COMMIT")
                else:
                    self._db.execute(sql, params)  # type: ignore[arg-type]
            except sqlite3.Error as error:
                self.notice = f"Could not save your reading state ({type(error).__name__})."

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return list(self._db.execute(sql, params))
            except sqlite3.Error:
                return []

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- read / unread ----------------------------------------------------------------------------

    def read_ids(self, feed_url: str | None = None) -> frozenset[tuple[str, str]]:
        """Every (feed_url, entry_id) marked read, optionally for one feed.

        The whole set is remembered until the database changes (a write here, or one by
        another process: SQLite's data_version): the app asks for it on every rebuild of
        its list, each keystroke of a search, and at 100,000 read stories reading it took
        a quarter of a second.
        """
        if feed_url is not None:
            rows = self._read("SELECT feed_url, entry_id FROM read WHERE feed_url = ?", (feed_url,))
            return frozenset((str(a), str(b)) for a, b in rows)
        with self._lock:
            try:
                (version,) = self._db.execute("PRAGMA data_version").fetchone()
                stamp = (version, self._writes)
                if self._read_ids is not None and self._read_ids[0] == stamp:
                    return self._read_ids[1]
                rows = list(self._db.execute("SELECT feed_url, entry_id FROM read"))
            except sqlite3.Error:
                return frozenset()
        ids = frozenset((str(a), str(b)) for a, b in rows)
        self._read_ids = (stamp, ids)
        return ids

    def set_read(self, entries: Iterable[tuple[str, str]], read: bool = True) -> None:
        pairs = list(entries)
        if read:
            now = time.time()
            self._write(
                "INSERT OR REPLACE INTO read VALUES (?, ?, ?)",
                [(f, e, now) for f, e in pairs],
                many=True,
            )
        else:
            self._write("DELETE FROM read WHERE feed_url = ? AND entry_id = ?", pairs, many=True)

    # -- stars ------------------------------------------------------------------------------------

    def starred(self) -> list[Entry]:
        rows = self._read("SELECT entry FROM starred ORDER BY starred_at DESC")
        entries = []
        for (blob,) in rows:
            try:
                entries.append(Entry.from_dict(json.loads(str(blob))))
            except (ValueError, TypeError):
                continue
        return entries

    def starred_ids(self) -> set[tuple[str, str]]:
        return {(str(a), str(b)) for a, b in self._read("SELECT feed_url, entry_id FROM starred")}

    def set_starred_many(self, entries: Iterable[Entry], starred: bool = True) -> None:
        """`set_starred` for many stories in one transaction (sync applies the server's stars)."""
        if starred:
            now = time.time()
            rows = [
                (e.feed_url, e.id, json.dumps(e.to_dict(), ensure_ascii=False), now)
                for e in entries
            ]
            self._write("INSERT OR REPLACE INTO starred VALUES (?, ?, ?, ?)", rows, many=True)
        else:
            pairs = [(e.feed_url, e.id) for e in entries]
            self._write("DELETE FROM starred WHERE feed_url = ? AND entry_id = ?", pairs, many=True)

    def set_starred(self, entry: Entry, starred: bool = True) -> None:
        if starred:
            blob = json.dumps(entry.to_dict(), ensure_ascii=False)
            self._write(
                "INSERT OR REPLACE INTO starred VALUES (?, ?, ?, ?)",
                (entry.feed_url, entry.id, blob, time.time()),
            )
        else:
            self._write(
                "DELETE FROM starred WHERE feed_url = ? AND entry_id = ?",
                (entry.feed_url, entry.id),
            )

    # -- positions --------------------------------------------------------------------------------

    def position(self, url: str) -> float | None:
        rows = self._read("SELECT position FROM positions WHERE url = ?", (url,))
        return float(rows[0][0]) if rows else None  # type: ignore[arg-type]

    def set_position(self, url: str, position: float) -> None:
        self._write(
            "INSERT OR REPLACE INTO positions VALUES (?, ?, ?)", (url, position, time.time())
        )

    # -- episodes ---------------------------------------------------------------------------------

    def episode_marks(self) -> dict[str, EpisodeMark]:
        """Every episode the user has played or started, by URL."""
        rows = self._read("SELECT url, played, seconds FROM episodes")
        return {
            str(url): EpisodeMark(bool(played), float(seconds or 0.0))  # type: ignore[arg-type]
            for url, played, seconds in rows
        }

    def episode_mark(self, url: str) -> EpisodeMark:
        rows = self._read("SELECT played, seconds FROM episodes WHERE url = ?", (url,))
        if not rows:
            return EpisodeMark()
        played, seconds = rows[0]
        return EpisodeMark(bool(played), float(seconds or 0.0))  # type: ignore[arg-type]

    def set_played(self, url: str, played: bool = True) -> None:
        """Mark an episode played (its position forgotten) or unplayed (from the start)."""
        self._write(
            "INSERT OR REPLACE INTO episodes VALUES (?, ?, 0, ?)", (url, int(played), time.time())
        )

    def set_episode_position(self, url: str, seconds: float) -> None:
        """Remember where playback stopped; the episode counts as started, not played."""
        self._write(
            "INSERT OR REPLACE INTO episodes VALUES (?, 0, ?, ?)",
            (url, max(0.0, seconds), time.time()),
        )

    # -- saved for later --------------------------------------------------------------------------
    # The story and its extracted article, whole, so a saved article never depends on the cache.

    def save(
        self, url: str, entry: Entry, article: dict[str, object] | None, tags: Iterable[str]
    ) -> None:
        """Save (or save again, keeping the first saved_at) the story at `url`."""
        rows = self._read("SELECT saved_at, tags FROM saved WHERE url = ?", (url,))
        saved_at = float(rows[0][0]) if rows else time.time()  # type: ignore[arg-type]
        old_tags = json.loads(str(rows[0][1])) if rows and rows[0][1] else []
        merged = list(dict.fromkeys([*old_tags, *tags]))
        self._write(
            "INSERT OR REPLACE INTO saved VALUES (?, ?, ?, ?, ?)",
            (
                url,
                json.dumps(entry.to_dict(), ensure_ascii=False),
                json.dumps(article, ensure_ascii=False) if article is not None else None,
                json.dumps(merged, ensure_ascii=False),
                saved_at,
            ),
        )

    def unsave(self, url: str) -> bool:
        found = bool(self._read("SELECT 1 FROM saved WHERE url = ?", (url,)))
        self._write("DELETE FROM saved WHERE url = ?", (url,))
        return found

    def saved(self) -> list[tuple[Entry, float, tuple[str, ...], bool]]:
        """(entry, saved_at, tags, has its article) of every saved story, newest saved first."""
        rows = self._read(
            "SELECT entry, saved_at, tags, article IS NOT NULL FROM saved ORDER BY saved_at DESC"
        )
        out = []
        for blob, saved_at, tags, has_article in rows:
            try:
                entry = Entry.from_dict(json.loads(str(blob)))
                names = tuple(str(t) for t in json.loads(str(tags or "[]")))
            except (ValueError, TypeError):
                continue
            out.append((entry, float(saved_at), names, bool(has_article)))  # type: ignore[arg-type]
        return out

    def saved_urls(self, with_article: bool = False) -> frozenset[str]:
        """The saved stories' URLs (`with_article`: only those whose article is kept)."""
        where = " WHERE article IS NOT NULL" if with_article else ""
        return frozenset(str(url) for (url,) in self._read("SELECT url FROM saved" + where))

    def saved_article(self, url: str) -> dict[str, object] | None:
        rows = self._read("SELECT article FROM saved WHERE url = ?", (url,))
        if not rows or rows[0][0] is None:
            return None
        try:
            data = json.loads(str(rows[0][0]))
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    # -- rules ------------------------------------------------------------------------------------
    # Which stories the rules' read and star actions have been applied to, and for which rules:
    # a story is marked once, so marking it unread again by hand sticks.

    def ruled(self, rules_id: str) -> set[tuple[str, str]]:
        """The stories the rules `rules_id` have seen (none when the rules changed)."""
        rows = self._read("SELECT value FROM meta WHERE key = 'rules'")
        if not rows or rows[0][0] != rules_id:
            return set()
        return {(str(a), str(b)) for a, b in self._read("SELECT feed_url, entry_id FROM ruled")}

    def set_ruled(self, rules_id: str, keys: Iterable[tuple[str, str]], fresh: bool) -> None:
        """Remember `keys` as seen by the rules `rules_id` (`fresh`: forget the others)."""
        if fresh:
            self._write("DELETE FROM ruled", ())
            self._write("INSERT OR REPLACE INTO meta VALUES ('rules', ?)", (rules_id,))
        self._write("INSERT OR IGNORE INTO ruled VALUES (?, ?)", list(keys), many=True)
