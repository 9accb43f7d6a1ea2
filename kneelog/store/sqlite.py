"""What only SQLite needs: WAL mode, a busy timeout, foreign keys, and writers that queue.

Connections use WAL mode, a busy timeout and foreign keys; a write transaction starts with ``BEGIN IMMEDIATE`` so two
writers queue instead of failing. :func:`configure` hooks these onto an engine; :func:`insert_returning_ids` is the
fast bulk insert that SQLite's id rule makes safe.
"""

from __future__ import annotations

import sqlite3
import time

import sqlalchemy as sa

from kneelog.errors import DatabaseError

BUSY_TIMEOUT_MS = 30_000
#: The execution option that marks a connection as a writer (``BEGIN IMMEDIATE``).
WRITE = "kneelog_write"


def connect_args() -> dict:
    """Arguments for the driver: wait up to the busy timeout for a lock."""
    return {"timeout": BUSY_TIMEOUT_MS / 1000}


def configure(engine: sa.Engine) -> None:
    """Set every new connection up (WAL, busy timeout, foreign keys) and let kneelog emit BEGIN itself."""
    sa.event.listen(engine, "connect", _on_connect)
    sa.event.listen(engine, "begin", _on_begin)


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
