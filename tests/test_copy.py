"""``kneelog copy``: a whole log from SQLite into PostgreSQL and back, row for row, all or nothing, counts checked."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from kneelog.cli import main
from kneelog.demo import load_demo
from kneelog.errors import DatabaseError, RestoreRefused, WriteFailed
from kneelog.importers.mapping import ColumnMapping, header_key
from kneelog.models import Run, Settings
from kneelog.store import Store
from kneelog.store.transfer import copy_log
from tests.test_backup import dump, own_entries

DAY = dt.date(2026, 10, 5)
HEADER = ["When", "Km", "Time"]


@pytest.fixture
def pg_url(postgres_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A new, empty database on the test server (a safety copy goes to the test's own data folder)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)


def sqlite_url(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name}"


def a_log(url: str) -> Store:
    """A runner's log: the demo athlete's 90 days, entries of their own, settings and a remembered column mapping."""
    store = Store(url)
    load_demo(store, days=90, end=DAY)
    store.add_many(own_entries())
    store.save_settings(Settings(unit="mi", timezone="Europe/London", hold_seconds=40))
    with store.transaction() as tx:
        mapping = ColumnMapping(date="When", distance="Km", duration="Time")
        tx.save_column_mapping(header_key(HEADER), HEADER, mapping.model_dump_json())
    return store


def rows_in(url: str) -> dict[str, list[tuple]]:
    store = Store(url, create=False)
    try:
        return dump(store)
    finally:
        store.dispose()


def test_a_log_copied_from_sqlite_to_postgresql_and_back_is_equal_row_for_row(tmp_path, pg_url, capsys):
    first, back = sqlite_url(tmp_path, "first.db"), sqlite_url(tmp_path, "back.db")
    a_log(first).dispose()

    assert main(["copy", "--from", first, "--to", pg_url]) == 0
    assert main(["copy", "--from", pg_url, "--to", back]) == 0

    original = rows_in(first)
    assert rows_in(pg_url) == original
    assert rows_in(back) == original
    assert len(original["checkins"]) > 80 and len(original["column_mappings"]) == 1  # the whole log went, not a part
    out = capsys.readouterr().out
    assert f"Copied {len(original['runs']):,} runs, " in out and f"to {pg_url}" in out
    assert f"checkins {len(original['checkins']):,}" in out and "column_mappings 1" in out


def test_the_copy_on_postgresql_takes_new_entries_after_the_copied_ids(tmp_path, pg_url):
    source = sqlite_url(tmp_path, "first.db")
    highest = max(row[0] for row in dump(a_log(source))["runs"])
    copy_log(source, pg_url)
    store = Store(pg_url)
    assert store.add_many([Run(date=DAY, distance_m=5000, duration_s=1500)] * 2) == [highest + 1, highest + 2]
    store.dispose()


def test_a_target_with_entries_is_refused_unless_replace_is_asked_for(tmp_path, pg_url, capsys):
    source = sqlite_url(tmp_path, "first.db")
    a_log(source).dispose()
    target = Store(pg_url)
    target.add(Run(date=DAY, distance_m=3000, duration_s=900, notes="already on the server"))
    target.dispose()
    before = rows_in(pg_url)

    assert main(["copy", "--from", source, "--to", pg_url]) == 1
    assert "already holds 1 run" in capsys.readouterr().err
    assert rows_in(pg_url) == before

    assert main(["copy", "--from", source, "--to", pg_url, "--replace"]) == 0
    assert rows_in(pg_url) == rows_in(source)
    (safety,) = (tmp_path / "data" / "kneelog").glob("kneelog-before-restore-*.zip")
    assert f"before to {safety}" in capsys.readouterr().out


def _trigger(url: str, name: str, timing: str, sqlite_body: str, plpgsql_body: str) -> None:
    """Put a row trigger on the target's ``checkins`` (SQLite's or PostgreSQL's own language, as the database is)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(f"CREATE TRIGGER {name} {timing} INSERT ON checkins {sqlite_body}")
        else:
            conn.exec_driver_sql(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {plpgsql_body} END $$"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER {name} {timing} INSERT ON checkins FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
    engine.dispose()


def _fail_part_way(url: str) -> None:
    """Make the database fail the copy once 20 check-ins are written, as a lost connection would, mid-transaction."""
    many = "(SELECT count(*) FROM checkins) >= 20"
    _trigger(url, "fail_copy", "AFTER", f"WHEN {many} BEGIN SELECT RAISE(ABORT, 'connection lost'); END",
             f"IF {many} THEN RAISE EXCEPTION 'connection lost'; END IF; RETURN NEW;")  # fmt: skip


def _skip_one_checkin(url: str) -> None:
    """Make the database silently drop the check-in with id 5 (a row lost on the way, with no error)."""
    _trigger(url, "skip_one", "BEFORE", "WHEN NEW.id = 5 BEGIN SELECT RAISE(IGNORE); END",
             "IF NEW.id = 5 THEN RETURN NULL; END IF; RETURN NEW;")  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def target_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database with kneelog's schema, on SQLite or PostgreSQL."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else sqlite_url(tmp_path, "target.db")
    Store(url).dispose()
    return url


def test_a_copy_interrupted_part_way_leaves_the_target_empty(tmp_path, target_url):
    source = sqlite_url(tmp_path, "s.db")
    a_log(source).dispose()
    _fail_part_way(target_url)

    with pytest.raises(Exception, match="connection lost"):  # SQLite words it as a clash, PostgreSQL as an error
        copy_log(source, target_url)

    assert all(rows == [] for rows in rows_in(target_url).values())
    assert Store(target_url).data_version() == 0  # not one write transaction was kept


def test_a_copy_that_loses_a_row_on_the_way_is_refused_and_leaves_the_target_empty(tmp_path, target_url):
    source = sqlite_url(tmp_path, "s.db")
    checkins = a_log(source).counts()["checkin"]
    _skip_one_checkin(target_url)

    with pytest.raises(WriteFailed, match=rf"checkins would hold {checkins - 1:,} rows where the backup has "
                       rf"{checkins:,}\. Nothing was changed\."):  # fmt: skip
        copy_log(source, target_url)

    assert all(rows == [] for rows in rows_in(target_url).values())


def test_copying_a_database_onto_itself_is_refused(tmp_path):
    url = sqlite_url(tmp_path, "kneelog.db")
    with pytest.raises(RestoreRefused, match="is both the source and the target"):
        copy_log(url, url)


def test_a_missing_source_is_refused_and_no_target_is_made(tmp_path, capsys):
    missing, target = tmp_path / "typo.db", tmp_path / "target.db"
    assert main(["copy", "--from", f"sqlite:///{missing}", "--to", f"sqlite:///{target}"]) == 1
    assert f"kneelog: There is no database at {missing}" in capsys.readouterr().err
    assert not missing.exists() and not target.exists()


def test_an_unreachable_server_is_named_without_its_password(tmp_path):
    source = sqlite_url(tmp_path, "s.db")
    Store(source).dispose()
    shown = "postgresql+psycopg://me:***@127.0.0.1:1/k"
    with pytest.raises(DatabaseError, match=re.escape(f"Cannot reach the database {shown} (PostgreSQL: ")) as raised:
        copy_log(source, "postgresql+psycopg://me:secret@127.0.0.1:1/k")
    assert "secret" not in str(raised.value)


def test_a_runner_s_local_log_goes_into_their_account_on_a_clinic_server_and_nobody_else_s(tmp_path, pg_url):
    from kneelog.store.accounts import Accounts

    source = sqlite_url(tmp_path, "first.db")
    a_log(source).dispose()
    server = Store(pg_url)
    accounts = Accounts(server)
    runner = accounts.register("https://id.example.org", "runner", None, "Runner", "athlete")
    other = accounts.register("https://id.example.org", "other", None, "Other", "athlete")
    server.for_athlete(other.id).add(Run(date=DAY, distance_m=3000, duration_s=900, notes="someone else's"))

    assert main(["copy", "--from", source, "--to", pg_url, "--to-athlete", str(runner.id)]) == 0

    local = Store(source)
    copied = server.for_athlete(runner.id)
    assert copied.counts() == local.counts()
    assert copied.settings() == local.settings()
    assert server.for_athlete(other.id).frame("run")["notes"].tolist() == ["someone else's"]
    assert server.counts() == dict.fromkeys(local.counts(), 0)  # the server's local athlete (id 1) got nothing
    local.dispose()
    server.dispose()
