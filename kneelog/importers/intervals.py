"""intervals.icu: the activities CSV (Settings > Download activities as CSV).

Facts this follows (see ``docs/formats.md``): the header starts ``id,start_date_local,name,type,
moving_time,distance,elapsed_time,...``; ``start_date_local`` is ISO local time (``2020-04-04T08:30:34``);
distances are metres and times seconds (``moving_time`` times runs where it is given); effort is ``icu_rpe`` (1-10).
"""

from __future__ import annotations

import pandas as pd

from kneelog.importers.aliases import Format, Read, column
from kneelog.importers.canonical import moving_for_runs, passed_through, wall_clock
from kneelog.importers.values import Context, datetimes, first_present, number, text

DATE_STYLES = {"iso": ("ISO8601",)}

COLUMNS = (
    column("source_id", text, required=True, en="id"),
    column("start", datetimes(DATE_STYLES), required=True, en="start_date_local"),
    column("name", text, en="name"),
    column("activity_type", text, required=True, en="type"),
    column("distance_m", number, required=True, en="distance"),
    column("elapsed_s", number, required=True, en="elapsed_time"),
    column("moving_s", number, en="moving_time"),
    column("rpe", number, en=("icu_rpe", "perceived_exertion")),
    column("description", text, en="description"),
)


def build(read: Read, kinds: pd.Series, ctx: Context) -> tuple[Read, str | None]:
    """Canonical fields: local ISO times, metres, and seconds: a run's moving_time where it is given and fits
    (:func:`~kneelog.importers.canonical.moving_for_runs`), else elapsed_time (else moving), which gym sessions keep.
    """
    start, date = wall_clock(read["start"], ctx)
    fields = passed_through(read)
    duration = first_present(read["elapsed_s"], read.get("moving_s"))
    duration = moving_for_runs(duration, read.get("moving_s"), kinds, read["distance_m"])
    return fields | {"start": start, "date": date, "duration_s": duration}, None


HOW_TO_EXPORT = "intervals.icu: Settings > Download activities (CSV)."
FORMAT = Format("intervals", "intervals.icu export", COLUMNS, build, HOW_TO_EXPORT)
