"""Importing archives and activity files end to end: preview, one commit, the store's new columns, the CLI, backups.

The archives are built in memory from the real files in tests/data/devices (expected values in its manifest.toml,
worked out by hand) by the builders of tests/test_importers_activity_archives.py; nothing is extracted to disk.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import zipfile

import pandas as pd
import pytest

from kneelog.cli import main
from kneelog.errors import EntryInvalid
from kneelog.importers import files
from kneelog.importers.kinds import kind_of_type
from kneelog.importers.session import Upload, commit, preview
from kneelog.models import Run, Settings, parse_entry
from kneelog.store import Store, backup, schema
from kneelog.store import tables as t
from tests.device_fixtures import (
    DEVELOPER,
    FENIX,
    FORERUNNER,
    GARMIN_TCX,
    SKIING_TCX,
    STRAVA_GPX,
    TOMTOM_TCX,
    content,
    data,
    expected,
    zip_of,
)
from tests.test_importers_activity_archives import garmin_export, strava_export

DETAILS = ["elapsed_s", "elevation_gain_m", "hr_avg", "hr_max", "hr_seconds"]
GPX_HEAD = b'<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
#: A two-point running track on 1 May 2031 (past the runner's today), 1.11 km north in six minutes.
FUTURE_GPX = GPX_HEAD + (
    b"<trk><name>Morning Run</name><type>running</type><trkseg>"
    b'<trkpt lat="52.0" lon="13.0"><time>2031-05-01T07:00:00Z</time></trkpt>'
    b'<trkpt lat="52.01" lon="13.0"><time>2031-05-01T07:06:00Z</time></trkpt></trkseg></trk></gpx>'
)
NO_TIMES_GPX = FUTURE_GPX.replace(b"<time>2031-05-01T07:00:00Z</time>", b"").replace(
    b"<time>2031-05-01T07:06:00Z</time>", b""
)
EMPTY_GPX = GPX_HEAD + b"</gpx>"


@pytest.fixture(autouse=True)
def runner_in_utc(store: Store) -> None:
    store.save_settings(Settings(timezone="UTC"))


def imported(store: Store, *uploads: Upload):
    plan = preview(store, list(uploads))
    return plan, commit(store, plan)


def runs_by_day(store: Store) -> dict[str, dict]:
    frame = store.frame("run")
    return {d.strftime("%Y-%m-%d"): row for d, row in zip(frame["date"], frame.to_dict("records"), strict=True)}


# -- a Strava archive: activities.csv merged with its files ---------------------------------------------------------


def test_a_strava_archive_keeps_the_csvs_distance_and_takes_heart_rate_from_the_file(store):
    imported(store, Upload("export_12345.zip", strava_export()))
    run = runs_by_day(store)["2013-02-06"]  # row 2: activities/1001.fit.gz, the Forerunner's FIT file
    assert run["source"] == "strava" and run["source_id"] == "1001"  # the CSV's row, not a second copy from the file
    assert run["distance_m"] == 4835.4  # the CSV's Distance (metres); the file says 4,835.38
    assert run["duration_s"] == 2625  # the CSV's Moving Time
    assert run["elapsed_s"] == pytest.approx(2625.14)  # session.total_elapsed_time
    assert (run["hr_avg"], run["hr_max"], run["elevation_gain_m"]) == (147, 171, 168)
    assert sum(files.decode(run["hr_seconds"]).values()) == 2624  # 590 samples spanning 2,624 s


def test_a_strava_run_timed_by_elapsed_time_is_stored_with_its_moving_time(store):
    imported(store, Upload("export_12345.zip", strava_export()))
    run = runs_by_day(store)["2021-01-10"]  # row 3: no Moving Time in the CSV, so 5,127 s elapsed; the GPX moved 4,553
    assert (run["duration_s"], run["elapsed_s"], run["distance_m"]) == (4553, 5127, 12608.7)
    assert run["hr_max"] == 174 and run["hr_avg"] == pytest.approx(150.84, abs=0.01)


def test_a_strava_row_without_a_readable_file_is_stored_without_heart_rate(store):
    imported(store, Upload("export_12345.zip", strava_export()))
    run = runs_by_day(store)["2021-09-27"]  # row 5: its FIT file is damaged
    assert (run["distance_m"], run["duration_s"]) == (11274.0, 3558)
    assert all(pd.isna(run[c]) for c in DETAILS)


def test_reimporting_the_same_archive_adds_nothing(store):
    _, first = imported(store, Upload("export_12345.zip", strava_export()))
    assert first.added == {"run": 5, "gym": 1}  # rows 2, 3, 5, 7 and the FIT no row names; the gym session of row 6
    _, again = imported(store, Upload("export_12345.zip", strava_export()))
    assert again.added == {"run": 0, "gym": 0} and again.already_there == 6
    assert store.counts()["run"] == 5


def test_a_newer_archive_of_the_same_account_adds_only_what_is_new(store):
    _, older = imported(store, Upload("export_1.zip", strava_export(rows=2)))  # rows 2 and 3 and their files
    assert older.added == {"run": 2, "gym": 0}
    _, newer = imported(store, Upload("export_2.zip", strava_export()))
    assert newer.added == {"run": 3, "gym": 1} and newer.already_there == 2


def test_the_same_run_in_a_strava_and_a_garmin_archive_is_stored_once(store):
    _, summary = imported(store, Upload("export_12345.zip", strava_export()), Upload("garmin.zip", garmin_export()))
    # Garmin's zip holds the Forerunner run (Strava's row 2 too), the triathlon (its run leg new) and a damaged FIT.
    assert summary.added == {"run": 6, "gym": 1} and summary.already_there == 1
    assert [r["file"] for r in summary.rejected] == ["export_12345.zip", "export_12345.zip", "garmin.zip"]


# -- bad files inside an archive ------------------------------------------------------------------------------------


def bad_archive() -> bytes:
    return zip_of(
        {
            "runs/fenix.fit": content(FENIX),
            "runs/cut.fit": content(FORERUNNER)[:3000],
            "runs/empty.gpx": EMPTY_GPX,
            "runs/notimes.gpx": NO_TIMES_GPX,
            "runs/ski.tcx.gz": data(SKIING_TCX),
            "runs/future.gpx": FUTURE_GPX,
            "runs/fenix-copy.fit": content(FENIX),
            "runs/garmin.tcx.gz": data(GARMIN_TCX),
            "runs/developer.fit": content(DEVELOPER),  # a FIT file with developer fields
        }
    )


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("runs/cut.fit", r"^the file is cut off: it ends at byte 3,000\. Export the activity again"),
        ("runs/empty.gpx", r"^the GPX file holds no track points"),
        ("runs/notimes.gpx", r"^the GPX track has no times, so kneelog cannot tell when the activity was"),
        ("runs/future.gpx", r"^is in the future; log sessions on or before today$"),
        ("runs/fenix-copy.fit", r"^the same activity as runs/fenix\.fit \(the same start, 2015-08-15T14:45:08Z\)"),
    ],
)
def test_each_bad_file_in_an_archive_is_listed_with_its_reason(store, member, reason):
    plan = preview(store, [Upload("mine.zip", bad_archive())])
    lines = plan.rejected[plan.rejected["member"] == member]
    assert len(lines) == 1 and lines["file"].tolist() == ["mine.zip"]
    assert lines["reason"].str.match(reason).all(), lines["reason"].tolist()


def test_bad_files_do_not_stop_the_good_ones_from_importing_in_one_commit(store):
    plan, summary = imported(store, Upload("mine.zip", bad_archive()))
    assert summary.added == {"run": 3, "gym": 0}  # Fenix, the Garmin TCX and the developer-fields FIT
    assert summary.distance_added_m == pytest.approx(9008.22 + 2153.67 + 6753.99, abs=0.01)
    assert summary.left_out == {"Other": 1}  # the cross-country-skiing TCX: another sport, counted not imported
    assert plan.rejected_count == 5
    assert sorted(runs_by_day(store)) == ["2015-08-15", "2017-01-17", "2018-11-25"]
    lines = summary.lines()
    assert "  mine.zip, runs/cut.fit: the file is cut off: it ends at byte 3,000." in "\n".join(lines)
    future = "  mine.zip, runs/future.gpx, column 'date' (value '2031-05-01'): is in the future"
    assert any(line.startswith(future) for line in lines)


# -- single files, plain and gzipped --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "payload", "sample"),
    [
        ("fenix.fit", content(FENIX), FENIX),
        ("fenix.fit.gz", gzip.compress(content(FENIX)), FENIX),
        ("strava.gpx", content(STRAVA_GPX), STRAVA_GPX),
        ("strava.gpx.gz", data(STRAVA_GPX), STRAVA_GPX),
        ("garmin.tcx", content(GARMIN_TCX), GARMIN_TCX),
        ("tomtom.tcx.gz", data(TOMTOM_TCX), TOMTOM_TCX),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_single_activity_file_imports_its_run(store, name, payload, sample):
    want = expected(sample)
    _, summary = imported(store, Upload(name, payload))
    assert summary.added == {"run": 1, "gym": 0}
    [run] = runs_by_day(store).values()
    assert run["date"].strftime("%Y-%m-%d") == want["start"][:10]
    assert run["distance_m"] == pytest.approx(want["distance_m"], abs=0.05)  # the manifest's rounding
    assert run["duration_s"] == pytest.approx(want["duration_s"], abs=0.01)
    assert run["elapsed_s"] == pytest.approx(want["elapsed_s"], abs=0.01)
    counted = sum(files.decode(run["hr_seconds"] or "").values())
    assert counted == want["hr_counted_s"]


def test_a_file_the_page_previewed_as_a_csv_upload_is_told_apart_by_content_not_name(store):
    _, summary = imported(store, Upload("renamed.csv", content(FENIX)))  # a FIT file with the wrong name
    assert summary.added == {"run": 1, "gym": 0} and summary.files[0]["label"] == "FIT file"


# -- the command line -----------------------------------------------------------------------------------------------


def test_the_cli_imports_archives_and_files_and_prints_each_problem(db_url, tmp_path, capsys):
    archive, single = tmp_path / "garmin.zip", tmp_path / "run.tcx.gz"
    archive.write_bytes(garmin_export())
    single.write_bytes(data(GARMIN_TCX))
    assert main(["import", str(archive), str(single), "--db", db_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["Garmin Connect export, 6 activities, 2 runs, 1 problem", "TCX file, 1 activity, 1 run"]
    assert "Added 3 runs and 0 gym sessions (16.8 km)." in out  # 4,835.38 + 9,805.92 + 2,153.67 m
    assert any(line.startswith("  garmin.zip, DI_CONNECT/") and "me@example.com_1003.fit: the file is damaged" in line
               for line in out)  # fmt: skip
    assert Store(db_url).counts()["run"] == 3


def test_the_cli_json_summary_names_the_file_inside_the_archive(db_url, tmp_path, capsys):
    archive = tmp_path / "mine.zip"
    archive.write_bytes(bad_archive())
    assert main(["import", str(archive), "--db", db_url, "--json", "--dry-run"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["added_total"] == 3 and summary["rejected_rows"] == 5
    assert {"file": "mine.zip", "member": "runs/empty.gpx", "row": None, "column": "", "value": ""}.items() <= next(
        r for r in summary["rejected"] if r["member"] == "runs/empty.gpx"
    ).items()


# -- the store: new columns, their limits, backups ------------------------------------------------------------------


def test_the_new_columns_are_nullable_on_runs_and_gym_sessions():
    for table in (t.runs, t.gym_sessions):
        assert all(table.c[name].nullable for name in DETAILS)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("hr_avg", 24.0, "must be from 25 to 250 beats per minute"),
        ("hr_max", 251.0, "must be from 25 to 250 beats per minute"),
        ("elapsed_s", 0.0, "must be longer than zero"),
        ("elevation_gain_m", -1.0, "cannot be negative"),
        ("hr_seconds", '{"20":30}', "is not the seconds at each heart rate that kneelog writes"),
        ("hr_seconds", '{"150":-1}', "is not the seconds at each heart rate that kneelog writes"),
        ("hr_seconds", '{"150":260000}', "holds more than 72 hours of heart rate"),  # 72 h = 259,200 s
    ],
)
def test_a_run_refuses_device_details_no_device_records(field, value, words):
    with pytest.raises(EntryInvalid, match=words):
        parse_entry(Run, {"date": dt.date(2024, 5, 1), "distance_m": 5000, "duration_s": 1500, field: value})


def test_a_backup_with_imported_heart_rate_restores_every_value(store, tmp_path):
    imported(store, Upload("export_12345.zip", strava_export()))
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    backup.restore(other, backup.export_backup(store), name="k.zip")
    columns = ["date", "distance_m", "duration_s", *DETAILS]
    assert other.frame("run")[columns].equals(store.frame("run")[columns])


def as_schema_0002(data: bytes) -> bytes:
    """A current backup made into one of schema 0002: no device-detail columns, no tables added after it."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["manifest.json"])
    had = schema.columns_at("0002")
    for name in list(manifest["tables"]):
        if name not in had:
            del manifest["tables"][name], members[f"{name}.csv"]
            continue
        rows = list(csv.reader(io.StringIO(members[f"{name}.csv"].decode("utf-8-sig"), newline="")))
        keep = [i for i, column in enumerate(rows[0]) if column in had[name]]
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows([[row[i] for i in keep] for row in rows])
        members[f"{name}.csv"] = out.getvalue().encode()
        manifest["tables"][name] |= {"columns": [rows[0][i] for i in keep]}
        manifest["tables"][name]["sha256"] = hashlib.sha256(members[f"{name}.csv"]).hexdigest()
    kinds = {kind for kind, table in t.ENTRY_TABLES.items() if table.name not in had}
    manifest["counts"] = {k: n for k, n in manifest["counts"].items() if k not in kinds}
    members["manifest.json"] = json.dumps(manifest | {"schema_version": "0002"}).encode()
    return zip_of(members)


