"""Atom 1.0 and the older Atom 0.3, plus the RSS-world extensions podcasts add to Atom feeds.

The root <feed>'s own namespace is Atom's whatever its URI: pre-1.0 feeds used many
(`http://purl.org/atom/ns#`, `http://purl.org/echo/`, `http://purl.org/pie/`...), and tags are
matched without regard to letter case. Atom text constructs say what they hold: `type="text"`
is literal (a "<" in it is a character, not a tag), `html` is escaped HTML, `xhtml` is inline
markup inside a div. Atom 0.3 said the same with MIME types and `mode="escaped"` (escaped
markup), `"xml"` (inline markup) or `"base64"` (the text base64-encoded, decoded here). Dates: published (0.3: issued,
created), else updated (0.3: modified). Links: rel="alternate" (the default) is the page,
rel="enclosure" is an attached file.
"""

from __future__ import annotations

import base64
import binascii
import html

from lxml import etree

from tui.core.feeds.dates import parse_date
from tui.core.feeds.raw import RawEntry, RawFeed, RawMedia
from tui.core.feeds.rss import media_content
from tui.core.feeds.text import html_to_text, plain_title
from tui.core.feeds.xmltree import (
    ATOM_NAMES,
    TagNames,
    XmlDocument,
    cut_short,
    inner_html,
    own_namespaces,
    resolve_link,
    text_of,
)

_DATE_KEYS = ("published", "issued", "created", "dc:date", "updated", "modified")
_HTML_TYPES = frozenset({"html", "text/html"})
_XHTML_TYPES = frozenset({"xhtml", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text", "text/plain"})


def read_atom(document: XmlDocument, max_entries: int) -> RawFeed:
    """Read an Atom document into a RawFeed of at most `max_entries` entries."""
    names = TagNames(ATOM_NAMES, own_namespaces(ATOM_NAMES, document.root))
    feed = RawFeed(broken=document.broken)
    entries: list[etree._Element] = []
    subtitle = ""
    for child in document.root:
        key = names(child.tag)
        if key == "entry":
            entries.append(child)
        elif key == "title" and not feed.title:
            feed.title = plain_title(*_construct(child))  # (text, is_html)
        elif key in ("subtitle", "tagline") and not subtitle:
            text, is_html = _construct(child)
            subtitle = html_to_text(text, is_html=is_html)
        elif key == "link" and not feed.site_url and _rel(child) == "alternate":
            feed.site_url = resolve_link(child, child.get("href"))
    feed.description = subtitle
    if entries and cut_short(document, entries[-1]):
        entries.pop()  # the document ends inside this entry: whatever it holds is partial
    feed.entries = [raw for entry in entries[:max_entries] if (raw := _guarded(entry, names))]
    return feed


def _guarded(element: etree._Element, names: TagNames) -> RawEntry | None:
    """One entry, or None when lxml cannot hand back its text (bytes libxml2 let through)."""
    try:
        return _read_entry(element, names)
    except ValueError:  # UnicodeDecodeError from a malformed text node: lose the entry only
        return None


def _read_entry(element: etree._Element, names: TagNames) -> RawEntry:
    entry = RawEntry()
    dates: dict[str, str] = {}
    summary = ""
    summary_is_html = True
    media_summary = ""
    link_score = -1
    for child in element:
        key = names(child.tag)
        if key == "id":
            entry.guid = text_of(child).strip()
        elif key == "title":
            entry.title = plain_title(*_construct(child))
        elif key == "link":
            rel = _rel(child)
            if rel == "enclosure":
                url = resolve_link(child, child.get("href"))
                entry.media.append(RawMedia(url, child.get("type", ""), child.get("length")))
            elif rel == "alternate" and (score := _link_score(child)) > link_score:
                entry.url, link_score = resolve_link(child, child.get("href")), score
        elif key in _DATE_KEYS:
            dates.setdefault(key, text_of(child))
        elif key == "summary" or (key == "itunes:summary" and not summary):
            summary, summary_is_html = _construct(child)
        elif key == "content" and not child.get("src"):
            markup, is_html = _construct(child)
            if markup.strip():
                entry.content_html = markup if is_html else _text_as_html(markup)
        elif key in ("author", "dc:creator", "itunes:author") and not entry.author:
            entry.author = plain_title(_name_of(child, names)) or None
        elif key == "media:content":
            entry.media.append(media_content(child))
        elif key == "media:group":
            for media in child:
                media_key = names(media.tag)
                if media_key == "media:content":
                    entry.media.append(media_content(media))
                elif media_key == "media:description" and not media_summary.strip():
                    media_summary = text_of(media)
        elif key == "media:description" and not media_summary.strip():
            media_summary = text_of(child)
        elif key == "itunes:duration":
            entry.duration = text_of(child)
    for key in _DATE_KEYS:
        if key in dates and (date := parse_date(dates[key])):
            entry.published = date
            break
    if summary.strip():
        entry.summary = html_to_text(summary, is_html=summary_is_html)
    elif entry.content_html:
        entry.summary = html_to_text(entry.content_html)
    elif media_summary.strip():  # YouTube and other video feeds: the words are in media:group
        entry.summary = html_to_text(media_summary, is_html=False)
    return entry


def _construct(element: etree._Element) -> tuple[str, bool]:
    """An Atom text construct as (text, is_html); xhtml content comes back serialised as HTML."""
    kind = (element.get("type") or "").strip().lower()
    mode = (element.get("mode") or "").strip().lower()  # Atom 0.3
    if mode == "base64":
        if kind and not (kind.startswith("text/") or kind in _HTML_TYPES or kind in _XHTML_TYPES):
            return "", False  # a binary file (application/octet-stream...): nothing to read
        return _base64_text(text_of(element)), kind in _HTML_TYPES or kind in _XHTML_TYPES
    if kind in _XHTML_TYPES or mode == "xml":
        return inner_html(element), True
    if kind in _HTML_TYPES or (mode == "escaped" and kind not in _TEXT_TYPES):
        return text_of(element), True
    return text_of(element), False


def _base64_text(encoded: str) -> str:
    """Atom 0.3 mode="base64": the decoded text ("" when it is not base64), read as UTF-8."""
    try:
        data = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        return ""
    return data.decode("utf-8", "replace")


def _text_as_html(text: str) -> str:
    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    return "".join(f"<p>{html.escape(part, quote=False)}</p>" for part in paragraphs)


def _rel(link: etree._Element) -> str:
    return (link.get("rel") or "alternate").strip().lower()


def _link_score(link: etree._Element) -> int:
    """Prefer the HTML page among several alternates (others may be translations or other types)."""
    kind = (link.get("type") or "").lower()
    return 2 if kind in ("", "text/html", "application/xhtml+xml") else 1


def _name_of(person: etree._Element, names: TagNames) -> str:
    for child in person:
        if names(child.tag) == "name":
            return text_of(child)
    return text_of(person)
