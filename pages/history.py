"""History: every entry of a kind, newest first, with edit and delete (after a confirmation)."""

import datetime as dt

import streamlit as st

from kneelog.errors import EntryNotFound
from kneelog.models import DEMO, MANUAL
from kneelog.views.history import entry_label, history_table
from pages import _forms, _ui

st.title("History")
_ui.show_flash()

KINDS = {"run": "Runs", "checkin": "Knee check-ins", "gym": "Gym", "stretch": "Stretches", "race": "Races"}
kind = st.segmented_control("Show", list(KINDS), format_func=KINDS.get, default="run", key="hist_kind", width="stretch")
if kind is None:
    st.stop()

settings = _ui.settings()
entries = _ui.frame(kind)
if entries.empty:
    st.info(f"No {KINDS[kind].lower()} yet. Log one on **Log a session** or import your history on **Import**.")
    st.stop()

first, last = entries["date"].min().date(), max(entries["date"].max().date(), _ui.today())
picked = st.date_input(
    "Dates shown",
    value=(max(first, last - dt.timedelta(days=182)), last),
    key=f"hist_range_{kind}",
    format="YYYY-MM-DD",
)
start, end = (picked[0], picked[-1]) if picked else (first, last)
shown = entries[(entries["date"].dt.date >= start) & (entries["date"].dt.date <= end)]
table = history_table(kind, shown, settings.unit, _ui.frame("stretch_item") if kind == "stretch" else None)
st.caption(f"{len(table):,} of {len(entries):,} {KINDS[kind].lower()} ({start:%d %b %Y} to {end:%d %b %Y}).")
two_decimals = {c: st.column_config.NumberColumn(format="%.2f") for c in table.columns if c.startswith("Distance")}
st.dataframe(table, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(table)), column_config=two_decimals)

if table.empty:
    st.stop()
st.subheader("Edit or delete")
labels = {entry_id: entry_label(kind, row) for entry_id, row in table.iterrows()}
edited = st.session_state.pop(_forms.EDITED_KEY, None)
if edited is not None and edited[0] == kind and edited[1] in labels:  # stay on the entry just edited
    st.session_state[f"hist_pick_{kind}"] = edited[1]
entry_id = st.selectbox("Entry", list(labels), format_func=labels.get, key=f"hist_pick_{kind}")
try:
    entry = _ui.get_store().get(kind, entry_id)
except EntryNotFound as e:
    st.warning(str(e))
    st.stop()
if entry.source == DEMO:
    st.caption("This entry belongs to the demo athlete; Settings removes the whole demo in one go.")
elif entry.source != MANUAL:
    st.caption(f"This entry came from **{entry.source}**; your edits are kept if you import the same file again.")
_forms.entry_form(kind, prefix=f"edit_{kind}_{entry_id}", entry=entry)

confirm_key = f"confirm_delete_{kind}_{entry_id}"
if not st.session_state.get(confirm_key):
    st.button(
        "Delete this entry…",
        key=f"delete_{kind}_{entry_id}",
        on_click=st.session_state.__setitem__,
        args=(confirm_key, True),
    )
else:
    st.warning(f"Delete **{labels[entry_id]}** for good? This cannot be undone.", icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button("Yes, delete it", type="primary", key=f"delete_yes_{kind}_{entry_id}", width="stretch"):
        _ui.get_store().delete(kind, entry_id)
        _ui.flash(f"Deleted {labels[entry_id]}.")
        st.session_state.pop(confirm_key, None)
        st.rerun()
    if no.button("Cancel", key=f"delete_no_{kind}_{entry_id}", width="stretch"):
        st.session_state.pop(confirm_key, None)
        st.rerun()
