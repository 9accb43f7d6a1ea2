"""The dashboard's gym progression charts: each exercise of the programme, week by week.

Two charts, each with one quantity on its y axis: the weekly volume load of every exercise done with a load (sets ×
repetitions × load, in kg or lb following the runner's unit; :mod:`kneelog.analysis.programme` cites the formula),
and the weekly repetitions or seconds held of every exercise done with body weight or for time, for which a kilogram
figure would be made up. Both use the weekly time axis and finish of :mod:`kneelog.views.chart_kit`, so they line up
with the other weekly charts of the Gym & stretching section.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kneelog.analysis import programme
from kneelog.models import Unit
from kneelog.views.chart_kit import WEEK_TIP, Figure, finish, legend_of, points, time_axis
from kneelog.views.programme import KG_PER_LB, mass_unit

#: One colour per exercise, in the order first done: Okabe & Ito's colour-blind-safe palette, then Tol's muted.
EXERCISE_COLOURS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#332288",
    "#882255",
    "#999933",
    "#44AA99",
]
_COUNT_WORDS = {"reps": "repetitions", "seconds": "seconds"}


def _rows(table: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """The rows a chart ships: week, series name, value and what the tooltip says, loads in the runner's unit."""
    per = KG_PER_LB if unit == "mi" else 1.0
    out = pd.DataFrame(
        {
            "week": table["week"],
            "series": table["name"],
            "value": table["value"].where(table["measure"] != "volume_load", table["value"] / per).round(1),
            "sessions": table["sessions"],
            "sets": table["sets"],
            "top_load": (table["top_load_kg"] / per).round(1),
            "pain_max": table["pain_max"],
        }
    )
    counted = table["measure"] != "volume_load"
    out.loc[counted, "series"] = (
        table.loc[counted, "name"] + " (" + table.loc[counted, "measure"].map(_COUNT_WORDS) + ")"
    )
    return out.reset_index(drop=True)


def _lines(data: pd.DataFrame, weeks: pd.Series, y_title: str, value_title: str, unit: Unit) -> alt.Chart:
    names = list(dict.fromkeys(data["series"]))
    colours = (EXERCISE_COLOURS * (len(names) // len(EXERCISE_COLOURS) + 1))[: len(names)]
    tips = [
        WEEK_TIP,
        alt.Tooltip("series:N", title="Exercise"),
        alt.Tooltip("value:Q", title=value_title, format=",.0f"),
        alt.Tooltip("sessions:Q", title="Sessions"),
        alt.Tooltip("sets:Q", title="Sets"),
        alt.Tooltip("top_load:Q", title=f"Heaviest load ({mass_unit(unit)})"),
        alt.Tooltip("pain_max:Q", title="Most knee pain during it (0-10)"),
    ]
    chart = (
        alt.Chart(data)
        .transform_calculate(mid="toDate(datum.week) + 84 * 3600000")
        .mark_line(point=points(data.drop_duplicates("week")), clip=True, interpolate="linear")
        .encode(
            x=time_axis(weeks, "mid"),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=names, range=colours),
                legend=legend_of("stroke", columns=1, labelLimit=0),
            ),
            tooltip=tips,
        )
    )
    return finish(chart)


def volume_load(logs: pd.DataFrame, weeks: pd.Series, unit: Unit) -> Figure | None:
    """The weekly volume load of each exercise done with a load (lines, one per exercise); None when the weeks hold
    logged exercises but none with a load (:func:`counts` shows them).

    Args:
        logs: the logged exercises (``Store.frame("gym_exercise")``).
        weeks: the Mondays of the weeks shown (the shared time axis).
        unit: the runner's unit (km: kg, miles: lb).
    """
    title = f"Gym progression: volume load a week ({mass_unit(unit)})"
    table = _progression(logs, weeks)
    loaded = table[table["measure"] == "volume_load"]
    if table.empty:
        return Figure(
            title,
            None,
            "Log a gym session from your programme (Gym programme page), with the load you lifted, to see each "
            "exercise progress here.",
        )
    if loaded.empty:
        return None
    caption = (
        f"{programme.CITATION} Each week adds up its sessions, so it rises with the number of sessions as well as with "
        "the load (the tooltip gives both). A week done with body weight only has no point on its line, never a 0."
    )
    axis = f"{mass_unit(unit)} a week"
    chart = _lines(_rows(loaded, unit), weeks, axis, f"Volume load ({mass_unit(unit)})", unit)
    return Figure(title, chart, caption=caption)


def counts(logs: pd.DataFrame, weeks: pd.Series, unit: Unit) -> Figure | None:
    """The weekly repetitions (body-weight exercises) or seconds held (timed ones) of each exercise done without a
    load (lines, one per exercise; the legend says which it counts); None when there is none in the weeks."""
    free = _progression(logs, weeks)
    free = free[free["measure"] != "volume_load"]
    if free.empty:
        return None
    caption = (
        "Repetitions (sets × repetitions) or seconds held (sets × seconds) a week, both sides counted for an exercise "
        "done per side: no load, so no volume load in kilograms."
    )
    chart = _lines(_rows(free, unit), weeks, "Reps or s a week", "Repetitions or seconds", unit)
    return Figure("Gym progression: body-weight and timed exercises", chart, caption=caption)


def _progression(logs: pd.DataFrame, weeks: pd.Series) -> pd.DataFrame:
    if weeks.empty:
        return programme.progression(logs.iloc[:0])
    return programme.progression(logs, weeks.min().date(), weeks.max().date())
