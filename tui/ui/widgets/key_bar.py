"""KeyBar: one line at the bottom naming the keys that work where the focus is.

It shows what Textual's `Footer` shows (the active bindings with `show=True`, one entry per
action, the command palette's key on the right) as a single widget that renders one line of
text. `Footer` mounts one widget per key and mounts them all again whenever the focus moves;
at start-up that was the largest single cost of the first frame (bench/startup.py: about
a quarter of a second of CPU on the development machine, more than the rest of the main
screen's widgets together). Here a change of bindings is one repaint.

A click on a key presses it, as with `Footer`.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget


class KeyLabel(NamedTuple):
    """What one key shows and presses: plain values, so a line can be reused when they match."""

    display: str
    description: str
    key: str
    enabled: bool


def _label(display: str, binding: Binding, enabled: bool) -> KeyLabel:
    return KeyLabel(display, binding.description, binding.key, enabled)


class KeySpan(NamedTuple):
    """Where one key's label sits on the line (cells [start, end)), and the key it presses."""

    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget):
    """The keys that work here, as one line; click one to press it."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
        "key-bar--separator",
    }

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--disabled { text-style: dim; }
        & > .key-bar--separator { color: $foreground 20%; }
    }
    """

    def __init__(self, *, id: str | None = None, show_command_palette: bool = True) -> None:
        super().__init__(id=id)
        self.show_command_palette = show_command_palette
        self.spans: list[KeySpan] = []
        # The last line built and what it was built from: most repaints (a resize of another
        # pane, a focus change between widgets with the same keys) reuse it.
        self._built: tuple[object, Strip] | None = None
        self._styles: tuple[Style, Style, Style, Style, Style] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._built = None

    def shown_keys(self) -> tuple[list[KeyLabel], KeyLabel | None]:
        """The keys to show, one per action in binding order, and the palette's key (or None)."""
        app = self.app
        active = self.screen.active_bindings
        palette_key = app.COMMAND_PALETTE_BINDING
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(palette_key)
            if found is not None:
                palette = _label(app.get_key_display(found.binding), found.binding, found.enabled)
        shown: list[KeyLabel] = []
        actions: set[str] = set()
        for key, (_node, binding, enabled, _tooltip) in active.items():
            if not binding.show or binding.action in actions:
                continue
            if palette is not None and key == palette_key:
                continue
            actions.add(binding.action)
            shown.append(_label(app.get_key_display(binding), binding, enabled))
        return shown, palette

    def render_line(self, y: int) -> Strip:
        """The bar is one line, drawn straight from Segments (no markup, no Rich `Text` to lay
        out: at start-up that layout cost more than the rest of drawing the bar)."""
        width = self.size.width
        if self._styles is None:
            get = self.get_visual_style
            self._styles = (
                get().rich_style,
                get("key-bar--key").rich_style,
                get("key-bar--description").rich_style,
                get("key-bar--disabled").rich_style,
                get("key-bar--separator").rich_style,
            )
        if y != 0:
            return Strip.blank(width, self._styles[0])
        shown, palette = self.shown_keys()
        source = (tuple(shown), palette, width)
        if self._built is None or self._built[0] != source:
            self._built = (source, self._build(shown, palette, width))
        return self._built[1]

    def _build(self, shown: list[KeyLabel], palette: KeyLabel | None, width: int) -> Strip:
        assert self._styles is not None
        base, key_style, description_style, disabled_style, separator_style = self._styles
        segments: list[Segment] = []
        spans: list[KeySpan] = []
        used = 0

        def append(label: KeyLabel, pad: str) -> None:
            nonlocal used
            dim = disabled_style if not label.enabled else None
            # Plain strings as Segments, never markup: a description cannot inject anything.
            key = f"{pad}{label.display} "
            segments.append(Segment(key, key_style + dim))
            cells = cell_len(key)
            if label.description:
                description = f"{label.description} "
                segments.append(Segment(description, description_style + dim))
                cells += cell_len(description)
            spans.append(KeySpan(used, used + cells, label.key, label.enabled))
            used += cells

        for label in shown:
            append(label, " ")
        # Like Footer, the palette's key keeps its place on the right; the others are cut
        # short before it when the line is too narrow for all of them.
        room = width
        if palette is not None:
            palette_cells = 1 + cell_len(f"{palette.display} {palette.description} ")
            if palette_cells < width:
                room = width - palette_cells
        line = Strip(segments).crop(0, room).adjust_cell_length(room, base)
        spans = [span._replace(end=min(span.end, room)) for span in spans if span.start < room]
        if room < width and palette is not None:
            segments = [*line, Segment("▏", separator_style)]
            used = room + 1
            append(palette, "")
            line = Strip(segments).adjust_cell_length(width, base)
        self.spans = spans
        return line

    def key_at(self, x: int) -> KeySpan | None:
        """The key whose label covers column `x` of the bar, if any."""
        return next((span for span in self.spans if span.start <= x < span.end), None)

    def on_click(self, event: events.Click) -> None:
        span = self.key_at(event.x)
        if span is None:
            return
        event.stop()
        if span.enabled:
            self.app.simulate_key(span.key.split(",")[0])
        else:
            self.app.bell()
