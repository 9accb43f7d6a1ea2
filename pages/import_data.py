"""Import: training history from Strava, Garmin Connect, TrainingPeaks, intervals.icu, Apple Health or any CSV,
whole Strava and Garmin Connect export archives, and FIT, GPX and TCX files.

Set-up, the uploader, one call to :func:`kneelog.importers.session.preview` (kept for the session until a file, a
choice or the log changes), each file's card with its choices (format, units, column mapping), the preview, and one
call to :func:`kneelog.importers.session.commit` behind the Import button. The helpers below only draw.
"""

import streamlit as st

from kneelog.errors import EntryInvalid, KneelogError, UnitsNeeded
from kneelog.importers import FORMATS
from kneelog.importers.files import FilesRead
from kneelog.importers.mapping import DATE_ORDERS, DECIMALS, DISTANCE_UNITS, DURATION_FORMS, ColumnMapping, suggest
from kneelog.importers.session import FileOutcome, Preview, Upload, commit, display, preview
from kneelog.models import parse_entry
from kneelog.views.markdown import escape
from pages import _ui

AUTO = "auto"
NONE = "(none)"
SHOWN = 1000
#: What the uploader takes: CSV exports, export archives, activity files and gzipped ones (``.fit.gz`` ends ``.gz``).
TYPES = ["csv", "txt", "tsv", "zip", "fit", "gpx", "tcx", "gz"]
EVERY_ROW_LABELS = {"run": "run", "gym": "gym session"}


def _choice(file_id: str, name: str, default=None):
    """The runner's choice for one file (format, units, mapping), kept in the session by its widget key."""
    return st.session_state.get(f"import_{name}_{file_id}", default)


def _file_card(file_id: str, outcome: FileOutcome) -> None:
    with st.container(border=True, key=f"import_file_{file_id}"):
        if isinstance(outcome.parsed, FilesRead):  # an archive or activity file: nothing to choose
            st.markdown(f"**{escape(outcome.name)}**: {outcome.parsed.summary()}")
            if outcome.parsed.rejected_rows:
                st.caption(":orange[Some files or activities were not read: see Rejected below.]")
            return
        if outcome.parsed is not None:
            st.markdown(f"**{escape(outcome.name)}**: {outcome.parsed.summary()}")
            st.caption(f"Read as {outcome.parsed.reading_notes()}.")
            for warning in outcome.parsed.warnings:  # e.g. lines in another encoding, decoded one by one
                st.warning(escape(warning) + ".", icon=":material/translate:")
            if outcome.parsed.rejected_rows:
                st.caption(f":orange[{outcome.parsed.rejected_rows:,} rows rejected: see Rejected below.]")
        else:
            st.markdown(f"**{escape(outcome.name)}**")
            if outcome.needs_mapping:
                st.info(escape(outcome.error), icon=":material/table_view:")
            elif isinstance(outcome.error, UnitsNeeded):
                st.warning(escape(outcome.error), icon=":material/straighten:")
            else:
                st.error(escape(outcome.error), icon=":material/error:")
        left, right = st.columns(2)
        left.selectbox(
            "Format",
            [AUTO, *FORMATS],
            format_func=lambda n: "Detect from the header" if n == AUTO else FORMATS[n].label,
            key=f"import_format_{file_id}",
        )
        if isinstance(outcome.error, UnitsNeeded) or _choice(file_id, "units"):
            right.segmented_control(
                "Distances in this file are in",
                ["km", "mi"],
                format_func={"km": "kilometres", "mi": "miles"}.get,
                key=f"import_units_{file_id}",
            )
        if outcome.needs_mapping or outcome.mapping is not None:
            _mapping_form(file_id, outcome)


