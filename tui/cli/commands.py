"""The subcommands of `broadsheet` that run without the terminal UI.

Each handler opens the service (`session.opened`), calls only its public methods, and prints
through `output`. The subscriptions change only through the service (`subscribe`,
`unsubscribe`, `import_opml`), the path the app takes too, so the guard that never rewrites a
config which is not valid TOML holds for every command.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from typing import TYPE_CHECKING

from tui.cli.output import (
    article_json,
    article_text,
    end_progress,
    err,
    feed_json,
    feed_text,
    out,
    progress,
    refresh_summary,
    story_json,
    story_text,
)
from tui.cli.session import opened, run_async
from tui.core.errors import BroadsheetError

if TYPE_CHECKING:
    from tui.core.models import Feed
    from tui.core.service import NewsService, RefreshProgress, RefreshReport
    from tui.core.session import Session


def run(args: argparse.Namespace) -> int:
    return _HANDLERS[args.command](args)


# -- read and feed --------------------------------------------------------------------------------


def _read(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False) as session:
        result = run_async(session, session.service.load_article(args.url))
    article = result.article
    if article.source == "failed":
        err(f"{args.url}: {article.error or 'no article text found'}")
        return 1
    if args.format == "json":
        out(json.dumps(article_json(article), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(article_text(article, markdown=args.format == "markdown"))
    return 0


def _feed(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False) as session:
        service = session.service

        async def fetch() -> Feed:
            feed = await service.fetch_feed(args.url)
            return feed if args.no_measure else await service.measure_feed(feed)

        feed = run_async(session, fetch())
    if args.format == "json":
        out(json.dumps(feed_json(feed), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(feed_text(feed))
    return 0


# -- refresh and prefetch -------------------------------------------------------------------------


def _refresh(args: argparse.Namespace) -> int:
    with opened(args, workers=()) as session:
        for error in session.config_errors:
            err(str(error))
        report = run_async(
            session,
            session.service.refresh_all(_refresh_progress, keep_feeds=False, only_due=not args.all),
        )
        end_progress()
    ok = _print_refresh(report)
    return 0 if not report.failures or ok else 1


def _refresh_progress(step: RefreshProgress) -> None:
    progress(f"{step.done}/{step.total} feeds")


def _print_refresh(report: RefreshReport) -> int:
    """Print the failures and the summary line; returns how many feeds refreshed fine."""
    for status in report.failures:
        err(f"{status.subscription.url}: {status.error}")
    out(refresh_summary(report))
    return len(report.statuses) - len(report.failures)


def _prefetch(args: argparse.Namespace) -> int:
    if args.offline:
        raise BroadsheetError("prefetch fetches articles: it cannot run with --offline")
    with opened(args, workers=("tui.core.extract",)) as session:
        for error in session.config_errors:
            err(str(error))
        return run_async(session, _prefetch_with(session, refresh=not args.no_refresh))


async def _prefetch_with(session: Session, *, refresh: bool) -> int:
    """Refresh what is due (unless told not to), then fetch and extract every unread article
    not yet available offline; with nothing to do, say why."""
    service: NewsService = session.service
    if not service.subscriptions:
        out("Nothing to prefetch: no subscriptions (broadsheet add URL subscribes to a feed).")
        return 0
    start = time.perf_counter()
    if refresh:
        report = await service.refresh_all(_refresh_progress, keep_feeds=False, only_due=True)
        end_progress()
        _print_refresh(report)
    plan = await asyncio.to_thread(service.prefetch_plan)
    if not plan.stories:
        out(
            "Nothing to prefetch: no stories yet, as no feed could be fetched."
            if refresh
            else "Nothing to prefetch: no stories in the cache (prefetch without --no-refresh "
            "fetches the feeds first)."
        )
        return 0
    if not plan.unread:
        out("Nothing to prefetch: no unread stories.")
        return 0
    if not plan.todo:
        out(
            f"Nothing to prefetch: every unread article ({len(plan.unread)}) is already "
            "available offline."
        )
        return 0

    def on_page(done: int, total: int, url: str, error: str | None) -> None:
        progress(f"{done}/{total} articles")

    fetched, failures = await service.prefetch(plan.todo, on_page)
    end_progress()
    for url, reason in failures:
        err(f"{url}: {reason}")
    out(
        f"Made {fetched} articles available offline in {time.perf_counter() - start:.1f} s; "
        f"{len(failures)} failed."
    )
    return 0


# -- subscriptions --------------------------------------------------------------------------------


def _usable(session: Session) -> NewsService:
    """The service, once the config is known to be usable: a file that is not valid TOML (or
    cannot be read) stops the command with its error, before anything is fetched or written."""
    if session.unusable_config is not None:
        raise session.unusable_config
    return session.service


def _add(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False) as session:
        service = _usable(session)
        feeds = run_async(session, service.discover(args.url))
        if not feeds:
            raise BroadsheetError("no feed found at this address", args.url)
        feed_url, found_title = feeds[0]
        title = args.title or found_title
        from tui.core.service import Subscription

        notice = service.subscribe(Subscription(feed_url, title, args.folder))
    out(f"Subscribed to {feed_url}" + (f" ({title})" if title else ""))
    if notice:
        err(notice)
    for other, other_title in feeds[1:]:
        out(f"  also offered: {other}" + (f" ({other_title})" if other_title else ""))
    return 0


def _remove(args: argparse.Namespace) -> int:
    # Not offline: with sync set up, the server unsubscribes too.
    with opened(args, sample_only=False, first_run=False) as session:
        notice = _usable(session).unsubscribe(args.url)
    out(f"Unsubscribed from {args.url}")
    if notice:
        err(notice)
    return 0


def _list(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False, offline=True) as session:
        service = _usable(session)
        for sub in service.user_subscriptions():
            folder = f"[{sub.folder}] " if sub.folder else ""
            out(f"{folder}{sub.title or ''}  {sub.url}".strip())
        for sub in service.server_subscriptions():
            folder = f"[{sub.folder}] " if sub.folder else ""
            out(f"{folder}{sub.title or ''}  {sub.url}  (from the sync server)".strip())
        if service.includes_sample_edition():
            out("(plus the bundled sample edition)")
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise BroadsheetError(f"cannot read ({type(error).__name__})", str(args.file)) from None
    with opened(args, sample_only=False, first_run=False, offline=True) as session:
        added, total = _usable(session).import_opml(data)
    out(f"Imported {added} new feeds ({total} in all).")
    return 0


def _export(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False, offline=True) as session:
        sys.stdout.write(_usable(session).export_opml())
    return 0


# -- cache ----------------------------------------------------------------------------------------


def _cache(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False, offline=True) as session:
        service = session.service
        if args.action == "clear":
            removed = service.clear_cache()
            directory = service.cache_info().directory
            out(
                f"Cleared {removed} cache entries from {directory} (your read and starred state is kept)."
            )
            return 0
        stats = service.cache_info()
        oldest = (
            time.strftime("%Y-%m-%d %H:%M", time.localtime(stats.oldest)) if stats.oldest else "—"
        )
        out(f"Cache:     {stats.directory}")
        out(f"Size:      {stats.size_bytes / 2**20:.1f} MiB")
        out(f"Entries:   {stats.entries}")
        out(f"Articles available offline: {stats.articles}")
        out(f"Images:    {stats.images} ({stats.image_bytes / 2**20:.1f} MiB)")
        out(f"Oldest:    {oldest}")
        return 0


# -- sync, stories and marks ---------------------------------------------------------------------


def _sync(args: argparse.Namespace) -> int:
    """Sync once and print one summary line; any failure is one plain line (and exit 1)."""
    with opened(args, sample_only=False, first_run=False) as session:
        service = _usable(session)
        if not service.sync_configured:
            bad = next((e for e in session.config_errors if e.reason.startswith("[sync]")), None)
            raise bad or BroadsheetError(
                "sync is not set up: add a [sync] table to the config (see README, Sync)",
                str(session.config_path),
            )
        summary = run_async(session, service.sync(_sync_progress))
        end_progress()
    out(summary.line())
    return 0


def _sync_progress(step: str) -> None:
    progress(f"Syncing: {step}…")


def _stories(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False, offline=True) as session:
        if args.saved:
            stories = session.service.saved_stories()
            if args.feed:
                stories = [s for s in stories if s.entry.feed_url == args.feed]
        else:
            stories = session.service.stories(
                unread=args.unread, starred=args.starred, feed=args.feed
            )
            if not args.all and session.service.rules:
                # What the app's list shows: the stories a "hide" rule matches are left out.
                hidden = session.service.rule_outcome().hidden
                stories = [s for s in stories if (s.entry.feed_url, s.entry.id) not in hidden]
    if args.format == "json":
        rows = [json.dumps(story_json(s), ensure_ascii=False) for s in stories]
        out("[\n" + ",\n".join(rows) + "\n]" if rows else "[]")
    else:
        for story in stories:
            out(story_text(story))
    return 0


def _mark(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False, offline=True) as session:
        unknown = session.service.mark_urls(args.action, args.urls)
    for url in unknown:
        err(f"{url}: no story has this address")
    done = len(dict.fromkeys(args.urls)) - len(unknown)
    if done:
        verb = {"read": "read", "unread": "unread", "star": "starred", "unstar": "unstarred"}
        out(f"Marked {done} stor{'ies' if done != 1 else 'y'} {verb[args.action]}.")
    return 1 if unknown else 0


# -- saved for later ------------------------------------------------------------------------------


def _save(args: argparse.Namespace) -> int:
    if not re.match(r"^https?://\S+$", args.url):
        err(f"{args.url}: not an http(s) address")
        return 2
    with opened(args, sample_only=False, first_run=False) as session:
        result = run_async(session, session.service.save(args.url, tags=args.tag))
    out(f"{result.story.entry.title}: {result.notice}")
    return 0 if result.story.readable else 1


def _unsave(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False, offline=True) as session:
        removed = session.service.unsave(args.url)
    if not removed:
        err(f"{args.url}: not saved")
        return 1
    out("Removed from the saved stories.")
    return 0


def _export_article(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False) as session:
        service = session.service
        try:
            path = run_async(
                session, service.export_article(args.url, folder=args.dir, format=args.format)
            )
        except OSError as error:
            err(f"cannot write the file: {error.strerror or error}")
            return 1
    out(str(path))
    return 0


def _share(args: argparse.Namespace) -> int:
    with opened(args, sample_only=False, first_run=False) as session:
        service = session.service
        shares = service.shares
        if not shares:
            err('no [[share]] command in the config (see the README\'s "Export and send-to")')
            return 2
        chosen = next((s for s in shares if s.name == args.to), None) if args.to else shares[0]
        if chosen is None:
            err(f"{args.to}: no [[share]] of that name (" + ", ".join(s.name for s in shares) + ")")
            return 2
        title = ""
        if any("{title}" in arg for arg in chosen.command):  # else no story need be read
            listed = (*service.saved_stories(), *service.stories())
            title = next((s.entry.title for s in listed if s.entry.url == args.url), "")
            if not title:  # a page no feed lists: its article's title
                title = run_async(session, service.load_article(args.url)).article.title
        outcome = run_async(session, service.share(chosen, args.url, title))
    (out if outcome.ok else err)(outcome.line())
    return 0 if outcome.ok else 1


_HANDLERS = {
    "read": _read,
    "feed": _feed,
    "refresh": _refresh,
    "prefetch": _prefetch,
    "add": _add,
    "remove": _remove,
    "list": _list,
    "import": _import,
    "export": _export,
    "cache": _cache,
    "sync": _sync,
    "stories": _stories,
    "mark": _mark,
    "save": _save,
    "unsave": _unsave,
    "export-article": _export_article,
    "share": _share,
}
