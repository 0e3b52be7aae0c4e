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
    """The first bytes as text: UTF-16/32 when a BOM or the zero bytes say so, else Latin-1
    (every byte maps)."""
    wide = wide_encoding(head)
    if wide is not None:
        codec, skip = wide
        return head[skip:].decode(codec, "ignore")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.decode("latin-1")


# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when `data` is UTF-16 or UTF-32, else None.

    A byte-order mark decides; without one, the zero bytes around the first characters do
    (XML 1.0, appendix F): a document starts with "<" or white space, ASCII either way, so
    UTF-16 BE reads 00 xx 00 xx and UTF-32 LE xx 00 00 00. UTF-8 and the 8-bit charsets never
    start with a zero byte, so the common case costs one look at four bytes.
    """
    head = data[:4]
    if b"\x00" not in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    for bom, codec in _WIDE_BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    if len(head) < 4:
        return None
    zero = [byte == 0 for byte in head]
    if zero == [True, True, True, False]:
        return "utf-32-be", 0
    if zero == [False, True, True, True]:
        return "utf-32-le", 0
    if zero == [True, False, True, False]:
        return "utf-16-be", 0
    if zero == [False, True, False, True]:
        return "utf-16-le", 0
    return None
