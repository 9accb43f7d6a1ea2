"""History tables: a kind's stored entries as the runner reads them (their unit, readable durations)."""

from __future__ import annotations

import pandas as pd

from kneelog.models import KneeCheckin, Unit
from kneelog.units import format_duration, to_unit


def _duration(seconds: pd.Series) -> pd.Series:
    return seconds.map(format_duration)


def history_table(kind: str, entries: pd.DataFrame, unit: Unit, items: pd.DataFrame | None = None) -> pd.DataFrame:
    """The entries of one kind, newest first, with columns named and formatted for reading.

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
        out["Duration"] = _duration(frame["duration_s"])
        pace = frame["duration_s"] / to_unit(frame["distance_m"], unit).where(frame["distance_m"] > 0)
        out[f"Pace (/{unit})"] = pace.map(lambda s: format_duration(s) if pd.notna(s) else "—")
        out["Effort"] = frame["rpe"].astype("Int64")
        out["Pain during"] = frame["pain_during"].astype("Int64")
        out["Type"] = frame["activity_type"]
        out["Notes"] = frame["notes"]
        out["Source"] = frame["source"]
    elif kind == "gym":
        out["Duration"] = _duration(frame["duration_s"])
        out["Effort"] = frame["rpe"].astype("Int64")
        out["What you did"] = frame["notes"]
        out["Source"] = frame["source"]
    elif kind == "stretch":
        counts = (items if items is not None else pd.DataFrame(columns=["session_id"])).groupby("session_id").size()
        out["Stretch-sides done"] = counts.reindex(frame.index).fillna(0).astype(int)
        out["Notes"] = frame["notes"]
        out["Source"] = frame["source"]
    elif kind == "checkin":
        out["Knee"] = frame["knee"].str.capitalize()
        for field, question in KneeCheckin.MOMENTS.items():
            out[question] = frame[field].astype("Int64")
        out["Note"] = frame["note"]
    elif kind == "race":
        out["Name"] = frame["name"]
        out[f"Distance ({unit})"] = to_unit(frame["distance_m"], unit).round(2)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    out.index.name = "id"
    return out


def entry_label(kind: str, row: pd.Series) -> str:
    """A one-line description of an entry of the table above, for pickers: ``Sat 21 Nov 2026 · 8.20 km · 45:10``."""
    parts = [pd.Timestamp(row["Date"]).strftime("%a %d %b %Y")]
    parts += [str(v) for k, v in row.items() if k != "Date" and k != "Source" and pd.notna(v) and v != ""][:3]
    return " · ".join(p if len(p) <= 40 else p[:39] + "…" for p in parts)
