"""Find the feeds a web page announces, and tell a feed from a page without parsing it.

`discover_feeds` reads `<link rel="alternate" type="application/rss+xml" href="...">` and its
Atom and JSON Feed siblings from a page's HTML, resolving each href against `<base href>` or
the page's URL. `looks_like_feed` is the cheap check that decides whether a downloaded body is
already a feed (so `broadsheet add URL` takes either a feed's or a site's address).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from selectolax.lexbor import LexborHTMLParser

from tui.core.charset import decode_html
from tui.core.feeds.sniff import sniff
from tui.core.feeds.text import http_url, plain_title

FeedKind = Literal["rss", "atom", "json"]

MAX_FEEDS = 50
HEAD_CHARS = 512 * 1024  # <link> elements live in the head; a huge body need not be parsed

_TYPES: dict[str, FeedKind] = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/x-rss+xml": "rss",
    "text/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/x-atom+xml": "atom",
    "application/feed+json": "json",
    "application/json+feed": "json",
}
_GENERIC_TYPES = frozenset({"text/xml", "application/xml"})  # only when the href says "feed"
_FEED_CONTENT_TYPES = frozenset({*_TYPES, "application/rss", "application/atom"})


@dataclass(frozen=True, slots=True)
class DiscoveredFeed:
    """A feed a page links to: its absolute URL, the title the page gives it, and its format."""

    url: str
    title: str | None
    kind: FeedKind


def discover_feeds(html: bytes | str, page_url: str) -> list[DiscoveredFeed]:
    """The feeds `html` (the page at `page_url`) announces, in page order, without duplicates."""
    text = decode_html(html) if isinstance(html, bytes) else html
    try:
        tree = LexborHTMLParser(text[:HEAD_CHARS])
    except Exception:  # selectolax raises on some pathological input; no feeds, not a crash
        return []
    base = page_url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = http_url(base_node.attributes.get("href"), page_url) or page_url
    found: dict[str, DiscoveredFeed] = {}
    for node in tree.css("link[rel][href]"):
        attributes = node.attributes
        rels = (attributes.get("rel") or "").lower().split()
        if "alternate" not in rels and "feed" not in rels:
            continue
        kind = _kind(attributes.get("type"), attributes.get("href") or "")
        url = http_url(attributes.get("href"), base) if kind else None
        if kind is None or url is None or url in found:
            continue
        found[url] = DiscoveredFeed(url, plain_title(attributes.get("title")) or None, kind)
        if len(found) >= MAX_FEEDS:
            break
    return list(found.values())


def _kind(declared: str | None, href: str) -> FeedKind | None:
    media_type = (declared or "").split(";")[0].strip().lower()
    if media_type in _TYPES:
        return _TYPES[media_type]
    if media_type in _GENERIC_TYPES and any(w in href.lower() for w in ("rss", "atom", "feed")):
        return "atom" if "atom" in href.lower() else "rss"
    if media_type == "application/json" and "feed" in href.lower():
        return "json"
    return None


def looks_like_feed(data: bytes, content_type: str | None) -> bool:
    """True when `data` starts like RSS, Atom or JSON Feed.

    The body decides: servers label feeds text/html and error pages application/rss+xml. The
    Content-Type only counts when the body's start says nothing either way.
    """
    kind = sniff(data)
    if kind is not None:
        return kind != "html"
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type in _FEED_CONTENT_TYPES and bool(data.strip())
