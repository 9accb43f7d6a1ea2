"""Isolation per athlete, enforced in the store: athlete B reaches none of athlete A's rows through any store call.

Two athletes share one database (accounts 2 and 3, written here with plain SQL: the accounts API is not under test).
Athlete A logs one entry of every kind, a programme of one exercise that a gym session logs, settings and a column
mapping. Then athlete B's store tries every public method of :class:`Store` and :class:`Transaction` on A's ids and
data; each try must see nothing of A's, refuse A's ids as missing, and leave A's rows exactly as they were. The
methods are listed by introspection, so a new one fails the suite until it is tried here (or named as not touching
an athlete's data).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from kneelog.demo import load_demo
from kneelog.errors import DuplicateEntry, EntryNotFound, ReadOnly, RestoreRefused
from kneelog.importers import session
from kneelog.importers.mapping import header_key
from kneelog.models import (
    DEMO,
    Exercise,
    ExerciseLog,
    FunctionTest,
    GymSession,
    KneeCheckin,
    QuestionnaireScore,
    Race,
    Run,
    Settings,
    StretchDone,
    StretchSession,
    WeeklyPain,
)
from kneelog.store import FRAME_COLUMNS, Store, Transaction, backup, tables
from kneelog.store.transfer import copy_log
from tests.import_fixtures import data_of, fixture

pytestmark = pytest.mark.backends("sqlite", "postgresql")

DAY = dt.date(2026, 11, 2)  # a Monday
A, B = 2, 3
HEADER = ["Day", "Km", "Time"]
MAPPING = '{"date": "Day", "distance": "Km", "duration": "Time"}'
#: A's log: one entry of each of the eight kinds.
A_COUNTS = {kind: 1 for kind in tables.ENTRY_TABLES}
NONE = {kind: 0 for kind in tables.ENTRY_TABLES}


def add_account(store: Store, account_id: int, role: str = "athlete") -> None:
    """An account row written directly (the accounts API belongs to another module)."""
    with store.engine.begin() as conn:
        conn.execute(
            tables.accounts.insert().values(
                id=account_id, issuer="https://id.example", subject=f"sub-{account_id}", email=None,
                name=f"Athlete {account_id}", role=role, created_at="2026-12-02T08:00:00+00:00",
            )
        )  # fmt: skip


def rows_of(store: Store, athlete_id: int) -> dict[str, list[tuple]]:
    """Every row of an athlete's log read with plain SQL (children through their sessions), by primary key."""
    rows = {}
    with store.engine.connect() as conn:
        for table in tables.ATHLETE_TABLES:
            query = sa.select(table).where(table.c.athlete_id == athlete_id).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in conn.execute(query)]
        for child, (parent, column) in tables.CHILD_TABLES.items():
            query = (
                sa.select(child)
                .join(parent, parent.c.id == child.c[column])
                .where(parent.c.athlete_id == athlete_id)
                .order_by(*child.primary_key.columns)
            )
            rows[child.name] = [tuple(row) for row in conn.execute(query)]
    return rows


@dataclass
class Log:
    """Athlete A's ids, by kind (and ``exercise``), and both athletes' stores."""

    a: Store
    b: Store
    ids: dict[str, int]


def a_entries(exercise_id: int) -> list:
    return [
        Run(date=DAY, distance_m=8000, duration_s=2700, rpe=5, source="strava", source_id="111"),
        GymSession(
            date=DAY, duration_s=2400, rpe=6,
            exercises=(ExerciseLog(exercise_id=exercise_id, name="Split squat", sets=3, reps=8, load_kg=12.5),),
        ),
        StretchSession(date=DAY, items=(StretchDone(stretch_id="half_kneel_quad", side="left"),)),
        KneeCheckin(date=DAY, knee="right", stairs=3),
        Race(date=DAY + dt.timedelta(days=90), name="Half", distance_m=21097.5),
        WeeklyPain(date=DAY, usual=2, worst=4),
        QuestionnaireScore(date=DAY, scale="akps", score=81),
        FunctionTest(date=DAY, test="step_down", side="right", pain=3),
    ]  # fmt: skip


