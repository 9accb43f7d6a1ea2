"""The store: round trips of every kind, one transaction per write, data version, schema upgrades.

Tests on ``db_url``/``store`` run on SQLite and on PostgreSQL (see tests/postgres.py); those about SQLite's own file
(WAL, a full disk, a damaged page) on SQLite only.
"""

import datetime as dt
import re
import shutil
import sqlite3
import threading
from pathlib import Path

import pandas as pd
import pytest

from bench.athlete import athlete, strava_export
from kneelog.demo import generate
from kneelog.errors import DatabaseDamaged, DatabaseError, DuplicateEntry, EntryNotFound, WriteFailed
from kneelog.importers import session
from kneelog.models import GymSession, KneeCheckin, Race, Run, Settings, StretchDone, StretchSession
from kneelog.store import Store, head_revision
from kneelog.store.schema import tables_at
from tests.storage_faults import cap_pages, damage, immutable

pytestmark = pytest.mark.backends("sqlite", "postgresql")

DAY = dt.date(2026, 10, 5)
#: The outcome measures' entry kinds, none written by these tests.
NO_OUTCOMES = {"weekly_pain": 0, "questionnaire": 0, "function_test": 0}
SCHEMA_0001_DB = Path(__file__).parent / "data" / "kneelog_schema_0001.db"

ENTRIES = [
    Run(date=DAY, start_time=dt.time(7, 30), distance_m=8123.4, duration_s=2801, rpe=6, pain_during=3, notes="é <b>"),
    GymSession(date=DAY, duration_s=3000, rpe=7, notes="Split squats 3x8"),
    StretchSession(
        date=DAY,
        items=(
            StretchDone(stretch_id="half_kneel_quad", side="left"),
            StretchDone(stretch_id="ankle_mobilization", side="right"),
        ),
    ),
    KneeCheckin(date=DAY, knee="right", stairs=4, squat=5, sitting=1, morning_after=None, note="stiff"),
    Race(date=DAY + dt.timedelta(days=400), name="Marathon", distance_m=42195),
]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.kind)
def test_every_kind_round_trips_through_the_database(store, entry):
    entry_id = store.add(entry)
    assert store.get(entry.kind, entry_id) == entry.model_copy(update={"id": entry_id})


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.kind)
def test_entries_survive_reopening_the_file(db_url, entry):
    first = Store(db_url)
    entry_id = first.add(entry)
    first.dispose()
    again = Store(db_url)
    assert again.get(entry.kind, entry_id).date == entry.date
    assert again.counts()[entry.kind] == 1


def test_update_replaces_the_entry_and_its_stretch_items(store):
    session_id = store.add(ENTRIES[2])
    changed = StretchSession(id=session_id, date=DAY, items=(StretchDone(stretch_id="low_lunge_reach", side="left"),))
    store.update(changed)
    items = store.frame("stretch_item")
    assert items["stretch_id"].tolist() == ["low_lunge_reach"]
    assert store.get("stretch", session_id).items == changed.items


def test_delete_removes_a_stretch_session_with_its_items(store):
    session_id = store.add(ENTRIES[2])
    store.delete("stretch", session_id)
    assert store.frame("stretch_item").empty
    assert store.counts()["stretch"] == 0


@pytest.mark.parametrize("action", ["get", "delete", "update"])
def test_missing_entries_raise_entry_not_found(store, action):
    with pytest.raises(EntryNotFound, match="No run with id 99"):
        if action == "update":
            store.update(ENTRIES[0].model_copy(update={"id": 99}))
        else:
            getattr(store, action)("run", 99)


def test_a_second_checkin_for_the_same_knee_and_day_is_refused(store):
    store.add(ENTRIES[3])
    with pytest.raises(DuplicateEntry, match="already a check-in for the right knee on 2026-10-05"):
        store.add(ENTRIES[3])
    assert store.counts()["checkin"] == 1
    store.add(ENTRIES[3].model_copy(update={"knee": "left"}))
    assert store.counts()["checkin"] == 2