def _mapping_form(file_id: str, outcome: FileOutcome) -> None:
    columns = list(outcome.header)
    saved = outcome.mapping.model_dump() if outcome.mapping else suggest(columns)

    def pick(label: str, field: str, options: list[str] | dict[str, str]) -> str:
        """A selectbox of column names, or of choices (a dict: value -> what the runner reads)."""
        values = list(options)
        index = values.index(saved[field]) if saved.get(field) in values else 0
        shown = options.get if isinstance(options, dict) else str
        return st.selectbox(label, values, index=index, format_func=shown, key=f"import_map_{field}_{file_id}")

    with st.form(key=f"import_mapform_{file_id}"):
        st.markdown("**Which column holds what?** kneelog remembers this for files with the same columns.")
        left, right = st.columns(2)
        optional = [NONE, *columns]
        with left:
            data = {
                "date": pick("Date (or date and time)", "date", columns),
                "time": pick("Time of day (if separate)", "time", optional),
                "distance": pick("Distance", "distance", optional),
                "duration": pick("Duration", "duration", columns),
                "activity_type": pick("Activity type", "activity_type", optional),
                "rpe": pick("Effort (RPE 1-10)", "rpe", optional),
                "name": pick("Name or notes", "name", optional),
            }
        with right:
            data["distance_unit"] = pick("Distance unit", "distance_unit", DISTANCE_UNITS)
            data["duration_unit"] = pick("Duration written as", "duration_unit", DURATION_FORMS)
            data["every_row"] = pick("Without a type column, every row is a", "every_row", EVERY_ROW_LABELS)
            data["date_order"] = pick("Date order", "date_order", DATE_ORDERS)
            data["decimal"] = pick("Decimal separator", "decimal", DECIMALS)
        if st.form_submit_button("Use this mapping", icon=":material/table_view:", key=f"import_mapsave_{file_id}"):
            try:
                mapping = parse_entry(ColumnMapping, {k: None if v == NONE else v for k, v in data.items()})
            except EntryInvalid as e:
                _ui.show_invalid(e)
            else:
                st.session_state[f"import_mapping_{file_id}"] = mapping
                st.rerun()


def _rows_tab(rows, empty: str, unit: str) -> None:
    if rows.empty:
        st.caption(empty)
        return
    st.dataframe(display(rows, unit, limit=SHOWN), hide_index=True, width="stretch")
    if len(rows) > SHOWN:
        st.caption(f"Showing the first {SHOWN:,} of {len(rows):,}, oldest first.")


def _preview(plan: Preview, unit: str) -> None:
    new, already, duplicates = plan.rows("new"), plan.rows("already"), plan.rows("duplicate")
    rejected, left_out = plan.rejected, plan.left_out
    st.subheader("Preview")
    with st.container(horizontal=True, gap="medium", key="import_counts"):
        for label, n in [
            ("To add", len(new)),
            ("Already there", len(already)),
            ("Possible duplicates", len(duplicates)),
            ("Left out", sum(left_out.values())),
            ("Rejected rows", plan.rejected_count),
        ]:
            st.metric(label, f"{n:,}", width="content")
    tabs = st.tabs(["To add", "Already there", "Duplicates", "Left out", "Rejected"])  # short: one row on a phone
    with tabs[0]:
        _rows_tab(new, "Nothing new to add.", unit)
    with tabs[1]:
        _rows_tab(already, "None of these activities is in your log yet.", unit)
    with tabs[2]:
        _rows_tab(duplicates, "No activity matches a session you logged by hand.", unit)
        if not duplicates.empty:
            st.caption("Each matches a run or gym session you logged by hand that day, so it is not added.")
    with tabs[3]:
        if left_out:
            st.dataframe([{"Type": k, "Activities": n} for k, n in left_out.items()], hide_index=True)
        st.caption("kneelog keeps runs and gym (strength) sessions; other activities are counted here, not imported.")
    with tabs[4]:
        if rejected.empty:
            st.caption("No row was rejected.")
        else:
            if rejected["member"].ne("").any():  # files inside an archive: the reason first, to read on a phone
                shown = rejected[["file", "member", "reason", "row", "column", "value"]]
            else:
                shown = rejected.drop(columns="member")
            names = {"member": "In the archive"}
            shown = shown.astype("string").fillna("")  # a whole file inside an archive has no row or column: blank
            st.dataframe(shown.rename(columns=lambda c: names.get(c, c.capitalize())), hide_index=True, width="stretch")
            st.caption(
                "Row 1 is a file's header. Fix these rows in the file and import it again to add them (a file inside "
                "an archive: export it again); what is already there is not added twice."
            )


