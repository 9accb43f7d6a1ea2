"""Everything the dashboard page shows, in one call: tables, load figures, findings and charts for a date range.

:func:`build` computes the daily and weekly tables over the whole history (so load figures that look back, like the
28-day chronic load, are right at the first week shown), then keeps the weeks in the chosen range for the tables,
the statistics and the charts. The page caches the result by database version and parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from kneelog.analysis import findings, load, stats, weekly
from kneelog.models import Settings
from kneelog.units import UNIT_NAMES
from kneelog.views import charts
from kneelog.views.charts import Figure

#: Weeks shown when no range is chosen.
DEFAULT_WEEKS = 52


@dataclass(frozen=True)
class Dashboard:
    """The dashboard for one date range and lag.

    ``weekly``/``daily`` hold the weeks in range; ``figures`` the charts by name (``mileage``, ``gym``, ``stretch``,
    ``calendar``, ``ratio``, ``change``, ``fitness``, ``status``, ``pain_during``); ``scatters`` one per factor at
    ``lag``; ``summary`` plain words about the latest weeks and ``findings`` about relationships; ``table`` the
    weekly table and ``relationship_table`` every factor at every lag, with readable column names.
    """

    weekly: pd.DataFrame
    daily: pd.DataFrame
    lag: int
    relationships: pd.DataFrame
    run_day: stats.Correlation
    regression: stats.Regression
    summary: list[str]
    findings: list[str]
    load_note: str
    figures: dict[str, Figure] = field(default_factory=dict)
    scatters: list[Figure] = field(default_factory=list)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    relationship_table: pd.DataFrame = field(default_factory=pd.DataFrame)

    def frozen(self) -> Dashboard:
        """The same dashboard with every chart as Vega-Lite JSON (see :meth:`kneelog.views.charts.Figure.frozen`)."""
        return replace(
            self,
            figures={name: figure.frozen() for name, figure in self.figures.items()},
            scatters=[figure.frozen() for figure in self.scatters],
        )

    @property
    def empty(self) -> bool:
        """Whether there is no week to show."""
        return self.weekly.empty


def weeks_available(frames: weekly.Frames, today: dt.date | None = None) -> list[dt.date]:
    """The Mondays of every week in the runner's history (oldest first); empty when nothing is logged."""
    days = weekly.calendar(frames, today)
    if len(days) == 0:
        return []
    mondays = pd.date_range(days[0] - pd.Timedelta(days=days[0].weekday()), days[-1], freq="W-MON")
    return [d.date() for d in mondays]


