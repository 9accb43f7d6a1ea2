"""Backup & restore: download everything as one zip; bring a backup back after a look at what it holds."""

import streamlit as st

from kneelog.errors import BackupInvalid, RestoreRefused
from kneelog.store.backup import backup_filename, describe_counts, export_backup, read_backup, restore_backup
from pages import _ui

st.title("Backup & restore")
_ui.demo_banner()
_ui.show_flash()
store = _ui.get_store()
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
    st.error(str(e), icon=":material/error:")
    st.stop()

made = backup.manifest.created_at
st.info(
    f"This backup was made on {made:%d %b %Y at %H:%M} UTC by kneelog {backup.manifest.kneelog_version} and holds "
    f"{describe_counts(backup.counts)}.",
    icon=":material/inventory_2:",
)
replace = False
if any(held.values()):
    st.warning(
        f"kneelog now holds {describe_counts(held)}. Restoring replaces all of it, and your settings, with the "
        "backup. Download a backup of what is here first if you may want it back.",
        icon=":material/warning:",
    )
    replace = st.checkbox("Replace everything now in kneelog with this backup", key="backup_replace")
if st.button("Restore this backup", type="primary", disabled=any(held.values()) and not replace, key="backup_restore"):
    try:
        counts = restore_backup(store, backup, replace=replace)
    except (BackupInvalid, RestoreRefused) as e:
        st.error(str(e), icon=":material/error:")
        st.stop()
    _ui.flash(f"Restored {describe_counts(counts)}.")
    st.session_state["backup_upload_round"] = upload_round + 1  # a fresh, empty uploader
    st.rerun()
