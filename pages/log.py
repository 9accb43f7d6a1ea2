"""Log a session: a run, a gym session, a stretch session, the daily knee check-in or a race."""

import streamlit as st

from pages import _forms, _ui

st.title("Log a session")
_ui.demo_banner()
_ui.show_flash()

KINDS = {
    "run": ":material/directions_run: Run",
    "checkin": ":material/favorite: Knee check-in",
    "gym": ":material/fitness_center: Gym",
    "stretch": ":material/self_improvement: Stretches",
    "race": ":material/flag: Race",
}
kind = st.segmented_control(
    "What are you logging?", list(KINDS), format_func=KINDS.get, default="run", key="log_kind", width="stretch"
)
if kind is None:
    st.info("Pick what you want to log.")
    st.stop()
if kind == "stretch":
    st.caption("Doing the whole routine? The Stretches page has a ready checklist of every stretch and side.")
if kind == "race":
    st.caption("Races can be in the future: the gym plan eases off in race weeks.")
_forms.entry_form(kind, prefix=f"new_{kind}")
