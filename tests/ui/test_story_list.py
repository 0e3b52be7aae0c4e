"""StoryList through Pilot: rendering, keys, messages, markup safety and scale."""

from __future__ import annotations

import random
from collections.abc import Sequence

from rich.cells import cell_len, split_graphemes
from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region

from tui.ui.widgets.story_list import StoryList, StoryRow, fit


def feed(name: str, meta: str = "") -> StoryRow:
    return StoryRow("feed", f"https://{name}.example/rss", name, meta)


def story(title: str, meta: str = "", **flags: bool) -> StoryRow:
    return StoryRow("story", f"key:{title}", title, meta, **flags)


class ListApp(App[None]):
    """A tiny app holding one StoryList, recording the messages it posts."""

    def __init__(self, rows: Sequence[StoryRow] = ()) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[StoryList.Selected] = []
        self.highlighted: list[StoryList.Highlighted] = []

    def compose(self) -> ComposeResult:
        yield StoryList(self.rows)

    def on_mount(self) -> None:
        self.query_one(StoryList).focus()

    def on_story_list_selected(self, event: StoryList.Selected) -> None:
        self.selected.append(event)

    def on_story_list_highlighted(self, event: StoryList.Highlighted) -> None:
        self.highlighted.append(event)


def lines(story_list: StoryList) -> list[str]:
    """The text of every line on screen."""
    return [
        story_list.render_line(y).text for y in range(story_list.scrollable_content_region.height)
    ]


def two_feeds() -> list[StoryRow]:
    return [
        feed("Alpha", "2 unread"),  # 0
        story("a1", "20 May", unread=True),  # 1
        story("a2", "19 May"),  # 2
        feed("Beta", "1 unread"),  # 3
        story("b1", "2h"),  # 4
        story("b2", "3h", unread=True),  # 5
        feed("Gamma"),  # 6
        story("c1", "1d"),  # 7
    ]


def is_visible(story_list: StoryList, index: int) -> bool:
    top = round(story_list.scroll_y)
    return top <= index < top + story_list.scrollable_content_region.height


# -- rendering ------------------------------------------------------------------------------------


async def test_rows_render_titles_marks_and_right_aligned_meta() -> None:
    rows = [
        feed("Tech News", "2 unread"),
        story("Hello world", "20 May", unread=True, starred=True, offline=True),
        story("Old news", "2h"),
    ]
    app = ListApp(rows)
    async with app.run_test(size=(50, 8)):
        story_list = app.query_one(StoryList)
        width = story_list.scrollable_content_region.width
        header, first, second, *rest = lines(story_list)
        assert header.startswith(" Tech News") and header.endswith("2 unread ")
        assert first.startswith(" ● Hello world") and first.endswith("★↓ 20 May ")
        assert second.startswith("   Old news") and second.endswith(" 2h ")
        assert "●" not in second and "★" not in second
        assert all(cell_len(line) == width for line in (header, first, second))
        assert all(not line.strip() for line in rest)  # past the end: blank lines


async def test_long_and_wide_titles_are_cut_with_an_ellipsis_to_the_cell_width() -> None:
    title = "東京の市場で大きな変化があったと報じられています " * 3
    app = ListApp([story(title, "20 May"), story("emoji 👩‍👩‍👧 family " * 6, "1h")])
    async with app.run_test(size=(40, 5)):
        story_list = app.query_one(StoryList)
        width = story_list.scrollable_content_region.width
        for line in lines(story_list)[:2]:
            assert cell_len(line) == width
            assert "…" in line
        assert lines(story_list)[0].endswith(" 20 May ")


def test_fit_counts_cells_and_never_splits_a_grapheme() -> None:
    assert fit("abc", 3) == (3, 3, False)
    assert fit("abcd", 3) == (2, 2, True)
    assert fit("漢字漢字", 8) == (4, 8, False)
    assert fit("漢字漢字", 6) == (2, 4, True)  # 3 chars would need 6 cells + 1 for "…"
    family = "👩‍👩‍👧"
    chars, cells, cut = fit(family + "x" * 10, 3)
    assert (chars, cells, cut) == (len(family), 2, True)
    assert fit("anything", 0) == (0, 0, False)


