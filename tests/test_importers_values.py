"""Converters: numbers in either locale, durations, dates in every style the exports use; never a silent NaN."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kneelog.errors import ValuesAmbiguous
from kneelog.importers import values as v

CTX = v.Context("f.csv", timezone="Europe/Berlin")


def column(*items: str) -> pd.Series:
    """Values as a column of the file, indexed by spreadsheet row (the first value is row 2)."""
    return pd.Series(list(items), index=range(2, 2 + len(items)), dtype="str")


def read(convert, *items: str, ctx: v.Context = CTX) -> list[float | None]:
    field = convert(column(*items), ctx, "Col")
    return [None if (isinstance(x, float) and math.isnan(x)) or x is pd.NaT else x for x in field.values]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("3,40", "6,60", "10,08"), [3.4, 6.6, 10.08]),  # Garmin, decimal comma
        (("5.85", "1,976", "2,815"), [5.85, 1976.0, 2815.0]),  # dot decimal settles the comma as thousands
        (("1.234,5", "2.932"), [1234.5, 2932.0]),  # both separators: the last one is the decimal
        (("1,234.5", "7,857"), [1234.5, 7857.0]),
        (("0,123",), [0.123]),  # a leading zero cannot be a thousands group
        (("13609.2001953125", "6.613169796764851e-05"), [13609.2001953125, 6.613169796764851e-05]),
        (("1770", "-4", "+12"), [1770.0, -4.0, 12.0]),
        (("1 234,5", "2\u00a0000"), [1234.5, 2000.0]),  # space and no-break space group thousands
        (("--", "", "NaN", "n/a", "12"), [None, None, None, None, 12.0]),  # placeholders are missing
    ],
)
def test_numbers_follow_the_locale_the_column_shows(values, expected):
    assert read(v.number, *values) == [None if e is None else pytest.approx(e) for e in expected]


def test_an_ambiguous_column_takes_the_files_locale():
    assert read(v.number, "2.932", "5.810", ctx=v.Context("f.csv", decimal=",")) == [2932.0, 5810.0]
    assert read(v.number, "2.932", ctx=v.Context("f.csv", decimal=".")) == [2.932]


def test_an_ambiguous_column_with_nothing_to_settle_it_is_refused():
    with pytest.raises(ValuesAmbiguous, match=r"f\.csv, row 3, column 'Col' \(value '2\.932'\): '2\.932' could be"):
        v.number(column("12", "2.932"), v.Context("f.csv"), "Col")


def test_a_chosen_decimal_separator_wins_over_the_column():
    assert read(v.number_with(","), "1.234", "5,5") == [1234.0, 5.5]


@pytest.mark.parametrize("bad", ["abc", "5 km", "1.2.3,4,5", "12,34,5", "--5"])
def test_text_that_is_not_a_number_is_marked_bad_never_silently_missing(bad):
    field = v.number(column("5.5", bad), CTX, "Col")
    assert field.bad.tolist() == [False, True]
    assert field.reason == "is not a number"


@pytest.mark.parametrize(
    ("text", "two_parts", "seconds"),
    [
        ("00:17:01", "m:ss", 1021.0),
        ("00:03:21.9", "m:ss", 201.9),
        ("00:01:39,6", "m:ss", 99.6),  # Garmin with decimal comma
        ("1:02:03", "m:ss", 3723.0),
        ("45:10", "m:ss", 2710.0),
        ("1:05", "h:mm", 3900.0),  # Garmin's short Time is hours and minutes
        ("1770", "m:ss", 1770.0),  # bare seconds
        ("12:75", "m:ss", None),
        ("1:05.5", "h:mm", None),
        ("1:60:00", "m:ss", None),
        ("soon", "m:ss", None),
    ],
)
def test_durations_in_every_form_garmin_and_spreadsheets_use(text, two_parts, seconds):
    field = v.clock(two_parts)(column(text), CTX, "Time")
    got = field.values.iloc[0]
    assert (None if math.isnan(got) else got) == (pytest.approx(seconds) if seconds is not None else None)
    assert bool(field.bad.iloc[0]) is (seconds is None)


STRAVA = {
    "en-US": ("%b %d %Y %I:%M:%S %p",),
    "en-GB": ("%d %b %Y %H:%M:%S",),
    "de": ("%d.%m.%Y %H:%M:%S",),
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oct 10, 2016, 8:55:48 PM", "2016-10-10 20:55:48"),
        ("Feb 4, 2017, 11:00:43 PM", "2017-02-04 23:00:43"),
        ("22 May 2024, 08:19:26", "2024-05-22 08:19:26"),
        ("20.09.2026, 14:12:12", "2026-09-20 14:12:12"),
        ("3 févr. 2025, 07:30:00", "2025-02-03 07:30:00"),
        ("1 mars 2025, 09:00:00", "2025-03-01 09:00:00"),
        ("22 mai 2024 à 08:19:26", "2024-05-22 08:19:26"),
        ("5. Sept. 2024, 06:00:00", None),  # not a style of the table given: bad, not guessed
    ],
)
def test_strava_date_styles_after_month_names_are_read(text, expected):
    field = v.datetimes(STRAVA, tidy=True)(column(text), CTX, "Activity Date")
    got = field.values.iloc[0]
    assert (None if pd.isna(got) else str(got)) == expected


def test_a_date_column_keeps_to_the_style_that_reads_most_of_it():
    raw = column("03/04/2025", "25/06/2025", "26/06/2025", "06/27/2025")
    field = v.datetimes(v.GENERIC_STYLES)(raw, CTX, "Date")
    days = [str(d.date()) if not pd.isna(d) else None for d in field.values]
    assert days == ["2025-04-03", "2025-06-25", "2025-06-26", None]
    assert field.bad.tolist() == [False, False, False, True]


def test_dates_that_read_two_ways_are_refused_unless_the_order_is_chosen():
    with pytest.raises(ValuesAmbiguous, match=r"row 2, column 'Date' \(value '03/04/2025'\).*day/month/year or"):
        v.datetimes(v.GENERIC_STYLES)(column("03/04/2025", "05/06/2025"), CTX, "Date")
    chosen = v.Context("f.csv", date_order="mdy")
    field = v.datetimes(v.GENERIC_STYLES)(column("03/04/2025"), chosen, "Date")
    assert str(field.values.iloc[0].date()) == "2025-03-04"


def test_iso_times_with_an_offset_become_the_runners_wall_clock():
    field = v.datetimes(v.GENERIC_STYLES)(column("2025-04-03T10:00:00Z", "2025-04-03 07:00"), CTX, "Date")
    assert [str(t) for t in field.values] == ["2025-04-03 12:00:00", "2025-04-03 07:00:00"]


def test_a_date_range_gives_its_start_and_end():
    styles = {"iso": ("%Y-%m-%d %H:%M:%S",)}
    raw = column("2021-01-02 15:05:17 - 2021-01-02 16:12:32", "2021-01-03 07:00:00")
    start, end = v.date_range(0, styles)(raw, CTX, "Date"), v.date_range(1, styles)(raw, CTX, "Date")
    assert str(start.values.iloc[0]) == "2021-01-02 15:05:17" and str(end.values.iloc[0]) == "2021-01-02 16:12:32"
    assert end.bad.tolist() == [False, True]  # no end given


def test_local_times_in_a_daylight_saving_gap_or_overlap_keep_their_day():
    naive = pd.Series(pd.to_datetime(["2024-03-31 02:30:00", "2024-10-27 02:30:00"]))
    aware = v.localise(naive, "Europe/Berlin")
    assert [t.date().isoformat() for t in aware] == ["2024-03-31", "2024-10-27"]
    assert aware.notna().all()