BOTH_AND_ONE = "already a check-in for {} on 2026-10-05, and a day has one check-in for both knees or one for each knee"


@pytest.mark.backends("sqlite", "postgresql")
@pytest.mark.parametrize(
    ("stored", "new", "clash"),
    [("right", "both", "the right knee"), ("both", "left", "both knees")],
)
def test_a_checkin_for_both_knees_and_one_for_a_single_knee_on_the_same_day_are_refused(store, stored, new, clash):
    store.add(ENTRIES[3].model_copy(update={"knee": stored}))
    with pytest.raises(DuplicateEntry, match=BOTH_AND_ONE.format(clash)):
        store.add(ENTRIES[3].model_copy(update={"knee": new}))
    assert store.frame("checkin")["knee"].tolist() == [stored]
    store.add(ENTRIES[3].model_copy(update={"knee": new, "date": DAY + dt.timedelta(days=1)}))  # the next day: fine
    assert store.counts()["checkin"] == 2


@pytest.mark.backends("sqlite", "postgresql")
def test_editing_a_checkin_to_both_knees_is_refused_only_beside_the_other_knee(store):
    right = store.add(ENTRIES[3])
    store.update(ENTRIES[3].model_copy(update={"id": right, "knee": "both"}))  # alone that day: its own knee changes
    assert store.get("checkin", right).knee == "both"
    store.update(ENTRIES[3].model_copy(update={"id": right, "knee": "right"}))
    store.add(ENTRIES[3].model_copy(update={"knee": "left"}))
    with pytest.raises(DuplicateEntry, match=BOTH_AND_ONE.format("the left knee")):
        store.update(ENTRIES[3].model_copy(update={"id": right, "knee": "both"}))
    assert sorted(store.frame("checkin")["knee"]) == ["left", "right"]


@pytest.mark.backends("sqlite", "postgresql")
def test_a_batch_with_both_knees_and_one_knee_on_a_day_saves_nothing(store):
    batch = [ENTRIES[0], ENTRIES[3].model_copy(update={"knee": "both"}), ENTRIES[3]]
    with pytest.raises(DuplicateEntry, match=BOTH_AND_ONE.format("both knees")):
        store.add_many(batch)
    assert store.counts()["checkin"] == store.counts()["run"] == 0


def test_add_many_writes_all_or_nothing(store):
    store.add(ENTRIES[3])
    with pytest.raises(DuplicateEntry):
        store.add_many([ENTRIES[0], ENTRIES[1], ENTRIES[3]])
    assert store.counts() == {"run": 0, "gym": 0, "stretch": 0, "checkin": 1, "race": 0} | NO_OUTCOMES


def test_add_many_returns_ids_in_the_order_given(store):
    ids = store.add_many([ENTRIES[0], ENTRIES[1], ENTRIES[0].model_copy(update={"distance_m": 5000.0})])
    assert [store.get(k, i).kind for k, i in zip(("run", "gym", "run"), ids, strict=True)] == ["run", "gym", "run"]
    assert store.get("run", ids[2]).distance_m == 5000.0


def test_every_write_bumps_the_data_version_and_reads_do_not(store):
    versions = [store.data_version()]
    entry_id = store.add(ENTRIES[0])
    versions.append(store.data_version())
    store.frame("run")
    store.counts()
    versions.append(store.data_version())
    store.update(ENTRIES[0].model_copy(update={"id": entry_id, "rpe": 2}))
    versions.append(store.data_version())
    store.delete("run", entry_id)
    versions.append(store.data_version())
    assert versions == [0, 1, 1, 2, 3]


def test_a_failed_write_leaves_the_data_version_alone(store):
    store.add(ENTRIES[3])
    before = store.data_version()
    with pytest.raises(DuplicateEntry):
        store.add(ENTRIES[3])
    assert store.data_version() == before


