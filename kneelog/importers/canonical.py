"""The canonical frame every importer returns, and the checks that stand between a file and the store.

Whatever the platform, a parsed file is one frame with the columns :data:`COLUMNS`: ``source`` and ``source_id``,
``start`` (tz-aware, in the runner's zone; NaT when the file gives only a day), ``date`` (the runner's local
calendar day), ``distance_m``, ``duration_s``, ``activity_type`` (as the platform names it), ``kind`` (``run`` or
``gym``), ``rpe`` and ``name``, indexed by ``row`` (the spreadsheet row in the file; the header is row 1).

Rows that would become entries are checked column by column, vectorised, against the rule table of
:mod:`kneelog.limits` that the pydantic models read too; a row that fails is rejected with its row, column, value
and reason (the same words a form shows), and a column that fails in most rows refuses the whole file. The rows
that pass become store entries once, at commit (:func:`entries`), without validating each again: a property test
(``tests/test_importers_fuzz.py``) holds that every row passing this check is a valid model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from kneelog import limits
from kneelog.errors import ColumnUnreadable, FormatMismatch
from kneelog.importers.aliases import Format, Found, Read
from kneelog.importers.kinds import GYM, OTHER, RUN, classify
from kneelog.importers.reading import DELIMITER_NAMES, Table
from kneelog.importers.values import Context, Field, decimal_votes, localise
from kneelog.models import Entry, GymSession, Run

COLUMNS = ("source", "source_id", "start", "date", "distance_m", "duration_s", "activity_type", "kind", "rpe", "name")
REJECTED_COLUMNS = ("row", "column", "value", "reason")
#: The canonical fields each kind of entry needs, in the order problems are reported.
NEEDED = {
    RUN: ("source_id", "date", "distance_m", "duration_s", "rpe"),
    GYM: ("source_id", "date", "duration_s", "rpe"),
}
#: Canonical fields every builder must produce, with the words a runner knows them by.
CANONICAL_NAMES = {"source_id": "id", "date": "date", "duration_s": "duration", "activity_type": "type"}
#: Share of a column's values that may fail before the column, not the rows, is taken to be the problem.
GARBAGE_SHARE = 0.5
_NO_TYPE = "(no activity type)"


@dataclass(frozen=True)
class Parsed:
    """One file read into the canonical frame, with everything the runner should see before importing."""

    file: str
    format: Format
    language: str
    encoding: str
    delimiter: str
    read: int  # data rows in the file
    activities: pd.DataFrame  # runs and gym sessions that pass every check (COLUMNS, indexed by row)
    left_out: dict[str, int]  # activity type -> rows not imported because of their type
    rejected: pd.DataFrame  # REJECTED_COLUMNS, one line per problem
    units: str | None = None  # the distance unit used where the file does not state it
    warnings: tuple[str, ...] = ()  # what the runner should check (lines read in another encoding), as sentences

    @property
    def counts(self) -> dict[str, int]:
        """Importable entries by kind (``run``, ``gym``)."""
        kinds = self.activities["kind"].value_counts()
        return {kind: int(kinds.get(kind, 0)) for kind in (RUN, GYM)}

    @property
    def rejected_rows(self) -> int:
        return int(self.rejected["row"].nunique())

    def summary(self) -> str:
        """``Strava export, German, 1,845 activities, 643 runs, 12 gym sessions``."""
        counts = self.counts
        parts = [p for p in (self.format.label, self.language) if p]
        parts.append(_plural(self.read, "activity", "activities"))
        parts.append(_plural(counts[RUN], "run", "runs"))
        if counts[GYM]:
            parts.append(_plural(counts[GYM], "gym session", "gym sessions"))
        return ", ".join(parts)

    def reading_notes(self) -> str:
        """How the file was read: encoding, delimiter, units (for the curious and for bug reports)."""
        notes = [self.encoding, f"{DELIMITER_NAMES[self.delimiter]}-separated"]
        if self.units:
            notes.append(f"distances in {'miles' if self.units == 'mi' else 'kilometres'}")
        return ", ".join(notes)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def file_decimal(table: Table) -> str | None:
    """The decimal separator all the file's columns agree on, or None when they do not settle it."""
    comma = dot = 0
    for position in table.data.columns:
        c, d = decimal_votes(table.data[position])
        comma, dot = comma + c, dot + d
    if comma and not dot:
        return ","
    if dot and not comma:
        return "."
    return None


def default_kinds(read: Read) -> tuple[pd.Series, pd.Series]:
    """Kinds by activity type (and name, for generic workouts); rows left out are counted under their type."""
    types = read["activity_type"].values
    kinds = classify(types, read["name"].values if "name" in read else None)
    return kinds, types.where(types != "", _NO_TYPE)


