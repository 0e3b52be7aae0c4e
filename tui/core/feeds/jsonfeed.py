"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read defensively.

The document is untrusted JSON: every field is type-checked before use and anything of the
wrong type is treated as absent, so a feed with `"title": 42` or `"items": {}` loses that field,
not the whole feed. Decoding limits: Python refuses integers over 4,300 digits and deep nesting
raises RecursionError; both become "not a feed" in parse_feed.
"""

from __future__ import annotations

import json
from typing import Any

from tui.core.feeds.dates import parse_date
from tui.core.feeds.raw import RawEntry, RawFeed, RawMedia
from tui.core.feeds.text import html_to_text, http_url, plain_title


class NotJsonFeed(ValueError):
    """The bytes are JSON (or meant to be) but not a JSON Feed."""


def read_json_feed(data: bytes, url: str, max_entries: int) -> RawFeed:
    """Read a JSON Feed into a RawFeed of at most `max_entries` items."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise NotJsonFeed("not a feed (broken JSON)") from error
    if not isinstance(document, dict):
        raise NotJsonFeed("not a feed (JSON, but not a JSON Feed)")
    version = _text(document.get("version"))
    items = document.get("items")
    if "jsonfeed.org" not in version and not isinstance(items, list):
        raise NotJsonFeed("not a feed (JSON, but not a JSON Feed)")
    base = http_url(_text(document.get("feed_url")), url) or url
    feed = RawFeed(
        title=plain_title(_text(document.get("title")), is_html=False),
        site_url=http_url(_text(document.get("home_page_url")), base),
        description=html_to_text(_text(document.get("description")), is_html=False),
    )
    if isinstance(items, list):
        feed.entries = [
            _read_item(item, base) for item in items[:max_entries] if isinstance(item, dict)
        ]
    return feed


def _read_item(item: dict[str, Any], base: str) -> RawEntry:
    entry = RawEntry(
        guid=_text(item.get("id"), allow_number=True).strip(),
        title=plain_title(_text(item.get("title")), is_html=False),
        url=http_url(_text(item.get("url")), base)
        or http_url(_text(item.get("external_url")), base),
        published=parse_date(_text(item.get("date_published")))
        or parse_date(_text(item.get("date_modified"))),
        author=_author(item),
    )
    content_html = _text(item.get("content_html"))
    content_text = _text(item.get("content_text"))
    if content_html:
        entry.content_html = content_html
    summary = _text(item.get("summary"))
    if summary:
        entry.summary = html_to_text(summary, is_html=False)
    elif content_text:
        entry.summary = html_to_text(content_text, is_html=False)
    elif content_html:
        entry.summary = html_to_text(content_html)
    attachments = item.get("attachments")
    if isinstance(attachments, list):
        for attachment in attachments[:20]:
            if isinstance(attachment, dict):
                entry.media.append(
                    RawMedia(
                        http_url(_text(attachment.get("url")), base),
                        _text(attachment.get("mime_type")),
                        _number(attachment.get("size_in_bytes")),
                        _number(attachment.get("duration_in_seconds")),
                    )
                )
    return entry


def _author(item: dict[str, Any]) -> str | None:
    """The first author's name: 1.1 `authors` list, else the 1.0 `author` object."""
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    for author in candidates[:10]:
        if isinstance(author, dict):
            name = plain_title(_text(author.get("name")), is_html=False)
            if name:
                return name
    return None


def _text(value: object, allow_number: bool = False) -> str:
    """`value` when it is a string (or, for ids, a number written as text); else ""."""
    if isinstance(value, str):
        return value
    if allow_number and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _number(value: object) -> int | float | None:
    """A finite, non-negative number, or None (strings, booleans, NaN and infinities are refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        return None
    return value
