"""Messages that go up from the panes to the screen (past tense: they report what happened).

Plain classes, not dataclasses: making a dataclass costs ~0.2 ms at import, and the app's two
dozen messages were 4 ms of every launch before its first frame. `post_message` is thread-safe,
so a thread worker reports its result with one (no `call_from_thread` hop that waits for the
event loop). The screen routes them: a sentence for the status bar, a progress line, a story
opened, the feeds changed.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from textual.message import Message
from textual.worker import Worker

from tui.core.errors import BroadsheetError
from tui.core.models import Article, Entry
from tui.core.service import ArticleResult, FeedStatus


class Announced(Message):
    """A pane has a sentence for the status bar."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


class ProgressChanged(Message):
    """How far `worker` has got (a refresh, a prefetch, a download); "" when it is done. The
    line goes when the worker ends in any way. Coalesced: a burst keeps only the latest."""

    def __init__(self, worker: Worker[Any], text: str) -> None:
        self.worker = worker
        self.text = text
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ProgressChanged) and message.worker is self.worker


class WorkerEnded(Message):
    """A pane's worker ended (succeeded, failed or cancelled). Worker.StateChanged does not
    bubble, so each pane passes its workers' ends up (see ReportsWorkers)."""

    def __init__(self, worker: Worker[Any]) -> None:
        self.worker = worker
        super().__init__()


class CountsChanged(Message):
    """The story list's totals changed ("12 unread of 40 · unread")."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


class EntryOpened(Message):
    """The user opened a story from the list."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        super().__init__()


class FeedsChanged(Message):
    """The feeds were refreshed, added or removed: here is every feed as it is now."""

    def __init__(self, statuses: list[FeedStatus]) -> None:
        self.statuses = statuses
        super().__init__()


class FeedsSynced(Message):
    """A sync stored the server's stories and marks: every feed as it is now."""

    def __init__(self, statuses: list[FeedStatus]) -> None:
        self.statuses = statuses
        super().__init__()


class SyncStatusChanged(Message):
    """When the last sync was, and how many marks wait ("Synced 5 min ago · 2 marks to
    send"); None without sync."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        super().__init__()


class SearchChanged(Message):
    """The search text changed ("" when the search was cleared)."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


class ListEmptied(Message):
    """The story list has nothing to show; `text` says why, for the reader to show when it has
    nothing open (`even_when_reading`: in any case)."""

    def __init__(self, text: str, even_when_reading: bool = False) -> None:
        self.text = text
        self.even_when_reading = even_when_reading
        super().__init__()


class ArticleShown(Message):
    """The reader now shows `article` (its episodes go to the podcast sidebar)."""

    def __init__(self, article: Article) -> None:
        self.article = article
        super().__init__()


class ArticleLoaded(Message, bubble=False):
    """(The reader's own.) An article came for `url`; shown only if still wanted."""

    def __init__(self, url: str, result: ArticleResult) -> None:
        self.url = url
        self.result = result
        super().__init__()


class ArticleFailed(Message, bubble=False):
    """(The reader's own.) Nothing could be read at `url`."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__()


class ReportsWorkers:
    """Mixin for a pane: pass each of its workers' ends up to the screen as WorkerEnded, where
    one handler clears the worker's progress line and reports a failure."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.is_finished:
            self.post_message(WorkerEnded(event.worker))  # type: ignore[attr-defined]


def failure_text(worker: Worker[Any]) -> str:
    """One plain line for the status bar: what failed and why."""
    error = worker.error
    if isinstance(error, BroadsheetError):
        reason = error.reason
    elif isinstance(error, OSError) and error.strerror:
        reason = error.strerror
    else:
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    text = f"{worker.name or 'A task'} failed: {reason}"
    return "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)[:300]