def parse_table(fmt: Format, found: dict[str, Found], table: Table, ctx: Context, language: str) -> Parsed:
    """Read, classify, build, check and validate one table: the whole pipeline after format detection.

    Raises:
        ColumnUnreadable: when most values of a column the import needs cannot be read.
        UnitsNeeded, ValuesAmbiguous: from the format's rules, when the runner has to decide.
    """
    ctx = replace(ctx, decimal=file_decimal(table))
    read: Read = {name: f.convert(table.data[f.position], ctx, f.header) for name, f in found.items()}
    kinds, labels = (fmt.kinds or default_kinds)(read)
    fields, units = fmt.build(read, kinds, ctx)
    lacking = [CANONICAL_NAMES[name] for name in CANONICAL_NAMES if name not in fields]
    if lacking:
        raise FormatMismatch(
            ctx.file,
            f"the file has no column for the {' or the '.join(lacking)} of each activity",
            "Export it again with all columns, or map its columns on the Import page.",
        )
    problems = check(fields, kinds, ctx)
    keep = kinds.isin([RUN, GYM]) & ~kinds.index.isin(problems["row"].unique())
    frame = _frame(fmt, fields, kinds, keep)
    left = labels[kinds == OTHER].value_counts()
    return Parsed(
        file=table.file,
        format=fmt,
        language=language,
        encoding=table.encoding,
        delimiter=table.header.delimiter,
        read=len(table.data),
        activities=frame,
        left_out={str(k): int(v) for k, v in left.items()},
        rejected=problems.sort_values(["row"], kind="stable").reset_index(drop=True),
        units=units,
        warnings=table.warnings,
    )


def check(fields: Read, kinds: pd.Series, ctx: Context) -> pd.DataFrame:
    """Every problem of every row that would become an entry: (row, column, value, reason), vectorised.

    Raises:
        ColumnUnreadable: when more than half the values a column gives these rows cannot be read.
    """
    found: list[pd.DataFrame | None] = []
    for kind, needed in NEEDED.items():
        rows = kinds == kind
        if not rows.any():
            continue
        for name in needed:
            field = fields.get(name)
            if field is None:
                continue
            _refuse_garbage(ctx, field, rows)
            found.append(_problems(rows & field.bad, field, field.reason))
        found.extend(_bounds(fields, kind, rows, ctx))
    found = [f for f in found if f is not None]
    if not found:
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "column": [], "value": [], "reason": []})
    problems = pd.concat(found, ignore_index=True)
    return problems.drop_duplicates(["row", "column"]).astype({"row": "int64"})


def _refuse_garbage(ctx: Context, field: Field, rows: pd.Series) -> None:
    bad = rows & field.bad
    given = rows & field.raw.str.strip().ne("")
    if bad.sum() and bad.sum() > GARBAGE_SHARE * given.sum():
        first = bad.idxmax()
        raise ColumnUnreadable(
            ctx.file,
            f"{int(bad.sum()):,} of {int(given.sum()):,} values in this column cannot be read; this one {field.reason}",
            "Check that the file is an unedited export; if the column holds something else, map the columns on the "
            "Import page.",
            row=int(first),
            column=field.header,
            value=str(field.raw[first]),
        )


def _problems(mask: pd.Series, field: Field, reason: str) -> pd.DataFrame | None:
    if not mask.any():
        return None
    rows = mask.index[mask.to_numpy(dtype=bool)]
    return pd.DataFrame(
        {"row": rows, "column": field.header, "value": field.raw.loc[rows].to_numpy(dtype=object), "reason": reason}
    )


def _limit(rows: pd.Series, field: Field, reasons: pd.Series) -> pd.DataFrame | None:
    """Problems where a :mod:`kneelog.limits` check gave a reason, on the rows that would become entries."""
    broken = rows & reasons.notna()
    if not broken.any():
        return None
    found = _problems(broken, field, "")
    found["reason"] = reasons[broken].to_numpy(dtype=object)
    return found


