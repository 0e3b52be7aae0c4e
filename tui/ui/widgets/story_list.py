"""StoryList: a line-API virtual list of feed headers and stories.

Why not ListView/OptionList/DataTable: they build an object per row up front, so 100,000 stories
take seconds to mount. This widget keeps the caller's sequence of plain `StoryRow` values and
renders only the lines on screen (`render_line`), so a first frame costs the same at 100 rows
and at 100,000.

What keeps a key press cheap (bench/ui.py): each line is cached whole, scrollbar cell included
(the bar is drawn in the lines, see line_scrollbar.py, not by Textual's scrollbar widget); a
repaint reads the list's state once (`_View`), not per line; with no border, padding, tint or
opacity in the CSS, lines go to the screen without Textual's per-line styling pass; and new
rows that do not change whether the list overflows set the scroll range without a screen
layout pass.

Behaviour worth knowing:
- Feed headers are shown but never hold the cursor: moves skip them, and a cursor set onto a
  header (programmatically or by a click) snaps to the nearest story below it (else above it).
  Only a list with no stories at all lets the cursor rest on a header.
- J goes to the next feed's first story; K to the current feed's first story, or to the
  previous feed's when already there. n/N find the next/previous unread story (no wrap-around).
- One click on a story moves the cursor there *and* opens it (posts `Selected`), like a mail
  client's message list; a click on a header moves to that feed's first story without opening.
- `Highlighted` is posted whenever the cursor moves; it coalesces, so holding `j` delivers
  only the latest position to a busy handler.
- Titles are plain text: they become Segments directly and are never parsed as markup, so
  `[bold]` or `[@click=app.quit]` in a title is shown literally and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar, Literal, NamedTuple

from rich.cells import cell_len, get_character_cell_size, split_graphemes
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.ui.widgets.line_scrollbar import LineScrollbar

RowKind = Literal["feed", "story"]
_BarState = Literal["rest", "hover", "active"]

UNREAD_MARK = "●"
STARRED_MARK = "★"
OFFLINE_MARK = "↓"
ELLIPSIS = "…"


class StoryRow(NamedTuple):
    """One line of the list: a feed header or a story, as plain values (no Textual objects).

    A named tuple, not a dataclass: it is made 100,000 times per rebuild of a big list, a
    tuple is made about twice as fast, and a tuple of plain strings and flags is dropped from
    the cyclic garbage collector's lists at its first collection, so a big list does not
    make the collector rescan it again and again.
    """

    kind: RowKind
    key: str  # entry key (story) or feed url (feed header)
    title: str  # already sanitised plain text; never parsed as markup
    meta: str = ""  # right-aligned: "20 May" / "2h" for stories, "3 unread" for feeds
    unread: bool = False
    starred: bool = False
    offline: bool = False  # article cached for offline reading


# Characters one cell wide with no combining behaviour: ASCII, Latin-1 and Latin Extended,
# Greek/Cyrillic, typographic punctuation (curly quotes, dashes, "…") and currency signs.
# A title made only of these is measured with len(), skipping the grapheme walk.
_SINGLE_CELL_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0xAC),
    (0xAE, 0x2FF),
    (0x370, 0x482),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x20A0, 0x20C0),
)
_is_single_cell = frozenset(
    chr(code) for start, end in _SINGLE_CELL_RANGES for code in range(start, end + 1)
).issuperset
_OTHER_CHARS = re.compile(
    "[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _SINGLE_CELL_RANGES) + "]"
)
_JOINERS = {"\u200d", "\ufe0f"}  # zero width joiner, emoji presentation selector


def _cells(text: str) -> int | None:
    """The cell width of `text`, measuring only its unusual characters; None if it holds
    joiners (emoji sequences), whose width needs the full grapheme walk."""
    others = _OTHER_CHARS.findall(text)
    if not others:
        return len(text)
    if _JOINERS.intersection(others):
        return None
    return len(text) - len(others) + sum(map(get_character_cell_size, others))


def fit(text: str, width: int) -> tuple[int, int, bool]:
    """How much of `text` fits in `width` cells: (characters kept, cells they take, cut?).

    Measures in terminal cells (wide CJK and emoji count two) and never splits a grapheme.
    When the text is too long (cut is True) the kept part leaves one cell for the "…".
    """
    if width <= 0:
        return 0, 0, False
    if _is_single_cell(text):  # the common case: one cell per character
        length = len(text)
        if length <= width:
            return length, length, False
        return width - 1, width - 1, True
    cells = _cells(text)
    if cells is not None and cells <= width:
        return len(text), cells, False
    # Too long (or emoji sequences): walk graphemes, first over a prefix that holds at least
    # `width` cells unless it is mostly zero-width characters; then, if not, the whole text.
    limit = 2 * width + 16
    parts = (text[:limit], text) if len(text) > limit else (text,)
    used = 0
    for part in parts:
        spans, total = split_graphemes(part)
        if part is text and total <= width:
            return len(text), total, False
        used = 0
        for start, _stop, size in spans:
            if used + size > width - 1:
                return start, used, True
            used += size
    return len(text), used, True


def _match_spans(pattern: re.Pattern[str] | None, text: str, limit: int) -> list[tuple[int, int]]:
    """The [start, end) character spans of `pattern` in `text[:limit]` (matches clipped there)."""
    if pattern is None:
        return []
    spans = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if start >= limit:
            break
        if end > start:
            spans.append((start, min(end, limit)))
    return spans


def _styled_text(
    text: str, matches: list[tuple[int, int]], style: Style, match_style: Style
) -> Iterator[Segment]:
    """`text` as Segments, with the matched spans in `match_style`."""
    position = 0
    for start, end in matches:
        if start > position:
            yield Segment(text[position:start], style)
        yield Segment(text[start:end], match_style)
        position = end
    if position < len(text):
        yield Segment(text[position:], style)


class _View(NamedTuple):
    """One repaint's reading of the list: first row shown, width, cursor, focus, bar cells."""

    top: int
    width: int
    cursor: int
    focused: bool
    cells: list[Segment]