st.title("Import")
_ui.demo_banner()
_ui.show_flash()
store = _ui.get_store()
unit = _ui.settings().unit
limit_mb = int(st.get_option("server.maxUploadSize"))
st.markdown(
    "Bring in your history from **Strava**, **Garmin Connect**, **TrainingPeaks**, **intervals.icu**, **Apple "
    "Health** (HealthExport) or any spreadsheet, or your watch's **FIT**, **GPX** and **TCX** files. You see "
    "everything before it is saved: runs and gym sessions are added, other activities are counted and left out, and "
    "importing the same file again adds nothing."
)
round_ = st.session_state.setdefault("import_round", 0)
files = st.file_uploader(
    "Export files, archives or activity files",
    type=TYPES,
    accept_multiple_files=True,
    key=f"import_files_{round_}",
    help=f"Up to {limit_mb} MB per file. Larger? Run `kneelog import FILE` on the command line: it has no limit.",
)
st.caption(
    "CSV exports, a Strava or Garmin Connect export archive as downloaded (.zip), and .fit, .gpx or .tcx files "
    f"(also .gz); several at once are fine. Up to {limit_mb} MB per file. A file over {limit_mb} MB is marked red "
    "above and not read: import a larger archive on the command line, which has no limit: "
    "`kneelog import export.zip`."
)
st.caption(
    "From an activity file kneelog keeps the totals and the heart rate, never the GPS track. A run's moving time "
    "(pauses left out) is used as its duration; the time from start to finish is kept beside it."
)
if not files:
    with st.expander("Where do I get my export?", icon=":material/help:"):
        st.markdown("\n".join(f"- **{fmt.label}**: {fmt.how_to_export}" for fmt in FORMATS.values()))
        st.markdown(
            "- **Garmin Connect account export**: Garmin's Data Management page > Export your data; upload the zip "
            "it mails you as it is (kneelog reads the FIT files inside).\n"
            "- **Your watch's files**: .fit, .gpx or .tcx files from the watch or its app, one or many."
        )
    st.stop()

uploads = [
    Upload(
        f.name,
        f.getvalue(),
        format=None if _choice(f.file_id, "format", AUTO) == AUTO else _choice(f.file_id, "format"),
        units=_choice(f.file_id, "units"),
        mapping=_choice(f.file_id, "mapping"),
    )
    for f in files
]
key = (store.data_version(), *((f.file_id, u.format, u.units, u.mapping) for f, u in zip(files, uploads, strict=True)))
if st.session_state.get("import_preview_key") != key:
    bar = st.progress(0.0, text="Reading…")
    plan = preview(
        store, uploads, max_bytes=limit_mb * 1024 * 1024, progress=lambda s, t: bar.progress(s, text=escape(t))
    )
    bar.empty()
    st.session_state["import_preview"], st.session_state["import_preview_key"] = plan, key
plan = st.session_state["import_preview"]

for f, outcome in zip(files, plan.files, strict=True):
    _file_card(f.file_id, outcome)
_preview(plan, unit)

duplicates = len(plan.rows("duplicate"))
add_duplicates = duplicates > 0 and st.checkbox(
    "Also add the possible duplicate (it is a different session)"
    if duplicates == 1
    else f"Also add the {duplicates:,} possible duplicates (they are different sessions)",
    key="import_duplicates",
)
if plan.demo_entries:
    st.info(
        f"The demo athlete's {plan.demo_entries:,} entries will be removed so they do not mix with yours.",
        icon=":material/info:",
    )
if plan.refused:
    st.warning(
        "Nothing is imported until every file can be read: answer its question or fix it (see above), or remove it "
        "from the list.",
        icon=":material/warning:",
    )
count = len(plan.rows("new")) + (duplicates if add_duplicates else 0)
if st.button(
    f"Import {count:,} {'activity' if count == 1 else 'activities'}" if count else "Nothing new to import",
    type="primary",
    disabled=bool(plan.refused) or count == 0,
    icon=":material/upload_file:",
    key="import_commit",
):
    bar = st.progress(0.0, text="Saving…")
    try:
        summary = commit(
            store, plan, add_duplicates=add_duplicates, progress=lambda s, t: bar.progress(s, text=escape(t))
        )
    except KneelogError as e:
        st.error(escape(e), icon=":material/error:")
        st.stop()
    _ui.flash(escape(" ".join(summary.lines(unit)[len(summary.files) + 1 :])))  # quotes activity types and cells
    st.session_state["import_round"] = round_ + 1  # a fresh, empty uploader
    st.session_state.pop("import_preview_key", None)
    st.rerun()