def test_a_backup_from_before_the_device_details_restores_with_them_empty(store, tmp_path):
    store.add(Run(date=dt.date(2024, 5, 1), distance_m=5000, duration_s=1500, rpe=4))
    old = as_schema_0002(backup.export_backup(store))
    assert "hr_seconds" not in zipfile.ZipFile(io.BytesIO(old)).read("runs.csv").decode().splitlines()[0]
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    backup.restore(other, old, name="old.zip")
    [run] = other.frame("run").to_dict("records")
    assert (run["distance_m"], run["duration_s"], run["rpe"]) == (5000, 1500, 4)
    assert all(pd.isna(run[c]) for c in DETAILS)


def test_a_database_at_schema_0002_upgrades_keeping_its_runs(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(url, upgrade="0002")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO runs (date, distance_m, duration_s, notes, activity_type, source, created_at, updated_at) "
            "VALUES ('2024-05-01', 5000, 1500, '', 'Run', 'manual', '2024-05-01T08:00:00', '2024-05-01T08:00:00')"
        )
    old.dispose()
    [run] = Store(url).frame("run").to_dict("records")
    assert run["distance_m"] == 5000 and all(pd.isna(run[c]) for c in DETAILS)


# -- activity types -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activity_type", "kind"),
    [("domingo corrida matutina", "run"), ("Corrida", "run"), ("Corrida de bicicleta", "other"), ("Ciclismo", "other")],
)
def test_portuguese_and_spanish_runs_are_runs_and_rides_are_not(activity_type, kind):
    assert kind_of_type(activity_type) == kind
