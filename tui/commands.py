"""The subcommands of `broadsheet` that run without the terminal UI.

Everything printed passes through the models' sanitiser, so no escape sequence from a page or
feed reaches the user's terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from tui.cli import open_from_args
from tui.core.config import Subscription, load_config, save_config, with_feed, without_feed
from tui.core.errors import BroadsheetError, ConfigError
from tui.core.models import Article, Episode, Feed
from tui.core.sanitize import clean_line


def run(args: argparse.Namespace) -> int:
    handler = _HANDLERS[args.command]
    return handler(args)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(f"broadsheet: {clean_line(text, 2000)}\n")


# -- read -----------------------------------------------------------------------------------------


def episode_json(episode: Episode) -> dict[str, Any]:
    return {
        "title": episode.title,
        "url": episode.url,
        "duration_seconds": episode.duration_seconds,
        "duration": episode.duration,
        "estimated": episode.estimated,
    }


def article_json(article: Article) -> dict[str, Any]:
    return {
        "url": article.url,
        "title": article.title,
        "byline": article.byline,
        "published": article.published,
        "site_name": article.site_name,
        "lang": article.lang,
        "lede": article.lede,
        "text": article.text,
        "links": [{"text": link.text, "url": link.url} for link in article.links],
        "episodes": [episode_json(e) for e in article.episodes],
        "source": article.source,
    }


def article_text(article: Article, markdown: bool = False) -> str:
    lines: list[str] = []
    title = article.title or article.url
    lines.append(f"# {title}" if markdown else title)
    meta = " · ".join(
        x for x in (article.site_name, article.byline, (article.published or "")[:10]) if x
    )
    if meta:
        lines.append(f"*{meta}*" if markdown else meta)
    lines.append("")
    if article.lede:
        lines += [f"**{article.lede}**" if markdown else article.lede, ""]
    for block in article.blocks:
        if not markdown:
            lines += [block.text, ""]
        elif block.kind == "heading":
            lines += [f"{'#' * max(2, min(block.level or 2, 6))} {block.text}", ""]
        elif block.kind == "list_item":
            lines.append(f"- {block.text}")
        elif block.kind == "quote":
            lines += [f"> {block.text}", ""]
        elif block.kind == "pre":
            lines += ["```", block.text, "```", ""]
        elif block.kind == "caption":
            lines += [f"*{block.text}*", ""]
        else:
            lines += [block.text, ""]
    if article.links:
        lines += ["## Links" if markdown else "Links", ""]
        lines += [f"[{n}] {link.text} <{link.url}>" for n, link in enumerate(article.links, 1)]
        lines.append("")
    if article.episodes:
        lines += ["## Episodes" if markdown else "Episodes", ""]
        lines += [f"{e.duration or '—':>8}  {e.title}  <{e.url}>" for e in article.episodes]
        lines.append("")
    if article.source == "summary":
        lines.append("(summary only: the page had no readable article)")
    return "\n".join(lines).rstrip() + "\n"


def _read(args: argparse.Namespace) -> int:
    session = open_from_args(args, sample_only=False, first_run=False)
    try:
        result = asyncio.run(_with_service(session, session.service.load_article(args.url)))
    finally:
        _close(session)
    article = result.article
    if article.source == "failed":
        _err(f"{args.url}: {article.error or 'no article text found'}")
        return 1
    if args.format == "json":
        _out(json.dumps(article_json(article), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(article_text(article, markdown=args.format == "markdown"))
    return 0


def _close(session: Any) -> None:
    """Close the session, telling the user once about anything that went wrong with storage."""
    notices = [*session.notices, session.service.cache.notice, session.service.state.notice]
    for notice in dict.fromkeys(n for n in notices if n):
        _err(notice)
    session.close()


async def _with_service(session: Any, coro: Any) -> Any:
    try:
        return await coro
    finally:
        await session.service.aclose()


# -- feed -----------------------------------------------------------------------------------------


def feed_json(feed: Feed) -> dict[str, Any]:
    return {
        "url": feed.url,
        "title": feed.title,
        "site_url": feed.site_url,
        "entries": [
            {
                "id": e.id,
                "title": e.title,
                "url": e.url,
                "published": e.published,
                "summary": e.summary,
                "episodes": [episode_json(ep) for ep in e.episodes],
            }
            for e in feed.entries
        ],
    }


def _feed(args: argparse.Namespace) -> int:
    session = open_from_args(args, sample_only=False, first_run=False)
    try:
        feed = asyncio.run(_with_service(session, session.service.fetch_feed(args.url)))
    finally:
        _close(session)
    if args.format == "json":
        _out(json.dumps(feed_json(feed), ensure_ascii=False, indent=2))
        return 0
    _out(feed.title)
    if feed.site_url:
        _out(feed.site_url)
    _out()
    for entry in feed.entries:
        when = (entry.published or "")[:10]
        lengths = " ".join(f"[{ep.duration or '—'}]" for ep in entry.episodes)
        _out(f"{when:10}  {entry.title} {lengths}".rstrip())
        if entry.url:
            _out(f"{'':10}  {entry.url}")
    return 0


# -- refresh and prefetch -------------------------------------------------------------------------


def _start_workers(args: argparse.Namespace, warm: tuple[str, ...] = ()) -> Any:
    """Worker processes for parsing and extraction (importing `warm` meanwhile), or None.
    Called first thing: the workers are forked now, before this process opens a database or
    starts a thread."""
    if args.offline:
        return None
    from tui.core.workers import Workers

    return Workers.create(warm=warm)


def _refresh(args: argparse.Namespace) -> int:
    workers = _start_workers(args)
    try:
        session = open_from_args(args)
        session.service.workers = workers
        for error in session.config_errors:
            _err(str(error))
        try:
            report = asyncio.run(
                _with_service(session, session.service.refresh_all(keep_feeds=False))
            )
        finally:
            _close(session)
    finally:
        if workers is not None:
            workers.close()
    for status in report.failures:
        _err(f"{status.subscription.url}: {status.error}")
    ok = len(report.statuses) - len(report.failures)
    _out(
        f"Refreshed {ok} of {len(report.statuses)} feeds in {report.seconds:.1f} s: "
        f"{report.new_entries} new entries, {len(report.failures)} failed."
    )
    return 0 if not report.failures or ok else 1


def _prefetch(args: argparse.Namespace) -> int:
    workers = _start_workers(args, warm=("tui.core.extract",))
    try:
        return _prefetch_with(args, workers)
    finally:
        if workers is not None:
            workers.close()


def _prefetch_with(args: argparse.Namespace, workers: Any) -> int:
    session = open_from_args(args)
    service = session.service
    service.workers = workers

    async def go() -> tuple[int, list[tuple[str, str]]]:
        statuses = await asyncio.to_thread(service.statuses)
        read = await asyncio.to_thread(service.state.read_ids)
        urls = [
            e.url
            for s in statuses
            if s.feed
            for e in s.feed.entries
            if e.url and (e.feed_url, e.id) not in read
        ]

        def progress(done: int, total: int, url: str, error: str | None) -> None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{done}/{total} articles")
                sys.stderr.flush()

        return await service.prefetch(urls, progress)

    start = time.perf_counter()
    try:
        fetched, failures = asyncio.run(_with_service(session, go()))
    finally:
        _close(session)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    for url, reason in failures:
        _err(f"{url}: {reason}")
    _out(
        f"Made {fetched} articles available offline in {time.perf_counter() - start:.1f} s; {len(failures)} failed."
    )
    return 0


# -- subscriptions --------------------------------------------------------------------------------


def _load_for_edit(args: argparse.Namespace) -> Any:
    from tui.core import paths

    path = args.config or paths.config_file()
    config, errors = load_config(path)
    bad = [e for e in errors if "not valid TOML" in e.reason]
    if bad:
        raise bad[0]
    return path, config


def _add(args: argparse.Namespace) -> int:
    _load_for_edit(args)  # refuses to rewrite a config that is not valid TOML
    session = open_from_args(args, sample_only=False, first_run=False)
    try:
        feeds = asyncio.run(_with_service(session, session.service.discover(args.url)))
        if not feeds:
            raise BroadsheetError("no feed found at this address", args.url)
        feed_url, found_title = feeds[0]
        title = args.title or found_title
        session.service.subscribe(Subscription(feed_url, title, args.folder))
    finally:
        _close(session)
    _out(f"Subscribed to {feed_url}" + (f" ({title})" if title else ""))
    for other, other_title in feeds[1:]:
        _out(f"  also offered: {other}" + (f" ({other_title})" if other_title else ""))
    return 0


def _remove(args: argparse.Namespace) -> int:
    path, config = _load_for_edit(args)
    if not any(f.url == args.url for f in config.feeds):
        raise ConfigError(f"not subscribed to {args.url}", str(path))
    save_config(without_feed(config, args.url), path)
    _out(f"Unsubscribed from {args.url}")
    return 0


def _list(args: argparse.Namespace) -> int:
    _path, config = _load_for_edit(args)
    for sub in config.feeds:
        folder = f"[{sub.folder}] " if sub.folder else ""
        _out(f"{folder}{sub.title or ''}  {sub.url}".strip())
    if config.settings.sample_edition:
        _out("(plus the bundled sample edition)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from tui.core.opml import parse_opml

    path, config = _load_for_edit(args)
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise BroadsheetError(f"cannot read ({type(error).__name__})", str(args.file)) from None
    before = len(config.feeds)
    for item in parse_opml(data):
        config = with_feed(config, Subscription(item.url, item.title or None, item.folder))
    save_config(config, path)
    _out(f"Imported {len(config.feeds) - before} new feeds ({len(config.feeds)} in all).")
    return 0


def _export(args: argparse.Namespace) -> int:
    from tui.core.opml import OpmlFeed, write_opml

    _, config = _load_for_edit(args)
    sys.stdout.write(write_opml(OpmlFeed(s.url, s.title or "", s.folder) for s in config.feeds))
    return 0


# -- cache ----------------------------------------------------------------------------------------


def _cache(args: argparse.Namespace) -> int:
    session = open_from_args(args, sample_only=False, first_run=False)
    try:
        cache = session.service.cache
        if args.action == "clear":
            removed = cache.clear()
            _out(
                f"Cleared {removed} cache entries from {cache.directory} (your read and starred state is kept)."
            )
            return 0
        stats = cache.stats()
        oldest = (
            time.strftime("%Y-%m-%d %H:%M", time.localtime(stats.oldest)) if stats.oldest else "—"
        )
        _out(f"Cache:     {stats.directory}")
        _out(f"Size:      {stats.size_bytes / 2**20:.1f} MiB")
        _out(f"Entries:   {stats.entries}")
        _out(f"Articles available offline: {stats.articles}")
        _out(f"Oldest:    {oldest}")
        return 0
    finally:
        _close(session)


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
}
