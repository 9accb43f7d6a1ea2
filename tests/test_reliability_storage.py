"""The ``kneelog`` command against real storage faults: one clear message and exit code, never a traceback, and the
database as it was.

Each case runs the installed command in its own process (what a runner types), against a disk that is really full
(a tiny tmpfs; needs root), a database file that is really immutable (``chattr +i``; needs root), a file with a page
overwritten by garbage, a URL kneelog cannot use, or arguments it refuses. Cases the machine cannot stage are skipped
with the reason.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.athlete import athlete, strava_export
from kneelog.demo import load_demo
from kneelog.store import Store
from kneelog.store.backup import TABLES, export_backup, read_backup
from tests.storage_faults import damage, immutable, tiny_disk

pytestmark = pytest.mark.reliability

END = dt.date(2026, 10, 1)


def kneelog(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kneelog.cli", *map(str, args)], capture_output=True, text=True)


def refused(result: subprocess.CompletedProcess[str], message: str, code: int = 1) -> None:
    """The command failed with ``code`` and said one thing on stderr, matching ``message`` (a regex)."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == code, result.stderr
    assert re.fullmatch(f"kneelog: {message}\n", result.stderr), result.stderr


@pytest.fixture(scope="module")
def activities(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two years of a runner's Strava export (hundreds of runs: more than a nearly full disk takes)."""
    path = tmp_path_factory.mktemp("export") / "activities.csv"
    path.write_bytes(strava_export(athlete(730, end=END, seed=2), seed=2))
    return path


def demo_database(path: Path, days: int = 730) -> str:
    url = f"sqlite:///{path}"
    store = Store(url)
    load_demo(store, days=days, end=END)
    store.dispose()
    return url


def backup_of(url: str) -> bytes:
    store = Store(url)
    try:
        return export_backup(store)
    finally:
        store.dispose()


def counts(url: str) -> dict[str, int]:
    store = Store(url)
    try:
        return store.counts()
    finally:
        store.dispose()


def rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every data table, read with sqlite3 directly and closed after (a tmpfs must unmount)."""
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return {t.name: con.execute(f"SELECT * FROM {t.name} ORDER BY 1, 2").fetchall() for t in TABLES}
    finally:
        con.close()


def fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` with one file until only ``leave`` bytes are free."""
    stat = os.statvfs(disk)
    (disk / "filler").write_bytes(bytes(stat.f_bavail * stat.f_frsize - leave))


def test_a_full_disk_refuses_import_restore_and_export_and_changes_nothing(tmp_path, activities):
    year = tmp_path / "year.zip"
    with tiny_disk(tmp_path / "disk", "2m") as disk:
        url = demo_database(disk / "kneelog.db")
        year.write_bytes(backup_of(url))
        before = rows(url)
        fill(disk, leave=48 * 1024)  # room for SQLite's 32 KiB shared-memory file, not for what comes
        files = sorted(disk.iterdir())

        refused(
            kneelog("import", activities, "--db", url),
            r"kneelog could not write to .*kneelog\.db: the disk is full \(SQLite: database or disk is full\)\. "
            r"Nothing was saved; free some space, then try again\.",
        )
        refused(
            kneelog("restore", year, "--db", url, "--replace"),
            r"Could not write the safety copy of your data to .*/kneelog-before-restore-[-0-9]+\.zip: No space left on "
            r"device\. The backup was not restored: nothing changed; free some space, then restore again\.",
        )
        refused(
            kneelog("export", "--db", url, "-o", disk / "backup.zip"),
            r"Could not write the backup to .*/backup\.zip: No space left on device\. Nothing was written; free some "
            r"space or choose another place\.",
        )

        assert rows(url) == before
        assert sorted(disk.iterdir()) == files  # no half-written file, no temporary file


def test_a_full_disk_refuses_a_restore_into_an_empty_database(tmp_path):
    year = tmp_path / "year.zip"
    year.write_bytes(backup_of(demo_database(tmp_path / "source.db")))
    with tiny_disk(tmp_path / "disk", "1m") as disk:
        url = f"sqlite:///{disk / 'kneelog.db'}"
        Store(url).dispose()
        fill(disk, leave=48 * 1024)

        refused(kneelog("restore", year, "--db", url), r"kneelog could not write to .*: the disk is full .*")

        assert not any(counts(url).values())


def test_an_immutable_database_is_read_but_never_written(tmp_path, activities):
    url = demo_database(tmp_path / "kneelog.db", days=60)
    backup = tmp_path / "b.zip"
    backup.write_bytes(backup_of(url))
    before = rows(url)
    read_only = r"kneelog cannot write to .*kneelog\.db: the file or its folder is read-only \(SQLite: attempt to " \
                r"write a readonly database\)\. Nothing was saved; .*chattr -i.*"  # fmt: skip
    with immutable(tmp_path / "kneelog.db"):
        refused(kneelog("import", activities, "--db", url), read_only)
        refused(kneelog("restore", backup, "--db", url, "--replace"), read_only)
        refused(kneelog("demo", "--db", url), read_only)
        exported = kneelog("export", "--db", url, "-o", tmp_path / "out.zip")  # reading still works
        assert exported.returncode == 0, exported.stderr
    assert rows(url) == before
    assert read_backup(tmp_path / "out.zip").counts == counts(url)
    assert sorted(p.name for p in tmp_path.glob("*.zip")) == ["b.zip", "out.zip"]  # no safety copy left behind


def test_a_damaged_database_is_named_and_what_can_be_read_is_saved(tmp_path):
    url = demo_database(tmp_path / "kneelog.db", days=365)
    damage(tmp_path / "kneelog.db", "runs")
    damaged = (
        r".*kneelog\.db is damaged \(SQLite: database disk image is malformed\), so kneelog cannot read all of it\. "
        r"Nothing was changed\. Save what can still be read with 'kneelog export --salvage'.*"
    )

    refused(kneelog("weekly", "--db", url), damaged)
    refused(kneelog("export", "--db", url, "-o", tmp_path / "whole.zip"), damaged)
    salvaged = kneelog("export", "--db", url, "--salvage", "-o", tmp_path / "saved.zip")

    assert salvaged.returncode == 0, salvaged.stderr
    assert re.match(r"Saved \d+ runs, .*; left out: runs\.csv \d+ rows that could not be read\.", salvaged.stdout)
    assert not (tmp_path / "whole.zip").exists()
    restored = kneelog("restore", tmp_path / "saved.zip", "--db", f"sqlite:///{tmp_path / 'new.db'}")
    assert restored.returncode == 0, restored.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql://runner:secret@localhost:1/kneelog",  # port 1: nothing listens there
            r"Cannot reach the database postgresql://runner:\*\*\*@localhost:1/kneelog \(PostgreSQL: connection "
            r"failed: .*\)\. Check that the server is running, and the host, port, database name, user and password "
            r"in the URL\. Nothing was saved\.",
        ),
        (
            "mysql://runner@localhost/kneelog",
            r"mysql://runner@localhost/kneelog: kneelog does not support mysql databases; it keeps "
            r"its data in SQLite or PostgreSQL, so give a URL such as sqlite:///path/to/kneelog\.db or "
            r"postgresql\+psycopg://user:password@host/kneelog\.",
        ),
        (
            "my knee log",
            r"'my knee log' is not a database URL: give an SQLite one such as sqlite:///path/to/kneelog\.db\.",
        ),
    ],
    ids=["postgresql", "mysql", "garbage"],
)
@pytest.mark.parametrize("command", [["export"], ["import", "x.csv"]])
def test_a_url_kneelog_cannot_use_gets_a_message(url, message, command):
    refused(kneelog(*command, "--db", url), message)


@pytest.mark.parametrize(("days", "why"), [("5", "not 5"), ("-3", "not -3"), ("99999", "not 99,999"),
                                           ("a year", "'a year' is not a whole number of days")])  # fmt: skip
def test_demo_days_out_of_range_is_refused_before_anything_is_made(tmp_path, days, why):
    result = kneelog("demo", "--db", f"sqlite:///{tmp_path / 'k.db'}", "--days", days)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("kneelog demo: error: argument --days: ")
    assert result.stderr.rstrip().endswith(why)
    assert not (tmp_path / "k.db").exists()


def test_export_of_a_database_that_is_not_there_makes_nothing(tmp_path):
    missing = tmp_path / "kneelgo.db"
    refused(kneelog("export", "--db", f"sqlite:///{missing}", "-o", tmp_path / "b.zip"),
            rf"There is no database at {re.escape(str(missing))}: check the path \(kneelog made no new one, and "
            r"wrote nothing\)\.")  # fmt: skip
    assert list(tmp_path.iterdir()) == []
