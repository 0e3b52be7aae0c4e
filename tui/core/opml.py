"""Subscriptions in and out as OPML, the format every feed reader imports and exports.

Import walks the outline tree: an outline with an `xmlUrl` is a feed; one without, holding
others, is a folder, and nested folders are joined with "/" ("News/World"). Attribute names
are matched without regard to case (readers write xmlUrl, xmlurl and XMLURL). Only http(s)
feeds are kept (`feed://` is read as `http://`), the first of duplicate URLs wins.
The XML is parsed with the same hardened parser settings as feeds: no entity expansion, no DTD,
no network, only the bytes in hand.

Export writes OPML 2.0 with a folder outline per folder path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formatdate

from lxml import etree

from tui.core.errors import FeedError
from tui.core.feeds.text import http_url, plain_title
from tui.core.feeds.xmltree import repair, safe_parser

MAX_FEEDS = 10_000
MAX_DEPTH = 20
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription: the feed's URL, its title ("" when none) and its folder path or None."""

    url: str
    title: str = ""
    folder: str | None = None


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds listed in an OPML document, in document order. Raises FeedError when it is not OPML."""
    try:
        root = etree.fromstring(repair(data), safe_parser())
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None or _local(root.tag) != "opml":
        raise FeedError("not an OPML file")
    feeds: dict[str, OpmlFeed] = {}
    for body in root:
        if _local(body.tag) == "body":
            _walk(body, [], feeds, 0)
    return list(feeds.values())


def _walk(parent: etree._Element, path: list[str], feeds: dict[str, OpmlFeed], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    for outline in parent:
        if _local(outline.tag) != "outline" or len(feeds) >= MAX_FEEDS:
            continue
        try:
            attributes = {key.lower(): value for key, value in outline.attrib.items()}
        except ValueError:  # malformed bytes libxml2 let through: skip this outline only
            continue
        title = plain_title(attributes.get("title") or attributes.get("text"), is_html=False)
        url = _feed_url(attributes)
        if url is not None:
            if title == url:  # exporters write the URL as text when a feed has no title
                title = ""
            if url not in feeds:
                feeds[url] = OpmlFeed(url, title, "/".join(path) or None)
        elif len(outline):
            _walk(outline, [*path, title] if title else path, feeds, depth + 1)


def _feed_url(attributes: dict[str, str]) -> str | None:
    raw = attributes.get("xmlurl")
    if raw is None and attributes.get("type", "").lower() in ("rss", "atom"):
        raw = attributes.get("url")  # some exporters put the feed in url=
    if not raw:
        return None
    raw = raw.strip()
    if raw.lower().startswith("feed://"):
        raw = "http://" + raw[7:]
    elif raw.lower().startswith("feed:"):
        raw = raw[5:]
    return http_url(raw, None)


def _local(tag: object) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def write_opml(feeds: Iterable[OpmlFeed], title: str = "Broadsheet subscriptions") -> str:
    """An OPML 2.0 document of `feeds`, folders as nested outlines in first-seen order."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _xml_text(title)
    etree.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for feed in feeds:
        parent = _folder(body, feed.folder, folders)
        name = _xml_text(feed.title) or _xml_text(feed.url)
        etree.SubElement(
            parent, "outline", type="rss", text=name, title=name, xmlUrl=_xml_text(feed.url)
        )
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _folder(
    body: etree._Element, path: str | None, folders: dict[str, etree._Element]
) -> etree._Element:
    """The outline for folder `path` ("A/B"), creating it and its parents on first use."""
    parent = body
    so_far: list[str] = []
    for part in (path or "").split("/"):
        part = _xml_text(part).strip()
        if not part:
            continue
        so_far.append(part)
        key = "/".join(so_far)
        if key not in folders:
            folders[key] = etree.SubElement(parent, "outline", text=part, title=part)
        parent = folders[key]
    return parent


def _xml_text(text: str | None) -> str:
    """`text` without the characters XML 1.0 cannot hold (lxml refuses them)."""
    return _XML_UNSAFE.sub("", text or "")
