"""Units: metres and seconds in storage, the runner's unit and typed durations at the edges."""

import math

import pytest

from kneelog.units import format_distance, format_duration, from_unit, parse_duration, to_unit


@pytest.mark.parametrize(("metres", "unit", "expected"), [(1609.344, "mi", 1.0), (42195, "km", 42.195), (0, "mi", 0)])
def test_to_unit(metres, unit, expected):
    assert to_unit(metres, unit) == pytest.approx(expected)


@pytest.mark.parametrize("unit", ["km", "mi"])
def test_from_unit_inverts_to_unit(unit):
    assert from_unit(to_unit(12345.6, unit), unit) == pytest.approx(12345.6)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(10000, "km", "10.00 km"), (10000, "mi", "6.21 mi"), (None, "km", "—"), (math.nan, "km", "—")],
)
def test_format_distance(value, unit, expected):
    assert format_distance(value, unit) == expected


@pytest.mark.parametrize(("seconds", "expected"), [(2730, "45:30"), (3930, "1:05:30"), (59.6, "1:00"), (None, "—")])
def test_format_duration(seconds, expected):
    assert format_duration(seconds) == expected


@pytest.mark.parametrize(
    ("text", "seconds"), [("45", 2700), ("45:30", 2730), ("1:05:30", 3930), (" 50 ", 3000), ("1,5", 90)]
)
def test_parse_duration_reads_what_runners_type(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is required"),
        ("abc", "not a time"),
        ("1:75", "not a time"),
        ("1:2:3:4", "not a time"),
        ("-5", "not a time"),
    ],
)
def test_parse_duration_refuses_what_is_not_a_time(text, message):
    with pytest.raises(ValueError, match=message):
        parse_duration(text)
