"""Athletes (clinic mode): a clinician's list of the athletes who share their log, a code to redeem, one opened."""

import datetime as dt

import pandas as pd
import streamlit as st

from kneelog import clock
from kneelog.analysis import clinic, weekly
from kneelog.errors import EntryInvalid, InvalidCode, NotShared
from kneelog.store.accounts import MAX_NOTE_CHARS, Accounts
from kneelog.stretches import load_library, routine_size
from kneelog.views.markdown import escape
from pages import _auth, _ui

OPEN = "clinic_open"


@st.cache_data(show_spinner=False, max_entries=2048)
def _row(_accounts: Accounts, _clinician_id: int, key: _ui.CacheKey, name: str, today: dt.date) -> dict:
    """One athlete's row of the list, worked out once per version of their log (and day): a list of many athletes
    reads and computes only the logs written since. The key names the athlete; the caller got it from the shares of
    the signed-in clinician (:meth:`Accounts.shared_versions`), and a miss checks the share again."""
    reader = _accounts.reader(_clinician_id, key.athlete_id)
    log = clinic.AthleteLog(name, {kind: reader.frame(kind) for kind in weekly.KINDS}, reader.settings())
    return clinic.athlete_row(key.athlete_id, log, today, routine_sides=routine_size(load_library()))


@st.cache_data(show_spinner="Reading your athletes' logs…", max_entries=64)
def _list(
    _accounts: Accounts, _clinician_id: int, url: str, logs: tuple[tuple[int, int, str], ...], today: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The list (its rows, and the table shown) for these (athlete id, version, name) logs: one cached read while
    none of them changes, and only the rows of the logs written since when one does."""
    rows = clinic.sorted_rows(
        _row(_accounts, _clinician_id, _ui.CacheKey(url, i, v), name, today) for i, v, name in logs
    )
    return rows, clinic.display_table(rows)


st.title("Your athletes")
me = _auth.signed_in_as("clinician")
accounts = _auth.accounts()
_ui.show_flash()
for athlete in accounts.accept_invites(me):  # e-mail invites to this clinician's address become shares
    st.success(f"{escape(_auth.display_name(athlete))} shares their log with you.", icon=":material/group_add:")

athletes = {athlete.id: athlete for athlete in accounts.athletes_of(me.id)}
today = _ui.today()
if athletes:
    versions = accounts.shared_versions(me.id)  # a share revoked between the two reads is left out
    logs = tuple((i, versions[i], _auth.display_name(athletes[i])) for i in athletes if i in versions)
    rows, table = _list(accounts, me.id, _ui.base_store().url, logs, today)
    st.dataframe(table, hide_index=True, width="stretch", key="clinic_list")
    st.caption(escape(clinic.METHODS))
else:
    st.info("No athlete shares their log with you yet. Ask them for a code, or to invite your e-mail address.")

st.subheader("Add an athlete")
with st.form("clinic_redeem", border=True, clear_on_submit=True):
    code = st.text_input("A code an athlete gave you", key="clinic_code", placeholder="K7QM-2XPD", max_chars=20)
    if st.form_submit_button("Add the athlete", icon=":material/person_add:", key="clinic_redeem_submit"):
        try:
            added = accounts.redeem(me.id, code)
            _ui.flash(f"{escape(_auth.display_name(added))} now shares their log with you.")
            st.rerun()
        except InvalidCode as problem:
            st.error(escape(problem), icon=":material/key_off:")

if not athletes:
    st.stop()

st.subheader("Open an athlete")
viewing = st.session_state.get(_auth.VIEWING)
chosen = st.selectbox(
    "Athlete",
    list(rows["athlete_id"]),
    index=list(rows["athlete_id"]).index(viewing) if viewing in athletes else None,
    format_func=lambda athlete_id: _auth.display_name(athletes[athlete_id]),
    placeholder="Choose an athlete",
    key=OPEN,
)
if chosen != viewing:
    st.session_state[_auth.VIEWING] = chosen
    st.rerun()  # app.py adds their dashboard and report to the navigation
if chosen is None:
    st.stop()
_auth.reading_banner(back=False)
with st.container(horizontal=True):
    st.page_link("pages/dashboard.py", label="Their dashboard", icon=":material/monitoring:")
    st.page_link("pages/report.py", label="Their report", icon=":material/summarize:")

with st.form("clinic_note", border=True, clear_on_submit=True):
    st.markdown("**A note on a week**, which the athlete reads on their Account page")
    week = st.date_input("Week of", clock.monday(today), format="DD/MM/YYYY", key="clinic_note_week")
    text = st.text_area("Note", key="clinic_note_text", max_chars=MAX_NOTE_CHARS)
    if st.form_submit_button("Save the note", icon=":material/note_add:", key="clinic_note_save"):
        try:
            accounts.add_note(me.id, chosen, week, text)
            _ui.flash(f"Note saved on the week of {clock.monday(week):%d %b %Y}.")
            st.rerun()
        except EntryInvalid as problem:
            _ui.show_invalid(problem)
        except NotShared as problem:
            st.error(escape(problem), icon=":material/lock:")
_auth.show_notes([note for note in accounts.notes_for(chosen) if note.clinician_id == me.id], by=False)
