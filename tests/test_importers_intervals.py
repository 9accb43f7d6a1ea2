"""intervals.icu activities: ISO local dates, metres, seconds, icu_rpe."""

from __future__ import annotations

import pytest

from kneelog import importers
from tests.import_fixtures import fixture, parse_entry


def test_activities_read_with_their_ids_times_and_effort():
    activities = parse_entry(fixture("intervals.csv"), timezone="Europe/Prague").activities.set_index("source_id")
    first = activities.loc["i1001"]
    assert first["start"].isoformat() == "2020-04-04T08:30:34+02:00"  # local time, kept as written
    assert (first["distance_m"], first["duration_s"], first["rpe"]) == (5010.2, 1750.0, 5.0)  # moving_time, not 1800
    assert activities.loc["i1004", "kind"] == "gym" and activities.loc["i1004", "rpe"] == 6


def test_virtual_and_trail_runs_are_runs():
    activities = parse_entry(fixture("intervals.csv")).activities
    assert set(activities.loc[activities["kind"] == "run", "activity_type"]) == {"Run", "VirtualRun", "TrailRun"}


@pytest.mark.parametrize(
    ("kind", "metres", "moving", "elapsed", "seconds"),
    [
        ("Run", 5010.2, "1750", "1800", 1750.0),  # moving time: stops at lights left out
        ("Run", 5010.2, "", "1800", 1800.0),  # no moving time: elapsed
        ("Run", 5010.2, "0", "1800", 1800.0),  # 0 stands for none
        ("Run", 5010.2, "1900", "1800", 1800.0),  # longer than the elapsed time: not a moving time
        ("Run", 5010.2, "600", "1800", 1800.0),  # 5010 m in 600 s = 8.4 m/s, faster than any world record
        ("WeightTraining", 0, "600", "2500", 2500.0),  # a gym session counts its rests between sets
    ],
)
def test_a_run_is_timed_by_its_moving_time_where_it_fits(kind, metres, moving, elapsed, seconds):
    header = "id,start_date_local,name,type,moving_time,distance,elapsed_time"
    text = f"{header}\na1,2020-04-04T08:30:34,x,{kind},{moving},{metres},{elapsed}\n"
    parsed = importers.parse("activities.csv", text.encode())
    assert parsed.rejected.empty
    assert parsed.activities["duration_s"].tolist() == [seconds]
