"""The service for one command: opened from the command line's choices, closed with a word about
anything that went wrong with storage (said once, however often it happened)."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from tui.cli.output import err
from tui.core.session import Session, open_session

_T = TypeVar("_T")


def open_from_args(
    args: argparse.Namespace,
    *,
    sample_only: bool | None = None,
    first_run: bool = True,
    offline: bool | None = None,
    workers: tuple[str, ...] | None = None,
) -> Session:
    """The session for a command. `first_run=False` for commands that should not write a
    first config; `offline=True` for those that never need the network (no sample server is
    started for them); `workers` (modules to import in them) for commands that parse or
    extract much, which then do it in worker processes."""
    return open_session(
        config_path=args.config,
        cache_dir=args.cache_dir,
        offline=args.offline if offline is None else offline,
        sample_only=args.sample if sample_only is None else sample_only,
        write_first_run=first_run,
        worker_processes=workers is not None,
        warm=workers or (),
    )


def close(session: Session) -> None:
    """Close the session, telling the user once about anything that went wrong with storage."""
    notices = [*session.notices, *session.service.storage_notices()]
    for notice in dict.fromkeys(notices):
        err(notice)
    session.close()


@contextmanager
def opened(
    args: argparse.Namespace,
    *,
    sample_only: bool | None = None,
    first_run: bool = True,
    offline: bool | None = None,
    workers: tuple[str, ...] | None = None,
) -> Iterator[Session]:
    """`open_from_args` for a `with` block, closed (see `close`) when it ends."""
    session = open_from_args(
        args, sample_only=sample_only, first_run=first_run, offline=offline, workers=workers
    )
    try:
        yield session
    finally:
        close(session)


def run_async(session: Session, work: Coroutine[Any, Any, _T]) -> _T:
    """Run `work` on a new event loop; the service's network clients, which belong to that
    loop, are closed before it ends."""

    async def go() -> _T:
        try:
            return await work
        finally:
            await session.service.aclose()

    return asyncio.run(go())
