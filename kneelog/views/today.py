"""The "Today" page as data: this ISO week so far, today's check-in and stretches, the gym plan, the pain trend."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pandas as pd

from kneelog.analysis import weekly
from kneelog.models import KneeCheckin, Settings

#: Complete weeks shown in the pain trend, before the week in progress.
TREND_WEEKS = 4


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


@dataclass(frozen=True)
class Today:
    """What the Today page shows beyond :class:`WeekSoFar`.

    ``checkin`` is today's knee check-in (the latest one saved today) or ``None``; ``stretch_sides_done`` the
    different stretch-sides saved today, out of ``routine_sides``; ``gym_done`` of ``gym_recommended`` sessions this
    week, with ``gym_reason`` (the plan's words); ``trend`` the pain trend (see :func:`pain_trend`).
    """

    week: WeekSoFar
    checkin: pd.Series | None
    stretch_sides_done: int
    routine_sides: int
    gym_done: int
    gym_recommended: int
    gym_reason: str
    trend: pd.DataFrame

    @property
    def stretch_line(self) -> str:
        """Today's stretching in words, e.g. ``6 of 10 stretch-sides done today``."""
        return f"{self.stretch_sides_done} of {self.routine_sides} stretch-sides done today"

    @property
    def gym_line(self) -> str:
        """This week's gym plan in words, e.g. ``1 of 2 done; the plan says why: …``."""
        line = f"{self.gym_done} of {self.gym_recommended} done"
        return f"{line}; the plan says why: {self.gym_reason}" if self.gym_reason else line


def first_zone(browser: str | None, machine: str) -> str:
    """The time zone a first visit offers: the browser's when it is a known zone name, else the machine's, else UTC.

    Args:
        browser: the zone the browser reports (``None`` when it reports none, e.g. in a test).
        machine: the zone of the machine the app runs on.
    """
    zones = zoneinfo.available_timezones()
    for zone in (browser, machine):
        if zone and zone in zones:
            return zone
    return "UTC"


def checkin_on(checkins: pd.DataFrame, day: dt.date) -> pd.Series | None:
    """The last knee check-in saved for ``day`` (a ``Store.frame("checkin")`` row), or ``None``."""
    on_day = checkins[checkins["date"].dt.date == day]
    return on_day.sort_values("id").iloc[-1] if not on_day.empty else None


def checkin_scores(checkin: pd.Series) -> str:
    """A check-in's pain scores in words, e.g. ``stairs 3/10, squatting 2/10`` (moments left empty are left out)."""
    short = {"stairs": "stairs", "squat": "squatting", "sitting": "sitting", "morning_after": "morning after"}
    return ", ".join(
        f"{short[field]} {int(checkin[field])}/10" for field in KneeCheckin.MOMENTS if not pd.isna(checkin[field])
    )


def stretch_sides_on(stretch_items: pd.DataFrame, day: dt.date) -> int:
    """Different (stretch, side) pairs saved for ``day`` in a ``Store.frame("stretch_item")`` frame.

    A side saved twice the same day (a morning and an evening session) counts once: the routine asks for each once.
    """
    on_day = stretch_items[stretch_items["date"].dt.date == day]
    return len(on_day[["stretch_id", "side"]].drop_duplicates())


def pain_trend(weeks: pd.DataFrame, count: int = TREND_WEEKS) -> pd.DataFrame:
    """The last ``count`` complete weeks' mean knee pain, then the week in progress (if any), oldest first.

    Args:
        weeks: a :func:`kneelog.analysis.weekly.weekly_table` (with ``today`` given, so the current week is not
            ``complete``).
        count: complete weeks to show.

    Returns:
        Columns ``week`` (the Monday), ``pain_mean`` (NaN for a week without check-ins) and ``so_far`` (True for the
        week in progress). Empty when there are no weeks.
    """
    complete = weeks[weeks["complete"]].tail(count)
    current = weeks.tail(1)
    current = current[~current["complete"].astype(bool)]
    trend = pd.concat([complete, current])[["week", "pain_mean"]].reset_index(drop=True)
    trend["so_far"] = [False] * len(complete) + [True] * len(current)
    return trend


def build(frames: weekly.Frames, settings: Settings, today: dt.date, *, routine_sides: int) -> Today:
    """Everything the Today page shows, from the store frames (:data:`kneelog.analysis.weekly.KINDS` plus ``stretch``).

    Args:
        frames: ``run``, ``gym``, ``stretch``, ``stretch_item``, ``checkin`` and ``race`` frames as
            :meth:`Store.frame` returns them.
        settings: the runner's settings (unit, stretch plan).
        today: the runner's today.
        routine_sides: stretch-sides in one routine (:func:`kneelog.stretches.routine_size`).
    """
    week = week_so_far(frames["run"], frames["gym"], frames["stretch"], frames["checkin"], today)
    weeks = weekly.weekly_table(frames, settings, today, routine_sides=routine_sides)
    this_week = weeks.iloc[-1] if not weeks.empty else None
    return Today(
        week=week,
        checkin=checkin_on(frames["checkin"], today),
        stretch_sides_done=stretch_sides_on(frames["stretch_item"], today),
        routine_sides=routine_sides,
        gym_done=int(this_week["gym_sessions"]) if this_week is not None else 0,
        gym_recommended=int(this_week["gym_recommended"]) if this_week is not None else 0,
        gym_reason=str(this_week["gym_reason"]) if this_week is not None else "",
        trend=pain_trend(weeks),
    )
