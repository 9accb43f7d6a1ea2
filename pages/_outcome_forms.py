"""The outcome measures' Streamlit glue: their forms on "Log a session" and their section of the dashboard.

The forms are drawn and saved by :func:`pages._forms.entry_form` like every other entry (problems under their
fields, a message after saving, the form emptied for the next one): this module adds a ``_fields_``/``_data_`` pair
per kind to that module's tables when it is imported. Saved entries are listed under the form, where a tap on one
opens it to edit or delete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import streamlit as st

from kneelog.analysis.outcomes import QUALITIES, QUESTIONNAIRES, TEST_CITATION, TESTS
from kneelog.errors import EntryNotFound
from kneelog.limits import MAX_NOTES_CHARS
from kneelog.models import ENTRY_TYPES, Entry, Settings
from kneelog.views import outcome_charts
from kneelog.views.charts import Figure
from pages import _forms, _ui

#: The outcome measures a runner can log, in the order offered.
KINDS = {
    "weekly_pain": "Weekly pain (NPRS)",
    "questionnaire": "Questionnaire total",
    "function_test": "Functional test",
}
NPRS_HELP = "Numeric pain rating scale: 0 = no pain, 10 = worst pain imaginable, over the past 7 days."
LICENCE_HELP = (
    "Enter the total score your physio's form gave (0-100, higher is better). kneelog does not reproduce the "
    "questions of the AKPS or the KOOS-PF: their licences for reproduction in software are unclear."
)


def _note(prefix: str, entry: Entry | None) -> None:
    st.text_area(
        "Note (optional)",
        value=_forms._value(entry, "note", ""),
        key=f"{prefix}_note",
        height=68,
        max_chars=MAX_NOTES_CHARS,
    )


def _pain_input(label: str, prefix: str, field: str, entry: Entry | None, help: str) -> None:
    st.number_input(
        label, min_value=0, max_value=10, step=1, value=_forms._value(entry, field), key=f"{prefix}_{field}", help=help
    )
    _forms._error_under(prefix, field)


def _fields_weekly_pain(prefix: str, entry: Entry | None, settings: Settings) -> None:
    _forms._date_field(prefix, entry)
    left, right = st.columns(2)
    with left:
        _pain_input("Usual knee pain, past week (0-10)", prefix, "usual", entry, NPRS_HELP)
    with right:
        _pain_input("Worst knee pain, past week (0-10)", prefix, "worst", entry, NPRS_HELP)
    st.caption("Pain during running comes from the pain scores of your runs.")
    _forms._error_under(prefix, "entry")
    _note(prefix, entry)


def _fields_questionnaire(prefix: str, entry: Entry | None, settings: Settings) -> None:
    left, right = st.columns(2)
    with left:
        _forms._date_field(prefix, entry)
    with right:
        scales = list(QUESTIONNAIRES)
        st.radio(
            "Questionnaire",
            scales,
            index=scales.index(_forms._value(entry, "scale", scales[0])),
            format_func=lambda s: QUESTIONNAIRES[s].short,
            key=f"{prefix}_scale",
            horizontal=True,
        )
    st.number_input(
        "Total score (0-100)",
        value=_forms._value(entry, "score"),
        step=1.0,
        format="%.1f",
        key=f"{prefix}_score",
        help=LICENCE_HELP,
    )
    _forms._error_under(prefix, "score", "scale", "entry")
    st.caption(LICENCE_HELP)
    _note(prefix, entry)


def _fields_function_test(prefix: str, entry: Entry | None, settings: Settings) -> None:
    left, right = st.columns(2)
    with left:
        _forms._date_field(prefix, entry)
        tests = list(TESTS)
        st.radio(
            "Test",
            tests,
            index=tests.index(_forms._value(entry, "test", tests[0])),
            format_func=TESTS.get,
            key=f"{prefix}_test",
        )
    with right:
        sides = ["left", "right"]
        st.radio(
            "Knee",
            sides,
            index=sides.index(_forms._value(entry, "side", "left")),
            format_func=str.capitalize,
            key=f"{prefix}_side",
            horizontal=True,
        )
        _pain_input("Pain during the test (0-10)", prefix, "pain", entry, NPRS_HELP)
    st.segmented_control(
        "Quality of movement",
        QUALITIES,
        default=_forms._value(entry, "quality"),
        format_func=str.capitalize,
        key=f"{prefix}_quality",
        help=f"As your physio rated it. {TEST_CITATION}.",
    )
    _forms._error_under(prefix, "quality", "entry")
    _note(prefix, entry)


def _data(fields: tuple[str, ...]):
    def data(prefix: str, settings: Settings) -> dict[str, Any]:
        return {field: st.session_state[f"{prefix}_{field}"] for field in ("date", *fields, "note")}

    return data


# Registered with the shared entry forms, so entry_form draws and saves these kinds like any other.
_forms.FIELDS.update(
    weekly_pain=_fields_weekly_pain, questionnaire=_fields_questionnaire, function_test=_fields_function_test
)
_forms.DATA.update(
    weekly_pain=_data(("usual", "worst")),
    questionnaire=_data(("scale", "score")),
    function_test=_data(("test", "side", "pain", "quality")),
)
_forms.START.update(scale="akps", test="single_leg_squat", side="left", quality=None)


def _saved(kind: str) -> None:
    """The kind's saved entries, newest first; picking one opens it to edit or delete."""
    entries = _ui.frame(kind)
    if entries.empty:
        return
    table = outcome_charts.entries_table(kind, entries)
    st.markdown(f"**Saved ({len(table):,})**")
    st.dataframe(table, hide_index=True, width="stretch", height=min(300, 38 + 35 * len(table)))
    picked = st.selectbox(
        "Edit or delete one",
        [None, *table.index.tolist()],
        format_func=lambda i: "—" if i is None else outcome_charts.entry_choice(table.loc[i]),
        key=f"outcome_pick_{kind}",
    )
    if picked is None:
        return
    try:
        entry = _ui.get_store().get(kind, picked)
    except EntryNotFound:
        st.warning("This entry has been deleted (perhaps in another tab).", icon=":material/delete:")
        return
    _forms.entry_form(kind, prefix=f"edit_{kind}_{picked}", entry=entry)
    if st.button("Delete this entry", key=f"outcome_delete_{kind}_{picked}", icon=":material/delete:"):
        with contextlib.suppress(EntryNotFound):  # deleted meanwhile in another tab: the same outcome
            _ui.get_store().delete(kind, picked)
        _ui.flash(f"Deleted the {ENTRY_TYPES[kind].label} of {entry.date:%a %d %b %Y}.")
        st.session_state.pop(f"outcome_pick_{kind}", None)
        st.rerun()


