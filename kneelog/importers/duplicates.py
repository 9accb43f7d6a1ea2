"""Duplicates: which incoming activities are already in the log, or may repeat a session logged by hand.

An import must add each activity once: the same file twice adds nothing, a newer export that overlaps an older one
adds only the new activities, Strava and Garmin records of the same run are one run, and a run the runner logged by
hand after the fact is not doubled by its imported twin. :func:`match` decides this for a frame of candidates
against a frame of stored entries; it is data in, data out (:meth:`kneelog.store.Store.existing_activities` reads
the log).

Memory is bounded whatever a file holds (pairing every activity of a day with every other took 1.69 GB for 2,000
runs on one day). Activities are sorted by day and start time, and each is compared only with the entries of its
kind and day that start within the tolerance (every one of its day when either has no time of day),
:data:`CHUNK_PAIRS` pairs at a time, and activities equal in every value are compared once: memory stays flat, and
time grows with the rows and with how many distinct activities of a day start close together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kneelog.importers.kinds import GYM, RUN
from kneelog.models import MANUAL

#: Two imported activities are the same when they start within this many seconds ...
SAME_START_S = 5 * 60
#: ... and their distances differ by at most the larger of these (metres, share); gym sessions by duration.
SAME_DISTANCE = (100.0, 0.03)
SAME_DURATION = (300.0, 0.10)
#: A hand-logged session is a possible duplicate of an imported one on the same day within these bounds
#: (looser: a runner types "5 km" for 5.13 km and the time of day from memory).
MANUAL_START_S = 2 * 3600
MANUAL_DISTANCE = (500.0, 0.10)
#: Pairs of activities compared at once: bounds the memory of matching, however many share a day.
CHUNK_PAIRS = 250_000

#: Columns :func:`match` adds about the stored entry a candidate matched.
MATCH_COLUMNS = ("match_id", "match_date", "match_distance_m", "match_duration_s")

_US = 10**6
_DAY_US = 86_400 * _US


@dataclass(frozen=True)
class Bounds:
    """How close two activities of a kind on the same day must be to be one: start (seconds apart, when both have
    a time), distance for runs and duration for gym sessions (the larger of metres or seconds and a share of the
    larger value). ``duration`` None: any gym session on the day that starts close enough matches."""

    start_s: float
    distance: tuple[float, float]
    duration: tuple[float, float] | None


SAME = Bounds(SAME_START_S, SAME_DISTANCE, SAME_DURATION)
HAND_LOGGED = Bounds(MANUAL_START_S, MANUAL_DISTANCE, None)


def match(candidates: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Each candidate's status against the log and against the candidates before it.

    ``already``: the same source and id is stored, or an imported session of the same kind starts within
    :data:`SAME_START_S` (the same day, when either has no time) with a distance (runs) or duration (gym) within
    :data:`SAME_DISTANCE` / :data:`SAME_DURATION`; or an earlier row of this import that is being added is that
    activity (the same id, or the same start and distance). ``duplicate``: a hand-logged session of the same kind on
    the same day within the looser manual bounds. ``new``: the rest. Where several stored entries match, the one
    starting closest is named (the first listed, on a tie).

    Args:
        candidates: canonical rows (``kind``, ``source``, ``source_id``, ``date``, ``start``, ``distance_m``,
            ``duration_s``; ``file`` and ``row`` for messages).
        existing: :meth:`kneelog.store.Store.existing_activities` (without the demo athlete's).

    Returns:
        The candidates with ``status``, ``match`` (what was matched, in words) and, for a stored match,
        ``match_id``, ``match_date``, ``match_distance_m`` and ``match_duration_s``.
    """
    out = candidates.copy()
    out["status"], out["match"] = "new", ""
    for column in MATCH_COLUMNS:
        out[column] = pd.Series(dtype="float64" if column != "match_date" else "datetime64[us]", index=out.index)
    if out.empty:
        return out
    status = out["status"].to_numpy(dtype=object)
    rows = _Side.of(out, wall_clock(out["start"]))
    imported = existing[existing["source"] != MANUAL].reset_index(drop=True)
    _mark(out, status, _same_id(out, imported), imported, "already", "in your log (same id)")
    fuzzy = _closest(rows, _Side.of(imported, imported["start"]), SAME, status == "new")
    _mark(out, status, fuzzy, imported, "already", "in your log (same start and distance)")
    hand = existing[existing["source"] == MANUAL].reset_index(drop=True)
    possible = _closest(rows, _Side.of(hand, hand["start"]), HAND_LOGGED, status == "new")
    _mark(out, status, possible, hand, "duplicate", "an entry you logged")
    _within_batch(out, status, rows)
    out["status"] = status
    return out


