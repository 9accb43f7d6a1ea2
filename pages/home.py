"""Today: the first visit's two questions, then the daily loop: check-in, stretches, gym plan and pain trend."""

import datetime as dt
import zoneinfo

import pandas as pd
import streamlit as st

from kneelog.analysis import weekly
from kneelog.demo import load_demo
from kneelog.errors import KneelogError
from kneelog.models import Settings, knee_words
from kneelog.stretches import load_library, routine_size
from kneelog.units import format_distance
from kneelog.views import today as today_view
from kneelog.views.markdown import escape
from pages import _forms, _ui


@st.cache_data(show_spinner=False, max_entries=16)
def _today(key: _ui.CacheKey, day: dt.date) -> today_view.Today:
    frames = {kind: _ui.frame(kind) for kind in (*weekly.KINDS, "stretch")}
    return today_view.build(frames, _ui.settings(), day, routine_sides=routine_size(load_library()))


def _before_you_start(store) -> None:
    """The first visit's two questions: unit and time zone, saved with one button."""
    st.subheader("Before you start")
    st.markdown("Two questions so distances and days are yours. You can change them later in Settings.")
    zones = sorted(zoneinfo.available_timezones())
    zone = today_view.first_zone(st.context.timezone, store.settings().timezone)
    with st.form("first_visit_form", border=True):
        unit = st.radio(
            "Distances in",
            ["km", "mi"],
            format_func={"km": "Kilometres", "mi": "Miles"}.get,
            horizontal=True,
            key="first_unit",
        )
        timezone = st.selectbox(
            "Your time zone",
            zones,
            index=zones.index(zone),
            key="first_timezone",
            help="Your day starts at midnight here: today's check-in and this week's totals follow it.",
        )
        if st.form_submit_button("Save and start", type="primary", key="first_save"):
            store.save_settings(Settings(unit=unit, timezone=timezone))
            _ui.flash("Saved: distances in " + ("kilometres" if unit == "km" else "miles") + f", time zone {timezone}.")
            st.rerun()


def _checkin_form() -> None:
    """Today's knee check-in, to fill in on the page."""
    st.caption("Ten seconds a day: how the knee felt, for you and your physio.")
    _forms.entry_form("checkin", prefix="today_checkin")


st.title("kneelog")
_ui.demo_banner()
st.caption("Your runs, strength work, stretches and knee pain in one place — for you and your physio.")

store = _ui.get_store()
_ui.show_flash()
empty = not any(store.counts().values())

if not store.has_settings():
    _before_you_start(store)
    if empty:
        st.stop()  # a first visit answers the two questions before anything else
    st.divider()  # data came first (an import, the command line): ask at the top, but show the runner's week

if empty:
    st.subheader("Welcome")
    st.markdown(
        "Start with today's knee check-in below, log today's run, do the five stretches for runner's knee, or "
        "import the history you already keep on Strava, Garmin Connect or another platform."
    )
    left, middle, right = st.columns(3)
    left.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
    middle.page_link("pages/import_data.py", label="Import a file", icon=":material/upload_file:")
    right.page_link("pages/stretches.py", label="Stretch routine", icon=":material/self_improvement:")
    st.subheader("Knee check-in")
    _checkin_form()
    st.divider()
    st.markdown(
        "**Just looking?** Load the demo athlete: a year of a made-up runner whose knee reacts to week-over-week "
        "jumps in distance and to skipped stretching. You can remove it later in Settings."
    )
    if st.button("Load the demo athlete", key="load_demo"):
        try:
            with st.spinner("Making a year of training…"):
                added = load_demo(store, end=_ui.today())
        except KneelogError as e:
            st.error(escape(e))
        else:
            _ui.flash(f"Loaded the demo athlete: {added:,} entries.")
            st.rerun()
    st.stop()

settings = _ui.settings()
day = _ui.today()
view = _today(_ui.cache_key(store), day)
week = view.week

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

st.subheader("Knee check-in")
if view.checkin is None:
    _checkin_form()
else:
    st.markdown(
        f"Done for today ({knee_words(view.checkin['knee'])}): {today_view.checkin_scores(view.checkin)}.",
    )
    st.page_link("pages/history.py", label="Change it in History", icon=":material/edit:")

st.subheader("Stretches and gym")
st.markdown(f"**Stretches:** {view.stretch_line}.  \n**Gym this week:** {escape(view.gym_line)}.")  # race names
st.page_link("pages/stretches.py", label="Today's stretch routine", icon=":material/self_improvement:")

st.subheader("Knee pain by week")
st.caption("Mean of the week's check-ins, 0 (none) to 10.")
trend = view.trend
with st.container(horizontal=True, gap="medium"):
    for row in trend.itertuples():
        label = f"{row.week:%d %b}" + (" (so far)" if row.so_far else "")
        value = "—" if pd.isna(row.pain_mean) else f"{row.pain_mean:.1f}"  # no check-in that week
        st.metric(label, value, width=110)

st.divider()
left, right = st.columns(2)
left.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
right.page_link("pages/history.py", label="History", icon=":material/history:")
