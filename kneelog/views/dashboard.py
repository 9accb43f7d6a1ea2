"""What the dashboard page shows, one section at a time: tables, load figures, findings and charts for a range.

The page has five sections (:data:`SECTIONS`): the Overview (this week, the pain-monitoring status, weekly distance
with pain, the latest week in two sentences), Load, Gym & stretching, Outcomes (the outcome scores, drawn by
:mod:`kneelog.views.outcome_charts`) and Relationships. :func:`history` computes the
daily and weekly tables over the whole history once per data change (so load figures that look back, like the 28-day
chronic load, are right at the first week shown); :func:`section` keeps the weeks in the chosen range and computes
only what one section shows: the Overview computes no statistics and draws two charts. The page caches both, the
history by database version and each section by version, range, lag and name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from kneelog.analysis import findings, hrload, load, stats, weekly
from kneelog.models import Settings, Unit
from kneelog.units import UNIT_NAMES, format_distance
from kneelog.views import charts, hr_charts, programme_charts
from kneelog.views.charts import Figure
from kneelog.views.history import latest_entry

#: Weeks shown when no range is chosen.
DEFAULT_WEEKS = 52

#: The sections of the page, in order; the first is the view the page opens on.
SECTIONS = ("Overview", "Load", "Gym & stretching", "Outcomes", "Relationships")
#: Outcomes draws the outcome scores against their minimal important change (:mod:`kneelog.views.outcome_charts`),
#: read from the store's scores, not from the weekly tables: :func:`section` gives it no figures of its own.
OVERVIEW, LOAD, GYM, OUTCOMES, RELATIONSHIPS = SECTIONS

#: The charts of each section, by their names in :attr:`Section.figures`, in the order they are drawn.
SECTION_CHARTS: dict[str, tuple[str, ...]] = {
    OVERVIEW: ("weeks",),  # distance, pain and the pain-monitoring status: one chart (charts.weeks_overview)
    LOAD: ("change", "ratio", "fitness", "hr_load", "pain_during"),  # hr_load only with heart-rate data
    GYM: ("gym", "progression_load", "progression_count", "stretch", "calendar"),  # progression: gym programme
    RELATIONSHIPS: (),
    OUTCOMES: (),
}

#: Range presets beside the range slider: the last this many weeks, or all of them.
PRESET_WEEKS = (4, 8, 12, 26, 52)
ALL_WEEKS = "All"


@dataclass(frozen=True)
class History:
    """The daily and weekly tables over the whole history, the day of the latest entry, the median efforts that
    stand in for missing ones, the unit of the tables and the stretch-sides of one routine.

    Every section is cut from it; it depends on the data and the settings only, not on the range, the lag or the
    section.
    """

    weekly: pd.DataFrame
    daily: pd.DataFrame
    latest: dt.date | None
    run_effort: float
    gym_effort: float
    unit: Unit
    routine_sides: int
    #: The heart-rate load: its TRIMP and heart rates, and each week's (:func:`~.hrload.weekly_trimp`, beside
    #: ``weekly``: effort × minutes and TRIMP are never in one table, so never added).
    heart: hrload.Scale
    trimp: pd.DataFrame
    #: The logged exercises of gym sessions (``Store.frame("gym_exercise")``), for the progression charts.
    gym_exercises: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def empty(self) -> bool:
        """Whether nothing is logged."""
        return self.weekly.empty

    @property
    def weeks(self) -> list[dt.date]:
        """The Monday of every week, oldest first (:func:`weeks_available`: the calendar reaches today)."""
        return [monday.date() for monday in self.weekly["week"]]


@dataclass(frozen=True)
class Metric:
    """One headline number of the week: its label, its value in words and what it means (``meaning``, a sentence
    naming the label, for a caption under the numbers; empty when the label says it all)."""

    label: str
    value: str
    meaning: str = ""


@dataclass(frozen=True)
class Section:
    """What one section of the dashboard shows for one range (and, for Relationships, one lag).

    ``weekly``/``daily`` hold the weeks in range. ``figures`` are the section's charts by name (in the order drawn,
    see :data:`SECTION_CHARTS`); ``summary`` its plain words about the latest weeks. The Overview adds ``heading``
    and ``metrics`` (the latest week); Load adds ``load_note`` and ``table`` (the weekly table for reading);
    Relationships adds ``relationships``, ``run_day``, ``regression``, ``findings``, ``scatters`` (one per factor
    at ``lag``) and ``relationship_table`` (every factor at every lag); or, when the range holds too few complete
    weeks with check-ins for the comparisons but the whole history holds enough, only ``too_short``: what to do, in
    words (widen the range, not log more).
    """

    name: str
    weekly: pd.DataFrame
    daily: pd.DataFrame
    lag: int = 0
    figures: dict[str, Figure] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    heading: str = ""
    metrics: list[Metric] = field(default_factory=list)
    load_note: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    relationships: pd.DataFrame = field(default_factory=pd.DataFrame)
    run_day: stats.Correlation | None = None
    regression: stats.Regression | None = None
    findings: list[str] = field(default_factory=list)
    scatters: list[Figure] = field(default_factory=list)
    relationship_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    too_short: str = ""

    def frozen(self) -> Section:
        """The section as a page caches and draws it: every chart as Vega-Lite JSON (see
        :meth:`kneelog.views.charts.Figure.frozen`), and without the tables it was worked out from (``weekly``,
        ``daily`` and ``relationships`` left empty), which a page does not draw and need not copy on every run."""
        return replace(
            self,
            weekly=self.weekly.iloc[:0],
            daily=self.daily.iloc[:0],
            relationships=self.relationships.iloc[:0],
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


def kept_range(
    chosen: tuple[dt.date, dt.date] | None, weeks: list[dt.date], latest: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The range chosen before, while both its ends are still among ``weeks`` (a week can go when entries are
    deleted); else, and when nothing was chosen, :func:`default_range` up to the week of ``latest``."""
    if isinstance(chosen, tuple | list) and len(chosen) == 2 and set(chosen) <= set(weeks) and chosen[0] <= chosen[1]:
        return chosen[0], chosen[1]
    return default_range(weeks, latest=latest)


