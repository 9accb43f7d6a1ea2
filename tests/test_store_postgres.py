"""The store on PostgreSQL: the same schema as on SQLite, writers that queue, ids from RETURNING, errors in words.

The store's behaviour on both databases is tested in test_store.py, test_backup.py, test_imports.py and
test_reliability_concurrency.py (marked ``backends``); here is what only a server database has.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import sqlalchemy as sa

from kneelog.errors import DatabaseError, DuplicateEntry
from kneelog.models import Run
from kneelog.store import ENV_VAR, Store, backup, tables
from kneelog.store.location import locate

DAY = dt.date(2026, 10, 5)


def _schema(url: str) -> dict[str, tuple]:
    """Each table's columns (name, nullable, type affinity), indexes (name, columns, unique; PostgreSQL's indexes that
    back a unique constraint left out, as SQLite does) and unique constraints, as the database has them."""
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        return {
            name: (
                [(c["name"], c["nullable"], c["type"]._type_affinity.__name__) for c in inspector.get_columns(name)],
                sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(name)
                    if not i.get("duplicates_constraint")
                ),
                sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(name)),
            )
            for name in sorted(inspector.get_table_names())
        }
    finally:
        engine.dispose()


def test_the_migrations_build_the_same_schema_on_postgresql_as_on_sqlite(postgres_server, tmp_path):
    sqlite_url, pg_url = f"sqlite:///{tmp_path / 'k.db'}", postgres_server.new_database()
    for url in (sqlite_url, pg_url):
        Store(url).dispose()
    on_sqlite, on_pg = _schema(sqlite_url), _schema(pg_url)
    assert on_pg == on_sqlite
    assert set(on_pg) == {t.name for t in tables.metadata.sorted_tables} | {"alembic_version"}  # tables.py mirrors it
    postgres_server.drop_database(pg_url)


def test_the_unique_source_index_is_partial_on_postgresql(postgres_server):
    url = postgres_server.new_database()
    Store(url).dispose()
    engine = sa.create_engine(url)
    indexes = {i["name"]: i for i in sa.inspect(engine).get_indexes("runs")}
    engine.dispose()
    assert indexes["uq_runs_source_id"]["dialect_options"]["postgresql_where"] == "(source_id IS NOT NULL)"
    postgres_server.drop_database(url)


@pytest.mark.backends("sqlite", "postgresql")
def test_activities_without_a_source_id_may_repeat_and_with_one_may_not(store):
    hand_logged = Run(date=DAY, distance_m=5000, duration_s=1500, source="strava")
    assert len(store.add_many([hand_logged, hand_logged])) == 2
    imported = hand_logged.model_copy(update={"source_id": "987"})
    store.add(imported)
    with pytest.raises(DuplicateEntry, match=r"This run is already stored \(same source and id\)"):
        store.add(imported)
    assert store.counts()["run"] == 3


@pytest.mark.backends("postgresql")
def test_a_second_writer_waits_for_the_first_to_commit_and_both_are_kept(store):
    done = threading.Event()

    def second_writer() -> None:
        store.add(Run(date=DAY, distance_m=2000, duration_s=600, notes="second"))
        done.set()

    with store.transaction() as tx:
        tx.add_many([Run(date=DAY, distance_m=1000, duration_s=300, notes="first")])
        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.5)
        assert not done.is_set()  # queued behind the open write transaction, not failed and not interleaved
    thread.join(timeout=30)
    assert done.is_set()
    assert store.frame("run")["notes"].tolist() == ["first", "second"]
    assert store.data_version() == 2


@pytest.mark.backends("postgresql")
def test_readers_do_not_wait_for_a_writer(store):
    store.add(Run(date=DAY, distance_m=1000, duration_s=300))
    with store.transaction() as tx:
        tx.add_many([Run(date=DAY, distance_m=2000, duration_s=600)])
        assert store.counts()["run"] == 1  # the committed state, at once
    assert store.counts()["run"] == 2


@pytest.mark.backends("postgresql")
def test_the_file_check_is_left_to_the_server(store):
    store.check()  # no PRAGMA on PostgreSQL: nothing raised


def test_settings_name_a_server_database_without_its_password():
    found = locate({ENV_VAR: "postgresql+psycopg://coach:hunter2@db.example:5432/kneelog"})
    assert found.describe() == (
        f"The database is postgresql+psycopg://coach:***@db.example:5432/kneelog, set by {ENV_VAR}."
    )


def test_salvage_is_refused_for_a_server_database_with_what_to_do_instead():
    with pytest.raises(DatabaseError, match=r"postgresql\+psycopg://me:\*\*\*@db\.example/k is a database server.*"
                       r"make an ordinary backup instead \(kneelog export, without --salvage\)"):  # fmt: skip
        backup.salvage_backup("postgresql+psycopg://me:secret@db.example/k")
