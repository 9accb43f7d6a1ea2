"""The day-by-day and week-by-week tables behind the dashboard and ``kneelog weekly``.

Weeks are ISO weeks, Monday to Sunday, of the runner's local calendar dates (the store keeps local dates). The
calendar runs from the first logged day (any run, gym session, stretch or check-in) to the last one, or to ``today``
when given, and every day in it counts: a day without training is a rest day with zero load, so training-load
figures (:mod:`~kneelog.analysis.load`) see the rest days too. Pain comes from :mod:`~kneelog.analysis.pain`, the
gym plan from :mod:`~kneelog.analysis.gymplan`.

Session load is effort × minutes (Foster et al. 2001) over runs and gym sessions. A session logged without an effort
(RPE) is given the median effort of the runner's rated sessions of its kind (5, the middle of the scale, when none
is rated); ``load_estimated`` counts those sessions each week, and distance stays its own column so the runner can
always look at the running without any estimate. The acute:chronic ratios and monotony are taken of running alone
(the ``_run`` columns, and ``acwr_distance`` of distance) as well as of all load, so gym load cannot hide a jump in
running; fitness and fatigue are of all load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from kneelog.analysis import gymplan, load, pain
from kneelog.clock import monday_of
from kneelog.models import Settings
from kneelog.units import to_unit

#: The store frames the tables are made from (:meth:`kneelog.store.Store.frame` kinds).
KINDS = ("run", "gym", "stretch_item", "checkin", "race")

Frames = Mapping[str, pd.DataFrame]

#: Columns of :func:`daily_table`.
DAILY_COLUMNS = [
    "date", "week", "distance_m", "runs", "run_time_s", "run_load", "gym_load", "load", "load_estimated",
    "gym_sessions", "stretch_sessions", "stretch_sides", "pain", "pain_worst", "morning_after", "checkins",
    "pain_during_sum", "pain_during_n", "pain_during_worst", "next_morning", "baseline", "unsettled",
    "acute_run", "chronic_run", "ratio_run", "ratio_run_uncoupled", "ratio_distance",
    "acute", "chronic", "ratio", "acute_7", "chronic_28", "ratio_coupled", "chronic_21", "ratio_uncoupled",
    "ctl", "atl", "form", "fitness_warming_up",
]  # fmt: skip

#: Weekly columns that count things (whole numbers).
COUNT_COLUMNS = [
    "days", "runs", "load_estimated", "sessions", "gym_sessions", "gym_recommended", "stretch_sessions",
    "stretch_sides", "checkin_days", "unsettled_runs",
]  # fmt: skip

#: Columns of :func:`weekly_table` (``distance`` is in the runner's unit, ``distance_m`` in metres). Load figures of
#: running alone end in ``_run`` (``acwr_distance``: of running distance); ``monotony``, ``strain``, ``acute``,
#: ``chronic``, ``acwr*``, ``ctl``, ``atl`` and ``form`` without a suffix are of all load, runs and gym together.
WEEKLY_COLUMNS = [
    "week", "days", "complete", "distance_m", "distance", "runs", "run_time_s", "run_load", "gym_load", "load",
    "load_estimated", "sessions", "change_pct", "change_flag", "monotony_run", "strain_run", "monotony", "strain",
    "acute_run", "chronic_run", "acwr_run", "acwr_run_uncoupled", "acwr_distance", "acute", "chronic", "acwr",
    "acwr_coupled", "acwr_uncoupled", "ctl", "atl", "form", "fitness_warming_up", "gym_sessions", "gym_recommended",
    "gym_reason", "gym_adherence", "gym_vs_plan", "stretch_sessions", "stretch_sides", "stretch_planned",
    "stretch_compliance", "checkin_days", "pain_mean", "pain_worst", "next_morning_mean", "next_morning_worst",
    "unsettled_runs", "pain_during_mean", "pain_during_worst", "pain_change", "pain_status", "pain_reasons", "races",
]  # fmt: skip


def calendar(frames: Frames, today: dt.date | None = None) -> pd.DatetimeIndex:
    """Every day from the first logged day to the last (or to ``today`` when later); empty with nothing logged.

    Races do not extend the calendar: they may lie in the future.
    """
    dates = [frames[k]["date"] for k in ("run", "gym", "stretch_item", "checkin") if len(frames[k])]
    if not dates:
        return pd.DatetimeIndex([], name="date")
    first = min(d.min() for d in dates).normalize()
    last = max(d.max() for d in dates).normalize()
    if today is not None:
        last = max(last, pd.Timestamp(today))
    return pd.date_range(first, last, freq="D", name="date")


def _per_day(dates: pd.Series, values: pd.Series | None, days: pd.DatetimeIndex, how: str = "sum") -> pd.Series:
    """``values`` (or a count of rows, when None) combined per day and laid on the calendar ``days``."""
    if values is None:
        values = pd.Series(1.0, index=dates.index)
    grouped = values.astype("float64").groupby(dates.dt.normalize()).agg(how)
    filled = grouped.reindex(days)
    return filled.fillna(0.0) if how in ("sum", "count") else filled


def daily_table(frames: Frames, today: dt.date | None = None) -> pd.DataFrame:
    """One row per calendar day: training, stretching, pain and the daily load figures.

    Args:
        frames: the store frames named in :data:`KINDS`, in any row order.
        today: extend the calendar to this day (the runner's today), counting the days since the last entry as rest.

    Returns:
        A frame with :data:`DAILY_COLUMNS`, one row per day of :func:`calendar`, oldest first.
    """
    days = calendar(frames, today)
    if len(days) == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in DAILY_COLUMNS})
    runs, gym, items = frames["run"], frames["gym"], frames["stretch_item"]
    run_load = load.session_load(runs)
    gym_load = load.session_load(gym)

    out = pd.DataFrame(index=days)
    out["distance_m"] = _per_day(runs["date"], runs["distance_m"], days)
    out["runs"] = _per_day(runs["date"], None, days)
    out["run_time_s"] = _per_day(runs["date"], runs["duration_s"], days)
    out["run_load"] = _per_day(run_load["date"], run_load["load"], days)
    out["gym_load"] = _per_day(gym_load["date"], gym_load["load"], days)
    out["load"] = out["run_load"] + out["gym_load"]
    estimated = pd.concat([run_load, gym_load])
    out["load_estimated"] = _per_day(estimated["date"], estimated["estimated"], days)
    out["gym_sessions"] = _per_day(gym["date"], None, days)
    out["stretch_sessions"] = _per_day(items["date"], items["session_id"], days, "nunique").fillna(0.0)
    out["stretch_sides"] = _per_day(items["date"], None, days)

    scores = pain.daily_pain(frames["checkin"]).reindex(days)
    out[["pain", "pain_worst", "morning_after"]] = scores[["pain", "pain_worst", "morning_after"]]
    out["checkins"] = scores["checkins"].fillna(0.0)
    during = runs["pain_during"]
    out["pain_during_sum"] = _per_day(runs["date"], during.fillna(0.0), days)
    out["pain_during_n"] = _per_day(runs["date"], during.notna(), days)
    out["pain_during_worst"] = _per_day(runs["date"], during, days, "max")
    out = out.join(pain.settling(out["runs"] > 0, out["pain"], out["morning_after"]))
    out = out.join(load.running_ratios(out["run_load"], out["distance_m"])).join(load.acute_chronic(out["load"]))
    out = out.join(load.fitness_fatigue(out["load"]).rename(columns={"warming_up": "fitness_warming_up"}))

    out = out.rename_axis("date").reset_index()
    out["week"] = monday_of(out["date"])
    return out[DAILY_COLUMNS]


def _races_per_week(races: pd.DataFrame, weeks: pd.Index) -> pd.Series:
    if races.empty:
        return pd.Series("", index=weeks, dtype="object")
    names = races.assign(week=monday_of(races["date"])).groupby("week")["name"].agg(lambda s: ", ".join(sorted(s)))
    return names.reindex(weeks).fillna("").astype("object")


def _monotony_strain(daily: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Training monotony and strain (Foster 1998) of ``column`` for every week of the daily table at once, as
    :func:`kneelog.analysis.load.monotony_strain` works them out for one week.

    The calendar's days are consecutive, so padding the first and last week to seven days lays the days out as a
    (weeks, 7) array, Monday first: monotony = mean ÷ population standard deviation of each row, strain = the row's
    total × monotony; NaN for a week with fewer than seven days (its padding), a missing day, or the same load
    every day.
    """
    before = int(daily["date"].iloc[0].weekday())
    after = 6 - int(daily["date"].iloc[-1].weekday())
    values = np.concatenate([np.full(before, np.nan), daily[column].to_numpy(dtype="float64"), np.full(after, np.nan)])
    days = values.reshape(-1, 7)
    mean, sd = days.mean(axis=1), days.std(axis=1, ddof=0)
    flat = sd <= 1e-12 * np.maximum(1.0, np.abs(days).max(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        monotony = np.where(flat, np.nan, mean / sd)  # a row with a NaN day is NaN throughout
    return monotony, days.sum(axis=1) * monotony


def weekly_from_daily(
    daily: pd.DataFrame,
    races: pd.DataFrame,
    settings: Settings,
    today: dt.date | None = None,
    *,
    routine_sides: int,
) -> pd.DataFrame:
    """The weekly table from :func:`daily_table` (see :func:`weekly_table`).

    Stretching is capped per day before it is summed: a day counts at most ``routine_sides`` stretch-sides (one full
    routine), so ``stretch_sides`` and ``stretch_compliance`` never credit a second routine on the same day; and
    ``stretch_compliance`` (done ÷ planned) is at most 1, the whole plan.
    """
    if daily.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in WEEKLY_COLUMNS})
    daily = daily.assign(stretch_sides=daily["stretch_sides"].clip(upper=routine_sides))
    by_week = daily.groupby("week", sort=True)
    sums = by_week[
        ["distance_m", "runs", "run_time_s", "run_load", "gym_load", "load", "load_estimated", "gym_sessions",
         "stretch_sessions", "stretch_sides", "unsettled", "pain_during_sum", "pain_during_n"]
    ].sum()  # fmt: skip
    week = pd.DataFrame(index=sums.index)
    week["days"] = by_week.size()
    in_progress = today is not None and week.index[-1] == pd.Timestamp(today) - pd.Timedelta(days=today.weekday())
    complete = week["days"] == 7
    if in_progress:
        complete.iloc[-1] = False
    week["complete"] = complete
    week["distance_m"] = sums["distance_m"]
    week["distance"] = to_unit(sums["distance_m"], settings.unit)
    for column in ("runs", "run_time_s", "run_load", "gym_load", "load", "load_estimated", "gym_sessions"):
        week[column] = sums[column]
    week["sessions"] = sums["runs"] + sums["gym_sessions"]
    change = load.week_over_week(week["distance_m"], week["complete"])
    week["change_pct"], week["change_flag"] = change["change_pct"], change["flag"]
    for suffix, daily_load in (("_run", "run_load"), ("", "load")):
        week["monotony" + suffix], week["strain" + suffix] = _monotony_strain(daily, daily_load)
    end_of_week = by_week.tail(1).set_index("week")
    for column, source in (("acute_run", "acute_run"), ("chronic_run", "chronic_run"), ("acwr_run", "ratio_run"),
                           ("acwr_run_uncoupled", "ratio_run_uncoupled"), ("acwr_distance", "ratio_distance"),
                           ("acute", "acute"), ("chronic", "chronic"), ("acwr", "ratio"),
                           ("acwr_coupled", "ratio_coupled"), ("acwr_uncoupled", "ratio_uncoupled"),
                           ("ctl", "ctl"), ("atl", "atl"), ("form", "form"),
                           ("fitness_warming_up", "fitness_warming_up")):  # fmt: skip
        week[column] = end_of_week[source]

    week["races"] = _races_per_week(races, week.index)
    week["stretch_sessions"] = sums["stretch_sessions"]
    week["stretch_sides"] = sums["stretch_sides"]
    week["stretch_planned"] = settings.routines_per_week * routine_sides * week["days"] / 7
    # at most the whole plan: a day beyond it, or one routine in a first week of a day or two (whose plan is a
    # fraction of a routine), would otherwise read as more than 100% done
    week["stretch_compliance"] = (week["stretch_sides"] / week["stretch_planned"]).clip(upper=1.0)

    week["checkin_days"] = by_week["pain"].count()
    week["pain_mean"] = by_week["pain"].mean()
    week["pain_worst"] = by_week["pain_worst"].max()
    week["next_morning_mean"] = by_week["next_morning"].mean()
    week["next_morning_worst"] = by_week["next_morning"].max()
    week["unsettled_runs"] = sums["unsettled"]
    week["pain_during_mean"] = (sums["pain_during_sum"] / sums["pain_during_n"]).where(sums["pain_during_n"] > 0)
    week["pain_during_worst"] = by_week["pain_during_worst"].max()
    week = week.join(pain.weekly_status(week))
    # the gym plan comes after the pain status: a week's plan is lowered when last week's pain was over the limits
    over = week["pain_status"] == pain.STATUS_OVER
    plan = gymplan.recommended_sessions(week["distance_m"], week["days"], races, over, settings.unit)
    week = week.join(plan)
    not_current = pd.Series(True, index=week.index)
    not_current.iloc[-1] = not in_progress
    week = week.join(gymplan.adherence(week["gym_sessions"], week["gym_recommended"], not_current))
    week = week.astype({c: "int64" for c in COUNT_COLUMNS})
    return week.rename_axis("week").reset_index()[WEEKLY_COLUMNS]


def weekly_table(
    frames: Frames, settings: Settings, today: dt.date | None = None, *, routine_sides: int
) -> pd.DataFrame:
    """One row per ISO week (Monday to Sunday): training, load figures, gym plan, stretching, pain and flags.

    Args:
        frames: the store frames named in :data:`KINDS`, in any row order.
        settings: the runner's unit (for ``distance``) and planned stretch routines per week.
        today: the runner's today: the calendar reaches it, and its week is marked not ``complete``.
        routine_sides: stretch-sides in one routine (:func:`kneelog.stretches.routine_size` of the library); each
            day's stretch-sides are capped at it before summing, so a day counts at most one routine.

    Returns:
        A frame with :data:`WEEKLY_COLUMNS`, oldest week first, every week of the calendar present (rest weeks as
        zeros). ``week`` is the Monday; ``days`` the days of that week inside the calendar (below 7 for the first
        and the last week); ``stretch_planned`` is pro-rated to those days. Empty when nothing is logged.
    """
    daily = daily_table(frames, today)
    return weekly_from_daily(daily, frames["race"], settings, today, routine_sides=routine_sides)


def as_export(weekly: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The weekly table as ``kneelog weekly`` prints it: the week as its Monday's ISO date, distance in both units.

    Returns:
        A copy with ``week`` as ``YYYY-MM-DD`` text and ``distance`` renamed ``distance_km`` or ``distance_mi``.
    """
    out = weekly.rename(columns={"distance": f"distance_{unit}"})
    out["week"] = pd.to_datetime(out["week"]).dt.strftime("%Y-%m-%d")
    return out
