"""Activity summaries into kneelog's canonical frame, checked by the same limits, in the same words, as a CSV row.

The frame has the canonical columns (:data:`kneelog.importers.canonical.COLUMNS`) and what a device file adds
(:data:`EXTRA_COLUMNS`): the file the row came from, elapsed time, ascent, average and maximum heart rate and the
seconds at each bpm (:func:`kneelog.importers.files.summary.encode`). ``duration_s`` is a run's moving time where it
fits (:func:`kneelog.importers.canonical.moving_for_runs`), else its elapsed time, which gym sessions always keep.
``start`` is the device's wall-clock time where the file gives its UTC offset (as a Garmin CSV writes it), else the
UTC start in the runner's zone (as Strava's); ``date`` is that start's day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kneelog import limits
from kneelog.importers import canonical
from kneelog.importers.canonical import moving_for_runs
from kneelog.importers.files.summary import Activity, encode
from kneelog.importers.kinds import GYM, OTHER, RUN, classify
from kneelog.importers.values import Context, Field, first_present, localise
from kneelog.models import DEVICE_FIELDS
from kneelog.units import format_duration

EXTRA_COLUMNS = ("member", "elapsed_s", "elevation_gain_m", "hr_avg", "hr_max", "hr_seconds")
COLUMNS = (*canonical.COLUMNS, *EXTRA_COLUMNS)
#: One line per refused file or activity: the file (inside an archive, its name there), the row where it has one
#: (activities.csv's row, or the activity's number), the column and value at fault where a limit refused it.
REJECTED_COLUMNS = ("member", "row", "column", "value", "reason")
#: The type under which activities whose file names no sport are counted as left out.
NO_SPORT = "(no sport in the file)"


@dataclass(frozen=True)
class FilesRead:
    """Activity files (or an archive of them) read into the canonical frame, with what was left out or refused.

    Shaped like :class:`kneelog.importers.canonical.Parsed` where the import session reads it (``activities``,
    ``left_out``, ``rejected``, ``read``, ``counts``, ``summary``).
    """

    file: str
    label: str  # "Strava bulk export", "Garmin Connect export", "zip of activity files", "FIT file", ...
    read: int  # activities found, of every kind
    activities: pd.DataFrame  # COLUMNS, indexed by row
    left_out: dict[str, int]  # activity type -> activities not imported because of their type
    rejected: pd.DataFrame  # REJECTED_COLUMNS

    @property
    def counts(self) -> dict[str, int]:
        """Importable entries by kind (``run``, ``gym``)."""
        kinds = self.activities["kind"].value_counts().reindex([RUN, GYM], fill_value=0)
        return {str(kind): int(n) for kind, n in kinds.items()}

    @property
    def rejected_rows(self) -> int:
        """Lines refused: files that could not be read, activities a limit refused, repeats."""
        return len(self.rejected)

    def summary(self) -> str:
        """``Strava bulk export, 1,845 activities, 643 runs, 12 gym sessions, 2 problems``."""
        runs, gyms = self.counts[RUN], self.counts[GYM]
        parts = [self.label, _plural(self.read, "activity", "activities"), _plural(runs, "run", "runs")]
        parts += [_plural(gyms, "gym session", "gym sessions")] if gyms else []
        parts += [_plural(self.rejected_rows, "problem", "problems")] if self.rejected_rows else []
        return ", ".join(parts)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def empty_rejected() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str") for c in REJECTED_COLUMNS})


def rejected(lines: Sequence[tuple[str, int | None, str, str, str]]) -> pd.DataFrame:
    """A rejected frame from (member, row, column, value, reason) lines."""
    if not lines:
        return empty_rejected()
    frame = pd.DataFrame(list(lines), columns=list(REJECTED_COLUMNS))
    return frame.astype({"row": "Int64", "member": "str", "column": "str", "value": "str", "reason": "str"})


#: The limit each number a device file adds must keep to be stored; a value beyond it is left out (the activity
#: is still imported: these details are extras, and a restore checks them by the same limits).
DETAIL_LIMITS = {
    "elapsed_s": limits.ELAPSED,
    "elevation_gain_m": limits.ASCENT,
    "hr_avg": limits.HEART_RATE,
    "hr_max": limits.HEART_RATE,
}


def extras(activity: Activity | None) -> dict[str, object]:
    """The :data:`EXTRA_COLUMNS` an activity file gives a row (missing values without one, or beyond
    :data:`DETAIL_LIMITS`)."""
    if activity is None:
        return dict.fromkeys(EXTRA_COLUMNS, np.nan) | {"member": "", "hr_seconds": ""}
    numbers = {name: _float(getattr(activity, name)) for name in DETAIL_LIMITS}
    kept = {name: v if np.isnan(v) or DETAIL_LIMITS[name].problem(v) is None else np.nan for name, v in numbers.items()}
    text = encode(activity.hr_seconds)
    return {"member": activity.member, **kept, "hr_seconds": text if len(text) <= limits.MAX_HR_SECONDS_CHARS else ""}


def details(frame: pd.DataFrame) -> list[dict[str, float | str | None]]:
    """Each row's device details as an entry's fields (:data:`kneelog.models.DEVICE_FIELDS`), None where missing.

    Rows of a CSV import have none of these columns, and get None throughout.
    """
    out: dict[str, list] = {}
    for name in DEVICE_FIELDS:
        if name not in frame:
            out[name] = [None] * len(frame)
        elif name == "hr_seconds":
            out[name] = [v if isinstance(v, str) and v else None for v in frame[name]]
        else:
            out[name] = [None if pd.isna(v) else float(v) for v in frame[name]]
    return [dict(zip(DEVICE_FIELDS, values, strict=True)) for values in zip(*out.values(), strict=True)]


def _float(value: float | None) -> float:
    return np.nan if value is None else float(value)


def empty_frame(timezone: str) -> pd.DataFrame:
    """A frame with :data:`COLUMNS` and their types, and no rows."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in COLUMNS}, index=pd.Index([], dtype="int64", name="row"))
    floats = ("distance_m", "duration_s", "rpe", "elapsed_s", "elevation_gain_m", "hr_avg", "hr_max")
    return frame.astype(
        {"start": f"datetime64[us, {timezone}]", "date": "datetime64[us]"} | dict.fromkeys(floats, "float64")
    )


