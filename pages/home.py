"""Today: this week at a glance, the daily check-in reminder, and the demo athlete for a first look."""

import pandas as pd
import streamlit as st

from kneelog.demo import load_demo
from kneelog.errors import KneelogError
from kneelog.models import KneeCheckin
from kneelog.units import format_distance
from kneelog.views.today import week_so_far
from pages import _ui

st.title("kneelog")
st.caption("Your runs, strength work, stretches and knee pain in one place — for you and your physio.")

store = _ui.get_store()
_ui.show_flash()

if not any(store.counts().values()):
    st.subheader("Welcome")
    st.markdown(
        "Start by logging today's run or knee check-in, do the five stretches for runner's knee, or import the "
        "history you already keep on Strava, Garmin Connect or another platform."
    )
    left, middle, right = st.columns(3)
    left.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
    middle.page_link("pages/stretches.py", label="Stretch routine", icon=":material/self_improvement:")
    right.page_link("pages/import_data.py", label="Import a file", icon=":material/upload_file:")
    st.divider()
    st.markdown(
        "**Just looking?** Load the demo athlete: a year of a made-up runner whose knee reacts to week-over-week "
        "jumps in distance and to skipped stretching. You can remove it later in Settings."
    )
    if st.button("Load the demo athlete", key="load_demo", type="primary"):
        try:
            with st.spinner("Making a year of training…"):
                added = load_demo(store, end=_ui.today())
        except KneelogError as e:
            st.error(str(e))
        else:
            _ui.flash(f"Loaded the demo athlete: {added:,} entries.")
            st.rerun()
    st.stop()

settings = _ui.settings()
today = _ui.today()
week = week_so_far(_ui.frame("run"), _ui.frame("gym"), _ui.frame("stretch"), _ui.frame("checkin"), today)

if not week.checked_in_today:
    st.info("You haven't done today's knee check-in yet — it takes ten seconds.", icon=":material/favorite:")
    st.page_link("pages/log.py", label="Do the check-in", icon=":material/arrow_forward:")

st.subheader(f"This week (since Monday {week.monday:%d %b})")
with st.container(horizontal=True, gap="medium"):  # two by two on a phone, one row on a laptop
    st.metric("Distance", format_distance(week.distance_m, settings.unit, 1), width=150)
    st.metric("Runs", week.runs, width=150)
    st.metric(
        "Gym sessions",
        week.gym_sessions,
        width=150,
        help="The plan is one to three a week, fewer in big or race weeks.",
    )
    st.metric("Stretch days", f"{week.stretch_days} / {settings.routines_per_week}", width=150)

if week.latest_checkin is not None:
    latest = week.latest_checkin
    scores = [
        f"{question.lower()} **{int(latest[field])}**/10"
        for field, question in KneeCheckin.MOMENTS.items()
        if not pd.isna(latest[field])
    ]
    st.markdown(f"Last check-in ({latest['date']:%a %d %b}, {latest['knee']} knee): " + ", ".join(scores) + ".")

st.divider()
left, middle, right = st.columns(3)
left.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
middle.page_link("pages/stretches.py", label="Today's stretch routine", icon=":material/self_improvement:")
right.page_link("pages/history.py", label="History", icon=":material/history:")
