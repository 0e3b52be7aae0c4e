"""The reader at the keyboard: views, stars, search, links with history, layouts, stale results."""

from __future__ import annotations

import asyncio

from tui.core.models import Entry
from tui.core.service import ArticleResult
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.story_list import StoryList

from .helpers import SEED_TITLE, refreshed_main, sample_app, screen_text, wait_until


def _stories(main: MainScreen) -> list[str]:
    return [r.title for r in main.stories_pane.rowset.rows if r.kind == "story"]


async def test_star_then_starred_view_then_unread_view() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("g")
            first = main.stories_pane.rowset.rows[main.stories.cursor].title
            await pilot.press("s")
            assert main.stories_pane.rowset.rows[main.stories.cursor].starred
            await pilot.press("m")  # mark read without opening
            await pilot.pause(0.3)
            assert not main.stories_pane.rowset.rows[main.stories.cursor].unread
            await pilot.press("v")  # unread
            await wait_until(
                pilot,
                lambda: main.stories_pane.view == "unread" and first not in _stories(main),
                what="unread view",
            )
            await pilot.press("v")  # starred
            await wait_until(pilot, lambda: _stories(main) == [first], what="starred view")
            assert "Starred" in screen_text(app)
    finally:
        session.close()


async def test_search_filters_titles_and_escape_clears() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("slash")
            await pilot.press(*"ferry")
            await wait_until(pilot, lambda: len(_stories(main)) == 1, what="the filter")
            assert "ferry" in _stories(main)[0]
            assert main.stories.highlight == "ferry"
            await pilot.press("escape")
            await wait_until(pilot, lambda: len(_stories(main)) >= 13, what="the filter to clear")
            assert main.stories.has_focus
    finally:
        session.close()


async def test_feed_view_and_mark_feed_read() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("g", "f")
            await wait_until(
                pilot,
                lambda: sum(r.kind == "feed" for r in main.stories_pane.rowset.rows) == 1,
                what="one feed",
            )
            await pilot.press("A")
            await wait_until(
                pilot,
                lambda: all(not r.unread for r in main.stories_pane.rowset.rows),
                what="all read",
            )
            await pilot.press("f")
            await wait_until(
                pilot,
                lambda: sum(r.kind == "feed" for r in main.stories_pane.rowset.rows) == 2,
                what="both feeds",
            )
            assert any(
                r.unread for r in main.stories_pane.rowset.rows if r.kind == "story"
            )  # the other feed is untouched
    finally:
        session.close()


async def test_following_a_link_then_history_back() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            reader = main.query_one(ArticleView)
            # the long-form feature links to other sample articles
            index = next(
                i
                for i, e in enumerate(main.stories_pane.rowset.entries)
                if e is not None and e.title.startswith("The last ferry keepers")
            )
            main.stories.cursor = index
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: reader.article is not None and bool(reader.article.links),
                what="the article",
            )
            first = reader.article
            assert first is not None
            await pilot.press("1")
            await wait_until(
                pilot,
                lambda: reader.article is not None and reader.article.url != first.url,
                what="the link",
            )
            await pilot.press("H")
            await wait_until(
                pilot,
                lambda: reader.article is not None and reader.article.url == first.url,
                what="back",
            )
            await pilot.press("L")
            await wait_until(
                pilot,
                lambda: reader.article is not None and reader.article.url != first.url,
                what="forward",
            )
    finally:
        session.close()


