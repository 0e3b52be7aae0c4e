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

import io
import sys
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.containers import Vertical
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui.core.models import Image, Picture

PROTOCOLS = ("kitty", "sixel", "halfblock")
_chosen: str | None = None  # set by choose_protocol, before the app starts


def choose_protocol(mode: str, *, tty: bool | None = None) -> str:
    """The way pictures are drawn for the `images` setting: "kitty", "sixel", "halfblock" or
    "off". Call before the app runs: "auto" may query the terminal."""
    global _chosen
    if tty is None:
        tty = bool(sys.__stdout__ and sys.__stdout__.isatty())
    if mode == "off" or mode in PROTOCOLS:
        _chosen = mode
    else:
        _chosen = _ask_terminal() if tty else "halfblock"
    if _chosen != "off" and tty:
        # Its import asks the terminal (which protocol, the cell size in pixels): now, while
        # it can answer, not once Textual reads the keyboard. With no terminal there is
        # nothing to ask, and textual-image (and Pillow) wait for the first picture: not
        # before the first frame.
        import textual_image.widget  # noqa: F401
    return _chosen


def _ask_terminal() -> str:
    """What textual-image found when its renderables were first imported: it asks the
    terminal then (Sixel first, then Kitty's protocol; a terminal that answers neither gets
    half-blocks), so the terminal is asked once."""
    import textual_image.renderable as found

    if found.Image is found.SixelImage:
        return "sixel"
    if found.Image is found.TGPImage:
        return "kitty"
    return "halfblock"


def protocol() -> str:
    """The protocol chosen at start-up (half-blocks when none was: tests, a bare app)."""
    return _chosen or "halfblock"


def drawing_ready() -> bool:
    """Whether what drawing a picture takes (Pillow, textual-image) is imported already."""
    wanted = (
        "textual_image.renderable.halfcell" if protocol() == "halfblock" else "textual_image.widget"
    )
    return wanted in sys.modules and "PIL.Image" in sys.modules


def import_for_drawing() -> None:
    """(In a thread.) Import Pillow and textual-image, when `choose_protocol` did not (no
    terminal to ask): once, before an article's pictures are fetched and drawn, as they were
    imported before any picture came when the start imported them."""
    from PIL import Image  # noqa: F401

    if protocol() == "halfblock":
        import textual_image.renderable.halfcell
    else:
        import textual_image.widget  # noqa: F401


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


@dataclass(frozen=True, slots=True)
class Drawing:
    """A picture made ready to draw (in a thread): its size in cells, and either the lines of
    half-blocks or the pixels, already scaled, that Kitty's protocol or Sixel send."""

    width: int
    height: int
    strips: tuple[Strip, ...] = ()
    pixels: Any = None


def make_drawing(data: bytes, width: int, height: int, max_width: int, max_height: int) -> Drawing:
    """(In a thread.) Decode a stored picture (a JPEG `width`×`height` pixels) and make it
    ready to draw at most `max_width`×`max_height` cells: scaled once, here, so drawing a
    frame while scrolling costs no image work. Raises ValueError with a reason."""
    from PIL import Image as PILImage

    name = protocol()
    cells_w, cells_h = cells_for(width, height, max_width, max_height, name)
    if not cells_w:
        raise ValueError("no room to draw it")
    try:
        with PILImage.open(io.BytesIO(data), formats=("JPEG",)) as image:
            image.load()
            rgb = image.convert("RGB")
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as error:
        raise ValueError(f"a corrupt stored copy ({type(error).__name__})") from None
    if name != "halfblock":
        cell_w, cell_h = _cell_pixels(name)
        size = (cells_w * cell_w, cells_h * cell_h)
        return Drawing(cells_w, cells_h, pixels=rgb.resize(size, PILImage.Resampling.LANCZOS))
    from rich.console import Console
    from textual_image.renderable.halfcell import Image as HalfcellRenderable

    # Colours rounded to 6 bits a channel (not visible at two pixels a cell), so cells of one
    # colour share one style: a photo then makes a few thousand objects, not two per cell,
    # and the garbage collector's full scans stay short while the reader scrolls.
    scaled = rgb.resize((cells_w, cells_h * 2), PILImage.Resampling.LANCZOS).point(
        lambda value: min(255, (value + 2) & 0xFC)
    )
    console = Console(width=cells_w, color_system="truecolor", file=io.StringIO(), record=False)
    options = console.options.update_dimensions(cells_w, cells_h)
    lines = console.render_lines(HalfcellRenderable(scaled, cells_w, cells_h), options, pad=False)
    styles: dict[Style | None, Style | None] = {}
    strips = []
    for line in lines[:cells_h]:
        shared = [Segment(text, styles.setdefault(style, style)) for text, style, _ in line]
        strips.append(Strip(Segment.simplify(shared), cells_w))
    return Drawing(cells_w, cells_h, tuple(strips))


class _Halfblocks(Widget):
    """Lines of half-blocks made beforehand: drawing one is a lookup."""

    def __init__(self, strips: tuple[Strip, ...]) -> None:
        super().__init__(classes="picture")
        self._strips = strips

    def render_line(self, y: int) -> Strip:
        return self._strips[y] if 0 <= y < len(self._strips) else Strip.blank(self.size.width)


class ArticleImage(Vertical):
    """A picture of the article: a placeholder line, then the picture."""

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

    def show_picture(self, picture: Picture, drawing: Drawing) -> None:
        """Draw the picture made ready by `make_drawing`."""
        self.picture = picture
        if drawing.strips:
            widget: Widget = _Halfblocks(drawing.strips)
        else:
            widget = _widget_class(protocol())(drawing.pixels, classes="picture")
        widget.styles.width = drawing.width
        widget.styles.height = drawing.height
        self.mount(widget, before=self._line)
        self._line.display = False  # a caption is in the text, as the page has it
