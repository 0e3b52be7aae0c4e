"""BroadsheetApp: wiring only — the session, the main screen, keymap, theme, commands."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.core.errors import BroadsheetError
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article_image import choose_protocol

if TYPE_CHECKING:
    from textual.command import Provider

    from tui.core.session import Session


def feed_commands() -> type[Provider]:
    """The palette's feed provider, imported when the palette first opens (textual.command is slow to import)."""
    from tui.ui.palette import FeedCommands

    return FeedCommands


class BroadsheetApp(App[int]):
    TITLE = "Broadsheet"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {feed_commands}
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, id="app.ctrl_c")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.service = session.service
        # Pictures: the terminal is asked how to draw them now, before Textual reads the keyboard.
        choose_protocol(self.service.images_mode)

    def get_default_screen(self) -> Screen:
        # The main screen is the default one: no blank screen is styled and drawn before it.
        return MainScreen(self.service)

    def on_mount(self) -> None:
        if self.service.theme in self.available_themes:
            self.theme = self.service.theme
        if self.service.keys:
            self.set_keymap(self.service.keys)
        for notice in self.session.notices:
            self.notify(notice, markup=False, severity="warning", timeout=8)
        for error in self.session.config_errors:
            self.notify(str(error), title="Config", markup=False, severity="warning", timeout=10)
        if self.session.first_run:
            self.notify(
                f"Welcome! Your subscriptions are in {self.session.config_path}.",
                markup=False,
                timeout=8,
            )

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen in the palette: it is written to the config on exit."""
        self._chosen_theme = theme

    async def on_unmount(self) -> None:
        chosen = getattr(self, "_chosen_theme", None)
        if chosen and not self.session.sample_only:
            # A config that cannot be written (or is not valid TOML, and so is left as it
            # is) keeps its theme: nothing is shown at exit.
            with contextlib.suppress(OSError, BroadsheetError):
                await asyncio.to_thread(self.service.save_theme, chosen)
        # The fetcher's connections belong to this event loop: close them here, not after it.
        await self.service.aclose()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            yield SystemCommand(
                "Refresh all feeds", "Fetch every subscription now", screen.action_refresh_all
            )
            yield SystemCommand(
                "Cycle view", "All, unread or starred stories", screen.action_cycle_view
            )
            yield SystemCommand(
                "Search stories", "Filter the story list by title", screen.action_search
            )
            yield SystemCommand(
                "Toggle podcasts", "Show or hide the podcast sidebar", screen.action_toggle_podcasts
            )
            yield SystemCommand("Keys (help)", "Every key binding", screen.action_help)
