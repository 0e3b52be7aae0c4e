"""The work a refresh or a prefetch hands to a worker process (or a thread): parse a fetched
feed and merge it into the stored copy, extract a fetched page and store the article. Plain
functions of the cache and plain values, so they can run in another process.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from tui.core.cache import Cache, RawResponse
from tui.core.errors import FeedError
from tui.core.models import URL_LIMIT, Article, Entry, FetchResult, Subscription
from tui.core.sanitize import clean_line


def merge_records(
    new: Sequence[dict[str, Any]],
    old: Sequence[dict[str, Any]],
    cap: int,
    keep: Collection[str],
) -> list[dict[str, Any]]:
    """New and old entry records de-duplicated by id (newest copy wins), newest first, capped
    at `cap`; entries whose id is in `keep` (starred) are never dropped by the cap.

    Records are the stored form of entries (plain dicts with at least a str "id").
    """
    seen: dict[str, dict[str, Any]] = {}
    for entry in (*new, *old):
        seen.setdefault(entry["id"], entry)
    ordered = sorted(seen.values(), key=lambda e: e.get("published") or "", reverse=True)
    if len(ordered) <= cap:
        return ordered
    return ordered[:cap] + [e for e in ordered[cap:] if e["id"] in keep]


def _entry_record(entry: Entry, feed_url: str, keep_content: bool) -> dict[str, Any]:
    """The stored form of a freshly parsed entry."""
    record = entry.to_dict()
    record["feed_url"] = clean_line(feed_url, URL_LIMIT)
    if not keep_content:
        record["content_html"] = None
    return record


def _stored_entries(data: Any, keep_content: bool) -> list[dict[str, Any]]:
    """The entry records of a stored feed; records that could not be read back are left out."""
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    usable = [
        e
        for e in entries
        if isinstance(e, dict)
        and isinstance(e.get("id"), str)
        and isinstance(e.get("published") or "", str)
    ]
    if not keep_content:
        for e in usable:
            if e.get("content_html") is not None:
                e["content_html"] = None
    return usable


def store_feed(
    cache: Cache,
    sub: Subscription,
    result: FetchResult,
    cap: int,
    starred: frozenset[str],
    keep_record: bool,
) -> tuple[dict[str, Any] | None, int]:
    """Parse a fetched feed, merge it into the stored copy and store the result: the merged
    record (when `keep_record`) and how many entries are new. CPU and disk work: runs in a
    worker process or a thread.

    The merge works on the stored plain dicts: old entries were cleaned when they were first
    built, so they are not rebuilt as models just to be written back (that was most of the
    cost of refreshing a changed feed).
    """
    from tui.core.feeds import parse_feed

    if not result.body:
        raise FeedError("empty response", sub.url)
    parsed = parse_feed(result.body, result.url, content_type=result.content_type)
    # The feed's own HTML content is kept only where it is what the reader shows; for every
    # other subscription the article page is fetched, and the plain summary is kept.
    keep_content = not sub.fetch_full
    new_entries = [_entry_record(entry, sub.url, keep_content) for entry in parsed.entries]
    old_entries = _stored_entries(cache.get_json("feed", sub.url), keep_content)
    entries = merge_records(new_entries, old_entries, cap, starred)
    record = {
        "url": sub.url,
        "title": sub.title or parsed.title or sub.url,
        "site_url": parsed.site_url,
        "description": parsed.description,
        "is_podcast": parsed.is_podcast,
        "entries": entries,
    }
    validators = {"etag": result.etag, "last_modified": result.last_modified}
    cache.set_many([("feed", sub.url, record), ("validators", sub.url, validators)])
    old_ids = {e["id"] for e in old_entries}
    return (record if keep_record else None), sum(e["id"] not in old_ids for e in entries)


def extract_and_store(
    cache: Cache, url: str, raw: RawResponse, summary: str | None = None
) -> Article:
    """Extract the article from a fetched page and cache it with the page (unless extraction
    failed). CPU and disk work: call in a thread."""
    from tui.core.extract import EXTRACTOR_VERSION, extract

    article = extract(raw.body, raw.url or url, content_type=raw.content_type, summary=summary)
    if article.source not in ("failed", "summary"):
        cache.set_many([(f"article:{EXTRACTOR_VERSION}", url, article.to_dict())], [(url, raw)])
    return article


def prefetch_page(cache: Cache, url: str, raw: RawResponse) -> str | None:
    """`extract_and_store` for prefetching, in a worker process or a thread: only the reason it
    failed comes back (None: the article is cached), not the article."""
    article = extract_and_store(cache, url, raw)
    if article.source == "failed":
        return article.error or "no article text found"
    return None


def raw_response(result: FetchResult) -> RawResponse:
    """What the cache keeps of a fetched page: its bytes and validators."""
    return RawResponse(
        result.url,
        result.body,
        result.content_type,
        result.etag,
        result.last_modified,
        result.fetched_at,
    )
