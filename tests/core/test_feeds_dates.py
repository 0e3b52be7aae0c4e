"""Feed dates from the wild → ISO 8601 UTC."""

from __future__ import annotations

import pytest

from tui.core.feeds.dates import parse_date

CASES = [
    ("Tue, 20 May 2025 13:29:00 +0000", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 13:29:00 GMT", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 13:29:00 UT", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 13:29:00 Z", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 09:29:00 EDT", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 08:29:00 EST", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 06:29:00 PDT", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 15:29:00 CEST", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 15:29:00 +0200", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 13:29:00", "2025-05-20T13:29:00+00:00"),  # no zone: UTC
    ("Tue, 20 May 2025 13:29", "2025-05-20T13:29:00+00:00"),  # no seconds
    ("20 May 2025 13:29:00 +0000", "2025-05-20T13:29:00+00:00"),  # no day name
    ("Fri, 20 May 2025 13:29:00 +0000", "2025-05-20T13:29:00+00:00"),  # wrong day name
    ("Tues, 20 May 2025 13:29:00 +0000", "2025-05-20T13:29:00+00:00"),
    ("Tuesday, 20 May 2025 13:29:00 +0000", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 25 13:29:00 +0000", "2025-05-20T13:29:00+00:00"),  # two-digit year
    ("Thu, 20 May 99 13:29:00 +0000", "1999-05-20T13:29:00+00:00"),
    ("Tue, 20 June 2025 13:29:00 +0000", "2025-06-20T13:29:00+00:00"),  # full month name
    ("Sat, 20 Sept 2025 13:29:00 +0000", "2025-09-20T13:29:00+00:00"),
    ("Tue, 5 May 2025 3:09:00 +0000", "2025-05-05T03:09:00+00:00"),
    ("Tue, 20 May 2025 13:29:00 +05:30", "2025-05-20T07:59:00+00:00"),
    ("Wed, 21 May 2025 00:29:00 +1100", "2025-05-20T13:29:00+00:00"),
    ("Tue, 20 May 2025 24:00:00 +0000", "2025-05-21T00:00:00+00:00"),
    ("May 20, 2025 1:29 PM", "2025-05-20T13:29:00+00:00"),
    ("Tue May 20 13:29:00 UTC 2025", "2025-05-20T13:29:00+00:00"),
    ("2025-05-20T13:29:00Z", "2025-05-20T13:29:00+00:00"),
    ("2025-05-20T13:29:00.123456Z", "2025-05-20T13:29:00+00:00"),
    ("2025-05-20T15:29:00+02:00", "2025-05-20T13:29:00+00:00"),
    ("2025-05-20T08:29:00-0500", "2025-05-20T13:29:00+00:00"),
    ("2025-05-20T13:29:00 +00:00", "2025-05-20T13:29:00+00:00"),
    ("2025-05-20 13:29", "2025-05-20T13:29:00+00:00"),
    ("2025-05-20 13:29:00", "2025-05-20T13:29:00+00:00"),
    ("2025-05-20", "2025-05-20T00:00:00+00:00"),
    ("20250520T132900Z", "2025-05-20T13:29:00+00:00"),
    ("2025/05/20 13:29", "2025-05-20T13:29:00+00:00"),
    ("  Tue, 20 May 2025 13:29:00 +0000  ", "2025-05-20T13:29:00+00:00"),
]

# W3C-DTF reduced precision, older ISO 8601 forms, and zones feeds write that RFC 822 lacks.
LESS_COMMON = [
    ("2003", "2003-01-01T00:00:00+00:00"),  # year only
    ("2003-12", "2003-12-01T00:00:00+00:00"),  # year and month
    ("2003-12-31T10:14Z", "2003-12-31T10:14:00+00:00"),  # minutes, no seconds
    ("03-12-31", "2003-12-31T00:00:00+00:00"),  # two-digit year
    ("031231", "2003-12-31T00:00:00+00:00"),
    ("-03-12", "2003-12-01T00:00:00+00:00"),
    ("-0312", "2003-12-01T00:00:00+00:00"),
    ("2003-335", "2003-12-01T00:00:00+00:00"),  # day 335 of the year
    ("2004-366", "2004-12-31T00:00:00+00:00"),  # a leap year has 366
    ("2003-012-31T10:14:55+00:00", "2003-12-31T10:14:55+00:00"),  # a generator's extra zero
    ("Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00+00:00"),
    ("Mon, 26 January 2004 16:31:00 CT", "2004-01-26T22:31:00+00:00"),
    ("Mon, 26 January 2004 16:31:00 MT", "2004-01-26T23:31:00+00:00"),
    ("Mon, 26 January 2004 16:31:00 PT", "2004-01-27T00:31:00+00:00"),
    ("Mon, 26 January 2004 16:31:00 AT", "2004-01-26T20:31:00+00:00"),
    ("Wed, 19 Aug 2009 18:28:00 Etc/GMT", "2009-08-19T18:28:00+00:00"),
    ("Wed, 19 Aug 2009 18:28:00 Etc/UTC", "2009-08-19T18:28:00+00:00"),
    ("Wed, 19 Aug 2009 18:28:00 Etc/GMT+5", "2009-08-19T23:28:00+00:00"),  # POSIX sign: UTC-5
    ("Wed, 19 Feb 2012 22:40:00 GMT+1", "2012-02-19T21:40:00+00:00"),
    ("Wed, 19 Feb 2012 22:40:00 GMT-01:01", "2012-02-19T23:41:00+00:00"),
    ("31 Dec 03", "2003-12-31T00:00:00+00:00"),  # RFC 822 two-digit year, no time
    ("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21+00:00"),
    ("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53+00:00"),  # day name before ISO
]

# Only digits and dashes, but in no layout a date has, or out of range: refused, not guessed.
IMPOSSIBLE = [
    "2003-13-45",
    "20031-2-3",
    "2003-13",
    "2003-00",
    "2003-366",  # not a leap year
    "2003-000",
    "031331",
    "22013",
    "013",
    "12345678",
    "2013-xx-27",
    "Wed, 19 Aug 2009 18:28:00 Etc/Nowhere",
]

BROKEN = [
    "",
    "   ",
    "yesterday",
    "not a date at all",
    "Tue, 31 Feb 2025 13:29:00 +0000",  # no such day
    "Tue, 20 Foo 2025 13:29:00 +0000",  # no such month
    "Tue, 20 May 2025 13:29:00 XYZ",  # unknown zone: guessing would move the story
    "Tue, 20 May 2025 25:00:00 +0000",
    "Tue, 20 May 2025 13:61:00 +0000",
    "2025-13-20T13:29:00Z",
    "2025-05-20T13:29:00+25:00",
    "Tue, 20 May 1066 13:29:00 +0000",  # before 1970: a placeholder, not a date
    "9999-12-31T23:59:59Z",
    "1716200000",
    "x" * 10_000,
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_dates_from_the_wild(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), LESS_COMMON)
def test_less_common_forms(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", IMPOSSIBLE)
def test_digits_and_dashes_in_impossible_layouts_are_none(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize("text", BROKEN)
def test_unparseable_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize("value", [None, 1716200000, 3.5, ["2025-05-20"], b"2025-05-20"])
def test_non_strings_are_none(value: object) -> None:
    assert parse_date(value) is None
