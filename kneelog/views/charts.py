"""Altair charts of the dashboard, built by pure functions from the weekly and daily tables.

This module holds the Overview's chart (weekly distance, knee pain and the pain-monitoring strip, three panels of one
plot), the report's distance and pain chart, the Gym & stretching and Relationships charts, and re-exports the Load
charts (:mod:`kneelog.views.load_charts`) and the shared parts
(:mod:`kneelog.views.chart_kit`: :class:`Figure`, :data:`COLOURS`, :func:`part_weeks`), so
``from kneelog.views import charts`` reaches every chart.

Every builder takes aggregated rows (one per week, or one per day for the stretch calendar) and returns a
:class:`Figure`: a chart, or no chart and a helpful empty-state message ("log two more full weeks to see this").
Charts ship their rows to the browser, so they only ever receive the weekly (or daily) aggregate: the bytes sent
grow with the weeks shown, never with raw entries. Each quantity has one colour across the app (:data:`COLOURS`),
every mark has a tooltip, and legends sit below the plot so the charts read at phone width.

Charts a runner can read (:func:`~kneelog.views.chart_kit.finish`): no text smaller than :data:`FONT_SIZE`; every
y axis exactly :data:`Y_AXIS_EXTENT` pixels wide and titled, and every weekly chart on the same time scale
(:func:`~kneelog.views.chart_kit.time_axis`), so the plots of the stacked weekly charts start and end at the same x
and a week reads straight down the page; no second y axis (pain has its own panel under the distance); each legend
draws the mark it names (a square for bars, a line for lines); and the pain-monitoring strip says each status with a
symbol as well as a colour.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from kneelog.analysis import findings, gymplan, pain, stats
from kneelog.units import UNIT_NAMES, to_unit
from kneelog.views.chart_kit import (
    COLOURS,
    FONT_SIZE,
    HEIGHT,
    POINTS_UP_TO,
    WEEK_SAID,
    WEEK_TIP,
    Y_AXIS_EXTENT,
    Figure,
    described,
    finish,
    legend_of,
    legend_scale,
    named,
    part_weeks,
    plural,
    points,
    rule,
    said_number,
    series_colour,
    shaped,
    shared,
    time_axis,
    unchecked,
    week_rows,
    weekly_base,
    weeks_on_axis,
    when,
)
from kneelog.views.load_charts import (
    DURING_TITLE,
    RATIO_TOP,
    ZONE_COLOURS,
    fitness_fatigue,
    load_ratio,
    pain_during,
    week_change,
)

__all__ = [
    "COLOURS",
    "DURING_TITLE",
    "FONT_SIZE",
    "Figure",
    "HEIGHT",
    "RATIO_TOP",
    "STATUS_COLOURS",
    "STATUS_SYMBOLS",
    "STATUS_WORDS",
    "WEEKDAYS",
    "Y_AXIS_EXTENT",
    "ZONE_COLOURS",
    "driver_scatter",
    "fitness_fatigue",
    "gym_plan",
    "load_ratio",
    "mileage_and_pain",
    "pain_during",
    "part_weeks",
    "stretch_calendar",
    "stretch_compliance",
    "unchecked",
    "week_change",
    "weeks_overview",
]

#: Colours of the pain-monitoring statuses, from ColorBrewer's RdYlGn ramp and a light grey, at CIE lightness L* about
#: 34 (over a limit, darkest), 55 (within), 81 (no runs: a lighter green) and 93 (no data), so the four stay apart in
#: black-and-white print and for red-green colour blindness; each also wears its own symbol (:data:`STATUS_SYMBOLS`).
STATUS_COLOURS: dict[str, str] = {
    pain.STATUS_OVER: "#A50026",
    pain.STATUS_WITHIN: "#1A9850",
    pain.STATUS_NO_RUNS: "#A6D96A",
    pain.STATUS_NONE: "#EBEBEB",
}
#: Each status's symbol, written before its name in the strip's legend, the caption and the report, and drawn in
#: each week's cell as a shape (:data:`STATUS_SHAPES`), so the strip reads without colour: "!" (narrow enough for the
#: narrowest cells) marks a week over a limit.
STATUS_SYMBOLS: dict[str, str] = {
    pain.STATUS_OVER: "!",
    pain.STATUS_WITHIN: "✓",
    pain.STATUS_NO_RUNS: "○",
    pain.STATUS_NONE: "–",
}
#: The same symbols drawn as shapes in the strip's cells (SVG paths on Vega's unit square, -1 to 1, y down): a shape
#: costs the browser far less than a text mark, whose every item is measured (``bench/browser.py``). "!" a bar over a
#: dot, "✓" a tick, "○" a ring (its hole wound the other way), "–" a dash.
STATUS_SHAPES: dict[str, str] = {
    pain.STATUS_OVER: "M-0.2,-0.95h0.4v1.15h-0.4Z M-0.2,0.5h0.4v0.4h-0.4Z",
    pain.STATUS_WITHIN: "M-0.9,0.05L-0.6,-0.25L-0.25,0.1L0.6,-0.75L0.9,-0.45L-0.25,0.7Z",
    pain.STATUS_NO_RUNS: "M0,-0.75A0.75,0.75 0 1,1 0,0.75A0.75,0.75 0 1,1 0,-0.75Z"
    "M0,-0.45A0.45,0.45 0 1,0 0,0.45A0.45,0.45 0 1,0 0,-0.45Z",
    pain.STATUS_NONE: "M-0.6,-0.12h1.2v0.24h-1.2Z",
}
#: The area of a status symbol in square pixels: 12 px across.
_SYMBOL_AREA = 144
#: The status names in the strip's legend, short enough for two columns at phone width (the caption says more).
STATUS_WORDS: dict[str, str] = {pain.STATUS_NO_RUNS: "no runs"}
#: The rows of the stretch calendar, as Vega's ``%a`` writes them.
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


#: The panels of the weekly distance chart, as shares of its plot height from the top: distance above, the knee
#: pain (0-10) below, on the same time axis. Each has its own y axis on the left, one above the other.
DISTANCE_PANEL = (0.0, 0.6)
PAIN_PANEL = (0.7, 1.0)
MILEAGE_HEIGHT = 250
#: The Overview's chart (:func:`weeks_overview`) adds the pain-monitoring strip as a third panel at the foot of the
#: same plot, over the time axis: one chart, so a week over a limit lines up with its distance and pain exactly.
OVERVIEW_PANELS = {"distance": (0.0, 0.52), "pain": (0.6, 0.86), "status": (0.9, 1.0)}
OVERVIEW_HEIGHT = 290
#: The lines of the pain panel: weekly column -> (legend name, colour key, dash).
_PAIN_LINES = {
    "pain_mean": ("Knee pain, mean of the day", "pain", [1, 0]),
    "next_morning_mean": ("Next morning", "next_morning", [5, 3]),
}


def _panel(share: tuple[float, float]) -> list[alt.ExprRef]:
    """The y range of a panel (bottom, then top, in pixels from the top of the plot), as the plot's ``height``."""
    return [alt.ExprRef(f"height * {share[1]}"), alt.ExprRef(f"height * {share[0]}")]


