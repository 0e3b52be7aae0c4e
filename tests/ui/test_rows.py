"""View models and small renderings of the UI: rows by folder/tag, search in cached text, the
highlights of a search in the reader, the status bar's progress bar."""

from __future__ import annotations

import gc
import threading
from datetime import UTC, datetime

import pytest

from tui.core.config import Subscription
from tui.core.heap import collector_paused
from tui.core.models import Entry, Feed
from tui.core.service import FeedStatus
from tui.ui.rows import (
    Superseded,
    _date_labeller,
    build_rows,
    refreshed_statuses,
    short_date,
    tags_of,
)


def status(url: str, titles: list[str], folder: str | None = None, tags=()) -> FeedStatus:  # type: ignore[no-untyped-def]
    entries = tuple(
        Entry(id=t, feed_url=url, title=t, url=f"{url}/{i}", summary=f"summary {i}")
        for i, t in enumerate(titles)
    )
    return FeedStatus(
        Subscription(url, folder=folder, tags=tuple(tags)), Feed(url, url, entries=entries)
    )


STATUSES = [
    status(
        "https://news", ["Harbour wall repaired", "Ferry keepers"], folder="News", tags=["Daily"]
    ),
    status("https://tech", ["A new compiler"], tags=["Tech", "Daily"]),
    status("https://misc", ["Tide tables"]),
]


def stories(rowset) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.title for r in rowset.rows if r.kind == "story"]


def feeds(rowset) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.key for r in rowset.rows if r.kind == "feed"]


def test_tags_are_every_folder_and_tag_once() -> None:
    assert tags_of(STATUSES) == ["Daily", "News", "Tech"]


def test_a_tag_keeps_the_feeds_that_have_it() -> None:
    assert feeds(build_rows(STATUSES, set(), [], tag="Daily")) == ["https://news", "https://tech"]
    assert feeds(build_rows(STATUSES, set(), [], tag="Tech")) == ["https://tech"]
    assert feeds(build_rows(STATUSES, set(), [], tag=None)) == [
        "https://news",
        "https://tech",
        "https://misc",
    ]
    starred = [STATUSES[0].feed.entries[0], STATUSES[2].feed.entries[0]]  # type: ignore[union-attr]
    assert stories(build_rows(STATUSES, set(), starred, view="starred", tag="News")) == [
        "Harbour wall repaired"
    ]


def test_search_finds_titles_and_the_text_of_cached_articles() -> None:
    rowset = build_rows(STATUSES, set(), [], query="compiler")
    assert stories(rowset) == ["A new compiler"]
    # "kremlin" is in no title or summary, only in the cached article of https://misc/0
    assert stories(build_rows(STATUSES, set(), [], query="kremlin")) == []
    rowset = build_rows(STATUSES, set(), [], query="kremlin", text_matches={"https://misc/0"})
    assert stories(rowset) == ["Tide tables"]
    story = next(r for r in rowset.rows if r.kind == "story")
    assert story.meta.startswith("in text")
    assert feeds(rowset) == ["https://misc"]  # feeds without a match are left out


def test_search_matches_are_highlighted_in_the_article_literally() -> None:
    from rich.text import Text

    from tui.ui.widgets.article_view import MATCH_STYLE, highlight_matches

    text = Text("The Kremlin said: kremlin [b]KREMLIN[/b]; a.b* not a regex")
    assert highlight_matches(text, "kremlin") == 3
    assert [text.plain[s.start : s.end] for s in text.spans if s.style == MATCH_STYLE] == [
        "Kremlin",
        "kremlin",
        "KREMLIN",
    ]
    assert highlight_matches(Text("a.b* x"), "a.b*") == 1  # typed text is not a pattern
    assert highlight_matches(Text("anything"), "  ") == 0


def test_progress_bar() -> None:
    from tui.ui.widgets.status_bar import progress_bar

    assert progress_bar(0, 100) == "░" * 16 + " 0%"
    assert progress_bar(38, 100) == "██████" + "░" * 10 + " 38%"
    assert progress_bar(150, 100) == "█" * 16 + " 100%"  # a server that sent more than it said
    assert progress_bar(5, None) == "" and progress_bar(5, 0) == ""


def test_a_rebuild_gives_up_between_feeds_when_a_newer_one_started() -> None:
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # let the first feed through, then give up

    with pytest.raises(Superseded):
        build_rows(STATUSES, set(), [], cancelled=cancelled)
    assert len(asked) == 2
    assert gc.isenabled()  # the collector is back on after a rebuild that gave up


def test_dates_are_labelled_as_short_date_does_and_relabelled_on_a_new_day() -> None:
    now = datetime(2025, 5, 20, 15, 0, tzinfo=UTC).timestamp()
    published = [
        "2025-05-20T09:30:00+00:00",  # today
        "2025-03-04T12:00:00+00:00",  # this year
        "2024-12-31T12:00:00+00:00",  # before
        "not a date at all",
        None,
    ]
    today = datetime.fromtimestamp(now).astimezone()
    label = _date_labeller(now)
    assert [label(p) for p in published] == [short_date(p, today) if p else "" for p in published]
    assert label(published[2]) == "31 Dec 2024" and label(published[3]) == "not a date"
    # A day later "today" is yesterday: the remembered "HH:MM" must not be reused.
    tomorrow = _date_labeller(now + 86_400)
    next_day = datetime.fromtimestamp(now + 86_400).astimezone()
    assert tomorrow(published[0]) == short_date(published[0], next_day) != label(published[0])


def test_the_collector_pause_nests_across_threads_and_keeps_a_disabled_collector_off() -> None:
    assert gc.isenabled()
    inside: list[bool] = []

    def work() -> None:
        with collector_paused():
            inside.append(gc.isenabled())

    with collector_paused():
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert not gc.isenabled()  # the other thread's pause ended; ours still holds
    assert inside == [False] and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_refreshed_statuses_keep_order_stories_of_failed_feeds_and_feeds_not_asked() -> None:
    a, b, c, d = (Subscription(f"http://127.0.0.1:9/{n}.xml") for n in "abcd")
    old_a, old_b = Feed(url=a.url, title="A old"), Feed(url=b.url, title="B old")
    new_c = Feed(url=c.url, title="C new")
    shown = [FeedStatus(a, old_a), FeedStatus(b, old_b), FeedStatus(c)]
    refreshed = [
        FeedStatus(d),  # subscribed meanwhile: listed last
        FeedStatus(c, new_c),
        FeedStatus(a, None, error="timed out", error_at=1.0),  # failed: keeps what it showed
    ]
    result = refreshed_statuses(shown, refreshed)
    assert [s.subscription for s in result] == [a, b, c, d]
    assert (result[0].feed, result[0].error) == (old_a, "timed out")
    assert result[1] is shown[1]  # not asked for (not due): unchanged
    assert result[2].feed == new_c
