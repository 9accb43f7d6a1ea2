"""Altair charts of the dashboard, built by pure functions from the weekly and daily tables.

Every builder takes aggregated rows (one per week, or one per day for the stretch calendar) and returns a
:class:`Figure`: a chart, or no chart and a helpful empty-state message ("log two more full weeks to see this").
Charts ship their rows to the browser, so they only ever receive the weekly (or daily) aggregate: the bytes sent
grow with the weeks shown, never with raw entries. Each quantity has one colour across the app (:data:`COLOURS`),
every mark has a tooltip, and legends sit below the plot so the charts read at phone width.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from kneelog.analysis import findings, gymplan, load, pain, stats
from kneelog.units import UNIT_NAMES, to_unit

#: One colour per quantity, everywhere in kneelog (Okabe & Ito's colour-blind-safe palette, then Tol's).
COLOURS: dict[str, str] = {
    "distance": "#0072B2",
    "load": "#E69F00",
    "gym": "#009E73",
    "stretch": "#CC79A7",
    "pain": "#D55E00",
    "next_morning": "#882255",
    "ratio": "#56B4E9",
    "ratio_rolling": "#6F6F6F",
    "ctl": "#332288",
    "atl": "#AA3377",
    "form": "#999933",
    "plan": "#333333",
    "fit": "#333333",
}
#: Colours of the pain-monitoring statuses.
STATUS_COLOURS: dict[str, str] = {
    pain.STATUS_WITHIN: "#1A9850",
    pain.STATUS_OVER: "#D73027",
    pain.STATUS_NONE: "#D9D9D9",
}
HEIGHT = 230
#: The fewest weeks a time axis spans.
AXIS_WEEKS = 8
#: Lines carry a dot per week, and cells a white border, up to this many weeks.
POINTS_UP_TO = 60


@dataclass(frozen=True)
class Figure:
    """A chart to place (with an optional ``subtitle`` above it and ``caption`` below), or (``chart`` None) the
    ``empty`` message to show instead."""

    title: str
    chart: alt.TopLevelMixin | None
    empty: str = ""
    caption: str = ""
    subtitle: str = ""
    #: The chart as Vega-Lite JSON, once :meth:`frozen`.
    spec: dict[str, Any] | None = None

    def frozen(self) -> Figure:
        """This figure with its chart turned into Vega-Lite JSON once, for a page to cache and draw as it is.

        Altair rebuilds and schema-validates a chart's JSON each time a page draws it; a frozen figure skips that
        on every rerun. The schema is checked in the tests (``to_dict()`` with validation), not at run time.
        """
        if self.chart is None:
            return self
        return replace(self, chart=None, spec=self.chart.to_dict(validate=False))


#: Vega expressions for the end (Monday + 6 days 20 hours, leaving a gap between bars) and middle of a week,
#: computed in the browser so the data sent holds only each week's Monday.
WEEK_END = "toDate(datum.week) + 164 * 3600000"
WEEK_MID = "toDate(datum.week) + 84 * 3600000"
WEEK_TIP = alt.Tooltip("week:T", title="Week of", format="%d %b %Y")


def _weeks(weekly: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``week`` (the Monday) and ``columns`` of the weekly table, numbers rounded: the rows a weekly chart ships."""
    out = weekly[["week", *columns]].reset_index(drop=True)
    return out.round({c: 3 for c in columns if pd.api.types.is_float_dtype(out[c])})


def _base(data: pd.DataFrame) -> alt.Chart:
    """A chart of weekly rows with ``week_end`` and ``mid`` computed in the browser."""
    return alt.Chart(data).transform_calculate(week_end=WEEK_END, mid=WEEK_MID)


def _span(weeks: pd.Series) -> list[alt.DateTime]:
    """The time axis of every weekly chart: from the first Monday to the end of the last week, so charts align.

    A short history is drawn on at least :data:`AXIS_WEEKS` weeks, so one week is a bar, not the whole chart.
    """
    last = weeks.max() + pd.Timedelta(days=7)
    first = min(weeks.min(), last - pd.Timedelta(weeks=AXIS_WEEKS))
    return [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in (first, last)]


#: The most tick labels on a weekly time axis.
MAX_TICKS = 8


