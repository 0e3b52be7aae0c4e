"""RSS 0.90, 0.91-0.94, 1.0 (RDF) and 2.0, with the namespaces feeds actually use.

Read from each item: title, link (or a permalink guid, or feedburner:origLink), guid
(or rdf:about), the first date among pubDate / dc:date / dcterms / atom dates, description
(else itunes:summary, itunes:subtitle, media:description, else the content), content:encoded,
author (else dc:creator, itunes:author), enclosures, Media RSS (media:content, media:group),
itunes:duration and podcast:alternateEnclosure. Categories and images have no place in the
models and are skipped.
"""

from __future__ import annotations

from lxml import etree

from tui.core.feeds.dates import parse_date
from tui.core.feeds.raw import RawEntry, RawFeed, RawMedia
from tui.core.feeds.text import html_to_text, plain_title
from tui.core.feeds.xmltree import (
    RSS_NAMES,
    TagNames,
    XmlDocument,
    cut_short,
    resolve_link,
    text_of,
)

# Earlier names win: the item's own publication date before modification dates.
_DATE_KEYS = (
    "pubDate",
    "dc:date",
    "atom:published",
    "dcterms:issued",
    "dcterms:created",
    "atom:issued",
    "dcterms:modified",
    "atom:updated",
    "pubdate",
)
_SUMMARY_KEYS = ("description", "itunes:summary", "itunes:subtitle", "media:description")
_AUTHOR_KEYS = ("author", "dc:creator", "itunes:author", "atom:author")


def read_rss(document: XmlDocument, max_entries: int) -> RawFeed:
    """Read an RSS or RDF document into a RawFeed of at most `max_entries` items."""
    names = TagNames(RSS_NAMES)
    root = document.root
    channel = root if names(root.tag) == "channel" else None
    items: list[etree._Element] = []
    for child in root:
        key = names(child.tag)
        if key == "channel" and channel is None:
            channel = child
        elif key == "item":  # RSS 1.0 and 0.90 keep items beside the channel
            items.append(child)
    feed = RawFeed(broken=document.broken)
    if channel is not None:
        channel_items = _read_channel(channel, names, feed)
        items = channel_items + items if channel_items else items
    if items and cut_short(document, items[-1]):
        items.pop()  # the document ends inside this item: whatever it holds is partial
    feed.entries = [entry for item in items[:max_entries] if (entry := _guarded(item, names))]
    return feed


def _guarded(item: etree._Element, names: TagNames) -> RawEntry | None:
    """One item, or None when lxml cannot hand back its text (bytes libxml2 let through)."""
    try:
        return _read_item(item, names)
    except ValueError:  # UnicodeDecodeError from a malformed text node: lose the item only
        return None


def _read_channel(channel: etree._Element, names: TagNames, feed: RawFeed) -> list[etree._Element]:
    items = []
    descriptions: dict[str, str] = {}
    for child in channel:
        key = names(child.tag)
        if key == "item":
            items.append(child)
        elif key == "title" and not feed.title:
            feed.title = plain_title(text_of(child))
        elif key == "link" and not feed.site_url:
            feed.site_url = resolve_link(child, text_of(child) or child.get("href"))
        elif key in _SUMMARY_KEYS:
            descriptions.setdefault(key, text_of(child))
    for key in _SUMMARY_KEYS:
        if descriptions.get(key, "").strip():
            feed.description = html_to_text(descriptions[key])
            break
    return items


def _read_item(item: etree._Element, names: TagNames) -> RawEntry:
    entry = RawEntry()
    found: dict[str, str] = {}  # first text of each fallback-bearing tag
    permalink_guid = None
    for child in item:
        key = names(child.tag)
        if key == "title":
            entry.title = plain_title(text_of(child))
        elif key == "link":
            entry.url = entry.url or resolve_link(child, text_of(child) or child.get("href"))
        elif key == "guid":
            entry.guid = text_of(child).strip()
            if child.get("isPermaLink", "true").strip().lower() != "false":
                permalink_guid = resolve_link(child, entry.guid)
        elif key == "content:encoded":
            entry.content_html = text_of(child) or entry.content_html
        elif key == "enclosure":
            url = resolve_link(child, child.get("url"))
            entry.media.append(RawMedia(url, child.get("type", ""), child.get("length")))
        elif key == "media:content":
            entry.media.append(media_content(child))
        elif key == "media:group":
            _read_media_group(child, names, entry, found)
        elif key == "itunes:duration":
            entry.duration = text_of(child)
        elif key == "feedburner:origLink":
            entry.url = resolve_link(child, text_of(child)) or entry.url
        elif key == "podcast:alternateEnclosure":
            _read_alternate(child, names, entry)
        elif key in ("atom:author", "author") and len(child):
            found.setdefault(key, _name_of(child, names))
        elif key == "atom:link" and child.get("rel", "alternate") == "alternate":
            found.setdefault(key, child.get("href", ""))
        else:
            found.setdefault(key, text_of(child))
    if not entry.title:
        entry.title = plain_title(found.get("itunes:title") or found.get("media:title"))
    if entry.url is None:
        entry.url = permalink_guid or resolve_link(item, found.get("atom:link"))
    if not entry.guid:
        entry.guid = (item.get(_RDF_ABOUT) or "").strip()
    for key in _DATE_KEYS:
        if key in found and (date := parse_date(found[key])):
            entry.published = date
            break
    for key in _SUMMARY_KEYS:
        if found.get(key, "").strip():
            entry.summary = html_to_text(found[key])
            break
    if not entry.summary and entry.content_html:
        entry.summary = html_to_text(entry.content_html)
    for key in _AUTHOR_KEYS:
        if found.get(key, "").strip():
            entry.author = _person(found[key])
            break
    return entry


_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"


def media_content(element: etree._Element) -> RawMedia:
    """A Media RSS <media:content> element as an attachment."""
    return RawMedia(
        resolve_link(element, element.get("url")),
        element.get("type", ""),
        element.get("fileSize"),
        element.get("duration"),
        element.get("medium", ""),
    )


def _read_media_group(
    group: etree._Element, names: TagNames, entry: RawEntry, found: dict[str, str]
) -> None:
    for child in group:
        key = names(child.tag)
        if key == "media:content":
            entry.media.append(media_content(child))
        elif key in ("media:description", "media:title"):
            found.setdefault(key, text_of(child))


def _read_alternate(element: etree._Element, names: TagNames, entry: RawEntry) -> None:
    for child in element:
        if names(child.tag) == "podcast:source":
            url = resolve_link(child, child.get("uri"))
            entry.media.append(
                RawMedia(url, element.get("type", ""), element.get("length"), alternate=True)
            )


def _name_of(person: etree._Element, names: TagNames) -> str:
    """The name inside an Atom-style person element (<atom:author><atom:name>)."""
    for child in person:
        if names(child.tag) in ("name", "atom:name"):
            return text_of(child)
    return text_of(person)


def _person(text: str) -> str | None:
    """RSS writes authors as "email (Name)": keep the name when there is one."""
    text = plain_title(text)
    if text.endswith(")") and "(" in text:
        name = text[text.index("(") + 1 : -1].strip()
        if name:
            return name
    return text or None
