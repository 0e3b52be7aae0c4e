"""The help screen, generated from the bindings that are live where it was opened."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static


def format_key(key: str) -> str:
    names = {
        "down": "↓",
        "up": "↑",
        "left": "←",
        "right": "→",
        "enter": "⏎",
        "escape": "esc",
        "question_mark": "?",
        "slash": "/",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "plus": "+",
        "minus": "-",
    }
    return names.get(key, key)


def bindings_text(rows: list[tuple[str, str, str]]) -> Text:
    """rows: (keys, description, id)."""
    text = Text()
    text.append("Keys\n\n", style="bold")
    width = max((len(keys) for keys, _, _ in rows), default=8)
    for keys, description, binding_id in rows:
        text.append(f"  {keys:<{width}}  ", style="bold")
        text.append(description)
        if binding_id:
            text.append(f"   ({binding_id})", style="dim")
        text.append("\n")
    text.append(
        "\nRemap a key in config.toml under [keys] by the id in brackets, e.g.\n", style="dim"
    )
    text.append('  "story_list.down" = "j,down"\n', style="dim")
    text.append("\nCommand palette: ctrl+p.  Close this help: escape or ?.", style="dim")
    return text


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 95%; height: 85%; border: round $accent; padding: 1 2; background: $surface; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close help", id="help.close")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(bindings_text(self._rows), id="help-text")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


def live_binding_rows(screen_bindings: list[tuple[str, Binding]]) -> list[tuple[str, str, str]]:
    """Group the active bindings by action: one row per action with all its keys."""
    grouped: dict[tuple[str, str], list[str]] = {}
    ids: dict[tuple[str, str], str] = {}
    for key, binding in screen_bindings:
        if not binding.description:
            continue
        group = (binding.action, binding.description)
        grouped.setdefault(group, [])
        shown = binding.key_display or format_key(key)
        if shown not in grouped[group]:
            grouped[group].append(shown)
        ids[group] = binding.id or ""
    return [
        ("/".join(keys), description, ids[(action, description)])
        for (action, description), keys in grouped.items()
    ]


def help_rows(screen: Screen[Any], panes: Iterable[Widget]) -> list[tuple[str, str, str]]:
    """The help screen's rows: the keys live on `screen` now first, then every binding of its
    `panes` (live or not where the focus is), each action once."""
    rows = live_binding_rows(
        [(key, active.binding) for key, active in screen.active_bindings.items()]
    )
    rows += live_binding_rows(
        [
            (key, binding)
            for pane in panes
            for key, bindings in pane._bindings.key_to_bindings.items()
            for binding in bindings
        ]
    )
    seen: set[str] = set()
    return [row for row in rows if not (row[1] in seen or seen.add(row[1]))]  # type: ignore[func-returns-value]
