"""Stage 0 guard: keep hostile documents from making the extractor slow.

lexbor's tree builder slows down quadratically with the nesting depth of block elements
(nested <div>s: 20,000 take 1.0 s here, 40,000 take 3.2 s, 100,000 ~40 s; nested <b> or <span>
stay linear). Real pages nest a few dozen deep, so a document is cut where its nesting first
passes rules.MAX_PARSE_DEPTH. Every later stage costs time in proportion to the number of
elements, so a document is also cut after rules.MAX_PARSE_TAGS tags: ten times the biggest
page of the development corpus, and a tenth of the tags ten megabytes of tiny elements hold
(uncut, such a page took up to 6 s here; cut, under 2 s). The tag scan costs time in
proportion to the number of tags, so it only runs on documents with very many of them
(cheaply counted in C first).
"""

from __future__ import annotations

import re

from tui.core.extract import rules

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "td",
        "tr",
        "th",
        "dt",
        "dd",
        "option",
    ]
)  # void elements, and ones whose end tag is often left out (they never nest deeply in practice)


def limit_size_and_depth(text: str) -> str:
    """`text` capped at rules.MAX_HTML_CHARS, cut where nesting passes rules.MAX_PARSE_DEPTH
    and after rules.MAX_PARSE_TAGS tags."""
    text = text[: rules.MAX_HTML_CHARS]
    # An element takes three characters at least ("<b>"): a shorter text cannot hold enough
    # tags to be slow, and is not counted (counting costs a pass over the text).
    if len(text) < 3 * rules.DEPTH_SCAN_MIN_TAGS or text.count("<") < rules.DEPTH_SCAN_MIN_TAGS:
        return text
    depth = 0
    for number, match in enumerate(_TAG.finditer(text)):
        if number == rules.MAX_PARSE_TAGS:
            return text[: match.start()]
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _VOID:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > rules.MAX_PARSE_DEPTH:
            return text[: match.start()]
    return text


def within_limits(data: bytes, text: str | None = None) -> bool:
    """True when limit_size_and_depth gives the page back whole, told from its UTF-8 `data`: no
    more characters than the cap, and too few "<" to be counted for depth. `text`: the page
    as text, when `data` was made from it (whole, or without lone surrogates as the parser
    reads it); without it, `data` is the page as fetched, whose characters are one byte at
    least. The "<" are counted in the bytes, faster than in a text: a "<" byte is always the
    character "<", in any other character's UTF-8 form and among invalid bytes alike."""
    size = len(data) if text is None else len(text)
    if size > rules.MAX_HTML_CHARS:
        return False
    return (
        size < 3 * rules.DEPTH_SCAN_MIN_TAGS
        or _opening_brackets(data, rules.DEPTH_SCAN_MIN_TAGS) < rules.DEPTH_SCAN_MIN_TAGS
    )


def _opening_brackets(data: bytes, limit: int) -> int:
    """How many "<" bytes `data` holds, counted up to `limit`: as data.count(b"<") tells, twice
    as fast (~0.27 against ~0.52 ns a byte here). bytes.count compares byte after byte;
    bytes.replace finds each "<" with memchr, which skips the bytes between them many at a
    time, so the copy without them that it makes costs less than the count it saves."""
    return len(data) - len(data.replace(b"<", b"", limit))
