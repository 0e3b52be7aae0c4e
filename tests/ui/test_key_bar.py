"""KeyBar: the one-line list of the keys that work where the focus is (Footer's job, one widget)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from tui.ui.widgets.key_bar import KeyBar

from .helpers import screen_text


class Pane(Widget, can_focus=True):
    BINDINGS = [
        Binding("x", "mark", "Mark it", id="pane.mark"),
        Binding("z", "hidden", "Hidden", show=False, id="pane.hidden"),
    ]

    def action_mark(self) -> None:
        self.app.pressed.append("x")  # type: ignore[attr-defined]

    def action_hidden(self) -> None:
        self.app.pressed.append("z")  # type: ignore[attr-defined]


class KeysApp(App[None]):
    AUTO_FOCUS = None  # start with nothing focused: the app's keys only
    CSS = "Pane { height: 3; } #top { height: 1; }"
    BINDINGS = [
        Binding("q", "note('q')", "Quit", id="keys.quit"),
        Binding("w", "note('w')", "[b]Write[/b]", id="keys.write"),
        Binding("e", "locked", "Locked", id="keys.locked"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("top", id="top")
        yield Pane(id="pane")
        yield KeyBar()

    def action_note(self, key: str) -> None:
        self.pressed.append(key)

    def action_locked(self) -> None:
        self.pressed.append("e")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "locked" else True  # None: shown, but disabled


def bar_line(app: App[Any]) -> str:
    return screen_text(app).splitlines()[-1]


async def test_shows_the_shown_keys_with_the_palette_on_the_right() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = bar_line(app)
        assert line.startswith(" q Quit  w [b]Write[/b]  e Locked ")  # markup stays literal
        assert "Hidden" not in line
        assert line.rstrip().endswith("▏^p palette")
        assert len(line) == 80


async def test_follows_the_focus() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert "Mark it" not in bar_line(app)
        app.query_one(Pane).focus()
        await pilot.pause()
        assert " x Mark it " in bar_line(app)
        app.set_focus(None)
        await pilot.pause()
        assert "Mark it" not in bar_line(app)


async def test_a_click_presses_the_key_and_a_disabled_key_does_nothing() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        line = bar_line(app)
        await pilot.click(KeyBar, offset=(line.index("Quit"), 0))
        await pilot.click(KeyBar, offset=(line.index("Write"), 0))
        await pilot.click(KeyBar, offset=(line.index("Locked"), 0))
        await pilot.click(KeyBar, offset=(50, 0))  # between the keys and the palette: nothing
        await pilot.pause()
        assert app.pressed == ["q", "w"]
        assert [span.key for span in bar.spans] == ["q", "w", "e", "ctrl+p"]
        assert [span.enabled for span in bar.spans] == [True, True, False, True]


async def test_narrow_bar_keeps_the_palette_and_cuts_the_other_keys() -> None:
    app = KeysApp()
    async with app.run_test(size=(20, 10)) as pilot:
        await pilot.pause()
        assert bar_line(app) == " q Quit ▏^p palette "
        assert [span.key for span in app.query_one(KeyBar).spans] == ["q", "ctrl+p"]
    async with KeysApp().run_test(size=(10, 10)) as pilot:  # narrower than the palette's key
        await pilot.pause()
        assert bar_line(pilot.app) == " q Quit  w"
