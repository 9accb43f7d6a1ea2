"""Strava's activities.csv: duplicate columns, UTC dates in the runner's zone, languages, quoting, effort."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from kneelog import importers
from kneelog.errors import FormatMismatch, UnitsNeeded
from kneelog.importers.canonical import entries
from tests.import_fixtures import FIXTURES, data_of, fixture, parse_entry, sample

RUN_ROWS = "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv"


def test_real_runs_take_metres_from_the_second_distance_and_seconds_from_the_moving_time():
    parsed = parse_entry(sample(RUN_ROWS))
    first = parsed.activities.iloc[0]
    # The row: Elapsed Time 1770, Distance 6.64 (km), ..., Elapsed Time 1770.0, Moving Time 1765.0, Distance 6639.4.
    assert first["source_id"] == "740821460"
    assert first["distance_m"] == pytest.approx(6639.39990234375)
    assert first["duration_s"] == 1765
    assert first["name"] == "Afternoon Run"
    assert first["start"].isoformat() == "2016-10-10T20:55:48+00:00"


@pytest.mark.parametrize(
    ("timezone", "day", "wall_clock"),
    [
        ("UTC", "2016-10-11", "03:30:00"),
        ("America/New_York", "2016-10-10", "23:30:00"),  # a run at 23:30 in New York stays on its own day
        ("Asia/Tokyo", "2016-10-11", "12:30:00"),
    ],
)
def test_utc_activity_dates_become_the_runners_local_day(timezone, day, wall_clock):
    parsed = parse_entry(fixture("strava_en_us.csv"), timezone=timezone)
    late = parsed.activities[parsed.activities["source_id"] == "1011"].iloc[0]
    assert late["date"].date().isoformat() == day
    assert late["start"].strftime("%H:%M:%S") == wall_clock
    entry = entries(parsed.activities)[list(parsed.activities["source_id"]).index("1011")]
    assert (entry.date, entry.start_time) == (dt.date.fromisoformat(day), dt.time.fromisoformat(wall_clock))


def test_berlin_runner_gets_a_late_utc_run_on_the_next_day():
    parsed = parse_entry(fixture("strava_de.csv"), timezone="Europe/Berlin")
    assert parsed.activities.set_index("source_id").loc["3006", "date"].date() == dt.date(2026, 9, 28)


def test_names_and_descriptions_keep_their_commas_and_line_breaks():
    activities = parse_entry(fixture("strava_en_us.csv")).activities.set_index("source_id")
    assert activities.loc["1002", "name"] == "Easy run, sore knee\n\nStopped twice.\nKnee ok on stairs after."
    assert activities.loc["1003", "name"] == "Trail, hills\nwith Sam"


def test_perceived_exertion_comes_along_as_effort():
    parsed = parse_entry(fixture("strava_en_us.csv"))
    efforts = dict(zip(parsed.activities["source_id"], parsed.activities["rpe"], strict=True))
    assert efforts["1002"] == 4 and efforts["1003"] == 7
    assert {e.source_id: e.rpe for e in entries(parsed.activities)}["1001"] is None


@pytest.mark.parametrize(
    ("name", "distances"),
    [
        ("strava_de.csv", {"3001": 5123.39990234375, "3002": 10051.900390625}),  # decimal commas
        ("strava_en_gb.csv", {"2001": 5004.2001953125}),  # a miles athlete: 3.11 in the first Distance column
    ],
)
def test_distances_are_metres_whatever_the_locale_or_display_unit(name, distances):
    activities = parse_entry(fixture(name)).activities.set_index("source_id")
    for source_id, metres in distances.items():
        assert activities.loc[source_id, "distance_m"] == pytest.approx(metres)


def test_untranslated_header_keys_are_ignored():
    header = (FIXTURES / "strava_en_gb.csv").read_text().splitlines()[0]
    assert "translation missing: en-GB.lib.export" in header
    assert parse_entry(fixture("strava_en_gb.csv")).counts == {"run": 2, "gym": 1}


def test_an_old_export_with_one_distance_column_asks_for_the_unit():
    lines = ["Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance",
             '1,"Oct 5, 2014, 4:15:21 PM",Lunch Run,Run,1800,5.2']  # fmt: skip
    data = "\n".join(lines).encode()
    with pytest.raises(UnitsNeeded, match=r"old\.csv, column 'Distance'.*one Distance column.*--units km\|mi"):
        importers.parse("old.csv", data)
    assert importers.parse("old.csv", data, units="mi").activities["distance_m"].iloc[0] == pytest.approx(8368.5888)


def test_the_format_can_be_chosen_but_must_fit_the_file():
    data = data_of(sample(RUN_ROWS))
    assert importers.parse("a.csv", data, format="strava").format.name == "strava"
    with pytest.raises(FormatMismatch, match=r"a\.csv: this does not look like a Garmin Connect export: it has no"):
        importers.parse("a.csv", data, format="garmin")


def test_the_real_export_is_recognised_by_its_column_names_not_their_order():
    """The real head with its columns in reverse order still reads the same runs, metres and seconds."""
    rows = [row[::-1] for row in csv.reader(io.StringIO(data_of(sample(RUN_ROWS)).decode(), newline=""))]
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    reversed_columns = importers.parse("reversed.csv", out.getvalue().encode())
    original = parse_entry(sample(RUN_ROWS))
    assert reversed_columns.format.name == "strava"
    assert reversed_columns.activities["distance_m"].tolist() == original.activities["distance_m"].tolist()
    assert reversed_columns.activities["duration_s"].tolist() == [1765.0, 1516.0, 2318.0]  # Moving Time