def _monday_ticks(weeks: pd.Series) -> list[alt.DateTime]:
    """Ticks on Mondays (weeks start on Monday; Vega's own weekly ticks fall on Sundays), at most :data:`MAX_TICKS`."""
    first = min(weeks.min(), weeks.max() + pd.Timedelta(days=7) - pd.Timedelta(weeks=AXIS_WEEKS))
    mondays = pd.date_range(first, weeks.max(), freq="7D")
    step = max(1, -(-len(mondays) // MAX_TICKS))
    return [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in mondays[::step]]


def _x(weeks: pd.Series, field: str = "week") -> alt.X:
    """The shared time axis (see :func:`_span`) on ``field``, ticks on Mondays."""
    return alt.X(
        f"{field}:T",
        title=None,
        scale=alt.Scale(domain=_span(weeks)),
        axis=alt.Axis(format="%d %b %y", labelAngle=0, labelOverlap=True, values=_monday_ticks(weeks)),
    )


def _legend(names: dict[str, str]) -> alt.Scale:
    """A colour scale whose legend names each series by what it shows (``names``: shown name -> colour key)."""
    return alt.Scale(domain=list(names), range=[COLOURS[k] for k in names.values()])


def _colour(scale: alt.Scale) -> alt.Color:
    legend = alt.Legend(orient="bottom", title=None, symbolLimit=0, labelFontSize=11, columnPadding=8, symbolSize=70)
    return alt.Color("series:N", scale=scale, legend=legend)


def _named(chart: alt.Chart, name: str) -> alt.Chart:
    """The layer as the legend's series ``name``."""
    return chart.transform_calculate(series=f"'{name}'")


def _rule(y: float, text: str, dash: list[int] | None = None) -> alt.Chart:
    """A horizontal reference line at ``y`` whose tooltip says what it is."""
    return (
        alt.Chart(pd.DataFrame({"y": [y], "what": [text]}))
        .mark_rule(color=COLOURS["plan"], strokeDash=dash or [4, 3], opacity=0.7)
        .encode(y="y:Q", tooltip=[alt.Tooltip("what:N", title="Line")])
    )


def _points(data: pd.DataFrame) -> bool:
    """Dots on lines only while they can be told apart (a year of weeks or less)."""
    return len(data) <= POINTS_UP_TO


def _finish(chart: alt.TopLevelMixin, height: int = HEIGHT) -> alt.TopLevelMixin:
    return chart.properties(height=height, width="container").configure_axis(labelFontSize=11, titleFontSize=11)


def mileage_and_pain(weekly: pd.DataFrame, unit: str) -> Figure:
    """Weekly distance (bars) with weekly knee pain and next-morning pain (lines, 0-10) on the same time axis."""
    title = "Weekly distance and knee pain"
    if weekly.empty:
        return Figure(title, None, "Log a run or a knee check-in to see your weeks here.")
    name = UNIT_NAMES[unit]
    data = _weeks(weekly, ["runs", "pain_mean", "pain_worst", "next_morning_mean", "checkin_days"])
    data.insert(1, "distance", to_unit(weekly["distance_m"], unit).round(2).to_numpy())
    names = {f"Distance ({name})": "distance", "Knee pain": "pain", "Next morning": "next_morning"}
    scale = _legend(names)
    tips = [
        WEEK_TIP,
        alt.Tooltip("distance:Q", title=f"Distance ({name})", format=".1f"),
        alt.Tooltip("runs:Q", title="Runs"),
        alt.Tooltip("pain_mean:Q", title="Knee pain, mean (0-10)", format=".1f"),
        alt.Tooltip("pain_worst:Q", title="Worst score", format=".0f"),
        alt.Tooltip("next_morning_mean:Q", title="Next-morning pain", format=".1f"),
        alt.Tooltip("checkin_days:Q", title="Check-in days"),
    ]
    base = _base(data)
    bars = base.mark_bar(opacity=0.85).encode(
        x=_x(weekly["week"]),
        x2="week_end:T",
        y=alt.Y("distance:Q", title=f"Distance ({name})"),
        y2=alt.datum(0),
        color=_colour(scale),
        tooltip=tips,
    )
    zero_to_ten = alt.Scale(domain=[0, 10])
    mean = base.mark_line(point=_points(data), strokeWidth=2.5).encode(
        x="mid:T",
        y=alt.Y("pain_mean:Q", title="Knee pain (0-10)", scale=zero_to_ten),
        color=_colour(scale),
        tooltip=tips,
    )
    morning = base.mark_line(point=_points(data), strokeDash=[4, 3], strokeWidth=1.8).encode(
        x="mid:T", y=alt.Y("next_morning_mean:Q", scale=zero_to_ten, axis=None), color=_colour(scale), tooltip=tips
    )
    chart = alt.layer(
        _named(bars, f"Distance ({name})"), _named(mean, "Knee pain"), _named(morning, "Next morning")
    ).resolve_scale(y="independent")
    caption = "Gaps in a line are weeks without a check-in. Knee pain is the mean of each day's everyday scores."
    return Figure(title, _finish(chart), caption=caption)


def gym_plan(weekly: pd.DataFrame) -> Figure:
    """Gym sessions per week (bars) against the 1-3 plan band and each week's recommended count."""
    title = "Gym sessions against the plan"
    if weekly.empty:
        return Figure(title, None, "Log a gym session to see it against the plan here.")
    data = _weeks(weekly, ["gym_sessions", "gym_recommended", "gym_reason", "gym_vs_plan", "races"])
    band = pd.DataFrame({"start": [data["week"].min()], "end": [data["week"].max()], "low": [1], "high": [3]})
    tips = [
        WEEK_TIP,
        alt.Tooltip("gym_sessions:Q", title="Gym sessions"),
        alt.Tooltip("gym_recommended:Q", title="Recommended"),
        alt.Tooltip("gym_reason:N", title="Because"),
        alt.Tooltip("gym_vs_plan:N", title="Against the plan"),
        alt.Tooltip("races:N", title="Race"),
    ]
    scale = _legend({"Gym sessions": "gym", "Recommended": "plan"})
    shade = (
        alt.Chart(band)
        .transform_calculate(end="toDate(datum.end) + 164 * 3600000")
        .mark_rect(color=COLOURS["gym"], opacity=0.12)
        .encode(
            x="start:T",
            x2="end:T",
            y="low:Q",
            y2="high:Q",
            tooltip=[alt.Tooltip("low:Q", title="Plan: at least"), alt.Tooltip("high:Q", title="Plan: at most")],
        )
    )
    base = _base(data)
    sessions = alt.Y("gym_sessions:Q", title="Sessions", scale=alt.Scale(domainMin=0), axis=alt.Axis(tickMinStep=1))
    bars = base.mark_bar(opacity=0.85).encode(
        x=_x(weekly["week"]), x2="week_end:T", y=sessions, y2=alt.datum(0), color=_colour(scale), tooltip=tips
    )
    planned = base.mark_tick(thickness=3, size=9).encode(
        x="mid:T", y="gym_recommended:Q", color=_colour(scale), tooltip=tips
    )
    chart = alt.layer(shade, _named(bars, "Gym sessions"), _named(planned, "Recommended"))
    caption = f"Shaded: the plan of one to three sessions a week; dashes: each week's recommended count. {gymplan.RULE}"
    return Figure(title, _finish(chart), caption=caption)


def stretch_compliance(weekly: pd.DataFrame) -> Figure:
    """Stretch compliance per week: stretch-sides done ÷ planned, with the 100% line."""
    title = "Stretch compliance"
    if weekly.empty or weekly["stretch_sides"].sum() == 0:
        return Figure(title, None, "Log a stretch session to see your compliance here.")
    data = _weeks(weekly, ["stretch_compliance", "stretch_sides", "stretch_planned", "stretch_sessions"])
    tips = [
        WEEK_TIP,
        alt.Tooltip("stretch_compliance:Q", title="Compliance", format=".0%"),
        alt.Tooltip("stretch_sides:Q", title="Stretch-sides done"),
        alt.Tooltip("stretch_planned:Q", title="Planned", format=".0f"),
        alt.Tooltip("stretch_sessions:Q", title="Sessions"),
    ]
    bars = (
        _base(data)
        .mark_bar(color=COLOURS["stretch"], opacity=0.85)
        .encode(
            x=_x(weekly["week"]),
            x2="week_end:T",
            y=alt.Y("stretch_compliance:Q", title="Done ÷ planned", axis=alt.Axis(format="%")),
            y2=alt.datum(0),
            tooltip=tips,
        )
    )
    chart = alt.layer(bars, _rule(1.0, "The plan (100%)"))
    return Figure(title, _finish(chart), caption="100% = every planned routine, every stretch on both sides.")


def stretch_calendar(daily: pd.DataFrame, routine_sides: int) -> Figure:
    """A day-by-week calendar heatmap of stretch-sides done (one cell per day: the data grows with weeks); a full
    routine is ``routine_sides`` stretch-sides."""
    title = "Stretching, day by day"
    if daily.empty or daily["stretch_sides"].sum() == 0:
        return Figure(title, None, "Log a stretch session to fill this calendar.")
    data = daily[["date", "stretch_sides"]].reset_index(drop=True)
    day_of = "toDate(datum.date)"
    chart = (
        alt.Chart(data)
        .transform_calculate(
            week=f"{day_of} - ((day({day_of}) + 6) % 7) * 86400000",
            week_end=f"{day_of} - ((day({day_of}) + 6) % 7) * 86400000 + 164 * 3600000",
            weekday=f"timeFormat({day_of}, '%a')",
        )
        .mark_rect(stroke="white", strokeWidth=0.5 if len(data) <= 7 * POINTS_UP_TO else 0)
        .encode(
            x=_x(daily["week"]),
            x2="week_end:T",
            y=alt.Y("weekday:O", title=None, scale=alt.Scale(domain=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])),
            color=alt.Color(
                "stretch_sides:Q",
                title="Stretch-sides done",
                scale=alt.Scale(range=["#EFEFEF", COLOURS["stretch"]], domainMin=0),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Day", format="%a %d %b %Y"),
                alt.Tooltip("stretch_sides:Q", title="Stretch-sides done"),
            ],
        )
    )
    caption = f"Darker = more stretch-sides that day (a full routine is {routine_sides}); grey = none."
    return Figure(title, _finish(chart, 200), caption=caption)


#: How each driver is drawn: weekly column -> (colour key, axis title with {unit}, axis format, tooltip format).
_DRIVER_AXES = {
    "distance_m": ("distance", "Weekly distance ({unit})", ",.0f", ".1f"),
    "load": ("load", "Session load (RPE × min)", ",.0f", ",.0f"),
    "gym_sessions": ("gym", "Gym sessions in the week", ".0f", ".0f"),
    "stretch_compliance": ("stretch", "Stretch compliance", ".0%", ".0%"),
}


def driver_scatter(weekly: pd.DataFrame, driver: str, lag: int, corr: stats.Correlation, unit: str) -> Figure:
    """Each week's driver against knee pain ``lag`` weeks later, with a least-squares line and ρ [95% CI], n."""
    label = stats.DRIVERS[driver]
    later = findings.when(lag)
    title = f"{label.capitalize()} and knee pain {later}"
    if not corr.shown:
        return Figure(title, None, f"Not shown yet: {corr.reason}. Keep logging and check in daily.")
    colour, axis_title, axis_fmt, fmt = _DRIVER_AXES[driver]
    axis_title = axis_title.format(unit=UNIT_NAMES[unit])
    pairs = stats.lagged_pairs(weekly[driver], weekly[stats.OUTCOME], lag)
    x = to_unit(pairs["x"], unit) if driver == "distance_m" else pairs["x"]
    data = pd.DataFrame({"week": weekly.loc[pairs.index, "week"], "x": x.round(3), "pain": pairs["y"].round(3)})
    slope, intercept = np.polyfit(data["x"], data["pain"], 1)
    ends = np.array([data["x"].min(), data["x"].max()])
    fit = pd.DataFrame({"x": ends, "pain": intercept + slope * ends, "what": "least-squares line"})
    pain_axis = alt.Y("pain:Q", title=f"Knee pain {later} (0-10)", scale=alt.Scale(domainMin=0, nice=True))
    points = (
        alt.Chart(data)
        .mark_circle(size=60, opacity=0.7, color=COLOURS[colour])
        .encode(
            x=alt.X(
                "x:Q",
                title=axis_title,
                axis=alt.Axis(format=axis_fmt, **({"tickMinStep": 1} if driver == "gym_sessions" else {})),
                scale=alt.Scale(zero=False, nice=True, padding=8),
            ),
            y=pain_axis,
            tooltip=[
                WEEK_TIP,
                alt.Tooltip("x:Q", title=axis_title, format=fmt),
                alt.Tooltip("pain:Q", title=f"Knee pain {later}", format=".1f"),
            ],
        )
    )
    line = (
        alt.Chart(fit)
        .mark_line(color=COLOURS["fit"], strokeWidth=1.5)
        .encode(x="x:Q", y="pain:Q", tooltip=[alt.Tooltip("what:N", title="Line")])
    )
    ci = f"ρ = {corr.rho:.2f}, 95% interval {corr.low:.2f} to {corr.high:.2f}, n = {corr.n} weeks".replace("-", "−")
    exploratory = " · exploratory (under 26 weeks)" if corr.gate == stats.EXPLORATORY else ""
    caption = "The line is a least-squares fit for the eye; ρ uses ranks."
    return Figure(title, _finish(alt.layer(points, line), 220), caption=caption, subtitle=ci + exploratory)


def load_ratio(weekly: pd.DataFrame) -> Figure:
    """The acute:chronic load ratio at the end of each week: exponentially weighted and rolling (uncoupled)."""
    title = "Acute:chronic load ratio"
    if weekly.empty or weekly["acwr"].isna().all():
        days = int(weekly["days"].sum()) if not weekly.empty else 0
        if days < load.CHRONIC_DAYS:
            wait = f"Warming up: the load ratio needs 28 days of history; {load.CHRONIC_DAYS - days} more to go."
        else:
            wait = "No training load in these weeks: log runs or gym sessions to see the load ratio."
        return Figure(title, None, wait)
    data = _weeks(weekly, ["acwr", "acwr_uncoupled", "acwr_coupled", "acute", "chronic"])
    scale = _legend({"Weighted (EWMA)": "ratio", "Rolling": "ratio_rolling"})
    tips = [
        WEEK_TIP,
        alt.Tooltip("acwr:Q", title="Ratio, exponentially weighted", format=".2f"),
        alt.Tooltip("acwr_uncoupled:Q", title="Ratio, rolling uncoupled", format=".2f"),
        alt.Tooltip("acwr_coupled:Q", title="Ratio, rolling coupled", format=".2f"),
        alt.Tooltip("acute:Q", title="Acute load (7-day EWMA)", format=".0f"),
        alt.Tooltip("chronic:Q", title="Chronic load (28-day EWMA)", format=".0f"),
    ]
    base = _base(data).encode(x=_x(weekly["week"], "week_end"))
    ewma = base.mark_line(point=_points(data), strokeWidth=2.5).encode(
        y=alt.Y("acwr:Q", title="Last 7 days ÷ last 28 days"), color=_colour(scale), tooltip=tips
    )
    rolling = base.mark_line(point=_points(data), strokeDash=[4, 3], strokeWidth=1.5).encode(
        y="acwr_uncoupled:Q", color=_colour(scale), tooltip=tips
    )
    chart = alt.layer(
        _rule(1.0, "1.0: the last week matches the longer average", [2, 2]),
        _named(ewma, "Weighted (EWMA)"),
        _named(rolling, "Rolling"),
    )
    caption = (
        "Above 1: the last 7 days carried more load than your recent average; below 1: less. A trend, not a risk "
        "score — its published zones come from team sports and are disputed."
    )
    return Figure(title, _finish(chart), caption=caption)


def week_change(weekly: pd.DataFrame, unit: str) -> Figure:
    """Week-over-week change of distance in percent, flagged weeks (over 30%, restart) marked."""
    title = "Week-over-week distance change"
    if weekly.empty or (weekly["change_pct"].isna() & (weekly["change_flag"] == "")).all():
        return Figure(title, None, "Log two more full weeks of running to see how each week compares with the last.")
    data = _weeks(weekly, ["change_flag"])
    data["change"] = (weekly["change_pct"] / 100).round(4).to_numpy()
    data["distance"] = to_unit(weekly["distance_m"], unit).round(2).to_numpy()
    tips = [
        WEEK_TIP,
        alt.Tooltip("change:Q", title="Change", format="+.0%"),
        alt.Tooltip("distance:Q", title=f"Distance ({UNIT_NAMES[unit]})", format=".1f"),
        alt.Tooltip("change_flag:N", title="Flag"),
    ]
    base = _base(data)
    bars = base.mark_bar(color=COLOURS["distance"]).encode(
        x=_x(weekly["week"]),
        x2="week_end:T",
        y=alt.Y("change:Q", title="Change from the week before", axis=alt.Axis(format="%")),
        y2=alt.datum(0),
        opacity=alt.condition(alt.datum.change_flag == load.FLAG_OVER, alt.value(1.0), alt.value(0.4)),
        tooltip=tips,
    )
    restarts = (
        base.transform_filter(alt.datum.change_flag == load.FLAG_RESTART)
        .transform_calculate(zero="0")
        .mark_point(shape="triangle-up", size=80, filled=True, color=COLOURS["distance"])
        .encode(x="mid:T", y="zero:Q", tooltip=tips)
    )
    chart = alt.layer(bars, restarts, _rule(load.CHANGE_FLAG_PCT / 100, "+30%: soft flag (Nielsen et al. 2014)"))
    caption = "Solid bars: more than 30% above the week before. Triangles: running again after a week without."
    return Figure(title, _finish(chart), caption=caption)


def fitness_fatigue(weekly: pd.DataFrame) -> Figure:
    """Fitness (CTL), fatigue (ATL) and form at the end of each week."""
    title = "Fitness, fatigue and form"
    if weekly.empty or weekly["load"].sum() == 0:
        return Figure(title, None, "Log a run or a gym session (with its effort) to see fitness and fatigue.")
    data = _weeks(weekly, ["ctl", "atl", "form"])
    names = {"Fitness": "ctl", "Fatigue": "atl", "Form": "form"}
    scale = _legend(names)
    tips = [
        WEEK_TIP,
        alt.Tooltip("ctl:Q", title="Fitness (CTL)", format=".0f"),
        alt.Tooltip("atl:Q", title="Fatigue (ATL)", format=".0f"),
        alt.Tooltip("form:Q", title="Form", format=".0f"),
    ]
    base = _base(data).encode(x=_x(weekly["week"], "week_end"), color=_colour(scale), tooltip=tips)
    lines = [
        _named(
            base.mark_line(strokeWidth=2, point=_points(data)).encode(
                y=alt.Y(f"{key}:Q", title="Load per day (RPE × min)")
            ),
            name,
        )
        for name, key in names.items()
    ]
    chart = alt.layer(_rule(0.0, "Form 0: fitness equals fatigue", [2, 2]), *lines)
    caption = "Fitness is a 42-day and fatigue a 7-day average of daily load; form is yesterday's fitness − fatigue."
    return Figure(title, _finish(chart), caption=caption)


def pain_status(weekly: pd.DataFrame) -> Figure:
    """The pain-monitoring status of each week as a coloured strip, with the limits broken in the tooltip."""
    title = "Pain-monitoring status"
    if weekly.empty or (weekly["pain_status"] == pain.STATUS_NONE).all():
        return Figure(title, None, "Do the daily knee check-in (and rate pain during runs) to see this.")
    data = _weeks(weekly, ["pain_status", "pain_reasons", "pain_mean", "pain_during_worst", "next_morning_mean"])
    data["pain_reasons"] = data["pain_reasons"].replace("", "none")
    chart = (
        _base(data)
        .transform_calculate(strip="'status'")
        .mark_rect(stroke="white", strokeWidth=1 if _points(data) else 0)
        .encode(
            x=_x(weekly["week"]),
            x2="week_end:T",
            y=alt.Y("strip:N", title=None, axis=None),
            color=alt.Color(
                "pain_status:N",
                title=None,
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=None,
            ),
            tooltip=[
                WEEK_TIP,
                alt.Tooltip("pain_status:N", title="Status"),
                alt.Tooltip("pain_reasons:N", title="Limits broken"),
                alt.Tooltip("pain_mean:Q", title="Knee pain, mean", format=".1f"),
                alt.Tooltip("pain_during_worst:Q", title="Worst during a run", format=".0f"),
                alt.Tooltip("next_morning_mean:Q", title="Next-morning pain", format=".1f"),
            ],
        )
    )
    caption = (
        "Green: within the limits of the pain-monitoring model (Silbernagel 2007); red: a limit was broken (tap or "
        "hover for which); grey: no pain data that week."
    )
    return Figure(title, _finish(chart, 60), caption=caption)
