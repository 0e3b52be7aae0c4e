"""Rules and saved searches in the story list: hidden stories are not listed, a saved search
is a feed at the top with its unread count, above the Saved feed; F lists the rules; the
palette's rule test says how many listed stories a rule matches, or where it is wrong."""

from __future__ import annotations

from textual.widgets import Input, Static

from tui.core.rules import RuleOutcome
from tui.core.saved import SavedStory
from tui.ui.rows import build_rows
from tui.ui.screens.feeds import FeedsScreen
from tui.ui.screens.rule_test import RuleTestScreen

from .helpers import refreshed_main, sample_app, wait_until
from .test_rows import STATUSES, feeds, stories


def test_hidden_stories_go_and_saved_searches_come_first() -> None:
    rules = RuleOutcome(
        hidden={("https://news", "Ferry keepers")},
        queries={
            "Daily picks": [("https://tech", "A new compiler"), ("https://misc", "Tide tables")]
        },
    )
    saved = [SavedStory(STATUSES[2].feed.entries[0], 1.0)]  # type: ignore[union-attr]
    read = {("https://misc", "Tide tables")}
    rowset = build_rows(STATUSES, read, [], rules=rules, saved=saved)
    assert feeds(rowset)[:2] == ["query:Daily picks", "broadsheet:saved"]
    assert rowset.rows[0].title == "Daily picks" and rowset.rows[0].meta == "1 unread"
    assert stories(rowset) == [
        "A new compiler",
        "Tide tables",  # the saved search
        "Tide tables",  # the shelf
        "Harbour wall repaired",  # Ferry keepers is hidden
        "A new compiler",
        "Tide tables",
    ]
    assert len({r.key for r in rowset.rows}) == len(rowset.rows)  # every row's key its own
    assert rowset.unread_total == 2  # each story once (not again in a virtual feed), hidden: 0
    unread = build_rows(STATUSES, read, [], view="unread", rules=rules)
    assert "Tide tables" not in stories(unread)
    assert feeds(build_rows(STATUSES, read, [], rules=RuleOutcome(queries={"None": []}))) == [
        "https://news",
        "https://tech",
        "https://misc",
    ]  # an empty saved search is not listed


async def test_F_lists_the_rules_and_the_palette_tests_one() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            app.push_screen(
                FeedsScreen(
                    list(main.stories_pane.statuses), ['      hide  url ~ "x"  (0 stories)']
                )
            )
            await wait_until(pilot, lambda: bool(app.screen.query("#rules")), what="F")
            assert 'hide  url ~ "x"' in str(app.screen.query_one("#rules", Static).render())
            await pilot.press("escape")
            keys = [(e.feed_url, e.id) for e in main.stories_pane.rowset.entries if e is not None]
            test = lambda source: session.service.test_rule(source, keys)  # noqa: E731
            app.push_screen(RuleTestScreen(test, len(keys)))
            await wait_until(pilot, lambda: bool(app.screen.query("#result")), what="test")
            screen = app.screen
            screen.query_one(Input).value = 'title ~ "nato"'
            await pilot.press("enter")
            result = screen.query_one("#result", Static)
            await wait_until(pilot, lambda: "Matches 1 of" in str(result.render()), what="count")
            assert "NATO chief comments" in str(result.render())
            screen.query_one(Input).value = 'title ~ "nato" and'
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Not a rule: column 19" in str(result.render()))
    finally:
        session.close()


def test_a_page_saved_by_its_address_is_counted_once() -> None:
    from tui.core.models import Entry
    from tui.core.saved import SAVED_FEED

    page = Entry("https://x.test/p", SAVED_FEED, "A page", url="https://x.test/p")
    in_feed = STATUSES[1].feed.entries[0]  # type: ignore[union-attr]
    shelf = [SavedStory(page, 2.0), SavedStory(in_feed, 1.0)]
    plain = build_rows(STATUSES, set(), [])
    rowset = build_rows(STATUSES, set(), [], saved=shelf)
    assert stories(rowset)[:2] == ["A page", "A new compiler"]
    assert (rowset.story_total, rowset.unread_total) == (
        plain.story_total + 1,
        plain.unread_total + 1,
    )