def _bounds(fields: Read, kind: str, rows: pd.Series, ctx: Context) -> list[pd.DataFrame | None]:
    """The limits of :mod:`kneelog.limits`, one vectorised test each."""
    out: list[pd.DataFrame | None] = []
    date, duration = fields["date"], fields["duration_s"]
    missing_day = rows & date.values.isna() & ~date.bad
    out.append(_problems(missing_day, date, "is empty: kneelog needs the day of the activity"))
    out.append(_limit(rows, date, limits.dates_broken(date.values, ctx.today)))
    seconds = duration.values
    out.append(_problems(rows & seconds.isna() & ~duration.bad, duration, "is empty: kneelog needs the duration"))
    out.append(_limit(rows, duration, (limits.RUN_DURATION if kind == RUN else limits.GYM_DURATION).broken(seconds)))
    if kind == RUN:
        distance = fields["distance_m"]
        metres = distance.values
        out.append(_problems(rows & metres.isna() & ~distance.bad, distance, "is empty: a run needs its distance"))
        out.append(_limit(rows, distance, limits.RUN_DISTANCE.broken(metres)))
        fast = rows & metres.gt(0) & seconds.gt(0) & (metres / seconds).gt(limits.MAX_SPEED_MS)
        out.append(_problems(fast, duration, limits.TOO_FAST))
    rpe = fields.get("rpe")
    if rpe is not None:
        out.append(_limit(rows, rpe, limits.EFFORT.broken(rpe.values)))
    source_id = fields["source_id"]
    too_long = source_id.values.str.strip().str.len().gt(limits.MAX_SOURCE_ID)
    out.append(_problems(rows & too_long, source_id, f"is longer than {limits.MAX_SOURCE_ID} characters"))
    out.append(_long_notes(fields, rows))
    return out


def _long_notes(fields: Read, rows: pd.Series) -> pd.DataFrame | None:
    """Rows whose name and description together are longer than a note may be (each cell alone is not: the
    reader refuses such a file), reported on the description."""
    if "name" not in fields or "description" not in fields:
        return None
    name, description = fields["name"].values.str.len(), fields["description"].values.str.len()
    chars = name + description + 2 * (name.gt(0) & description.gt(0))  # both stripped, joined by a blank line
    long = rows & chars.gt(limits.MAX_NOTES_CHARS)
    if not long.any():
        return None
    found = _problems(long, fields["description"], "")
    found["value"] = found["value"].where(found["value"].str.len() <= 60, found["value"].str.slice(0, 59) + "…")
    found["reason"] = [f"with the name, the note {limits.too_long(int(n))}" for n in chars[long]]
    return found


def _frame(fmt: Format, fields: Read, kinds: pd.Series, keep: pd.Series) -> pd.DataFrame:
    index = kinds.index[keep.to_numpy(dtype=bool)]
    empty = pd.Series(np.nan, index=kinds.index)

    def values(name: str, default: pd.Series) -> pd.Series:
        field = fields.get(name)
        return (field.values if field is not None else default).loc[index]

    start = fields.get("start")
    frame = pd.DataFrame(
        {
            "source": fmt.source,
            "source_id": values("source_id", empty),
            "start": start.values.loc[index] if start is not None else pd.Series(pd.NaT, index=index),
            "date": values("date", empty).astype("datetime64[us]"),
            "distance_m": values("distance_m", empty).astype("float64"),
            "duration_s": values("duration_s", empty).astype("float64"),
            "activity_type": fields["activity_type"].values.loc[index].astype("str").str.slice(0, 100),
            "kind": kinds.loc[index].astype("str"),
            "rpe": values("rpe", empty).astype("float64"),
            "name": _notes(fields, index),
        },
        index=index.rename("row"),
    )
    frame.loc[frame["kind"] == GYM, "distance_m"] = np.nan
    return frame


def _notes(fields: Read, index: pd.Index) -> pd.Series:
    name = fields["name"].values.loc[index] if "name" in fields else pd.Series("", index=index, dtype="str")
    if "description" not in fields:
        return name.astype("str")
    description = fields["description"].values.loc[index]
    joined = (name + "\n\n" + description).where(description != "", name).where(name != "", description)
    return joined.astype("str")


def entries(frame: pd.DataFrame) -> list[Entry]:
    """Store entries from rows of a checked canonical frame (:attr:`Parsed.activities`), in order.

    The rows passed every limit in :func:`check`, so they are built without validating each one again (pydantic's
    ``model_construct``): text is stripped as the models strip it, days and times become ``date`` and ``time``.
    """
    start = frame["start"]
    wall = start.dt.tz_localize(None) if isinstance(start.dtype, pd.DatetimeTZDtype) else start
    source_id = frame["source_id"].astype("object")
    columns = {
        "date": frame["date"].dt.date.tolist(),
        "start_time": [None if pd.isna(t) else t.time() for t in wall],
        "duration_s": frame["duration_s"].astype("float64").tolist(),
        "rpe": [None if pd.isna(v) else int(v) for v in frame["rpe"]],
        "notes": frame["name"].astype("str").str.strip().tolist(),
        "source": frame["source"].tolist(),
        "source_id": [None if pd.isna(v) else str(v).strip() for v in source_id],
    }
    run_only = {
        "distance_m": frame["distance_m"].astype("float64").tolist(),
        "activity_type": frame["activity_type"].astype("str").str.strip().tolist(),
    }
    out: list[Entry] = []
    for i, kind in enumerate(frame["kind"].tolist()):
        values = {name: column[i] for name, column in columns.items()}
        if kind == RUN:
            out.append(Run.model_construct(**values, **{name: column[i] for name, column in run_only.items()}))
        else:
            out.append(GymSession.model_construct(**values))
    return out