@pytest.fixture
def log(store: Store) -> Log:
    add_account(store, A)
    add_account(store, B)
    a, b = store.for_athlete(A), store.for_athlete(B)
    exercise_id = a.add_exercise(Exercise(name="Split squat", sets=3, reps=8, load_kg=12.5, category="knee"))
    entries = a_entries(exercise_id)
    ids = dict(zip((e.kind for e in entries), a.add_many(entries), strict=True)) | {"exercise": exercise_id}
    a.save_settings(Settings(timezone="Europe/Oslo", athlete_name="Ada"))
    with a.transaction() as tx:
        tx.save_column_mapping(header_key(HEADER), HEADER, MAPPING)
    return Log(a, b, ids)


def a_run(log: Log) -> Run:
    return log.a.get("run", log.ids["run"])


# -- what B tries, method by method ---------------------------------------------------------------------------------


def _gets_nothing(log: Log) -> None:
    for kind in tables.ENTRY_TABLES:
        with pytest.raises(EntryNotFound, match=f"id {log.ids[kind]}"):
            log.b.get(kind, log.ids[kind])


def _frames_empty(log: Log) -> None:
    assert {kind: len(log.b.frame(kind)) for kind in FRAME_COLUMNS} == {kind: 0 for kind in FRAME_COLUMNS}
    assert len(log.a.frame("gym_exercise")) == len(log.a.frame("stretch_item")) == 1


def _adds_beside(log: Log) -> None:
    # the same day, knee and imported file as A's are B's own to log
    same = [Run(date=DAY, distance_m=5000, duration_s=1800, source="strava", source_id="111"),
            KneeCheckin(date=DAY, knee="right", stairs=1), WeeklyPain(date=DAY, usual=0, worst=1)]  # fmt: skip
    new_ids = log.b.add_many(same)
    assert log.b.counts() == NONE | {"run": 1, "checkin": 1, "weekly_pain": 1}
    assert new_ids[0] != log.ids["run"]
    with pytest.raises(EntryNotFound, match=f"exercise with id {log.ids['exercise']}"):
        log.b.add(GymSession(date=DAY, duration_s=600, exercises=(_log_of(log.ids["exercise"]),)))
    with pytest.raises(DuplicateEntry, match="already a check-in"):  # B's own rule still holds for B
        log.b.add(KneeCheckin(date=DAY, knee="right", stairs=2))


def _log_of(exercise_id: int) -> ExerciseLog:
    return ExerciseLog(exercise_id=exercise_id, name="Split squat", sets=1, reps=1)


def _updates_nothing(log: Log) -> None:
    with pytest.raises(EntryNotFound):
        log.b.update(a_run(log).model_copy(update={"distance_m": 1.0}))
    stretch = log.a.get("stretch", log.ids["stretch"])
    with pytest.raises(EntryNotFound):
        log.b.update(stretch.model_copy(update={"items": (StretchDone(stretch_id="calf_wall", side="both"),)}))
    gym = log.a.get("gym", log.ids["gym"])
    with pytest.raises(EntryNotFound):
        log.b.update(gym.model_copy(update={"exercises": ()}))


def _deletes_nothing(log: Log) -> None:
    for kind in tables.ENTRY_TABLES:
        with pytest.raises(EntryNotFound):
            log.b.delete(kind, log.ids[kind])


def _b_settings(log: Log) -> None:
    assert not log.b.has_settings() and log.a.has_settings()
    assert log.b.settings().athlete_name == "" and log.a.settings().athlete_name == "Ada"
    log.b.save_settings(Settings(timezone="UTC", athlete_name="Ben"))
    assert (log.a.settings().athlete_name, log.b.settings().athlete_name) == ("Ada", "Ben")


def _b_programme(log: Log) -> None:
    assert log.b.exercises(archived=True) == []
    b_id = log.b.add_exercise(Exercise(name="Bridge", sets=2, reps=10))
    assert [(e.id, e.position) for e in log.b.exercises()] == [(b_id, 0)]  # B's first, not after A's
    a_exercise = log.a.exercises()[0]
    with pytest.raises(EntryNotFound):
        log.b.update_exercise(a_exercise.model_copy(update={"name": "Taken"}))
    with pytest.raises(EntryNotFound):
        log.b.move_exercise(a_exercise.id, 1)
    with pytest.raises(EntryNotFound):
        log.b.remove_exercise(a_exercise.id)


def _sources(log: Log) -> None:
    assert (log.a.count_source("manual"), log.a.count_source("strava")) == (7, 1)
    assert (log.b.count_source("manual"), log.b.count_source("strava")) == (0, 0)
    assert (log.b.delete_source("manual"), log.b.delete_source("strava")) == (0, 0)
    assert log.a.has_own_data() and not log.b.has_own_data()


