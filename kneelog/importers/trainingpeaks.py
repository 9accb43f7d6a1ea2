"""TrainingPeaks: the workouts export (Settings > Export Data > Workouts, or the calendar's export).

Facts this follows (see ``docs/formats.md``): every field quoted, CRLF; ``WorkoutDay`` is ``YYYY-MM-DD``
with no time of day; ``TimeTotalInHours`` is decimal hours; ``DistanceInMeters`` metres; ``Rpe`` 1-10;
``WorkoutType`` Run, Bike, Swim, Strength, Other, Day Off. Planned-only rows (no actual time or distance) and Day
Off rows are not activities: they are counted, not imported. There is no workout id: ids are built from the day,
type and title.
"""

from __future__ import annotations

import pandas as pd

from kneelog.importers.aliases import Format, Read, column
from kneelog.importers.canonical import day_only, default_kinds, passed_through, synthetic_ids
from kneelog.importers.kinds import OTHER
from kneelog.importers.values import Context, datetimes, number, scaled, text

PLANNED_ONLY = "Planned, not done"
DATE_STYLES = {"iso": ("%Y-%m-%d", "ISO8601"), "mdy": ("%m/%d/%Y",)}

COLUMNS = (
    column("name", text, en="Title"),
    column("activity_type", text, required=True, en="WorkoutType"),
    column("day", datetimes(DATE_STYLES), required=True, en="WorkoutDay"),
    column("distance_m", number, required=True, en="DistanceInMeters"),
    column("duration_s", scaled(3600.0), required=True, en="TimeTotalInHours"),
    column("rpe", number, en="Rpe"),
    column("description", text, en="AthleteComments"),
    column("planned_s", scaled(3600.0), en="PlannedDuration"),
)


def kinds(read: Read) -> tuple[pd.Series, pd.Series]:
    """By type, except that runs and gym sessions with no actual time and no actual distance were only planned."""
    kind, labels = default_kinds(read)
    empty = read["duration_s"].raw.str.strip().eq("") & read["distance_m"].raw.str.strip().eq("")
    planned = empty & kind.ne(OTHER)
    return kind.where(~planned, OTHER), labels.where(~planned, PLANNED_ONLY)


def build(read: Read, kinds: pd.Series, ctx: Context) -> tuple[Read, str | None]:
    """Canonical fields: the workout day (no time of day), hours to seconds, ids from day, type and title."""
    start, date = day_only(read["day"], ctx)
    title = read["name"].values if "name" in read else pd.Series("", index=kinds.index)
    ids = synthetic_ids(read["day"], read["day"].raw.str.strip(), read["activity_type"].values, title)
    fields = passed_through(read)
    return fields | {"start": start, "date": date, "source_id": ids}, None


HOW_TO_EXPORT = "TrainingPeaks website: Settings > Export Data, choose a date range and Export Workouts (CSV)."
FORMAT = Format("trainingpeaks", "TrainingPeaks export", COLUMNS, build, HOW_TO_EXPORT, kinds=kinds)