def presets(weeks: list[dt.date], latest: dt.date | None = None) -> dict[str, tuple[dt.date, dt.date]]:
    """The range presets beside the slider, by label: ``"4 weeks"`` … ``"52 weeks"`` and ``"All"``, each ending (like
    :func:`default_range`) at the week of ``latest``, the latest entry, so a history that stopped months ago shows
    its own weeks; ``"All"`` starts at the first week.

    A preset that would reach back to the first week anyway is left out: it is the same as "All", so a history of
    10 weeks offers ``4 weeks``, ``8 weeks`` and ``All``.
    """
    if not weeks:
        return {}
    choices = {}
    for count in PRESET_WEEKS:
        start, end = default_range(weeks, count, latest)
        if start != weeks[0]:
            choices[f"{count} weeks"] = (start, end)
    return choices | {ALL_WEEKS: default_range(weeks, len(weeks), latest)}


def preset_short(label: str) -> str:
    """A preset as its button shows it, after the words "Or the last … weeks": ``4``, ``52``, ``All``."""
    return label.removesuffix(" weeks")


def range_words(start: dt.date, end: dt.date) -> str:
    """The weeks from Monday ``start`` to Monday ``end`` (inclusive) in words, for a range chosen without a slider
    in view: ``Weeks of 29 Dec 2025 to 22 Jun 2026 (26 weeks).``; one week reads ``Week of 22 Jun 2026.``"""
    count = (end - start).days // 7 + 1
    if count == 1:
        return f"Week of {start:%d %b %Y}."
    return f"Weeks of {start:%d %b %Y} to {end:%d %b %Y} ({count} weeks)."


def preset_of(chosen: tuple[dt.date, dt.date], choices: dict[str, tuple[dt.date, dt.date]]) -> str | None:
    """The label of the preset that gives the range ``chosen`` (None when it was set by hand)."""
    return next((label for label, weeks in choices.items() if tuple(weeks) == tuple(chosen)), None)