class _Layers(NamedTuple):
    """The layers of a weekly chart and the rows they draw, for :func:`_in_panels` to join.

    Each layer carries its own tooltip, naming only what it draws: a tooltip is worked out for every item drawn
    (each bar, point and cell), so one long tooltip shared by every layer cost the browser its formatting hundreds
    of times over (``bench/browser.py``), and read longer than the mark under the pointer.
    """

    layers: list[alt.Chart | alt.LayerChart]
    data: pd.DataFrame


def _distance_and_pain_rows(weekly: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The rows :func:`_distance_and_pain` draws: each week's distance in ``unit``, runs, pain and part week."""
    data = week_rows(weekly, ["runs", "pain_mean", "pain_worst", "next_morning_mean", "checkin_days"])
    data.insert(1, "distance", to_unit(weekly["distance_m"], unit).round(2).to_numpy())
    data["part"] = part_weeks(weekly).to_numpy()
    return data


def _distance_and_pain(weekly: pd.DataFrame, unit: str, distance_panel, pain_panel) -> _Layers:
    """Weekly distance (bars, ``distance_panel``) and knee pain and next-morning pain (lines, 0-10, ``pain_panel``).

    A week that is not complete (the week so far, a first week that started mid-week) is a lighter bar with a dashed
    outline and says so in its tooltip and above it, so a week two days old does not read as a drop.
    """
    name = UNIT_NAMES[unit]
    data = _distance_and_pain_rows(weekly, unit)
    part_tip = alt.Tooltip("part:N", title="Part week")
    distance_tip = alt.Tooltip("distance:Q", title=f"Distance ({name})", format=".1f")
    pain_tips = [
        WEEK_TIP,
        alt.Tooltip("pain_mean:Q", title="Knee pain, mean (0-10)", format=".1f"),
        alt.Tooltip("pain_worst:Q", title="Worst score", format=".0f"),
        alt.Tooltip("next_morning_mean:Q", title="Next-morning pain", format=".1f"),
        alt.Tooltip("checkin_days:Q", title="Check-in days"),
    ]
    base = weekly_base()  # the rows go on the layered chart, once
    is_part = "datum.part != ''"
    distance = alt.Y("distance:Q", title=f"Distance ({name})", scale=alt.Scale(range=_panel(distance_panel)))
    bars = base.mark_bar(clip=True, strokeWidth=1.5, color=COLOURS["distance"]).encode(
        x=time_axis(weekly["week"]),
        x2=alt.X2("week_end:T"),
        y=distance,
        y2=alt.Y2Datum(0),
        opacity=when(alt.OpacityValue, is_part, 0.3, 0.85),
        stroke=when(alt.StrokeValue, is_part, COLOURS["distance"], None),
        strokeDash=when(alt.StrokeDashValue, is_part, [4, 2], [1, 0]),
        tooltip=[WEEK_TIP, distance_tip, alt.Tooltip("runs:Q", title="Runs"), part_tip],
    )
    bars = described(
        bars,
        f"{WEEK_SAID} + format(datum.distance, '.1f') + ' {unit} in ' + {plural('runs', 'run')}"
        " + (datum.part ? ' (' + datum.part + ')' : '')",
    )
    # the week so far (the last) is named from its right end leftwards, a first week from its left end rightwards:
    # inside the plot, so the plot is as wide as every other weekly chart's
    labels = [
        base.transform_filter(f"indexof(datum.part, '{words}:') == 0")
        .mark_text(dy=-4, dx=dx, color=COLOURS["plan"], baseline="bottom", align=align, aria=False)  # the bar says it
        .encode(
            x=alt.X(f"{x}:T"),
            y=alt.Y("distance:Q"),
            text=alt.TextValue(words),
            tooltip=[WEEK_TIP, distance_tip, part_tip],
        )
        for words, x, align, dx in (("so far", "week_end", "right", -2), ("first week", "week", "left", 2))
    ]

    def by_line(values: list) -> alt.Scale:
        return alt.Scale(domain=[n for n, *_ in _PAIN_LINES.values()], range=values)

    legend = legend_of("stroke", symbolStrokeWidth=2.5)
    which = " : ".join(f"datum.key == '{column}' ? '{label}'" for column, (label, *_) in _PAIN_LINES.items())
    lines = (
        base.transform_fold(list(_PAIN_LINES), as_=["key", "value"])
        .transform_calculate(series=f"{which} : datum.key")
        .mark_line(point=points(data), strokeWidth=2.5, clip=True)
        .encode(
            x=alt.X("mid:T"),
            y=alt.Y(
                "value:Q",
                title="Pain (0-10)",
                scale=alt.Scale(domain=[0, 10], range=_panel(pain_panel)),
                axis=alt.Axis(orient="left", values=[0, 5, 10]),
            ),
            color=alt.Color("series:N", scale=by_line([COLOURS[c] for _, c, _ in _PAIN_LINES.values()]), legend=legend),
            strokeDash=alt.StrokeDash("series:N", scale=by_line([d for *_, d in _PAIN_LINES.values()]), legend=legend),
            tooltip=pain_tips,
        )
    )
    lines = described(lines, f"{WEEK_SAID} + datum.series + ': ' + {said_number('value', '.1f')} + ' of 10'")
    return _Layers([alt.layer(bars, *labels), lines], data)


def _in_panels(layers: list, data: pd.DataFrame) -> alt.LayerChart:
    """The layers of a chart in panels, one above the other: each panel's y scale (and axis) its own."""
    return shared(*layers, data=data, resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")))


_MILEAGE_CAPTION = (
    "Bars: distance each week; under them, on the same weeks, knee pain (0-10): the solid line is the mean of each "
    "day's everyday scores, the dashed line the next-morning score. Gaps in a line are weeks without a check-in. A "
    "pale bar with a dashed edge is a part week (the week so far, or a first week that started mid-week)."
)


def mileage_and_pain(weekly: pd.DataFrame, unit: str) -> Figure:
    """Weekly distance (bars) and, in a panel under it on the same time axis, weekly knee pain and next-morning pain
    (lines, 0-10): two y axes one above the other, never a second axis on the right (:func:`_distance_and_pain`)."""
    title = "Weekly distance and knee pain"
    if weekly.empty:
        return Figure(title, None, "Log a run or a knee check-in to see your weeks here.")
    layers, data = _distance_and_pain(weekly, unit, DISTANCE_PANEL, PAIN_PANEL)
    return Figure(title, finish(_in_panels(layers, data), MILEAGE_HEIGHT), caption=_MILEAGE_CAPTION)


#: The narrowest cell of the status strip, in pixels, that shows its symbol: "✓", "○" and "–" need ``_WIDE_SYMBOL``,
#: "!" (over a limit) only ``_NARROW_SYMBOL``, so a week over a limit stays marked without colour on a phone.
_WIDE_SYMBOL = 12
_NARROW_SYMBOL = 5


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


def _status_rows(weekly: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`_status_strip` draws: each week's pain-monitoring status and the limits broken ("none")."""
    data = week_rows(weekly, ["pain_status", "pain_reasons", "pain_during_worst"])
    data["pain_reasons"] = data["pain_reasons"].replace("", "none")
    return data


def _status_strip(weekly: pd.DataFrame, panel: tuple[float, float]) -> _Layers:
    """The pain-monitoring status of each week as a strip of cells in ``panel``, each with its colour and symbol
    (:data:`STATUS_SYMBOLS`) and the limits broken in the tooltip.

    A cell too narrow for its symbol (many weeks at phone width) leaves it out, except "!" for a week over a limit,
    which fits any cell of at least 5 pixels; the colours then differ in lightness as well as hue.
    """
    data = _status_rows(weekly)
    tips = [  # on the symbols too, so a tap on a symbol tells its week like a tap on its cell
        WEEK_TIP,
        alt.Tooltip("pain_status:N", title="Pain-monitoring status"),
        alt.Tooltip("pain_reasons:N", title="Limits broken"),
        alt.Tooltip("pain_during_worst:Q", title="Worst during a run", format=".0f"),
    ]
    strip = alt.Y(
        "strip:N",
        title="Status",
        scale=alt.Scale(range=_panel(panel)),
        axis=alt.Axis(orient="left", labels=False, ticks=False, domain=False),
    )
    base = weekly_base().transform_calculate(strip="'status'")  # the rows go on the layered chart, once
    words = {status: f"{STATUS_SYMBOLS[status]}  {STATUS_WORDS.get(status, status)}" for status in STATUS_COLOURS}
    legend = legend_of(  # a thin grey edge, so the pale "no pain data" square shows on white
        "square",
        columns=2,
        labelExpr=_choose("datum.label", words, "datum.label"),
        symbolSize=160,
        symbolStrokeColor="#999999",
        symbolStrokeWidth=0.5,
    )
    cells = base.mark_rect(clip=True, stroke="white", strokeWidth=1 if points(data) else 0).encode(
        x=time_axis(weekly["week"]),
        x2=alt.X2("week_end:T"),
        y=strip,
        fill=alt.Fill(  # fill, not colour: the pain lines' colours keep their own scale and legend
            "pain_status:N",
            title=None,
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=legend,
        ),
        tooltip=tips,
    )
    cells = described(
        cells, f"{WEEK_SAID} + datum.pain_status + (datum.pain_reasons == 'none' ? '' : ': ' + datum.pain_reasons)"
    )
    over = f"datum.pain_status == '{pain.STATUS_OVER}'"
    fits = f"width / {weeks_on_axis(weekly['week'])} >= ({over} ? {_NARROW_SYMBOL} : {_WIDE_SYMBOL})"
    light = (pain.STATUS_NO_RUNS, pain.STATUS_NONE)  # a tuple, so the spec is the same on every run
    # the shape from a copy of the status: on the status itself, Vega-Lite would merge it into the cells' legend,
    # whose squares show the cells' colours (and whose labels start with the symbols)
    symbols = (
        base.transform_calculate(symbol="datum.pain_status")
        .mark_point(filled=True, size=_SYMBOL_AREA, strokeWidth=0, clip=True, aria=False)  # its cell says it
        .encode(
            x=alt.X("mid:T"),
            y=strip,
            shape=alt.Shape(
                "symbol:N",
                scale=alt.Scale(domain=list(STATUS_SHAPES), range=list(STATUS_SHAPES.values())),
                legend=None,
            ),
            color=when(alt.ColorValue, " || ".join(f"datum.pain_status == '{s}'" for s in light), "#333333", "white"),
            opacity=when(alt.OpacityValue, fits, 1, 0),
            tooltip=tips,
        )
    )
    return _Layers([cells, symbols], data)


_STATUS_CAPTION = (
    "The strip at the foot: each week against the limits of the pain-monitoring model (Silbernagel 2007): ✓ within "
    "them; ○ no runs, so only weekly pain was checked; ! a limit was broken (which one: under the chart, or tap or "
    "hover the week); – no pain data that week."
)


#: The legends under the plot one above the other, from its left edge: side by side, the pain lines' and the
#: statuses' legends run off a phone's screen. (Vega's legend layout, passed on as a signal.)
_LEGENDS_STACKED = "{bottom: {direction: 'vertical', anchor: 'start', margin: 6, offset: 18}}"


def _overview_rows(weekly: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The rows of the Overview's chart: :func:`_distance_and_pain_rows` and :func:`_status_rows` by week."""
    return _distance_and_pain_rows(weekly, unit).merge(_status_rows(weekly), on="week", how="left", validate="1:1")


def _overview_chart(weekly: pd.DataFrame, unit: str, rows: pd.DataFrame) -> alt.LayerChart:
    """The Overview's chart, built by Altair: its three panels drawing ``rows`` (:func:`_overview_rows`)."""
    panels = OVERVIEW_PANELS
    distance_and_pain = _distance_and_pain(weekly, unit, panels["distance"], panels["pain"])
    strip = _status_strip(weekly, panels["status"])
    chart = finish(_in_panels([*distance_and_pain.layers, *strip.layers], rows), OVERVIEW_HEIGHT)
    chart.config.legend.layout = alt.ExprRef(_LEGENDS_STACKED)
    return chart


def weeks_overview(weekly: pd.DataFrame, unit: str) -> Figure:
    """The Overview's chart: weekly distance, knee pain and, at the foot, the pain-monitoring status of each week
    (:func:`_status_strip`), three panels of one plot on one time axis, so a week over a limit reads straight up to
    its pain and its distance; the weeks over a limit are listed in words in the figure's ``notes``.

    One chart rather than two stacked ones also draws sooner: each chart costs the browser a Vega view of its own
    (``bench/browser.py``). Without any pain data the strip is left out and the caption says how to fill it.
    """
    title = "Weekly distance, knee pain and pain-monitoring status"
    if weekly.empty:
        return Figure(title, None, "Log a run or a knee check-in to see your weeks here.")
    if (weekly["pain_status"] == pain.STATUS_NONE).all():  # the report's two panels, and how to see the third
        no_strip = "The pain-monitoring status appears once you do the daily knee check-in and rate pain during runs."
        return replace(mileage_and_pain(weekly, unit), title=title, caption=f"{_MILEAGE_CAPTION} {no_strip}")
    shape = ("weeks_overview", unit, tuple(weekly["week"]))  # all the chart reads but the values of its rows
    rows = _overview_rows(weekly, unit)
    spec = shaped(shape, lambda: _overview_chart(weekly, unit, rows), rows)
    notes = _week_over_limits(weekly)
    return Figure(
        title,
        None,
        spec=spec,
        caption=f"{_MILEAGE_CAPTION} {_STATUS_CAPTION}",
        notes=notes,
        notes_title=f"Which limit was broken ({len(notes)} week{'s' if len(notes) != 1 else ''} over a limit)"
        if notes
        else "",
    )


def gym_plan(weekly: pd.DataFrame) -> Figure:
    """Gym sessions per week (bars) against the 1-3 plan band and each week's recommended count."""
    title = "Gym sessions against the plan"
    if weekly.empty:
        return Figure(title, None, "Log a gym session to see it against the plan here.")
    data = week_rows(weekly, ["gym_sessions", "gym_recommended", "gym_reason", "gym_vs_plan", "races"])
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
            description=alt.DescriptionValue("The plan: one to three gym sessions a week"),
        )
    )
    base = weekly_base(data)
    top = int(max(3, data["gym_sessions"].max(), data["gym_recommended"].max()))
    sessions = alt.Y(  # a little room above the top count, so its dash is not cut by the edge of the plot
        "gym_sessions:Q",
        title="Sessions",
        scale=alt.Scale(domain=[0, top + 0.3], nice=False),
        axis=alt.Axis(values=list(range(top + 1)), format="d"),
    )
    bars = base.mark_bar(clip=True, opacity=0.85).encode(
        x=time_axis(weekly["week"]),
        x2="week_end:T",
        y=sessions,
        y2=alt.datum(0),
        color=series_colour(legend_scale({"Gym sessions": "gym"}), "square"),
    )
    bars = described(
        bars,
        f"{WEEK_SAID} + {plural('gym_sessions', 'gym session')} + ', recommended ' + datum.gym_recommended"
        " + ' (' + datum.gym_reason + ')'"
        " + (datum.races && indexof(datum.gym_reason, datum.races) < 0 ? '; race: ' + datum.races : '')",
    )
    dash = alt.Color(
        "series:N",
        scale=legend_scale({"Recommended": "plan"}),
        legend=legend_of("stroke", symbolStrokeColor=COLOURS["plan"], symbolStrokeWidth=3),
    )
    # a dash as wide as a week, 9 px at most: never wider than its week's bar
    width = alt.ExprRef(f"min(9, width / {weeks_on_axis(weekly['week'])})")
    planned = base.mark_tick(thickness=3, size=width, clip=True, aria=False).encode(  # the bar says it
        x="mid:T", y="gym_recommended:Q", color=dash
    )
    # one legend per mark, so each draws its own: a square for the bars, a dash for the recommended count
    weeks = shared(
        named(bars, "Gym sessions"),
        named(planned, "Recommended"),
        tooltip=tips,
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="independent")),
    )
    chart = alt.layer(shade, weeks)
    caption = f"Shaded: the plan of one to three sessions a week; dashes: each week's recommended count. {gymplan.RULE}"
    return Figure(title, finish(chart), caption=caption)


