"""History tables: a kind's stored entries as the runner reads them (their unit, readable durations)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from kneelog.models import KneeCheckin, Unit
from kneelog.units import format_duration, to_unit

#: How a missing value (an effort, a pain score or a morning-after not given) reads in a table.
MISSING = "—"

#: How long before today the latest entry must be for the default date range to end there rather than at today.
STALE_AFTER_DAYS = 28


def _duration(seconds: pd.Series) -> pd.Series:
    return seconds.map(format_duration)


def _score(values: pd.Series) -> pd.Series:
    """Whole-number scores as text, "—" where none was given (a table never shows None, NaN or <NA>)."""
    return values.map(lambda v: MISSING if pd.isna(v) else str(int(v))).astype(object)


def _text(values: pd.Series) -> pd.Series:
    """Free text, blank where there is none."""
    return values.map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)).astype(object)


#: The check-in's moments as table headers: short, so the date and all four scores fit a phone's width.
MOMENT_HEADERS = {"stairs": "Stairs", "squat": "Squat", "sitting": "Sitting", "morning_after": "Morning"}

#: What a short table header means, shown when the runner hovers over or taps it (see :func:`history_table`).
HEADER_HELP: dict[str, str] = {
    "Pain during": "Knee pain during the run, 0 (none) to 10 (worst imaginable)",
    "Effort": "Rate of perceived exertion, 1 (very easy) to 10 (all-out)",
    **{
        MOMENT_HEADERS[field]: f"{question}: knee pain 0 (none) to 10"
        for field, question in KneeCheckin.MOMENTS.items()
    },
    "Stretch-sides done": "Stretches ticked in the session, each side counted (a full routine has every one)",
}


def history_table(kind: str, entries: pd.DataFrame, unit: Unit, items: pd.DataFrame | None = None) -> pd.DataFrame:
    """The entries of one kind, newest first, with columns named and formatted for reading.

    On a phone the first four columns or so fit the screen: the date, then what a physio reads first (distance and
    pain for a run, the four pain scores of a check-in, under short headers explained by :data:`HEADER_HELP`), then
    the details; a tapped row opens the whole entry.

    Args:
        kind: ``run``, ``gym``, ``stretch``, ``checkin`` or ``race``.
        entries: that kind's frame from :meth:`kneelog.store.Store.frame`.
        unit: the runner's distance unit.
        items: for stretch sessions, the ``stretch_item`` frame (to count stretch-sides per session).

    Returns:
        A frame indexed by entry id; the first column is the date.
    """
    frame = entries.sort_values(["date", "id"], ascending=False).set_index("id")
    out = pd.DataFrame(index=frame.index)
    out["Date"] = frame["date"].dt.date
    if kind == "run":
        out[f"Distance ({unit})"] = to_unit(frame["distance_m"], unit).round(2)
        out["Pain during"] = _score(frame["pain_during"])
        out["Effort"] = _score(frame["rpe"])
        out["Duration"] = _duration(frame["duration_s"])
        pace = frame["duration_s"] / to_unit(frame["distance_m"], unit).where(frame["distance_m"] > 0)
        out[f"Pace (/{unit})"] = pace.map(lambda s: format_duration(s) if pd.notna(s) else "—")
        out["Type"] = _text(frame["activity_type"])
        out["Notes"] = _text(frame["notes"])
        out["Source"] = frame["source"]
    elif kind == "gym":
        out["Duration"] = _duration(frame["duration_s"])
        out["Effort"] = _score(frame["rpe"])
        out["What you did"] = _text(frame["notes"])
        out["Source"] = frame["source"]
    elif kind == "stretch":
        counts = (items if items is not None else pd.DataFrame(columns=["session_id"])).groupby("session_id").size()
        out["Stretch-sides done"] = counts.reindex(frame.index).fillna(0).astype(int)
        out["Notes"] = _text(frame["notes"])
        out["Source"] = frame["source"]
    elif kind == "checkin":
        for field, header in MOMENT_HEADERS.items():
            out[header] = _score(frame[field])
        out["Knee"] = frame["knee"].str.capitalize()
        out["Note"] = _text(frame["note"])
    elif kind == "race":
        out["Name"] = _text(frame["name"])
        out[f"Distance ({unit})"] = to_unit(frame["distance_m"], unit).round(2)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    out.index.name = "id"
    return out


def ago(day: dt.date, today: dt.date) -> str:
    """How long before ``today`` ``day`` was, in words: ``today``, ``yesterday``, ``5 days ago``, ``3 weeks ago``,
    ``4 months ago``, ``2 years ago``."""
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    for size, unit, below in ((1, "day", 14), (7, "week", 61), (365.25 / 12, "month", 730), (365.25, "year", None)):
        if below is None or days < below:
            n = int(days // size)
            return f"{n} {unit}{'' if n == 1 else 's'} ago"
    raise AssertionError("unreachable")


def latest_entry_sentence(latest: dt.date, today: dt.date) -> str:
    """``Your latest entry is from 12 Aug 2025, 3 months ago.`` (empty when the latest entry is recent)."""
    if (today - latest).days < STALE_AFTER_DAYS:
        return ""
    return f"Your latest entry is from {latest:%d %b %Y}, {ago(latest, today)}."


def default_dates(first: dt.date, latest: dt.date, today: dt.date, days: int = 182) -> tuple[dt.date, dt.date]:
    """The date range a history opens on: the last ``days`` days up to today, or up to the latest entry when that
    is long before today (so an old import opens on its own weeks rather than on empty ones)."""
    end = latest if (today - latest).days >= STALE_AFTER_DAYS else max(latest, today)
    return max(first, end - dt.timedelta(days=days)), end


def selected_entry(rows: list[int], ids_shown: list[int]) -> int | None:
    """The id of the entry at the selected row (the first of ``rows``) of a table that showed ``ids_shown`` in that
    order; None when no row is selected or the row is no longer there."""
    if not rows or not 0 <= rows[0] < len(ids_shown):
        return None
    return int(ids_shown[rows[0]])


def latest_entry(frames: Mapping[str, pd.DataFrame]) -> dt.date | None:
    """The day of the latest run, gym session, stretch or check-in in ``frames`` (races are left out: they may be
    planned for later); None when there is none."""
    days = [
        frames[k]["date"].max() for k in ("run", "gym", "stretch_item", "checkin") if k in frames and len(frames[k])
    ]
    return max(days).date() if days else None
