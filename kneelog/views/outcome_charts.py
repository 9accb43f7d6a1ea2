"""Outcome charts: each scale's scores over time, with the band of its minimal important change (MIC) marked.

One small chart per scale (:data:`kneelog.analysis.outcomes.SCALES`) that has a score in the period: the scores as
a line with a dot each, on the scale's whole range, and a grey band of plus or minus the MIC around the first score
(the same first score :func:`kneelog.analysis.outcomes.changes` measures from), edged with dashed lines, so a score
outside the band has changed by at least the MIC. One series per chart, in a dark colour with filled dots, and the
band grey with dashed edges: the chart reads the same printed in black and white (the physio report reuses the spec,
:func:`score_chart`). Functional tests are a table (:func:`function_test_table`): no MIC is published for them.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from kneelog.analysis import outcomes
from kneelog.views import chart_kit
from kneelog.views.chart_kit import COLOURS, Figure

#: Chart height: five small charts stack on a page.
HEIGHT = 140
#: The band's fill and its edges.
BAND_GREY = "#BBBBBB"
EDGE = "#555555"
#: A dark colour per kind of scale (both print as near-black): pain ratings, questionnaires.
SCALE_COLOURS = {"lower": COLOURS["pain"], "higher": COLOURS["ctl"]}

EMPTY = (
    "No outcome scores yet. Log a weekly pain rating, a questionnaire total (AKPS, KOOS-PF) or a functional test on "
    "Log a session, under Outcome scores."
)


def _day(value: dt.date) -> alt.DateTime:
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def score_chart(scores: pd.DataFrame, measure: str, start: dt.date, end: dt.date) -> alt.LayerChart | None:
    """The chart of one scale's scores from its first score for the period (:func:`~outcomes.changes`) to ``end``.

    Args:
        scores: the scores frame (:data:`kneelog.analysis.outcomes.SCORE_COLUMNS`).
        measure: a :data:`~kneelog.analysis.outcomes.SCALES` id.
        start: the first day of the period.
        end: the last day of the period.

    Returns:
        A layered Altair chart (band, its edges, line and dots), or None when the scale has no score on or before
        ``end``.
    """
    scale = outcomes.SCALES[measure]
    change = outcomes.changes(scores[scores["measure"] == measure], start, end)
    if change.empty:
        return None
    row = change.iloc[0]
    first_day, baseline = row["first_date"], row["first"]
    these = scores[
        (scores["measure"] == measure)
        & scores["value"].notna()
        & (scores["date"] >= pd.Timestamp(first_day))
        & (scores["date"] <= pd.Timestamp(end))
    ]
    data = pd.DataFrame({"date": these["date"].dt.strftime("%Y-%m-%d"), "value": these["value"].round(1)})
    low, high = max(scale.low, baseline - scale.mic), min(scale.high, baseline + scale.mic)
    band = pd.DataFrame({"low": [low], "high": [high], "what": [f"Within ±{scale.mic:g} (the MIC) of {baseline:g}"]})
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=[_day(min(first_day, start)), _day(end)]),
        axis=alt.Axis(format="%d %b %y", labelAngle=0, labelOverlap="greedy", labelFlush=True, tickCount=6),
    )
    y = alt.Y("value:Q", title=scale.unit.split(" ")[0], scale=alt.Scale(domain=[scale.low, scale.high], nice=False))
    colour = SCALE_COLOURS[scale.better]
    tip = [alt.Tooltip("date:T", title="Date", format="%d %b %Y"), alt.Tooltip("value:Q", title=scale.short)]
    with chart_kit.unchecked():
        area = (
            alt.Chart(band)
            .mark_rect(color=BAND_GREY, opacity=0.45)
            .encode(y=alt.Y("low:Q"), y2="high:Q", tooltip=[alt.Tooltip("what:N", title="Band")])
        )
        edges = [
            alt.Chart(band).mark_rule(color=EDGE, strokeDash=[4, 3]).encode(y=alt.Y(f"{edge}:Q"))
            for edge in ("low", "high")
        ]
        line = alt.Chart(data).mark_line(color=colour, strokeWidth=2).encode(x=x, y=y)
        dots = alt.Chart(data).mark_point(color=colour, filled=True, size=60, opacity=1).encode(x=x, y=y, tooltip=tip)
        chart = alt.LayerChart(layer=[area, *edges, line, dots])
    return chart_kit.finish(chart, height=HEIGHT)


def _caption(row: pd.Series) -> str:
    """``Higher is better. 62 on 01 Oct 2026 to 75 on 20 Nov 2026: +13, beyond the MIC of 10 (better). MIC ...``."""
    scale = outcomes.SCALES[row["measure"]]
    if pd.isna(row["change"]):
        told = f"One score so far: {row['first']:g} on {row['first_date']:%d %b %Y}."
    else:
        size = "beyond" if row["beyond_mic"] else "within"
        told = (
            f"{row['first']:g} on {row['first_date']:%d %b %Y} to {row['last']:g} on {row['last_date']:%d %b %Y}: "
            f"{row['change']:+g}, {size} the MIC of {scale.mic:g} ({row['direction']})."
        )
    return (
        f"{scale.better.capitalize()} is better. {told} Grey band: less than the minimal important change from the "
        f"first score. {scale.citation}."
    )


def outcome_figures(scores: pd.DataFrame, start: dt.date, end: dt.date) -> list[Figure]:
    """A figure per scale with a score on or before ``end`` (:func:`score_chart`), in :data:`~outcomes.SCALES` order,
    each captioned with its change against the MIC and the MIC's source; one empty figure when there is none."""
    figures = []
    for _, row in outcomes.changes(scores, start, end).iterrows():
        scale = outcomes.SCALES[row["measure"]]
        chart = score_chart(scores, scale.id, start, end)
        subtitle = scale.label[:1].upper() + scale.label[1:]
        figures.append(Figure(title=scale.short, chart=chart, caption=_caption(row), subtitle=subtitle))
    return figures or [Figure(title="Outcome scores", chart=None, empty=EMPTY)]


