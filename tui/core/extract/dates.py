"""Publication dates: whatever form a page gives, return ISO 8601 (or None).

Accepted: ISO 8601 and RFC 3339 ("2025-05-20T13:29:00+03:00", "2025-05-20 13:29"), RFC 2822
("Tue, 20 May 2025 13:29:00 GMT"), "20 May, 2025 13:29", "May 20, 2025", "20.05.2025",
"2025/05/20", and month names in English, German, French, Spanish and Russian.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "okt": 10,
    "dez": 12,
    "janv": 1,
    "févr": 2,
    "fevr": 2,
    "mars": 3,
    "avr": 4,
    "juin": 6,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "déc": 12,
    "ene": 1,
    "abr": 4,
    "ago": 8,
    "dic": 12,
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "мая": 5,
    "май": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
    # Portuguese, Italian, Dutch, Polish and Nordic forms the ones above do not start
    "fev": 2,
    "set": 9,
    "out": 10,
    "gen": 1,
    "mag": 5,
    "giu": 6,
    "lug": 7,
    "ott": 10,
    "maart": 3,
    "mei": 5,
    "sty": 1,
    "lut": 2,
    "kwi": 4,
    "maj": 5,
    "cze": 6,
    "lip": 7,
    "sie": 8,
    "wrz": 9,
    "paź": 10,
    "lis": 11,
    "gru": 12,
}
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_SLASHED = re.compile(r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b(?:,?\s*(\d{1,2}):(\d{2}))?")
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]{3,12})\.?,?\s+(?:de\s+|del\s+)?(\d{4})(?:,?\s*(?:at\s+|um\s+|à\s+|в\s+)?(\d{1,2}):(\d{2}))?",
)
_MONTH_DAY = re.compile(
    r"\b([^\W\d_]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s*(?:at\s+)?(\d{1,2}):(\d{2})\s*([ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
# "03/05/2022", "26 | 01 | 2022": day and month in the page's order (see to_iso's `day_first`).
_NUMERIC = re.compile(
    r"\b(\d{1,2})\s?([/|])\s?(\d{1,2})\s?\2\s?(\d{4})\b(?:,?\s*(\d{1,2}):(\d{2}))?"
)
_JAPANESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# Four digits in a row: every date to_iso reads has a four-digit year, so a text without one
# is no date (the stages ask this before asking to_iso). Spelt out: \d{4} means the same, but re
# tries it at every place of a text with its general repeat, where four single digits let it
# skip to the next digit first (~40% faster on the lines near a headline).
YEAR = re.compile(r"\d\d\d\d")


def is_month_name(word: str) -> bool:
    """Whether `word` names a month ("Feb", "März", "janv.")."""
    return _month(word) is not None


def _month(name: str) -> int | None:
    name = name.lower().rstrip(".")
    for size in (len(name), 6, 5, 4, 3):
        found = _MONTHS.get(name[:size])
        if found:
            return found
    return None


def _build(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, zone: str = ""
) -> str | None:
    if not 1990 <= year <= 2100:
        return None  # (tested first: cheaper than building the date, and None either way)
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if zone == "Z":
        zone = "+00:00"
    elif zone and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    text = moment.isoformat() if (hour or minute or second or zone) else moment.date().isoformat()
    return text + zone if "T" in text else text


def to_iso(value: object, day_first: bool | None = None) -> str | None:
    """Return `value` as an ISO 8601 date or date-time, or None when no date can be read.

    `day_first`: how to read "03/05/2022" (day first in most of the world, month first in the
    US); None leaves such dates unread (a caller that does not know the page's language)."""
    if not isinstance(value, str):
        return None
    text = value.strip()[:200]
    if not text:
        return None
    iso = _ISO.search(text)
    if iso:
        # groups("0"): a part the text leaves out (the time, the seconds) reads as 0.
        year, month, day, hour, minute, second = map(int, iso.groups("0")[:6])
        return _build(year, month, day, hour, minute, second, iso.group(7) or "")
    if text[:3].isalpha() and "," in text[:5]:
        try:
            moment = parsedate_to_datetime(text)
            return moment.isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    # Every form below has a four-digit year, and each pattern a character without which it
    # cannot match: a text without them is not searched (most lines tried are no date, and
    # each search costs several times the test).
    if YEAR.search(text) is None:
        return None
    japanese = _JAPANESE.search(text) if "年" in text else None
    if japanese:
        year, month, day = map(int, japanese.groups())
        return _build(year, month, day)
    slashed = _SLASHED.search(text) if "/" in text or "." in text else None
    if slashed:
        year, month, day = map(int, slashed.groups())
        return _build(year, month, day)
    dotted = _DOTTED.search(text) if "." in text else None
    if dotted:
        day, month, year, hour, minute = map(int, dotted.groups("0"))
        return _build(year, month, day, hour, minute)
    numeric = (
        _NUMERIC.search(text) if day_first is not None and ("/" in text or "|" in text) else None
    )
    if numeric:
        first, second, year = int(numeric.group(1)), int(numeric.group(3)), int(numeric.group(4))
        if second > 12 or (not day_first and first <= 12):
            first, second = second, first
        hour, minute = map(int, numeric.groups("0")[4:])
        return _build(year, second, first, hour, minute)
    day_month = _DAY_MONTH.search(text)
    if day_month:
        named = _month(day_month.group(2))
        if named:
            hour, minute = map(int, day_month.groups("0")[3:])
            return _build(int(day_month.group(3)), named, int(day_month.group(1)), hour, minute)
    month_day = _MONTH_DAY.search(text)
    if month_day:
        named = _month(month_day.group(1))
        if named:
            hour, minute = map(int, month_day.groups("0")[3:5])
            meridiem = (month_day.group(6) or "").lower()
            if meridiem.startswith("p") and hour < 12:
                hour += 12
            elif meridiem.startswith("a") and hour == 12:
                hour = 0
            return _build(int(month_day.group(3)), named, int(month_day.group(2)), hour, minute)
    return None
