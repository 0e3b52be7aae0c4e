"""Back and forward through the pages a reader followed from links (a browser's history).

A plain class with no Textual in it: the reader pane keeps one, and opening a story from the
list starts a new one (`clear`).
"""

from __future__ import annotations

from typing import Generic, TypeVar

_T = TypeVar("_T")


class History(Generic[_T]):
    """The pages before and after the one shown: `visit` a new one, step `back` and `forward`."""

    def __init__(self) -> None:
        self._back: list[_T] = []
        self._forward: list[_T] = []

    @property
    def can_go_back(self) -> bool:
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def visit(self, current: _T | None) -> None:
        """A new page is opened from `current` (None: nothing was shown): back returns to
        `current`; what was ahead is forgotten, as in a browser."""
        if current is not None:
            self._back.append(current)
            self._forward.clear()

    def back(self, current: _T | None) -> _T | None:
        """The page before `current` (which becomes the next forward), or None at the start."""
        if not self._back:
            return None
        if current is not None:
            self._forward.append(current)
        return self._back.pop()

    def forward(self, current: _T | None) -> _T | None:
        """The page after `current` (which becomes the next back), or None at the end."""
        if not self._forward:
            return None
        if current is not None:
            self._back.append(current)
        return self._forward.pop()

    def clear(self) -> None:
        """Forget both ways (a story opened from the list starts a new reading)."""
        self._back.clear()
        self._forward.clear()