def function_test_table(scores: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The functional tests for the period as a table a physio reads: test, knee, first and last pain and quality."""
    rows = outcomes.function_test_changes(scores, start, end)

    def pain(values: pd.Series) -> pd.Series:
        return values.map(lambda v: "—" if pd.isna(v) else f"{v:g}").astype(object)

    return pd.DataFrame(
        {
            "Test": rows["label"],
            "Knee": rows["side"].str.capitalize(),
            "First": rows["first_date"],
            "Pain": pain(rows["first_pain"]),
            "Quality": rows["first_quality"].fillna("—"),
            "Latest": rows["last_date"],
            "Pain now": pain(rows["last_pain"]),
            "Quality now": rows["last_quality"].fillna("—"),
        }
    )


def _scale_short(measure: str) -> str:
    return outcomes.SCALES[measure].short if measure in outcomes.SCALES else measure


#: The columns of each kind's saved-entries table (:func:`entries_table`), by header.
_ENTRY_COLUMNS = {
    "weekly_pain": {"Usual": "usual", "Worst": "worst"},
    "questionnaire": {"Questionnaire": "scale", "Score": "score"},
    "function_test": {"Test": "test", "Knee": "side", "Pain": "pain", "Quality": "quality"},
}


def _shown(field: str, value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if field == "scale":
        return _scale_short(str(value))
    if field == "test":
        return outcomes.TESTS.get(str(value), str(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).capitalize() if field == "side" else str(value)


def entries_table(kind: str, entries: pd.DataFrame) -> pd.DataFrame:
    """A kind's saved outcome entries (``weekly_pain``, ``questionnaire``, ``function_test``; the frame of
    :meth:`Store.frame`), newest first, indexed by id, values as text ("—" where none), the note last."""
    frame = entries.sort_values(["date", "id"], ascending=False).set_index("id")
    out = pd.DataFrame({"Date": frame["date"].dt.date}, index=frame.index)
    for header, field in _ENTRY_COLUMNS[kind].items():
        out[header] = [_shown(field, v) for v in frame[field]]
    out["Note"] = frame["note"].fillna("").astype(object)
    return out


def entry_choice(row: pd.Series) -> str:
    """How a row of :func:`entries_table` reads in a list to pick from, without the note (free text):
    ``01 Nov 2026 · usual 3, worst 5``."""
    values = ", ".join(f"{k.lower()} {v}" for k, v in row.items() if k not in ("Date", "Note"))
    return f"{row['Date']:%d %b %Y} · {values}"
