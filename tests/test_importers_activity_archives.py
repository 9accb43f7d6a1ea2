"""Export archives: Strava's bulk export merged with its files, Garmin's zip of zips, plain zips, and zip safety.

The archives are built here in memory from the real files in tests/data/devices (expected values in its
manifest.toml) and the real Strava header in tests/data/samples; nothing is extracted to disk.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from kneelog.errors import FileEmpty, FileMalformed, FileTooLarge
from kneelog.importers import files
from kneelog.importers.files import zips
from tests.device_fixtures import (
    DAMAGED,
    FORERUNNER,
    GARMIN_TCX,
    NO_DATE,
    STRAVA_GPX,
    TOMTOM_GPX,
    TOMTOM_TCX,
    TRIATHLON,
    content,
    data,
    expected,
    zip_of,
)

STRAVA_HEADER_FILE = (
    Path(__file__).resolve().parent
    / "data/samples/strava/JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv"
)
#: The real header of a Strava bulk export's activities.csv (99 columns, Distance and Elapsed Time twice).
STRAVA_HEADER = next(csv.reader(io.StringIO(STRAVA_HEADER_FILE.read_text(encoding="utf-8"))))


def activities_csv(rows: list[dict[str, str]]) -> bytes:
    """activities.csv under the real header; a row names its cells by header (``Distance#2``: the second one)."""
    positions: dict[str, int] = {}
    for position, name in enumerate(STRAVA_HEADER):
        positions[name if name not in positions else f"{name}#2"] = position
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STRAVA_HEADER)
    for row in rows:
        cells = [""] * len(STRAVA_HEADER)
        for name, value in row.items():
            cells[positions[name]] = value
        writer.writerow(cells)
    return out.getvalue().encode()


def strava(activity_id: str, date: str, kind: str, elapsed: str, km: str = "", metres: str = "", **more) -> dict:
    row = {"Activity ID": activity_id, "Activity Date": date, "Activity Name": f"Activity {activity_id}"}
    row |= {"Activity Type": kind, "Elapsed Time": elapsed, "Elapsed Time#2": elapsed}
    row |= {"Distance": km, "Distance#2": metres}
    return row | {k.replace("_", " "): v for k, v in more.items()}


STRAVA_ROWS = [
    # row 2: the Forerunner run (FIT, gzipped as Strava keeps uploads); Moving Time given.
    strava("1001", "Feb 6, 2013, 12:11:14 PM", "Run", "2625", "4.84", "4835.4", Moving_Time="2625",
           Filename="activities/1001.fit.gz"),
    # row 3: the Strava GPX run; no Moving Time, so the CSV times it by its elapsed time.
    strava("1002", "Jan 10, 2021, 8:54:28 AM", "Run", "5127", "12.61", "12608.7", Filename="activities/1002.gpx.gz"),
    # row 4: a ride whose file is the damaged FIT: left out by type, so its file is never read.
    strava("1003", "Mar 1, 2021, 9:00:00 AM", "Ride", "3600", "30.0", "30000", Filename="activities/1003.fit.gz"),
    # row 5: a run whose file is damaged: the row is imported from the CSV, without heart rate.
    strava("1004", "Sep 27, 2021, 2:13:10 PM", "Run", "3558", "11.27", "11274.0", Moving_Time="3558",
           Filename="activities/1004.fit.gz"),
    # row 6: a gym session without a file.
    strava("1005", "Mar 2, 2021, 6:00:00 PM", "Weight Training", "1800"),
    # row 7: a run whose file starts on another day: not the same activity, so not merged.
    strava("1006", "Jan 1, 2019, 7:00:00 AM", "Run", "823", "2.15", "2153.7", Moving_Time="816",
           Filename="activities/1006.tcx.gz"),
]  # fmt: skip


def strava_export(root: str = "", rows: int = len(STRAVA_ROWS)) -> bytes:
    """The export (its files under ``root``), or an export of only its first ``rows`` CSV rows and their files."""
    entries = {
        f"{root}activities/1001.fit.gz": gzip.compress(content(FORERUNNER)),
        f"{root}activities/1002.gpx.gz": data(STRAVA_GPX),
        f"{root}activities/1003.fit.gz": gzip.compress(content(DAMAGED)),
        f"{root}activities/1004.fit.gz": gzip.compress(content(DAMAGED)),
        f"{root}activities/1006.tcx.gz": data(GARMIN_TCX),
        f"{root}activities/9999.fit": content(NO_DATE),  # named by no row: read on its own
        f"{root}media/photo.jpg": b"\xff\xd8\xff not an activity",
    }
    if rows < len(STRAVA_ROWS):
        named = {f"{root}{row['Filename']}" for row in STRAVA_ROWS[:rows] if "Filename" in row}
        entries = {name: payload for name, payload in entries.items() if name in named}
    return zip_of({f"{root}activities.csv": activities_csv(STRAVA_ROWS[:rows])} | entries)


