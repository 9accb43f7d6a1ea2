"""TrainingPeaks workouts: decimal hours, metres, Rpe; planned-only and Day Off rows are not activities."""

from __future__ import annotations

import pytest

from kneelog.importers.canonical import entries
from tests.import_fixtures import fixture, parse_entry


def test_done_workouts_are_read_in_seconds_and_metres():
    activities = parse_entry(fixture("trainingpeaks.csv")).activities.set_index("name")
    easy = activities.loc["Easy Run"]
    assert easy["duration_s"] == pytest.approx(0.761234567890123 * 3600)  # TimeTotalInHours
    assert easy["distance_m"] == 8012.5 and easy["rpe"] == 4
    assert activities.loc["Gym: legs\n\nFelt strong", "duration_s"] == pytest.approx(2880.0)


def test_planned_only_and_day_off_rows_are_counted_not_imported():
    parsed = parse_entry(fixture("trainingpeaks.csv"))
    assert parsed.left_out["Planned, not done"] == 1  # "Long Run — Fluss": planned 18 km, nothing done
    assert parsed.left_out["Day Off"] == 1
    assert "Long Run — Fluss" not in set(parsed.activities["name"])


def test_workout_days_have_no_time_of_day():
    parsed = parse_entry(fixture("trainingpeaks.csv"))
    assert parsed.activities["start"].isna().all()
    assert all(e.start_time is None for e in entries(parsed.activities))
    assert sorted(parsed.activities["date"].dt.date.astype(str)) == [
        "2025-04-01", "2025-04-02", "2025-04-03", "2025-04-08"
    ]  # fmt: skip


def test_multi_line_descriptions_and_non_ascii_titles_survive():
    parsed = parse_entry(fixture("trainingpeaks.csv"))
    assert "Løb ved søen" in set(parsed.activities["name"])
    assert parsed.activities.index.tolist() == [2, 3, 6, 9]  # the 6x800 description spans two lines in row 3


def test_ids_come_from_day_type_and_title():
    ids = parse_entry(fixture("trainingpeaks.csv")).activities["source_id"].tolist()
    assert ids[0] == "2025-04-01|Run|Easy Run"
