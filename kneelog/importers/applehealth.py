"""Apple Health, through the HealthExport app: ``workouts.csv``.

Facts this follows (see ``docs/formats.md``): ``Date,Active energy burned(kcal),Activity,Distance(km),
Duration(Seconds),...``; units are part of the column names; ``Date`` is a range ``2021-01-02 15:05:17 -
2021-01-02 16:12:32`` in local time. There is no workout id: ids are built from the start time. Where the duration
column is missing, the range gives it.
"""

from __future__ import annotations

import pandas as pd

from kneelog.importers.aliases import Format, Read, column
from kneelog.importers.canonical import iso, passed_through, synthetic_ids, wall_clock
from kneelog.importers.values import Context, clock, date_range, in_units, scaled, text

DATE_STYLES = {"iso": ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "ISO8601")}

COLUMNS = (
    column("start", date_range(0, DATE_STYLES), required=True, en="Date"),
    column("end", date_range(1, DATE_STYLES), en="Date"),
    column("activity_type", text, required=True, en=("Activity", "Workout Type", "Type")),
    column(
        "distance_m",
        in_units("km"),
        required=True,
        by_header={"Distance(mi)": in_units("mi"), "Distance(m)": scaled(1.0)},
        en=("Distance(km)", "Distance(mi)", "Distance(m)"),
    ),
    column(
        "duration_s",
        scaled(1.0),
        by_header={
            "Duration(min)": scaled(60.0),
            "Duration(Minutes)": scaled(60.0),
            "Duration(h)": scaled(3600.0),
            "Duration(Hours)": scaled(3600.0),
            "Duration": clock(),
        },
        en=(
            "Duration(Seconds)",
            "Duration(s)",
            "Duration(min)",
            "Duration(Minutes)",
            "Duration(h)",
            "Duration(Hours)",
            "Duration",
        ),
    ),
)


def build(read: Read, kinds: pd.Series, ctx: Context) -> tuple[Read, str | None]:
    """Canonical fields: local start of the range, distance and duration in the units their headers name."""
    start, date = wall_clock(read["start"], ctx)
    fields = passed_through(read)
    if "duration_s" not in fields and "end" in read:
        span = (read["end"].values - read["start"].values).dt.total_seconds()
        fields["duration_s"] = read["end"].derive(span, read["start"].bad)
    ids = synthetic_ids(read["start"], iso(read["start"]), read["activity_type"].values)
    return fields | {"start": start, "date": date, "source_id": ids}, None


HOW_TO_EXPORT = "In the HealthExport app on your iPhone: export Workouts as CSV, then upload workouts.csv."
FORMAT = Format("applehealth", "Apple Health export (HealthExport)", COLUMNS, build, HOW_TO_EXPORT)
