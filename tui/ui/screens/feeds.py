"""Dialogs for subscriptions: add a feed (with discovery) and the per-feed status/error view."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tui.core.errors import BroadsheetError
from tui.core.models import Subscription
from tui.ui.messages import failure_text

if TYPE_CHECKING:
    from tui.core.service import FeedStatus, NewsService

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 100; max-width: 95%; height: auto; max-height: 85%; border: round $accent; padding: 1 2; background: $surface; }}
{name} OptionList {{ height: auto; max-height: 20; }}
{name} .hint {{ color: $text-muted; }}
"""


class AddFeedScreen(ModalScreen[Subscription | None]):
    """Type a feed's or a site's address; pick one of the feeds found there."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="AddFeedScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="add_feed.cancel")]

    def __init__(self, service: NewsService) -> None:
        super().__init__()
        self.service = service
        self.found: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Add a feed", classes="title")
            yield Input(
                placeholder="https://example.org/ or https://example.org/feed.xml", id="url"
            )
            yield Static(
                Text("Enter looks for feeds at the address. Escape cancels."),
                id="add-status",
                classes="hint",
            )
            yield OptionList(id="found")

    def on_mount(self) -> None:
        self.query_one(OptionList).display = False

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#url")
    def _look(self, event: Input.Submitted) -> None:
        url = event.value.strip()
        if not url.startswith(("http://", "https://")):
            url = f"https://{url}" if url else url
        if not url:
            return
        self.query_one("#add-status", Static).update(Text(f"Looking for feeds at {url}…"))
        self.discover(url)

    @work(group="discover", exclusive=True, exit_on_error=False, name="Looking for feeds")
    async def discover(self, url: str) -> None:
        status = self.query_one("#add-status", Static)
        try:
            self.found = await self.service.discover(url)
        except BroadsheetError as error:
            status.update(Text(f"Could not read {url}: {error.reason}"))
            return
        if not self.found:
            status.update(Text(f"No feed found at {url}."))
            return
        status.update(Text(f"{len(self.found)} feed(s) found: enter subscribes."))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [Option(Text(f"{title or feed_url}\n{feed_url}")) for feed_url, title in self.found]
        )
        options.display = True
        options.highlighted = 0
        options.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A discovery that failed in an unexpected way says so here, not nowhere."""
        if event.state is WorkerState.ERROR:
            self.query_one("#add-status", Static).update(Text(failure_text(event.worker)))

    @on(OptionList.OptionSelected, "#found")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        feed_url, title = self.found[event.option_index]
        self.dismiss(Subscription(feed_url, title))


def status_text(statuses: list[FeedStatus]) -> Text:
    text = Text()
    for status in statuses:
        sub = status.subscription
        title = sub.title or (status.feed.title if status.feed else "") or sub.url
        text.append(title, style="bold")
        text.append(f"\n  {sub.url}\n", style="dim")
        count = len(status.feed.entries) if status.feed else 0
        text.append(f"  {count} stories cached")
        if status.error:
            when = (
                time.strftime("%H:%M", time.localtime(status.error_at)) if status.error_at else ""
            )
            text.append(f"\n  ⚠ failed {when}: {status.error}", style="bold red")
        text.append("\n\n")
    return text


class FeedsScreen(ModalScreen[str | None]):
    """Every subscription with its state and last error; x removes the highlighted one."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="FeedsScreen")
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="feeds.close"),
        Binding("x,delete", "remove", "Remove feed", id="feeds.remove"),
    ]

    def __init__(self, statuses: list[FeedStatus], rules: Sequence[str] = ()) -> None:
        super().__init__()
        self.statuses = statuses
        self.rules = rules  # one line per [[rules]] and [[queries]] entry, with its count

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Feeds — x removes the highlighted feed, escape closes", classes="hint")
            yield OptionList(*[Option(status_text([s])) for s in self.statuses], id="feed-statuses")
            if self.rules:
                yield Static(Text("\n".join(["Rules and saved searches", *self.rules])), id="rules")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_remove(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(self.statuses[options.highlighted].subscription.url)