def wall_clock(start: pd.Series) -> pd.Series:
    """Start times as naive wall-clock times (as the log stores date and time of day)."""
    if isinstance(start.dtype, pd.DatetimeTZDtype):
        return start.dt.tz_localize(None).astype("datetime64[us]")
    return pd.to_datetime(start).astype("datetime64[us]")


@dataclass(frozen=True)
class _Side:
    """Activities as matching reads them, one array each: kind, day (days since 1970), start (microseconds since
    1970, wall clock; meaningful where ``timed``), distance, duration, and ``same``: a number shared by activities
    whose values are all equal (so a thousand copies of one run are compared once)."""

    kind: np.ndarray
    day: np.ndarray
    start: np.ndarray
    timed: np.ndarray
    distance: np.ndarray
    duration: np.ndarray
    same: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, wall: pd.Series) -> _Side:
        start = pd.to_datetime(wall).to_numpy(dtype="datetime64[us]")
        date = pd.to_datetime(frame["date"]).to_numpy(dtype="datetime64[us]")
        timed, dated = ~np.isnat(start), ~np.isnat(date)
        kind = np.where(dated, frame["kind"].to_numpy(dtype=object), None)  # no day: matches nothing
        day = np.where(dated, date.astype("datetime64[D]").astype(np.int64), 0)
        start = np.where(timed, start.astype(np.int64), 0)
        distance = frame["distance_m"].to_numpy(dtype="float64")
        duration = frame["duration_s"].to_numpy(dtype="float64")
        same = _equal_groups([pd.factorize(kind)[0], day, timed, start, distance, duration])
        return cls(kind, day, start, timed, distance, duration, same)

    def key(self, at: np.ndarray) -> np.ndarray:
        """A sort key of day, then start within the day (clipped to a day either side): ordered like (day, start),
        and never further apart than the starts themselves, so a window on it holds every close start."""
        offset = np.clip(self.start[at] - self.day[at] * _DAY_US, -_DAY_US, 2 * _DAY_US) + _DAY_US
        return self.day[at] * (4 * _DAY_US) + offset

    def first_same(self, at: np.ndarray) -> np.ndarray:
        """For each position of ``at`` (ascending), the first position of ``at`` holding an activity equal to it."""
        _, first, inverse = np.unique(self.same[at], return_index=True, return_inverse=True)
        return at[first][inverse]


def _equal_groups(columns: list[np.ndarray]) -> np.ndarray:
    """A group number per position, equal where every column is equal (missing numbers equal to each other)."""
    if columns[0].size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort(columns[::-1])
    starts = np.zeros(order.size, dtype=bool)
    starts[0] = True
    for column in columns:
        ordered = column[order]
        differs = ordered[1:] != ordered[:-1]
        if ordered.dtype.kind == "f":
            differs &= ~(np.isnan(ordered[1:]) & np.isnan(ordered[:-1]))
        starts[1:] |= differs
    groups = np.empty(order.size, dtype=np.int64)
    groups[order] = np.cumsum(starts) - 1
    return groups