def test_fit_agrees_with_a_plain_grapheme_walk_on_mixed_text() -> None:
    """The fast paths (single-cell text, measuring only unusual characters, walking a prefix)
    give the same answer as walking every grapheme of the whole text."""
    rng = random.Random(7)
    pool = [*"ab xy’“—é漢字テ🎧\u200b", "👩‍👩‍👧", "e\u0301", "❤️", "\u0301\u0301"]
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 80)))
        width = rng.randint(1, 30)
        spans, total = split_graphemes(text)
        if total <= width:
            expected = (len(text), total, False)
        else:
            used, index = 0, len(text)
            for start, _end, size in spans:
                if used + size > width - 1:
                    index = start
                    break
                used += size
            expected = (index, used, True)
        assert fit(text, width) == expected, (text, width)


async def test_markup_in_titles_is_shown_literally_and_a_click_only_opens_the_story() -> None:
    evil = "[bold]Breaking[/] [@click=app.quit]click me[/] [link=https://x.example]x[/link]"
    app = ListApp([feed("Feed"), story(evil), story("other")])
    async with app.run_test(size=(100, 6)) as pilot:
        story_list = app.query_one(StoryList)
        assert evil in story_list.render_line(1).text
        await pilot.click(StoryList, offset=(25, 1))  # on "[@click=app.quit]click me"
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert [(e.row.title, e.index) for e in app.selected] == [(evil, 1)]


async def test_highlight_marks_case_insensitive_matches_in_titles() -> None:
    app = ListApp([feed("F"), story("Good NEWS and more news"), story("nothing here")])
    async with app.run_test(size=(60, 5)) as pilot:
        story_list = app.query_one(StoryList)
        assert "NEWS" not in [segment.text for segment in story_list.render_line(1)]
        story_list.highlight = "news"
        await pilot.pause()
        matched = [s for s in story_list.render_line(1) if s.style and s.style.underline]
        assert [segment.text for segment in matched] == ["NEWS", "news"]
        assert not [s for s in story_list.render_line(2) if s.style and s.style.underline]
        story_list.highlight = "[("  # regex metacharacters are searched for literally
        await pilot.pause()
        assert story_list.render_line(1).text.startswith("   Good NEWS")


async def test_cursor_line_is_highlighted_and_stronger_when_focused() -> None:
    app = ListApp(two_feeds())
    async with app.run_test(size=(40, 10)) as pilot:
        story_list = app.query_one(StoryList)
        focused = story_list.render_line(1)
        other = story_list.render_line(2)
        assert focused.text != "" and [s.style for s in focused] != [s.style for s in other]
        story_list.blur()
        await pilot.pause()
        blurred = story_list.render_line(1)
        assert blurred.text == focused.text
        assert [s.style for s in blurred] != [s.style for s in focused]


# -- keys -----------------------------------------------------------------------------------------


async def test_j_k_g_G_move_the_cursor_and_skip_feed_headers() -> None:
    app = ListApp(two_feeds())
    async with app.run_test(size=(40, 12)) as pilot:
        story_list = app.query_one(StoryList)
        assert story_list.cursor == 1  # the first story, not the header above it
        visited = []
        for key in ("j", "j", "down", "j", "j", "j", "k", "up", "k", "G", "g", "end", "home"):
            await pilot.press(key)
            visited.append(story_list.cursor)
        assert visited == [2, 4, 5, 7, 7, 7, 5, 4, 2, 7, 1, 7, 1]


async def test_page_keys_move_the_cursor_by_a_page_and_scroll_it_into_view() -> None:
    rows = [feed("Big"), *(story(f"story {n}") for n in range(300))]
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        story_list = app.query_one(StoryList)
        page = story_list.scrollable_content_region.height
        await pilot.press("pagedown")
        assert story_list.cursor == 1 + page and story_list.scroll_y == page
        await pilot.press("space")
        assert story_list.cursor == 1 + 2 * page and is_visible(story_list, story_list.cursor)
        assert lines(story_list)[0].startswith(f"   story {2 * page - 1} ")  # row 2*page
        await pilot.press("b")
        assert story_list.cursor == 1 + page
        await pilot.press("pageup", "pageup")
        assert story_list.cursor == 1 and story_list.scroll_y == 0
        await pilot.press("ctrl+d")
        assert story_list.cursor == 1 + page // 2
        await pilot.press("ctrl+u")
        assert story_list.cursor == 1
        await pilot.press("G")
        assert story_list.cursor == 300 and is_visible(story_list, 300)
        assert lines(story_list)[-1].startswith("   story 299")
        await pilot.press("g")
        assert story_list.scroll_y == 0 and lines(story_list)[0].startswith(" Big")


