"""Altair charts of the dashboard, built by pure functions from the weekly and daily tables.

Every builder takes aggregated rows (one per week, or one per day for the stretch calendar) and returns a
:class:`Figure`: a chart, or no chart and a helpful empty-state message ("log two more full weeks to see this").
Charts ship their rows to the browser, so they only ever receive the weekly (or daily) aggregate: the bytes sent
grow with the weeks shown, never with raw entries. Each quantity has one colour across the app (:data:`COLOURS`),
every mark has a tooltip, and legends sit below the plot so the charts read at phone width.

Charts a runner can read (:func:`_finish`): no text smaller than :data:`FONT_SIZE`; every y axis exactly
:data:`Y_AXIS_EXTENT` pixels wide and titled, and every weekly chart on the same time scale (:func:`_x`), so the
plots of the stacked weekly charts start and end at the same x and a week reads straight down the page; no second
y axis (pain has its own panel under the distance); each legend draws the mark it names (a square for bars, a line
for lines); and the pain-monitoring strip says each status with a symbol as well as a colour.
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
    "ratio": "#000000",
    "ratio_rolling": "#6F6F6F",
    "ctl": "#332288",
    "atl": "#AA3377",
    "form": "#999933",
    "plan": "#333333",
    "fit": "#333333",
}
#: Colours of the pain-monitoring statuses, from ColorBrewer's RdYlGn ramp and a light grey, at CIE lightness L* about
#: 34 (over a limit, darkest), 55 (within), 81 (no runs: a lighter green) and 93 (no data), so the four stay apart in
#: black-and-white print and for red-green colour blindness; each also wears its own symbol (:data:`STATUS_SYMBOLS`).
STATUS_COLOURS: dict[str, str] = {
    pain.STATUS_OVER: "#A50026",
    pain.STATUS_WITHIN: "#1A9850",
    pain.STATUS_NO_RUNS: "#A6D96A",
    pain.STATUS_NONE: "#EBEBEB",
}
#: The symbol drawn in each week's cell of the status strip and before its name in the legend, so the strip reads
#: without colour: "!" (narrow enough for the narrowest cells) marks a week over a limit.
STATUS_SYMBOLS: dict[str, str] = {
    pain.STATUS_OVER: "!",
    pain.STATUS_WITHIN: "✓",
    pain.STATUS_NO_RUNS: "○",
    pain.STATUS_NONE: "–",
}
#: The status names in the strip's legend, short enough for two columns at phone width (the caption says more).
STATUS_WORDS: dict[str, str] = {pain.STATUS_NO_RUNS: "no runs"}
#: The height of a chart's plot in pixels (axes and legend come on top of it).
HEIGHT = 180
#: The rows of the stretch calendar, as Vega's ``%a`` writes them.
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
#: The smallest text in any chart, in pixels: axis labels and titles, legends and text marks.
FONT_SIZE = 12
#: The width in pixels of every y axis's ticks and labels (a longer label is cut short with "…"). Fixed, and every
#: y axis has a title, so the plot of every stacked weekly chart starts at the same x at any width.
Y_AXIS_EXTENT = 48
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
    #: Lines in words that a tooltip would otherwise be the only place for (such as the limit each week over a limit
    #: broke), for a page to show under the chart without hover, under the heading ``notes_title``; newest first.
    notes: tuple[str, ...] = ()
    notes_title: str = ""
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


def _axis_ends(weeks: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis of every weekly chart: from the first Monday to the end of the last week, so charts align.

    A short history is drawn on at least :data:`AXIS_WEEKS` weeks, so one week is a bar, not the whole chart.
    """
    last = weeks.max() + pd.Timedelta(days=7)
    return min(weeks.min(), last - pd.Timedelta(weeks=AXIS_WEEKS)), last


def _span(weeks: pd.Series) -> list[alt.DateTime]:
    """The domain of the time axis (:func:`_axis_ends`) as Vega-Lite dates."""
    return [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in _axis_ends(weeks)]


def _weeks_on_axis(weeks: pd.Series) -> int:
    """How many weeks the time axis spans (:func:`_axis_ends`)."""
    first, last = _axis_ends(weeks)
    return (last - first).days // 7


#: The most tick labels on a weekly time axis.
MAX_TICKS = 8


