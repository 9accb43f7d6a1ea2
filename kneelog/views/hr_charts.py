"""The dashboard's heart-rate load chart: each week's TRIMP of the runs recorded with heart rate and logged without an
effort rating (:mod:`kneelog.analysis.hrload`), on its own axis, never added to effort × minutes. Built like every
chart, from the parts in :mod:`kneelog.views.chart_kit`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kneelog.analysis import hrload
from kneelog.views.chart_kit import WEEK_TIP, Figure, finish, shared, time_axis, week_rows, weekly_base

TITLE = "Heart-rate load (TRIMP) of runs without an effort rating"
#: The bars' colour: Tol's teal, a colour-blind-safe hue no other quantity uses (effort × minutes is orange).
HR_COLOUR = "#44AA99"


def in_range(weeks: pd.DataFrame, trimp: pd.DataFrame) -> pd.DataFrame:
    """The weeks shown (``weeks``' ``week``) with their heart-rate load from ``trimp`` (a frame of
    :func:`kneelog.analysis.hrload.weekly_trimp`; a week it lacks has none)."""
    out = weeks[["week"]].merge(trimp, on="week", how="left")
    return out.fillna({"trimp_runs": 0, "trimp_minutes": 0.0}).astype({"trimp_runs": "int64"})


def hr_load(weekly: pd.DataFrame, scale: hrload.Scale) -> Figure | None:
    """Each week's heart-rate load (:func:`kneelog.analysis.hrload.weekly_trimp`) as bars, its scale named on the axis
    and its source in the caption.

    Args:
        weekly: the weeks shown with ``week`` and :data:`kneelog.analysis.hrload.WEEKLY_COLUMNS` (:func:`in_range`).
        scale: the TRIMP and heart rates in use.

    Returns:
        None when no week shown has a run with heart-rate samples and no effort rating (nothing to show, so the page
        shows nothing new); a figure without a chart, saying what to set, while the scale lacks a heart rate.
    """
    if weekly.empty or weekly["trimp_runs"].sum() == 0:
        return None
    runs = int(weekly["trimp_runs"].sum())
    if scale.missing:
        return Figure(
            TITLE,
            None,
            f"{runs} run{'s' if runs != 1 else ''} in these weeks {'have' if runs != 1 else 'has'} heart-rate samples "
            f"and no effort rating. To see {scale.name} of them, set your {scale.missing} in Settings.",
        )
    data = week_rows(weekly, hrload.WEEKLY_COLUMNS)
    y_title = "TRIMP (Edwards)" if scale.weighting == "edwards" else "TRIMP (Banister)"
    tips = [
        WEEK_TIP,
        alt.Tooltip("trimp:Q", title=f"Heart-rate load ({scale.name})", format=".0f"),
        alt.Tooltip("trimp_runs:Q", title="Runs with heart rate, no effort rating"),
        alt.Tooltip("trimp_minutes:Q", title="Their minutes", format=".0f"),
    ]
    bars = (
        weekly_base()
        .transform_filter("datum.trimp_runs > 0")
        .mark_bar(clip=True, color=HR_COLOUR)
        .encode(x=time_axis(weekly["week"]), x2="week_end:T", y=alt.Y("trimp:Q", title=y_title), y2=alt.datum(0))
    )
    caption = (
        f"Scale: {scale.source}; {scale.heart_rates}. Only runs with heart-rate samples and no effort rating "
        f"({runs} in these weeks) are counted; a run you rated keeps its effort × minutes load and has none here. "
        "TRIMP is its own scale: it is never added to effort × minutes, and these runs stay in the charts above "
        "with their estimated effort."
    )
    return Figure(TITLE, finish(shared(bars, data=data, tooltip=tips)), caption=caption)
