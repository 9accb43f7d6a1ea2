"""``kneelog import``: the summary, --json, --dry-run, --units, --format, and exit codes a script can trust."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kneelog.cli import main
from kneelog.store import Store
from tests.import_fixtures import FIXTURES, SAMPLES

STRAVA = str(FIXTURES / "strava_en_us.csv")
GARMIN_MI = str(FIXTURES / "garmin_en_mi.csv")
RUN_ROWS = str(SAMPLES / "strava" / "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv")


def stored(db_url: str) -> dict[str, int]:
    return {k: v for k, v in Store(db_url).counts().items() if k in ("run", "gym")}


def test_import_adds_the_files_and_prints_what_it_did(db_url, capsys):
    assert main(["import", STRAVA, RUN_ROWS, "--db", db_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "Strava export, English, 11 activities, 5 runs, 2 gym sessions",
        "Strava export, English, 3 activities, 3 runs",
    ]
    assert "Read 14 rows from 2 files." in out
    assert "Added 8 runs and 2 gym sessions (55.0 km)." in out  # 34,169.0 m + 20,804.6 m
    assert "Left out by type: Ride 1, Walk 1, Workout 1, Yoga 1." in out
    assert stored(db_url) == {"run": 8, "gym": 2}


def test_importing_again_adds_nothing(db_url, capsys):
    main(["import", STRAVA, "--db", db_url])
    capsys.readouterr()
    assert main(["import", STRAVA, "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "Added nothing new." in out and "Already there: 7." in out
    assert stored(db_url) == {"run": 5, "gym": 2}


def test_json_summary_has_counts_per_kind_and_metres_added(db_url, capsys):
    assert main(["import", STRAVA, str(FIXTURES / "rows_rejected.csv"), "--db", db_url, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["added"] == {"run": 6, "gym": 3} and summary["added_total"] == 9
    assert summary["distance_added_m"] == pytest.approx(34168.99951171875 + 5010.2, abs=0.1)
    assert summary["read"] == 17 and summary["already_there"] == 0 and summary["dry_run"] is False
    assert summary["left_out"] == {"Ride": 1, "Walk": 1, "Workout": 1, "Yoga": 1}
    assert summary["rejected_rows"] == 4
    assert {"file": "rows_rejected.csv", "row": 4, "column": "elapsed_time", "value": "0",
            "reason": "must be longer than zero"} in summary["rejected"]  # fmt: skip
    assert [f["format"] for f in summary["files"]] == ["strava", "intervals"]


def test_dry_run_shows_what_would_happen_and_writes_nothing(db_url, capsys):
    version = Store(db_url).data_version()
    assert main(["import", STRAVA, "--db", db_url, "--dry-run"]) == 0
    assert "Would add 5 runs and 2 gym sessions (34.2 km)." in capsys.readouterr().out
    assert stored(db_url) == {"run": 0, "gym": 0} and Store(db_url).data_version() == version


def test_a_refused_file_writes_nothing_and_exits_non_zero(db_url, capsys):
    assert main(["import", STRAVA, str(FIXTURES / "bad_truncated.csv"), "--db", db_url]) == 1
    captured = capsys.readouterr()
    assert "Nothing was imported" in captured.out
    assert "kneelog: bad_truncated.csv, row 4, column 'Distance': the last row stops after 7 of 99" in captured.err
    assert stored(db_url) == {"run": 0, "gym": 0}


def test_a_refused_file_is_in_the_json_too(db_url, capsys):
    assert main(["import", str(FIXTURES / "bad_image.csv"), "--db", db_url, "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["refused_files"][0]["file"] == "bad_image.csv"
    assert "PNG image" in summary["refused_files"][0]["error"]


def test_units_are_asked_for_when_the_file_cannot_say(db_url, capsys):
    assert main(["import", GARMIN_MI, "--db", db_url]) == 1
    assert "Choose kilometres or miles (Units on the Import page, or --units km|mi)." in capsys.readouterr().err
    assert main(["import", GARMIN_MI, "--db", db_url, "--units", "mi", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["distance_added_m"] == pytest.approx(9.32 * 1609.344, abs=0.1)


def test_a_chosen_format_that_does_not_fit_is_refused(db_url, capsys):
    assert main(["import", STRAVA, "--db", db_url, "--format", "trainingpeaks"]) == 1
    assert "does not look like a TrainingPeaks export: it has no column" in capsys.readouterr().err


def test_a_missing_file_is_named(db_url, capsys, tmp_path):
    assert main(["import", str(tmp_path / "nope.csv"), "--db", db_url]) == 1
    assert "nope.csv: the file cannot be opened (No such file or directory)" in capsys.readouterr().err


def test_the_summary_uses_the_runners_distance_unit(db_url, capsys):
    store = Store(db_url)
    store.save_settings(store.settings().model_copy(update={"unit": "mi"}))
    main(["import", STRAVA, "--db", db_url])
    assert "Added 5 runs and 2 gym sessions (21.2 mi)." in capsys.readouterr().out  # 34,169 m / 1,609.344


def test_the_console_command_runs_as_its_own_process(db_url):
    result = subprocess.run(
        [sys.executable, "-m", "kneelog.cli", "import", RUN_ROWS, "--db", db_url, "--json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == {"run": 3, "gym": 0}