@pytest.fixture(scope="module")
def strava_read() -> files.FilesRead:
    return files.read("export_12345.zip", strava_export())


# -- Strava bulk export ---------------------------------------------------------------------------------------------


def test_a_strava_export_imports_each_csv_row_once_and_the_file_no_row_names(strava_read):
    assert strava_read.label == "Strava bulk export"
    activities = strava_read.activities
    assert list(activities["source_id"]) == ["1001", "1002", "1004", "1005", "1006", NO_DATE_ID]
    assert list(activities["source"]) == ["strava"] * 5 + ["fit"]
    assert activities.loc[8, "member"] == "activities/9999.fit"  # after the CSV's last row, 7
    assert strava_read.left_out == {"Ride": 1}
    assert strava_read.read == 7  # six CSV rows and one file of its own
    assert strava_read.counts == {"run": 5, "gym": 1}


NO_DATE_ID = expected(NO_DATE)["source_id"]


def test_a_strava_row_takes_heart_rate_and_ascent_from_its_file(strava_read):
    run = strava_read.activities.set_index("source_id").loc["1001"]
    fit = expected(FORERUNNER)
    assert run["member"] == "activities/1001.fit.gz"
    assert (run["hr_avg"], run["hr_max"], run["elevation_gain_m"]) == (fit["hr_avg"], fit["hr_max"], 168)
    assert sum(files.decode(run["hr_seconds"]).values()) == fit["hr_counted_s"]
    assert run["distance_m"] == pytest.approx(4835.4)  # the CSV's distance stays the record
    assert run["duration_s"] == 2625  # the CSV's Moving Time
    assert run["name"] == "Activity 1001"


def test_a_strava_run_timed_by_elapsed_time_takes_its_files_moving_time(strava_read):
    run = strava_read.activities.set_index("source_id").loc["1002"]
    gpx = expected(STRAVA_GPX)
    assert run["elapsed_s"] == gpx["elapsed_s"] == 5127
    assert run["duration_s"] == gpx["duration_s"]  # 4,553 s moving instead of the CSV's 5,127 elapsed
    assert run["hr_avg"] == pytest.approx(gpx["hr_avg"], abs=0.005)


def test_a_strava_row_whose_file_is_damaged_is_imported_without_it_and_the_file_listed(strava_read):
    run = strava_read.activities.set_index("source_id").loc["1004"]
    assert (run["member"], run["hr_seconds"], run["duration_s"]) == ("activities.csv", "", 3558)
    assert pd.isna(run["hr_avg"])
    line = strava_read.rejected.set_index("member").loc["activities/1004.fit.gz"]
    assert line["row"] == 5
    assert "damaged at byte 7,471" in line["reason"]
    assert line["reason"].endswith("The activity is imported from activities.csv without this file.")


def test_the_file_of_a_row_left_out_is_never_read(strava_read):
    assert "activities/1003.fit.gz" not in set(strava_read.rejected["member"])


def test_a_file_starting_at_another_time_than_its_row_is_not_merged(strava_read):
    run = strava_read.activities.set_index("source_id").loc["1006"]
    assert run["hr_seconds"] == "" and run["member"] == "activities.csv"
    line = strava_read.rejected.set_index("member").loc["activities/1006.tcx.gz"]
    assert line["reason"] == (
        "starts at 2018-11-25 07:20 UTC, but row 7 of activities.csv names it for 2019-01-01 07:00 UTC; its heart "
        "rate is not used"
    )


def test_a_strava_export_inside_a_folder_links_its_files_too():
    result = files.read("export.zip", strava_export(root="export_12345/", rows=1))
    run = result.activities.set_index("source_id").loc["1001"]
    assert run["member"] == "export_12345/activities/1001.fit.gz"
    assert run["hr_max"] == 171


def test_the_filename_column_is_found_by_its_values_whatever_its_header():
    german = activities_csv(STRAVA_ROWS[:1]).replace(b",Filename,", b",Dateiname,", 1)
    archive = zip_of({"activities.csv": german, "activities/1001.fit.gz": gzip.compress(content(FORERUNNER))})
    result = files.read("export.zip", archive)
    assert result.activities.set_index("source_id").loc["1001", "member"] == "activities/1001.fit.gz"


def test_a_gym_session_keeps_the_csvs_elapsed_time(strava_read):
    gym = strava_read.activities.set_index("source_id").loc["1005"]
    assert (gym["kind"], gym["duration_s"], gym["member"]) == ("gym", 1800, "activities.csv")
    assert pd.isna(gym["distance_m"])


# -- Garmin Connect export and plain zips ---------------------------------------------------------------------------


