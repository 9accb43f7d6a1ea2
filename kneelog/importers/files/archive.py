"""Uploads of activity files: a Strava bulk export, a Garmin Connect export, a zip of activity files, or one file.

What an upload is, is told by its content (:func:`kneelog.importers.files.detect.sniff`). In a zip:

- **Strava bulk export**: ``activities.csv`` (at the top, or in one folder) and ``activities/<id>.fit.gz|.gpx|...``.
  The CSV is read by the Strava importer and stays the record of each activity (its id, type, name, effort); the
  file its ``Filename`` column names adds heart rate, elapsed time and ascent, and a run's moving time where the CSV
  timed it by elapsed time. A file is never imported beside its row: a row left out by type or refused leaves its
  file unread. Files no row names are read on their own.
- **Garmin Connect export** (``DI_CONNECT/...``, with ``UploadedFiles_*.zip`` inside) and **any other zip**: every
  activity file, in nested zips too (:mod:`kneelog.importers.files.zips`).

A file that cannot be read is listed with its reason and the rest are read; the same activity twice in one upload
(the same start) is read once and the repeat listed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from typing import BinaryIO

import numpy as np
import pandas as pd

from kneelog import limits
from kneelog.errors import FileEmpty, FileRejected, FileTooLarge
from kneelog.importers import reading
from kneelog.importers.files.detect import FIT, GPX, MAX_FILE_BYTES, TCX, ZIP, read_file, sniff
from kneelog.importers.files.frame import (
    COLUMNS,
    EXTRA_COLUMNS,
    REJECTED_COLUMNS,
    FilesRead,
    activities_frame,
    empty_frame,
    empty_rejected,
    extras,
    rejected,
)
from kneelog.importers.files.summary import Activity
from kneelog.importers.files.zips import (
    Budget,
    Member,
    Progress,
    check,
    open_zip,
    read_member,
    shown,
    walk,
)
from kneelog.importers.kinds import RUN, kind_of_type
from kneelog.importers.values import Context

STRAVA_LABEL, GARMIN_LABEL, PLAIN_LABEL = "Strava bulk export", "Garmin Connect export", "zip of activity files"
FILE_LABELS = {FIT: "FIT file", GPX: "GPX file", TCX: "TCX file"}
#: A linked file whose start differs from its activities.csv row by more than this (seconds) is not the same
#: activity (Strava writes the file's own start as the row's date), and is not merged.
LINK_TOLERANCE_S = 60.0
_STRAVA_CSV = re.compile(r"^(?:[^/]+/)?activities\.csv$")  # Strava's name; Garmin's list is Activities.csv
_LINK = re.compile(r"^activities/[^/]+\.(?:fit|gpx|tcx)(?:\.gz)?$", re.IGNORECASE)
Line = tuple[str, int | None, str, str, str]


def read_upload(name: str, data: bytes | BinaryIO, ctx: Context, progress: Progress | None = None) -> FilesRead:
    """Read an upload that :func:`kneelog.importers.files.detect.sniff` finds to be a zip or an activity file.

    Args:
        name: the upload's file name, for messages.
        data: its bytes, or a binary file open for reading (a large archive from the command line).
        ctx: the runner's zone, today, and distance unit for a Strava CSV that needs one.
        progress: told the share read and the file being read.

    Raises:
        FileRejected: (a subclass of it) when the upload as a whole cannot be read: not an activity file, a damaged
            archive, an archive too large, a Strava activities.csv that is refused; or one file that cannot be read.
    """
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    if sniff(source.read(16)) == ZIP:
        source.seek(0)
        return read_archive(name, source, ctx, progress)
    source.seek(0)
    content = source.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(
            name, f"the file is larger than {MAX_FILE_BYTES // 2**20} MB", "Upload the activity file itself."
        )
    found = read_file(name, content)
    frame, refused, left_out = activities_frame(found, range(1, len(found) + 1), ctx)
    return FilesRead(name, FILE_LABELS[found[0].format], len(found), frame, left_out, refused)


def read_archive(name: str, source: BinaryIO, ctx: Context, progress: Progress | None = None) -> FilesRead:
    """Read a zip upload: a Strava bulk export, a Garmin Connect export, or a zip of activity files.

    Raises:
        FileMalformed: when the archive is damaged.
        FileTooLarge: when it lists too many entries or its activity files unpack to too much.
        FileEmpty: when it holds no activity file and no Strava activities.csv.
        FileRejected: when a Strava archive's activities.csv is refused (its message names the CSV).
    """
    with open_zip(name, source) as archive:
        budget = Budget(name)
        strava_csv = next((i for i in archive.infolist() if _STRAVA_CSV.match(shown(i.filename))), None)
        if strava_csv is not None:
            return _strava(name, archive, strava_csv, budget, ctx, progress)
        garmin = any(shown(i.filename).startswith("DI_CONNECT/") for i in archive.infolist())
        found: list[Activity] = []
        problems: list[Line] = []
        for member in walk(archive, budget, progress=progress):
            found += _activities(member, problems)
        if not found and not problems and any(shown(i.filename) == "[Content_Types].xml" for i in archive.infolist()):
            raise FileEmpty(  # an Excel workbook (Office Open XML) is a zip too, with this part list at its root
                name,
                "this is a spreadsheet workbook (Excel), not an export archive or a CSV file",
                "Save the sheet as CSV (File > Save As > CSV) and upload that.",
            )
        if not found and not problems:
            raise FileEmpty(
                name,
                "the archive holds no activity files (FIT, GPX or TCX) and no Strava activities.csv",
                "Upload your Strava or Garmin Connect export as downloaded, or a zip of .fit, .gpx or .tcx files.",
            )
        frame, refused, left_out = activities_frame(found, range(1, len(found) + 1), ctx)
        return _result(name, GARMIN_LABEL if garmin else PLAIN_LABEL, len(found), frame, left_out, [refused], problems)


def _activities(member: Member, problems: list[Line], row: int | None = None, after: str = "") -> list[Activity]:
    """The activities of one member, or none with its problem (and ``after``) added to ``problems``."""
    error = member.error
    if error is None and member.data is not None:
        try:
            return read_file(member.name, member.data)
        except FileRejected as e:
            error = e
    assert error is not None, "a member carries its bytes or its error"
    problems.append((error.file, row, "", "", f"{error.problem}. {error.fix}{after}"))
    return []


def _result(
    name: str,
    label: str,
    read: int,
    frame: pd.DataFrame,
    left_out: dict[str, int],
    refused: Sequence[pd.DataFrame],
    problems: list[Line],
) -> FilesRead:
    """The upload's frame without repeated activities, and every line refused, in one place."""
    frame, repeats = _drop_repeats(frame)
    lines = [f for f in (*refused, rejected(problems), repeats) if len(f)]
    every = pd.concat(lines, ignore_index=True) if lines else empty_rejected()
    return FilesRead(name, label, read, frame, left_out, every)