async def test_the_scrollbar_shows_where_the_page_is_and_pages_and_drags_with_the_mouse() -> None:
    rows = [story(f"story {n}") for n in range(200)]
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        story_list = app.query_one(StoryList)
        height = story_list.scrollable_content_region.height
        bar_x = story_list.scrollable_content_region.width - 1

        def bar() -> list[tuple[str, bool]]:
            """The last cell of each line: its text and whether it is the thumb's colour."""
            cells = [list(story_list.render_line(y))[-1] for y in range(height)]
            thumb = cells[0].style if story_list.scroll_y == 0 else None  # the top: thumb
            return [(cell.text, cell.style == thumb) for cell in cells]

        assert [is_thumb for _, is_thumb in bar()] == [True] + [False] * (height - 1)
        assert all(line.cell_length == 40 for line in map(story_list.render_line, range(height)))
        # Under the mouse the bar takes the theme's hover colours, as Textual's scrollbar does.
        resting = list(story_list.render_line(0))[-1].style
        await pilot.hover(StoryList, offset=(bar_x, 5))
        assert list(story_list.render_line(0))[-1].style != resting
        await pilot.hover(StoryList, offset=(1, 5))
        assert list(story_list.render_line(0))[-1].style == resting
        # A changed row is drawn anew, scrollbar cell and all.
        story_list.update_row(1, story("renamed", unread=True))
        assert story_list.render_line(1).text.startswith(" ● renamed")
        assert story_list.render_line(1).cell_length == 40
        # A press below the thumb pages down without moving the cursor or opening a story.
        await pilot.click(StoryList, offset=(bar_x, height - 1))
        assert story_list.scroll_y == height and story_list.cursor == 0
        assert app.selected == []
        # Drag the thumb: to the last line (near the end of the list), then back to the top.
        await pilot.mouse_down(StoryList, offset=(bar_x, 1))  # the thumb, one page down
        await pilot.hover(StoryList, offset=(bar_x, height - 1))
        await pilot.pause()
        assert story_list.scroll_y > 200 - 2 * height
        assert lines(story_list)[0].startswith(f"   story {round(story_list.scroll_y)} ")
        await pilot.hover(StoryList, offset=(bar_x, 0))
        await pilot.mouse_up(StoryList, offset=(bar_x, 0))
        await pilot.pause()
        assert story_list.scroll_y == 0
        assert app.selected == [] and story_list.cursor == 0
        await pilot.click(StoryList, offset=(bar_x, height - 1))
        await pilot.click(StoryList, offset=(bar_x, height - 1))
        assert story_list.scroll_y == 2 * height
        # A press above the thumb pages back up.
        await pilot.click(StoryList, offset=(bar_x, 0))
        assert story_list.scroll_y == height


async def test_a_list_that_fits_has_no_scrollbar_and_the_wheel_scrolls_one_that_does() -> None:
    app = ListApp([story(f"s{n}") for n in range(5)])
    async with app.run_test(size=(30, 10)) as pilot:
        story_list = app.query_one(StoryList)
        assert story_list.render_line(0).text.rstrip() == "   s0"
        story_list.set_rows([story(f"s{n}") for n in range(50)])
        await pilot.pause()
        assert story_list.scroll_y == 0
        for _ in range(3):
            story_list.post_message(
                events.MouseScrollDown(story_list, 5, 5, 0, 1, 0, False, False, False)
            )
        await pilot.pause()
        assert story_list.scroll_y > 0 and story_list.cursor == 0


