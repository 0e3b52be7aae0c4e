"""Worker processes for the CPU-bound half of `broadsheet refresh` and `broadsheet prefetch`.

Why processes: parsing feeds and extracting articles is CPU work in Python, and one Python
process runs one thread of it at a time, so the event loop (downloads) and the parsers share a
single core however many the machine has. A few forked workers let them use every core: the
parent downloads (and keeps the politeness limits in one place), the workers parse or extract
and write the result to the cache themselves (diskcache is safe across processes), and only
small answers come back.

Used only where it is safe and cheap:
- Linux, with `fork`, done when the pool is created: the commands create it first thing, when
  the process has no other thread and no open database (a fork copies neither safely).
- Workers die with their parent (they watch a pipe only the parent writes to), so a `kill -9`
  of the command never leaves orphans writing to the cache; they ignore Ctrl-C (the parent
  handles it).
- A worker opens the cache as it is and never repairs it: moving a damaged cache aside is the
  parent's decision, taken once at start-up.

Jobs are module-level functions taking and returning plain data. When a job cannot run in a
worker (no pool, a worker died, the cache would not open there) `WorkerUnavailable` tells the
caller to run it in a thread instead, so a broken pool costs speed, never work.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core import errors

if TYPE_CHECKING:
    from tui.core.cache import Cache


class WorkerUnavailable(Exception):
    """The job did not run in a worker; run it in this process instead."""


class Workers:
    """A small pool of forked worker processes; see the module docstring."""

    def __init__(self, count: int, warm: tuple[str, ...] = ()) -> None:
        """Fork `count` workers; each imports the modules named in `warm` while the parent
        goes on starting up (for jobs that will surely come, such as extraction in a prefetch)."""
        import multiprocessing

        self.count = count
        # The lifeline: only this process holds its write end, so the workers read end-of-file
        # from it the moment this process ends, however it ends (kill -9 included).
        lifeline, self._lifeline = os.pipe()
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            count,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(lifeline, self._lifeline),
        )
        # The first submit forks every worker now (with fork, all are started at once), while
        # the caller guarantees this process has no thread and no database connection yet.
        # A refresh warms nothing: when every feed is unchanged it needs no parser, and on a
        # busy machine importing one in each worker costs more than it saves.
        try:
            for _ in range(count if warm else 1):
                self._pool.submit(_import, warm)
        finally:
            os.close(lifeline)

    @classmethod
    def create(cls, count: int | None = None, warm: tuple[str, ...] = ()) -> Workers | None:
        """A pool sized to the machine (at most 4), or None where workers are not worth it:
        not Linux, or a single core."""
        cores = os.cpu_count() or 1
        count = min(cores, 4) if count is None else count
        if not sys.platform.startswith("linux") or count < 1 or cores < 2:
            return None
        try:
            return cls(count, warm)
        except (OSError, ValueError):
            return None

    async def run(self, job: Callable[..., Any], cache: Cache, *args: Any) -> Any:
        """`job(cache, *args)` in a worker, on the worker's own handle of `cache`'s directory.

        Raises WorkerUnavailable when the job could not run there; errors the job raises on
        purpose (BroadsheetError) come back as themselves, with their plain reason.
        """
        if self._pool is None or not cache.on_disk:
            raise WorkerUnavailable
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(
                self._pool, _run_job, job, str(cache.directory), cache.size_limit, args
            )
        except (BrokenProcessPool, RuntimeError):  # a worker died; or the pool is shut down
            self.close()
            raise WorkerUnavailable from None
        kind, value, notice = outcome
        if notice:
            cache.notice = notice
        if kind == "unavailable":
            raise WorkerUnavailable
        if kind == "error":
            name, reason, url = value
            raise getattr(errors, name, errors.BroadsheetError)(reason, url)
        return value

    def close(self) -> None:
        """Stop the workers (after their current jobs); safe twice."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            os.close(self._lifeline)


# -- inside a worker --------------------------------------------------------------------------------

_caches: dict[tuple[str, int], Cache] = {}


def _start_worker(lifeline: int, parents_end: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.close(parents_end)
    threading.Thread(target=_die_with_parent, args=(lifeline,), daemon=True).start()


def _import(modules: tuple[str, ...]) -> None:
    import importlib

    for name in modules:
        importlib.import_module(name)


def _die_with_parent(lifeline: int) -> None:
    """Wait for end-of-file on the lifeline (the parent has ended), then end at once, as a
    `kill -9` would: a job cut short leaves nothing half-written (its transaction is lost)."""
    while True:
        try:
            if not os.read(lifeline, 1):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    os._exit(1)


def _run_job(
    job: Callable[..., Any], directory: str, size_limit: int, args: tuple[Any, ...]
) -> tuple[str, Any, str | None]:
    """Run one job on this worker's cache: ("ok", value | None, notice), ("error", (class
    name, reason, url), notice) or ("unavailable", None, None)."""
    from tui.core.cache import Cache

    key = (directory, size_limit)
    cache = _caches.get(key)
    if cache is None:
        try:
            cache = Cache(Path(directory), size_limit, repair=False)
        except errors.CacheError:
            return "unavailable", None, None
        _caches[key] = cache
    cache.notice = None
    try:
        value = job(cache, *args)
    except errors.BroadsheetError as error:
        return "error", (type(error).__name__, error.reason, error.url), cache.notice
    return "ok", value, cache.notice
