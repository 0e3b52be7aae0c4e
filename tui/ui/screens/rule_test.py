"""A dialog that tries a rule's `match` on the stories listed (palette: Test a rule…).

Enter runs the rule over the list shown (in a thread) and says how many stories it matches,
with the first titles, or where the rule is wrong; the dialog stays open to try again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.core.errors import BroadsheetError

HINT = 'e.g. url ~ "youtube\\.com/shorts/" or (title ~ "live" and age < 1d). Escape closes.'


@dataclass(eq=False)
class _Tested(Message, bubble=False):
    text: str


class RuleTestScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    RuleTestScreen { align: center middle; }
    RuleTestScreen > Vertical { width: 100; max-width: 95%; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    RuleTestScreen .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="rule_test.close")]

    def __init__(self, test: Callable[[str], tuple[int, list[str]]], listed: int) -> None:
        super().__init__()
        self._test = test  # the service's test_rule over the listed stories (disk and CPU)
        self._listed = listed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Test a rule on the {self._listed} stories listed")
            yield Input(placeholder='title ~ "election" and not feed = "Sport"', id="rule")
            yield Static(Text(HINT), id="result", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#rule")
    def _submitted(self, event: Input.Submitted) -> None:
        self._run(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, name="Testing the rule")
    def _run(self, source: str) -> None:
        try:
            count, titles = self._test(source)
        except BroadsheetError as error:
            text = f"Not a rule: {error.reason}"
        else:
            text = f"Matches {count} of the {self._listed} stories listed."
            if titles:
                text += "\n" + "\n".join(f"  · {title}" for title in titles)
        self.post_message(_Tested(text))  # thread-safe

    @on(_Tested)
    def _show(self, message: _Tested) -> None:
        self.query_one("#result", Static).update(Text(message.text))
