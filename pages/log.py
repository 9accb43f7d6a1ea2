"""Log a session: a run, a gym session, a stretch session, the daily knee check-in, a race or an outcome score."""

import streamlit as st

from kneelog.errors import LibraryInvalid
from kneelog.stretches import load_library
from kneelog.views.markdown import escape
from pages import _forms, _outcome_forms, _ui

st.title("Log a session")
_ui.demo_banner()

KINDS = {
    "run": ":material/directions_run: Run",
    "checkin": ":material/favorite: Knee check-in",
    "gym": ":material/fitness_center: Gym",
    "stretch": ":material/self_improvement: Stretches",
    "race": ":material/flag: Race",
    "outcome": ":material/monitoring: Outcome scores",
}
kind = st.segmented_control(
    "What are you logging?",
    list(KINDS),
    format_func=KINDS.get,
    default="run",
    key="log_kind",
    width="stretch",
    required=True,  # tapping the chosen kind again keeps it (it would otherwise leave an empty page)
)
if kind == "stretch":  # one routine a day, as on the Stretches page (which explains each stretch)
    st.caption("One routine a day: saving again for the same date edits it; the boxes show what is already saved.")
    try:
        library = load_library()
    except LibraryInvalid as e:
        st.error(escape(e), icon=":material/error:")
        st.stop()
    with st.container(border=True):
        _forms.routine("log_routine", library)
elif kind == "outcome":  # weekly pain, questionnaire totals, functional tests, with the saved ones to edit
    _outcome_forms.outcome_forms()
    st.stop()
else:
    if kind == "race":
        st.caption("Races can be in the future: the gym plan eases off in race weeks.")
    _forms.entry_form(kind, prefix=f"new_{kind}")
_ui.show_flash()  # under the save button, where a phone's screen is after the tap
