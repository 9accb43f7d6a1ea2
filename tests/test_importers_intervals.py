"""intervals.icu activities: ISO local dates, metres, seconds, icu_rpe."""

from __future__ import annotations

from tests.import_fixtures import fixture, parse_entry


def test_activities_read_with_their_ids_times_and_effort():
    activities = parse_entry(fixture("intervals.csv"), timezone="Europe/Prague").activities.set_index("source_id")
    first = activities.loc["i1001"]
    assert first["start"].isoformat() == "2020-04-04T08:30:34+02:00"  # local time, kept as written
    assert (first["distance_m"], first["duration_s"], first["rpe"]) == (5010.2, 1800.0, 5.0)  # elapsed_time
    assert activities.loc["i1004", "kind"] == "gym" and activities.loc["i1004", "rpe"] == 6


def test_virtual_and_trail_runs_are_runs():
    activities = parse_entry(fixture("intervals.csv")).activities
    assert set(activities.loc[activities["kind"] == "run", "activity_type"]) == {"Run", "VirtualRun", "TrailRun"}