async def test_a_late_article_never_replaces_the_one_asked_for_next() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            service = main.service
            original = service.load_article
            slow_url = next(
                e.url
                for e in main.stories_pane.rowset.entries
                if e is not None and e.title == SEED_TITLE
            )

            async def slow_for_seed(url: str, *, summary: str | None = None) -> ArticleResult:
                if url == slow_url:
                    await asyncio.sleep(1.0)
                return await original(url, summary=summary)

            service.load_article = slow_for_seed  # type: ignore[method-assign]
            seed_index = next(
                i
                for i, e in enumerate(main.stories_pane.rowset.entries)
                if e is not None and e.url == slow_url
            )
            other_index = next(
                i
                for i, e in enumerate(main.stories_pane.rowset.entries)
                if e is not None and e.url and e.url != slow_url
            )
            main.stories.cursor = seed_index
            await pilot.press("enter")
            await pilot.press("escape")
            main.stories.cursor = other_index
            await pilot.press("enter")
            other: Entry = main.stories_pane.rowset.entries[other_index]  # type: ignore[assignment]
            reader = main.query_one(ArticleView)
            await wait_until(pilot, lambda: reader.article is not None, what="the second article")
            await pilot.pause(1.3)  # the slow first article has arrived by now
            assert reader.article is not None and reader.article.url == other.url
    finally:
        session.close()


async def test_narrow_terminal_shows_one_pane_at_a_time() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(64, 30)) as pilot:
            main = await refreshed_main(app, pilot)
            assert main.has_class("-narrow")
            assert main.stories.display and main.query_one(StoryList).region.width > 0
            assert main.query_one(ArticleView).region.width == 0
            index = next(
                i
                for i, e in enumerate(main.stories_pane.rowset.entries)
                if e is not None and e.title == SEED_TITLE
            )
            main.stories.cursor = index
            await pilot.press("enter")
            reader = main.query_one(ArticleView)
            await wait_until(pilot, lambda: reader.article is not None, what="the article")
            await pilot.pause(0.1)
            assert reader.region.width > 0 and main.stories.region.width == 0
            await pilot.press("escape")
            await pilot.pause(0.1)
            assert main.stories.region.width > 0
    finally:
        session.close()


async def test_medium_width_folds_the_sidebar_behind_P() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            main = await refreshed_main(app, pilot)
            sidebar = main.query_one("#podcasts")
            assert sidebar.region.width == 0
            await pilot.press("P")
            await pilot.pause(0.1)
            assert sidebar.region.width > 0
    finally:
        session.close()


async def test_search_finds_words_in_the_text_of_cached_articles() -> None:
    """'Kremlin' is in no title or summary of the sample, only in the seed article's text."""
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("slash", *"kremlin")
            await pilot.pause(0.5)
            assert _stories(main) == []  # nothing cached yet: no match
            await pilot.press("escape")
            await wait_until(pilot, lambda: len(_stories(main)) >= 13, what="the filter to clear")
            await pilot.press("D")  # make everything available offline
            await wait_until(
                pilot,
                lambda: "available offline" in main.status.message,
                timeout=30,
                what="the prefetch",
            )
            await pilot.press("slash", *"kremlin")
            await wait_until(pilot, lambda: SEED_TITLE in _stories(main), what="the text match")
            assert all(
                r.meta.startswith("in text")
                for r in main.stories_pane.rowset.rows
                if r.kind == "story"
            )
            assert "in text" in screen_text(app)
            # Opened from the search, the article shows where the word is.
            await pilot.press("enter")  # keeps the filter, back in the list
            main.stories.cursor = next(
                i for i, r in enumerate(main.stories_pane.rowset.rows) if r.title == SEED_TITLE
            )
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: "highlighted in this article" in main.status.message, what="marks"
            )
            assert main.status.message.endswith("× “kremlin” highlighted in this article.")
    finally:
        session.close()


async def test_t_cycles_through_folders_and_tags() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("t")  # the sample's feeds are in the folder "Sample"
            await wait_until(
                pilot, lambda: main.stories_pane.tag == "Sample", what="the folder view"
            )
            assert main.status.message == "Showing Sample (t for the next)."
            await wait_until(pilot, lambda: "· Sample" in main.status.counts, what="the counts")
            assert len(_stories(main)) >= 13
            await pilot.press("t")
            await wait_until(pilot, lambda: main.stories_pane.tag is None, what="every feed")
            assert main.status.message == "Showing every feed."
    finally:
        session.close()