def stretch_compliance(weekly: pd.DataFrame) -> Figure:
    """Stretch compliance per week: stretch-sides done ÷ planned, with the 100% line."""
    title = "Stretch compliance"
    if weekly.empty or weekly["stretch_sides"].sum() == 0:
        return Figure(title, None, "Log a stretch session to see your compliance here.")
    data = week_rows(weekly, ["stretch_compliance", "stretch_sides", "stretch_planned", "stretch_sessions"])
    tips = [
        WEEK_TIP,
        alt.Tooltip("stretch_compliance:Q", title="Compliance", format=".0%"),
        alt.Tooltip("stretch_sides:Q", title="Stretch-sides done"),
        alt.Tooltip("stretch_planned:Q", title="Planned", format=".0f"),
        alt.Tooltip("stretch_sessions:Q", title="Sessions"),
    ]
    bars = (
        weekly_base(data)
        .mark_bar(clip=True, color=COLOURS["stretch"], opacity=0.85)
        .encode(
            x=time_axis(weekly["week"]),
            x2="week_end:T",
            y=alt.Y("stretch_compliance:Q", title="Done ÷ planned", axis=alt.Axis(format="%")),
            y2=alt.datum(0),
            tooltip=tips,
        )
    )
    bars = described(
        bars,
        f"{WEEK_SAID} + {said_number('stretch_compliance', '.0%')} + ' of the plan: ' + datum.stretch_sides"
        " + ' stretch-sides done, ' + format(datum.stretch_planned, '.0f') + ' planned'",
    )
    chart = alt.layer(bars, rule(1.0, "The plan (100%)"))
    return Figure(
        title,
        finish(chart),
        caption="100% = every planned routine, every stretch on both sides; more than the plan counts as 100%.",
    )


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
            x=time_axis(daily["week"]),
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
    chart = described(chart, f"timeFormat({day_of}, '%a %d %b %Y') + ': ' + {plural('stretch_sides', 'stretch-side')}")
    caption = f"Darker = more stretch-sides that day (a full routine is {routine_sides}); grey = none."
    return Figure(title, finish(chart, 150), caption=caption)


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
    points = described(
        points,
        f"{WEEK_SAID} + {json.dumps(axis_title + ': ')} + format(datum.x, '{fmt}')"
        f" + {json.dumps(f'; knee pain {later}: ')} + format(datum.pain, '.1f') + ' of 10'",
    )
    line = (
        alt.Chart(fit)
        .mark_line(color=COLOURS["fit"], strokeWidth=1.5)
        .encode(
            x="x:Q",
            y="pain:Q",
            tooltip=[alt.Tooltip("what:N", title="Line")],
            description=alt.DescriptionValue("The least-squares line"),
        )
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
    return Figure(title, finish(alt.layer(points, line), 180), caption=caption, subtitle=ci + role + first_look)
