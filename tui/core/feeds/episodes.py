"""Attachments to Episodes: only audio, only http(s), lengths and sizes checked.

An attachment counts as audio when its MIME type says audio/*, or Media RSS says
medium="audio", or (with no usable type, e.g. application/octet-stream) its path ends in an
audio extension. Video and images are not episodes. podcast:alternateEnclosure sources are used
only when an item has no other audio, so one episode is not listed once per encoding.
"""

from __future__ import annotations

import re

from tui.core.durations import parse_duration
from tui.core.feeds.raw import RawEntry, RawMedia
from tui.core.models import Episode
from tui.core.podcasts.chapters import from_psc

MAX_EPISODES_PER_ENTRY = 10
MAX_SIZE = 2**40  # a terabyte: anything larger is a broken length, not a file

_AUDIO_EXTENSIONS = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".m4b": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/opus",
    ".flac": "audio/flac",
    ".wav": "audio/wav",
    ".mp2": "audio/mpeg",
}
_NOT_AUDIO_MEDIA = ("video/", "image/", "text/")
_DIGITS = re.compile(r"^\s*(\d{1,16})\s*$")


def episodes_of(entry: RawEntry, title: str, feed_title: str) -> tuple[Episode, ...]:
    """The entry's audio attachments as Episodes, de-duplicated by URL, in feed order."""
    if not entry.media:
        return ()
    primary = [m for m in entry.media if not m.alternate]
    chosen = _audio(primary) or _audio([m for m in entry.media if m.alternate])
    episodes: dict[str, Episode] = {}
    chapters = from_psc(entry.chapters) if entry.chapters else ()
    transcript_url, transcript_type = _best_transcript(entry.transcripts)
    for media, mime in chosen:
        assert media.url is not None  # _audio keeps only attachments with a URL
        if media.url in episodes:
            continue
        duration = parse_duration(media.duration) or parse_duration(entry.duration)
        episodes[media.url] = Episode(
            title=title,
            url=media.url,
            duration_seconds=duration,
            published=entry.published,
            feed_title=feed_title,
            mime_type=mime,
            size_bytes=_size(media.length),
            chapters=chapters,
            chapters_url=entry.chapters_url or "",
            transcript_url=transcript_url,
            transcript_type=transcript_type,
            page_url=entry.url or "",
        )
        if len(episodes) >= MAX_EPISODES_PER_ENTRY:
            break
    return tuple(episodes.values())


# Transcript forms by preference: timed cues first (they can seek), then text.
_TRANSCRIPT_PREFERENCE = (
    "text/vtt",
    "application/x-subrip",
    "application/srt",
    "text/srt",
    "application/json",
    "text/html",
    "text/plain",
)


def _best_transcript(links: list[tuple[str, str]]) -> tuple[str, str]:
    """(url, type) of the most useful podcast:transcript of an item, ("", "") without one."""
    if not links:
        return "", ""

    def rank(link: tuple[str, str]) -> int:
        kind = link[1].split(";", 1)[0].strip()
        return _TRANSCRIPT_PREFERENCE.index(kind) if kind in _TRANSCRIPT_PREFERENCE else 99

    return min(links, key=rank)


def _audio(media: list[RawMedia]) -> list[tuple[RawMedia, str]]:
    """The attachments that are audio, each with its MIME type (given, or guessed from the path)."""
    found = []
    for item in media:
        if not item.url:
            continue
        mime = item.mime.strip().lower()[:100]
        guessed = _AUDIO_EXTENSIONS.get(_extension(item.url), "")
        if mime.startswith("audio/"):
            found.append((item, mime))
        elif mime.startswith(_NOT_AUDIO_MEDIA) or item.medium.lower() in ("video", "image"):
            continue
        elif item.medium.lower() == "audio" or guessed:
            found.append((item, guessed or mime))
    return found


def _extension(url: str) -> str:
    path = url.split("#", 1)[0].split("?", 1)[0].lower()
    dot = path.rfind(".")
    return path[dot:] if dot > path.rfind("/") else ""


def _size(length: object) -> int | None:
    if isinstance(length, bool):
        return None
    if isinstance(length, int | float):
        size = int(length)
    elif isinstance(length, str) and (match := _DIGITS.match(length)):
        size = int(match.group(1))
    else:
        return None
    return size if 0 < size < MAX_SIZE else None
