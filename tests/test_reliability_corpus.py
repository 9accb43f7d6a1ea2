"""Broken and hostile CSV files: every one is refused with a clear message or imported cleanly; none half-written.

The corpus (tests/csv_corpus.py, more than 200 files made at test time) is written to real files and imported the
way the CLI does (:meth:`Upload.from_path`, :func:`session.preview`, :func:`session.commit`) into a database that
already holds the runner's own entries. Hypothesis then fuzzes the importer with random bytes, random cells in a
valid export, and random tables under a known header. For each file:

- nothing but a :class:`~kneelog.errors.KneelogError` may come out (anything else would be a traceback for the
  runner), and a refusal names the file and says what is wrong in a sentence or two;
- a refused file writes nothing (the database is byte-for-byte the same, read back row by row);
- an accepted file adds exactly the entries the summary reports and changes no stored row; the file passes
  ``PRAGMA integrity_check``; and every rejected row is reported with its row number and a reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneelog.errors import ImportRefused, KneelogError
from kneelog.importers import ColumnMapping, session
from kneelog.models import KneeCheckin, Run, Settings
from kneelog.store import Store
from tests.csv_corpus import END, _rows, corpus, strava

pytestmark = pytest.mark.reliability

CORPUS = corpus()
ENTRY_TABLES = ("runs", "gym_sessions", "stretch_sessions", "checkins", "races")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the runner's own entries (one of them the same run as in the Strava seed)."""
    path = tmp_path_factory.mktemp("template") / "k.db"
    store = Store(f"sqlite:///{path}")
    store.save_settings(Settings(timezone="UTC"))
    store.add_many(
        [
            Run(date=END, distance_m=5000, duration_s=1500, notes="logged by hand"),
            KneeCheckin(date=END, knee="left", stairs=2),
        ]
    )
    store.dispose()
    return path


def fresh_store(template: Path, folder: Path) -> Store:
    path = folder / "k.db"
    shutil.copyfile(template, path)
    return Store(f"sqlite:///{path}")


def rows(store: Store) -> dict[str, set[tuple]]:
    con = sqlite3.connect(store.engine.url.database)
    try:
        return {name: set(con.execute(f"SELECT * FROM {name}")) for name in ENTRY_TABLES}
    finally:
        con.close()


def import_cleanly(store: Store, upload: session.Upload) -> str:
    """Import one file as the CLI does and check the battery's promises; returns ``refused`` or ``imported``."""
    before = rows(store)
    try:
        plan = session.preview(store, [upload])
    except KneelogError as e:  # refused outright: allowed, with a message that names the file
        _check_message(str(e), upload.name)
        assert rows(store) == before
        return "refused"
    if plan.refused:
        _check_message(str(plan.refused[0].error), upload.name)
        with pytest.raises(ImportRefused, match=r"^Nothing was imported: "):
            session.commit(store, plan)
        assert rows(store) == before
        return "refused"
    summary = session.commit(store, plan)
    after = rows(store)
    assert before["runs"] <= after["runs"] and before["gym_sessions"] <= after["gym_sessions"]
    assert len(after["runs"] - before["runs"]) == summary.added["run"]
    assert len(after["gym_sessions"] - before["gym_sessions"]) == summary.added["gym"]
    assert {k: v for k, v in after.items() if k not in ("runs", "gym_sessions")} == {
        k: v for k, v in before.items() if k not in ("runs", "gym_sessions")
    }
    for problem in summary.rejected:
        assert problem["row"] >= 2 and problem["reason"], problem
    con = sqlite3.connect(store.engine.url.database)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
    return "imported"


def _check_message(message: str, name: str) -> None:
    assert name in message, message
    assert "Traceback" not in message and 20 < len(message) < 1500, message


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_broken_or_hostile_file_is_refused_or_imported_cleanly(name, template, tmp_path):
    path = tmp_path / name
    path.write_bytes(CORPUS[name]())
    store = fresh_store(template, tmp_path)

    outcome = import_cleanly(store, session.Upload.from_path(path))

    assert outcome in ("refused", "imported")


def test_the_corpus_is_large_and_mostly_refused():
    assert len(CORPUS) >= 200
    assert sum(name.startswith(("bomb_", "disguised_", "empty")) for name in CORPUS) >= 20


@pytest.mark.parametrize(
    "name",
    ["bomb_zip_64mb.csv", "bomb_gzip_64mb.csv", "disguised_xlsx.csv", "empty.csv", "huge_single_line_20mb.csv"],
)
def test_files_that_are_not_tables_are_refused(name, template, tmp_path):
    path = tmp_path / name
    path.write_bytes(CORPUS[name]())
    assert import_cleanly(fresh_store(template, tmp_path), session.Upload.from_path(path)) == "refused"


