"""The cache read at start-up, in a thread of its own begun as the main screen is made: by the
time Textual has started and mounted the screen, the stories are ready for its first frame."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from tui.core.models import Episode, EpisodeMark
from tui.core.service import FeedStatus, NewsService
from tui.ui.rows import RowQuery, RowSet, read_rows
from tui.ui.widgets.podcast_pane import read_episodes

_T = TypeVar("_T")
Cached = tuple[list[FeedStatus], RowSet, tuple[list[Episode], dict[str, EpisodeMark]]]


def in_thread(function: Callable[[], _T]) -> Future[_T]:
    """Run `function` in a new daemon thread; its result (or exception) comes in the Future."""
    future: Future[_T] = Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(function())
            except BaseException as error:  # handed to whoever awaits the future
                future.set_exception(error)

    threading.Thread(target=run, name="broadsheet-read-cache", daemon=True).start()
    return future


def read_cache(service: NewsService) -> Cached:
    """(In a thread.) The feeds' statuses, the rows built from them, the episodes and marks."""
    statuses = service.statuses()
    return statuses, read_rows(service, statuses, RowQuery()), read_episodes(service, statuses)
