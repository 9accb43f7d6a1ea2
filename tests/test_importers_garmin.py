"""Garmin Connect's Activities.csv: locale numbers, missing markers, times, local dates, and km or miles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kneelog import importers
from kneelog.errors import UnitsNeeded
from kneelog.importers.garmin import infer_units
from tests.import_fixtures import data_of, fixture, parse_entry, sample

GRUNT = "Romain-Thomas-Shef_grunt__Activities.csv"
RECOVANCE = "Ashan-264_Recovance__Activities_STRENGTH_ROWING_ROWS.csv"


def test_real_decimal_comma_file_reads_kilometres_and_seconds():
    """grunt: "3,40" km with "2.932" steps and stride "1,14" m: 2932 x 1.14 = 3342 m, so kilometres; the run is
    timed by its Moving Time 00:16:51 = 1011 s (Time 00:17:01)."""
    parsed = parse_entry(sample(GRUNT))
    assert parsed.units == "km"
    first = parsed.activities.iloc[0]
    assert (first["distance_m"], first["duration_s"], first["activity_type"]) == (3400.0, 1011.0, "Treadmill Running")
    assert first["start"].isoformat() == "2026-01-04T12:38:59+00:00"
    assert first["source_id"] == "2026-01-04T12:38:59"


def test_real_imperial_file_without_runs_needs_no_unit():
    """Recovance (miles, °F): three strength sessions and a rowing session; no run, so no question."""
    parsed = parse_entry(sample(RECOVANCE))
    assert parsed.counts == {"run": 0, "gym": 3}
    assert parsed.activities["duration_s"].tolist() == [3067.0, 201.9, 3573.0]  # 00:51:07, 00:03:21.9, 00:59:33
    assert parsed.left_out == {"Rowing": 1}


def test_local_dates_are_kept_as_written_whatever_the_runners_zone():
    for timezone in ("UTC", "Pacific/Auckland", "America/Los_Angeles"):
        parsed = parse_entry(sample(GRUNT), timezone=timezone)
        assert parsed.activities["date"].dt.date.astype(str).tolist()[0] == "2026-01-04"
        assert parsed.activities["start"].iloc[0].strftime("%H:%M:%S") == "12:38:59"


@pytest.mark.parametrize(
    ("distance", "steps", "stride", "duration", "expected"),
    [
        ([3.40, 6.60], [2932, 5810], [1.14, 1.13], [1021, 1987], "km"),  # stride in metres, distance in km
        ([3.11, 6.21], [6600, 13200], [2.49, 2.48], [1680, 3510], "mi"),  # stride in feet, distance in miles
        ([3.11, 6.21], [4100, 8200], [1.22, 1.22], [1680, 3510], "mi"),  # stride in metres, distance in miles
        ([5.0, 8.0], [np.nan, np.nan], [np.nan, np.nan], [1500, 2700], None),  # nothing to tell
        ([21.1, 5.0], [np.nan, np.nan], [np.nan, np.nan], [3600, 1500], "km"),  # 21.1 mi in an hour: no one runs that
    ],
)
def test_units_are_inferred_only_where_the_file_makes_them_certain(distance, steps, stride, duration, expected):
    series = [pd.Series(x, dtype="float64") for x in (distance, duration, steps, stride)]
    assert infer_units(*series) == expected


@pytest.mark.parametrize("units", ["km", "mi"])
def test_a_runners_unit_choice_is_used_when_the_file_cannot_say(units):
    parsed = parse_entry(fixture("garmin_en_mi.csv"), units=units)
    factor = {"km": 1000.0, "mi": 1609.344}[units]
    assert parsed.activities["distance_m"].dropna().tolist() == pytest.approx([3.11 * factor, 6.21 * factor])
    assert parsed.units == units


def test_a_unit_choice_that_contradicts_the_file_is_refused():
    with pytest.raises(UnitsNeeded, match=r"you chose miles, but the steps, stride lengths and paces .* kilometres"):
        parse_entry(sample(GRUNT), units="mi")


def test_missing_markers_are_missing_not_errors():
    """ "--" and "NaN" in columns kneelog reads or not: no rejected row."""
    parsed = parse_entry(fixture("garmin_en_km.csv"))
    assert parsed.rejected.empty
    assert parsed.counts == {"run": 3, "gym": 1}


@pytest.mark.parametrize(
    ("source_id", "seconds"),
    [("2025-06-01T07:05:12", 2530.0), ("2025-06-03T18:30:00", 1650.5), ("2025-06-07T08:00:00", 5520.0)],
)
def test_garmin_times_in_every_form(source_id, seconds):
    """00:42:10; 00:27:30.5; and "1:32", Garmin's hours-and-minutes for a long activity."""
    activities = parse_entry(fixture("garmin_en_km.csv")).activities.set_index("source_id")
    assert activities.loc[source_id, "duration_s"] == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("name", "language", "types"),
    [
        ("garmin_da.csv", "Danish", {"Løb", "Løbebånd", "Styrketræning"}),
        ("garmin_de.csv", "German", {"Laufen", "Laufband", "Krafttraining"}),
        ("garmin_sv_unicode.txt", "Swedish", {"Löpning", "Löpband", "Terränglöpning", "Styrketräning"}),
    ],
)
def test_localized_headers_and_types(name, language, types):
    parsed = parse_entry(fixture(name))
    assert parsed.language == language
    assert set(parsed.activities["activity_type"]) == types


def test_a_newer_export_gives_the_same_ids_to_the_same_activities():
    """Garmin has no activity id: ids come from the start time, so rows added above do not change them."""
    lines = data_of(sample(GRUNT)).decode().splitlines()
    newer = "\r\n".join([lines[0], lines[1].replace("2026-01-04 12:38:59", "2026-01-06 07:00:00"), *lines[1:]])
    old_ids = parse_entry(sample(GRUNT)).activities["source_id"].tolist()
    new_ids = importers.parse("newer.csv", newer.encode()).activities["source_id"].tolist()
    assert new_ids[1:] == old_ids and new_ids[0] == "2026-01-06T07:00:00"
