"""Feed dates, as written in the wild, to ISO 8601 in UTC (`2025-05-20T13:29:00+00:00`).

Feeds promise RFC 822 (RSS) or RFC 3339 (Atom, JSON Feed) and deliver both, plus variants:
two-digit years, named zones (EST, PDT, CEST, the generic US ET/CT/MT/PT/AT, `Etc/GMT`), no
zone at all (read as UTC), no seconds, full month names, wrong or misspelled day names (ignored:
the date itself decides), a space instead of the "T", compact ISO (`20250520T132900Z`), the
reduced W3C-DTF forms (`2003`, `2003-12`) and older ISO 8601 ones (`03-12-31`, `031231`,
`-03-12`, ordinal `2003-335`). Anything else is None: a missing date sorts after dated entries,
which is better than an invented one, so a run of digits and dashes in no known layout
(`20031-2-3`) or out of range (`2003-13-45`) is refused rather than guessed at.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

MIN_YEAR = 1970
MAX_YEAR = 2200

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Hours east of UTC. Ambiguous names (IST, CST in China) take their most common feed meaning.
_ZONES = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0,
    "bst": 1, "cet": 1, "met": 1, "west": 1, "wat": 1,
    "cest": 2, "eet": 2, "mest": 2, "sast": 2, "cat": 2,
    "eest": 3, "msk": 3, "eat": 3,
    "ist": 5.5, "ict": 7, "hkt": 8, "awst": 8, "sgt": 8, "jst": 9, "kst": 9,
    "acst": 9.5, "aest": 10, "acdt": 10.5, "aedt": 11, "nzst": 12, "nzdt": 13,
    "ast": -4, "adt": -3, "nst": -3.5, "ndt": -2.5,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7, "akst": -9, "akdt": -8, "hst": -10,
    # Generic US zones, without standard/daylight: read as standard time.
    "at": -4, "et": -5, "ct": -6, "mt": -7, "pt": -8,
}  # fmt: skip

_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([ap]\.?m\.?)?"
_ZONE = r"(?:\(?([A-Za-z]{1,5})\)?)?\s*([+-]\s?\d{1,2}(?::?\d{2})?)?"
# "Tue, 20 May 2025 13:29:00 +0000", "20-May-25 13:29 EST", "Tuesday 20 May 2025"
_RFC822 = re.compile(
    rf"^(?:[A-Za-z]+\.?,?\s*)?(\d{{1,2}})(?:st|nd|rd|th)?[\s/-]+([A-Za-z]{{3,}})\.?,?[\s/-]+(\d{{2,4}})"
    rf"(?:[\sT,]+{_TIME})?\s*{_ZONE}\s*$",
    re.IGNORECASE,
)
# "May 20, 2025 13:29 PDT", "Tue May 20 13:29:00 UTC 2025" (asctime/ctime)
_MONTH_FIRST = re.compile(
    rf"^(?:[A-Za-z]+\.?,?\s*)?([A-Za-z]{{3,}})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"
    rf"(?:[\sT,]+(?:at\s+)?{_TIME})?\s*{_ZONE}\s*$",
    re.IGNORECASE,
)
_CTIME = re.compile(
    rf"^(?:[A-Za-z]+\.?,?\s*)?([A-Za-z]{{3,}})\s+(\d{{1,2}})\s+{_TIME}\s*{_ZONE}\s+(\d{{4}})\s*$",
    re.IGNORECASE,
)
# "2025-05-20T13:29:00Z", "2025-05-20 13:29", "2025-05-20", "20250520T132900Z", "2025/05/20"
# A month of "012" is a known generator's bug, read as 12.
_ISO = re.compile(
    r"^(\d{4})([-/]?)(\d{1,2}|0\d\d)\2(\d{1,2})"
    r"(?:(?:T|\s+|T\s*)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[A-Za-z]{3,4}|[+-]\d{2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)

# W3C-DTF reduced precision: "2003", "2003-12".
_REDUCED = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
# ISO 8601 (1988) with a two-digit year: "03-12-31", "031231"; "-03-12", "-0312" (no day).
_SHORT_YEAR = re.compile(r"^(\d{2})(-?)(\d{2})\2(\d{2})$|^-(\d{2})(-?)(\d{2})$")
# Ordinal date: "2003-335" (day of the year).
_ORDINAL = re.compile(r"^(\d{4})-(\d{3})$")
# "Etc/GMT", "Etc/GMT+5" (tz database names, whose sign is POSIX's: Etc/GMT+5 is UTC-5).
_ETC_ZONE = re.compile(r"\bEtc/(?:GMT|UTC|UCT|Universal|Zulu|Greenwich)(?:([+-])(\d{1,2}))?\s*$")
# A day name before an ISO-style date: "Fri, 2006/09/15 08:19:53 EDT".
_DAY_BEFORE_ISO = re.compile(r"^[A-Za-z]{3,9}\.?,?\s+(?=\d{4}[-/])")


def parse_date(value: object) -> str | None:
    """Return `value` as an ISO 8601 UTC timestamp, or None when it is not a believable date."""
    if not isinstance(value, str):
        return None
    text = value.strip()[:80]
    if not text:
        return None
    moment = _parse(text)
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment.isoformat() + "+00:00"  # naive UTC, no microseconds: one fixed-width form


def _parse(text: str) -> datetime | None:
    if text[0].isdigit() and (match := _ISO.match(text)) and text[0] != "0":
        year, _, month, day, hour, minute, second, zone = match.groups()
        numeric = zone is not None and zone[0] in "+-"
        name, offset = (None, zone) if numeric else (zone, None)
        return _build(int(year), int(month), int(day), hour, minute, second, None, name, offset)
    if match := _RFC822.match(text):
        day, month, year, hour, minute, second, ampm, name, offset = match.groups()
        return _build(
            _year(year), _month(month), int(day), hour, minute, second, ampm, name, offset
        )
    if match := _MONTH_FIRST.match(text):
        month, day, year, hour, minute, second, ampm, name, offset = match.groups()
        return _build(int(year), _month(month), int(day), hour, minute, second, ampm, name, offset)
    if match := _CTIME.match(text):
        month, day, hour, minute, second, ampm, name, offset, year = match.groups()
        return _build(int(year), _month(month), int(day), hour, minute, second, ampm, name, offset)
    return _parse_rare(text)


def _parse_rare(text: str) -> datetime | None:
    """The forms few feeds use, tried only when the common ones did not match."""
    if "/" in text and (etc := _ETC_ZONE.search(text)):
        sign, hours = etc.groups()
        zone = f"{'-' if sign == '+' else '+'}{int(hours):02d}00" if hours else "GMT"
        return _parse(text[: etc.start()] + zone)
    if match := _REDUCED.match(text):
        return _build(int(match[1]), int(match[2] or 1), 1, None, None, None, None, None, None)
    if match := _SHORT_YEAR.match(text):
        if match[1] is not None:
            year, month, day = match[1], match[3], int(match[4])
        else:
            year, month, day = match[5], match[7], 1
        return _build(_year(year), int(month), day, None, None, None, None, None, None)
    if match := _ORDINAL.match(text):
        day_of_year = int(match[2])
        if not 1 <= day_of_year <= 366:
            return None
        moment = datetime(int(match[1]), 1, 1) + timedelta(days=day_of_year - 1)
        return moment if moment.year == int(match[1]) else None
    if match := _DAY_BEFORE_ISO.match(text):
        return _parse(text[match.end() :])
    return None


def _year(text: str) -> int:
    """Two-digit years as RFC 2822 reads them: 00-49 are 20xx, 50-99 are 19xx."""
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year < 50 else 1900)
    return year


def _month(text: str) -> int:
    return _MONTHS.get(text[:3].lower(), 0)


def _build(
    year: int,
    month: int,
    day: int,
    hour: str | None,
    minute: str | None,
    second: str | None,
    ampm: str | None,
    name: str | None,
    offset: str | None,
) -> datetime | None:
    """The moment as a naive datetime in UTC, or None when any part is out of range."""
    hours, minutes, seconds = int(hour or 0), int(minute or 0), int(second or 0)
    if ampm:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if ampm[0].lower() == "p" else 0)
    east = _offset_minutes(name, offset)
    if east is None or hours > 24 or minutes > 59 or seconds > 60:
        return None
    try:
        if hours < 24 and seconds < 60:
            moment = datetime(year, month, day, hours, minutes, seconds)
        else:  # 24:00 and leap second 60 occur in real feeds: carry them over
            moment = datetime(year, month, day) + timedelta(
                hours=hours, minutes=minutes, seconds=seconds
            )
        return moment - timedelta(minutes=east) if east else moment
    except (ValueError, OverflowError):
        return None


def _offset_minutes(name: str | None, offset: str | None) -> int | None:
    """Minutes east of UTC from a zone name and/or numeric offset; neither means UTC.

    An unknown name is None: guessing would silently move the story by hours.
    """
    minutes = 0
    if name:
        hours = _ZONES.get(name.lower())
        if hours is None:
            return None
        minutes = int(hours * 60)
    if offset:
        digits = offset.replace(":", "").replace(" ", "")
        sign = -1 if digits[0] == "-" else 1
        digits = digits[1:]
        hh, mm = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
        if int(hh) > 18 or int(mm) > 59:
            return None
        minutes += sign * (int(hh) * 60 + int(mm))
    return minutes