def _b_reads_empty(log: Log) -> None:
    assert log.a.counts() == A_COUNTS and log.b.counts() == NONE
    assert len(log.a.outcome_scores()) == 4  # weekly pain (usual, worst), one questionnaire, one functional test
    assert log.b.outcome_scores().empty
    assert len(log.a.existing_activities()) == 2 and log.b.existing_activities().empty
    assert log.a.column_mapping(header_key(HEADER)) == MAPPING and log.b.column_mapping(header_key(HEADER)) is None
    _, rows = log.b.snapshot()
    assert {name: len(r) for name, r in rows.items()} == {t.name: 0 for t in backup.TABLES}


def _b_erases_own(log: Log) -> None:
    log.b.add(Run(date=DAY, distance_m=3000, duration_s=1000))
    erased = log.b.erase_athlete()
    assert erased["runs"] == 1 and sum(erased.values()) == 1
    assert log.b.counts() == NONE


def _b_versions(log: Log) -> None:
    before = log.a.data_version()
    log.b.add(Run(date=DAY, distance_m=3000, duration_s=1000))
    assert log.a.data_version() == before and log.b.data_version() == 1


def _b_transaction(log: Log) -> None:
    with log.b.transaction() as tx:
        _transaction_tries(log, tx)


def _transaction_tries(log: Log, tx: Transaction) -> None:
    assert tx.counts() == NONE and tx.existing_activities().empty and not tx.held()
    assert {name: len(r) for name, r in tx.snapshot()[1].items()} == {t.name: 0 for t in backup.TABLES}
    assert tx.exercises(archived=True) == []
    with pytest.raises(EntryNotFound):
        tx.update(a_run(log))
    with pytest.raises(EntryNotFound):
        tx.delete("race", log.ids["race"])
    a_exercise = log.a.exercises()[0]
    for attempt in (
        lambda: tx.update_exercise(a_exercise),
        lambda: tx.move_exercise(a_exercise.id, -1),
        lambda: tx.remove_exercise(a_exercise.id),
    ):
        with pytest.raises(EntryNotFound):
            attempt()
    assert tx.delete_source("manual") == 0 and tx.delete_exercises_of("manual") == 0
    tx.save_settings(Settings(athlete_name="Ben"))
    tx.save_column_mapping(header_key(HEADER), HEADER, '{"date": "Day", "duration": "Time"}')
    tx.add_exercise(Exercise(name="Bridge", sets=2, reps=10))
    tx.add_many([KneeCheckin(date=DAY, knee="right", stairs=1)])
    assert tx.counts() == NONE | {"checkin": 1} and tx.held()
    assert tx.erase_athlete() == {
        "gym_exercise_logs": 0, "stretch_items": 0, "column_mappings": 1, "settings": len(Settings.model_fields),
        "exercises": 1, "function_tests": 0, "questionnaire_scores": 0, "weekly_pain": 0, "races": 0,
        "checkins": 1, "stretch_sessions": 0, "gym_sessions": 0, "runs": 0,
    }  # fmt: skip
    # replace_all with A's own rows (as a backup of A holds them): they become B's, with new ids
    tx.replace_all({name: [row._asdict() for row in rows] for name, rows in log.a.snapshot()[1].items()})
    assert tx.counts() == A_COUNTS


#: What B tries through each public method of Store (several methods share one try).
STORE_TRIES: dict[str, Callable[[Log], None]] = {
    "get": _gets_nothing,
    "frame": _frames_empty,
    "add": _adds_beside,
    "add_many": _adds_beside,
    "update": _updates_nothing,
    "delete": _deletes_nothing,
    "delete_source": _sources,
    "count_source": _sources,
    "has_own_data": _sources,
    "save_settings": _b_settings,
    "settings": _b_settings,
    "has_settings": _b_settings,
    "exercises": _b_programme,
    "add_exercise": _b_programme,
    "update_exercise": _b_programme,
    "move_exercise": _b_programme,
    "remove_exercise": _b_programme,
    "counts": _b_reads_empty,
    "outcome_scores": _b_reads_empty,
    "existing_activities": _b_reads_empty,
    "column_mapping": _b_reads_empty,
    "snapshot": _b_reads_empty,
    "erase_athlete": _b_erases_own,
    "data_version": _b_versions,
    "transaction": _b_transaction,
}
#: Public methods that touch no athlete's rows, and why.
STORE_NOT_DATA = {
    "check": "SQLite's page check of the whole file (reads no row into kneelog)",
    "dispose": "closes the connection pool",
    "schema_version": "the database's revision",
    "for_athlete": "makes a scoped store (tried by every test here, and refused for an unknown account below)",
}
#: Public methods of Transaction, each tried by :func:`_transaction_tries`.
TRANSACTION_TRIED = {
    "add_many", "update", "delete", "delete_source", "save_settings", "save_column_mapping", "counts",
    "existing_activities", "snapshot", "held", "replace_all", "erase_athlete", "exercises", "add_exercise",
    "update_exercise", "move_exercise", "remove_exercise", "delete_exercises_of",
}  # fmt: skip