# -- helpers for importers' build rules -----------------------------------------------------------------------------


def wall_clock(naive: Field, ctx: Context) -> tuple[Field, Field]:
    """``start`` and ``date`` from local wall-clock times (Garmin, intervals.icu): the day is the one written."""
    start = naive.derive(localise(naive.values, ctx.timezone))
    return start, naive.derive(naive.values.dt.normalize())


def from_utc(naive: Field, ctx: Context) -> tuple[Field, Field]:
    """``start`` and ``date`` from UTC times (Strava): the runner's zone decides the day, so a run at 23:30 in New
    York stays on its own day."""
    start = naive.derive(localise(naive.values, ctx.timezone, utc=True))
    return start, naive.derive(start.values.dt.tz_localize(None).dt.normalize().astype("datetime64[us]"))


def day_only(day: Field, ctx: Context) -> tuple[Field, Field]:
    """``start`` (NaT: no time of day known) and ``date`` from a date column (TrainingPeaks)."""
    unknown = pd.Series(pd.NaT, index=day.values.index, dtype=f"datetime64[us, {ctx.timezone}]")
    return day.derive(unknown), day.derive(day.values.dt.normalize())


def constant(like: Field, value: str) -> Field:
    """A text field holding ``value`` on every row (e.g. the type of a file that lists only runs)."""
    return replace(like, values=pd.Series(value, index=like.values.index, dtype="str"), bad=like.bad & False)


def synthetic_ids(like: Field, *parts: pd.Series) -> Field:
    """Stable ids for platforms that export none: the parts joined with ``|``, ``#2``, ``#3`` ... on repeats.

    Built from what identifies an activity in every later export too (its start, or day, type and title), so a
    newer export of the same history gives the same ids.
    """
    joined = parts[0].astype("str")
    for part in parts[1:]:
        joined = joined + "|" + part.astype("str")
    repeat = joined.groupby(joined).cumcount()
    ids = joined.where(repeat == 0, joined + "#" + (repeat + 1).astype("str"))
    return replace(like, values=ids.astype("str"), bad=like.bad & False)


def moving_for_runs(duration: Field, moving: Field | None, kinds: pd.Series, metres: Field) -> Field:
    """``duration`` with each run timed by its moving time, where the export has one that fits.

    Session load counts the minutes of a run (Foster et al. 2001); moving time leaves out the stops at lights and
    for a drink, which elapsed time counts. A run's moving time is used where it is above zero (Garmin writes
    ``00:00:00`` for none), no longer than ``duration`` and passes the run limits of :mod:`kneelog.limits` with the
    run's distance; elsewhere ``duration`` stays. Gym sessions keep ``duration``: their rests between sets are part
    of the session (and a watch measures little movement in them). A row that takes its moving time therefore has
    nothing to reject in its duration, so every rejection still names the duration column and the value in it.

    Args:
        duration: the elapsed (or timer) time of every row.
        moving: the moving time, when the export has that column.
        kinds: the kind of each row (``run``, ``gym``, ...).
        metres: the distance of each row in metres.
    """
    if moving is None:
        return duration
    seconds = moving.values
    fits = (
        (kinds == RUN)
        & ~moving.bad
        & limits.RUN_DURATION.broken(seconds).isna()
        & seconds.notna()
        & ~seconds.gt(duration.values)
        & ~(metres.values / seconds).gt(limits.MAX_SPEED_MS)
    )
    return duration.derive(duration.values.where(~fits, seconds))


def iso(start: Field) -> pd.Series:
    """Wall-clock start as ``2026-01-04T12:38:59`` (for ids), '' where unknown."""
    values = start.values
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    return values.dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")


#: Canonical fields most importers read straight from a column.
PASSED_THROUGH = ("source_id", "activity_type", "name", "description", "rpe", "distance_m", "duration_s")


def passed_through(read: Read) -> Read:
    """The fields of :data:`PASSED_THROUGH` the file has, as read; builders add or replace the rest."""
    return {name: read[name] for name in PASSED_THROUGH if name in read}