def garmin_export() -> bytes:
    uploaded = zip_of(
        {
            "me@example.com_1001.fit": content(FORERUNNER),
            "me@example.com_1002.fit": content(TRIATHLON),
            "me@example.com_1003.fit": content(DAMAGED),
        },
        zipfile.ZIP_STORED,
    )
    return zip_of(
        {
            "DI_CONNECT/DI-Connect-Fitness/me@example.com_0_summarizedActivities.json": b"[]",
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": uploaded,
        }
    )


def test_a_garmin_export_reads_the_fit_files_inside_its_nested_zips():
    result = files.read("garmin.zip", garmin_export())
    assert result.label == "Garmin Connect export"
    assert result.read == 6  # one run, and five sports of the triathlon
    assert sorted(result.activities["source_id"]) == ["2013-02-06T12:11:14Z", "2018-05-27T09:23:41Z"]
    assert result.left_out == {"Transition": 2, "Swimming (open water)": 1, "Cycling": 1}
    assert result.summary() == "Garmin Connect export, 6 activities, 2 runs, 1 problem"
    line = result.rejected.iloc[0]
    folder = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip/"
    assert line["member"] == folder + "me@example.com_1003.fit"
    assert "damaged at byte 7,471" in line["reason"]


def test_one_unreadable_file_among_many_is_listed_and_the_rest_read():
    archive = zip_of(
        {
            "a.fit": content(FORERUNNER),
            "b.tcx.gz": data(GARMIN_TCX),
            "c.fit": content(FORERUNNER)[:5000],
            "d.gpx": b"<html>not a track</html>",
            "e.fit": content(NO_DATE),
        }
    )
    result = files.read("mine.zip", archive)
    assert result.label == "zip of activity files"
    assert result.counts["run"] == 3
    reasons = dict(zip(result.rejected["member"], result.rejected["reason"], strict=True))
    assert list(reasons) == ["c.fit", "d.gpx"]
    assert reasons["c.fit"].startswith("the file is cut off: it ends at byte 5,000.")
    assert reasons["d.gpx"].startswith("this is not a FIT, GPX or TCX activity file.")


def test_the_same_activity_twice_in_an_archive_is_read_once():
    archive = zip_of(
        {
            "run.fit": content(FORERUNNER),
            "copy/run (1).fit": content(FORERUNNER),
            "tomtom.gpx.gz": data(TOMTOM_GPX),
            "tomtom.tcx.gz": data(TOMTOM_TCX),  # the same run as the GPX: the same start, to the second
        }
    )
    result = files.read("twice.zip", archive)
    assert list(result.activities["member"]) == ["run.fit", "tomtom.gpx.gz"]
    assert list(result.rejected["reason"]) == [
        "the same activity as run.fit (the same start, 2013-02-06T12:11:14Z); it is read once",
        "the same activity as tomtom.gpx.gz (the same start, 2017-05-27T08:13:01Z); it is read once",
    ]


def test_an_archive_without_activity_files_is_refused():
    with pytest.raises(FileEmpty, match="^notes.zip: the archive holds no activity files"):
        files.read("notes.zip", zip_of({"notes.json": b"{}", "Activities.csv": b"Activity Type,Date\n"}))


def test_an_excel_workbook_is_told_apart_from_an_export_archive():
    workbook = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(
        FileEmpty, match=r"^runs\.xlsx: this is a spreadsheet workbook \(Excel\).*Save the sheet as CSV"
    ):
        files.read("runs.xlsx", workbook)


def test_an_archive_is_read_from_an_open_file_as_well_as_from_bytes(tmp_path):
    path = tmp_path / "garmin.zip"
    path.write_bytes(garmin_export())
    with path.open("rb") as handle:
        result = files.read(path.name, handle)
    assert result.counts["run"] == 2


def test_progress_is_told_file_by_file_up_to_the_whole():
    told: list[tuple[float, str]] = []
    files.read("garmin.zip", garmin_export(), progress=lambda share, what: told.append((share, what)))
    shares = [share for share, _ in told]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert any(what.endswith("me@example.com_1002.fit") for _, what in told)


# -- zip safety -----------------------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_by_its_ratio_without_being_unpacked(monkeypatch):
    unpacked: list[str] = []
    real_read = zips.read_member

    def spy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
        unpacked.append(name)
        return real_read(archive, info, name)

    monkeypatch.setattr(zips, "read_member", spy)
    archive = zip_of({"bomb.fit": bytes(20 * 2**20), "run.fit": content(FORERUNNER)})  # 20 MiB of zeros: ~20 kB
    result = files.read("bomb.zip", archive)
    assert unpacked == ["run.fit"]
    assert result.counts["run"] == 1
    line = result.rejected.iloc[0]
    assert line["member"] == "bomb.fit"
    assert line["reason"].startswith("it unpacks to more than 100 times its packed size")


