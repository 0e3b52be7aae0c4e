"""Shared helpers for Pilot tests: open the app on the sample edition and wait for things."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot

from tui.core.session import Session, open_session
from tui.ui.app import BroadsheetApp
from tui.ui.screens.main import MainScreen

SEED_TITLE = "NATO chief comments on Putin-Trump phone call"


def sample_app(offline: bool = False) -> tuple[BroadsheetApp, Session]:
    session = open_session(sample_only=True, offline=offline)
    return BroadsheetApp(session), session


async def wait_until(
    pilot: Pilot, predicate: Callable[[], bool], timeout: float = 15.0, what: str = ""
) -> None:
    """Let the app run until `predicate()` holds; fail with a clear message if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(
                f"timed out waiting for {what or getattr(predicate, '__name__', 'a condition')}"
            )
        await pilot.pause(0.05)


def screen_text(app: App[object]) -> str:
    """What the terminal shows right now, as plain text lines (the composited screen)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def main_screen(app: App[object], pilot: Pilot) -> MainScreen:
    """The main screen, once the app shows it."""
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="main screen")
    main = app.screen
    assert isinstance(main, MainScreen)
    return main


async def refreshed_main(app: App[object], pilot: Pilot) -> MainScreen:
    """The main screen once the sample edition is refreshed and listed (13 stories)."""
    main = await main_screen(app, pilot)
    await wait_until(pilot, lambda: main.status.message.startswith("Refreshed"), what="the refresh")
    await wait_until(pilot, lambda: main.stories_pane.rowset.story_total >= 13, what="rows")
    return main
