"""The "Today" summary: this ISO week so far, and whether today's knee check-in is done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class WeekSoFar:
    """Monday-to-today totals of the current ISO week."""

    monday: dt.date
    distance_m: float
    runs: int
    gym_sessions: int
    stretch_days: int
    checked_in_today: bool
    latest_checkin: pd.Series | None


def week_so_far(
    runs: pd.DataFrame, gym: pd.DataFrame, stretch: pd.DataFrame, checkins: pd.DataFrame, today: dt.date
) -> WeekSoFar:
    """Totals from Monday of ``today``'s ISO week up to ``today`` (frames as :meth:`Store.frame` returns them)."""
    monday = today - dt.timedelta(days=today.weekday())

    def this_week(frame: pd.DataFrame) -> pd.DataFrame:
        days = frame["date"].dt.date
        return frame[(days >= monday) & (days <= today)]

    week_runs = this_week(runs)
    latest = checkins.sort_values(["date", "id"]).iloc[-1] if not checkins.empty else None
    return WeekSoFar(
        monday=monday,
        distance_m=float(week_runs["distance_m"].sum()),
        runs=len(week_runs),
        gym_sessions=len(this_week(gym)),
        stretch_days=this_week(stretch)["date"].nunique(),
        checked_in_today=bool((checkins["date"].dt.date == today).any()),
        latest_checkin=latest,
    )