def test_a_gzip_bomb_inside_a_zip_is_refused_by_its_ratio():
    bomb = gzip.compress(bytes(20 * 2**20))  # 20 MiB of zeros in 20 kB, stored in the zip as it is
    archive = zip_of({"bomb.fit.gz": bomb, "run.fit": content(FORERUNNER)}, zipfile.ZIP_STORED)
    result = files.read("bomb.zip", archive)
    assert result.counts["run"] == 1
    assert result.rejected.iloc[0]["reason"].startswith("it unpacks to more than 100 times its packed size")


def test_an_archive_unpacking_to_more_than_the_total_is_refused_whole(monkeypatch):
    monkeypatch.setattr(zips, "MAX_TOTAL_BYTES", 2 * len(content(FORERUNNER)) + 1)  # room for two copies, not three
    archive = zip_of({f"{n}.fit": content(FORERUNNER) for n in "abc"})
    with pytest.raises(FileTooLarge, match="^big.zip: its activity files unpack to more than"):
        files.read("big.zip", archive)


def test_an_archive_of_too_many_entries_is_refused_before_anything_is_read(monkeypatch):
    monkeypatch.setattr(zips, "MAX_ENTRIES", 3)
    with pytest.raises(FileTooLarge, match="^crowded.zip: the archive lists 4 entries, more than the 3"):
        files.read("crowded.zip", zip_of({f"{n}.json": b"{}" for n in "abcd"}))


def test_a_zip_nested_three_levels_deep_is_listed_not_opened():
    third = zip_of({"run.fit": content(FORERUNNER)})
    second = zip_of({"level3.zip": third, "watch.fit": content(NO_DATE)})
    result = files.read("level1.zip", zip_of({"level2.zip": second, "run.fit": content(FORERUNNER)}))
    assert sorted(result.activities["member"]) == ["level2.zip/watch.fit", "run.fit"]
    line = result.rejected.iloc[0]
    assert line["member"] == "level2.zip/level3.zip"
    assert line["reason"].startswith("a zip inside a zip inside a zip")


@pytest.mark.parametrize("name", ["../../escape.fit", "/tmp/absolute.fit", "..\\..\\windows.fit"])
def test_entry_names_are_never_paths(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = files.read("sneaky.zip", zip_of({name: content(FORERUNNER)}))
    assert list(result.activities["member"]) == [name.replace("\\", "/")]
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent / "escape.fit").exists()


def test_control_characters_in_entry_names_are_shown_as_question_marks():
    result = files.read("odd.zip", zip_of({"run\x1b[31m.fit": content(FORERUNNER)}))
    assert list(result.activities["member"]) == ["run?[31m.fit"]


def _with_flag(archive: bytes, flag: int) -> bytes:
    """The archive with a general-purpose flag bit set on its (only) member, in both of its headers."""
    raw = bytearray(archive)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.index(signature) + offset
        raw[at] |= flag
    return bytes(raw)


@pytest.mark.parametrize(
    ("archive", "words"),
    [
        (_with_flag(zip_of({"run.fit": content(FORERUNNER)}), 0x1), "the file is encrypted in the archive"),
        (zip_of({"run.fit": content(FORERUNNER)}, zipfile.ZIP_BZIP2), "the file is packed with a method kneelog"),
    ],
    ids=["encrypted", "bzip2"],
)
def test_members_kneelog_cannot_unpack_safely_are_listed(archive, words):
    result = files.read("odd.zip", archive)
    assert result.activities.empty
    assert result.rejected.iloc[0]["reason"].startswith(words)


def test_a_member_damaged_inside_the_archive_is_listed():
    archive = bytearray(zip_of({"run.fit": content(FORERUNNER)}, zipfile.ZIP_STORED))
    archive[30 + len("run.fit") + 5000] ^= 0xFF  # a byte inside the stored FIT data: the CRC no longer matches
    result = files.read("damaged.zip", bytes(archive))
    assert result.rejected.iloc[0]["reason"].startswith("the file is damaged inside the archive (Bad CRC-32")


def test_a_damaged_zip_inside_the_archive_is_listed_and_the_rest_read():
    result = files.read(
        "outer.zip", zip_of({"inner.zip": b"PK\x03\x04 not really a zip", "run.fit": content(FORERUNNER)})
    )
    assert result.counts["run"] == 1
    assert result.rejected.iloc[0]["member"] == "inner.zip"
    assert result.rejected.iloc[0]["reason"].startswith("the zip inside the archive is damaged")


def test_a_damaged_archive_is_refused_whole():
    with pytest.raises(FileMalformed, match="^broken.zip: the zip archive is damaged or cut off"):
        files.read("broken.zip", zip_of({"run.fit": content(FORERUNNER)})[:-30])