async def test_j_scrolls_one_line_at_the_bottom_edge() -> None:
    app = ListApp([story(f"s{n}") for n in range(50)])
    async with app.run_test(size=(30, 10)) as pilot:
        story_list = app.query_one(StoryList)
        height = story_list.scrollable_content_region.height
        for _ in range(height):
            await pilot.press("j")
        assert story_list.cursor == height and story_list.scroll_y == 1


async def test_n_and_N_go_to_the_next_and_previous_unread_story() -> None:
    app = ListApp(two_feeds())
    async with app.run_test(size=(40, 12)) as pilot:
        story_list = app.query_one(StoryList)
        await pilot.press("n")
        assert story_list.cursor == 5
        await pilot.press("n")  # no unread story below: stays
        assert story_list.cursor == 5
        await pilot.press("N")
        assert story_list.cursor == 1
        await pilot.press("N")
        assert story_list.cursor == 1


async def test_J_and_K_jump_between_feeds() -> None:
    app = ListApp(two_feeds())
    async with app.run_test(size=(40, 12)) as pilot:
        story_list = app.query_one(StoryList)
        await pilot.press("J")
        assert story_list.cursor == 4  # Beta's first story
        await pilot.press("J")
        assert story_list.cursor == 7
        await pilot.press("J")  # no feed below: stays
        assert story_list.cursor == 7
        await pilot.press("K")  # already on Gamma's first story: go to Beta's
        assert story_list.cursor == 4
        await pilot.press("j", "K")  # inside Beta: back to its first story
        assert story_list.cursor == 4
        await pilot.press("K")
        assert story_list.cursor == 1


async def test_enter_and_l_post_selected_with_the_row_under_the_cursor() -> None:
    rows = two_feeds()
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("enter", "j", "j", "l")
        await pilot.pause()
        assert [(e.row, e.index) for e in app.selected] == [(rows[1], 1), (rows[4], 4)]
        assert all(e.control is app.query_one(StoryList) for e in app.selected)


async def test_highlighted_is_posted_with_the_row_when_the_cursor_moves() -> None:
    rows = two_feeds()
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("J")
        await pilot.pause()
        assert (app.highlighted[-1].row, app.highlighted[-1].index) == (rows[4], 4)


def test_highlighted_messages_coalesce_per_list_and_selected_never_does() -> None:
    one, two = StoryList(), StoryList()
    row = story("x")
    first = StoryList.Highlighted(one, row, 0)
    assert first.can_replace(StoryList.Highlighted(one, row, 1))
    assert not first.can_replace(StoryList.Highlighted(two, row, 1))
    assert not first.can_replace(StoryList.Selected(one, row, 1))
    assert not StoryList.Selected(one, row, 0).can_replace(StoryList.Selected(one, row, 1))


async def test_clicking_a_header_moves_to_its_first_story_without_opening_it() -> None:
    app = ListApp(two_feeds())
    async with app.run_test(size=(40, 12)) as pilot:
        story_list = app.query_one(StoryList)
        await pilot.click(StoryList, offset=(3, 3))  # the "Beta" header
        await pilot.pause()
        assert story_list.cursor == 4 and app.selected == []


async def test_bindings_have_ids_and_can_be_remapped() -> None:
    bindings = StoryList.BINDINGS
    ids = [binding.id for binding in bindings if not isinstance(binding, tuple)]
    assert len(ids) == len(bindings) and all(i and i.startswith("story_list.") for i in ids)
    app = ListApp(two_feeds())
    async with app.run_test(size=(40, 12)) as pilot:
        app.set_keymap({"story_list.down": "x"})
        await pilot.press("x")
        assert app.query_one(StoryList).cursor == 2


# -- data -----------------------------------------------------------------------------------------


async def test_set_rows_keeps_the_cursor_on_keep_key_and_snaps_off_headers() -> None:
    rows = two_feeds()
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        story_list = app.query_one(StoryList)
        await pilot.press("J", "j")  # b2
        assert story_list.cursor_row == rows[5]
        reordered = [rows[3], rows[5], rows[4], rows[0], rows[1]]
        story_list.set_rows(reordered, keep_key=rows[5].key)
        assert story_list.cursor == 1
        story_list.set_rows(rows, keep_key="gone")
        assert story_list.cursor == 1  # the first story
        story_list.cursor = 3  # a header: snaps to the story below
        assert story_list.cursor == 4
        story_list.cursor = 1000
        assert story_list.cursor == 7
        await pilot.pause()
        assert lines(story_list)[7].startswith("   c1")