def _same_id(out: pd.DataFrame, imported: pd.DataFrame) -> pd.DataFrame:
    """Candidate position -> stored position for candidates whose kind, source and id are stored."""
    keys = ["kind", "source", "source_id"]
    left = out[keys].assign(row=np.arange(len(out)))
    right = imported[keys].assign(entry=np.arange(len(imported)))
    pairs = left.dropna().merge(right.dropna(), on=keys)
    return pairs.sort_values(["row", "entry"], kind="stable").drop_duplicates("row")[["row", "entry"]]


def _mark(
    out: pd.DataFrame, status: np.ndarray, found: pd.DataFrame, entries: pd.DataFrame, to: str, words: str
) -> None:
    """Give each candidate of ``found`` (``row`` -> ``entry``, positions) the status, the words saying why, and
    the stored entry's id, day, distance and duration."""
    if found.empty:
        return
    rows, matched = found["row"].to_numpy(), entries.iloc[found["entry"].to_numpy()]
    status[rows] = to
    at = out.index[rows]
    out.loc[at, "match"] = words
    out.loc[at, "match_id"] = matched["id"].to_numpy(dtype="float64")
    out.loc[at, "match_date"] = pd.to_datetime(matched["date"]).to_numpy(dtype="datetime64[us]")
    out.loc[at, "match_distance_m"] = matched["distance_m"].to_numpy(dtype="float64")
    out.loc[at, "match_duration_s"] = matched["duration_s"].to_numpy(dtype="float64")


def _closest(rows: _Side, entries: _Side, bounds: Bounds, wanted: np.ndarray) -> pd.DataFrame:
    """For each wanted row that matches an entry within ``bounds``: the entry starting closest (first on a tie).

    Equal rows share one answer, and of equal entries only the first listed can be the closest.
    """
    at = np.flatnonzero(wanted)
    first = rows.first_same(at)
    among = np.unique(entries.first_same(np.arange(entries.kind.size)))
    best = np.full(rows.kind.size, -1, dtype=np.int64)
    for row, entry, _ in _pairs(rows, entries, bounds, np.unique(first), among):
        starts = _firsts(row)
        best[row[starts]] = entry[starts]
    found = best[first] >= 0
    return pd.DataFrame({"row": at[found], "entry": best[first][found]})


def _within_batch(out: pd.DataFrame, status: np.ndarray, rows: _Side) -> None:
    """Mark rows that repeat an earlier row of the same import (overlapping exports uploaded together): the same
    id, or the same activity by start and distance (or duration) as an earlier row that is being added.

    A row repeats the closest earlier row it matches among those still being added, so three records of one run
    (Strava, Garmin, intervals.icu) add it once, and a run that only matches a repeat is not dropped with it. Rows
    equal in every value are decided once: a copy repeats the first of them, or what the first repeats.
    """
    new = status == "new"
    ids = out[["kind", "source", "source_id"]][new]
    repeat = out.index.isin(ids.index[ids.duplicated()])
    status[repeat] = "already"
    out.loc[repeat, "match"] = "an earlier row of this import (same id)"
    at = np.flatnonzero(status == "new")
    first = rows.first_same(at)
    firsts = np.unique(first)
    kept = np.zeros(rows.kind.size, dtype=bool)  # rows still being added, decided in row order
    kept[firsts] = True
    twin = np.full(rows.kind.size, -1, dtype=np.int64)
    for row, entry, _ in _pairs(rows, rows, SAME, firsts, firsts, earlier=True):
        starts = np.flatnonzero(_firsts(row))
        for begin, end in zip(starts, np.append(starts[1:], row.size)[: starts.size], strict=True):
            alive = entry[begin:end][kept[entry[begin:end]]]
            if alive.size:
                kept[row[begin]] = False
                twin[row[begin]] = alive[0]
    copies = first != at
    twin[at[copies]] = np.where(kept[first[copies]], first[copies], twin[first[copies]])
    repeats = np.flatnonzero(twin >= 0)
    if repeats.size:
        status[repeats] = "already"
        named = out.iloc[twin[repeats]]
        out.loc[out.index[repeats], "match"] = (
            "row " + named["row"].astype(str) + " of " + named["file"].astype(str) + " (same activity)"
        ).to_numpy()


