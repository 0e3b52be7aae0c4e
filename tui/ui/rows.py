"""Turn feeds and the user's state into the story list's rows (a view model, no widgets).

Runs in a thread worker: at 100,000 stories this is the only per-story Python work the UI does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Literal

from tui.core.heap import collector_paused
from tui.core.models import Entry
from tui.core.service import SAVED_FEED, FeedStatus, NewsService
from tui.ui.widgets.story_list import StoryRow

if TYPE_CHECKING:
    from tui.core.service import RuleOutcome, SavedStory

View = Literal["all", "unread", "starred"]
VIEWS: tuple[View, ...] = ("all", "unread", "starred")
QUERY_PREFIX = "query:"  # the key of a saved search's feed row


class Superseded(Exception):
    """A rebuild of the rows gave up: a newer one is under way."""


@dataclass(frozen=True, slots=True)
class RowQuery:
    """Which rows to show: a view, a search, one feed, one folder or tag. Immutable, so a thread
    building rows reads a copy, never the live pane."""

    view: View = "all"
    text: str = ""  # the search
    feed_filter: str | None = None  # one feed only
    tag: str | None = None  # the feeds with this folder or tag only


@dataclass(frozen=True, slots=True)
class RowSet:
    rows: list[StoryRow]
    entries: list[Entry | None]  # parallel to rows; None for feed headers
    unread_total: int
    story_total: int


def short_date(published: str, today: datetime) -> str:
    """ "14:05" on `today` (local time), "20 May" in its year, "20 May 2024" before."""
    try:
        when = datetime.fromisoformat(published)
    except ValueError:
        return published[:10]
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return f"{local.day} {local.strftime('%b')}"
    return f"{local.day} {local.strftime('%b %Y')}"


_date_labels: dict[str, str] = {}  # published → short_date, for _date_day only
_date_day: date | None = None
_DATE_LABELS_LIMIT = 400_000


def _date_labeller(now: float | None = None) -> Callable[[str | None], str]:
    """short_date ("" when unknown) with "today" fixed and the labels remembered until the day
    changes: time zone conversion and strftime were most of a rebuild's time at 100,000
    stories, and the same dates come back on every rebuild (each keystroke of a search)."""
    global _date_day, _date_labels
    today = datetime.fromtimestamp(now or time.time()).astimezone()
    if _date_day != today.date() or len(_date_labels) > _DATE_LABELS_LIMIT:
        _date_labels = {}  # a new one: a labeller of the day before keeps its own
        _date_day = today.date()
    labels = _date_labels

    def label(published: str | None) -> str:
        if not published:
            return ""
        found = labels.get(published)
        if found is None:
            found = labels[published] = short_date(published, today)
        return found

    return label


def build_rows(
    statuses: Sequence[FeedStatus],
    read: Set[tuple[str, str]],
    starred: Sequence[Entry],
    *,
    view: View = "all",
    query: str = "",
    feed_filter: str | None = None,
    tag: str | None = None,
    offline: set[str] | frozenset[str] = frozenset(),
    text_matches: set[str] | frozenset[str] = frozenset(),
    cancelled: Callable[[], bool] = lambda: False,
    saved: Sequence[SavedStory] = (),
    rules: RuleOutcome | None = None,
) -> RowSet:
    """Rows grouped by feed (a header row per feed), stories newest first within each.

    `query` keeps the stories whose title or summary contains it, or whose cached article's
    text does (`text_matches`: their URLs); `tag` keeps the feeds with that folder or tag.
    `cancelled` is asked between feeds; when it says yes (a newer rebuild has started: the
    next keystroke of a search), `Superseded` is raised instead of finishing. The saved
    searches (`rules.queries`) come first, as feeds of their own, then the stories `saved` for
    later ("Saved", newest saved first); the stories rules hide are not listed.
    """
    with collector_paused():  # 100,000 rows are acyclic: no collections while they are made
        return _build_rows(
            statuses,
            read,
            starred,
            view,
            query,
            feed_filter,
            tag,
            offline,
            text_matches,
            cancelled,
            saved,
            rules,
        )


def _build_rows(
    statuses: Sequence[FeedStatus],
    read: Set[tuple[str, str]],
    starred: Sequence[Entry],
    view: View,
    query: str,
    feed_filter: str | None,
    tag: str | None,
    offline: set[str] | frozenset[str],
    text_matches: set[str] | frozenset[str],
    cancelled: Callable[[], bool],
    saved: Sequence[SavedStory] = (),
    rules: RuleOutcome | None = None,
) -> RowSet:
    date_label = _date_labeller()
    starred_ids = {(e.feed_url, e.id) for e in starred}
    tagged = {s.subscription.url for s in statuses if tag in s.subscription.labels}
    needle = query.casefold()
    rows: list[StoryRow] = []
    entries: list[Entry | None] = []
    unread_total = story_total = 0

    groups: list[tuple[str, str, str | None, Sequence[Entry]]] = []
    hidden = rules.hidden if rules is not None else set()
    if rules is not None and rules.queries and view != "starred":
        by_key = {
            (e.feed_url, e.id): e for s in statuses if s.feed is not None for e in s.feed.entries
        }
        for name, keys in rules.queries.items():
            found = [by_key[k] for k in keys if k in by_key]
            found.sort(key=lambda e: e.published or "", reverse=True)
            groups.append((f"{QUERY_PREFIX}{name}", name, None, found))
    shelf = [s.entry for s in saved if not tag or tag in s.tags or s.entry.feed_url in tagged]
    if shelf and view != "starred":
        groups.append((SAVED_FEED, "Saved", None, shelf))
    if view == "starred":
        kept = [e for e in starred if e.feed_url in tagged] if tag else starred
        groups.append(("starred", "Starred", None, kept))
    else:
        for status in statuses:
            if tag and status.subscription.url not in tagged:
                continue
            feed_entries: Sequence[Entry] = status.feed.entries if status.feed else ()
            title = (
                status.subscription.title
                or (status.feed.title if status.feed else "")
                or status.subscription.url
            )
            groups.append((status.subscription.url, title, status.error, feed_entries))

    for feed_url, title, error, feed_entries in groups:
        if feed_filter and feed_url != feed_filter:
            continue
        if cancelled():
            raise Superseded
        virtual = feed_url == SAVED_FEED or feed_url.startswith(QUERY_PREFIX)
        saved_key = f"{feed_url}\n" if virtual else ""  # its rows' keys stay apart
        group_rows: list[StoryRow] = []
        group_entries: list[Entry] = []
        unread = 0
        for entry in feed_entries:
            key = (entry.feed_url, entry.id)
            if hidden and key in hidden:
                continue
            is_unread = key not in read
            unread += is_unread
            if view == "unread" and not is_unread:
                continue
            in_text = bool(
                needle
                and needle not in entry.title.casefold()
                and needle not in entry.summary.casefold()
            )
            if in_text and entry.url not in text_matches:
                continue
            meta = date_label(entry.published)
            if in_text:
                meta = f"in text · {meta}" if meta else "in text"
            group_rows.append(
                StoryRow(
                    kind="story",
                    key=f"{saved_key}{entry.feed_url}\n{entry.id}",
                    title=entry.title or entry.url or "(untitled)",
                    meta=meta,
                    unread=is_unread,
                    starred=key in starred_ids,
                    offline=entry.url in offline if entry.url else False,
                )
            )
            group_entries.append(entry)
        if not saved_key:  # a story in a saved search or on the shelf is counted in its feed
            unread_total += unread
            story_total += len(feed_entries)
        elif feed_url == SAVED_FEED:  # … and a page saved by its address has no other
            own = [e for e in feed_entries if e.feed_url == SAVED_FEED]
            story_total += len(own)
            unread_total += sum((e.feed_url, e.id) not in read for e in own)
        if (needle or view == "unread" or virtual) and not group_rows:
            continue
        if error and not feed_entries:
            meta = f"⚠ {error}"
        elif error:
            meta = f"⚠ {unread} unread"
        else:
            meta = f"{unread} unread" if unread else f"{len(feed_entries)}"
        rows.append(StoryRow(kind="feed", key=feed_url, title=title, meta=meta, unread=unread > 0))
        entries.append(None)
        rows.extend(group_rows)
        entries.extend(group_entries)
    return RowSet(rows, entries, unread_total, story_total)


def read_rows(
    service: NewsService,
    statuses: Sequence[FeedStatus],
    query: RowQuery,
    cancelled: Callable[[], bool] = lambda: False,
) -> RowSet:
    """(In a thread.) The story rows of `statuses` under `query`. With no rules and no saved
    searches there is nothing for them to say: the rules' engine is not imported for it (it
    was, at start-up, before the first frame)."""
    ruled = bool(service.rules or service.queries)
    return build_rows(
        statuses,
        service.read_ids(),
        service.starred(),
        view=query.view,
        query=query.text,
        feed_filter=query.feed_filter,
        tag=query.tag,
        offline=service.available_offline(),
        text_matches=service.search_text(query.text),
        cancelled=cancelled,
        saved=service.saved(),
        rules=service.rule_outcome() if ruled else None,
    )


def refreshed_statuses(
    shown: Sequence[FeedStatus], refreshed: Sequence[FeedStatus]
) -> list[FeedStatus]:
    """The feeds to show after a refresh: each refreshed feed's new status, in the order shown
    before (new feeds last). A feed that failed keeps the stories it showed, with its error;
    a feed the refresh did not ask for (a scheduled refresh asks only for the feeds that are
    due) keeps its status as it was."""
    before = {s.subscription.url: s for s in shown}
    fresh: dict[str, FeedStatus] = {}
    for status in refreshed:
        old = before.get(status.subscription.url)
        if status.feed is None and old is not None and old.feed is not None:
            status = FeedStatus(status.subscription, old.feed, status.error, status.error_at)
        fresh[status.subscription.url] = status
    kept = [fresh.pop(s.subscription.url, s) for s in shown]
    return [*kept, *fresh.values()]


def tags_of(statuses: Sequence[FeedStatus]) -> list[str]:
    """Every folder and tag of the subscriptions, sorted (what `t` cycles through)."""
    names = {name for status in statuses for name in status.subscription.labels}
    return sorted(names, key=str.casefold)