def activities_frame(
    activities: Sequence[Activity], rows: Sequence[int], ctx: Context
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Runs and gym sessions as canonical rows, the problems of those a limit refuses, and the rest by type.

    Args:
        activities: the summaries, in order.
        rows: the row number each gets (unique).
        ctx: the runner's zone and today (a session after today is refused as in the future).

    Returns:
        The frame (:data:`COLUMNS`, indexed by row), the rejected lines (:data:`REJECTED_COLUMNS`) and the number
        left out by activity type.
    """
    if not activities:
        return empty_frame(ctx.timezone), empty_rejected(), {}
    index = pd.Index(list(rows), name="row")
    types = pd.Series([a.activity_type for a in activities], index=index, dtype="str")
    kinds = classify(types, pd.Series([a.name for a in activities], index=index, dtype="str"))
    start = _starts(activities, index, ctx.timezone)
    fields = _fields(activities, kinds, start)
    problems = canonical.check(fields, kinds, ctx)
    keep = kinds.isin([RUN, GYM]) & ~kinds.index.isin(problems["row"].unique())
    chosen = index[keep.to_numpy(dtype=bool)]
    by_row = dict(zip(index, activities, strict=True))
    frame = pd.DataFrame(
        {
            "source": [by_row[r].format for r in chosen],
            "source_id": fields["source_id"].values.loc[chosen],
            "start": start.loc[chosen],
            "date": fields["date"].values.loc[chosen],
            "distance_m": fields["distance_m"].values.loc[chosen].where(kinds.loc[chosen] == RUN),
            "duration_s": fields["duration_s"].values.loc[chosen].astype("float64"),
            "activity_type": types.loc[chosen].str.slice(0, 100),
            "kind": kinds.loc[chosen].astype("str"),
            "rpe": np.nan,
            "name": [by_row[r].name[:20_000] for r in chosen],
        },
        index=chosen,
    )
    frame = frame.join(pd.DataFrame([extras(by_row[r]) for r in chosen], index=chosen, columns=list(EXTRA_COLUMNS)))
    refused = rejected(
        [(by_row[p.row].member, p.row, p.column, p.value, p.reason) for p in problems.itertuples(index=False)]
    )
    left = types[kinds == OTHER].where(types[kinds == OTHER] != "", NO_SPORT).value_counts()
    frame = frame[list(COLUMNS)] if len(frame) else empty_frame(ctx.timezone)
    return frame, refused, {str(k): int(v) for k, v in left.items()}


def _starts(activities: Sequence[Activity], index: pd.Index, timezone: str) -> pd.Series:
    """Each start in the runner's zone: the device's wall clock where known, else the UTC start converted."""
    wall = pd.Series(pd.to_datetime([a.local_start for a in activities]), index=index).astype("datetime64[us]")
    utc = [a.start_utc.replace(tzinfo=None) if a.start_utc is not None else None for a in activities]
    moment = pd.Series(pd.to_datetime(utc), index=index).astype("datetime64[us]")
    from_wall = localise(wall, timezone)
    return from_wall.where(wall.notna(), localise(moment, timezone, utc=True))


def _fields(activities: Sequence[Activity], kinds: pd.Series, start: pd.Series) -> dict[str, Field]:
    """The canonical fields :func:`kneelog.importers.canonical.check` reads, with the words a runner reads."""
    index = kinds.index

    def field(values: list, header: str, shown: list[str], dtype: str = "float64") -> Field:
        series = pd.Series(values, index=index, dtype=dtype)
        return Field(series, pd.Series(False, index=index), pd.Series(shown, index=index, dtype="str"), header)

    metres = [_float(a.distance_m) for a in activities]
    elapsed = [_float(a.elapsed_s) for a in activities]
    moving = [_float(a.moving_s) for a in activities]
    day = start.dt.tz_localize(None).dt.normalize().astype("datetime64[us]")
    ids = [a.source_id for a in activities]
    distance = field(metres, "distance", ["" if np.isnan(m) else f"{m / 1000:.2f} km" for m in metres])
    elapsed_field = field(elapsed, "duration", [format_duration(s) for s in elapsed])
    moving_field = field(moving, "moving time", [format_duration(s) for s in moving])
    duration = moving_for_runs(first_present(elapsed_field, moving_field), moving_field, kinds, distance)
    return {
        "source_id": field(ids, "start", ids, "str"),
        "date": Field(day, pd.Series(False, index=index), day.dt.strftime("%Y-%m-%d").fillna(""), "date"),
        "distance_m": distance,
        "duration_s": duration,
    }
