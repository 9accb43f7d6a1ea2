"""A synthetic athlete of any length, and the Strava bulk export (``activities.csv``) of their training.

:func:`athlete` is :func:`kneelog.demo.generate` (runs about four times a week, zero to three gym sessions, stretch
sessions, daily knee check-ins, races) under the runner's own name: ``source="manual"``. :func:`strava_export`
writes the runs and gym sessions the way Strava does (the 103-column header of a real 2025 export, with its
duplicate ``Elapsed Time`` and ``Distance`` columns, UTC dates in the en-US style, whole seconds and kilometres
first, seconds and metres second), plus the rides and walks a real athlete also records, which kneelog leaves out:
ten years is about 5,000 activities.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np

from kneelog import clock
from kneelog.demo import generate
from kneelog.models import MANUAL, Entry, GymSession, Run

#: The header line of a real Strava bulk export (August 2025), column for column.
STRAVA_HEADER_LINE = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,"
    "Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,"
    "Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,"
    "Max Grade,Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,"
    "Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,Average Temperature,"
    "Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,Other Time,Perceived Exertion,Type,"
    "Start Time,Weighted Average Power,Power Count,Prefer Perceived Exertion,Perceived Relative Effort,Commute,"
    "Total Weight Lifted,From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,"
    "Weather Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,"
    "Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,"
    "Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,UV Index,Weather Ozone,"
    "Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,Newly Explored Distance,"
    "Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,"
    "Average Grade Adjusted Pace,Timer Time,Total Cycles,Recovery,With Pet,Competition,Long Run,For a Cause,Media"
)
STRAVA_HEADER = STRAVA_HEADER_LINE.split(",")
#: Where each value goes: the position of the first (or, with ``#2``, the second) column of that name.
_AT = {
    name + ("#2" if STRAVA_HEADER[:i].count(name) else ""): i
    for i, name in enumerate(STRAVA_HEADER)
    if STRAVA_HEADER[:i].count(name) < 2
}
FIRST_ID = 1_000_000_000


def athlete(days: int, end: dt.date | None = None, seed: int = 1) -> list[Entry]:
    """``days`` days of a synthetic runner's log ending on ``end`` (default today in UTC, the zone the benchmark's
    databases are set to), as the runner's own entries."""
    end = end or clock.local_today("UTC")
    return [e.model_copy(update={"source": MANUAL}) for e in generate(end, days=days, seed=seed)]


def _when(day: dt.date, start: dt.time | None, default: dt.time) -> str:
    moment = dt.datetime.combine(day, start or default)
    return f"{moment:%b} {moment.day}, {moment.year}, {moment.hour % 12 or 12}:{moment:%M:%S %p}"


def _row(activity_id: int, when: str, name: str, kind: str, elapsed: float, metres: float, **extra: object) -> list:
    row: list[object] = [""] * len(STRAVA_HEADER)
    values = {
        "Activity ID": activity_id,
        "Activity Date": when,
        "Activity Name": name,
        "Activity Type": kind,
        "Elapsed Time": int(round(elapsed)),
        "Distance": f"{metres / 1000:.2f}",
        "Commute": "false",
        "Filename": f"activities/{activity_id}.fit.gz",
        "Elapsed Time#2": float(round(elapsed)),
        "Moving Time": float(round(elapsed * 0.97)),
        "Distance#2": metres,
        "Commute#2": "0.0",
        "Media": "",
        **extra,
    }
    for name_, value in values.items():
        row[_AT[name_]] = value
    return row


def strava_export(entries: list[Entry], seed: int = 1, others_per_week: float = 4.0) -> bytes:
    """The runs and gym sessions of ``entries`` as a Strava ``activities.csv`` (UTF-8, dates in UTC).

    Args:
        entries: a log such as :func:`athlete` makes.
        seed: for the rides and walks added between them.
        others_per_week: rides and walks a week (left out by kneelog's import, as a real export's would be).
    """
    rng = np.random.default_rng(seed)
    rows: list[tuple[dt.date, list]] = []
    next_id = FIRST_ID
    for entry in entries:
        next_id += 1
        if isinstance(entry, Run):
            description = entry.notes or ("Easy, knee fine, felt good" if rng.random() < 0.1 else "")
            rows.append(
                (
                    entry.date,
                    _row(next_id, _when(entry.date, entry.start_time, dt.time(7)), "Morning Run", "Run",
                         entry.duration_s, entry.distance_m, **{"Activity Description": description,
                         "Perceived Exertion": "" if entry.rpe is None else float(entry.rpe)}),
                )
            )  # fmt: skip
        elif isinstance(entry, GymSession):
            rows.append(
                (
                    entry.date,
                    _row(next_id, _when(entry.date, entry.start_time, dt.time(18, 15)), "Evening Weight Training",
                         "Weight Training", entry.duration_s, 0.0, **{"Activity Description": entry.notes,
                         "Perceived Exertion": "" if entry.rpe is None else float(entry.rpe)}),
                )
            )  # fmt: skip
    if entries:
        first, last = min(e.date for e in entries), max(e.date for e in entries)
        days = (last - first).days + 1
        for offset in np.sort(rng.integers(0, days, size=int(days / 7 * others_per_week))):
            next_id += 1
            day = first + dt.timedelta(days=int(offset))
            ride = rng.random() < 0.6
            metres = float(round(rng.normal(30_000 if ride else 4_000, 5_000 if ride else 800), 1))
            rows.append(
                (
                    day,
                    _row(next_id, _when(day, None, dt.time(12, 30)), "Lunch Ride" if ride else "Walk",
                         "Ride" if ride else "Walk", abs(metres) / (7.0 if ride else 1.4), abs(metres)),
                )
            )  # fmt: skip
    rows.sort(key=lambda pair: pair[0])
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STRAVA_HEADER)
    writer.writerows(row for _, row in rows)
    return out.getvalue().encode("utf-8")
