"""The evictable on-disk cache: raw responses, parsed feeds and extracted articles.

Built on diskcache, but every value we store is plain bytes: zlib-compressed JSON (or JSON plus
a raw body), never a pickle, so nothing fetched from the network is ever unpickled and a newer
or older Broadsheet can read or skip what it finds. Keys carry a namespace and a schema version;
extracted articles also carry the extractor's version, so an improved extractor re-extracts
from the cached HTML without touching the network.

Failure policy: a value that does not decode is a miss (and is deleted); a cache that cannot be
opened because its database is corrupt is moved aside with a timestamp and created afresh; a
cache that cannot be created at all (read-only disk, no permission) degrades to an in-memory
one. Each of these sets `notice` to one plain sentence for the UI.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = "v1"
DEFAULT_SIZE_LIMIT = 2**30
_SEPARATOR = b"\0"


@dataclass(frozen=True, slots=True)
class RawResponse:
    """A stored HTTP response: body plus what is needed for a conditional GET."""

    url: str
    body: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: float = 0.0


@dataclass(frozen=True, slots=True)
class CacheStats:
    directory: str
    size_bytes: int
    entries: int
    articles: int
    oldest: float | None
    image_bytes: int = 0  # what the pictures of articles take (stored resized and compressed)
    images: int = 0


def _json_blob(value: Any) -> bytes:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return zlib.compress(data, 1)


def _raw_blob(response: RawResponse) -> bytes:
    meta = {
        "url": response.url,
        "content_type": response.content_type,
        "etag": response.etag,
        "last_modified": response.last_modified,
        "fetched_at": response.fetched_at,
    }
    header = json.dumps(meta, separators=(",", ":")).encode()
    return zlib.compress(header + _SEPARATOR + response.body, 1)


class _MemoryStore:
    """A bounded dict with the few diskcache methods we use: the fallback when the disk fails."""

    def __init__(self, max_items: int = 2000) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._max = max_items

    def get(self, key: str, default: Any = None) -> Any:
        return self._items.get(key, default)

    def set(self, key: str, value: bytes) -> bool:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._max:
            self._items.popitem(last=False)
        return True

    def delete(self, key: str) -> bool:
        return self._items.pop(key, None) is not None

    def iterkeys(self) -> Any:
        return iter(list(self._items))

    def volume(self) -> int:
        return sum(len(v) for v in self._items.values())

    def clear(self) -> int:
        count = len(self._items)
        self._items.clear()
        return count

    def close(self) -> None:
        pass

    def __len__(self) -> int:
        return len(self._items)


class Cache:
    """Namespaced, compressed, plain-data storage on top of diskcache."""

    def __init__(
        self, directory: Path, size_limit: int = DEFAULT_SIZE_LIMIT, *, repair: bool = True
    ) -> None:
        """Open (or create) the cache in `directory`.

        With `repair=False` (a worker process opening the cache its parent already opened)
        nothing is moved aside or replaced by memory: any failure raises CacheError.
        """
        self.directory = directory
        self.size_limit = size_limit
        self.notice: str | None = None
        # What the store raises when the disk or the lock fails (diskcache adds its Timeout).
        self._errors: tuple[type[Exception], ...] = (OSError, sqlite3.Error)
        self._store: Any = self._open(directory, size_limit) if repair else self._join(directory)

    @property
    def on_disk(self) -> bool:
        """False when this session fell back to keeping pages in memory."""
        return not isinstance(self._store, _MemoryStore)

    # -- opening and recovery -------------------------------------------------------------------

    def _open(self, directory: Path, size_limit: int) -> Any:
        import diskcache  # imported here: the UI's first frame must not wait for it

        self._errors = (OSError, sqlite3.Error, diskcache.Timeout)

        settings = self._settings(size_limit)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            store = diskcache.Cache(str(directory), timeout=5, **settings)
            store.get(f"{SCHEMA}:probe")  # touches the database, so corruption shows here
            return store
        except sqlite3.OperationalError:
            # A full disk, a lock held too long, an I/O error: the cache may be healthy, so it
            # is left as it is and this session runs uncached.
            pass
        except sqlite3.DatabaseError:  # "file is not a database", "disk image is malformed"
            try:
                moved = self._move_aside(directory)
            except OSError:
                moved = None
            try:
                if moved is None:
                    raise OSError("could not move the damaged cache aside")
                store = diskcache.Cache(str(directory), timeout=5, **settings)
                self.notice = (
                    f"The cache was damaged; it was moved to {moved.name} and a new one started."
                )
                return store
            except (OSError, sqlite3.Error):
                pass
        except (OSError, sqlite3.Error):
            pass
        self.notice = (
            f"The cache folder {directory} cannot be used; this session keeps pages in memory only."
        )
        return _MemoryStore()

    def _join(self, directory: Path) -> Any:
        """The cache exactly as it is on disk, or CacheError."""
        import diskcache

        from tui.core.errors import CacheError

        self._errors = (OSError, sqlite3.Error, diskcache.Timeout)

        try:
            store = diskcache.Cache(str(directory), timeout=5, **self._settings(self.size_limit))
        except (OSError, sqlite3.Error):
            raise CacheError("the cache could not be opened", str(directory)) from None
        return store

    @staticmethod
    def _settings(size_limit: int) -> dict[str, Any]:
        return {
            "size_limit": size_limit,
            "eviction_policy": "least-recently-used",
            "disk_min_file_size": 2**20,  # compressed pages live in SQLite, not one file each
            "statistics": False,
        }

    @staticmethod
    def _move_aside(directory: Path) -> Path:
        """Rename the damaged cache to <name>.corrupt-<time>[-n], a name not yet taken."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for attempt in range(100):
            suffix = f"-{attempt}" if attempt else ""
            target = directory.with_name(f"{directory.name}.corrupt-{stamp}{suffix}")
            if not target.exists():
                directory.rename(target)
                return target
        raise OSError("no free name to move the damaged cache to")

    def close(self) -> None:
        with contextlib.suppress(OSError, sqlite3.Error):
            self._store.close()

    # -- raw bytes --------------------------------------------------------------------------------

    def _get(self, key: str) -> bytes | None:
        try:
            value = self._store.get(key)
        except self._errors:
            return None
        return value if isinstance(value, bytes) else None

    def _set(self, key: str, value: bytes) -> None:
        try:
            self._store.set(key, value)
        except self._errors as error:  # disk full, read-only: keep running uncached
            self._write_failed(error)

    def _write_failed(self, error: Exception) -> None:
        self.notice = f"Could not write to the cache ({type(error).__name__}); pages stay uncached."

    def _delete(self, key: str) -> None:
        with contextlib.suppress(*self._errors):
            self._store.delete(key)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Run the reads and writes inside as one transaction: one lock and one commit.

        With the LRU policy every read is a write too (it records the access), so each call
        would otherwise take the database's write lock on its own, and threads and worker
        processes would queue for it one call at a time. Keep a batch short: it holds the lock
        against every other writer. If the transaction cannot begin, the calls run one by one;
        an exception inside rolls the batch back.
        """
        transaction = self._store.transact() if self.on_disk else contextlib.nullcontext()
        try:
            transaction.__enter__()
        except self._errors:
            yield
            return
        try:
            yield
        except BaseException as error:
            with contextlib.suppress(*self._errors):
                transaction.__exit__(type(error), error, error.__traceback__)
            raise
        try:
            transaction.__exit__(None, None, None)
        except self._errors as error:
            self._write_failed(error)

    # -- JSON values ------------------------------------------------------------------------------

    def get_json(self, namespace: str, name: str) -> Any | None:
        """The JSON value stored under namespace/name, or None (missing or undecodable)."""
        key = f"{SCHEMA}:{namespace}:{name}"
        blob = self._get(key)
        if blob is None:
            return None
        try:
            return json.loads(zlib.decompress(blob))
        except (zlib.error, ValueError, UnicodeDecodeError):
            self._delete(key)
            return None

    def set_json(self, namespace: str, name: str, value: Any) -> None:
        self._set(f"{SCHEMA}:{namespace}:{name}", _json_blob(value))

    def set_many(
        self,
        values: Iterable[tuple[str, str, Any]] = (),
        raw: Iterable[tuple[str, RawResponse]] = (),
    ) -> None:
        """Store JSON values (namespace, name, value) and raw responses (url, response)
        together: all encoded first, then written in one transaction (see `batch`)."""
        blobs = [(f"{SCHEMA}:{ns}:{name}", _json_blob(value)) for ns, name, value in values]
        blobs += [(f"{SCHEMA}:raw:{url}", _raw_blob(response)) for url, response in raw]
        with self.batch():
            for key, blob in blobs:
                self._set(key, blob)

    def delete(self, namespace: str, name: str) -> None:
        self._delete(f"{SCHEMA}:{namespace}:{name}")

    # -- raw responses ----------------------------------------------------------------------------

    def get_raw(self, url: str) -> RawResponse | None:
        key = f"{SCHEMA}:raw:{url}"
        blob = self._get(key)
        if blob is None:
            return None
        try:
            header, _, body = zlib.decompress(blob).partition(_SEPARATOR)
            meta = json.loads(header)
            return RawResponse(
                url=str(meta["url"]),
                body=body,
                content_type=meta.get("content_type"),
                etag=meta.get("etag"),
                last_modified=meta.get("last_modified"),
                fetched_at=float(meta.get("fetched_at", 0.0)),
            )
        except (zlib.error, ValueError, KeyError, TypeError, UnicodeDecodeError):
            self._delete(key)
            return None

    def set_raw(self, url: str, response: RawResponse) -> None:
        self._set(f"{SCHEMA}:raw:{url}", _raw_blob(response))

    # -- plain bytes (pictures) ---------------------------------------------------------------------

    def get_bytes(self, namespace: str, name: str) -> bytes | None:
        """Bytes stored as they are (already compressed data, like a JPEG) under namespace/name."""
        return self._get(f"{SCHEMA}:{namespace}:{name}")

    def set_bytes(self, namespace: str, name: str, value: bytes) -> None:
        self._set(f"{SCHEMA}:{namespace}:{name}", value)

    def bytes_under(self, namespace: str) -> tuple[int, int]:
        """How many values are stored under `namespace` and their size in bytes."""
        prefix = f"{SCHEMA}:{namespace}:"
        if self.on_disk:
            try:
                row = self._store._sql(
                    "SELECT COUNT(*), SUM(CASE WHEN size > 0 THEN size ELSE LENGTH(value) END)"
                    " FROM Cache WHERE key >= ? AND key < ?",
                    (prefix, prefix[:-1] + ";"),
                ).fetchone()
                return int(row[0] or 0), int(row[1] or 0)
            except (AttributeError, sqlite3.Error, TypeError, ValueError):
                return 0, 0
        count = size = 0
        for key in list(self._store.iterkeys()):
            if isinstance(key, str) and key.startswith(prefix):
                value = self._get(key)
                count += 1
                size += len(value) if value else 0
        return count, size

    def has(self, namespace: str, name: str) -> bool:
        try:
            return f"{SCHEMA}:{namespace}:{name}" in self._store
        except (OSError, sqlite3.Error, TypeError):
            return self._get(f"{SCHEMA}:{namespace}:{name}") is not None

    def names(self, namespace: str) -> set[str]:
        """Every name stored under `namespace` (one pass over the keys)."""
        prefix = f"{SCHEMA}:{namespace}:"
        try:
            return {
                key[len(prefix) :]
                for key in self._store.iterkeys()
                if isinstance(key, str) and key.startswith(prefix)
            }
        except (OSError, sqlite3.Error):
            return set()

    # -- maintenance --------------------------------------------------------------------------------

    def stats(self) -> CacheStats:
        entries = articles = 0
        try:
            for key in self._store.iterkeys():
                entries += 1
                if isinstance(key, str) and key.startswith(f"{SCHEMA}:article:"):
                    articles += 1
            size = int(self._store.volume())
        except (OSError, sqlite3.Error):
            size = 0
        oldest = None
        try:
            oldest_row = self._store._sql("SELECT MIN(store_time) FROM Cache").fetchone()
            oldest = oldest_row[0] if oldest_row else None
        except (AttributeError, sqlite3.Error):
            pass
        images, image_bytes = self.bytes_under("image")
        return CacheStats(str(self.directory), size, entries, articles, oldest, image_bytes, images)

    def clear(self) -> int:
        try:
            return int(self._store.clear())
        except (OSError, sqlite3.Error):
            return 0
