"""What only SQLite needs: WAL mode, a busy timeout, foreign keys, writers that queue, and errors in words.

Connections use WAL mode, a busy timeout and foreign keys; a write transaction starts with ``BEGIN IMMEDIATE`` so two
writers queue instead of failing. SQLite's errors that a runner can act on (a full disk, a read-only or damaged file)
become kneelog's own errors wherever they happen. :func:`configure` hooks these onto an engine
(:func:`engine` makes one so); :func:`insert_returning_ids` is the fast bulk insert that SQLite's id rule makes safe.
PostgreSQL's counterparts are in :mod:`kneelog.store.postgres`.
"""

from __future__ import annotations

import functools
import sqlite3
import time

import sqlalchemy as sa

from kneelog.errors import DatabaseDamaged, DatabaseError, KneelogError, WriteFailed

BUSY_TIMEOUT_MS = 30_000
#: The execution option that marks a connection as a writer (``BEGIN IMMEDIATE``).
WRITE = "kneelog_write"


def engine(url: sa.URL) -> sa.Engine:
    """An engine for an SQLite URL, every connection set up by :func:`configure`."""
    made = sa.create_engine(url, connect_args=connect_args())
    configure(made)
    return made


def after_explicit_ids(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """Nothing to do after rows were written with ids of their own: SQLite gives a new row one more than the largest
    id in its table (https://www.sqlite.org/autoinc.html). PostgreSQL's sequences need moving on
    (:func:`kneelog.store.postgres.after_explicit_ids`)."""


def connect_args() -> dict:
    """Arguments for the driver: wait up to the busy timeout for a lock."""
    return {"timeout": BUSY_TIMEOUT_MS / 1000}


def configure(engine: sa.Engine) -> None:
    """Set every new connection up (WAL, busy timeout, foreign keys), let kneelog emit BEGIN itself, and word errors."""
    sa.event.listen(engine, "connect", _on_connect)
    sa.event.listen(engine, "begin", _on_begin)
    sa.event.listen(engine, "handle_error", functools.partial(_on_error, engine.url.database or "the database"))


# SQLite's primary result codes (https://www.sqlite.org/rescode.html) that a runner can do something about.
_READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 8, 10, 11, 13, 14, 26


def error_for(path: str, error: sqlite3.Error) -> KneelogError | None:
    """kneelog's error, worded for a runner, for an SQLite error that is about the file; None for any other.

    Args:
        path: the database file, to name in the message.
        error: what the driver raised.
    """
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    said = f"SQLite: {error}"
    if code == _FULL:
        return WriteFailed(
            f"kneelog could not write to {path}: the disk is full ({said}). Nothing was saved; free some space, "
            "then try again."
        )
    if code == _READONLY:
        return WriteFailed(
            f"kneelog cannot write to {path}: the file or its folder is read-only ({said}). Nothing was saved; make "
            "it writable again (chmod u+w, or chattr -i if it was made immutable), or point kneelog at another "
            "database."
        )
    if code == _CORRUPT:
        return DatabaseDamaged(damaged(path, str(error)))
    if code == _NOTADB:
        return DatabaseError(f"Cannot open {path}: it is not a database file kneelog can read ({said}).")
    if code == _CANTOPEN:
        return DatabaseError(f"Cannot open {path} ({said}): check that its folder exists and can be written.")
    if code == _IOERR:
        return DatabaseError(f"{path} could not be read or written ({said}); check the disk. Nothing was saved.")
    return None


def damaged(path: str, found: str) -> str:
    """The message for a damaged database file: what SQLite found, and how to save what can still be read."""
    return (
        f"{path} is damaged (SQLite: {found}), so kneelog cannot read all of it. Nothing was changed. Save what can "
        "still be read with 'kneelog export --salvage' (or on the Backup & restore page), then restore that backup "
        "into a new database."
    )


def _on_error(path: str, context: sa.engine.ExceptionContext) -> None:
    """Raise kneelog's error in place of SQLAlchemy's for the errors :func:`error_for` words (after the rollback)."""
    error = context.original_exception
    if isinstance(error, sqlite3.Error) and (mapped := error_for(path, error)) is not None:
        raise mapped from error


def _on_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # kneelog emits BEGIN itself (see _on_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    _use_wal(cursor)
    cursor.close()


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Put the database in WAL mode (it stays so), waiting while another process holds the file.

    Switching the journal mode needs the file to itself, and SQLite reports "database is locked" at once instead of
    waiting on the busy timeout when two processes open a brand-new database together; so retry until the timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if getattr(e, "sqlite_errorcode", 0) & 0xFF == _READONLY:
                return  # a read-only file is read in the journal mode it has
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _on_begin(conn: sa.Connection) -> None:
    write = conn.get_execution_options().get(WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def insert_returning_ids(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> range:
    """Insert ``rows`` with one ``executemany`` and return their ids, in order.

    The write transaction holds SQLite's write lock, and SQLite gives a row without an id one more than the largest
    id in its table (https://www.sqlite.org/autoinc.html), so the new ids are the ones after the largest before.
    One ``INSERT ... RETURNING`` per row (what SQLAlchemy needs to return ids in order) is many times slower.

    Raises:
        sqlalchemy.exc.IntegrityError: when a row breaks a constraint (the caller words it).
        DatabaseError: when the ids did not come out consecutive (nothing is saved: the transaction rolls back).
    """
    before = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
    conn.execute(table.insert(), rows)
    count, last = conn.execute(sa.select(sa.func.count(), sa.func.max(table.c.id)).where(table.c.id > before)).one()
    if count != len(rows) or last != before + len(rows):
        raise DatabaseError(f"{table.name}: the new rows did not get consecutive ids; nothing was saved.")
    return range(before + 1, before + len(rows) + 1)
