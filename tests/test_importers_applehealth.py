"""Apple Health workouts via HealthExport: date ranges, and units written in the column names."""

from __future__ import annotations

import pytest

from kneelog import importers

HEADER = "Date,Active energy burned(kcal),Activity,{distance},{duration}"
ROW = "2021-01-02 15:05:17 - 2021-01-02 15:37:32,320,Running,{distance},{duration}"


@pytest.mark.parametrize(
    ("distance_header", "distance", "metres"),
    [("Distance(km)", "5.2", 5200.0), ("Distance(mi)", "3.1", 3.1 * 1609.344), ("Distance (m)", "5200", 5200.0)],
)
def test_the_distance_unit_comes_from_the_column_name(distance_header, distance, metres):
    text = "\n".join([HEADER.format(distance=distance_header, duration="Duration(Seconds)"),
                      ROW.format(distance=distance, duration="1935")])  # fmt: skip
    parsed = importers.parse("workouts.csv", text.encode())
    assert parsed.format.name == "applehealth"
    assert parsed.activities["distance_m"].iloc[0] == pytest.approx(metres)


@pytest.mark.parametrize(
    ("duration_header", "duration", "seconds"),
    [("Duration(Seconds)", "1935", 1935.0), ("Duration(min)", "32.25", 1935.0), ("Duration", "32:15", 1935.0)],
)
def test_the_duration_unit_comes_from_the_column_name(duration_header, duration, seconds):
    text = "\n".join([HEADER.format(distance="Distance(km)", duration=duration_header),
                      ROW.format(distance="5.2", duration=duration)])  # fmt: skip
    assert importers.parse("workouts.csv", text.encode()).activities["duration_s"].iloc[0] == pytest.approx(seconds)


def test_without_a_duration_column_the_date_range_gives_it():
    text = "Date,Activity,Distance(km)\n2021-01-02 15:05:17 - 2021-01-02 15:37:32,Running,5.2\n"
    parsed = importers.parse("workouts.csv", text.encode())
    assert parsed.activities["duration_s"].iloc[0] == pytest.approx(32 * 60 + 15)
    assert parsed.activities["start"].iloc[0].strftime("%Y-%m-%d %H:%M:%S") == "2021-01-02 15:05:17"
