"""Preview and commit: what is added, what is already there, possible duplicates, all or nothing, idempotence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import sqlite3

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneelog import importers, limits
from kneelog.demo import load_demo
from kneelog.errors import CellTooLong, FileRejected, FileTooLarge, ImportRefused, KneelogError
from kneelog.importers import ColumnMapping, session
from kneelog.models import GymSession, Run, Settings
from kneelog.store import Store, schema
from tests.conftest import REPO
from tests.import_fixtures import SAMPLES, data_of, fixture, sample

RUN_ROWS = "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv"
GRUNT = "Romain-Thomas-Shef_grunt__Activities.csv"


@pytest.fixture
def store(store: Store) -> Store:
    """The test's store, with the runner in UTC (dates below are worked out for UTC, whatever the machine's zone)."""
    store.save_settings(Settings(timezone="UTC"))
    return store


def upload(name: str, **choices) -> session.Upload:
    entry = fixture(name) if not name.endswith(".csv") or "__" not in name else sample(name)
    return session.Upload(name, data_of(entry), **choices)


def counts(store: Store) -> dict[str, int]:
    return {k: v for k, v in store.counts().items() if k in ("run", "gym")}


def run_import(store: Store, *uploads: session.Upload, **options) -> session.Summary:
    return session.commit(store, session.preview(store, list(uploads)), **options)


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


# -- preview and commit ------------------------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgresql")
def test_a_preview_writes_nothing(store):
    version = store.data_version()
    plan = session.preview(store, [upload("strava_en_us.csv")])
    assert len(plan.rows("new")) == 7
    assert store.data_version() == version and counts(store) == {"run": 0, "gym": 0}


@pytest.mark.backends("sqlite", "postgresql")
def test_commit_stores_every_run_and_gym_session_with_its_values(store):
    summary = run_import(store, upload("strava_en_us.csv"))
    assert summary.added == {"run": 5, "gym": 2}
    assert summary.distance_added_m == pytest.approx(34168.99951171875, abs=0.01)
    runs = store.frame("run").set_index("source_id")
    assert runs.loc["1002", "distance_m"] == pytest.approx(6503.7998046875)
    assert runs.loc["1002", "rpe"] == 4 and runs.loc["1002", "notes"].startswith("Easy run, sore knee")
    assert runs.loc["1011", "date"] == pd.Timestamp("2016-10-11")
    assert runs.loc["1003", "activity_type"] == "Trail Run"
    gym = store.frame("gym").set_index("source_id")
    assert gym.loc["1007", "duration_s"] == 1800 and (gym["source"] == "strava").all()


@pytest.mark.backends("sqlite", "postgresql")
def test_importing_the_same_files_again_adds_nothing(store):
    files = [upload("strava_en_us.csv"), upload(GRUNT), upload("trainingpeaks.csv")]
    first = run_import(store, *files)
    stored = counts(store)
    second = run_import(store, *files)
    assert sum(first.added.values()) == 5 + 2 + 4 + 3 + 1
    assert second.added == {"run": 0, "gym": 0} and second.already_there == sum(first.added.values())
    assert counts(store) == stored


@pytest.mark.backends("sqlite", "postgresql")
def test_a_multi_year_strava_export_imports_every_run_with_its_day_distance_and_time(store):
    """Two years of a synthetic runner, exported as Strava writes it (bench.athlete), imported back."""
    from bench.athlete import athlete, strava_export

    log = athlete(730, end=dt.date(2026, 10, 31), seed=11)
    store.save_settings(store.settings().model_copy(update={"timezone": "UTC"}))  # the export's dates are UTC
    summary = run_import(store, session.Upload("activities.csv", strava_export(log, seed=11)))
    runs = [e for e in log if isinstance(e, Run)]
    # bench.athlete writes each run's Moving Time as 0.97 × its elapsed time, and a run is timed by its moving time
    expected = sorted((r.date, r.distance_m, round(r.duration_s * 0.97)) for r in runs)
    stored = store.frame("run")
    got = sorted(zip(stored["date"].dt.date, stored["distance_m"], stored["duration_s"].round(), strict=True))
    assert summary.added["run"] == len(runs) > 300
    assert got == expected
    gyms = sorted((g.date, round(g.duration_s)) for g in log if isinstance(g, GymSession))
    assert sorted(zip(store.frame("gym")["date"].dt.date, store.frame("gym")["duration_s"], strict=True)) == gyms
    assert set(summary.left_out) == {"Ride", "Walk"}


@pytest.mark.backends("sqlite", "postgresql")
def test_a_newer_export_that_overlaps_an_older_one_adds_only_the_new_activities(store):
    rows = rows_of(data_of(fixture("strava_en_us.csv")))
    older = session.Upload("activities_2024-03-06.csv", csv_bytes(rows[:4]))  # the first three activities
    first = run_import(store, older)
    newer = run_import(store, upload("strava_en_us.csv"))
    assert first.added == {"run": 3, "gym": 0}
    assert newer.added == {"run": 2, "gym": 2} and newer.already_there == 3
    assert counts(store) == {"run": 5, "gym": 2}


@pytest.mark.backends("sqlite", "postgresql")
def test_the_same_run_exported_by_strava_and_garmin_is_not_doubled(store):
    """Strava's 20:55:48 UTC run of 6,639 m, and Garmin's record of it at 21:55:50 London time, 6.65 km."""
    store.save_settings(store.settings().model_copy(update={"timezone": "Europe/London"}))
    run_import(store, upload(RUN_ROWS))
    header = rows_of(data_of(sample(GRUNT)).replace(b"\r\n", b"\n"))[0]
    row = dict.fromkeys(header, "--") | {
        "Activity Type": "Running", "Date": "2016-10-10 21:55:50", "Favorite": "false", "Title": "Run",
        "Distance": "6.65", "Time": "00:29:30",
    }  # fmt: skip
    garmin = session.Upload("Activities.csv", csv_bytes([header, [row[h] for h in header]]), units="km")
    plan = session.preview(store, [garmin])
    assert plan.candidates["status"].tolist() == ["already"]
    assert "same start and distance" in plan.candidates["match"].iloc[0]
    assert session.commit(store, plan).added == {"run": 0, "gym": 0}


@pytest.mark.backends("sqlite", "postgresql")
def test_two_overlapping_files_uploaded_together_give_each_activity_once(store):
    both = ("Ashan-264_Recovance__Activities.csv", "Ashan-264_Recovance__Activities_STRENGTH_ROWING_ROWS.csv")
    summary = run_import(store, *(upload(name) for name in both))
    assert summary.added == {"run": 0, "gym": 3}  # the 22 January strength session is in both
    assert summary.already_there == 1


@pytest.mark.backends("sqlite", "postgresql")
def test_a_hand_logged_run_is_flagged_as_a_possible_duplicate_not_doubled(store):
    mine = store.add(Run(date=dt.date(2024, 3, 2), distance_m=5000, duration_s=1790, pain_during=3))
    plan = session.preview(store, [upload("strava_en_us.csv")])
    flagged = plan.rows("duplicate")
    assert flagged["source_id"].tolist() == ["1001"]
    assert flagged["match_id"].tolist() == [mine] and flagged["match_distance_m"].tolist() == [5000.0]
    summary = session.commit(store, plan)
    assert summary.possible_duplicates == 1 and summary.added == {"run": 4, "gym": 2}
    assert "1001" not in set(store.frame("run")["source_id"].dropna())


@pytest.mark.backends("sqlite", "postgresql")
def test_possible_duplicates_are_added_when_the_runner_says_they_are_different(store):
    store.add(GymSession(date=dt.date(2024, 3, 4), duration_s=2400))
    summary = run_import(store, upload("strava_en_us.csv"), add_duplicates=True)
    assert summary.added == {"run": 5, "gym": 2} and summary.possible_duplicates == 1
    assert counts(store) == {"run": 5, "gym": 3}


# -- text limits and warnings --------------------------------------------------------------------------------------

INTERVALS = "id,start_date_local,name,type,moving_time,distance,elapsed_time,description\n"


@pytest.mark.backends("sqlite", "postgresql")
def test_a_description_longer_than_csvs_default_limit_is_stored_whole(store):
    """150,000 characters: over Python's csv default field limit (131,072), within a note's limit (200,000)."""
    row = f'1,2026-01-04T07:00:00,Long run,Run,1800,5000,1800,"{"knee " * 30_000}"\n'
    summary = run_import(store, session.Upload("long.csv", (INTERVALS + row).encode()))
    assert summary.added == {"run": 1, "gym": 0}
    assert len(store.frame("run")["notes"].iloc[0]) == len("Long run\n\n") + 150_000 - 1  # the last space stripped


@pytest.mark.parametrize(("chars", "kept"), [(limits.MAX_NOTES_CHARS, True), (limits.MAX_NOTES_CHARS + 1, False)])
def test_a_form_and_an_import_agree_on_the_longest_note(chars, kept):
    note = "k" * chars
    try:
        Run(date=dt.date(2026, 1, 4), distance_m=5000, duration_s=1800, notes=note)
        typed = True
    except ValueError:
        typed = False
    row = f"1,2026-01-04T07:00:00,,Run,1800,5000,1800,{note}\n"
    try:
        imported = importers.parse("n.csv", (INTERVALS + row).encode(), timezone="UTC").counts["run"] == 1
    except CellTooLong:
        imported = False
    assert typed == imported == kept


def test_a_file_with_a_cell_over_the_limit_is_refused_and_writes_nothing(store):
    row = f"1,2026-01-04T07:00:00,Long run,Run,1800,5000,1800,{'k' * 200_001}\n"
    plan = session.preview(store, [session.Upload("long.csv", (INTERVALS + row).encode())])
    assert str(plan.refused[0].error).startswith("long.csv, row 2, column 'description'")
    assert "the cell is 200,001 characters long; kneelog keeps at most 200,000" in str(plan.refused[0].error)
    with pytest.raises(ImportRefused):
        session.commit(store, plan)
    assert counts(store) == {"run": 0, "gym": 0}


def test_the_summary_names_the_lines_of_a_mixed_encoding_file(store):
    data = (INTERVALS + "1,2026-01-04T07:00:00,Läufchen,Run,1800,5000,1800,\n").encode() + (
        "2,2026-01-05T07:00:00,Kräftigung,Run,1800,5000,1800,\n".encode("cp1252")
    )
    summary = run_import(store, session.Upload("mixed.csv", data))
    assert sorted(store.frame("run")["notes"]) == ["Kräftigung", "Läufchen"]
    assert summary.lines()[1] == (
        "mixed.csv: the file mixes two text encodings: line 3 is not UTF-8 like the rest, and kneelog read it as "
        "Windows-1252. Check the names and notes on that line; if they look wrong, save the file as CSV UTF-8 and "
        "import it again."
    )
    assert summary.as_dict()["files"][0]["warnings"] == [summary.lines()[1].removeprefix("mixed.csv: ")[:-1]]


# -- all or nothing -------------------------------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgresql")
def test_a_refused_file_means_nothing_is_written(store):
    plan = session.preview(store, [upload("strava_en_us.csv"), upload("bad_truncated.csv")])
    assert [f.name for f in plan.refused] == ["bad_truncated.csv"]
    with pytest.raises(ImportRefused, match=r"Nothing was imported: bad_truncated\.csv cannot be imported"):
        session.commit(store, plan)
    assert counts(store) == {"run": 0, "gym": 0}


def test_a_database_failure_part_way_leaves_the_log_as_it_was(store):
    load_demo(store, days=30)
    before = store.counts()
    con = sqlite3.connect(store.engine.url.database)
    con.execute(
        "CREATE TRIGGER fail_third AFTER INSERT ON runs WHEN (SELECT count(*) FROM runs WHERE source = 'strava') = 3 "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    con.commit()
    con.close()
    plan = session.preview(store, [upload("strava_en_us.csv")])
    with pytest.raises(KneelogError):
        session.commit(store, plan)
    assert store.counts() == before  # the demo athlete too: its removal was part of the same transaction


@pytest.mark.backends("sqlite", "postgresql")
def test_the_demo_athlete_is_removed_when_real_data_comes_in(store):
    load_demo(store, days=30)
    plan = session.preview(store, [upload("intervals.csv")])
    assert plan.demo_entries == sum(store.counts().values())  # every kind, check-ins and stretches included
    summary = session.commit(store, plan)
    assert summary.demo_removed == plan.demo_entries
    assert not store.frame("run")["source"].eq("demo").any() and store.counts()["checkin"] == 0
    assert summary.added == {"run": 3, "gym": 1}


def test_a_file_over_the_upload_limit_is_refused_naming_the_limit(store):
    plan = session.preview(store, [upload("strava_en_us.csv")], max_bytes=2048)
    assert isinstance(plan.files[0].error, FileTooLarge)
    assert str(plan.files[0].error) == (
        "strava_en_us.csv: the file is 3.2 kB, more than the 2.0 kB upload limit. Export a shorter date range, or "
        "import it from the command line: kneelog import FILE."
    )
    assert session.preview(store, [upload("strava_en_us.csv")], max_bytes=4096).files[0].error is None


def test_a_missing_path_is_refused_with_the_path():
    with pytest.raises(FileRejected, match=r"nowhere\.csv: the file cannot be opened"):
        session.Upload.from_path("/nowhere.csv")


# -- remembered mappings and progress ---------------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgresql")
def test_a_mapping_is_remembered_for_the_next_file_with_the_same_columns(store):
    mapping = ColumnMapping(**fixture("custom_log.csv")["mapping"])
    first = session.preview(store, [upload("custom_log.csv")])
    assert first.files[0].needs_mapping and first.files[0].header[0] == "Datum"
    plan = session.preview(store, [upload("custom_log.csv", mapping=mapping)])
    assert session.remembered_mapping(store, plan.files[0].header) is None  # a preview remembers nothing
    session.commit(store, plan)
    again = session.preview(store, [upload("custom_log_latin1.csv")])  # the same columns, another encoding
    assert again.files[0].mapping == mapping and again.files[0].parsed.counts == {"run": 2, "gym": 1}
    assert len(again.rows("already")) == 3


def test_progress_rises_to_done_through_reading_comparing_and_saving(store, monkeypatch):
    monkeypatch.setattr(session, "CHUNK", 2)
    seen: list[tuple[float, str]] = []
    plan = session.preview(store, [upload("strava_en_us.csv")], progress=lambda s, t: seen.append((s, t)))
    session.commit(store, plan, progress=lambda s, t: seen.append((s, t)))
    messages = [t for _, t in seen]
    assert messages[0] == "Reading strava_en_us.csv" and "Comparing with your log" in messages
    assert [t for t in messages if t.startswith("Saving")] == ["Saving 0 of 7", "Saving 2 of 7", "Saving 4 of 7",
                                                               "Saving 6 of 7"]  # fmt: skip
    assert messages[-1] == "Saved 7"
    shares = [s for s, t in seen if t.startswith(("Saving", "Saved"))]
    assert shares == sorted(shares) and shares[-1] == 1.0


def test_the_summary_has_what_a_script_needs(store):
    store.add(Run(date=dt.date(2024, 3, 2), distance_m=5000, duration_s=1790))
    summary = run_import(store, upload("strava_en_us.csv"), upload("rows_rejected.csv")).as_dict()
    assert summary["added"] == {"run": 5, "gym": 3} and summary["added_total"] == 8
    assert summary["distance_added_m"] == pytest.approx(34168.99951171875 - 5021.2998046875 + 5010.2, abs=0.1)
    assert summary["possible_duplicates"] == 1
    assert summary["left_out"] == {"Ride": 1, "Walk": 1, "Workout": 1, "Yoga": 1}
    assert summary["rejected_rows"] == 4
    assert {"file": "rows_rejected.csv", "row": 6, "column": "icu_rpe", "value": "14",
            "reason": "must be a whole number from 1 to 10"} in summary["rejected"]  # fmt: skip
    assert summary["files"][0]["summary"] == "Strava export, English, 11 activities, 5 runs, 2 gym sessions"


def test_a_database_of_the_first_schema_upgrades_keeping_its_rows(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(REPO / "tests" / "data" / "kneelog_schema_0001.db", path)
    old = sqlite3.connect(path)
    columns = {t: ", ".join(r[1] for r in old.execute(f"PRAGMA table_info({t})")) for t in ("runs", "gym_sessions")}
    before = {t: old.execute(f"SELECT {c} FROM {t}").fetchall() for t, c in columns.items()}
    old.close()
    store = Store(f"sqlite:///{path}")
    assert store.schema_version() == schema.head_revision() != "0001"
    con = sqlite3.connect(path)
    assert {t: con.execute(f"SELECT {c} FROM {t}").fetchall() for t, c in columns.items()} == before
    assert con.execute("SELECT count(*) FROM column_mappings").fetchone() == (0,)


# -- whatever the bytes: a clean refusal or a clean import, never a traceback or a partial write -------------------

REAL = sorted(p for p in SAMPLES.rglob("*.csv"))
DAMAGE = [b",", b";", b'"', b"\n", b"\r", b"\x00", b"\xff\xfe", b"--"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000))
def test_random_bytes_are_refused_cleanly_or_read(store, data):
    plan = session.preview(store, [session.Upload("random.csv", data)])
    outcome = plan.files[0]
    assert (outcome.parsed is None) != (outcome.error is None)
    if outcome.error is not None:
        assert isinstance(outcome.error, FileRejected) and str(outcome.error).startswith("random.csv")


def _mutate(data: bytes, draw) -> bytes:
    """One of the ways real files get damaged: cut, spliced, a line doubled or dropped, a character replaced."""
    kind = draw(st.sampled_from(["truncate", "delete", "insert", "replace", "duplicate_line", "drop_line"]))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if kind == "truncate":
        return data[:at]
    if kind == "delete":
        return data[:at] + data[at + draw(st.integers(1, 40)) :]
    if kind == "insert":
        return data[:at] + draw(st.sampled_from(DAMAGE)) + data[at:]
    if kind == "replace":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 1 :]
    lines = data.split(b"\n")
    line = draw(st.integers(0, len(lines) - 1))
    if kind == "duplicate_line":
        return b"\n".join(lines[: line + 1] + lines[line:])
    return b"\n".join(lines[:line] + lines[line + 1 :])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from(REAL), mutations=st.data())
def test_damaged_real_files_import_cleanly_or_not_at_all(store, source, mutations):
    data = source.read_bytes()
    for _ in range(mutations.draw(st.integers(1, 3))):
        data = _mutate(data, mutations.draw)
    before = counts(store)
    plan = session.preview(store, [session.Upload(source.name, data, units="km")])
    try:
        summary = session.commit(store, plan)
    except ImportRefused:
        assert counts(store) == before
        assert plan.refused and isinstance(plan.refused[0].error, FileRejected)
        return
    after = counts(store)
    assert {k: after[k] - before[k] for k in after} == summary.added  # exactly what it reported, never part of it
