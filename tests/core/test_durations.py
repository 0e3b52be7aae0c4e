import pytest

from tui.core.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("raw", "seconds", "shown"),
    [
        ("42:9", 2529, "42:09"),
        ("57:4", 3424, "57:04"),
        ("3600", 3600, "1:00:00"),
        ("1:02:03", 3723, "1:02:03"),
        ("01:02:03.500", 3723, "1:02:03"),
        ("PT1H2M", 3720, "1:02:00"),
        ("PT42M9S", 2529, "42:09"),
        ("1h 2m 3s", 3723, "1:02:03"),
        (59, 59, "0:59"),
        ("2529.4", 2529, "42:09"),
    ],
)
def test_known_forms(raw: object, seconds: int, shown: str) -> None:
    assert parse_duration(raw) == seconds
    assert format_duration(parse_duration(raw)) == shown


@pytest.mark.parametrize(
    "raw", ["", "abc", "-5", "0:00", "99999999", "1:75", None, True, float("nan"), "PT", "::"]
)
def test_unknown_forms_are_none(raw: object) -> None:
    assert parse_duration(raw) is None
    assert format_duration(parse_duration(raw)) is None
