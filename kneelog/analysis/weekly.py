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
from typing import Any

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


def _day_numbers(dates: pd.Series, days: pd.DatetimeIndex) -> np.ndarray:
    """Each of ``dates`` as its day on the calendar ``days`` (0 for the first day; times of day dropped)."""
    return (dates.to_numpy().astype("datetime64[D]") - days[0].to_datetime64().astype("datetime64[D]")).astype("int64")


def _per_day(day: np.ndarray, values: pd.Series | np.ndarray | None, days: int, how: str = "sum") -> np.ndarray:
    """``values`` (or a count of rows, when None) of the rows on calendar day ``day`` (:func:`_day_numbers`) combined
    per day, for each of the calendar's ``days``: summed (missing values left out, a day without any is 0), or the
    ``"max"`` (NaN on a day without a value).

    NumPy's bin counts rather than a pandas group-by: the daily table adds up a dozen columns this way, and a
    group-by, a re-index and a fill for each cost most of the dashboard's first view after a write.
    """
    if values is None:
        return np.bincount(day, minlength=days).astype("float64")
    as_float = np.asarray(values, dtype="float64")
    if how == "max":
        out = np.full(days, np.nan)
        np.fmax.at(out, day, as_float)  # fmax passes over NaN: a day's value is the largest it has
        return out
    return np.bincount(day, weights=np.nan_to_num(as_float, nan=0.0), minlength=days)


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
    n = len(days)
    runs, gym, items = frames["run"], frames["gym"], frames["stretch_item"]
    run_day, gym_day, item_day = (_day_numbers(f["date"], days) for f in (runs, gym, items))
    run_load = load.session_load(runs)["load"].to_numpy(dtype="float64")
    gym_load = load.session_load(gym)["load"].to_numpy(dtype="float64")
    run_estimated, gym_estimated = runs["rpe"].isna().to_numpy(), gym["rpe"].isna().to_numpy()
    during = runs["pain_during"].to_numpy(dtype="float64")
    # a stretch session counts once on its day, however many stretch-sides it holds
    first_of_session = ~pd.DataFrame({"day": item_day, "session": items["session_id"].to_numpy()}).duplicated()

    out = pd.DataFrame(
        {
            "distance_m": _per_day(run_day, runs["distance_m"], n),
            "runs": _per_day(run_day, None, n),
            "run_time_s": _per_day(run_day, runs["duration_s"], n),
            "run_load": _per_day(run_day, run_load, n),
            "gym_load": _per_day(gym_day, gym_load, n),
            "load_estimated": _per_day(run_day, run_estimated, n) + _per_day(gym_day, gym_estimated, n),
            "gym_sessions": _per_day(gym_day, None, n),
            "stretch_sessions": _per_day(item_day[first_of_session.to_numpy()], None, n),
            "stretch_sides": _per_day(item_day, None, n),
            "pain_during_sum": _per_day(run_day, during, n),
            "pain_during_n": _per_day(run_day, ~np.isnan(during), n),
            "pain_during_worst": _per_day(run_day, during, n, "max"),
        },
        index=days,
    )
    out["load"] = out["run_load"] + out["gym_load"]
    scores = pain.daily_pain(frames["checkin"]).reindex(days)
    out[["pain", "pain_worst", "morning_after"]] = scores[["pain", "pain_worst", "morning_after"]]
    out["checkins"] = scores["checkins"].fillna(0.0)
    out = pd.concat(
        [
            out,
            pain.settling(out["runs"] > 0, out["pain"], out["morning_after"]),
            load.running_ratios(out["run_load"], out["distance_m"]),
            load.acute_chronic(out["load"]),
            load.fitness_fatigue(out["load"]).rename(columns={"warming_up": "fitness_warming_up"}),
        ],
        axis=1,
    )
    out = out.rename_axis("date").reset_index()
    out["week"] = monday_of(out["date"])
    return out[DAILY_COLUMNS]


