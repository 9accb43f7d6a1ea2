"""Report: the physio report for the last 4, 8 or 12 weeks or chosen dates, as a PDF and a web page to download."""

import datetime as dt

import streamlit as st

from kneelog import limits, report
from kneelog.report import source
from pages import _ui

PERIOD, DATES, NAME = "report_period", "report_dates", "report_name"
CHOOSE = "Dates"


@st.cache_data(show_spinner="Making your report…", max_entries=4)
def _made(
    key: _ui.CacheKey, today: dt.date, start: dt.date, end: dt.date, name: str
) -> tuple[report.Report, bytes, str]:
    frames = {kind: _ui.frame(kind) for kind in source.FRAME_KINDS}
    scores = _ui.get_store().outcome_scores()
    made = report.build(frames, _ui.settings(), start, end, today=today, name=name, scores=scores)
    return made, report.to_pdf(made), report.to_html(made)


st.title("Report for your physio")
_ui.demo_banner()
store = _ui.get_store()
today = _ui.today()
key = _ui.cache_key(store)
st.markdown(
    "Two pages for eight weeks: pain-monitoring status and pain trend, outcome scores against their minimal "
    "important change, load, how the stretch and gym plan went, flags and your notes. Print it or send it."
)

left, right = st.columns([3, 2], vertical_alignment="bottom")
period = left.segmented_control(
    "Period: the last …",
    [*report.WEEK_CHOICES, CHOOSE],
    default=report.DEFAULT_WEEKS,
    format_func=lambda choice: f"{choice} weeks" if isinstance(choice, int) else choice,
    key=PERIOD,
    required=True,
)
name = right.text_input("Name on the report", _ui.settings().athlete_name, max_chars=limits.MAX_NAME_CHARS, key=NAME)
frames = {kind: _ui.frame(kind) for kind in source.FRAME_KINDS}
weeks = period if isinstance(period, int) else report.DEFAULT_WEEKS
start, end = report.last_weeks(frames, today, weeks)
if period == CHOOSE:
    chosen = st.date_input("From and to", (start, end + dt.timedelta(days=6)), format="DD/MM/YYYY", key=DATES)
    if len(chosen) != 2:
        st.info("Choose the last day too.", icon=":material/date_range:")
        st.stop()
    start, end = chosen

made, pdf, html = _made(key, today, start, end, name.strip())
with st.container(horizontal=True):
    for label, data, kind, mime, icon in (
        ("Download the PDF", pdf, "pdf", "application/pdf", ":material/picture_as_pdf:"),
        ("Download as a web page", html, "html", "text/html", ":material/html:"),
    ):
        st.download_button(
            label,
            data,
            file_name=made.file_name(kind),
            mime=mime,
            type="primary" if kind == "pdf" else "secondary",
            icon=icon,
            key=f"report_{kind}",
        )
st.caption(f"{made.period}. The web page below is the same report; the PDF is laid out for A4.")
st.iframe(html, height=900)
