"""Streamlit glue shared by the pages: the store, cached reads keyed by the data version, messages.

Pages import this module; kneelog never does. Reads are cached with ``st.cache_data`` keyed by :func:`cache_key`:
the database URL, the athlete whose log it is and that athlete's ``data_version`` (bumped by each of their writes),
so a write shows at once, an unchanged log is not read again on every rerun, and one athlete never gets another's
cached reads (the cache is shared by every session and user on the server).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

import pandas as pd
import streamlit as st

from kneelog import clock
from kneelog.errors import DatabaseError, EntryInvalid, WriteFailed
from kneelog.models import DEMO, FIELD_LABELS, Settings
from kneelog.store import Store, default_url
from kneelog.views.markdown import escape
from pages import _auth


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


def base_store() -> Store:
    """The store for the database in force (``KNEELOG_DATABASE_URL`` or ``data/kneelog.db``): the local athlete's."""
    return _store_for(default_url())


def get_store() -> Store:
    """The log this page shows: the local athlete's, or in clinic mode the signed-in athlete's own or the one a
    clinician has open, read-only (:func:`pages._auth.scoped`)."""
    return _auth.scoped(base_store())


class CacheKey(NamedTuple):
    """What every cached read of a log is keyed by: whose log, on which database, at which version."""

    url: str
    athlete_id: int
    version: int


def cache_key(store: Store) -> CacheKey:
    """The key of ``store``'s cached reads: pass it as the first argument of every ``st.cache_data`` function."""
    with _readable():
        return CacheKey(store.url, store.athlete_id, store.data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _frame(_store: Store, key: CacheKey, kind: str) -> pd.DataFrame:  # _store: not hashed (the key says whose it is)
    return _store.frame(kind)


@st.cache_data(show_spinner=False, max_entries=8)
def _settings(_store: Store, key: CacheKey) -> Settings:
    return _store.settings()


def frame(kind: str, key: CacheKey | None = None) -> pd.DataFrame:
    """A cached copy of :meth:`Store.frame`, re-read only after a write. Do not mutate it.

    ``key``: the :func:`cache_key` a page already has (one reading several frames looks the version up once).
    """
    store = get_store()
    with _readable():
        return _frame(store, key or cache_key(store), kind)


def settings(key: CacheKey | None = None) -> Settings:
    """The runner's settings, cached like :func:`frame` (``key`` as there)."""
    store = get_store()
    with _readable():
        return _settings(store, key or cache_key(store))


@st.cache_data(show_spinner=False, max_entries=8)
def _demo_entries(_store: Store, key: CacheKey) -> int:
    return _store.count_source(DEMO)


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
    if store.read_only:
        _auth.reading_banner()
    with _readable():
        count = _demo_entries(store, cache_key(store))
    if not count:
        return
    with st.container(border=True, key="demo_banner"):
        st.warning(
            f"**The demo athlete is loaded** ({count:,} made-up entries). "
            + (
                "They are counted with the athlete's own in every table and chart."
                if store.read_only
                else "Anything you log now is counted together with the demo's in every table and chart; remove the "
                "demo before logging your own."
            ),
            icon=":material/science:",
        )
        if not store.read_only and st.button(
            "Remove the demo athlete", key="demo_banner_remove", icon=":material/delete:"
        ):
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
