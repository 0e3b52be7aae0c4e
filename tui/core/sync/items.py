"""What the Google Reader API hands out, as plain values: ids, feeds and items.

Kept apart from greader.py (the HTTP client) so the engine, the queue and the service can use
these types without loading httpx or the feed parsers at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ITEM_PREFIX = "tag:google.com,2005:reader/item/"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LABEL_PREFIX = "user/-/label/"
_HEX = re.compile(r"^[0-9a-fA-F]{1,16}$")
_DECIMAL = re.compile(r"^-?[0-9]{1,20}$")


def item_id(raw: object) -> str | None:
    """The one form of an item id: 16 lower-case hex digits; None when `raw` is not an id.

    Accepts the long form (`tag:google.com,2005:reader/item/000000000000001f`), the short form
    (decimal `"31"`, negative for ids with the top bit set, as Google Reader sent them) and ints.
    """
    value: int
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if text.startswith(ITEM_PREFIX):
            digits = text[len(ITEM_PREFIX) :]
            if not _HEX.match(digits):
                return None
            value = int(digits, 16)
        elif _DECIMAL.match(text):
            value = int(text)
        else:
            return None
    else:
        return None
    if value < 0:
        value += 2**64
    if not 0 <= value < 2**64:
        return None
    return f"{value:016x}"


def long_id(hex_id: str) -> str:
    """The long form of a normalised id, as requests send it."""
    return ITEM_PREFIX + hex_id


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A feed the account follows: `id` is the server's stream id (`feed/...`)."""

    id: str
    url: str
    title: str
    site_url: str | None = None
    folders: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Enclosure:
    url: str
    mime_type: str = ""
    size_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One story as the server has it, already sanitised (plain-text title, http(s) URL or None).

    `id` is the normalised 16-hex-digit id; `crawled_ms` is when the server got the item
    (crawlTimeMsec, else timestampUsec / 1000, else the publication time).
    """

    id: str
    stream_id: str
    title: str
    url: str | None
    published: str | None
    crawled_ms: int
    read: bool
    starred: bool
    summary: str = ""
    content_html: str | None = None
    author: str | None = None
    feed_title: str = ""
    enclosures: tuple[Enclosure, ...] = ()
