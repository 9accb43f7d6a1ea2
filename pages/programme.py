"""Gym programme: the runner's own strength exercises, in order, which the gym form lists to tick.

A page of its own, not a part of Stretches or Settings: the programme is edited often, on a phone between sets, and
the gym form and the dashboard's progression charts read it. The widgets are in pages/_gym_form.py.
"""

import streamlit as st

from kneelog.views.markdown import escape
from pages import _gym_form, _ui

st.title("Gym programme")
_ui.demo_banner()
settings = _ui.settings()
starters = _gym_form.starter_list_or_error()
if starters is not None:
    st.caption(escape(starters.source.summary))
    st.info(escape(starters.source.caveat), icon=":material/medical_services:")

exercises = _gym_form.programme()
st.subheader("Your programme")
if not exercises:
    st.caption("No exercises yet: add examples from the starter list below, or your own, then adjust them.")
_gym_form.programme_list(exercises, settings)
_ui.show_flash()

st.subheader("Add an exercise")
from_list, own = st.tabs(["From the starter list", "Your own"])
with from_list:
    if starters is not None:
        _gym_form.add_from_starter(starters)
with own:
    _gym_form.add_own(settings)
if starters is not None:
    st.caption(f"Source: {escape(starters.source.citation)}")
