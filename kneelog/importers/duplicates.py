"""Duplicates: which incoming activities are already in the log, or may repeat a session logged by hand.

An import must add each activity once: the same file twice adds nothing, a newer export that overlaps an older one
adds only the new activities, Strava and Garmin records of the same run are one run, and a run the runner logged by
hand after the fact is not doubled by its imported twin. :func:`match` decides this for a frame of candidates
against a frame of stored entries; it is data in, data out (:meth:`kneelog.store.Store.existing_activities` reads
the log).
"""

from __future__ import annotations

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


def match(candidates: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Each candidate's status against the log and against the candidates before it.

    ``already``: the same source and id is stored, or an imported session of the same kind starts within
    :data:`SAME_START_S` (the same day, when either has no time) with a distance (runs) or duration (gym) within
    :data:`SAME_DISTANCE` / :data:`SAME_DURATION`; or an earlier row of this import is that activity.
    ``duplicate``: a hand-logged session of the same kind on the same day within the looser manual bounds.
    ``new``: the rest.

    Args:
        candidates: canonical rows (``kind``, ``source``, ``source_id``, ``date``, ``start``, ``distance_m``,
            ``duration_s``; ``file`` for messages).
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
    out["wall"] = wall_clock(out["start"])
    imported = existing[existing["source"] != MANUAL]
    same_id = out.reset_index().merge(imported, on=["kind", "source", "source_id"], suffixes=("", "_e"))
    _mark(out, same_id, "already", "in your log (same id)")
    fuzzy = _pairs(out[out["status"] == "new"], imported, SAME_START_S, SAME_DISTANCE, SAME_DURATION)
    _mark(out, fuzzy, "already", "in your log (same start and distance)")
    hand = existing[existing["source"] == MANUAL]
    possible = _pairs(out[out["status"] == "new"], hand, MANUAL_START_S, MANUAL_DISTANCE, None)
    _mark(out, possible, "duplicate", "an entry you logged")
    _within_batch(out)
    return out.drop(columns="wall")


#: Columns :func:`match` adds about the stored entry a candidate matched.
MATCH_COLUMNS = ("match_id", "match_date", "match_distance_m", "match_duration_s")


def wall_clock(start: pd.Series) -> pd.Series:
    """Start times as naive wall-clock times (as the log stores date and time of day)."""
    if isinstance(start.dtype, pd.DatetimeTZDtype):
        return start.dt.tz_localize(None).astype("datetime64[us]")
    return pd.to_datetime(start).astype("datetime64[us]")


def _mark(out: pd.DataFrame, pairs: pd.DataFrame, status: str, words: str) -> None:
    """Give each candidate in ``pairs`` (``index`` -> stored ``id``) the status and the words saying why, keeping
    its first (closest) match's id, day, distance and duration."""
    if pairs.empty:
        return
    first = pairs.drop_duplicates("index").set_index("index")
    rows = first.index.to_numpy()
    out.loc[rows, "status"] = status
    out.loc[rows, "match"] = words
    out.loc[rows, "match_id"] = first["id"].to_numpy(dtype="float64")
    out.loc[rows, "match_date"] = first["date"].to_numpy()
    out.loc[rows, "match_distance_m"] = first["distance_m_e"].to_numpy(dtype="float64")
    out.loc[rows, "match_duration_s"] = first["duration_s_e"].to_numpy(dtype="float64")


def _within(a: pd.Series, b: pd.Series, bounds: tuple[float, float]) -> pd.Series:
    """``|a - b|`` within the larger of an absolute bound and a share of the larger value (False where missing)."""
    absolute, share = bounds
    limit = pd.concat([a, b], axis=1).max(axis=1) * share
    return (a - b).abs().le(limit.clip(lower=absolute)).fillna(False).astype(bool)


def _pairs(
    rows: pd.DataFrame,
    existing: pd.DataFrame,
    start_s: float,
    distance: tuple[float, float],
    duration: tuple[float, float] | None,
) -> pd.DataFrame:
    """Candidate rows and existing entries of the same kind and day that agree within the bounds, closest first.

    ``duration`` None: any gym session on the day (and start, when both have one) matches.
    """
    wanted = ["id", "kind", "date", "start", "distance_m", "duration_s"]
    if rows.empty or existing.empty:
        return pd.DataFrame(columns=["index", "id", "date", "distance_m_e", "duration_s_e"])
    pairs = rows.reset_index().merge(existing[wanted], on=["kind", "date"], suffixes=("", "_e"))
    gap = (pairs["wall"] - pairs["start_e"]).abs().dt.total_seconds()
    close = gap.isna() | gap.le(start_s)
    runs = pairs["kind"].eq(RUN) & _within(pairs["distance_m"], pairs["distance_m_e"], distance)
    gyms = pairs["kind"].eq(GYM)
    if duration is not None:
        gyms = gyms & _within(pairs["duration_s"], pairs["duration_s_e"], duration)
    found = pairs[close & (runs | gyms)]
    return found.assign(gap=gap[found.index].fillna(0)).sort_values(["index", "gap"], kind="stable")


def _within_batch(out: pd.DataFrame) -> None:
    """Mark rows that repeat an earlier row of the same import (overlapping exports uploaded together)."""
    new = out[out["status"] == "new"]
    repeat = new.index[new.duplicated(["kind", "source", "source_id"])]
    out.loc[repeat, "status"] = "already"
    out.loc[repeat, "match"] = "an earlier row of this import (same id)"
    new = out[out["status"] == "new"]
    earlier = new.drop(columns="start").rename(columns={"wall": "start"}).assign(id=new.index)
    pairs = _pairs(new, earlier, SAME_START_S, SAME_DISTANCE, SAME_DURATION)
    pairs = pairs[pairs["id"] < pairs["index"]]
    for index, first in pairs.drop_duplicates("index")[["index", "id"]].itertuples(index=False):
        if out.at[first, "status"] == "new":
            out.loc[index, "status"] = "already"
            out.loc[index, "match"] = f"row {out.at[first, 'row']} of {out.at[first, 'file']} (same activity)"
