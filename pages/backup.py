"""Backup & restore: download everything as one zip; bring a backup back after a look at what it holds."""

import datetime as dt

import streamlit as st

from kneelog.errors import BackupInvalid, DatabaseDamaged, RestoreRefused, WriteFailed
from kneelog.store import default_url
from kneelog.store.backup import (
    backup_filename,
    describe_counts,
    export_backup,
    read_backup,
    restore_backup,
    salvage_backup,
)
from kneelog.store.database import sqlite_path
from kneelog.views.markdown import escape
from pages import _auth, _ui

st.title("Backup & restore")
store = None
try:
    store = _ui.get_store()
    store.check()
except DatabaseDamaged as e:
    st.error(escape(e), icon=":material/error:")
    if store is None:  # not even whose log this is could be read
        st.stop()
    salvaged = salvage_backup(default_url(), athlete_id=store.athlete_id)  # your own rows only, in clinic mode too
    st.download_button(
        "Download what can still be read",
        data=salvaged.data,
        file_name=backup_filename(dt.date.today(), "salvage"),
        mime="application/zip",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
        key="backup_salvage",
    )
    st.caption(escape(salvaged.describe()))
    if _auth.enabled():  # the file holds every athlete's log: only whoever runs the server can replace it
        st.markdown("Then tell whoever runs this kneelog server that its database is damaged.")
        st.stop()
    st.markdown(
        f"Then, with kneelog stopped, move {escape(sqlite_path(default_url()))} aside (keep it: a data-recovery tool "
        "may get more out of it). kneelog starts a new, empty database in its place, and this page restores the "
        "download into it."
    )
    st.stop()
_ui.demo_banner()
_ui.show_flash()
held = store.counts()

st.subheader("Download a backup")
st.markdown(
    "Everything you have logged, and your settings, as one **.zip** of spreadsheet files (CSV), one per kind of "
    "entry. Keep a copy somewhere other than this computer; you or your physio can open the files in any spreadsheet."
)
st.download_button(
    "Download backup",
    data=lambda: export_backup(store),
    file_name=backup_filename(_ui.today()),
    mime="application/zip",
    on_click="ignore",
    type="primary",
    icon=":material/download:",
    key="backup_download",
)
st.caption(
    f"Holds {describe_counts(held)}. Text that a spreadsheet would run as a formula (starting with =, +, -, @) "
    "gets a leading apostrophe in the files; restoring takes it off again."
)

st.subheader("Restore a backup")
upload_round = st.session_state.setdefault("backup_upload_round", 0)
uploaded = st.file_uploader("A backup .zip made by kneelog", type=["zip"], key=f"backup_upload_{upload_round}")
if uploaded is None:
    st.stop()
try:
    backup = read_backup(uploaded.getvalue(), uploaded.name)
except BackupInvalid as e:
    st.error(escape(e), icon=":material/error:")
    st.stop()

made = backup.manifest.created_at
st.info(
    f"This backup was made on {made:%d %b %Y at %H:%M} UTC by kneelog {escape(backup.manifest.kneelog_version)} and "
    f"holds {describe_counts(backup.counts)}.",
    icon=":material/inventory_2:",
)
replace = empty_ok = False
if any(held.values()):
    st.warning(
        f"kneelog now holds {describe_counts(held)}. Restoring replaces all of it, and your settings, with the "
        "backup; what is here now is first saved to a safety copy beside the database.",
        icon=":material/warning:",
    )
    replace = st.checkbox("Replace everything now in kneelog with this backup", key="backup_replace")
    if backup.empty:
        st.warning("This backup holds no entries: restoring it leaves kneelog empty.", icon=":material/warning:")
        empty_ok = st.checkbox("Yes, leave kneelog with no entries", key="backup_confirm_empty")
blocked = any(held.values()) and not (replace and (empty_ok or not backup.empty))
if st.button("Restore this backup", type="primary", disabled=blocked, key="backup_restore"):
    try:
        restored = restore_backup(store, backup, replace=replace, empty_ok=empty_ok)
    except (BackupInvalid, RestoreRefused, WriteFailed) as e:
        st.error(escape(e), icon=":material/error:")
        st.stop()
    copy = restored.safety_copy
    _ui.flash(
        f"Restored {describe_counts(restored.counts)}."
        + (f" What was here before is saved in {escape(copy)}." if copy else "")
    )
    st.session_state["backup_upload_round"] = upload_round + 1  # a fresh, empty uploader
    st.rerun()
