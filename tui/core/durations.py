"""Podcast lengths: parse every form seen in the wild, show them as M:SS or H:MM:SS.

Forms accepted: "42:9" (minutes:seconds with a one-digit second), "1:02:03", "01:02:03.500",
plain seconds ("3600", "3600.5"), ISO 8601 durations ("PT1H2M", "P0DT42M9S") and
"1h 2m 3s" styles. Anything else (empty, "abc", negative, longer than a week) is unknown: None.
"""

from __future__ import annotations

import re

MAX_SECONDS = 7 * 24 * 3600  # a longer "episode" is a broken feed, not a podcast

_CLOCK = re.compile(r"^(?:(\d{1,3}):)?(\d{1,4}):(\d{1,2})(?:[.,]\d+)?$")
_SECONDS = re.compile(r"^\d+(?:\.\d+)?$")
_ISO = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)
_UNITS = re.compile(
    r"^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?|s)?)?)?\s*(?:(\d+)\s*s(?:ec(?:onds?|s)?)?)?$",
    re.IGNORECASE,
)


def parse_duration(value: object) -> int | None:
    """Return the length in whole seconds, or None when `value` is not a believable duration."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        seconds_or_none = _parse_text(str(value).strip()[:64]) if value is not None else None
        if seconds_or_none is None:
            return None
        seconds = seconds_or_none
    if not 0 < seconds <= MAX_SECONDS or seconds != seconds:  # also rejects NaN
        return None
    return round(seconds)


def _parse_text(text: str) -> float | None:
    if not text:
        return None
    if _SECONDS.match(text):
        return float(text)
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = (int(part) if part else 0 for part in clock.groups())
        if seconds >= 60 or (hours and minutes >= 60):
            return None
        return hours * 3600 + minutes * 60 + seconds
    iso = _ISO.match(text)
    if iso and any(iso.groups()):
        d, h, m, s = (float(part) if part else 0.0 for part in iso.groups())
        return d * 86400 + h * 3600 + m * 60 + s
    units = _UNITS.match(text)
    if units and any(units.groups()):
        hours, minutes, seconds = (int(part) if part else 0 for part in units.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


def format_duration(seconds: int | None) -> str | None:
    """42:09 under an hour, 1:02:03 from an hour; None when unknown."""
    if seconds is None or seconds < 0:
        return None
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