def test_frames_have_the_documented_columns_and_numeric_scores(store):
    store.add_many(ENTRIES)
    runs = store.frame("run")
    assert runs.loc[0, "distance_m"] == 8123.4 and runs.loc[0, "rpe"] == 6.0
    assert str(runs["date"].dtype).startswith("datetime64")
    checkins = store.frame("checkin")
    assert checkins["morning_after"].isna().all() and checkins["stairs"].tolist() == [4.0]
    items = store.frame("stretch_item")
    assert sorted(items["side"]) == ["left", "right"] and (items["date"] == items["date"].iloc[0]).all()


def test_has_settings_tells_a_first_visit_from_saved_settings(store):
    assert not store.has_settings()
    store.settings()  # reading the defaults saves nothing
    assert not store.has_settings()
    store.save_settings(Settings(unit="mi", timezone="Europe/London"))
    assert store.has_settings()


def test_settings_default_then_round_trip(store):
    assert store.settings().unit == "km"
    store.save_settings(Settings(unit="mi", timezone="America/New_York", routines_per_week=4))
    assert store.settings() == Settings(unit="mi", timezone="America/New_York", routines_per_week=4)


@pytest.mark.backends("sqlite")
def test_connections_use_wal_foreign_keys_and_a_busy_timeout(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_demo_rows_are_not_the_runners_own(store):
    store.add(ENTRIES[0].model_copy(update={"source": "demo"}))
    assert not store.has_own_data()
    store.add(ENTRIES[1])
    assert store.has_own_data()
    assert store.delete_source("demo") == 1


def test_a_first_schema_database_upgrades_and_keeps_every_row(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(SCHEMA_0001_DB, path)
    with sqlite3.connect(path) as conn:
        before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in _entry_tables(conn)}
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    store = Store(f"sqlite:///{path}")
    assert store.schema_version() == head_revision()
    runs = store.frame("run")
    assert runs["distance_m"].tolist() == [8200.0, 12000.0, 5000.0]
    assert runs["notes"].tolist()[1] == "Long run — stairs hurt after"
    assert store.get("checkin", 1).morning_after == 5
    assert [(i.stretch_id, i.side) for i in store.get("stretch", 1).items] == [
        ("half_kneel_quad", "left"),
        ("half_kneel_quad", "right"),
    ]
    store.dispose()
    with sqlite3.connect(path) as conn:
        for table, rows in before.items():
            after = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            assert [row[: len(rows[0])] for row in after] == rows, table


def _entry_tables(conn: sqlite3.Connection) -> list[str]:
    return ["runs", "gym_sessions", "stretch_sessions", "stretch_items", "checkins", "races"]


def test_a_database_from_a_newer_kneelog_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="made by a newer kneelog"):
        Store(f"sqlite:///{path}")


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(DatabaseError, match="not a kneelog database"):
        Store(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["photos"]


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my running notes, not a database\n" * 50)
    with pytest.raises(DatabaseError, match="Cannot open"):
        Store(f"sqlite:///{path}")


def test_opening_waits_while_another_process_holds_a_brand_new_file(tmp_path):
    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    releaser = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    releaser.start()
    store = Store(f"sqlite:///{path}")  # waits for the lock instead of failing with "database is locked"
    releaser.join()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert store.schema_version() == head_revision()


# -- the database's own faults: a message a runner can act on, never a traceback, nothing half-written --------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql+psycopg2://me:secret@db.example/kneelog",
            r"postgresql\+psycopg2://me:\*\*\*@db\.example/kneelog: kneelog speaks PostgreSQL through psycopg 3 "
            r"only, so start the URL with postgresql\+psycopg://",
        ),
        (
            "mysql://me:secret@localhost/kneelog",
            r"mysql://me:\*\*\*@localhost/kneelog: kneelog does not support mysql databases; "
            r"it keeps its data in SQLite or PostgreSQL, so give a URL such as sqlite:///path/to/kneelog\.db or "
            r"postgresql\+psycopg://",
        ),
        (
            "kneelog.db",
            r"'kneelog\.db' is not a database URL: give an SQLite one such as sqlite:///path/to/kneelog\.db",
        ),
        ("no such://thing", r"'no such://thing' is not a database URL"),
        ("oracle+nodriver://x", r"oracle\+nodriver://x: kneelog does not support oracle databases"),
    ],
    ids=["postgresql through another driver", "mysql", "a bare path", "garbage", "unknown dialect"],
)
def test_a_url_kneelog_cannot_use_is_refused_with_a_message(url, message):
    with pytest.raises(DatabaseError, match=message):
        Store(url)
    assert "secret" not in message  # a password is never repeated


