"""One line at the bottom: online/offline, refresh progress, the last error."""

from __future__ import annotations

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


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    offline: reactive[bool] = reactive(False)
    progress: reactive[str] = reactive("")
    message: reactive[str] = reactive("")
    counts: reactive[str] = reactive("")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.offline:
            text.append("○ offline", style="bold yellow")
        else:
            text.append("● online", style="bold green")
        for part, style in ((self.counts, ""), (self.progress, "italic"), (self.message, "")):
            if part:
                text.append("  │  ", style="dim")
                text.append(part, style=style)
        return text
