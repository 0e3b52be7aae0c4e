"""Say what a body is from its first few KB: a feed (and which kind), an HTML page, or unknown.

Cheap on purpose: it looks past the XML prolog (declaration, comments, processing instructions,
a doctype) at the first element's name, and at the first character of JSON. The bytes decide;
a server's Content-Type is often wrong ("text/html" for RSS, "application/rss+xml" for an
error page), so it is only a hint when the body says nothing.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["rss", "atom", "json", "html"]

SNIFF_BYTES = 8192
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE\s+(?!html\b)[^\[>]*(?:\[.*?\])?\s*>)",
    re.IGNORECASE | re.DOTALL,
)
_FIRST_TAG = re.compile(r"\s*<(!DOCTYPE\s+html\b|[A-Za-z_][\w.:-]*)", re.IGNORECASE)
_ROOTS: dict[str, Kind] = {
    "rss": "rss",
    "rdf": "rss",
    "channel": "rss",
    "feed": "atom",
    "html": "html",
    "!doctype html": "html",
    "head": "html",
    "body": "html",
}
_JSON_FEED = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/|"items"\s*:\s*\[')


def sniff(data: bytes) -> Kind | None:
    """The kind of document `data` starts like, or None when it is none of these."""
    text = _head_text(data[:SNIFF_BYTES])
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "json" if _JSON_FEED.search(stripped) else None
    position = 0
    while match := _PROLOG.match(text, position):  # each match consumes at least "<?", "<!"
        position = match.end()
    first = _FIRST_TAG.match(text, position)
    if first is None:
        return None
    name = " ".join(first.group(1).lower().split())
    return _ROOTS.get(name.rpartition(":")[2]) or _ROOTS.get(name)


def _head_text(head: bytes) -> str:
    """The first bytes as text: UTF-16 when a BOM says so, else Latin-1 (every byte maps)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.decode("latin-1")
