"""The kneelog command: thin, clear messages, honest exit codes."""

import subprocess
import sys

import pytest

from kneelog.cli import main
from kneelog.models import Run
from kneelog.store import Store


def test_kneelog_demo_fills_an_empty_database(db_url, capsys):
    assert main(["demo", "--db", db_url, "--days", "28"]) == 0
    assert "Added the demo athlete" in capsys.readouterr().out
    assert Store(db_url).counts()["checkin"] >= 20


def test_kneelog_demo_refuses_a_database_with_own_data(db_url, capsys):
    Store(db_url).add(Run(date="2026-10-01", distance_m=5000, duration_s=1500))
    assert main(["demo", "--db", db_url]) == 1
    assert "already holds your own entries" in capsys.readouterr().err
    assert Store(db_url).counts()["run"] == 1


def test_the_console_script_is_installed_and_runs(db_url):
    result = subprocess.run(
        [sys.executable, "-m", "kneelog.cli", "demo", "--db", db_url, "--days", "14"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "14 days" in result.stdout


@pytest.mark.parametrize(("days", "why"), [("5", "the demo needs 7 to 3,653 days (a week to ten years), not 5"),
                                           ("ten", "'ten' is not a whole number of days")])  # fmt: skip
def test_kneelog_demo_refuses_days_it_cannot_make_before_touching_the_database(tmp_path, capsys, days, why):
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--db", f"sqlite:///{tmp_path / 'k.db'}", "--days", days])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"kneelog demo: error: argument --days: {why}"
    assert list(tmp_path.iterdir()) == []
