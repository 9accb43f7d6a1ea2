"""kneelog: navigation only. Every page lives in pages/ and calls into the kneelog package."""

from pathlib import Path

import streamlit as st

from kneelog.errors import DatabaseError, WriteFailed
from kneelog.views.markdown import escape
from pages import _auth, _process  # noqa: F401 (_process: set once per server process on its first import)

#: The tab's icon, read from a file beside the app: a ":material/...:" page icon is fetched from fonts.gstatic.com.
PAGE_ICON = Path(__file__).parent / ".streamlit" / "page_icon.svg"

st.set_page_config(page_title="kneelog", page_icon=PAGE_ICON, layout="wide")

PAGES = {
    "Your knee": [
        st.Page("pages/home.py", title="Today", icon=":material/today:", default=True),
        st.Page("pages/stretches.py", title="Stretches", icon=":material/self_improvement:"),
        st.Page("pages/programme.py", title="Gym programme", icon=":material/fitness_center:"),
        st.Page("pages/log.py", title="Log a session", icon=":material/edit_note:"),
        st.Page("pages/history.py", title="History", icon=":material/history:"),
        st.Page("pages/dashboard.py", title="Dashboard", icon=":material/monitoring:"),
        st.Page("pages/report.py", title="Report", icon=":material/summarize:"),
    ],
    "Data": [
        st.Page("pages/import_data.py", title="Import", icon=":material/upload_file:"),
        st.Page("pages/backup.py", title="Backup & restore", icon=":material/backup:"),
    ],
    "Setup": [
        st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
    ],
}

# The sidebar: on a phone Streamlit closes it once a page is chosen (it tells a phone by its user agent). position="top"
# would fold these sections into three menus on a laptop, and falls back to this sidebar on a phone anyway.
# With an [auth] section in the secrets (clinic mode), pages/_auth.py chooses each visitor's pages; without, these.
page = st.navigation(_auth.navigation(PAGES), position="sidebar")
try:
    page.run()
except (DatabaseError, WriteFailed) as problem:  # a damaged, unreadable or full database: say so on every page
    st.error(escape(problem), icon=":material/database:")
    st.page_link("pages/backup.py", label="Backup & restore: save what can still be read", icon=":material/backup:")