def test_a_store_that_must_exist_refuses_a_missing_file_and_makes_none(tmp_path):
    path = tmp_path / "typo" / "kneelog.db"
    with pytest.raises(DatabaseError, match=rf"There is no database at {re.escape(str(path))}: check the path"):
        Store(f"sqlite:///{path}", create=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.backends("sqlite")
def test_a_full_database_refuses_the_write_and_keeps_what_it_had(store):
    store.add(ENTRIES[0])
    before = store.data_version()
    cap_pages(store)
    many = [ENTRIES[0].model_copy(update={"date": DAY - dt.timedelta(days=n), "notes": "x" * 2000}) for n in range(50)]

    with pytest.raises(WriteFailed, match=r"kneelog could not write to .*kneelog\.db: the disk is full \(SQLite: "
                       r"database or disk is full\)\. Nothing was saved; free some space, then try again"):  # fmt: skip
        store.add_many(many)

    assert store.counts()["run"] == 1 and store.data_version() == before


@pytest.mark.backends("sqlite")
def test_an_immutable_database_can_be_read_but_not_written(store, db_url):
    store.add(ENTRIES[0])
    store.dispose()
    with immutable(Path(store.engine.url.database)):
        readonly = Store(db_url)  # opens: the schema is current, so nothing needs writing
        assert readonly.counts()["run"] == 1
        with pytest.raises(WriteFailed, match=r"kneelog cannot write to .*kneelog\.db: the file or its folder is "
                           r"read-only .* \(chmod u\+w, or chattr -i if it was made immutable\)"):  # fmt: skip
            readonly.add(ENTRIES[1])
        readonly.dispose()
    assert Store(db_url).counts()["gym"] == 0


@pytest.mark.backends("sqlite")
def test_a_damaged_database_says_so_and_where_to_save_what_can_be_read(db_url, tmp_path):
    filled = Store(db_url)
    filled.add_many(generate(end=DAY, days=365, seed=5))
    checkins = filled.frame("checkin")
    filled.dispose()
    damage(tmp_path / "kneelog.db", "runs")
    store = Store(db_url)  # the schema pages are intact, so it opens

    for read in (lambda: store.frame("run"), store.check):
        with pytest.raises(
            DatabaseDamaged,
            match=r"kneelog\.db is damaged \(SQLite: .*\), so kneelog cannot read all "
            r"of it\. Nothing was changed\. Save what can still be read with 'kneelog export --salvage'",
        ):
            read()  # fmt: skip
    pd.testing.assert_frame_equal(store.frame("checkin"), checkins)  # the tables on other pages read as before


def test_the_tables_of_each_schema_come_from_its_migrations():
    assert "column_mappings" not in tables_at("0001")
    assert tables_at("0002") == tables_at("0001") | {"column_mappings"}


@pytest.mark.backends("sqlite")
def test_an_import_into_a_full_database_writes_nothing(store):
    store.add(ENTRIES[0])
    cap_pages(store, spare=1)
    plan = session.preview(store, [session.Upload("activities.csv", strava_export(athlete(120, end=DAY, seed=2)))])

    with pytest.raises(WriteFailed, match=r"the disk is full"):
        session.commit(store, plan)

    assert store.counts() == {"run": 1, "gym": 0, "stretch": 0, "checkin": 0, "race": 0} | NO_OUTCOMES
