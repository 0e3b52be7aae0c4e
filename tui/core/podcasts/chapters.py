"""Chapters of an episode, from the three places podcasts put them, made safe to show.

- Podlove Simple Chapters in the feed: `<psc:chapter start="01:02:03.500" title="…"/>`, the
  start in Normal Play Time (`HH:MM:SS.mmm`, `MM:SS`, or seconds).
- The podcast namespace: `<podcast:chapters url="…" type="application/json+chapters"/>`, a JSON
  file `{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "…"}, …]}`, fetched through
  the shared HTTP layer with a size cap (MAX_JSON_BYTES).
- ID3v2 `CHAP` frames (ordered by a `CTOC` frame when there is one) at the head of an MP3, read
  with mutagen from the first bytes of the file (the probe's one Range request).

Whatever the source, `tidy` keeps at most MAX_CHAPTERS chapters, drops negative, unreadable and
past-the-end starts, sorts them by start, merges duplicates and cleans titles of controls: a
hostile chapter file gives fewer chapters or a reason, never a crash.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable

from tui.core.durations import MAX_SECONDS
from tui.core.models import Chapter

MAX_CHAPTERS = 500
MAX_JSON_BYTES = 1_000_000
MAX_TITLE = 200

_NPT = re.compile(r"^\s*(?:(?:(\d{1,3}):)?(\d{1,2}):)?(\d{1,7}(?:\.\d{1,9})?)\s*$")


class ChaptersError(ValueError):
    """A chapter file that cannot be read; the message is the reason, for the user."""


def parse_npt(text: str) -> float | None:
    """Seconds from a Normal Play Time string ("1:02:03.5", "62:03", "3723"), None if unreadable."""
    match = _NPT.match(text or "")
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    value = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds)
    return value if math.isfinite(value) else None


def from_psc(pairs: Iterable[tuple[str, str]]) -> tuple[Chapter, ...]:
    """Chapters from the feed's psc:chapter (start, title) pairs."""
    found = []
    for start_text, title in pairs:
        start = parse_npt(start_text)
        if start is not None:
            found.append((start, title))
    return tidy(found)


def parse_json_chapters(body: bytes, length: int | None = None) -> tuple[Chapter, ...]:
    """Chapters from a podcast namespace JSON chapters file; ChaptersError when it is not one."""
    if len(body) > MAX_JSON_BYTES:
        raise ChaptersError(f"the chapter file is larger than {MAX_JSON_BYTES // 1000} kB")
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError) as exc:
        raise ChaptersError("the chapter file is not JSON") from exc
    items = data.get("chapters") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ChaptersError("the chapter file has no list of chapters")
    found = []
    for item in items[: MAX_CHAPTERS * 4]:
        if not isinstance(item, dict) or item.get("toc") is False:
            continue  # toc: false marks a chapter meant for the player only, not a list
        start = item.get("startTime")
        if isinstance(start, str):
            start = parse_npt(start)
        if isinstance(start, bool) or not isinstance(start, int | float):
            continue
        title = item.get("title")
        found.append((float(start), title if isinstance(title, str) else ""))
    return tidy(found, length)


def id3_chapters(head: bytes, length: int | None = None) -> tuple[Chapter, ...]:
    """Chapters from the ID3v2 CHAP/CTOC frames at the start of an MP3 (its first bytes).

    A head without an ID3 tag, or one mutagen cannot read (cut short, hostile), has none.
    """
    if not head.startswith(b"ID3"):
        return ()
    try:
        from mutagen.id3 import ID3

        tag = ID3(io.BytesIO(head))
    except Exception:  # mutagen raises many kinds on hostile or truncated tags
        return ()
    by_id: dict[str, tuple[float, str]] = {}
    for frame in tag.getall("CHAP")[: MAX_CHAPTERS * 4]:
        title = ""
        sub = getattr(frame, "sub_frames", None)
        if sub is not None and "TIT2" in sub:
            title = str(sub["TIT2"].text[0]) if sub["TIT2"].text else ""
        start = getattr(frame, "start_time", None)
        if isinstance(start, int) and start >= 0:
            by_id[str(frame.element_id)] = (start / 1000.0, title)
    order: list[str] = []
    for toc in tag.getall("CTOC"):
        order.extend(str(child) for child in getattr(toc, "child_element_ids", ()))
    ordered = [by_id[key] for key in dict.fromkeys(order) if key in by_id]
    ordered += [value for key, value in by_id.items() if key not in set(order)]
    return tidy(ordered, length)


def tidy(found: Iterable[tuple[float, str]], length: int | None = None) -> tuple[Chapter, ...]:
    """Sorted, de-duplicated chapters with sane starts (0 ≤ start < length, a week at most when
    the length is unknown) and short titles."""
    kept: dict[float, str] = {}
    for start, title in found:
        if not 0 <= start <= MAX_SECONDS or (length and start >= length):  # NaN too
            continue
        start = round(start, 3)
        if start not in kept or not kept[start]:
            kept[start] = title
    chapters = []
    for number, start in enumerate(sorted(kept)[:MAX_CHAPTERS], start=1):
        title = " ".join(kept[start].split())[:MAX_TITLE] or f"Chapter {number}"
        chapters.append(Chapter(start, title))
    return tuple(chapters)


def current_chapter(chapters: tuple[Chapter, ...], position: float | None) -> int | None:
    """The index of the chapter playing at `position`, None before the first or when unknown."""
    if position is None:
        return None
    index = None
    for i, chapter in enumerate(chapters):
        if chapter.start <= position:
            index = i
        else:
            break
    return index
