"""Dashboard: week by week, how running, gym work and stretching relate to the knee."""

import datetime as dt

import pandas as pd
import streamlit as st

from kneelog.analysis import findings, stats, weekly
from kneelog.stretches import load_library, routine_size
from kneelog.units import format_distance
from kneelog.views import dashboard
from kneelog.views.charts import Figure
from kneelog.views.history import latest_entry, latest_entry_sentence
from pages import _ui


@st.cache_data(show_spinner=False, max_entries=16)
def _weeks(url: str, version: int, today: dt.date) -> list[dt.date]:
    return dashboard.weeks_available({kind: _ui.frame(kind) for kind in weekly.KINDS}, today)


@st.cache_data(show_spinner="Working out your weeks…", max_entries=16)
def _dashboard(url: str, version: int, today: dt.date, start: dt.date, end: dt.date, lag: int) -> dashboard.Dashboard:
    frames = {kind: _ui.frame(kind) for kind in weekly.KINDS}
    sides = routine_size(load_library())
    return dashboard.build(
        frames, _ui.settings(), today=today, start=start, end=end, lag=lag, routine_sides=sides
    ).frozen()


def _show(figure: Figure) -> None:
    st.markdown(f"**{figure.title}**")
    if figure.subtitle:
        st.caption(figure.subtitle)
    if figure.spec is None:
        st.info(figure.empty, icon=":material/hourglass_empty:")
        return
    st.vega_lite_chart(spec=figure.spec, width="stretch")
    if figure.caption:
        st.caption(figure.caption)


st.title("Dashboard")
_ui.demo_banner()
store = _ui.get_store()
settings = _ui.settings()
today = _ui.today()
version = store.data_version()
weeks = _weeks(store.url, version, today)
if not weeks:
    st.info(
        "Nothing logged yet. Log a run, a gym session, a stretch or today's knee check-in — or load the demo athlete "
        "on the Today page — and your weeks will appear here.",
        icon=":material/monitoring:",
    )
    st.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
    st.stop()

latest_day = latest_entry({kind: _ui.frame(kind) for kind in weekly.KINDS})
left, right = st.columns([3, 1])
if len(weeks) > 1:
    start, end = left.select_slider(
        "Weeks shown",
        options=weeks,
        value=dashboard.default_range(weeks, latest=latest_day),
        format_func=lambda d: f"{d:%d %b %Y}",
        key="dashboard_range",
    )
else:
    start = end = weeks[0]
    left.markdown(f"Your first week, from Monday {start:%d %b %Y}. Trends appear as the weeks add up.")
if latest_day is not None and latest_entry_sentence(latest_day, today):
    left.caption(latest_entry_sentence(latest_day, today))
lag = right.selectbox("Compare knee pain", options=[0, 1, 2, 3], format_func=findings.when, key="dashboard_lag")
dash = _dashboard(store.url, version, today, start, end, lag)
latest = dash.weekly.iloc[-1]

st.subheader(f"Week of {latest['week']:%d %b}" + ("" if latest["complete"] else " (so far)"))
pain_now = "—" if pd.isna(latest["pain_mean"]) else f"{latest['pain_mean']:.1f} / 10"
with st.container(horizontal=True, gap="medium"):
    st.metric("Distance", format_distance(latest["distance_m"], settings.unit, 1), width=150)
    st.metric("Gym sessions", f"{latest['gym_sessions']} of {latest['gym_recommended']}", width=150)
    st.metric("Stretching", f"{latest['stretch_compliance']:.0%}", width=150, help="Stretch-sides done ÷ planned")
    st.metric("Knee pain", pain_now, width=150, help=f"Pain-monitoring model: {latest['pain_status']}")
st.markdown("\n".join(f"- {line}" for line in dash.summary))
if dash.load_note:
    st.caption(dash.load_note)

st.subheader("Training and knee pain", divider="gray")
_show(dash.figures["mileage"])
_show(dash.figures["status"])
_show(dash.figures["pain_during"])

st.subheader("Gym and stretching", divider="gray")
_show(dash.figures["gym"])
_show(dash.figures["stretch"])
_show(dash.figures["calendar"])

st.subheader("Load", divider="gray")
_show(dash.figures["change"])
_show(dash.figures["ratio"])
_show(dash.figures["fitness"])

st.subheader("What goes with knee pain", divider="gray")
complete = int(dash.weekly["complete"].sum())
if complete < stats.MIN_PAIRS and len(weeks) - 1 >= stats.MIN_PAIRS:  # the range is short, not the history
    st.info(
        f"This range is too short for these comparisons ({complete} complete week{'s' if complete != 1 else ''}); "
        "widen it to see them.",
        icon=":material/date_range:",
    )
    st.button(
        "Show all my weeks",
        key="dashboard_widen",
        on_click=st.session_state.__setitem__,
        args=("dashboard_range", (weeks[0], weeks[-1])),
    )
else:
    st.markdown("\n\n".join(dash.findings))
    for row in range(0, len(dash.scatters), 2):
        for column, figure in zip(st.columns(2), dash.scatters[row : row + 2], strict=False):
            with column:
                _show(figure)

with st.expander("Every factor at every lag"):
    st.dataframe(dash.relationship_table, hide_index=True)
with st.expander("The weekly table"):
    st.dataframe(dash.table, hide_index=True)
with st.expander("How these numbers are computed"):
    st.markdown("\n\n".join(f"**{title}.** {text}" for title, text in findings.METHODS))
