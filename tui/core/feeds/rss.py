"""RSS 0.90, 0.91-0.94, 1.0 (RDF), 1.1 and 2.0, with the namespaces feeds actually use.

Tags are matched without regard to letter case, and the namespace the document puts its root and
channel in counts as RSS's own whatever its URI (see TagNames). Read from the channel: title
(else dc:title), link (else an atom:link), description (else dc:description, itunes:summary...).
Read from each item: title (else dc:title, itunes:title, media:title), link (or a permalink guid,
or feedburner:origLink), guid (or rdf:about), the first date among pubDate / dc:date / dcterms /
atom dates, description (else summary, dc:description, itunes:summary, itunes:subtitle, a
media:description anywhere in the item, else the content), content (content:encoded, an
xhtml:body, fullitem, or a <summary> beside a <description>), author (else dc:creator,
itunes:author), enclosures, Media RSS (media:content, media:group), itunes:duration and
podcast:alternateEnclosure. Categories and images have no place in the models and are skipped.
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
    inner_html,
    local_name,
    own_namespaces,
    resolve_link,
    text_of,
)

# Earlier names win: the item's own publication date before modification dates.
_DATE_KEYS = (
    "pubdate",
    "dc:date",
    "atom:published",
    "dcterms:issued",
    "dcterms:created",
    "atom:issued",
    "dcterms:modified",
    "atom:updated",
)
_SUMMARY_KEYS = (
    "description",
    "summary",
    "dc:description",
    "itunes:summary",
    "itunes:subtitle",
    "atom:summary",
    "media:description",
)
_CHANNEL_TITLE_KEYS = ("title", "dc:title", "atom:title", "itunes:title")
_CHANNEL_DESCRIPTION_KEYS = (
    "description",
    "dc:description",
    "atom:subtitle",
    "itunes:summary",
    "itunes:subtitle",
    "media:description",
)
_ITEM_TITLE_KEYS = ("dc:title", "itunes:title", "media:title", "atom:title")
# Full text: escaped HTML in these; an xhtml:body holds it as markup.
_CONTENT_KEYS = ("content:encoded", "fullitem", "atom:content")
_AUTHOR_KEYS = ("author", "dc:creator", "dc:author", "itunes:author", "atom:author")


def read_rss(document: XmlDocument, max_entries: int) -> RawFeed:
    """Read an RSS or RDF document into a RawFeed of at most `max_entries` items."""
    root = document.root
    channel = root if local_name(root.tag) == "channel" else None
    if channel is None:
        channel = next((c for c in root if local_name(c.tag) == "channel"), None)
    names = TagNames(RSS_NAMES, own_namespaces(RSS_NAMES, root, channel))
    items: list[etree._Element] = []
    if channel is not root:
        items = [child for child in root if names(child.tag) == "item"]  # RSS 1.0 and 0.90
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
    found: dict[str, str] = {}
    for child in channel:
        key = names(child.tag)
        if key == "item":
            items.append(child)
        elif key == "items":  # RSS 1.1 nests the items in a collection
            items.extend(item for item in child if names(item.tag) == "item")
        elif key == "atom:link":
            if (child.get("rel") or "alternate").strip().lower() == "alternate":
                found.setdefault("atom:link", child.get("href") or "")
        elif key == "link":
            if not feed.site_url:
                feed.site_url = resolve_link(child, text_of(child) or child.get("href"))
        elif (key in _CHANNEL_TITLE_KEYS or key in _CHANNEL_DESCRIPTION_KEYS) and not found.get(
            key, ""
        ).strip():
            found[key] = text_of(child)
    feed.title = plain_title(_first(found, _CHANNEL_TITLE_KEYS))
    if not feed.site_url and found.get("atom:link"):
        feed.site_url = resolve_link(channel, found["atom:link"])
    feed.description = html_to_text(_first(found, _CHANNEL_DESCRIPTION_KEYS))
    return items


def _read_item(item: etree._Element, names: TagNames) -> RawEntry:
    entry = RawEntry()
    found: dict[str, str] = {}  # first text of each fallback-bearing tag
    permalink_guid = None
    body = None
    for child in item:
        key = names(child.tag)
        if key == "title":
            entry.title = plain_title(text_of(child))
        elif key == "link":
            entry.url = entry.url or resolve_link(child, text_of(child) or child.get("href"))
        elif key == "guid":
            entry.guid = text_of(child).strip()
            permalink = child.get("isPermaLink") or child.get("ispermalink") or "true"
            if permalink.strip().lower() != "false":
                permalink_guid = resolve_link(child, entry.guid)
        elif key == "enclosure":
            url = resolve_link(child, child.get("url"))
            entry.media.append(RawMedia(url, child.get("type", ""), child.get("length")))
        elif key == "media:content":
            entry.media.append(media_content(child))
            _media_texts(child, names, found)
        elif key == "media:group":
            _read_media_group(child, names, entry, found)
        elif key == "itunes:duration":
            entry.duration = text_of(child)
        elif key == "feedburner:origlink":
            entry.url = resolve_link(child, text_of(child)) or entry.url
        elif key == "podcast:alternateenclosure":
            _read_alternate(child, names, entry)
        elif key == "psc:chapters":
            _read_psc_chapters(child, names, entry)
        elif key == "podcast:chapters":
            entry.chapters_url = entry.chapters_url or resolve_link(child, child.get("url"))
        elif key == "podcast:transcript":
            url = resolve_link(child, child.get("url"))
            if url and len(entry.transcripts) < MAX_TRANSCRIPT_LINKS:
                entry.transcripts.append((url, (child.get("type") or "").strip().lower()[:100]))
        elif key in ("atom:author", "author") and len(child):
            found.setdefault(key, _name_of(child, names))
        elif key == "atom:link" and child.get("rel", "alternate") == "alternate":
            found.setdefault(key, child.get("href", ""))
        elif key == "xhtml:body":
            body = body if body is not None else child
        elif key not in found or not found[key].strip():
            found[key] = text_of(child)
    if not entry.title:
        entry.title = plain_title(_first(found, _ITEM_TITLE_KEYS))
    if entry.url is None:
        entry.url = permalink_guid or resolve_link(item, found.get("atom:link"))
    if not entry.guid:
        entry.guid = (item.get(_RDF_ABOUT) or "").strip()
    for key in _DATE_KEYS:
        if key in found and (date := parse_date(found[key])):
            entry.published = date
            break
    entry.content_html = _first(found, _CONTENT_KEYS) or None
    if entry.content_html is None and body is not None:
        entry.content_html = inner_html(body).strip() or None
    if entry.content_html is None and found.get("description", "").strip():
        entry.content_html = found.get("summary", "").strip() or None  # a second, longer text
    summary = _first(found, _SUMMARY_KEYS)
    if summary:
        entry.summary = html_to_text(summary)
    elif entry.content_html:
        entry.summary = html_to_text(entry.content_html)
    author = _first(found, _AUTHOR_KEYS)
    if author:
        entry.author = _person(author)
    return entry


def _first(found: dict[str, str], keys: tuple[str, ...]) -> str:
    """The first non-blank text among `keys`, "" when none has any."""
    for key in keys:
        text = found.get(key)
        if text and text.strip():
            return text
    return ""


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
            _media_texts(child, names, found)
        elif key in ("media:description", "media:title"):
            found.setdefault(key, text_of(child))


def _media_texts(content: etree._Element, names: TagNames, found: dict[str, str]) -> None:
    """The description and title a <media:content> may carry inside it."""
    for child in content:
        key = names(child.tag)
        if key in ("media:description", "media:title"):
            found.setdefault(key, text_of(child))


def _read_alternate(element: etree._Element, names: TagNames, entry: RawEntry) -> None:
    for child in element:
        if names(child.tag) == "podcast:source":
            url = resolve_link(child, child.get("uri"))
            entry.media.append(
                RawMedia(url, element.get("type", ""), element.get("length"), alternate=True)
            )


MAX_CHAPTERS_IN_FEED = 500
MAX_TRANSCRIPT_LINKS = 8


def _read_psc_chapters(element: etree._Element, names: TagNames, entry: RawEntry) -> None:
    """Podlove Simple Chapters: <psc:chapter start="00:01:02.500" title="…"/> in any order."""
    for child in element:
        if len(entry.chapters) >= MAX_CHAPTERS_IN_FEED:
            break
        if names(child.tag) == "psc:chapter":
            entry.chapters.append(
                ((child.get("start") or "").strip()[:40], plain_title(child.get("title") or ""))
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
