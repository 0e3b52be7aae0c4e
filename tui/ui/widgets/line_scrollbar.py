"""A vertical scrollbar drawn as the last cell of a line-API widget's own lines.

Why not Textual's scrollbar: it is a widget of its own, repainted through Textual's whole line
pipeline on every scroll. On the story list at 100,000 rows it was a third of each scrolling
key's work (page-down 16 ms → 10 ms of CPU without it, `bench/ui.py`). Drawn as one more
Segment on lines that are repainted anyway, it costs next to nothing.

It looks like Textual's (`ScrollBarRender.render_bar` computes the glyphs, in eighths of a
cell, and the theme's scrollbar colours are used) and behaves like it with the mouse: a press
above or below the thumb pages, a press on the thumb drags it. The widget owns the mouse
events and asks `LineScrollbar` what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.scrollbar import ScrollBarRender


@dataclass(frozen=True, slots=True)
class BarGeometry:
    """Where the thumb is, in cells of a bar `height` lines high."""

    start: float
    size: float

    def position_for(self, top: float, height: int, total: int) -> float:
        """The scroll offset that puts the thumb's top at cell `top` (for a drag)."""
        travel = height - self.size
        if travel <= 0:
            return 0.0
        return max(0.0, min(1.0, top / travel)) * (total - height)


class LineScrollbar:
    """The bar's segments (one per line) for a list of `total` lines showing `height` at `top`."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._segments: list[Segment] = []

    @staticmethod
    def shown(total: int, height: int) -> bool:
        return height > 0 and total > height

    @staticmethod
    def geometry(total: int, height: int, top: float) -> BarGeometry:
        size = max(1.0, height * height / total) if total else float(height)
        travel = height - size
        start = travel * top / (total - height) if total > height else 0.0
        return BarGeometry(start, size)

    def segments(
        self, total: int, height: int, top: float, back: Color, bar: Color
    ) -> list[Segment]:
        """One Segment per line; computed once per frame (cached on its inputs)."""
        key = (total, height, top, back, bar)
        if key != self._key:
            rendered = ScrollBarRender.render_bar(
                size=height,
                virtual_size=total,
                window_size=height,
                position=top,
                thickness=1,
                vertical=True,
                back_color=back.rich_color,
                bar_color=bar.rich_color,
            )
            # Textual's bar carries mouse actions for its own widget; the list handles the
            # mouse itself, so they go (a click would otherwise call actions on the list).
            self._segments = [
                Segment(segment.text, _without_meta(segment.style)) for segment in rendered.segments
            ][:height]
            self._key = key
        return self._segments


def _without_meta(style: Style | None) -> Style | None:
    return None if style is None else style.clear_meta_and_links()
