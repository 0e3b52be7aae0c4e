"""What the format readers (RSS, Atom, JSON Feed) hand to the model builder.

Readers fill these mutable records with values already cleaned of markup and resolved to
absolute URLs; `build.py` turns them into the frozen models, so ids, ordering, de-duplication
and podcast detection are decided in one place for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class RawMedia:
    """An attached file: an RSS enclosure, Atom rel="enclosure", media:content, JSON attachment."""

    url: str | None
    mime: str = ""
    length: object = None  # bytes, as the feed wrote it (text or number)
    duration: object = None  # seconds or a clock form, as the feed wrote it
    medium: str = ""  # Media RSS medium="audio"/"video"/"image"
    alternate: bool = False  # podcast:alternateEnclosure: used only when nothing else is audio


@dataclass(slots=True)
class RawEntry:
    """One item as read: plain-text title and summary, ISO date, absolute http(s) link."""

    guid: str = ""
    title: str = ""
    url: str | None = None
    published: str | None = None
    summary: str = ""
    content_html: str | None = None
    author: str | None = None
    duration: object = None  # itunes:duration of the item
    media: list[RawMedia] = field(default_factory=list)
    chapters: list[tuple[str, str]] = field(default_factory=list)  # psc:chapter (start, title)
    chapters_url: str | None = None  # podcast:chapters
    transcripts: list[tuple[str, str]] = field(
        default_factory=list
    )  # podcast:transcript (url, type)


@dataclass(slots=True)
class RawFeed:
    """A whole feed as read. `broken` is True when the XML needed structural repair."""

    title: str = ""
    site_url: str | None = None
    description: str = ""
    entries: list[RawEntry] = field(default_factory=list)
    broken: bool = False
