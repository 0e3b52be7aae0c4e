"""Atom 1.0 and the older Atom 0.3, plus the RSS-world extensions podcasts add to Atom feeds.

Atom text constructs say what they hold: `type="text"` is literal (a "<" in it is a character,
not a tag), `html` is escaped HTML, `xhtml` is inline markup inside a div. Atom 0.3 said the
same with `mode="escaped"`/`"xml"`/`"base64"` and MIME types. Dates: published (0.3: issued,
created), else updated (0.3: modified). Links: rel="alternate" (the default) is the page,
rel="enclosure" is an attached file.
"""

from __future__ import annotations

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
    local_name,
    resolve_link,
    text_of,
)

_DATE_KEYS = ("published", "issued", "created", "dc:date", "updated", "modified")
_HTML_TYPES = frozenset({"html", "text/html"})
_XHTML_TYPES = frozenset({"xhtml", "application/xhtml+xml"})


def read_atom(document: XmlDocument, max_entries: int) -> RawFeed:
    """Read an Atom document into a RawFeed of at most `max_entries` entries."""
    names = TagNames(ATOM_NAMES)
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
                if names(media.tag) == "media:content":
                    entry.media.append(media_content(media))
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
    return entry


def _construct(element: etree._Element) -> tuple[str, bool]:
    """An Atom text construct as (text, is_html); xhtml content comes back serialised as HTML."""
    kind = (element.get("type") or "text").strip().lower()
    mode = (element.get("mode") or "").strip().lower()  # Atom 0.3
    if mode == "base64":
        return "", False
    if kind in _XHTML_TYPES or mode == "xml":
        return _inner_html(element), True
    if kind in _HTML_TYPES or mode == "escaped":
        return text_of(element), True
    return text_of(element), False


def _inner_html(element: etree._Element) -> str:
    """The markup inside an xhtml construct (inside its wrapping div), as namespace-free HTML."""
    container = element
    if (
        len(element) == 1
        and local_name(element[0].tag) == "div"
        and not (element.text or "").strip()
    ):
        container = element[0]
    parts = [html.escape(container.text or "", quote=False)]
    for child in container:
        if isinstance(child.tag, str):
            parts.append(etree.tostring(_plain_copy(child), encoding="unicode", method="html"))
        else:
            parts.append(html.escape(child.tail or "", quote=False))
    return "".join(parts)


def _plain_copy(node: etree._Element) -> etree._Element:
    """A copy of `node` with every namespace removed, so it serialises as ordinary HTML.

    Copies rather than renames: a renamed element still inherits its ancestors' xmlns and
    lxml writes it out on every child.
    """
    copy = etree.Element(local_name(node.tag) or "span")
    for name, value in node.attrib.items():
        if "}" not in name:  # namespaced attributes (xml:lang, xlink:href) mean nothing in HTML
            copy.set(name, value)
    copy.text = node.text
    copy.tail = node.tail
    for child in node:
        if isinstance(child.tag, str):
            copy.append(_plain_copy(child))
        elif child.tail:
            last = copy[-1] if len(copy) else None
            if last is None:
                copy.text = (copy.text or "") + child.tail
            else:
                last.tail = (last.tail or "") + child.tail
    return copy


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
