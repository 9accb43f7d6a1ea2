"""History: every entry of a kind, newest first, with edit and delete (after a confirmation)."""

import contextlib

import streamlit as st

from kneelog.errors import EntryNotFound
from kneelog.models import DEMO, ENTRY_TYPES, MANUAL
from kneelog.store.csvsafe import frame_csv
from kneelog.views.history import HEADER_HELP, default_dates, history_table, latest_entry_sentence, selected_entry
from kneelog.views.markdown import escape
from pages import _forms, _ui

st.title("History")
_ui.demo_banner()
_ui.show_flash()

KINDS = {"run": "Runs", "checkin": "Knee check-ins", "gym": "Gym", "stretch": "Stretches", "race": "Races"}
#: What the entries of each kind are called in a sentence ("28 of 75 gym sessions").
NOUNS = {
    "run": "runs",
    "checkin": "knee check-ins",
    "gym": "gym sessions",
    "stretch": "stretch sessions",
    "race": "races",
}
kind = st.segmented_control(  # required: tapping the chosen kind again keeps it, not an empty page
    "Show", list(KINDS), format_func=KINDS.get, default="run", key="hist_kind", width="stretch", required=True
)

settings = _ui.settings()
entries = _ui.frame(kind)
if entries.empty:
    st.info(f"No {NOUNS[kind]} yet. Log one on **Log a session** or import your history on **Import**.")
    st.stop()

first, latest = entries["date"].min().date(), entries["date"].max().date()
stale = latest_entry_sentence(latest, _ui.today())
if stale:
    st.caption(stale)
picked = st.date_input(
    "Dates shown",
    value=default_dates(first, latest, _ui.today()),
    key=f"hist_range_{kind}",
    format="YYYY-MM-DD",
)
start, end = (picked[0], picked[-1]) if picked else (first, max(latest, _ui.today()))
shown = entries[(entries["date"].dt.date >= start) & (entries["date"].dt.date <= end)]
table = history_table(kind, shown, settings.unit, _ui.frame("stretch_item") if kind == "stretch" else None)
st.caption(f"{len(table):,} of {len(entries):,} {NOUNS[kind]} ({start:%d %b %Y} to {end:%d %b %Y}).")

# A table row is picked by its position, but an entry is known by its id: ROWS_KEY remembers the ids in the order
# the table was last drawn, so a tap (st.session_state[TABLE_KEY] = {"selection": {"rows": [n]}}) names an entry, and
# the selection is moved to that entry's new row before the table is drawn again (after an edit moved it, or a
# change of dates), or cleared when it is no longer shown.
TABLE_KEY, ROWS_KEY = f"hist_table_{kind}", f"hist_rows_{kind}"
ids = table.index.tolist()
state = st.session_state.get(TABLE_KEY)
entry_id = selected_entry(state["selection"]["rows"] if state else [], st.session_state.get(ROWS_KEY, ids))
edited = st.session_state.pop(_forms.EDITED_KEY, None)
if edited is not None and edited[0] == kind:  # stay on the entry just edited
    entry_id = edited[1]
if entry_id is not None and entry_id not in entries["id"].to_numpy():
    st.warning("The entry you had open has been deleted (perhaps in another tab).", icon=":material/delete:")
if entry_id not in ids:
    entry_id = None
st.session_state[TABLE_KEY] = {"selection": {"rows": [] if entry_id is None else [ids.index(entry_id)], "columns": []}}
st.session_state[ROWS_KEY] = ids

if not table.empty:
    st.markdown("**Tap the box at the start of a row to edit or delete it.**")
columns = {c: st.column_config.Column(help=HEADER_HELP[c]) for c in table.columns if c in HEADER_HELP}
columns |= {c: st.column_config.NumberColumn(format="%.2f") for c in table.columns if c.startswith("Distance")}
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=min(420, 38 + 35 * len(table)),
    column_config=columns,
    on_select="rerun",
    selection_mode="single-row",
    key=TABLE_KEY,
)
if not table.empty:  # the table's own CSV export is off (.streamlit/config.toml): it would write notes as formulas
    st.download_button(
        "Download as CSV",
        data=lambda: frame_csv(table),
        file_name=f"kneelog-{kind}-{start}-to-{end}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        help="Text a spreadsheet would run as a formula (starting with =, +, -, @) gets a leading apostrophe.",
        key=f"hist_csv_{kind}",
    )
if entry_id is None:
    st.stop()

try:
    entry = _ui.get_store().get(kind, entry_id)
except EntryNotFound:
    st.warning("This entry has been deleted (perhaps in another tab), so there is nothing to edit.")
    st.stop()
label = f"{ENTRY_TYPES[kind].label} of {entry.date:%a %d %b %Y}"  # no free text: it would be read as Markdown
st.subheader(f"Edit or delete the {label}")
if entry.source == DEMO:
    st.caption("This entry belongs to the demo athlete; Settings removes the whole demo in one go.")
elif entry.source != MANUAL:
    st.caption(
        f"This entry came from **{escape(entry.source)}**; your edits are kept if you import the same file again."
    )
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
    st.warning(f"Delete the **{label}** for good? This cannot be undone.", icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button("Yes, delete it", type="primary", key=f"delete_yes_{kind}_{entry_id}", width="stretch"):
        with contextlib.suppress(EntryNotFound):  # deleted meanwhile in another tab: the same outcome
            _ui.get_store().delete(kind, entry_id)
        _ui.flash(f"Deleted the {label}.")
        st.session_state.pop(confirm_key, None)
        st.session_state[ROWS_KEY] = []  # the selected row no longer names an entry
        st.rerun()
    if no.button("Cancel", key=f"delete_no_{kind}_{entry_id}", width="stretch"):
        st.session_state.pop(confirm_key, None)
        st.rerun()