def public_methods(cls: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(cls, callable) if not name.startswith("_")}


def test_every_public_method_of_the_store_is_tried_across_athletes():
    assert public_methods(Store) == set(STORE_TRIES) | set(STORE_NOT_DATA)
    assert public_methods(Transaction) == TRANSACTION_TRIED
    source = inspect.getsource(_transaction_tries)
    assert not [name for name in TRANSACTION_TRIED if f"tx.{name}(" not in source]


@pytest.mark.parametrize("method", sorted(STORE_TRIES))
def test_athlete_b_reaches_nothing_of_athlete_a_through(log: Log, method: str):
    before = rows_of(log.a, A)
    STORE_TRIES[method](log)
    assert rows_of(log.a, A) == before
    assert log.a.counts() == A_COUNTS


def test_a_store_for_an_account_that_does_not_exist_is_refused(store: Store):
    with pytest.raises(EntryNotFound, match="No account with id 99"):
        store.for_athlete(99)


# -- read-only ------------------------------------------------------------------------------------------------------

#: Each write of a store, as a read-only store is asked for it.
WRITES: dict[str, Callable[[Store, Log], object]] = {
    "add": lambda ro, log: ro.add(Run(date=DAY, distance_m=1000, duration_s=300)),
    "add_many": lambda ro, log: ro.add_many([KneeCheckin(date=DAY, knee="left", stairs=1)]),
    "update": lambda ro, log: ro.update(a_run(log).model_copy(update={"distance_m": 1.0})),
    "delete": lambda ro, log: ro.delete("run", log.ids["run"]),
    "delete_source": lambda ro, log: ro.delete_source("manual"),
    "save_settings": lambda ro, log: ro.save_settings(Settings()),
    "add_exercise": lambda ro, log: ro.add_exercise(Exercise(name="Bridge", sets=2, reps=10)),
    "update_exercise": lambda ro, log: ro.update_exercise(ro.exercises()[0].model_copy(update={"name": "X"})),
    "move_exercise": lambda ro, log: ro.move_exercise(log.ids["exercise"], 1),
    "remove_exercise": lambda ro, log: ro.remove_exercise(log.ids["exercise"]),
    "erase_athlete": lambda ro, log: ro.erase_athlete(),
    "transaction": lambda ro, log: ro.transaction().__enter__(),
    "restore": lambda ro, log: backup.restore(ro, backup.export_backup(log.a), replace=True),
}
READS = {"get", "frame", "counts", "has_own_data", "count_source", "outcome_scores", "existing_activities",
         "column_mapping", "has_settings", "settings", "snapshot", "exercises", "data_version"}  # fmt: skip


def test_every_store_method_is_a_read_or_a_write_refused_when_read_only():
    assert public_methods(Store) - set(STORE_NOT_DATA) == READS | (set(WRITES) - {"restore"})


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_read_only_store_refuses_every_write_and_changes_nothing(log: Log, store: Store, write: str):
    reader = store.for_athlete(A, read_only=True)
    before, version = rows_of(log.a, A), log.a.data_version()
    with pytest.raises(ReadOnly, match="open to read only"):
        WRITES[write](reader, log)
    assert rows_of(log.a, A) == before and log.a.data_version() == version
    assert reader.read_only and reader.athlete_id == A and reader.counts() == A_COUNTS  # it still reads


# -- data versions --------------------------------------------------------------------------------------------------