def _races_per_week(races: pd.DataFrame, weeks: pd.Index) -> pd.Series:
    """The names of the races in each of ``weeks`` (Mondays), in name order and joined by ", "; "" for none."""
    names: dict[pd.Timestamp, list[str]] = {}
    for monday, name in zip(monday_of(races["date"]), races["name"], strict=True):
        names.setdefault(monday, []).append(name)
    return pd.Series([", ".join(sorted(names.get(monday, []))) for monday in weeks], index=weeks, dtype="object")


class _Weeks:
    """The days of a daily table laid out as a (weeks, 7) grid, Monday first: the calendar's days are consecutive,
    so padding the first and the last week to seven days (with NaN) puts each week on a row of its own. Sums, means
    and the last day of each week then come from NumPy along the rows, in one step for every week."""

    def __init__(self, daily: pd.DataFrame) -> None:
        self.daily = daily
        self.before = int(daily["date"].iloc[0].weekday())
        self.after = 6 - int(daily["date"].iloc[-1].weekday())
        self.days = np.nansum(self.grid(np.ones(len(daily))), axis=1)
        #: The row of the daily table that ends each week (its Sunday, or the calendar's last day).
        self.last = np.minimum(np.arange(7, 7 * len(self.days) + 1, 7) - self.before, len(daily)) - 1

    def grid(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """``values``, one per day of the table, as a (weeks, 7) grid with NaN on the padding days."""
        pad = (np.full(self.before, np.nan), np.full(self.after, np.nan))
        return np.concatenate([pad[0], np.asarray(values, dtype="float64"), pad[1]]).reshape(-1, 7)

    def column(self, name: str) -> np.ndarray:
        """The daily column ``name`` as a (weeks, 7) grid (:meth:`grid`)."""
        return self.grid(self.daily[name].to_numpy(dtype="float64"))

    def total(self, name: str) -> np.ndarray:
        """Each week's sum of ``name`` (its missing values left out), added day by day with Kahan's compensation,
        as a pandas group-by sums: a week of pain scores in thirds then adds up to the nearest float of its true
        sum, so a change of exactly one point is not read as 0.9999999999999998 and missed."""
        days = self.column(name)
        total, carry = np.zeros(len(days)), np.zeros(len(days))
        for day in days.T:
            value = np.where(np.isnan(day), 0.0, day) - carry
            added = total + value
            carry = np.where(np.isnan(day), carry, (added - total) - value)
            total = np.where(np.isnan(day), total, added)
        return total

    def count(self, name: str) -> np.ndarray:
        """How many days of each week have a value of ``name``."""
        return np.sum(~np.isnan(self.column(name)), axis=1).astype("float64")

    def mean(self, name: str) -> np.ndarray:
        """Each week's mean of ``name`` over the days with a value; NaN for a week without one."""
        count = self.count(name)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(count > 0, self.total(name) / count, np.nan)

    def most(self, name: str) -> np.ndarray:
        """Each week's largest value of ``name``; NaN for a week without one."""
        return np.fmax.reduce(self.column(name), axis=1)

    def at_end(self, name: str) -> np.ndarray:
        """``name`` on the last day of each week."""
        return self.daily[name].to_numpy()[self.last]

    def monotony_strain(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Training monotony and strain (Foster 1998) of ``name`` for every week, as
        :func:`kneelog.analysis.load.monotony_strain` works them out for one: monotony = mean ÷ population standard
        deviation of the week's seven days, strain = the week's total × monotony; NaN for a week with fewer than
        seven days (its padding), a missing day, or the same load every day."""
        days = self.column(name)
        mean, sd = days.mean(axis=1), days.std(axis=1, ddof=0)
        flat = sd <= 1e-12 * np.maximum(1.0, np.abs(days).max(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            monotony = np.where(flat, np.nan, mean / sd)  # a row with a NaN day is NaN throughout
        return monotony, days.sum(axis=1) * monotony


#: Daily columns summed into the weekly table under the same name.
_SUMMED = ["distance_m", "runs", "run_time_s", "run_load", "gym_load", "load", "load_estimated", "gym_sessions",
           "stretch_sessions", "stretch_sides"]  # fmt: skip
#: The weekly columns :func:`kneelog.analysis.pain.weekly_status` reads.
_STATUS_READS = ["complete", "runs", "pain_mean", "pain_during_worst", "next_morning_mean", "unsettled_runs"]
#: Weekly load columns that are the value of the week's last day, by the daily column they come from.
_AT_WEEK_END = {
    "acute_run": "acute_run", "chronic_run": "chronic_run", "acwr_run": "ratio_run",
    "acwr_run_uncoupled": "ratio_run_uncoupled", "acwr_distance": "ratio_distance", "acute": "acute",
    "chronic": "chronic", "acwr": "ratio", "acwr_coupled": "ratio_coupled", "acwr_uncoupled": "ratio_uncoupled",
    "ctl": "ctl", "atl": "atl", "form": "form", "fitness_warming_up": "fitness_warming_up",
}  # fmt: skip


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
    by_week = _Weeks(daily)
    mondays = pd.Index(daily["week"].to_numpy()[by_week.last], name="week")
    in_progress = today is not None and mondays[-1] == pd.Timestamp(today) - pd.Timedelta(days=today.weekday())
    complete = by_week.days == 7
    if in_progress:
        complete[-1] = False
    # every column worked out as an array first and the frame made once: a column set on a frame costs more than
    # working it out, and the dashboard makes this table again after every write
    week: dict[str, Any] = {"days": by_week.days, "complete": complete}
    week |= {column: by_week.total(column) for column in _SUMMED}
    week["distance"] = to_unit(week["distance_m"], settings.unit)
    week["sessions"] = week["runs"] + week["gym_sessions"]
    distance = pd.Series(week["distance_m"], index=mondays)
    change = load.week_over_week(distance, pd.Series(complete, index=mondays))
    week["change_pct"], week["change_flag"] = change["change_pct"], change["flag"]
    for suffix, daily_load in (("_run", "run_load"), ("", "load")):
        week["monotony" + suffix], week["strain" + suffix] = by_week.monotony_strain(daily_load)
    week |= {column: by_week.at_end(source) for column, source in _AT_WEEK_END.items()}
    week["races"] = _races_per_week(races, mondays)
    week["stretch_planned"] = settings.routines_per_week * routine_sides * by_week.days / 7
    # at most the whole plan: a day beyond it, or one routine in a first week of a day or two (whose plan is a
    # fraction of a routine), would otherwise read as more than 100% done
    week["stretch_compliance"] = np.minimum(week["stretch_sides"] / week["stretch_planned"], 1.0)

    week["checkin_days"] = by_week.count("pain")
    week["pain_mean"] = by_week.mean("pain")
    week["pain_worst"] = by_week.most("pain_worst")
    week["next_morning_mean"] = by_week.mean("next_morning")
    week["next_morning_worst"] = by_week.most("next_morning")
    week["unsettled_runs"] = by_week.total("unsettled")
    during_n = by_week.total("pain_during_n")
    with np.errstate(divide="ignore", invalid="ignore"):
        week["pain_during_mean"] = np.where(during_n > 0, by_week.total("pain_during_sum") / during_n, np.nan)
    week["pain_during_worst"] = by_week.most("pain_during_worst")
    status = pain.weekly_status(pd.DataFrame({column: week[column] for column in _STATUS_READS}, index=mondays))
    week |= dict(status.items())
    # the gym plan comes after the pain status: a week's plan is lowered when last week's pain was over the limits
    over = status["pain_status"] == pain.STATUS_OVER
    days = pd.Series(by_week.days, index=mondays)
    plan = gymplan.recommended_sessions(distance, days, races, over, settings.unit)
    week |= dict(plan.items())
    not_current = pd.Series(True, index=mondays)
    not_current.iloc[-1] = not in_progress
    done = pd.Series(week["gym_sessions"], index=mondays)
    adherence = gymplan.adherence(done, plan["gym_recommended"], not_current)
    week |= dict(adherence.items())
    week |= {column: np.asarray(week[column]).astype("int64") for column in COUNT_COLUMNS}
    out = pd.DataFrame({column: week[column] for column in WEEKLY_COLUMNS[1:]}, index=mondays)
    return out.reset_index()


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
