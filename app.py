"""kneelog: navigation only. Every page lives in pages/ and calls into the kneelog package."""

import streamlit as st

st.set_page_config(page_title="kneelog", page_icon=":material/directions_run:", layout="wide")

PAGES = {
    "Your knee": [
        st.Page("pages/home.py", title="Today", icon=":material/today:", default=True),
        st.Page("pages/log.py", title="Log a session", icon=":material/edit_note:"),
        st.Page("pages/history.py", title="History", icon=":material/history:"),
    ],
    "Setup": [
        st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
    ],
}

st.navigation(PAGES, position="sidebar").run()
