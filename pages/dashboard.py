"""Dashboard: week by week, how running, gym work and stretching relate to the knee, one section at a time."""

import datetime as dt

import streamlit as st

from kneelog.analysis import findings, weekly
from kneelog.stretches import load_library, routine_size
from kneelog.views import dashboard
from kneelog.views.charts import Figure
from kneelog.views.history import latest_entry_sentence
from kneelog.views.markdown import escape
from pages import _outcome_forms, _ui

RANGE, PRESET, SECTION, LAG = "dashboard_range", "dashboard_preset", "section", "dashboard_lag"
METHODS_OPEN = "dashboard_methods"  # whether the methods expander is open (its key)


@st.cache_resource(show_spinner=False, max_entries=2)  # shared, not copied on each run: nothing changes it
def _history(key: _ui.CacheKey, today: dt.date) -> dashboard.History:
    frames = {kind: _ui.frame(kind, key) for kind in (*weekly.KINDS, "gym_exercise")}  # gym_exercise: progression
    return dashboard.history(frames, _ui.settings(key), today=today, routine_sides=routine_size(load_library()))


@st.cache_data(show_spinner="Working out your weeks…", max_entries=32)
def _section(key: _ui.CacheKey, today: dt.date, name: str, start: dt.date, end: dt.date, lag: int) -> dashboard.Section:
    return dashboard.section(name, _history(key, today), start=start, end=end, lag=lag).frozen()


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
    if figure.notes:  # what a colour or symbol says, in words, without a hover (e.g. the limit a red week broke)
        _lazy_expander(
            figure.notes_title, f"notes_{figure.title}", "\n".join(f"- {escape(note)}" for note in figure.notes)
        )


def _lazy_expander(label: str, key: str, body: str) -> None:
    """An expander whose markdown ``body`` is sent only once it is opened (a tap reruns the page): long text in a
    closed expander still costs the browser its rendering, which slowed the dashboard's first view."""
    expander = st.expander(label, key=key, on_change="rerun")
    if expander.open:
        with expander:
            st.markdown(body)


def _summary(section: dashboard.Section) -> None:
    if section.summary:  # plain sentences, some naming a race: shown as the text they are
        st.markdown("\n".join(f"- {escape(line)}" for line in section.summary))


def _overview(section: dashboard.Section) -> None:
    st.subheader(section.heading)
    with st.container(horizontal=True, gap="medium"):  # plain text, not st.metric: no extra scripts on first view
        for metric in section.metrics:
            st.markdown(f"{metric.label}  \n**{metric.value}**", width=150)
    st.caption(" ".join(metric.meaning for metric in section.metrics if metric.meaning))
    _summary(section)


def _apply_preset(choices: dict[str, tuple[dt.date, dt.date]]) -> None:
    if st.session_state[PRESET] is not None:  # choosing the chosen preset again clears it: keep the range then
        st.session_state[RANGE] = choices[st.session_state[PRESET]]


def _relationships(section: dashboard.Section, all_weeks: tuple[dt.date, dt.date]) -> None:
    if section.too_short:
        st.info(section.too_short, icon=":material/date_range:")
        st.button(
            "Show all my weeks",
            key="dashboard_widen",
            icon=":material/unfold_more:",
            on_click=st.session_state.__setitem__,
            args=(RANGE, all_weeks),
        )
        return
    st.markdown("\n\n".join(section.findings))
    drawn = [figure for figure in section.scatters if figure.spec is not None]  # the findings say why one is not
    for row in range(0, len(drawn), 2):
        for column, figure in zip(st.columns(2), drawn[row : row + 2], strict=False):
            with column:
                _show(figure)
    with st.expander("Every factor at every lag"):
        st.dataframe(section.relationship_table, hide_index=True)


st.title("Dashboard")
_ui.demo_banner()
store = _ui.get_store()
today = _ui.today()
key = _ui.cache_key(store)
history = _history(key, today)
weeks, latest_day = history.weeks, history.latest
if not weeks:
    st.info(
        "Nothing logged yet. Log a run, a gym session, a stretch or today's knee check-in — or load the demo athlete "
        "on the Today page — and your weeks will appear here.",
        icon=":material/monitoring:",
    )
    st.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
    st.stop()

chosen = dashboard.kept_range(st.session_state.get(RANGE), weeks, latest_day)
if RANGE in st.session_state and st.session_state[RANGE] != chosen:  # its weeks are gone (entries deleted)
    st.session_state[RANGE] = chosen
if LAG in st.session_state:  # keep the lag while another section is shown (its widget is not drawn there)
    st.session_state[LAG] = st.session_state[LAG]
if len(weeks) > 1:
    choices = dashboard.presets(weeks, latest_day)
    st.session_state[PRESET] = dashboard.preset_of(chosen, choices)
    # closed, the popover's controls load no scripts: the first view draws sooner (bench/browser.py)
    with st.popover("Weeks shown", icon=":material/date_range:"):
        st.segmented_control(
            "The last …",
            options=list(choices),
            format_func=dashboard.preset_short,
            key=PRESET,
            on_change=_apply_preset,
            args=(choices,),
        )
        st.select_slider(
            "Or choose the weeks", options=weeks, value=chosen, format_func=lambda d: f"{d:%d %b %Y}", key=RANGE
        )
else:
    st.markdown(f"Your first week, from Monday {weeks[0]:%d %b %Y}. Trends appear as the weeks add up.")
start, end = st.session_state.get(RANGE, chosen)
stale = latest_entry_sentence(latest_day, today) if latest_day is not None else ""
shown = dashboard.range_words(start, end) if len(weeks) > 1 else ""  # the controls are out of sight in their popover
if shown or stale:
    st.caption(f"{shown} {stale}".strip())

tabs = st.tabs(list(dashboard.SECTIONS), key=SECTION, bind="query-params")
for name, tab in zip(dashboard.SECTIONS, tabs, strict=True):
    if not tab.open:
        continue  # only the chosen section runs and is sent to the browser
    with tab:
        if name == dashboard.OUTCOMES:  # the scores against their MIC, over the days of the weeks shown
            _outcome_forms.dashboard_section(start, end + dt.timedelta(days=6), _show)
            continue
        lag = 0
        if name == dashboard.RELATIONSHIPS:
            lag = st.selectbox("Compare knee pain", options=[0, 1, 2, 3], format_func=findings.when, key=LAG, width=320)
        section = _section(key, today, name, start, end, lag)
        if name == dashboard.OVERVIEW:
            _overview(section)
        elif name == dashboard.RELATIONSHIPS:
            _relationships(section, dashboard.presets(weeks, latest_day)[dashboard.ALL_WEEKS])
        else:
            _summary(section)
        if section.load_note:
            st.caption(section.load_note)
        for figure in section.figures.values():
            _show(figure)
        if not section.table.empty:
            with st.expander("The weekly table"):
                st.dataframe(section.table, hide_index=True)

methods = "\n\n".join(f"**{title}.** {text}" for title, text in findings.METHODS)
_lazy_expander("How these numbers are computed", METHODS_OPEN, methods)
# print: no controls, a chart per page. Markdown, whose scripts every page has already loaded: st.html would load
# two more (and DOMPurify) while the charts wait. The style is kneelog's own text, never a runner's.
st.markdown(dashboard.PRINT_STYLE, unsafe_allow_html=True)