def load_note(history: History, weeks: pd.DataFrame) -> str:
    """How session load was estimated for sessions logged without an effort, in words (empty when none was)."""
    missing = int(weeks["load_estimated"].sum()) if not weeks.empty else 0
    if missing == 0:
        return ""
    total = int(weeks["sessions"].sum())
    with_hr = int(hr_charts.in_range(weeks, history.trimp)["trimp_runs"].sum())
    verb = "has" if with_hr == 1 else "have"
    heart = f" {with_hr} of them {verb} heart rate: a heart-rate load (TRIMP) on its own scale."
    return (
        f"{missing} of {total} sessions in these weeks have no effort rating; their load uses your median effort "
        f"({history.run_effort:g} for runs, {history.gym_effort:g} for gym sessions; 5 where you rated none). "
        f"Distance is shown on its own and needs no estimate.{heart if with_hr else ''}"
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


def _checked_weeks(weeks: pd.DataFrame) -> int:
    """Complete weeks with knee pain checked in: the weeks a comparison with pain can pair."""
    return int((weeks["complete"].astype(bool) & weeks["pain_mean"].notna()).sum()) if not weeks.empty else 0


def _needs_a_wider_range(weeks_in_range: int, weeks_in_history: int, lag: int) -> bool:
    """Whether a comparison at ``lag`` has too few weeks (:func:`_checked_weeks`) in the range but enough in the whole
    history: then the runner needs a wider range, not more logging."""
    return weeks_in_range - lag < stats.MIN_PAIRS <= weeks_in_history - lag


def _dash(value: float, digits: int) -> float | str:
    return "—" if pd.isna(value) else round(float(value), digits)


def relationship_table(rels: pd.DataFrame, complete: tuple[int, int] | None = None) -> pd.DataFrame:
    """Every factor at every lag for reading: ρ and its 95% interval (rounded), complete weeks (n), effective n,
    whether it was chosen in advance (with its Holm-adjusted p) or is exploratory, and the gate.

    A value not worked out reads "—". With ``complete`` (the complete weeks with check-ins in the range and in the
    whole history), a comparison with too few weeks in the range that the whole history could fill says so, rather
    than asking for more logging.
    """

    def role(primary: bool, p_holm: float) -> str:
        if not primary:
            return "exploratory"
        return "chosen in advance" + ("" if pd.isna(p_holm) else f", Holm p = {findings.number(p_holm, 3)}")

    def status(gate: str, reason: str, lag: int) -> str:
        if gate == stats.TOO_FEW and complete is not None and _needs_a_wider_range(*complete, lag):
            return "too few weeks in this range: widen it"
        return reason or GATE_WORDS[gate]

    out = pd.DataFrame(
        {
            "Factor": rels["label"].str.capitalize(),
            "Knee pain": rels["lag"].map(findings.when),
            "ρ": [_dash(rho, 2) for rho in rels["rho"]],
            "95% interval": [
                findings.interval(low, high) if not pd.isna(low) else "—"
                for low, high in zip(rels["low"], rels["high"], strict=True)
            ],
            "Complete weeks (n)": rels["n"],
            "Effective n": [_dash(n, 1) for n in rels["n_eff"]],
            "Comparison": [role(p, q) for p, q in zip(rels["primary"], rels["p_holm"], strict=True)],
            "Status": [
                status(gate, reason, lag)
                for gate, reason, lag in zip(rels["gate"], rels["reason"], rels["lag"], strict=True)
            ],
        }
    )
    return out


def history(frames: weekly.Frames, settings: Settings, *, today: dt.date | None = None, routine_sides: int) -> History:
    """The daily and weekly tables over the whole history (see :mod:`kneelog.analysis.weekly`).

    Args:
        frames: the store frames named in :data:`kneelog.analysis.weekly.KINDS`, and ``gym_exercise`` (the logged
            exercises, for the gym progression charts; without it they show their empty state).
        settings: the runner's settings (unit, planned stretch routines).
        today: the runner's today (the calendar reaches it; its week is in progress).
        routine_sides: stretch-sides in one routine (:func:`kneelog.stretches.routine_size` of the library).
    """
    daily = weekly.daily_table(frames, today)
    weeks = weekly.weekly_from_daily(daily, frames["race"], settings, today, routine_sides=routine_sides)
    heart = hrload.scale_for(settings, frames["run"])
    return History(
        weekly=weeks,
        daily=daily,
        latest=latest_entry(frames),
        run_effort=load.effort_for_missing(frames["run"]["rpe"]),
        gym_effort=load.effort_for_missing(frames["gym"]["rpe"]),
        unit=settings.unit,
        routine_sides=routine_sides,
        heart=heart,
        trimp=hrload.weekly_trimp(frames["run"], heart, weeks["week"]),
        gym_exercises=frames.get("gym_exercise", pd.DataFrame()),
    )


#: Which section says each sentence of :func:`kneelog.analysis.findings.load_findings`, by its first words.
SUMMARY_SECTIONS = {
    "In the week of": OVERVIEW,  # the latest full week's distance and its change
    "Pain-monitoring model": OVERVIEW,
    "Your ": LOAD,  # the acute:chronic ratio
    "Gym plan": GYM,
    "You did at least": GYM,
}


def summary(weeks: pd.DataFrame, unit: str, name: str) -> list[str]:
    """The sentences of :func:`kneelog.analysis.findings.load_findings` that section ``name`` says: the Overview the
    latest full week in two (its distance and the pain-monitoring model), Load the load ratio, Gym & stretching the
    gym plan."""
    lines = findings.load_findings(weeks, unit)
    said = (next((s for start, s in SUMMARY_SECTIONS.items() if line.startswith(start)), OVERVIEW) for line in lines)
    return [line for line, section_name in zip(lines, said, strict=True) if section_name == name]


def week_heading(latest: pd.Series) -> str:
    """``Week of 30 Nov``, with ``(so far)`` while the week is not complete."""
    return f"Week of {latest['week']:%d %b}" + ("" if latest["complete"] else " (so far)")


def week_metrics(latest: pd.Series, unit: str) -> list[Metric]:
    """The headline numbers of the week ``latest`` (a row of the weekly table): distance, gym sessions done of the
    plan's (``2 of 3``; ``4, plan 3`` above it), stretching done of the plan's, and the week's mean knee pain with the
    pain-monitoring status. A missing value reads "—"."""
    done, planned = int(latest["gym_sessions"]), int(latest["gym_recommended"])
    compliance, pain_mean = latest["stretch_compliance"], latest["pain_mean"]
    return [
        Metric("Distance", format_distance(latest["distance_m"], unit, 1)),
        Metric(
            "Gym sessions done",
            f"{done} of {planned}" if done <= planned else f"{done}, plan {planned}",
            f"Gym: {done} done; the gym plan sets {planned} session{'s' if planned != 1 else ''} for this week "
            "(Gym & stretching says why).",
        ),
        Metric(
            "Stretching done",
            "—" if pd.isna(compliance) else f"{compliance:.0%}",
            "Stretching: stretch-sides done ÷ planned this week, at most 100% (one routine a day counts).",
        ),
        Metric(
            "Knee pain",
            "—" if pd.isna(pain_mean) else f"{pain_mean:.1f} / 10",
            f"Knee pain: the mean of this week's check-ins; pain-monitoring model: {latest['pain_status']}.",
        ),
    ]


def _in_range(history: History, start: dt.date | None, end: dt.date | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The weeks and days from ``start`` to ``end`` (Mondays, inclusive; default the last 52 weeks)."""
    if history.empty:
        return history.weekly, history.daily
    first, last = default_range(history.weeks)
    start_ts, end_ts = pd.Timestamp(start or first), pd.Timestamp(end or last)
    weeks = history.weekly[(history.weekly["week"] >= start_ts) & (history.weekly["week"] <= end_ts)]
    days = history.daily[(history.daily["week"] >= start_ts) & (history.daily["week"] <= end_ts)]
    return weeks.reset_index(drop=True), days.reset_index(drop=True)


def _figures(name: str, weeks: pd.DataFrame, days: pd.DataFrame, history: History) -> dict[str, Figure]:
    unit = history.unit
    builders = {
        "weeks": lambda: charts.weeks_overview(weeks, unit),
        "pain_during": lambda: charts.pain_during(weeks),
        "change": lambda: charts.week_change(weeks, unit),
        "ratio": lambda: charts.load_ratio(weeks),
        "fitness": lambda: charts.fitness_fatigue(weeks),
        "hr_load": lambda: hr_charts.hr_load(hr_charts.in_range(weeks, history.trimp), history.heart),
        "gym": lambda: charts.gym_plan(weeks),
        "progression_load": lambda: programme_charts.volume_load(history.gym_exercises, weeks["week"], unit),
        "progression_count": lambda: programme_charts.counts(history.gym_exercises, weeks["week"], unit),
        "stretch": lambda: charts.stretch_compliance(weeks),
        "calendar": lambda: charts.stretch_calendar(days, history.routine_sides),
    }
    with charts.unchecked():  # a builder with nothing to show (None) adds no figure
        return {chart: figure for chart in SECTION_CHARTS[name] if (figure := builders[chart]()) is not None}


def _relationships(section: Section, history: History) -> Section:
    """The Relationships section: every comparison with knee pain, or only what to do when the range is too short."""
    weeks, days, lag = section.weekly, section.daily, section.lag
    complete = (_checked_weeks(weeks), _checked_weeks(history.weekly))
    if _needs_a_wider_range(*complete, lag):
        held = f"{complete[0]} complete week{'s' if complete[0] != 1 else ''} with check-ins"
        return replace(
            section,
            too_short=f"This range holds {held}: too few to compare with knee pain {findings.when(lag)}, which needs "
            f"{stats.MIN_PAIRS + lag}. All your weeks hold {complete[1]}: widen the range to see the comparisons.",
        )
    unit = history.unit
    rels = stats.relationships(weeks, primary_lag=lag)  # part weeks are left out inside
    complete_weeks = weeks.loc[weeks["complete"].astype(bool), "week"] if not weeks.empty else []
    run_day = stats.run_day_correlation(days, complete_weeks)
    reg = stats.regression(weeks, unit)
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
    return replace(
        section,
        relationships=rels,
        run_day=run_day,
        regression=reg,
        findings=findings.relationship_findings(rels, lag, run_day, reg),
        scatters=scatters,
        relationship_table=relationship_table(rels, complete),
    )


def section(
    name: str,
    history: History,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    lag: int = 0,
) -> Section:
    """What section ``name`` (one of :data:`SECTIONS`) shows for the weeks from ``start`` to ``end``, and only that.

    Args:
        name: the section.
        history: the tables of the whole history (:func:`history`).
        start: first week shown (a Monday); default :data:`DEFAULT_WEEKS` weeks before the last.
        end: last week shown (a Monday, inclusive); default the last week.
        lag: weeks between a factor and the pain it is compared with (0-3); read by Relationships only.

    Returns:
        A :class:`Section`; with nothing logged (or no week in range) every figure is an empty state.

    Raises:
        ValueError: for a name not in :data:`SECTIONS`.
    """
    if name not in SECTIONS:
        raise ValueError(f"no dashboard section called {name!r}")
    weeks, days = _in_range(history, start, end)
    unit = history.unit
    shown = Section(
        name,
        weeks,
        days,
        lag=lag if name == RELATIONSHIPS else 0,
        figures=_figures(name, weeks, days, history),
        summary=summary(weeks, unit, name),
    )
    if name == OVERVIEW and not weeks.empty:
        latest = weeks.iloc[-1]
        return replace(shown, heading=week_heading(latest), metrics=week_metrics(latest, unit))
    if name == LOAD:
        table = display_table(weeks, unit) if not weeks.empty else pd.DataFrame(columns=list(TABLE_COLUMNS.values()))
        return replace(shown, load_note=load_note(history, weeks), table=table)
    if name == RELATIONSHIPS:
        with charts.unchecked():
            return _relationships(shown, history)
    return shown


#: The dashboard's print stylesheet (the page adds it as Markdown with HTML allowed): a browser's print leaves out
#: the sidebar, the header and toolbar and the controls, lets the page use the paper's width, and keeps each chart,
#: number row and table on one page. Streamlit's own ``data-testid`` names, as Streamlit 1.67 writes them.
PRINT_STYLE = """<style>
@media print {
  @page { size: A4; margin: 12mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stSlider"], [data-testid="stButtonGroup"], [data-testid="stSelectbox"], [data-testid="stPopover"],
  [data-testid="stButton"], [data-testid="stExpander"], [data-testid="stPageLink"] { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], [data-testid="stAppViewContainer"] {
    padding: 0 !important; margin: 0 !important; max-width: none !important; overflow: visible !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stElementContainer"],
  [data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stHorizontalBlock"] {
    break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, [data-testid="stHeading"], [data-testid="stMarkdown"] { break-after: avoid; }
}
</style>"""
