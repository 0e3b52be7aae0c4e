"""The durable side of sync: queued local marks, the items both sides know, and the cursor.

Kept in the state database (the same SQLite file as tui/core/state.py's State) in tables of its
own, through a connection of its own in WAL mode with synchronous=FULL: `record` commits before
it returns, so a mark the caller saw recorded survives `kill -9` right after. Another process
(the app while `broadsheet sync` runs from cron) may share the file; SQLite serialises writers.

Tables:
- `sync_marks`: marks the user made and the server has not confirmed yet; each is absolute
  ("read", "unread", "starred", "unstarred"), never a toggle, with the time the user made it.
  A mark is deleted only after the server accepted it, and only if no newer mark for the same
  story and kind came in meanwhile. A kill between "sent" and "deleted" sends it again at the
  next sync: the same absolute value twice, so nothing flips.
- `sync_items`: every server item we know: its id (16 hex digits), the local key it was stored
  under (feed_url, entry_id), and the read/starred state both sides last agreed on (the base of
  the three-way merge in engine.py).
- `sync_meta`: the account it belongs to, the crawl-time cursor for incremental pulls, the time
  the last successful sync took its snapshot of the server, and when it finished.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tui.core.sync.errors import SyncError

Kind = Literal["read", "star"]
KINDS: tuple[Kind, ...] = ("read", "star")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_marks (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_url TEXT NOT NULL, entry_id TEXT NOT NULL, kind TEXT NOT NULL, value INTEGER NOT NULL,
    at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sync_marks_key ON sync_marks (feed_url, entry_id, kind);
CREATE TABLE IF NOT EXISTS sync_items (item_id TEXT PRIMARY KEY, feed_url TEXT NOT NULL,
    entry_id TEXT NOT NULL, read INTEGER NOT NULL, starred INTEGER NOT NULL,
    crawled_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sync_items_key ON sync_items (feed_url, entry_id);
CREATE TABLE IF NOT EXISTS sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Mark:
    """One queued local change: set `kind` ("read" or "star") of a story to `value`, at `at`."""

    seq: int
    feed_url: str
    entry_id: str
    kind: Kind
    value: bool
    at: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.feed_url, self.entry_id)


@dataclass(frozen=True, slots=True)
class KnownItem:
    """A server item as last agreed by both sides."""

    item_id: str
    feed_url: str
    entry_id: str
    read: bool
    starred: bool
    crawled_ms: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.feed_url, self.entry_id)


class SyncStore:
    """Queued marks, known items and sync bookkeeping in the state database at `path`.

    Thread-safe (one connection, one lock). Errors opening or writing the file are SyncErrors:
    a mark that cannot be queued must not look queued.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                path, timeout=30, check_same_thread=False, isolation_level=None
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise SyncError(
                f"cannot open the sync queue ({type(error).__name__})", str(path)
            ) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(
        self,
        sql: str,
        params: Sequence[object] | Iterable[Sequence[object]] = (),
        many: bool = False,
    ) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                if many:
                    self._db.executemany(sql, params)  # type: ignore[arg-type]
                    return []
                return list(self._db.execute(sql, params))  # type: ignore[arg-type]
            except sqlite3.Error as error:
                raise SyncError(
                    f"the sync queue failed ({type(error).__name__})", str(self.path)
                ) from None

    def _transaction(
        self, statements: Sequence[tuple[str, Sequence[object] | Iterable[Sequence[object]], bool]]
    ) -> None:
        """Run statements in one transaction: all of them or none survive a crash."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for sql, params, many in statements:
                        if many:
                            self._db.executemany(sql, params)  # type: ignore[arg-type]
                        else:
                            self._db.execute(sql, params)  # type: ignore[arg-type]
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                raise SyncError(
                    f"the sync queue failed ({type(error).__name__})", str(self.path)
                ) from None

    # -- the queue --------------------------------------------------------------------------------

    def record(
        self, keys: Iterable[tuple[str, str]], kind: Kind, value: bool, at: float | None = None
    ) -> int:
        """Queue "set `kind` of these stories to `value`", made at `at` (default: now).

        Durable when it returns. Returns how many marks were queued.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown mark kind {kind!r}")
        when = time.time() if at is None else at
        rows = [(f, e, kind, int(bool(value)), when) for f, e in keys]
        if rows:
            self._transaction(
                [
                    (
                        "INSERT INTO sync_marks (feed_url, entry_id, kind, value, at) VALUES (?, ?, ?, ?, ?)",
                        rows,
                        True,
                    )
                ]
            )
        return len(rows)

    def pending(self) -> list[Mark]:
        """Every queued mark, oldest first."""
        rows = self._run(
            "SELECT seq, feed_url, entry_id, kind, value, at FROM sync_marks ORDER BY seq"
        )
        return [
            Mark(int(s), str(f), str(e), "star" if k == "star" else "read", bool(v), float(a))
            for s, f, e, k, v, a in rows
        ]

    def pending_count(self) -> int:
        return int(self._run("SELECT count(*) FROM sync_marks")[0][0])

    def latest(self) -> dict[tuple[tuple[str, str], Kind], Mark]:
        """The newest queued mark for each (story, kind): the user's last word on it.

        "Newest" is by the time the user made it, then by queue order.
        """
        out: dict[tuple[tuple[str, str], Kind], Mark] = {}
        for mark in self.pending():
            slot = (mark.key, mark.kind)
            old = out.get(slot)
            if old is None or (mark.at, mark.seq) >= (old.at, old.seq):
                out[slot] = mark
        return out

    def done(self, marks: Iterable[Mark]) -> None:
        """Forget these marks and every older one for the same (story, kind): the server has them.

        A mark queued after `marks` were read (a newer seq) stays queued.
        """
        rows = [(m.feed_url, m.entry_id, m.kind, m.seq) for m in marks]
        if rows:
            self._transaction(
                [
                    (
                        "DELETE FROM sync_marks WHERE feed_url = ? AND entry_id = ? AND kind = ? AND seq <= ?",
                        rows,
                        True,
                    )
                ]
            )

    # -- known items ------------------------------------------------------------------------------

    def known(self) -> dict[str, KnownItem]:
        rows = self._run(
            "SELECT item_id, feed_url, entry_id, read, starred, crawled_ms FROM sync_items"
        )
        return {
            str(i): KnownItem(str(i), str(f), str(e), bool(r), bool(s), int(c))
            for i, f, e, r, s, c in rows
        }

    def item_for(self, key: tuple[str, str]) -> str | None:
        rows = self._run("SELECT item_id FROM sync_items WHERE feed_url = ? AND entry_id = ?", key)
        return str(rows[0][0]) if rows else None

    def save_items(self, items: Iterable[KnownItem]) -> None:
        rows = [
            (i.item_id, i.feed_url, i.entry_id, int(i.read), int(i.starred), i.crawled_ms)
            for i in items
        ]
        if rows:
            self._transaction(
                [("INSERT OR REPLACE INTO sync_items VALUES (?, ?, ?, ?, ?, ?)", rows, True)]
            )

    def finish(
        self,
        items: Iterable[KnownItem],
        marks: Iterable[Mark],
        meta: dict[str, object],
    ) -> None:
        """In one transaction: save the agreed states, forget the sent marks, store bookkeeping."""
        item_rows = [
            (i.item_id, i.feed_url, i.entry_id, int(i.read), int(i.starred), i.crawled_ms)
            for i in items
        ]
        mark_rows = [(m.feed_url, m.entry_id, m.kind, m.seq) for m in marks]
        meta_rows = [(k, json.dumps(v)) for k, v in meta.items()]
        self._transaction(
            [
                ("INSERT OR REPLACE INTO sync_items VALUES (?, ?, ?, ?, ?, ?)", item_rows, True),
                (
                    "DELETE FROM sync_marks WHERE feed_url = ? AND entry_id = ? AND kind = ? AND seq <= ?",
                    mark_rows,
                    True,
                ),
                ("INSERT OR REPLACE INTO sync_meta VALUES (?, ?)", meta_rows, True),
            ]
        )

    # -- bookkeeping ------------------------------------------------------------------------------

    def meta(self, key: str, default: object = None) -> object:
        rows = self._run("SELECT value FROM sync_meta WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(str(rows[0][0]))
        except ValueError:
            return default

    def set_meta(self, values: dict[str, object]) -> None:
        rows = [(k, json.dumps(v)) for k, v in values.items()]
        self._transaction([("INSERT OR REPLACE INTO sync_meta VALUES (?, ?)", rows, True)])

    def bind_account(self, account: str) -> bool:
        """Tie the stored items and cursor to `account` (url + user). A different account than
        before forgets them (not the queued marks, which name local stories). True if it did."""
        current = self.meta("account")
        if current == account:
            return False
        self._transaction(
            [
                ("DELETE FROM sync_items", (), False),
                ("DELETE FROM sync_meta", (), False),
                ("INSERT INTO sync_meta VALUES (?, ?)", ("account", json.dumps(account)), False),
            ]
        )
        return current is not None

    @property
    def last_sync(self) -> float | None:
        """When the last successful sync finished (Unix time), or None."""
        value = self.meta("finished_at")
        return float(value) if isinstance(value, int | float) else None