def test_the_hostile_names_import_as_plain_text(template, tmp_path):
    path = tmp_path / "hostile_name_formula.csv"
    path.write_bytes(CORPUS[path.name]())
    store = fresh_store(template, tmp_path)
    assert import_cleanly(store, session.Upload.from_path(path)) == "imported"
    assert store.frame("run")["notes"].str.contains('=HYPERLINK("http://evil.example","click")', regex=False).any()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("huge_description_5mb.csv", r"row 3, column 'Activity Description' .*: the cell is 5,000,000 characters long"),
        ("huge_description_just_over_a_note.csv", r"row 3, column 'Activity Description' .*: the cell is 200,001 "),
        ("huge_unread_cell_past_csv_limit.csv", r"row 3, column 'Max Heart Rate' .*: the cell is 300,000 characters"),
        ("header_type_twice_intervals.csv", r"row 1, column 'type': the header names this column twice"),
        ("header_activity_type_twice.csv", r"row 1, column 'Activity Type': the header names this column twice"),
        ("header_three_distances.csv", r"row 1, column 'Distance': the header names this column 3 times"),
    ],
)
def test_an_over_long_cell_or_an_ambiguous_header_is_refused_by_row_column_and_why(name, message, template, tmp_path):
    path = tmp_path / name
    path.write_bytes(CORPUS[name]())
    store = fresh_store(template, tmp_path)
    upload = session.Upload.from_path(path)
    assert import_cleanly(store, upload) == "refused"
    with pytest.raises(KneelogError, match=rf"^{re.escape(name)}, {message}"):
        raise session.preview(store, [upload]).refused[0].error


def test_a_file_mixing_utf8_and_windows_1252_keeps_every_accent_and_says_which_line(template, tmp_path):
    path = tmp_path / "encoding_mixed_utf8_cp1252_names.csv"
    path.write_bytes(CORPUS[path.name]())
    store = fresh_store(template, tmp_path)
    plan = session.preview(store, [session.Upload.from_path(path)])
    assert plan.files[0].parsed.warnings[0].startswith("the file mixes two text encodings: line 5 is not UTF-8")
    assert import_cleanly(store, session.Upload.from_path(path)) == "imported"
    notes = store.frame("run")["notes"]
    assert notes.str.startswith("Läufchen").sum() == 2 and notes.str.startswith("Kräftigung").sum() == 1
    assert not notes.str.contains("Ã", regex=False).any()


@pytest.mark.parametrize(
    ("name", "added"),
    [
        ("one_day_2000_runs.csv", 2000),  # 30 s apart, but no two within 5 minutes agree in distance
        ("one_day_2000_copies_of_a_run.csv", 1),  # one run, 2,000 times over
    ],
)
def test_two_thousand_runs_on_one_day_are_matched_and_imported(name, added, template, tmp_path):
    """Matching used to pair every run of a day with every other: 2,000 took 1.69 GB (bench: bench/import_memory.py)."""
    path = tmp_path / name
    path.write_bytes(CORPUS[name]())
    store = fresh_store(template, tmp_path)
    plan = session.preview(store, [session.Upload.from_path(path)])
    assert len(plan.rows("new")) == added and len(plan.rows("already")) == 2000 - added
    assert import_cleanly(store, session.Upload.from_path(path)) == "imported"
    assert (store.frame("run")["source"] == "intervals").sum() == added


def test_a_per_second_recording_mapped_as_any_csv_imports_cleanly(template, tmp_path):
    """3,000 rows of one 50-minute run (a time, the distance so far, the seconds so far), mapped as activities:
    matching compares each row with those of the 5 minutes around it, not with all 3,000 (which took 2.56 GB)."""
    start = dt.datetime(2026, 10, 2, 7, 0)
    lines = ["time,distance_m,heart_rate,elapsed_s"] + [
        f"{start + dt.timedelta(seconds=i):%Y-%m-%d %H:%M:%S},{3 * i},{120 + i % 40},{i + 1}" for i in range(3000)
    ]
    mapping = ColumnMapping(date="time", distance="distance_m", distance_unit="m", duration="elapsed_s",
                            duration_unit="s")  # fmt: skip
    upload = session.Upload("recording.csv", ("\n".join(lines) + "\n").encode(), mapping=mapping)
    store = fresh_store(template, tmp_path)
    assert import_cleanly(store, upload) == "imported"
    assert session.preview(store, [upload]).files[0].parsed.read == 3000


# -- fuzzing --------------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
cell_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


def _fuzz(template: Path, name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = fresh_store(template, Path(folder))
        try:
            import_cleanly(store, session.Upload(name, data))
        finally:
            store.dispose()


@FUZZ
@given(data=st.binary(max_size=3000))
def test_fuzz_random_bytes(template, data):
    _fuzz(template, "random.csv", data)


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 102), cell_text), min_size=1, max_size=12))
def test_fuzz_random_cells_in_a_valid_export(template, edits):
    table = _rows(strava())
    for row, column, value in edits:
        table[row % len(table)][column % len(table[0])] = value
    out = io.StringIO(newline="")
    csv.writer(out).writerows(table)
    _fuzz(template, "activities.csv", out.getvalue().encode("utf-8"))


HEADERS = [
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Distance,Perceived Exertion",
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR",
    "Title,WorkoutType,WorkoutDay,DistanceInMeters,TimeTotalInHours,Rpe",
    "id,start_date_local,name,type,moving_time,distance,elapsed_time,icu_rpe",
    "Date,Active energy burned(kcal),Activity,Distance(km),Duration(Seconds)",
]
value = st.one_of(
    cell_text,
    st.integers(-(10**6), 10**9).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.strftime("%b %d, %Y, %I:%M:%S %p")),
    st.sampled_from(["Run", "Running", "Weight Training", "Strength", "--", "", "Laufen", "Ride"]),
)


@FUZZ
@given(header=st.sampled_from(HEADERS), body=st.lists(st.lists(value, min_size=0, max_size=10), max_size=12))
def test_fuzz_random_tables_under_a_known_header(template, header, body):
    out = io.StringIO(newline="")
    csv.writer(out).writerows([header.split(","), *body])
    _fuzz(template, "export.csv", out.getvalue().encode("utf-8"))