def _monday_ticks(weeks: pd.Series) -> list[alt.DateTime]:
    """Ticks on Mondays (weeks start on Monday; Vega's own weekly ticks fall on Sundays), at most :data:`MAX_TICKS`."""
    mondays = pd.date_range(_axis_ends(weeks)[0], weeks.max(), freq="7D")
    step = max(1, -(-len(mondays) // MAX_TICKS))
    return [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in mondays[::step]]


def _x(weeks: pd.Series, field: str = "week") -> alt.X:
    """The shared time axis (see :func:`_span`) on ``field``, ticks on Mondays."""
    return alt.X(
        f"{field}:T",
        title=None,
        scale=alt.Scale(domain=_span(weeks)),
        # the first label starts at the axis (flush); one that would overflow an end is left out (bound), as is
        # one closer than 8 px to the label kept before it (greedy): no label is cut off or crowded, at any width
        axis=alt.Axis(
            format="%d %b %y",
            labelAngle=0,
            labelOverlap="greedy",
            labelSeparation=8,
            labelFlush=True,
            labelBound=True,
            values=_monday_ticks(weeks),
        ),
    )


def _legend(names: dict[str, str]) -> alt.Scale:
    """A colour scale whose legend names each series by what it shows (``names``: shown name -> colour key)."""
    return alt.Scale(domain=list(names), range=[COLOURS[k] for k in names.values()])


def _legend_of(symbol: str, **more: Any) -> alt.Legend:
    """A legend under the plot whose symbols draw the legend's mark: ``"square"`` for bars and cells, ``"stroke"``
    for lines and ticks, ``"circle"`` for dots."""
    return alt.Legend(orient="bottom", title=None, symbolLimit=0, columnPadding=12, symbolType=symbol, **more)


def _colour(scale: alt.Scale, symbol: str) -> alt.Color:
    """The layers' colour by their ``series`` name, in a legend of ``symbol`` (see :func:`_legend_of`)."""
    return alt.Color("series:N", scale=scale, legend=_legend_of(symbol))


def _shared(*layers: alt.Chart | alt.LayerChart, **channels: Any) -> alt.LayerChart:
    """The layers, drawn from the same weekly rows, with the ``channels`` they share (the time axis, the tooltip)
    written once on the layer rather than once in each: the spec sent to the browser stays small."""
    return alt.layer(*layers).encode(**channels)


def _named(chart: alt.Chart, name: str) -> alt.Chart:
    """The layer as the legend's series ``name``."""
    return chart.transform_calculate(series=f"'{name}'")


def _rule(y: float, text: str, dash: list[int] | None = None) -> alt.Chart:
    """A horizontal reference line at ``y`` whose tooltip says what it is."""
    return (
        alt.Chart(pd.DataFrame({"y": [y], "what": [text]}))
        .mark_rule(color=COLOURS["plan"], strokeDash=dash or [4, 3], opacity=0.7, clip=True)
        .encode(y="y:Q", tooltip=[alt.Tooltip("what:N", title="Line")])
    )


def _points(data: pd.DataFrame) -> bool:
    """Dots on lines only while they can be told apart (a year of weeks or less)."""
    return len(data) <= POINTS_UP_TO


def _finish(chart: alt.TopLevelMixin, height: int = HEIGHT) -> alt.TopLevelMixin:
    """The chart as wide as its column, its plot ``height`` tall, with text of at least :data:`FONT_SIZE` and y axes
    :data:`Y_AXIS_EXTENT` wide (tick 5 + padding 2 + labels), so stacked weekly charts align.

    Only the width fits the column (``fit-x``; Streamlit's theme would fit the height too, so a legend that wraps
    to more rows on a phone would squeeze the plot): the plot keeps its height and the legend adds to it.
    """
    return (
        chart.properties(
            height=height, width="container", autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
        )
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, titlePadding=6)
        .configure_axisY(minExtent=Y_AXIS_EXTENT, maxExtent=Y_AXIS_EXTENT, labelLimit=Y_AXIS_EXTENT - 7)
        .configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
        .configure_text(fontSize=FONT_SIZE)
    )


def part_weeks(weekly: pd.DataFrame) -> pd.Series:
    """What each week that is not complete is, in words (``so far: 2 of 7 days``, ``first week: 4 of 7 days``);
    empty for a complete week. The last week shown is "so far" when it is not complete (it is still going on, or
    the history ends in it); an earlier one is the first week, which started mid-week."""
    notes = pd.Series("", index=weekly.index, dtype="object")
    part = ~weekly["complete"].astype(bool)
    last = weekly.index == weekly.index[-1] if len(weekly) else part
    days = weekly["days"].astype(int).astype(str) + " of 7 days"
    notes[part & last] = "so far: " + days[part & last]
    notes[part & ~last] = "first week: " + days[part & ~last]
    return notes


#: The panels of the weekly distance chart, as shares of its plot height from the top: distance above, the knee
#: pain (0-10) below, on the same time axis. Each has its own y axis on the left, one above the other.
DISTANCE_PANEL = (0.0, 0.6)
PAIN_PANEL = (0.7, 1.0)
MILEAGE_HEIGHT = 250
#: The lines of the pain panel: weekly column -> (legend name, colour key, dash).
_PAIN_LINES = {
    "pain_mean": ("Knee pain, mean of the day", "pain", [1, 0]),
    "next_morning_mean": ("Next morning", "next_morning", [5, 3]),
}


def _panel(share: tuple[float, float]) -> list[alt.ExprRef]:
    """The y range of a panel (bottom, then top, in pixels from the top of the plot), as the plot's ``height``."""
    return [alt.ExprRef(f"height * {share[1]}"), alt.ExprRef(f"height * {share[0]}")]


def mileage_and_pain(weekly: pd.DataFrame, unit: str) -> Figure:
    """Weekly distance (bars) and, in a panel under it on the same time axis, weekly knee pain and next-morning pain
    (lines, 0-10): two y axes one above the other, never a second axis on the right.

    A week that is not complete (the week so far, a first week that started mid-week) is a lighter bar with a dashed
    outline and says so in its tooltip and above it, so a week two days old does not read as a drop.
    """
    title = "Weekly distance and knee pain"
    if weekly.empty:
        return Figure(title, None, "Log a run or a knee check-in to see your weeks here.")
    name = UNIT_NAMES[unit]
    data = _weeks(weekly, ["runs", "pain_mean", "pain_worst", "next_morning_mean", "checkin_days"])
    data.insert(1, "distance", to_unit(weekly["distance_m"], unit).round(2).to_numpy())
    data["part"] = part_weeks(weekly).to_numpy()
    tips = [
        WEEK_TIP,
        alt.Tooltip("distance:Q", title=f"Distance ({name})", format=".1f"),
        alt.Tooltip("runs:Q", title="Runs"),
        alt.Tooltip("pain_mean:Q", title="Knee pain, mean (0-10)", format=".1f"),
        alt.Tooltip("pain_worst:Q", title="Worst score", format=".0f"),
        alt.Tooltip("next_morning_mean:Q", title="Next-morning pain", format=".1f"),
        alt.Tooltip("checkin_days:Q", title="Check-in days"),
        alt.Tooltip("part:N", title="Part week"),
    ]
    base = _base(data)
    is_part = "datum.part != ''"
    distance = alt.Y("distance:Q", title=f"Distance ({name})", scale=alt.Scale(range=_panel(DISTANCE_PANEL)))
    bars = base.mark_bar(clip=True, strokeWidth=1.5, color=COLOURS["distance"]).encode(
        x=_x(weekly["week"]),
        x2="week_end:T",
        y=distance,
        y2=alt.datum(0),
        opacity=alt.condition(is_part, alt.value(0.3), alt.value(0.85)),
        stroke=alt.condition(is_part, alt.value(COLOURS["distance"]), alt.value(None)),
        strokeDash=alt.condition(is_part, alt.value([4, 2]), alt.value([1, 0])),
    )
    # the week so far (the last) is named from its right end leftwards, a first week from its left end rightwards:
    # inside the plot, so the plot is as wide as every other weekly chart's
    labels = [
        base.transform_filter(f"indexof(datum.part, '{words}:') == 0")
        .mark_text(dy=-4, dx=dx, color=COLOURS["plan"], baseline="bottom", align=align)
        .encode(x=f"{x}:T", y=alt.Y("distance:Q"), text=alt.value(words))
        for words, x, align, dx in (("so far", "week_end", "right", -2), ("first week", "week", "left", 2))
    ]

    def by_line(values: list) -> alt.Scale:
        return alt.Scale(domain=[n for n, *_ in _PAIN_LINES.values()], range=values)

    legend = _legend_of("stroke", symbolStrokeWidth=2.5)
    which = " : ".join(f"datum.key == '{column}' ? '{label}'" for column, (label, *_) in _PAIN_LINES.items())
    lines = (
        base.transform_fold(list(_PAIN_LINES), as_=["key", "value"])
        .transform_calculate(series=f"{which} : datum.key")
        .mark_line(point=_points(data), strokeWidth=2.5, clip=True)
        .encode(
            x="mid:T",
            y=alt.Y(
                "value:Q",
                title="Pain (0-10)",
                scale=alt.Scale(domain=[0, 10], range=_panel(PAIN_PANEL)),
                axis=alt.Axis(orient="left", values=[0, 5, 10]),
            ),
            color=alt.Color("series:N", scale=by_line([COLOURS[c] for _, c, _ in _PAIN_LINES.values()]), legend=legend),
            strokeDash=alt.StrokeDash("series:N", scale=by_line([d for *_, d in _PAIN_LINES.values()]), legend=legend),
        )
    )
    chart = _shared(alt.layer(bars, *labels), lines, tooltip=tips).resolve_scale(y="independent")
    caption = (
        "Bars: distance each week; under them, on the same weeks, knee pain (0-10): the solid line is the mean of "
        "each day's everyday scores, the dashed line the next-morning score. Gaps in a line are weeks without a "
        "check-in. A pale bar with a dashed edge is a part week (the week so far, or a first week that started "
        "mid-week)."
    )
    return Figure(title, _finish(chart, MILEAGE_HEIGHT), caption=caption)


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
    shade = (
        alt.Chart(band)
        .transform_calculate(end="toDate(datum.end) + 164 * 3600000")
        .mark_rect(clip=True, color=COLOURS["gym"], opacity=0.12)
        .encode(
            x="start:T",
            x2="end:T",
            y="low:Q",
            y2="high:Q",
            tooltip=[alt.Tooltip("low:Q", title="Plan: at least"), alt.Tooltip("high:Q", title="Plan: at most")],
        )
    )
    base = _base(data)
    top = int(max(3, data["gym_sessions"].max(), data["gym_recommended"].max()))
    sessions = alt.Y(  # a little room above the top count, so its dash is not cut by the edge of the plot
        "gym_sessions:Q",
        title="Sessions",
        scale=alt.Scale(domain=[0, top + 0.3], nice=False),
        axis=alt.Axis(values=list(range(top + 1)), format="d"),
    )
    bars = base.mark_bar(clip=True, opacity=0.85).encode(
        x=_x(weekly["week"]),
        x2="week_end:T",
        y=sessions,
        y2=alt.datum(0),
        color=_colour(_legend({"Gym sessions": "gym"}), "square"),
    )
    dash = alt.Color(
        "series:N",
        scale=_legend({"Recommended": "plan"}),
        legend=_legend_of("stroke", symbolStrokeColor=COLOURS["plan"], symbolStrokeWidth=3),
    )
    # a dash as wide as a week, 9 px at most: never wider than its week's bar
    width = alt.ExprRef(f"min(9, width / {_weeks_on_axis(weekly['week'])})")
    planned = base.mark_tick(thickness=3, size=width, clip=True).encode(x="mid:T", y="gym_recommended:Q", color=dash)
    # one legend per mark, so each draws its own: a square for the bars, a dash for the recommended count
    weeks = _shared(_named(bars, "Gym sessions"), _named(planned, "Recommended"), tooltip=tips)
    chart = alt.layer(shade, weeks.resolve_scale(color="independent"))
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
        .mark_bar(clip=True, color=COLOURS["stretch"], opacity=0.85)
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
        .mark_rect(clip=True, stroke="white", strokeWidth=0.5 if len(data) <= 7 * POINTS_UP_TO else 0)
        .encode(
            x=_x(daily["week"]),
            x2="week_end:T",
            y=alt.Y("weekday:O", title="Day", scale=alt.Scale(domain=WEEKDAYS)),
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
    return Figure(title, _finish(chart, 150), caption=caption)


#: How each factor is drawn: weekly column -> (colour key, axis title with {unit}, axis format, tooltip format).
_DRIVER_AXES = {
    "change_pct": ("distance", "Change from the week before", "+.0%", "+.0%"),
    "distance_m": ("distance", "Weekly distance ({unit})", ",.0f", ".1f"),
    "load": ("load", "Session load (RPE × min)", ",.0f", ",.0f"),
    "gym_sessions": ("gym", "Gym sessions in the week", ".0f", ".0f"),
    "stretch_compliance": ("stretch", "Stretch compliance", ".0%", ".0%"),
}


def driver_scatter(
    weekly: pd.DataFrame,
    driver: str,
    lag: int,
    corr: stats.Correlation,
    unit: str,
    *,
    primary: bool = False,
    p_holm: float = np.nan,
) -> Figure:
    """Each complete week's factor against knee pain ``lag`` weeks later, with a least-squares line and ρ [95% CI], n.

    Part weeks (a first week that starts mid-week, the week in progress) are left out, as in the statistics
    (:func:`kneelog.analysis.stats.week_pairs`). The subtitle says whether the comparison was chosen in advance
    (``primary``, with its Holm-adjusted ``p_holm``) or is exploratory.
    """
    label = stats.DRIVERS[driver]
    later = findings.when(lag)
    title = f"{label.capitalize()} and knee pain {later}"
    if not corr.shown:
        return Figure(title, None, f"Not shown yet: {corr.reason}. Keep logging and check in daily.")
    colour, axis_title, axis_fmt, fmt = _DRIVER_AXES[driver]
    axis_title = axis_title.format(unit=UNIT_NAMES[unit])
    pairs = stats.week_pairs(weekly, driver, lag).dropna()
    x = to_unit(pairs["x"], unit) if driver == "distance_m" else pairs["x"] / (100 if driver == "change_pct" else 1)
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
    if primary:
        role = " · chosen in advance" + ("" if np.isnan(p_holm) else f", Holm p = {findings.number(p_holm, 3)}")
    else:
        role = " · exploratory"
    first_look = " · a first look (under 26 weeks)" if corr.gate == stats.EXPLORATORY else ""
    caption = (
        f"Each dot is a complete week beside the knee pain {later}; part weeks (a first week that started "
        "mid-week, the week in progress) are left out. The line is a least-squares fit for the eye; ρ uses ranks."
    )
    return Figure(title, _finish(alt.layer(points, line), 180), caption=caption, subtitle=ci + role + first_look)


#: The top of the load-ratio axis: a ratio above it (a restart after a break can reach 25) is drawn as a triangle at
#: the top, so it does not flatten the range where ratios usually lie (about 0.8 to 1.5).
RATIO_TOP = 3.0
#: The lines of the load-ratio chart: weekly column -> (legend name, colour key, stroke width, dash).
_RATIO_LINES = {
    "acwr_run": ("Running load, weighted 7 ÷ 28 days", "ratio", 3.0, None),
    "acwr_distance": ("Running distance, weighted 7 ÷ 28 days", "distance", 1.5, [6, 3]),
    "acwr": ("Runs + gym load, weighted 7 ÷ 28 days", "load", 1.5, [2, 2]),
    "acwr_run_uncoupled": ("Running load, last 7 days ÷ the 21 days before", "ratio_rolling", 1.5, [1, 3]),
}


def _estimated(weekly: pd.DataFrame) -> np.ndarray:
    """Per week, in words, how many sessions had no effort rating and so an estimated load ("" for none)."""
    count = weekly["load_estimated"].astype(int)
    words = count.astype(str) + np.where(count == 1, " session", " sessions")
    return np.where(count > 0, words + " without an effort rating: load estimated", "")


def _estimated_rings(base: alt.Chart, y: str, colour: str, scale: alt.Scale | None = None) -> alt.Chart:
    """Hollow rings around the points of ``y`` in weeks whose load is partly estimated (no effort rating); drawn in
    a layer that shares the weeks' tooltip (:func:`_shared`)."""
    return (
        base.transform_filter("datum.estimated != ''")
        .mark_point(shape="circle", filled=False, size=170, strokeWidth=1.5, color=colour, clip=True)
        .encode(y=alt.Y(f"{y}:Q", scale=scale or alt.Undefined))
    )


def load_ratio(weekly: pd.DataFrame) -> Figure:
    """The acute:chronic load ratios at the end of each week: of running load (the main line), of running distance
    and of all load (runs and gym), exponentially weighted, and of running load as a rolling uncoupled ratio.

    The axis stops at :data:`RATIO_TOP`: lines leave the top (clipped) and a triangle there gives the value. Weeks
    with sessions whose load is estimated (no effort rating) wear a ring.
    """
    title = "Acute:chronic load ratio"
    if weekly.empty or weekly[["acwr_run", "acwr_distance", "acwr"]].isna().all().all():
        days = int(weekly["days"].sum()) if not weekly.empty else 0
        if days < load.CHRONIC_DAYS:
            wait = f"Warming up: the load ratio needs 28 days of history; {load.CHRONIC_DAYS - days} more to go."
        else:
            wait = "No training load in these weeks: log runs or gym sessions to see the load ratio."
        return Figure(title, None, wait)
    data = _weeks(weekly, [*_RATIO_LINES, "acute_run", "chronic_run"])
    data["estimated"] = _estimated(weekly)
    names = [name for name, *_ in _RATIO_LINES.values()]
    legend = _legend_of("stroke", direction="vertical", labelLimit=0)

    def by_series(values: list) -> alt.Scale:
        return alt.Scale(domain=names, range=values)

    colour = alt.Color("series:N", scale=by_series([COLOURS[c] for _, c, _, _ in _RATIO_LINES.values()]), legend=legend)
    y_scale = alt.Scale(domain=[0, RATIO_TOP])
    tips = [
        WEEK_TIP,
        *(alt.Tooltip(f"{column}:Q", title=name, format=".2f") for column, (name, *_) in _RATIO_LINES.items()),
        alt.Tooltip("acute_run:Q", title="Running load per day, 7-day weighted", format=".0f"),
        alt.Tooltip("chronic_run:Q", title="Running load per day, 28-day weighted", format=".0f"),
        alt.Tooltip("estimated:N", title="Estimated load"),
    ]
    base = _base(data)
    which = " : ".join(f"datum.key == '{column}' ? '{name}'" for column, (name, *_) in _RATIO_LINES.items())
    folded = base.transform_fold(list(_RATIO_LINES), as_=["key", "value"]).transform_calculate(
        series=f"{which} : datum.key"
    )
    lines = folded.mark_line(clip=True).encode(
        y=alt.Y("value:Q", title="Acute ÷ chronic", scale=y_scale),
        color=colour,
        strokeDash=alt.StrokeDash(
            "series:N", scale=by_series([d or [1, 0] for *_, d in _RATIO_LINES.values()]), legend=legend
        ),
        strokeWidth=alt.StrokeWidth(
            "series:N", scale=by_series([w for _, _, w, _ in _RATIO_LINES.values()]), legend=legend
        ),
    )
    main = base.mark_point(filled=True, size=25 if _points(data) else 0, color=COLOURS["ratio"], clip=True).encode(
        y=alt.Y("acwr_run:Q", scale=y_scale)
    )
    above = (
        folded.transform_filter(f"datum.value > {RATIO_TOP}")
        .transform_calculate(top=str(RATIO_TOP))
        .mark_point(shape="triangle-up", filled=True, size=90, opacity=1, clip=True, yOffset=6)  # under the top
        .encode(
            y=alt.Y("top:Q", scale=y_scale),
            color=alt.Color("series:N", legend=None),  # the lines' colours (shared scale); the legend is theirs
            tooltip=[
                WEEK_TIP,
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("value:Q", title="Ratio", format=".1f"),
            ],
        )
    )
    rings = _estimated_rings(base, "acwr_run", COLOURS["ratio"], y_scale)
    chart = alt.layer(
        _rule(1.0, "1.0: the last week matches the longer average", [2, 2]),
        _shared(lines, main, rings, above, x=_x(weekly["week"], "week_end"), tooltip=tips),
    )
    caption = (
        "The thick line is running alone (effort × minutes of runs); the dashed lines are running distance and all "
        "load with gym sessions, which can hide a jump in running. Weighted: 7-day ÷ 28-day exponentially weighted "
        f"averages. Above 1: the recent days carried more than usual; below 1: less. ▲ at the top: a ratio above "
        f"{RATIO_TOP:g} (often a restart after a break), its value in the tooltip. ○: a week with sessions whose load "
        "is estimated (no effort rating). A trend, not a risk score — its published zones come from team sports and "
        "are disputed."
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
    bars = base.mark_bar(clip=True, color=COLOURS["distance"]).encode(
        x=_x(weekly["week"]),
        x2="week_end:T",
        y=alt.Y("change:Q", title="Change from the week before", axis=alt.Axis(format="%")),
        y2=alt.datum(0),
        opacity=alt.condition(alt.datum.change_flag == load.FLAG_OVER, alt.value(1.0), alt.value(0.4)),
    )
    restarts = (
        base.transform_filter(alt.datum.change_flag == load.FLAG_RESTART)
        .transform_calculate(zero="0")
        .mark_point(shape="triangle-up", size=80, filled=True, color=COLOURS["distance"])
        .encode(x="mid:T", y="zero:Q")
    )
    chart = alt.layer(
        _shared(bars, restarts, tooltip=tips),
        _rule(load.CHANGE_FLAG_PCT / 100, "+30%: soft flag (Nielsen et al. 2014)"),
    )
    caption = "Solid bars: more than 30% above the week before. Triangles: running again after a week without."
    return Figure(title, _finish(chart), caption=caption)


def fitness_fatigue(weekly: pd.DataFrame) -> Figure:
    """Fitness (CTL), fatigue (ATL) and form of all load (runs and gym) at the end of each week.

    Both start from zero, so the weeks that end inside the first 42 days of history are shaded as warming up (as the
    load ratio waits for its first 28 days). Weeks with sessions whose load is estimated wear a ring on fitness.
    """
    title = "Fitness, fatigue and form"
    if weekly.empty or weekly["load"].sum() == 0:
        return Figure(title, None, "Log a run or a gym session (with its effort) to see fitness and fatigue.")
    data = _weeks(weekly, ["ctl", "atl", "form", "fitness_warming_up"])
    data["estimated"] = _estimated(weekly)
    names = {"Fitness": "ctl", "Fatigue": "atl", "Form": "form"}
    scale = _legend(names)
    warm_up = f"Warming up: fitness and fatigue start from zero and need {load.CTL_DAYS} days of history"
    tips = [
        WEEK_TIP,
        alt.Tooltip("ctl:Q", title="Fitness (CTL)", format=".0f"),
        alt.Tooltip("atl:Q", title="Fatigue (ATL)", format=".0f"),
        alt.Tooltip("form:Q", title="Form", format=".0f"),
        alt.Tooltip("estimated:N", title="Estimated load"),
    ]
    y_title = "Load per day (RPE × min)"
    base = _base(data)
    shade = (
        _base(data)
        .transform_filter("datum.fitness_warming_up")
        .transform_calculate(next_week="toDate(datum.week) + 168 * 3600000", what=f"'{warm_up}'")
        .mark_rect(clip=True, color=COLOURS["plan"], opacity=0.08)
        .encode(
            x=_x(weekly["week"]),
            x2="next_week:T",
            tooltip=[WEEK_TIP, alt.Tooltip("what:N", title="Note")],
        )
    )
    lines = [
        _named(
            base.mark_line(strokeWidth=2, point=_points(data), clip=True).encode(
                y=alt.Y(f"{key}:Q", title=y_title), color=_colour(scale, "stroke")
            ),
            name,
        )
        for name, key in names.items()
    ]
    rings = _estimated_rings(base, "ctl", COLOURS["ctl"])
    chart = alt.layer(
        shade,
        _rule(0.0, "Form 0: fitness equals fatigue", [2, 2]),
        _shared(*lines, rings, x=_x(weekly["week"], "week_end"), tooltip=tips),
    )
    caption = (
        "Of all training load, runs and gym sessions. Fitness is a 42-day and fatigue a 7-day average of daily load; "
        "form is yesterday's fitness − fatigue. Shaded: the first 42 days, while both warm up from zero. ○: a week "
        "with sessions whose load is estimated (no effort rating)."
    )
    return Figure(title, _finish(chart), caption=caption)


#: The narrowest cell of the status strip, in pixels, that shows its symbol: "✓", "○" and "–" need ``_WIDE_SYMBOL``,
#: "!" (over a limit) only ``_NARROW_SYMBOL``, so a week over a limit stays marked without colour on a phone.
_WIDE_SYMBOL = 12
_NARROW_SYMBOL = 5
STATUS_HEIGHT = 36


def _choose(field: str, values: dict[str, str], otherwise: str = "''") -> str:
    """A Vega expression that is ``values[v]`` (quoted) where ``field`` is ``v``, else ``otherwise``."""
    return " : ".join([*(f"{field} == '{key}' ? '{value}'" for key, value in values.items()), otherwise])


def _week_over_limits(weekly: pd.DataFrame) -> tuple[str, ...]:
    """Each week over a limit of the pain-monitoring model, newest first, with the limits it broke in words."""
    over = weekly[weekly["pain_status"] == pain.STATUS_OVER]
    part = part_weeks(weekly)[over.index]
    return tuple(
        f"Week of {week:%d %b %Y}{f' ({note})' if note else ''}: {reasons}."
        for week, note, reasons in zip(over["week"], part, over["pain_reasons"], strict=True)
    )[::-1]


def pain_status(weekly: pd.DataFrame) -> Figure:
    """The pain-monitoring status of each week as a strip of cells, each with its colour and symbol
    (:data:`STATUS_SYMBOLS`) and the limits broken in the tooltip and, in words, in the figure's ``notes``.

    A cell too narrow for its symbol (many weeks at phone width) leaves it out, except "!" for a week over a limit,
    which fits any cell of at least 5 pixels; the colours then differ in lightness as well as hue.
    """
    title = "Pain-monitoring status"
    if weekly.empty or (weekly["pain_status"] == pain.STATUS_NONE).all():
        return Figure(title, None, "Do the daily knee check-in (and rate pain during runs) to see this.")
    data = _weeks(weekly, ["pain_status", "pain_reasons", "pain_mean", "pain_during_worst", "next_morning_mean"])
    data["pain_reasons"] = data["pain_reasons"].replace("", "none")
    tips = [
        WEEK_TIP,
        alt.Tooltip("pain_status:N", title="Status"),
        alt.Tooltip("pain_reasons:N", title="Limits broken"),
        alt.Tooltip("pain_mean:Q", title="Knee pain, mean", format=".1f"),
        alt.Tooltip("pain_during_worst:Q", title="Worst during a run", format=".0f"),
        alt.Tooltip("next_morning_mean:Q", title="Next-morning pain", format=".1f"),
    ]
    strip = alt.Y("strip:N", title="Status", axis=alt.Axis(labels=False, ticks=False, domain=False))
    base = _base(data).transform_calculate(strip="'status'")
    words = {status: f"{STATUS_SYMBOLS[status]}  {STATUS_WORDS.get(status, status)}" for status in STATUS_COLOURS}
    legend = _legend_of(  # a thin grey edge, so the pale "no pain data" square shows on white
        "square",
        columns=2,
        labelExpr=_choose("datum.label", words, "datum.label"),
        symbolSize=160,
        symbolStrokeColor="#999999",
        symbolStrokeWidth=0.5,
    )
    cells = base.mark_rect(clip=True, stroke="white", strokeWidth=1 if _points(data) else 0).encode(
        x=_x(weekly["week"]),
        x2="week_end:T",
        y=strip,
        color=alt.Color(
            "pain_status:N",
            title=None,
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=legend,
        ),
    )
    over = f"datum.pain_status == '{pain.STATUS_OVER}'"
    fits = f"width / {_weeks_on_axis(weekly['week'])} >= ({over} ? {_NARROW_SYMBOL} : {_WIDE_SYMBOL})"
    light = {pain.STATUS_NO_RUNS, pain.STATUS_NONE}
    symbols = (
        base.transform_calculate(symbol=_choose("datum.pain_status", STATUS_SYMBOLS))
        .mark_text(fontWeight="bold", fontSize=14, clip=True)
        .encode(
            x="mid:T",
            y=strip,
            text="symbol:N",
            color=alt.condition(
                " || ".join(f"datum.pain_status == '{s}'" for s in light), alt.value("#333333"), alt.value("white")
            ),
            opacity=alt.condition(fits, alt.value(1), alt.value(0)),
        )
    )
    caption = (
        "Each week against the limits of the pain-monitoring model (Silbernagel 2007): ✓ within them; ○ no runs, so "
        "only weekly pain was checked; ! a limit was broken (which one: under the chart, or tap or hover the week); "
        "– no pain data that week."
    )
    notes = _week_over_limits(weekly)
    return Figure(
        title,
        _finish(_shared(cells, symbols, tooltip=tips), STATUS_HEIGHT),
        caption=caption,
        notes=notes,
        notes_title=f"Which limit was broken ({len(notes)} week{'s' if len(notes) != 1 else ''} over a limit)"
        if notes
        else "",
    )


#: Background colours of the model's zones of pain during running: light to darker blue (ColorBrewer Blues, CIE
#: lightness L* about 96, 87 and 79), so the zones read in black-and-white print and with any colour blindness, and
#: the pain line (Okabe & Ito's vermilion, L* 54) stands out on all three.
ZONE_COLOURS: dict[str, str] = {"safe": "#EFF3FF", "acceptable": "#C6DBEF", "over the limit": "#9ECAE1"}
DURING_TITLE = "Pain during a run (0-10)"


def _zones() -> alt.LayerChart:
    """The pain-monitoring model's zones (:data:`kneelog.analysis.pain.DURING_ZONES`) as full-width shaded bands
    named at their top left: a background, so it carries no tooltip of its own (``tooltip`` is set to nothing)."""
    data = pd.DataFrame(pain.DURING_ZONES, columns=["zone", "low", "high"])
    data["label"] = [f"{zone} {low:g}–{high:g}" for zone, low, high in pain.DURING_ZONES]
    base = alt.Chart(data)
    bands = base.mark_rect(clip=True).encode(
        y=alt.Y("low:Q", title=DURING_TITLE, scale=alt.Scale(domain=[0, 10])),
        y2="high:Q",
        fill=alt.Fill(
            "zone:N", scale=alt.Scale(domain=list(ZONE_COLOURS), range=list(ZONE_COLOURS.values())), legend=None
        ),
        tooltip=alt.value(None),
    )
    names = base.mark_text(align="left", baseline="top", dx=4, dy=3, color=COLOURS["plan"]).encode(
        x=alt.value(0), y=alt.Y("high:Q", title=DURING_TITLE), text="label:N", tooltip=alt.value(None)
    )
    return alt.layer(bands, names)


def pain_during(weekly: pd.DataFrame) -> Figure:
    """Each week's worst pain during a run (line, 0-10) over the pain-monitoring model's zones (Silbernagel 2007)."""
    title = "Pain during runs"
    if weekly.empty or weekly["pain_during_worst"].isna().all():
        return Figure(title, None, "Rate the knee pain during your runs (0-10) to see each week against the model.")
    data = _weeks(weekly, ["pain_during_worst", "pain_during_mean", "runs"])
    tips = [
        WEEK_TIP,
        alt.Tooltip("pain_during_worst:Q", title="Worst during a run (0-10)", format=".0f"),
        alt.Tooltip("pain_during_mean:Q", title="Mean during runs", format=".1f"),
        alt.Tooltip("runs:Q", title="Runs"),
    ]
    worst = (
        _base(data)
        .mark_line(point=_points(data), strokeWidth=2.5, clip=True)
        .encode(
            x=_x(weekly["week"], "mid"),
            y=alt.Y("pain_during_worst:Q", title=DURING_TITLE, scale=alt.Scale(domain=[0, 10])),
            color=alt.value(COLOURS["pain"]),
            tooltip=tips,
        )
    )
    limit = _rule(float(pain.DURING_LIMIT), "5/10: the model's limit for pain during a run", [2, 2])
    chart = alt.layer(_zones(), limit, worst)
    caption = (
        "The line is each week's worst pain during a run, the score the model's limit of 5/10 applies to. The bands "
        "are the zones of the pain-monitoring model (Silbernagel et al. 2007): 0–2 safe, 2–5 acceptable, above 5 "
        "over the limit. Gaps are weeks without a rated run."
    )
    return Figure(title, _finish(chart), caption=caption)