class StoryList(ScrollView, can_focus=True):
    """A virtual list of feed headers and stories, rendered a line at a time."""

    ALLOW_SELECT = False  # no text selection: a click means "open this story"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="story_list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="story_list.up"),
        Binding("g,home", "cursor_first", "Top", show=False, id="story_list.first"),
        Binding("G,end", "cursor_last", "Bottom", show=False, id="story_list.last"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="story_list.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="story_list.page_up"),
        Binding(
            "ctrl+d", "half_page_down", "Half page down", show=False, id="story_list.half_down"
        ),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="story_list.half_up"),
        Binding("enter,l", "select", "Open", id="story_list.select"),
        Binding("J", "next_feed", "Next feed", show=False, id="story_list.next_feed"),
        Binding("K", "previous_feed", "Previous feed", show=False, id="story_list.previous_feed"),
        Binding("n", "next_unread", "Next unread (match)", show=False, id="story_list.next_unread"),
        Binding(
            "N",
            "previous_unread",
            "Previous unread (match)",
            show=False,
            id="story_list.previous_unread",
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "story-list--cursor",
        "story-list--unread",
        "story-list--read",
        "story-list--feed",
        "story-list--meta",
        "story-list--mark",
        "story-list--match",
    }

    DEFAULT_CSS = """
    StoryList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 0;  /* the list draws its own bar: see line_scrollbar */
        & > .story-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .story-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .story-list--unread { color: $foreground; text-style: bold; }
        & > .story-list--read { color: $text-muted; }
        & > .story-list--feed { color: $text-primary; text-style: bold; }
        & > .story-list--meta { color: $text-muted; text-style: not bold; }
        & > .story-list--mark { color: $text-accent; }
        & > .story-list--match { background: $warning 35%; text-style: underline; }
    }
    """

    cursor: reactive[int] = reactive(-1, repaint=False, init=False)
    """Index into the rows of the story under the cursor; -1 when the list is empty."""

    highlight: reactive[str] = reactive("", repaint=False, init=False)
    """A search term: case-insensitive matches in titles are highlighted ("" for none)."""

    class _RowMessage(Message):
        """Something happened to `row` (at `index`) of `story_list`."""

        def __init__(self, story_list: StoryList, row: StoryRow, index: int) -> None:
            super().__init__()
            self.story_list = story_list
            self.row = row
            self.index = index

        @property
        def control(self) -> StoryList:
            return self.story_list

    class Highlighted(_RowMessage):
        """The cursor moved to `row` (at `index`). Coalesces: only the latest is delivered."""

        def can_replace(self, message: Message) -> bool:
            return (
                isinstance(message, StoryList.Highlighted) and message.story_list is self.story_list
            )

    class Selected(_RowMessage):
        """The user opened `row` (at `index`): enter, `l` or a click."""

    def __init__(
        self,
        rows: Sequence[StoryRow] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._rows: Sequence[StoryRow] = ()
        self._owned = False  # True once _rows is our own list (made on the first update_row)
        self._has_stories = False
        self._pattern: re.Pattern[str] | None = None
        # Rendered lines keyed by (row index, width, is cursor, has focus, scrollbar cell).
        self._line_cache: LRUCache[tuple[int, int, bool, bool, Segment | None], Strip] = LRUCache(
            1024
        )
        self._palettes: dict[tuple[str, bool, bool], tuple[Style, Style, Style, Style]] = {}
        self._scrollbar = LineScrollbar()
        self._bar_colors: dict[_BarState, tuple[Color, Color]] = {}
        self._bar_hover = False  # the mouse is over the scrollbar
        self._drag_offset: float | None = None  # where the thumb was grabbed, while dragging
        if rows:
            self.set_rows(rows)

    # -- data -------------------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[StoryRow]:
        """The rows shown (read-only view; change them with `set_rows` / `update_row`)."""
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> StoryRow | None:
        """The row under the cursor, or None when the list is empty."""
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_rows(self, rows: Sequence[StoryRow], *, keep_key: str | None = None) -> None:
        """Show `rows` (kept by reference, not copied), with the cursor on `keep_key` if present.

        Costs O(1) per row at most: only the search for `keep_key` walks the rows, and only
        when the key has moved from the cursor's old index.
        """
        old_cursor = self.cursor
        self._rows = rows
        self._owned = False
        self._has_stories = any(row.kind == "story" for row in rows)
        self._line_cache.clear()
        target = 0
        if keep_key is not None:
            found = self._find_key(keep_key, old_cursor)
            if found is not None:
                target = found
        cursor = self.validate_cursor(target)
        self._set_virtual_size(Size(self.scrollable_content_region.width, len(rows)))
        if cursor == old_cursor:
            # Same index, new data: the watcher will not run, so announce the row here.
            self._cursor_moved(cursor)
        else:
            self.cursor = cursor
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """Set the scrollable size. Textual lays the whole screen out again for a new virtual
        size (it is a layout reactive), but the list's own box does not depend on it: only
        whether the rows overflow does (the mouse wheel scrolls only then). So a change that
        keeps that is a repaint, with the scroll position kept in range."""
        height = self.scrollable_content_region.height
        old = self.virtual_size
        if not self.is_mounted or (old.height > height) != (size.height > height):
            self.virtual_size = size
            return
        self.set_reactive(StoryList.virtual_size, size)
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
        self.refresh()

    def update_row(self, index: int, row: StoryRow) -> None:
        """Replace the row at `index` and repaint that line only."""
        if not 0 <= index < len(self._rows):
            return
        if self._rows[index] is not row:
            if not self._owned:
                # Copy once (a pointer copy) so the caller's sequence is never modified.
                self._rows = list(self._rows)
                self._owned = True
            assert isinstance(self._rows, list)
            kind_changed = self._rows[index].kind != row.kind
            self._rows[index] = row
            if kind_changed:
                self._has_stories = any(r.kind == "story" for r in self._rows)
        self._discard_lines(index)
        self.refresh_line(index)

    def _find_key(self, key: str, hint: int) -> int | None:
        rows = self._rows
        if 0 <= hint < len(rows) and rows[hint].key == key:
            return hint
        return next((i for i, row in enumerate(rows) if row.key == key), None)

    # -- cursor -----------------------------------------------------------------------------------

    def _selectable(self, index: int) -> bool:
        return self._rows[index].kind == "story" or not self._has_stories

    def _snap(self, index: int, direction: int) -> int | None:
        """The first selectable index from `index` on in `direction` (+1/-1), or None."""
        rows = self._rows
        count = len(rows)
        while 0 <= index < count:
            if self._selectable(index):
                return index
            index += direction
        return None

    def validate_cursor(self, value: int) -> int:
        """Clamp to the rows and move off feed headers (down first, then up)."""
        count = len(self._rows)
        if count == 0:
            return -1
        value = max(0, min(value, count - 1))
        snapped = self._snap(value, 1)
        if snapped is None:
            snapped = self._snap(value, -1)
        return value if snapped is None else snapped

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self._cursor_moved(new)

    def _discard_lines(self, *indexes: int) -> None:
        """Drop the cached lines of these rows (every cursor, focus and scrollbar variant)."""
        wanted = set(indexes)
        for key in [key for key in list(self._line_cache.keys()) if key[0] in wanted]:
            self._line_cache.discard(key)

    def _cursor_moved(self, index: int) -> None:
        """Repaint the cursor's line, bring it into view and announce it."""
        if index < 0 or index >= len(self._rows):
            return
        self.refresh_line(index)
        self.scroll_to_cursor()
        self.post_message(self.Highlighted(self, self._rows[index], index))

    @property
    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def scroll_to_cursor(self) -> None:
        """Scroll as little as possible to show the cursor (and its feed header if just above)."""
        index = self.cursor
        height = self.scrollable_content_region.height
        if index < 0 or height <= 0:
            return
        top = index - 1 if index > 0 and self._rows[index - 1].kind == "feed" else index
        scroll_y = round(self.scroll_y)
        if top < scroll_y:
            self.scroll_to(y=top, animate=False, force=True)
        elif index >= scroll_y + height:
            self.scroll_to(y=index - height + 1, animate=False, force=True)

    def _move(self, target: int, direction: int) -> None:
        """Put the cursor on the first story from `target` in `direction`, else the other way."""
        count = len(self._rows)
        if count == 0:
            return
        target = max(0, min(target, count - 1))
        found = self._snap(target, direction)
        if found is None:
            found = self._snap(target, -direction)
        if found is not None:
            self.cursor = found

    def _find(self, start: int, direction: int, wanted: str) -> int | None:
        """The next index from `start` in `direction` whose row is `wanted`: a "feed" header,
        a "story" or an "unread" story."""
        rows = self._rows
        index = start
        while 0 <= index < len(rows):
            row = rows[index]
            if row.kind == wanted if wanted != "unread" else (row.kind == "story" and row.unread):
                return index
            index += direction
        return None

    def action_cursor_down(self) -> None:
        if self.cursor + 1 < len(self._rows):
            found = self._snap(self.cursor + 1, 1)
            if found is not None:
                self.cursor = found

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            found = self._snap(self.cursor - 1, -1)
            if found is not None:
                self.cursor = found
            elif self._rows[0].kind == "feed":
                self.scroll_to(y=0, animate=False, force=True)  # show the first header

    def action_cursor_first(self) -> None:
        self._move(0, 1)
        self.scroll_to(y=0, animate=False, force=True)

    def action_cursor_last(self) -> None:
        self._move(len(self._rows) - 1, -1)

    def _page(self, lines: int) -> None:
        """Move the view and the cursor by `lines` (negative: up), like a pager."""
        if not self._rows:
            return
        self.scroll_to(y=round(self.scroll_y) + lines, animate=False, force=True)
        self._move(self.cursor + lines, 1 if lines > 0 else -1)

    def action_page_down(self) -> None:
        self._page(self._page_height)

    def action_page_up(self) -> None:
        self._page(-self._page_height)

    def action_half_page_down(self) -> None:
        self._page(max(1, self._page_height // 2))

    def action_half_page_up(self) -> None:
        self._page(-max(1, self._page_height // 2))

    def action_next_feed(self) -> None:
        """Move to the first story of the next feed."""
        header = self._find(self.cursor + 1, 1, "feed")
        if header is not None:
            self._move(header, 1)

    def action_previous_feed(self) -> None:
        """Move to the first story of this feed, or of the previous feed when already there."""
        if self.cursor < 0:
            return
        header = self._find(self.cursor, -1, "feed")
        if header is None:
            return
        first = self._snap(header, 1)
        if first is not None and first < self.cursor:
            self.cursor = first
            return
        previous = self._find(header - 1, -1, "feed")
        if previous is not None:
            self._move(previous, 1)

    def _wanted_by_n(self) -> str:
        # While a search filters the list every story shown is a match: n/N go match to match.
        return "story" if self.highlight else "unread"

    def action_next_unread(self) -> None:
        found = self._find(self.cursor + 1, 1, self._wanted_by_n())
        if found is not None:
            self.cursor = found

    def action_previous_unread(self) -> None:
        if self.cursor > 0:
            found = self._find(self.cursor - 1, -1, self._wanted_by_n())
            if found is not None:
                self.cursor = found

    def action_select(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.Selected(self, row, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self._on_scrollbar(offset.x):
            return
        index = round(self.scroll_y) + offset.y
        if not 0 <= index < len(self._rows):
            return
        event.stop()
        self.focus()
        if self._selectable(index):
            self.cursor = index
            self.action_select()
        else:
            self._move(index, 1)

    # -- rendering --------------------------------------------------------------------------------

    def watch_highlight(self, value: str) -> None:
        self._pattern = re.compile(re.escape(value), re.IGNORECASE) if value else None
        self._line_cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._palettes.clear()
        self._bar_colors.clear()

    def _on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))
        self.call_after_refresh(self.scroll_to_cursor)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in `crop`, straight from `render_line` plus the app's line filters.

        Textual's general path (its styles cache) rebuilds every line for borders, padding,
        tint and opacity, none of which this list has by default; on a page-down at 100,000
        rows that was about a third of the key's work (bench/ui.py). If the CSS gives the list
        any of them, the general path is used.
        """
        if not self._plain_box():
            return super().render_lines(crop)
        filters = self.get_line_filters()
        background = self.background_colors[1]
        view = self._view()
        strips = []
        for y in crop.line_range:
            strip = self._line(y, view)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)  # cached in the Strip
            strips.append(strip)
        left, right = crop.column_span
        if (left, right) != (0, self.outer_size.width):
            strips = [strip.crop(left, right) for strip in strips]
        return strips

    def _plain_box(self) -> bool:
        """No border, outline, padding, tint, hatch or opacity: a line is just its content."""
        styles = self.styles
        return (
            not any(edge for edge, _ in styles.border)
            and not any(edge for edge, _ in styles.outline)
            and not any(styles.padding)
            and styles.tint.a == 0
            and styles.opacity == 1
            and styles.text_opacity == 1
            and not styles.has_rule("hatch")
        )

    def render_line(self, y: int) -> Strip:
        """The Strip for screen line `y`: row `scroll_y + y` (or blank past the end), ending
        with the scrollbar's cell when the rows overflow."""
        return self._line(y, self._view())

    def _view(self) -> _View:
        """What every line of one repaint needs, read once (properties and reactives cost)."""
        region = self.scrollable_content_region
        total = len(self._rows)
        cells: list[Segment] = []
        if self._bar_shown(region):
            cells = self._scrollbar.segments(total, region.height, self.scroll_y, *self._colors())
        return _View(round(self.scroll_y), region.width, self.cursor, self.has_focus, cells)

    def _bar_shown(self, region: Region) -> bool:
        """Whether the rows overflow `region` (the content region), so the bar is drawn."""
        return region.width > 1 and LineScrollbar.shown(len(self._rows), region.height)

    def _line(self, y: int, view: _View) -> Strip:
        """Line `y` of `view`. Cached whole (row and scrollbar cell): a repaint that changes
        neither reuses the Strip, and the filtered copy Textual keeps inside it."""
        index = view.top + y
        width = view.width
        cell = view.cells[min(y, len(view.cells) - 1)] if view.cells else None
        row_width = width - 1 if cell is not None else width
        if not 0 <= index < len(self._rows):
            blank = Strip.blank(row_width, self.get_visual_style().rich_style)
            return blank if cell is None else Strip([*blank, cell], width)
        key = (index, width, index == view.cursor, view.focused, cell)
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        strip = self._render_row(self._rows[index], row_width, key[2])
        if cell is not None:
            strip = Strip([*strip, cell], width)
        self._line_cache[key] = strip
        return strip

    def _colors(self) -> tuple[Color, Color]:
        """(background, thumb) of the bar from the theme's scrollbar styles: the "active" ones
        while the thumb is dragged, the "hover" ones under the mouse, as Textual's scrollbar
        does; cached until the styles change."""
        state: _BarState = (
            "active" if self._drag_offset is not None else "hover" if self._bar_hover else "rest"
        )
        colors = self._bar_colors.get(state)
        if colors is None:
            styles = self.styles
            back, thumb = {
                "active": (styles.scrollbar_background_active, styles.scrollbar_color_active),
                "hover": (styles.scrollbar_background_hover, styles.scrollbar_color_hover),
                "rest": (styles.scrollbar_background, styles.scrollbar_color),
            }[state]
            if back.a < 1:
                back = self.background_colors[0] + back
            colors = self._bar_colors[state] = (back, back + thumb)
        return colors

    def _set_bar_hover(self, hover: bool) -> None:
        if hover != self._bar_hover:
            self._bar_hover = hover
            self.refresh()

    # -- the scrollbar's mouse --------------------------------------------------------------------

    def _on_scrollbar(self, x: int) -> bool:
        region = self.scrollable_content_region
        return x == region.width - 1 and self._bar_shown(region)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """On the bar: above or below the thumb pages, on it grabs it."""
        offset = event.get_content_offset(self)
        if offset is None or not self._on_scrollbar(offset.x):
            return
        event.stop()
        height = self.scrollable_content_region.height
        thumb = LineScrollbar.geometry(len(self._rows), height, self.scroll_y)
        if offset.y < int(thumb.start):
            self.scroll_to(y=self.scroll_y - height, animate=False)
        elif offset.y >= thumb.start + thumb.size:
            self.scroll_to(y=self.scroll_y + height, animate=False)
        else:
            self._drag_offset = offset.y - thumb.start
            self.capture_mouse()
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_offset is None:
            offset = event.get_content_offset(self)
            self._set_bar_hover(offset is not None and self._on_scrollbar(offset.x))
            return
        event.stop()
        region = self.scrollable_content_region
        total = len(self._rows)
        thumb = LineScrollbar.geometry(total, region.height, self.scroll_y)
        top = event.y - self.gutter.top - self._drag_offset
        self.scroll_to(y=thumb.position_for(top, region.height, total), animate=False)

    def on_leave(self, event: events.Leave) -> None:
        self._set_bar_hover(False)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_offset is None:
            return
        event.stop()
        self._drag_offset = None
        self.release_mouse()
        self.refresh()

    def _palette(self, kind: str, is_cursor: bool) -> tuple[Style, Style, Style, Style]:
        """(text, meta, mark, match) styles for a row of `kind` ("feed"/"unread"/"read").

        Cached per kind, cursor-ness and focus; cleared when the CSS or the theme changes.
        """
        key = (kind, is_cursor, self.has_focus)
        palette = self._palettes.get(key)
        if palette is None:
            components: tuple[str, ...] = (f"story-list--{kind}",)
            if is_cursor:
                components += ("story-list--cursor",)
            get = self.get_visual_style
            palette = (
                get(*components).rich_style,
                get(*components, "story-list--meta").rich_style,
                get(*components, "story-list--mark").rich_style,
                get(*components, "story-list--match").rich_style,
            )
            self._palettes[key] = palette
        return palette

    def _render_row(self, row: StoryRow, width: int, is_cursor: bool) -> Strip:
        """Build one row's Segments: marks, title (cut with "…"), meta right-aligned."""
        kind = "feed" if row.kind == "feed" else ("unread" if row.unread else "read")
        style, meta_style, mark_style, match_style = self._palette(kind, is_cursor)
        if row.kind == "feed":
            segments = [Segment(" ", style)]
            flags = ""
        else:
            segments = [Segment(f" {UNREAD_MARK if row.unread else ' '} ", mark_style)]
            flags = (STARRED_MARK if row.starred else "") + (OFFLINE_MARK if row.offline else "")
        used = cell_len(segments[0].text)

        # Right side: "★↓ meta" then a one-cell margin; the meta gives way on narrow lists.
        meta_chars, meta_cells, meta_cut = fit(row.meta, max(0, (width - used) // 2 - 2))
        meta_text = row.meta[:meta_chars] + (ELLIPSIS if meta_cut else "")
        meta_cells += meta_cut
        right: list[Segment] = []
        right_cells = 0
        if flags:
            right.append(Segment(flags + (" " if meta_text else ""), mark_style))
            right_cells += len(flags) + (1 if meta_text else 0)  # the marks are one cell each
        if meta_text:
            right.append(Segment(meta_text, meta_style))
            right_cells += meta_cells
        gap = 1 if right else 0
        title_room = width - used - right_cells - gap - 1
        if title_room < 1:  # too narrow for both: the title wins
            right, right_cells, gap = [], 0, 0
            title_room = width - used - 1

        chars, cells, cut = fit(row.title, title_room)
        # The title, its "…" and the padding up to the right side share one style: one
        # Segment when nothing is highlighted (fewer segments make every later stage cheaper).
        tail = ELLIPSIS if cut else ""
        cells += len(tail)
        pad = max(0, width - used - cells - right_cells - 1)
        tail += " " * pad
        used += cells + pad
        matches = _match_spans(self._pattern, row.title, chars)
        if matches:
            segments.extend(_styled_text(row.title[:chars], matches, style, match_style))
            if tail:
                segments.append(Segment(tail, style))
        else:
            segments.append(Segment(row.title[:chars] + tail, style))
        segments.extend(right)
        segments.append(Segment(" ", style))
        used += right_cells + 1
        if used != width:  # only on lists too narrow for the marks themselves
            return Strip(segments).adjust_cell_length(width, style)
        return Strip(segments, width)