async def test_update_row_repaints_that_line_and_leaves_the_callers_rows_alone() -> None:
    rows = two_feeds()
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        story_list = app.query_one(StoryList)
        assert "●" in story_list.render_line(1).text
        read = StoryRow("story", rows[1].key, "a1 (read)", "20 May", starred=True)
        story_list.update_row(1, read)
        await pilot.pause()
        line = story_list.render_line(1).text
        assert "●" not in line and "a1 (read)" in line and "★" in line
        assert rows[1].unread and story_list.rows[1] == read


async def test_empty_and_header_only_lists() -> None:
    app = ListApp([])
    async with app.run_test(size=(40, 6)) as pilot:
        story_list = app.query_one(StoryList)
        await pilot.press("j", "G", "n", "J", "enter")
        assert story_list.cursor == -1 and app.selected == []
        assert all(not line.strip() for line in lines(story_list))
        story_list.set_rows([feed("Broken", "⚠ timed out"), feed("Empty")])
        await pilot.press("j", "enter")  # no stories at all: the cursor may rest on headers
        await pilot.pause()
        assert story_list.cursor == 1 and app.selected[-1].row.title == "Empty"


async def test_a_hundred_thousand_rows_mount_and_respond() -> None:
    rows = []
    for n in range(100_000):
        if n % 500 == 0:
            rows.append(feed(f"feed {n}"))
        else:
            rows.append(story(f"story {n}", "1h", unread=n % 1000 == 7))
    app = ListApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        story_list = app.query_one(StoryList)
        assert story_list.virtual_size.height == 100_000
        await pilot.press("G")
        assert story_list.cursor == 99_999
        assert lines(story_list)[-1].startswith("   story 99999")
        await pilot.press("g", "n")
        assert story_list.cursor == 7
        await pilot.press("J", "pagedown")
        assert story_list.cursor == 501 + story_list.scrollable_content_region.height
        story_list.set_rows(rows[::10], keep_key=rows[7].key)
        await pilot.pause()
        assert story_list.row_count == 10_000 and story_list.cursor_row is not None


class BorderedListApp(ListApp):
    CSS = "StoryList { border: round $accent; padding: 0 1; }"


async def test_a_border_and_padding_from_the_css_are_drawn_around_the_rows() -> None:
    app = BorderedListApp([story(f"s{n}") for n in range(3)])
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        story_list = app.query_one(StoryList)
        whole = Region(0, 0, *story_list.outer_size)
        lines = [strip.text for strip in story_list.render_lines(whole)]
        assert lines[0].startswith("╭") and lines[-1].startswith("╰")
        assert lines[1].startswith("│    s0") and lines[1].endswith("│")
        # Without them a line is the row itself, as wide as the list.
        story_list.styles.border = ("none", "black")
        story_list.styles.padding = 0
        await pilot.pause()
        plain = [strip.text for strip in story_list.render_lines(whole)]
        assert plain[0].startswith("   s0") and len(plain[0]) == 30


async def test_new_rows_set_the_scroll_range_whether_or_not_they_overflow() -> None:
    app = ListApp([story(f"s{n}") for n in range(200)])
    async with app.run_test(size=(30, 10)) as pilot:
        story_list = app.query_one(StoryList)
        height = story_list.scrollable_content_region.height

        async def wheel() -> None:
            story_list.post_message(
                events.MouseScrollDown(story_list, 5, 5, 0, 1, 0, False, False, False)
            )
            await pilot.pause()

        story_list.set_rows([story(f"t{n}") for n in range(100)])  # still overflowing
        await pilot.pause()
        assert story_list.max_scroll_y == 100 - height
        await wheel()
        assert story_list.scroll_y > 0
        story_list.set_rows([story(f"u{n}") for n in range(3)])  # fits: nothing to scroll
        await pilot.pause()
        assert story_list.scroll_y == 0 and story_list.max_scroll_y == 0
        await wheel()
        assert story_list.scroll_y == 0
        assert story_list.render_line(0).text.rstrip() == "   u0"  # no scrollbar cell
