"""The clinician's list of athletes: one row per athlete who shares their log, the flagged ones first.

Every figure is the dashboard's and the physio report's own, from the same weekly and daily tables
(:func:`kneelog.analysis.weekly.daily_table` and :func:`~kneelog.analysis.weekly.weekly_from_daily`):

- the pain-monitoring status (Silbernagel et al. 2007, :mod:`kneelog.analysis.pain`) of this week (the week of the
  clinician's today, so far) and of last week;
- the distance change of the latest complete week over the week before, ``(this − last) ÷ last × 100``, with its soft
  flag above 30% (Nielsen et al. 2014, JOSPT 44:739-747; :func:`kneelog.analysis.load.week_over_week`): a week in
  progress has no change, as on the dashboard;
- stretching over the last 7 days as a share of the plan: stretch-sides done (at most one routine a day counts) ÷
  routines per week × stretch-sides in a routine, pro-rated to the days of the log in those 7 days, the rule of the
  weekly table's ``stretch_compliance``;
- gym sessions this week against the gym plan (:mod:`kneelog.analysis.gymplan`);
- the last check-in.

Flags (:data:`FLAGS`): a pain limit broken this week or last week, a complete week's distance more than 30% above the
week before, no knee check-in in the last 7 days. Nothing here says a flag predicts injury: each is a reason to look.

Only the last :data:`LOOKBACK_WEEKS` weeks are worked through, which hold every week these figures look back to
(the pain model's reference is the 4 weeks before, the gym plan's the 4 weeks before last week), so a list of many
athletes with years of data each stays quick. A log with nothing in those weeks reads as a log with nothing logged
(no pain data, no change, no gym plan), with its last check-in.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kneelog.analysis import load, pain, weekly
from kneelog.clock import monday
from kneelog.models import Settings

#: Weeks of each log worked through: enough for every figure of the list to equal the whole history's.
LOOKBACK_WEEKS = 12
#: Days without a knee check-in that raise a flag.
CHECKIN_DAYS = 7

FLAG_PAIN = "pain limit broken"
FLAG_CHANGE = "distance up over 30%"
FLAG_NO_CHECKIN = f"no check-in for {CHECKIN_DAYS} days"
#: The flags, in the order a row lists them.
FLAGS = (FLAG_PAIN, FLAG_CHANGE, FLAG_NO_CHECKIN)

#: Columns of :func:`athlete_rows`.
COLUMNS = [
    "athlete_id", "name", "flags", "pain_status", "pain_status_last_week", "change_week", "change_pct", "change_flag",
    "stretch_pct", "gym_done", "gym_plan", "gym_vs_plan", "last_checkin",
]  # fmt: skip

#: How the figures are worked out, with their sources, for a caption under the list.
METHODS = (
    "Pain model: during runs at most 5/10, settled by the next morning, weekly pain not rising (Silbernagel et al. "
    "2007). Change: distance of the latest complete week over the week before, (this − last) ÷ last; over 30% is a "
    "soft flag (Nielsen et al. 2014). Stretching: stretch-sides done in the last 7 days ÷ planned (at most one "
    "routine a day counts). Gym: sessions this week against the gym plan. A flag is a reason to look, not a "
    "prediction of injury."
)


@dataclass(frozen=True)
class AthleteLog:
    """What the list reads of one athlete, through a read-only store.

    Attributes:
        name: the name shown (the account's).
        frames: the store frames named in :data:`kneelog.analysis.weekly.KINDS`.
        settings: the athlete's settings (unit, stretch routines per week).
    """

    name: str
    frames: Mapping[str, pd.DataFrame]
    settings: Settings


def _recent(frames: Mapping[str, pd.DataFrame], first: dt.date) -> dict[str, pd.DataFrame]:
    """The frames from ``first`` on (races whatever their date: the gym plan reads those ahead and behind)."""
    since = pd.Timestamp(first)
    return {
        kind: frame if kind == "race" else frame[frame["date"] >= since].reset_index(drop=True)
        for kind, frame in ((kind, frames[kind]) for kind in weekly.KINDS)
    }


def _stretch_share(daily: pd.DataFrame, settings: Settings, today: dt.date, routine_sides: int) -> float:
    """Stretch-sides done in the 7 days to ``today`` ÷ planned, as a percentage of at most 100 (as the weekly
    compliance; NaN with no day of the log in them)."""
    start = pd.Timestamp(today - dt.timedelta(days=6))
    days = daily[(daily["date"] >= start) & (daily["date"] <= pd.Timestamp(today))]
    if days.empty:
        return math.nan
    done = float(days["stretch_sides"].clip(upper=routine_sides).sum())
    planned = settings.routines_per_week * routine_sides * len(days) / 7
    return min(done / planned, 1.0) * 100


def _week(weeks: pd.DataFrame, first: dt.date) -> pd.Series | None:
    found = weeks[weeks["week"] == pd.Timestamp(first)]
    return None if found.empty else found.iloc[0]


def athlete_row(athlete_id: int, log: AthleteLog, today: dt.date, *, routine_sides: int) -> dict:
    """One athlete's row of the list (see :func:`athlete_rows`; the columns are :data:`COLUMNS`)."""
    this_week = monday(today)
    frames = _recent(log.frames, this_week - dt.timedelta(weeks=LOOKBACK_WEEKS - 1))
    daily = weekly.daily_table(frames, today)
    weeks = weekly.weekly_from_daily(daily, frames["race"], log.settings, today, routine_sides=routine_sides)
    now = _week(weeks, this_week)
    before = _week(weeks, this_week - dt.timedelta(weeks=1))
    complete = weeks[weeks["complete"].astype(bool)]
    latest_change = complete.iloc[-1] if len(complete) else None
    checkins = log.frames["checkin"]["date"]
    last_checkin = checkins.max().date() if len(checkins) else None

    flags = []
    statuses = [row["pain_status"] for row in (now, before) if row is not None]
    if pain.STATUS_OVER in statuses:
        flags.append(FLAG_PAIN)
    if latest_change is not None and latest_change["change_flag"] == load.FLAG_OVER:
        flags.append(FLAG_CHANGE)
    if last_checkin is None or (today - last_checkin).days >= CHECKIN_DAYS:
        flags.append(FLAG_NO_CHECKIN)
    return {
        "athlete_id": athlete_id,
        "name": log.name,
        "flags": flags,
        "pain_status": pain.STATUS_NONE if now is None else now["pain_status"],
        "pain_status_last_week": pain.STATUS_NONE if before is None else before["pain_status"],
        "change_week": None if latest_change is None else latest_change["week"].date(),
        "change_pct": math.nan if latest_change is None else float(latest_change["change_pct"]),
        "change_flag": "" if latest_change is None else latest_change["change_flag"],
        "stretch_pct": _stretch_share(daily, log.settings, today, routine_sides) if len(daily) else math.nan,
        "gym_done": 0 if now is None else int(now["gym_sessions"]),
        "gym_plan": None if now is None else int(now["gym_recommended"]),
        "gym_vs_plan": "" if now is None else now["gym_vs_plan"],
        "last_checkin": last_checkin,
    }


def athlete_rows(logs: Mapping[int, AthleteLog], today: dt.date, *, routine_sides: int | None = None) -> pd.DataFrame:
    """The clinician's list: one row per athlete, the flagged ones first, then by name.

    Args:
        logs: each athlete's log by account id.
        today: the clinician's today: "this week" is its week, "the last 7 days" end on it.
        routine_sides: stretch-sides in one routine (:func:`kneelog.stretches.routine_size`); default the shipped
            library's.

    Returns:
        A frame with :data:`COLUMNS`: ``flags`` a list of :data:`FLAGS` (empty when none); ``pain_status`` and
        ``pain_status_last_week`` one of the :mod:`~kneelog.analysis.pain` statuses; ``change_week`` the Monday of the
        latest complete week (None when there is none), ``change_pct`` its distance change over the week before in
        percent (NaN when undefined: no running the week before, or that week not complete either) and
        ``change_flag`` the weekly table's (``""``, ``"over 30%"`` or ``"restart"``); ``stretch_pct`` the last 7
        days' stretching in percent of the plan; ``gym_done`` and ``gym_plan`` this week's gym sessions and the
        plan's (None with nothing logged), ``gym_vs_plan`` in words; ``last_checkin`` a date or None.
    """
    if routine_sides is None:
        from kneelog.stretches import load_library, routine_size

        routine_sides = routine_size(load_library())
    return sorted_rows(
        athlete_row(athlete_id, log, today, routine_sides=routine_sides) for athlete_id, log in logs.items()
    )


def sorted_rows(rows: Iterable[dict]) -> pd.DataFrame:
    """Rows of :func:`athlete_row` as the list: flagged athletes first, then by name (a page may cache each row by
    its athlete's data version and sort them here)."""
    ordered = sorted(rows, key=lambda row: (not row["flags"], row["name"].casefold(), row["athlete_id"]))
    return pd.DataFrame(ordered, columns=COLUMNS)


def _pct(value: float, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value:+.0f}%".replace("-", "−") if signed else f"{value:.0f}%"


def _change(pct: float, flag: str) -> str:
    return "restart" if flag == load.FLAG_RESTART else _pct(pct, signed=True)


def display_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The list for reading: readable names, flags joined, percentages and dates as text ("—" where none)."""
    return pd.DataFrame(
        {
            "Athlete": rows["name"],
            "Flags": rows["flags"].map(lambda flags: "; ".join(flags) or "—"),
            "Pain model, this week": rows["pain_status"],
            "Last week": rows["pain_status_last_week"],
            "Distance change": [
                "—" if week is None else f"{_change(pct, flag)} (week of {week:%d %b})"
                for week, pct, flag in zip(rows["change_week"], rows["change_pct"], rows["change_flag"], strict=True)
            ],
            "Stretching, last 7 days": rows["stretch_pct"].map(_pct),
            "Gym this week": [
                "—" if plan is None or pd.isna(plan) else f"{int(done)} of {int(plan)}"
                for done, plan in zip(rows["gym_done"], rows["gym_plan"], strict=True)
            ],
            "Last check-in": rows["last_checkin"].map(
                lambda day: "none" if day is None or pd.isna(day) else f"{day:%d %b %Y}"
            ),
        }
    )