def test_one_athletes_write_leaves_the_other_athletes_data_version_alone(log: Log, store: Store):
    # A's fixture wrote four transactions: the exercise, the entries, the settings, the column mapping
    assert (log.a.data_version(), log.b.data_version(), store.data_version()) == (4, 0, 0)
    log.a.add(Run(date=DAY, distance_m=1000, duration_s=300))
    log.b.add(Run(date=DAY, distance_m=1000, duration_s=300))
    log.b.delete_source("manual")
    assert (log.a.data_version(), log.b.data_version(), store.data_version()) == (5, 2, 0)


# -- backups, restores and copies -----------------------------------------------------------------------------------


def test_a_backup_holds_only_its_athletes_rows_and_no_athlete_column(log: Log):
    assert backup.read_backup(backup.export_backup(log.b)).empty
    data = backup.export_backup(log.a)
    checked = backup.read_backup(data)
    assert checked.counts == A_COUNTS
    assert all("athlete_id" not in file.columns for file in checked.manifest.tables.values())
    assert b"athlete_id" not in data and "accounts" not in checked.manifest.tables


def test_a_backup_restores_into_another_athlete_with_new_ids_that_children_follow(log: Log):
    before = rows_of(log.a, A)
    backup.restore(log.b, backup.export_backup(log.a))
    assert rows_of(log.a, A) == before
    assert log.b.counts() == A_COUNTS
    b_gym = log.b.frame("gym").iloc[0]
    assert b_gym["id"] != log.ids["gym"]  # A holds that id
    [b_log] = log.b.get("gym", int(b_gym["id"])).exercises
    [b_exercise] = log.b.exercises()
    assert b_log.exercise_id == b_exercise.id != log.ids["exercise"]
    [b_item] = log.b.frame("stretch_item").to_dict("records")
    assert b_item["session_id"] == log.b.frame("stretch").iloc[0]["id"] != log.ids["stretch"]
    assert log.b.frame("gym_exercise")["category"].tolist() == ["knee"]
    assert log.b.settings().athlete_name == "Ada" and log.b.column_mapping(header_key(HEADER)) == MAPPING


def test_restoring_over_one_athlete_keeps_the_others_rows(log: Log):
    log.b.add(Run(date=DAY, distance_m=3000, duration_s=1000))
    before = rows_of(log.a, A)
    with pytest.raises(RestoreRefused, match="already holds 1 run"):
        backup.restore(log.b, backup.export_backup(log.a))
    restored = backup.restore(log.b, backup.export_backup(log.a), replace=True)
    assert restored.safety_copy is not None and "athlete-3-" in restored.safety_copy.name
    assert backup.read_backup(restored.safety_copy).counts == NONE | {"run": 1}  # B's run, none of A's
    assert rows_of(log.a, A) == before and log.b.counts() == A_COUNTS
    backup.restore(log.b, backup.export_backup(log.b.for_athlete(B)), replace=True)  # B over B: ids stay
    assert rows_of(log.a, A) == before


def test_a_single_user_restore_gives_back_the_same_ids_beside_other_athletes(log: Log, store: Store):
    store.add_many(a_entries(None))  # the local athlete's log, ids after A's
    before = rows_of(store, tables.LOCAL_ATHLETE)
    data = backup.export_backup(store)
    store.erase_athlete()
    backup.restore(store, data)
    assert rows_of(store, tables.LOCAL_ATHLETE) == before


def test_erasing_an_athlete_deletes_every_row_of_theirs_and_keeps_the_account(log: Log, store: Store):
    log.b.add(Run(date=DAY, distance_m=3000, duration_s=1000))
    erased = log.a.erase_athlete()
    # one entry of each kind, its stretch item and logged exercise, the programme's exercise, the settings saved
    # (every field of Settings) and one column mapping
    assert erased == {
        "gym_exercise_logs": 1, "stretch_items": 1, "column_mappings": 1, "settings": len(Settings.model_fields),
        "exercises": 1, "function_tests": 1, "questionnaire_scores": 1, "weekly_pain": 1, "races": 1,
        "checkins": 1, "stretch_sessions": 1, "gym_sessions": 1, "runs": 1,
    }  # fmt: skip
    assert all(rows == [] for rows in rows_of(store, A).values())
    assert log.b.counts() == NONE | {"run": 1}
    assert log.a.data_version() == 5  # the account is still there, and the erasure was one more write


