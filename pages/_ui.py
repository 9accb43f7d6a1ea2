"""Streamlit glue shared by the pages: the store, cached reads keyed by the data version, messages.

Pages import this module; kneelog never does. Reads are cached with ``st.cache_data`` keyed by the database URL
and its ``data_version`` (bumped by every write), so a write shows at once and an unchanged database is not read
again on every rerun.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from kneelog import clock
from kneelog.errors import DatabaseError, EntryInvalid, WriteFailed
from kneelog.models import DEMO, FIELD_LABELS, Settings
from kneelog.store import Store, default_url
from kneelog.views.markdown import escape


def _leave_pages_directory_mode() -> None:
    """Make a direct link to a page work on a freshly started server.

    Because this folder is called ``pages/``, Streamlit starts in its legacy multipage mode and, until ``app.py``
    has run once in the process, a link such as ``/history`` runs that page alone: no navigation, no page config.
    ``st.navigation`` (in app.py) switches the mode off; a page that finds it still on switches it off and reruns,
    so app.py runs and opens the same page (both modes give a page the same URL path and hash).

    No public API says which mode is on, so this touches Streamlit's private class attribute
    ``streamlit.runtime.pages_manager.PagesManager.uses_pages_directory``, here and nowhere else. A Streamlit
    upgrade may rename or move it: tests/e2e/test_direct_links.py opens ``/history`` and ``/settings`` as the first
    request of a fresh server and fails if the page then shows without app.py's navigation and page config.
    """
    from streamlit.runtime.pages_manager import PagesManager  # no public API says which mode is on

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_pages_directory_mode()


@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> Store:
    return Store(url)


@contextlib.contextmanager
def _readable() -> Iterator[None]:
    """Turn a database that cannot be read (damaged, unreadable, full) into a message and the way out, then stop.

    app.py catches the same errors around every page; this catches them where pages read through this module, which
    also holds when a page runs outside app.py's navigation (a first direct link, and AppTest).
    """
    try:
        yield
    except (DatabaseError, WriteFailed) as problem:
        st.error(escape(problem), icon=":material/database:")
        st.page_link("pages/backup.py", label="Backup & restore: save what can still be read", icon=":material/backup:")
        st.stop()


def get_store() -> Store:
    """The store for the database in force (``KNEELOG_DATABASE_URL`` or ``data/kneelog.db``)."""
    return _store_for(default_url())


@st.cache_data(show_spinner=False, max_entries=64)
def _frame(url: str, version: int, kind: str) -> pd.DataFrame:
    return _store_for(url).frame(kind)


@st.cache_data(show_spinner=False, max_entries=8)
def _settings(url: str, version: int) -> Settings:
    return _store_for(url).settings()


def frame(kind: str) -> pd.DataFrame:
    """A cached copy of :meth:`Store.frame`, re-read only after a write. Do not mutate it."""
    store = get_store()
    with _readable():
        return _frame(store.url, store.data_version(), kind)


def settings() -> Settings:
    """The runner's settings, cached like :func:`frame`."""
    store = get_store()
    with _readable():
        return _settings(store.url, store.data_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _demo_entries(url: str, version: int) -> int:
    return _store_for(url).count_source(DEMO)


DEMO_REMOVED_KEY = "demo_removed"


def demo_banner() -> None:
    """While the demo athlete is loaded, say so (every page calls this under its title) and offer to remove it.

    Your own entries are stored beside the demo's and every table and chart counts both, so the banner says they mix
    until the demo is removed; the button deletes every demo entry (:meth:`Store.delete_source`) and nothing else.
    """
    removed = st.session_state.pop(DEMO_REMOVED_KEY, None)
    if removed is not None:
        st.success(
            f"Removed the demo athlete ({removed:,} demo entries). Your own entries are kept.",
            icon=":material/check_circle:",
        )
    store = get_store()
    with _readable():
        count = _demo_entries(store.url, store.data_version())
    if not count:
        return
    with st.container(border=True, key="demo_banner"):
        st.warning(
            f"**The demo athlete is loaded** ({count:,} made-up entries). Anything you log now is counted together "
            "with the demo's in every table and chart; remove the demo before logging your own.",
            icon=":material/science:",
        )
        if st.button("Remove the demo athlete", key="demo_banner_remove", icon=":material/delete:"):
            st.session_state[DEMO_REMOVED_KEY] = store.delete_source(DEMO)
            st.rerun()


def today() -> dt.date:
    """The runner's today, in the time zone of their settings (:func:`kneelog.clock.local_today`)."""
    return clock.local_today(settings().timezone)


FLASH_KEY = "flash_message"


def flash(message: str) -> None:
    """Leave a success message for the next run of a page (after ``st.rerun()``), shown once by :func:`show_flash`."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    """Show (once) the message :func:`flash` left, if any."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def show_invalid(error: EntryInvalid) -> None:
    """Show each problem of a rejected entry as its own line, named by the field the runner sees."""
    lines = "\n".join(f"- **{FIELD_LABELS.get(f, f)}**: {escape(reason)}" for f, reason in error.problems.items())
    st.error(f"Not saved — please fix:\n{lines}", icon=":material/error:")
