"""Any CSV through a column mapping: reading by the runner's choices, remembering by header, guessing a start."""

from __future__ import annotations

import pytest

from kneelog import importers
from kneelog.errors import EntryInvalid, FormatMismatch, ValuesAmbiguous
from kneelog.importers import ColumnMapping, header_key
from kneelog.importers.mapping import suggest
from kneelog.models import parse_entry as validate
from tests.import_fixtures import data_of, fixture, parse_entry

LOG = "date,what,km,time,how hard\n{rows}"


def parse(rows: str, **mapping) -> importers.Parsed:
    fields = {"date": "date", "duration": "time", "distance": "km", "activity_type": "what"} | mapping
    return importers.parse("log.csv", LOG.format(rows=rows).encode(), mapping=ColumnMapping(**fields))


def test_a_home_made_log_reads_by_the_mapping():
    parsed = parse_entry(fixture("custom_log.csv"))
    activities = parsed.activities.set_index("name")
    assert activities.loc["Intervalle", "duration_s"] == 2710.0  # "45:10" as minutes and seconds
    assert activities.loc["locker", "distance_m"] == 5200.0  # "5,2" km
    assert activities.loc["Beine, Übungen", "kind"] == "gym"
    assert parsed.left_out == {"Rad": 1}
    assert set(parsed.activities["source"]) == {"csv"}


def test_a_mapping_naming_columns_the_file_lacks_is_refused():
    mapping = ColumnMapping(date="Date", duration="Time", distance="Km")
    with pytest.raises(FormatMismatch, match=r"custom_log\.csv: the column mapping names columns .*Date, Km, Time"):
        importers.parse("custom_log.csv", data_of(fixture("custom_log.csv")), mapping=mapping)


@pytest.mark.parametrize(
    ("mapping", "problem"),
    [
        ({"date": "d", "duration": "t"}, "choose the distance column"),  # every row a run, but no distance
        ({"date": "d", "duration": "t", "distance": "k", "distance_unit": "yards"}, "must be one of"),
    ],
)
def test_an_incomplete_mapping_says_what_is_missing(mapping, problem):
    with pytest.raises(EntryInvalid, match=problem):
        validate(ColumnMapping, mapping)


def test_a_file_of_gym_sessions_needs_no_distance():
    text = "day,minutes\n2025-01-02,45\n2025-01-04,50\n"
    mapping = ColumnMapping(date="day", duration="minutes", duration_unit="min", every_row="gym")
    parsed = importers.parse("gym.csv", text.encode(), mapping=mapping)
    assert parsed.counts == {"run": 0, "gym": 2}
    assert parsed.activities["duration_s"].tolist() == [2700.0, 3000.0]


def test_without_a_type_column_every_row_is_a_run():
    parsed = parse("2025-01-02,x,5,30:00,\n", activity_type=None)
    assert parsed.counts == {"run": 1, "gym": 0}
    assert parsed.activities["activity_type"].tolist() == ["Run"]


@pytest.mark.parametrize(
    ("unit", "form", "distance", "duration", "metres", "seconds"),
    [
        ("km", "clock", "5.2", "27:40", 5200.0, 1660.0),
        ("mi", "min", "3.1", "27.5", 3.1 * 1609.344, 1650.0),
        ("m", "s", "5200", "1660", 5200.0, 1660.0),
        ("km", "h", "21.1", "1.75", 21100.0, 6300.0),
    ],
)
def test_distance_units_and_duration_forms(unit, form, distance, duration, metres, seconds):
    parsed = parse(f"2025-01-02,Run,{distance},{duration},\n", distance_unit=unit, duration_unit=form)
    assert parsed.activities["distance_m"].iloc[0] == pytest.approx(metres)
    assert parsed.activities["duration_s"].iloc[0] == pytest.approx(seconds)


def test_a_separate_time_column_gives_the_start():
    text = "day,clock,km,dur\n02.01.2025,18:45,5,30:00\n"
    mapping = ColumnMapping(date="day", time="clock", distance="km", duration="dur")
    parsed = importers.parse("log.csv", text.encode(), mapping=mapping, timezone="Europe/Oslo")
    assert parsed.activities["start"].iloc[0].isoformat() == "2025-01-02T18:45:00+01:00"


def test_ambiguous_dates_are_refused_until_the_order_is_chosen():
    rows = "03/04/2025,Run,5,30:00,\n05/06/2025,Run,6,33:00,\n"
    with pytest.raises(ValuesAmbiguous, match=r"log\.csv, row 2, column 'date'"):
        parse(rows)
    assert parse(rows, date_order="mdy").activities["date"].dt.date.astype(str).tolist() == ["2025-03-04", "2025-05-06"]


def test_a_chosen_decimal_comma_reads_thousands_right():
    parsed = parse('2025-01-02,Run,"5,250",30:00,\n', distance_unit="m", decimal=",")
    assert parsed.activities["distance_m"].iloc[0] == 5.25


def test_the_header_key_ignores_case_and_spacing_but_not_columns():
    assert header_key(["Date", "Km "]) == header_key(["date", "km"])
    assert header_key(["Date", "Km"]) != header_key(["Km", "Date"])
    assert header_key(["Date", "Km"]) != header_key(["Date", "Km", "Notes"])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Datum", "Sport", "Strecke (km)", "Zeit", "Anstrengung", "Notiz"],
         {"date": "Datum", "activity_type": "Sport", "distance": "Strecke (km)", "duration": "Zeit",
          "rpe": "Anstrengung", "name": "Notiz"}),
        (["when", "miles", "minutes"],
         {"date": "when", "distance": "miles", "distance_unit": "mi", "duration": "minutes", "duration_unit": "min"}),
    ],
)  # fmt: skip
def test_a_first_guess_of_the_mapping_comes_from_the_column_names(header, expected):
    assert suggest(header) == expected