def test_an_import_by_one_athlete_neither_matches_nor_removes_the_others_entries(log: Log, store: Store):
    # strava_en_us.csv holds 5 runs and 2 gym sessions (tests/data/imports/manifest.toml)
    strava = session.Upload("strava_en_us.csv", data_of(fixture("strava_en_us.csv")))
    first = session.commit(log.a, session.preview(log.a, [strava]))
    add_account(store, 4)
    trying = store.for_athlete(4)  # a third athlete, trying the demo
    load_demo(trying, days=14, end=DAY)
    before, demo = (rows_of(store, A), rows_of(store, 4)), trying.count_source(DEMO)
    second = session.commit(log.b, session.preview(log.b, [strava]))  # the same file: new to B
    assert first.added == second.added == {"run": 5, "gym": 2} and demo > 0
    assert {k: v for k, v in log.b.counts().items() if v} == {"run": 5, "gym": 2}
    assert (rows_of(store, A), rows_of(store, 4)) == before  # B's import removed none of the other demo


def test_a_log_copies_into_another_athlete_of_the_same_database(log: Log, store: Store):
    before = rows_of(store, A)
    copied = copy_log(store.url, store.url, source_athlete=A, target_athlete=B)
    assert copied.counts == A_COUNTS and log.b.counts() == A_COUNTS
    assert rows_of(store, A) == before


# -- the upgrade that brought athletes ------------------------------------------------------------------------------

#: A log at schema 0005 (before accounts), written with plain SQL: a stretch session with two items, a gym session
#: logging a programme exercise, a check-in, settings and a column mapping.
SCHEMA_0005_ROWS = [
    "INSERT INTO runs (id, date, distance_m, duration_s, source, source_id, created_at, updated_at) "
    "VALUES (5, '2026-01-05', 10000, 3000, 'strava', '9', 't', 't')",
    "INSERT INTO stretch_sessions (id, date, created_at, updated_at) VALUES (7, '2026-01-06', 't', 't')",
    "INSERT INTO stretch_items VALUES (7, 'half_kneel_quad', 'left'), (7, 'calf_wall', 'both')",
    "INSERT INTO exercises (id, name, sets, position, created_at, updated_at) VALUES (3, 'Bridge', 2, 0, 't', 't')",
    "INSERT INTO gym_sessions (id, date, duration_s, created_at, updated_at) VALUES (9, '2026-01-07', 600, 't', 't')",
    "INSERT INTO gym_exercise_logs (session_id, position, exercise_id, name, sets) VALUES (9, 0, 3, 'Bridge', 2)",
    "INSERT INTO checkins (id, date, knee, created_at, updated_at) VALUES (2, '2026-01-05', 'left', 't', 't')",
    "INSERT INTO settings VALUES ('athlete_name', '\"Ada\"')",
    "INSERT INTO column_mappings VALUES ('k', '[]', '{}', 't')",
]


def test_a_database_at_0005_upgrades_with_every_row_the_local_athletes(db_url: str):
    old = Store(db_url, upgrade="0005")
    with old.engine.begin() as conn:
        for statement in SCHEMA_0005_ROWS:
            conn.exec_driver_sql(statement)
    old.dispose()
    store = Store(db_url)
    try:
        assert store.athlete_id == tables.LOCAL_ATHLETE and not store.read_only
        assert store.counts() == NONE | {"run": 1, "stretch": 1, "gym": 1, "checkin": 1}
        assert {(i.stretch_id, i.side) for i in store.get("stretch", 7).items} == {
            ("half_kneel_quad", "left"), ("calf_wall", "both"),
        }  # fmt: skip
        assert [(e.exercise_id, e.name) for e in store.get("gym", 9).exercises] == [(3, "Bridge")]
        assert store.settings().athlete_name == "Ada" and store.column_mapping("k") == "{}"
        with store.engine.begin() as conn:  # a new account takes the id after the local athlete's
            new = conn.execute(
                tables.accounts.insert().values(issuer="i", subject="s", role="athlete", created_at="t")
            ).inserted_primary_key[0]
        assert new == 2
        newcomer = store.for_athlete(new)
        same_day = dt.date(2026, 1, 5)
        newcomer.add_many(
            [
                KneeCheckin(date=same_day, knee="left", stairs=1),
                Run(date=same_day, distance_m=1, duration_s=1, source="strava", source_id="9"),
            ]
        )
        assert store.counts()["checkin"] == 1 and newcomer.counts()["checkin"] == 1
    finally:
        store.dispose()
