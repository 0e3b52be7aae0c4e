"""One picture of an article in the reader, drawn with textual-image.

Until its picture arrives (or when it cannot be shown) it is one dim line with the alt text
and what is happening: loading, or why not. The picture is drawn with the terminal's graphics
protocol when it has one (Kitty's, or Sixel) and with Unicode half-blocks otherwise, scaled to
the reading width and never taller than half the screen.

The protocol is chosen once, before Textual starts (a terminal's answer to a query can only be
read while Textual is not yet reading the keyboard): `choose_protocol` with the `images`
setting. "auto" asks the terminal (textual-image's queries: Sixel first, then Kitty's
protocol) when the output is a terminal, and uses half-blocks when it is not.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from tui.core.models import Image, Picture

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

PROTOCOLS = ("kitty", "sixel", "halfblock")
_chosen: str | None = None  # set by choose_protocol, before the app starts


def choose_protocol(mode: str, *, tty: bool | None = None) -> str:
    """The way pictures are drawn for the `images` setting: "kitty", "sixel", "halfblock" or
    "off". Call before the app runs: "auto" may query the terminal."""
    global _chosen
    if mode == "off" or mode in PROTOCOLS:
        _chosen = mode
        return mode
    if tty is None:
        tty = bool(sys.__stdout__ and sys.__stdout__.isatty())
    _chosen = _ask_terminal() if tty else "halfblock"
    return _chosen


def _ask_terminal() -> str:
    try:
        from textual_image.renderable import sixel, tgp
    except ImportError:  # pragma: no cover - a declared dependency
        return "halfblock"
    if sixel.query_terminal_support():
        return "sixel"
    if tgp.query_terminal_support():
        return "kitty"
    return "halfblock"


def protocol() -> str:
    """The protocol chosen at start-up (half-blocks when none was: tests, a bare app)."""
    return _chosen or "halfblock"


def _widget_class(name: str) -> Any:
    from textual_image.widget import HalfcellImage, SixelImage, TGPImage

    return {"kitty": TGPImage, "sixel": SixelImage}.get(name, HalfcellImage)


def _cell_pixels(name: str) -> tuple[int, int]:
    """How many pixels wide and tall one cell is, for the protocol."""
    if name == "halfblock":
        return 1, 2
    from textual_image._terminal import get_cell_size

    size = get_cell_size()
    return max(1, size.width), max(1, size.height)


def cells_for(
    width: int, height: int, max_width: int, max_height: int, name: str
) -> tuple[int, int]:
    """The size in cells (width, height) to draw a `width`×`height`-pixel picture: as wide as
    its pixels allow up to `max_width`, keeping its shape, at most `max_height` tall."""
    if width <= 0 or height <= 0 or max_width <= 0 or max_height <= 0:
        return 0, 0
    cell_w, cell_h = _cell_pixels(name)
    cells_w = max(1, min(max_width, round(width / cell_w)))
    cells_h = max(1, round(cells_w * cell_w * height / width / cell_h))
    if cells_h > max_height:
        cells_h = max_height
        cells_w = max(1, min(cells_w, round(cells_h * cell_h * width / height / cell_w)))
    return cells_w, cells_h


def placeholder(image: Image, state: str) -> Text:
    label = image.alt or image.caption or "picture"
    text = Text("▣ ", style="dim")
    text.append(label[:200], style="dim italic")
    if state:
        text.append(f" — {state}", style="dim")
    return text


class ArticleImage(Vertical):
    """A picture of the article: a placeholder line, then the picture (and its caption)."""

    DEFAULT_CSS = """
    ArticleImage { height: auto; width: 100%; margin: 1 0 0 0; }
    ArticleImage > .picture { width: auto; height: auto; }
    ArticleImage > .image-line { width: 100%; height: auto; }
    """

    def __init__(self, image: Image, *, lead: bool = False) -> None:
        super().__init__(classes="article-image")
        self.image = image
        self.lead = lead
        self.picture: Picture | None = None
        self._line = Static(placeholder(image, "loading…"), classes="image-line")

    def compose(self):
        yield self._line

    def show_reason(self, reason: str) -> None:
        self._line.update(placeholder(self.image, reason))

    def show_picture(
        self, picture: Picture, pixels: PILImage, max_width: int, max_height: int
    ) -> None:
        """Draw `pixels` (the decoded `picture`) at most `max_width`×`max_height` cells."""
        name = protocol()
        cells_w, cells_h = cells_for(picture.width, picture.height, max_width, max_height, name)
        if not cells_w:
            self.show_reason("no room to draw it")
            return
        self.picture = picture
        widget = _widget_class(name)(pixels, classes="picture")
        widget.styles.width = cells_w
        widget.styles.height = cells_h
        self.mount(widget, before=self._line)
        caption = self.image.caption or ""
        if caption:
            self._line.update(Text(caption[:500], style="dim italic"))
        else:
            self._line.display = False
