"""One line at the bottom: online/offline, the story counts, progress, the last message.

Progress has one display for every kind of long task (a refresh, a prefetch, a download):
each task's line is kept by its key (the worker), so one ending never clears another's.
A failure stays in view for FAILURE_HOLD seconds: what is said meanwhile comes after it."""

from __future__ import annotations

import time

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


def progress_bar(done: int, total: int | None, width: int = 16) -> str:
    """ "██████░░░░░░░░░░ 38%" for a known total; "" when the total is unknown."""
    if not total or total <= 0:
        return ""
    share = min(max(done / total, 0.0), 1.0)
    filled = int(share * width)
    return "█" * filled + "░" * (width - filled) + f" {int(share * 100)}%"


# A failure stays in the status bar this long: what is said meanwhile is shown after it (a
# refresh that ends just after the sync beside it failed would otherwise hide it).
FAILURE_HOLD = 10.0


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    offline: reactive[bool] = reactive(False)
    progress: reactive[str] = reactive("")
    message: reactive[str] = reactive("")
    counts: reactive[str] = reactive("")
    sync: reactive[str] = reactive("")  # when the last sync was ("" without sync)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tasks: dict[object, str] = {}
        self._failure: tuple[str, float] | None = None  # the last failure said, and when

    def say(self, text: str) -> None:
        """Show `text` as the message, after a failure said less than FAILURE_HOLD ago."""
        failure = self._failure
        if failure is not None and time.monotonic() - failure[1] < FAILURE_HOLD:
            text = f"{failure[0]}  ·  {text}"
        self.message = text

    def say_failure(self, text: str) -> None:
        """Show `text`, what failed and why, as the message; it stays in view (see say)."""
        self._failure = (text, time.monotonic())
        self.message = text

    def show_progress(self, key: object, text: str) -> None:
        """Show how far the task `key` has got ("" ends it)."""
        if text:
            self._tasks[key] = text
        else:
            self._tasks.pop(key, None)
        self.progress = " · ".join(self._tasks.values())

    def end_progress(self, key: object) -> None:
        """The task `key` is over: its line goes."""
        self.show_progress(key, "")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.offline:
            text.append("○ offline", style="bold yellow")
        else:
            text.append("● online", style="bold green")
        for part, style in (
            (self.sync, "dim"),
            (self.counts, ""),
            (self.progress, "italic"),
            (self.message, ""),
        ):
            if part:
                text.append("  │  ", style="dim")
                text.append(part, style=style)
        return text