def default_range(
    weeks: list[dt.date], count: int = DEFAULT_WEEKS, latest: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The last ``count`` weeks of ``weeks`` (all of them when fewer) up to the week of ``latest`` (the latest entry,
    so a history that stopped months ago opens on its own weeks, not on empty ones up to today); up to the last
    of ``weeks`` when ``latest`` is None.

    Raises:
        ValueError: when ``weeks`` is empty.
    """
    if not weeks:
        raise ValueError("no weeks to choose from")
    end = len(weeks) - 1
    if latest is not None:
        end = max(0, sum(1 for w in weeks if w <= latest) - 1)
    return weeks[max(0, end + 1 - count)], weeks[end]


def load_note(frames: weekly.Frames, weeks: pd.DataFrame) -> str:
    """How session load was estimated for sessions logged without an effort, in words (empty when none was)."""
    missing = int(weeks["load_estimated"].sum()) if not weeks.empty else 0
    if missing == 0:
        return ""
    total = int(weeks["sessions"].sum())
    run_rpe = load.effort_for_missing(frames["run"]["rpe"])
    gym_rpe = load.effort_for_missing(frames["gym"]["rpe"])
    return (
        f"{missing} of {total} sessions in these weeks have no effort rating; their load uses your median effort "
        f"({run_rpe:g} for runs, {gym_rpe:g} for gym sessions; 5 where you rated none). Distance is shown on its own "
        "and needs no estimate."
    )


#: Weekly columns shown in the page's table, with their names.
TABLE_COLUMNS = {
    "week": "Week of",
    "distance": "Distance",
    "runs": "Runs",
    "run_time_s": "Running time (min)",
    "run_load": "Running load",
    "load": "Load, runs + gym",
    "load_estimated": "Sessions with estimated load",
    "change_pct": "Change (%)",
    "change_flag": "Flag",
    "monotony_run": "Monotony, running",
    "strain_run": "Strain, running",
    "monotony": "Monotony, runs + gym",
    "strain": "Strain, runs + gym",
    "acwr_run": "Load ratio, running (weighted 7 ÷ 28 d)",
    "acwr_distance": "Distance ratio (weighted 7 ÷ 28 d)",
    "acwr": "Load ratio, runs + gym (weighted 7 ÷ 28 d)",
    "acwr_run_uncoupled": "Running load, last 7 d ÷ the 21 d before",
    "ctl": "Fitness",
    "atl": "Fatigue",
    "form": "Form",
    "gym_sessions": "Gym",
    "gym_recommended": "Gym plan",
    "gym_vs_plan": "Gym vs plan",
    "stretch_compliance": "Stretch compliance (%)",
    "pain_mean": "Knee pain",
    "pain_worst": "Worst",
    "next_morning_mean": "Next morning",
    "pain_during_worst": "Worst during runs",
    "pain_change": "Pain change",
    "pain_status": "Pain model",
    "pain_reasons": "Why",
    "races": "Race",
}


def display_table(weeks: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The weekly table for reading: newest week first, readable names, minutes and percents, rounded; a part week
    (the week so far, a first week that started mid-week) says so next to its date."""
    out = weeks[list(TABLE_COLUMNS)].copy()
    out["week"] = out["week"].dt.date
    out.insert(1, "part", charts.part_weeks(weeks).to_numpy())
    out["run_time_s"] = out["run_time_s"] / 60
    out["stretch_compliance"] = out["stretch_compliance"] * 100
    digits = (
        {"distance": 1, "run_time_s": 0, "run_load": 0, "load": 0, "change_pct": 0, "monotony": 2, "strain": 0}
        | {"monotony_run": 2, "strain_run": 0, "acwr_run": 2, "acwr_distance": 2, "acwr": 2, "acwr_run_uncoupled": 2}
        | {"ctl": 0, "atl": 0, "form": 0, "stretch_compliance": 0, "pain_mean": 1}
        | {"next_morning_mean": 1}
    )
    out = out.round(digits)
    for column in out.columns:  # a column with gaps becomes text, "—" in each gap (a table never shows None or NaN)
        if out[column].isna().any():
            places = digits.get(column)
            out[column] = (
                out[column]
                .map(
                    lambda v, places=places: "—" if pd.isna(v) else f"{v:.{places}f}" if places is not None else str(v)
                )
                .astype(object)
            )
    names = TABLE_COLUMNS | {"part": "Part week", "distance": f"Distance ({UNIT_NAMES[unit]})"}
    return out.rename(columns=names).iloc[::-1].reset_index(drop=True)


#: The sample-size gates in the relationship table: below 26 weeks is a first look (not to be confused with
#: "exploratory", which marks every comparison not chosen in advance).
GATE_WORDS = {stats.TOO_FEW: "too few", stats.EXPLORATORY: "first look (under 26 weeks)", stats.ENOUGH: "enough data"}


def relationship_table(rels: pd.DataFrame) -> pd.DataFrame:
    """Every factor at every lag for reading: ρ and its 95% interval (rounded), complete weeks (n), effective n,
    whether it was chosen in advance (with its Holm-adjusted p) or is exploratory, and the gate."""

    def role(primary: bool, p_holm: float) -> str:
        if not primary:
            return "exploratory"
        return "chosen in advance" + ("" if pd.isna(p_holm) else f", Holm p = {findings.number(p_holm, 3)}")

    out = pd.DataFrame(
        {
            "Factor": rels["label"].str.capitalize(),
            "Knee pain": rels["lag"].map(findings.when),
            "ρ": rels["rho"].round(2),
            "95% interval": [
                findings.interval(low, high) if not pd.isna(low) else "—"
                for low, high in zip(rels["low"], rels["high"], strict=True)
            ],
            "Complete weeks (n)": rels["n"],
            "Effective n": rels["n_eff"].round(1),
            "Comparison": [role(p, q) for p, q in zip(rels["primary"], rels["p_holm"], strict=True)],
            "Status": [reason or GATE_WORDS[gate] for gate, reason in zip(rels["gate"], rels["reason"], strict=True)],
        }
    )
    return out


def build(
    frames: weekly.Frames,
    settings: Settings,
    *,
    today: dt.date | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    lag: int = 0,
    routine_sides: int,
) -> Dashboard:
    """The dashboard for the weeks from ``start`` to ``end`` (Mondays, inclusive) and the chosen lag.

    Args:
        frames: the store frames named in :data:`kneelog.analysis.weekly.KINDS`.
        settings: the runner's settings (unit, planned stretch routines).
        today: the runner's today (the calendar reaches it; its week is in progress).
        start: first week shown; default :data:`DEFAULT_WEEKS` weeks before the last.
        end: last week shown; default the last week.
        lag: weeks between a factor and the pain it is compared with in the scatters and in the comparisons chosen
            in advance (0-3).
        routine_sides: stretch-sides in one routine (:func:`kneelog.stretches.routine_size` of the library).

    Returns:
        A :class:`Dashboard`; with nothing logged (or no week in range) every figure is an empty state.
    """
    daily_all = weekly.daily_table(frames, today)
    weekly_all = weekly.weekly_from_daily(daily_all, frames["race"], settings, today, routine_sides=routine_sides)
    if not weekly_all.empty:
        first, last = default_range([d.date() for d in weekly_all["week"]])
        start_ts, end_ts = pd.Timestamp(start or first), pd.Timestamp(end or last)
        weeks = weekly_all[(weekly_all["week"] >= start_ts) & (weekly_all["week"] <= end_ts)].reset_index(drop=True)
        days = daily_all[(daily_all["week"] >= start_ts) & (daily_all["week"] <= end_ts)].reset_index(drop=True)
    else:
        weeks, days = weekly_all, daily_all

    unit = settings.unit
    rels = stats.relationships(weeks, primary_lag=lag)  # part weeks are left out inside
    complete_weeks = weeks.loc[weeks["complete"].astype(bool), "week"] if not weeks.empty else []
    run_day = stats.run_day_correlation(days, complete_weeks)
    reg = stats.regression(weeks, unit)
    figures = {
        "mileage": charts.mileage_and_pain(weeks, unit),
        "status": charts.pain_status(weeks),
        "pain_during": charts.pain_during(weeks),
        "gym": charts.gym_plan(weeks),
        "stretch": charts.stretch_compliance(weeks),
        "calendar": charts.stretch_calendar(days, routine_sides),
        "change": charts.week_change(weeks, unit),
        "ratio": charts.load_ratio(weeks),
        "fitness": charts.fitness_fatigue(weeks),
    }
    at_lag = rels[rels["lag"] == lag].set_index("driver")
    scatters = [
        charts.driver_scatter(
            weeks,
            driver,
            lag,
            stats.Correlation.from_row(at_lag.loc[driver]),
            unit,
            primary=bool(at_lag.loc[driver, "primary"]),
            p_holm=float(at_lag.loc[driver, "p_holm"]),
        )
        for driver in stats.DRIVERS
    ]
    return Dashboard(
        weekly=weeks,
        daily=days,
        lag=lag,
        relationships=rels,
        run_day=run_day,
        regression=reg,
        summary=findings.load_findings(weeks, unit),
        findings=findings.relationship_findings(rels, lag, run_day, reg),
        load_note=load_note(frames, weeks),
        figures=figures,
        scatters=scatters,
        table=display_table(weeks, unit) if not weeks.empty else pd.DataFrame(columns=list(TABLE_COLUMNS.values())),
        relationship_table=relationship_table(rels),
    )
