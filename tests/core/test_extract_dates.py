"""Dates as pages write them → ISO 8601 (tui.core.extract.dates.to_iso)."""

from __future__ import annotations

import random

import pytest

from tui.core.extract import dates

CASES = [
    ("2025-05-20T13:29:00+03:00", None, "2025-05-20T13:29:00+03:00"),
    ("2025-05-20T13:29:00Z", None, "2025-05-20T13:29:00+00:00"),
    ("2025-05-20 13:29", None, "2025-05-20T13:29:00"),
    ("2025-05-20T13:29:00.123+0300", None, "2025-05-20T13:29:00+03:00"),
    ("  Published 2025-05-20  ", None, "2025-05-20"),
    ("Tue, 20 May 2025 13:29:00 GMT", None, "2025-05-20T13:29:00+00:00"),
    # RFC 2822 with a two-digit year: the one form read without a four-digit year.
    ("Tue, 20 May 25 13:29:00 GMT", None, "2025-05-20T13:29:00+00:00"),
    ("2025年5月20日", None, "2025-05-20"),
    ("2025/05/20", None, "2025-05-20"),
    ("2025.05.20", None, "2025-05-20"),
    ("20.05.2025", None, "2025-05-20"),
    ("20.05.2025, 13:29", None, "2025-05-20T13:29:00"),
    ("03/05/2022", True, "2022-05-03"),
    ("03/05/2022", False, "2022-03-05"),
    ("03/05/2022", None, None),  # the order unknown: not read
    ("26 | 01 | 2022", True, "2022-01-26"),
    ("13/05/2022 08:15", False, "2022-05-13T08:15:00"),
    ("20 May, 2025 13:29", None, "2025-05-20T13:29:00"),
    ("20. Mai 2025", None, "2025-05-20"),
    ("1 de marzo de 2021", None, "2021-03-01"),
    ("20 мая 2025", None, "2025-05-20"),
    ("May 20, 2025", None, "2025-05-20"),
    ("Sept. 3rd, 2019 at 7:05 pm", None, "2019-09-03T19:05:00"),
    ("December 12, 2020 12:30 AM", None, "2020-12-12T00:30:00"),
    # Not dates: no year, a year alone, a year out of range, an impossible day.
    ("12:55 AM", None, None),
    ("eHow Contributor", None, None),
    ("© 2024 Example News", None, None),
    ("In the 2012 book", None, None),
    ("1850-01-01", None, None),
    ("2021-02-30", None, None),
    ("", None, None),
    ("   ", None, None),
]


@pytest.mark.parametrize(("text", "day_first", "expected"), CASES)
def test_each_form_a_page_writes_is_read(
    text: str, day_first: bool | None, expected: str | None
) -> None:
    assert dates.to_iso(text, day_first) == expected


def test_values_that_are_no_text_are_no_date() -> None:
    for value in (None, 2025, ["2025-05-20"], {"date": "2025-05-20"}):
        assert dates.to_iso(value) is None


# The tests to_iso makes before each search (a four-digit year, then a character each
# pattern needs) stand for the patterns only if no text lacking them matches.
_NEEDS = [
    (dates._JAPANESE, ("年",)),
    (dates._SLASHED, ("/", ".")),
    (dates._DOTTED, (".",)),
    (dates._NUMERIC, ("/", "|")),
]
_PIECES = [
    "2025", "05", "5", "20", "13:29", "1999", "٢٠٢٥", "२०२५", "May", "Mai", "мая", "de",
    "年", "月", "日", "/", ".", "|", "-", ",", ":", " ", "  ", "\u00a0", "T", "Z", "+03:00",
    "am", "pm", "st", "th",
]  # fmt: skip


def test_the_searches_to_iso_skips_could_not_have_matched() -> None:
    draw = random.Random(20251208)
    for _ in range(20000):
        text = "".join(draw.choice(_PIECES) for _ in range(draw.randint(1, 9)))
        patterns = [dates._ISO, dates._DAY_MONTH, dates._MONTH_DAY] + [p for p, _ in _NEEDS]
        if any(pattern.search(text) for pattern in patterns):
            assert dates.YEAR.search(text), text
        for pattern, needs in _NEEDS:
            if pattern.search(text):
                assert any(character in text for character in needs), (pattern.pattern, text)