def _drop_repeats(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frame with each activity once, and the repeats as refused lines.

    Activities are the same when their ids are: a file's id is its start to the second, so the same recording in two
    files (twice in the archive, or as GPX beside TCX) is read once.
    """
    repeated = frame.duplicated("source_id")
    if not repeated.any():
        return frame, empty_rejected()
    first = frame[~repeated].reset_index().set_index("source_id")["member"]
    lines = [
        (
            row.member,
            row.Index,
            "",
            "",
            f"the same activity as {first[row.source_id]} (the same start, {row.source_id}); it is read once",
        )
        for row in frame[repeated].itertuples()
    ]
    return frame[~repeated], rejected(lines)


# -- Strava ---------------------------------------------------------------------------------------------------------


def _strava(
    name: str,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    budget: Budget,
    ctx: Context,
    progress: Progress | None,
) -> FilesRead:
    """activities.csv, merged with the activity file each of its rows names."""
    from kneelog import importers  # the package imports the platforms; read it when called, not when loaded

    csv_name = shown(info.filename)
    check(info, csv_name, limit=MAX_FILE_BYTES)
    budget.take(info.file_size)
    data = read_member(archive, info, csv_name)
    parsed = importers.parse(csv_name, data, timezone=ctx.timezone, units=ctx.units, today=ctx.today)
    root = csv_name[: -len("activities.csv")]
    links, last_row = _links(csv_name, data)
    by_file = {root + link: row for row, link in links.items()}
    kept = set(parsed.activities.index)
    linked: dict[int, Activity] = {}
    alone: list[Activity] = []
    problems: list[Line] = []
    skip = lambda member: member in by_file and by_file[member] not in kept  # noqa: E731 - a row not imported
    for member in walk(archive, budget, skip=skip, progress=progress):
        row = by_file.get(member.name)
        after = "" if row is None else " The activity is imported from activities.csv without this file."
        found = _activities(member, problems, row, after)
        if row is None:
            alone += found
        elif found:
            linked[row] = _pick(found, parsed.activities.loc[row, "kind"])
    frame = _merge(parsed.activities.assign(member=csv_name), linked, problems, ctx.timezone)
    extra, refused, left_out = activities_frame(alone, range(last_row + 1, last_row + 1 + len(alone)), ctx)
    csv_refused = parsed.rejected.assign(member=csv_name)[list(REJECTED_COLUMNS)]
    left = dict(Counter(parsed.left_out) + Counter(left_out))
    if len(extra):
        frame = pd.concat([frame, extra], verify_integrity=True) if len(frame) else extra
    return _result(name, STRAVA_LABEL, parsed.read + len(alone), frame, left, [csv_refused, refused], problems)


def _links(csv_name: str, data: bytes) -> tuple[dict[int, str], int]:
    """activities.csv row -> the activity file it names (``activities/123.fit.gz``), from its Filename column; and
    the CSV's last row.

    The column is found by its values, not its header, so every language of the export works.
    """
    text = reading.decode(csv_name, data)
    header = reading.header_of(text)
    table = reading.read_columns(text, header, list(range(len(header.cells))))
    best, hits = None, 0
    for position in table.data.columns:
        values = table.data[position].str.strip()
        matched = int(values.str.match(_LINK.pattern, case=False).sum())
        if matched > hits:
            best, hits = position, matched
    last = int(table.data.index.max())
    if best is None:
        return {}, last
    values = table.data[best].str.strip().str.replace("\\", "/", regex=False)
    return {int(row): link for row, link in values.items() if _LINK.match(link)}, last


def _pick(found: list[Activity], kind: str) -> Activity:
    """The activity of a file that is the row's: the first run of a multisport file for a run, else the first."""
    same = [a for a in found if kind_of_type(a.activity_type) == kind]
    return same[0] if same else found[0]


def _merge(csv: pd.DataFrame, linked: dict[int, Activity], problems: list[Line], timezone: str) -> pd.DataFrame:
    """activities.csv's rows with what each row's file adds: heart rate, elapsed time, ascent, a run's moving time.

    A run keeps the CSV's time unless it equals the file's elapsed time (to the second) and the file has a shorter
    moving time that keeps the run limits: then the moving time times it, as for every platform (Foster et al. 2001
    count the minutes of effort).
    """
    columns: dict[str, list] = {c: [] for c in EXTRA_COLUMNS}
    duration = csv["duration_s"].astype("float64").copy()
    for row in csv.index:
        activity = linked.get(row)
        if activity is not None and not _same_start(csv.at[row, "start"], activity, row, problems):
            activity = None
        values = extras(activity)
        values["member"] = values["member"] or csv.at[row, "member"]
        for column, value in values.items():
            columns[column].append(value)
        if activity is not None and csv.at[row, "kind"] == RUN:
            duration[row] = _moving(duration[row], activity, csv.at[row, "distance_m"])
    merged = csv.drop(columns="member").assign(duration_s=duration, **columns)
    return merged[list(COLUMNS)] if len(merged) else empty_frame(timezone)


def _same_start(start: pd.Timestamp, activity: Activity, row: int, problems: list[Line]) -> bool:
    if activity.start_utc is None or pd.isna(start):
        return True
    gap = abs((start.tz_convert("UTC") - pd.Timestamp(activity.start_utc)).total_seconds())
    if gap <= LINK_TOLERANCE_S:
        return True
    problems.append(
        (
            activity.member,
            row,
            "",
            "",
            f"starts at {activity.start_utc:%Y-%m-%d %H:%M} UTC, but row {row} of activities.csv names it for "
            f"{start.tz_convert('UTC'):%Y-%m-%d %H:%M} UTC; its heart rate is not used",
        )
    )
    return False


def _moving(seconds: float, activity: Activity, metres: float) -> float:
    elapsed, moving = activity.elapsed_s, activity.moving_s
    if elapsed is None or moving is None or not np.isfinite(seconds) or abs(seconds - elapsed) > 1:
        return seconds
    if 0 < moving < elapsed and not limits.too_fast(metres, moving):
        return moving
    return seconds
