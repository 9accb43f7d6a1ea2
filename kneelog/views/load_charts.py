"""The charts of the dashboard's Load section: week-over-week change, the acute:chronic load ratios, fitness and
fatigue, and pain during runs against the pain-monitoring model's zones (built like every chart, from the parts in
:mod:`kneelog.views.chart_kit`; :mod:`kneelog.views.charts` re-exports them)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from kneelog.analysis import load, pain
from kneelog.units import UNIT_NAMES, to_unit
from kneelog.views.chart_kit import (
    COLOURS,
    WEEK_SAID,
    WEEK_TIP,
    Figure,
    described,
    finish,
    legend_of,
    legend_scale,
    named,
    plural,
    points,
    rule,
    said_number,
    series_colour,
    shared,
    time_axis,
    week_rows,
    weekly_base,
)

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
    a layer that shares the weeks' tooltip (:func:`shared`), hidden from screen readers (the point says it)."""
    return (
        base.transform_filter("datum.estimated != ''")
        .mark_point(shape="circle", filled=False, size=170, strokeWidth=1.5, color=colour, clip=True, aria=False)
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
    data = week_rows(weekly, [*_RATIO_LINES, "acute_run", "chronic_run"])
    data["estimated"] = _estimated(weekly)
    names = [name for name, *_ in _RATIO_LINES.values()]
    legend = legend_of("stroke", direction="vertical", labelLimit=0)

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
    base = weekly_base(data)
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
    lines = described(lines, f"{WEEK_SAID} + datum.series + ': ' + {said_number('value', '.2f', 'not yet')}")
    main = base.mark_point(filled=True, size=25 if points(data) else 0, color=COLOURS["ratio"], clip=True).encode(
        y=alt.Y("acwr_run:Q", scale=y_scale)
    )
    main = described(
        main,
        f"{WEEK_SAID} + 'running load ratio: ' + {said_number('acwr_run', '.2f', 'not yet')}"
        " + (datum.estimated ? ' (' + datum.estimated + ')' : '')",
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
    above = described(
        above, f"{WEEK_SAID} + datum.series + ': ' + format(datum.value, '.1f') + ', above the top of the axis'"
    )
    rings = _estimated_rings(base, "acwr_run", COLOURS["ratio"], y_scale)
    chart = alt.layer(
        rule(1.0, "1.0: the last week matches the longer average", [2, 2]),
        shared(lines, main, rings, above, x=time_axis(weekly["week"], "week_end"), tooltip=tips),
    )
    caption = (
        "Load here is effort (RPE) × minutes (Foster et al. 2001), never heart-rate load. The thick line is running "
        "load alone; the dashed lines are running distance and all "
        "load with gym sessions, which can hide a jump in running. Weighted: 7-day ÷ 28-day exponentially weighted "
        f"averages. Above 1: the recent days carried more than usual; below 1: less. ▲ at the top: a ratio above "
        f"{RATIO_TOP:g} (often a restart after a break), its value in the tooltip. ○: a week with sessions whose load "
        "is estimated (no effort rating). A trend, not a risk score — its published zones come from team sports and "
        "are disputed."
    )
    return Figure(title, finish(chart), caption=caption)


def week_change(weekly: pd.DataFrame, unit: str) -> Figure:
    """Week-over-week change of distance in percent, flagged weeks (over 30%, restart) marked."""
    title = "Week-over-week distance change"
    if weekly.empty or (weekly["change_pct"].isna() & (weekly["change_flag"] == "")).all():
        return Figure(title, None, "Log two more full weeks of running to see how each week compares with the last.")
    data = week_rows(weekly, ["change_flag"])
    data["change"] = (weekly["change_pct"] / 100).round(4).to_numpy()
    data["distance"] = to_unit(weekly["distance_m"], unit).round(2).to_numpy()
    tips = [
        WEEK_TIP,
        alt.Tooltip("change:Q", title="Change", format="+.0%"),
        alt.Tooltip("distance:Q", title=f"Distance ({UNIT_NAMES[unit]})", format=".1f"),
        alt.Tooltip("change_flag:N", title="Flag"),
    ]
    base = weekly_base(data)
    bars = base.mark_bar(clip=True, color=COLOURS["distance"]).encode(
        x=time_axis(weekly["week"]),
        x2="week_end:T",
        y=alt.Y("change:Q", title="Change from the week before", axis=alt.Axis(format="%")),
        y2=alt.datum(0),
        opacity=alt.condition(alt.datum.change_flag == load.FLAG_OVER, alt.value(1.0), alt.value(0.4)),
    )
    bars = described(
        bars,
        f"{WEEK_SAID} + {said_number('change', '+.0%', 'no change')} + ' from the week before, '"
        f" + format(datum.distance, '.1f') + ' {unit}' + (datum.change_flag ? ' (' + datum.change_flag + ')' : '')",
    )
    restarts = (
        base.transform_filter(alt.datum.change_flag == load.FLAG_RESTART)
        .transform_calculate(zero="0")
        .mark_point(shape="triangle-up", size=80, filled=True, color=COLOURS["distance"], aria=False)  # the bar
        .encode(x="mid:T", y="zero:Q")
    )
    chart = alt.layer(
        shared(bars, restarts, tooltip=tips),
        rule(load.CHANGE_FLAG_PCT / 100, "+30%: soft flag (Nielsen et al. 2014)"),
    )
    caption = "Solid bars: more than 30% above the week before. Triangles: running again after a week without."
    return Figure(title, finish(chart), caption=caption)


def fitness_fatigue(weekly: pd.DataFrame) -> Figure:
    """Fitness (CTL), fatigue (ATL) and form of all load (runs and gym) at the end of each week.

    Both start from zero, so the weeks that end inside the first 42 days of history are shaded as warming up (as the
    load ratio waits for its first 28 days). Weeks with sessions whose load is estimated wear a ring on fitness.
    """
    title = "Fitness, fatigue and form"
    if weekly.empty or weekly["load"].sum() == 0:
        return Figure(title, None, "Log a run or a gym session (with its effort) to see fitness and fatigue.")
    data = week_rows(weekly, ["ctl", "atl", "form", "fitness_warming_up"])
    data["estimated"] = _estimated(weekly)
    names = {"Fitness": "ctl", "Fatigue": "atl", "Form": "form"}
    scale = legend_scale(names)
    warm_up = f"Warming up: fitness and fatigue start from zero and need {load.CTL_DAYS} days of history"
    tips = [
        WEEK_TIP,
        alt.Tooltip("ctl:Q", title="Fitness (CTL)", format=".0f"),
        alt.Tooltip("atl:Q", title="Fatigue (ATL)", format=".0f"),
        alt.Tooltip("form:Q", title="Form", format=".0f"),
        alt.Tooltip("estimated:N", title="Estimated load"),
    ]
    y_title = "Load per day (RPE × min)"
    base = weekly_base(data)
    shade = (
        weekly_base(data)
        .transform_filter("datum.fitness_warming_up")
        .transform_calculate(next_week="toDate(datum.week) + 168 * 3600000", what=f"'{warm_up}'")
        .mark_rect(clip=True, color=COLOURS["plan"], opacity=0.08)
        .encode(
            x=time_axis(weekly["week"]),
            x2="next_week:T",
            tooltip=[WEEK_TIP, alt.Tooltip("what:N", title="Note")],
        )
    )
    shade = described(shade, f"{WEEK_SAID} + 'warming up'")
    lines = [
        named(
            described(
                base.mark_line(strokeWidth=2, point=points(data), clip=True).encode(
                    y=alt.Y(f"{key}:Q", title=y_title), color=series_colour(scale, "stroke")
                ),
                f"{WEEK_SAID} + '{name.lower()}: ' + {said_number(key, '.0f')}"
                " + (datum.estimated ? ' (' + datum.estimated + ')' : '')",
            ),
            name,
        )
        for name, key in names.items()
    ]
    rings = _estimated_rings(base, "ctl", COLOURS["ctl"])
    chart = alt.layer(
        shade,
        rule(0.0, "Form 0: fitness equals fatigue", [2, 2]),
        shared(*lines, rings, x=time_axis(weekly["week"], "week_end"), tooltip=tips),
    )
    caption = (
        "Of all training load, runs and gym sessions. Fitness is a 42-day and fatigue a 7-day average of daily load; "
        "form is yesterday's fitness − fatigue. Shaded: the first 42 days, while both warm up from zero. ○: a week "
        "with sessions whose load is estimated (no effort rating)."
    )
    return Figure(title, finish(chart), caption=caption)


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
    bands = described(bands, "'Zone of pain during a run: ' + datum.label")
    names = base.mark_text(align="left", baseline="top", dx=4, dy=3, color=COLOURS["plan"], aria=False).encode(
        x=alt.value(0), y=alt.Y("high:Q", title=DURING_TITLE), text="label:N", tooltip=alt.value(None)
    )
    return alt.layer(bands, names)


def pain_during(weekly: pd.DataFrame) -> Figure:
    """Each week's worst pain during a run (line, 0-10) over the pain-monitoring model's zones (Silbernagel 2007)."""
    title = "Pain during runs"
    if weekly.empty or weekly["pain_during_worst"].isna().all():
        return Figure(title, None, "Rate the knee pain during your runs (0-10) to see each week against the model.")
    data = week_rows(weekly, ["pain_during_worst", "pain_during_mean", "runs"])
    tips = [
        WEEK_TIP,
        alt.Tooltip("pain_during_worst:Q", title="Worst during a run (0-10)", format=".0f"),
        alt.Tooltip("pain_during_mean:Q", title="Mean during runs", format=".1f"),
        alt.Tooltip("runs:Q", title="Runs"),
    ]
    worst = (
        weekly_base(data)
        .mark_line(point=points(data), strokeWidth=2.5, clip=True)
        .encode(
            x=time_axis(weekly["week"], "mid"),
            y=alt.Y("pain_during_worst:Q", title=DURING_TITLE, scale=alt.Scale(domain=[0, 10])),
            color=alt.value(COLOURS["pain"]),
            tooltip=tips,
        )
    )
    worst = described(
        worst,
        f"{WEEK_SAID} + 'worst pain during a run: ' + {said_number('pain_during_worst', '.0f')} + ' of 10, '"
        f" + {plural('runs', 'run')}",
    )
    limit = rule(float(pain.DURING_LIMIT), "5/10: the model's limit for pain during a run", [2, 2])
    chart = alt.layer(_zones(), limit, worst)
    caption = (
        "The line is each week's worst pain during a run, the score the model's limit of 5/10 applies to. The bands "
        "are the zones of the pain-monitoring model (Silbernagel et al. 2007): 0–2 safe, 2–5 acceptable, above 5 "
        "over the limit. Gaps are weeks without a rated run."
    )
    return Figure(title, finish(chart), caption=caption)