def outcome_forms() -> None:
    """The outcome measures on "Log a session": a choice of measure, its form, and the ones saved."""
    kind = st.segmented_control(
        "Which outcome score?",
        list(KINDS),
        format_func=KINDS.get,
        default="weekly_pain",
        key="outcome_kind",
        required=True,
    )
    _forms.entry_form(kind, prefix=f"new_{kind}")
    _ui.show_flash()
    _saved(kind)


@st.cache_data(show_spinner=False, max_entries=16)
def _section(key: _ui.CacheKey, start: dt.date, end: dt.date) -> tuple[list[Figure], Any]:
    scores = _ui.get_store().outcome_scores()
    figures = [f.frozen() for f in outcome_charts.outcome_figures(scores, start, end)]
    return figures, outcome_charts.function_test_table(scores, start, end)


def dashboard_section(start: dt.date, end: dt.date, show: Any) -> None:
    """The dashboard's Outcomes section for the days from ``start`` to ``end``: a chart per scale (drawn by the
    page's ``show``), then the functional tests as a table."""
    store = _ui.get_store()
    figures, tests = _section(_ui.cache_key(store), start, end)
    st.caption(
        "Each score against its minimal important change (MIC): a score outside the grey band has changed by at "
        "least the MIC since the first score shown."
    )
    for figure in figures:
        show(figure)
    if not tests.empty:
        st.markdown("**Functional tests**")
        st.dataframe(tests, hide_index=True, width="stretch")
        st.caption(f"No minimal important change is published for these tests. {TEST_CITATION}.")
