"""A dialog that asks for a web address to read in Broadsheet's reader (palette: Open a web address)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


def web_address(typed: str) -> str | None:
    """The http(s) address the user meant ("example.org/x" → "https://example.org/x"), or None."""
    typed = typed.strip()
    if not typed or any(ch.isspace() or ord(ch) < 32 for ch in typed):
        return None
    if "://" not in typed:
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:(?!\d)", typed):
            return None  # another scheme (javascript:, data:, mailto:…), not host:port
        typed = f"https://{typed}"
    try:
        parts = urlsplit(typed)  # raises ValueError for a bad bracketed host ("http://[x")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return typed


class OpenUrlScreen(ModalScreen[str | None]):
    """Type an address; enter opens it in the reader, escape cancels."""

    DEFAULT_CSS = """
    OpenUrlScreen { align: center middle; }
    OpenUrlScreen > Vertical { width: 90; max-width: 95%; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    OpenUrlScreen .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="open_url.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Read a web page in Broadsheet")
            yield Input(placeholder="https://example.org/news/story", id="url")
            yield Static(
                Text("Enter opens it in the reader. Escape cancels."), id="hint", classes="hint"
            )

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#url")
    def _submitted(self, event: Input.Submitted) -> None:
        url = web_address(event.value)
        if url is None:
            self.query_one("#hint", Static).update(
                Text("That is not a web address: type one starting with http:// or https://.")
            )
            return
        self.dismiss(url)