def _pairs(
    rows: _Side, entries: _Side, bounds: Bounds, wanted: np.ndarray, among: np.ndarray, *, earlier: bool = False
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Pairs (row, entry, gap in seconds) of the same kind and day that agree within ``bounds``, for the rows at
    positions ``wanted`` and the entries at positions ``among`` (both ascending), about :data:`CHUNK_PAIRS` looked
    at a time.

    Each chunk holds whole rows in ascending order, each row's entries closest first (gap 0 when either has no
    time of day; the first listed on a tie). ``earlier``: ``entries`` are the rows themselves, and only an entry
    listed before its row counts.
    """
    window = round(bounds.start_s * _US)
    for kind in (RUN, GYM):
        r, e = wanted[rows.kind[wanted] == kind], among[entries.kind[among] == kind]
        if r.size == 0 or e.size == 0:
            continue
        timed, untimed = e[entries.timed[e]], e[~entries.timed[e]]
        timed = timed[np.argsort(entries.key(timed), kind="stable")]
        untimed = untimed[np.argsort(entries.day[untimed], kind="stable")]
        timed_key, timed_day, untimed_day = entries.key(timed), entries.day[timed], entries.day[untimed]
        key, day, has_time = rows.key(r), rows.day[r], rows.timed[r]
        low = np.where(has_time, timed_key.searchsorted(key - window, "left"), timed_day.searchsorted(day, "left"))
        high = np.where(has_time, timed_key.searchsorted(key + window, "right"), timed_day.searchsorted(day, "right"))
        low2, high2 = untimed_day.searchsorted(day, "left"), untimed_day.searchsorted(day, "right")
        ends = np.cumsum((high - low) + (high2 - low2))
        begin = 0
        while begin < r.size:
            done = ends[begin - 1] if begin else 0
            end = max(begin + 1, int(ends.searchsorted(done + CHUNK_PAIRS, "right")))
            which, at = _ranges(low[begin:end], high[begin:end])
            which2, at2 = _ranges(low2[begin:end], high2[begin:end])
            row = r[begin + np.concatenate([which, which2])]
            entry = np.concatenate([timed[at], untimed[at2]])
            yield _agreeing(rows, entries, bounds, kind, row, entry, earlier=earlier)
            begin = end


def _firsts(row: np.ndarray) -> np.ndarray:
    """Where each row's run of pairs begins (``row`` is sorted)."""
    return np.diff(row, prepend=-1) != 0


def _ranges(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every position in the ranges ``low[i]:high[i]``, with the ``i`` it belongs to, in order."""
    sizes = high - low
    which = np.repeat(np.arange(low.size), sizes)
    first = np.cumsum(sizes) - sizes
    return which, np.arange(which.size) - np.repeat(first - low, sizes)


def _agreeing(
    rows: _Side, entries: _Side, bounds: Bounds, kind: str, row: np.ndarray, entry: np.ndarray, *, earlier: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs (same day, one kind) that agree within ``bounds``, ordered by row, gap, entry."""
    both = rows.timed[row] & entries.timed[entry]
    gap = np.where(both, np.abs(rows.start[row] - entries.start[entry]) / _US, 0.0)
    ok = (rows.day[row] == entries.day[entry]) & (gap <= bounds.start_s)
    if earlier:
        ok &= entry < row
    if kind == RUN:
        ok &= _within(rows.distance[row], entries.distance[entry], bounds.distance)
    elif bounds.duration is not None:
        ok &= _within(rows.duration[row], entries.duration[entry], bounds.duration)
    row, entry, gap = row[ok], entry[ok], gap[ok]
    order = np.lexsort((entry, gap, row))
    return row[order], entry[order], gap[order]


def _within(a: np.ndarray, b: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    """``|a - b|`` within the larger of an absolute bound and a share of the larger value (False where missing)."""
    absolute, share = bounds
    with np.errstate(invalid="ignore"):
        return np.abs(a - b) <= np.maximum(np.fmax(a, b) * share, absolute)
