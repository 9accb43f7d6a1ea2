"""What only PostgreSQL needs: writers that queue, ids from ``RETURNING``, sequences after a restore, errors in words.

A write transaction (a connection with the :data:`WRITE` execution option, as the schema upgrade opens it) first
takes one transaction-level advisory lock, so writers queue one after another as they do on SQLite with ``BEGIN
IMMEDIATE``, and two processes that open a brand-new database together do not both build the schema. A store's write
(:data:`ATHLETE_WRITE` besides) takes no such lock: its first statement bumps its athlete's ``data_version`` in
``accounts``, which row-locks that athlete, so one athlete's writers queue and different athletes write side by side.
Readers never wait.
New rows get their ids from ``INSERT ... RETURNING`` (:func:`insert_returning_ids`); a restore or copy that writes ids
of its own moves each table's id sequence past them (:func:`after_explicit_ids`).
"""

from __future__ import annotations

import functools

import sqlalchemy as sa

from kneelog.errors import DatabaseError, KneelogError, WriteFailed
from kneelog.store.location import shown

#: The execution option that marks a connection as a writer (the same key as :data:`kneelog.store.sqlite.WRITE`).
WRITE = "kneelog_write"
#: The execution option of a store's write, which row-locks its athlete instead of taking :data:`WRITE_LOCK`.
ATHLETE_WRITE = "kneelog_athlete_write"
#: The advisory lock every other write transaction takes: any fixed 64-bit number, here "kneelog" in ASCII.
WRITE_LOCK = 0x6B6E65656C6F67
#: The only driver kneelog speaks PostgreSQL with (psycopg 3).
DRIVER = "psycopg"


def engine(url: sa.URL) -> sa.Engine:
    """An engine for a ``postgresql+psycopg://`` URL: writers queue (see the module docstring), errors are worded."""
    made = sa.create_engine(url, pool_pre_ping=True)
    sa.event.listen(made, "begin", _on_begin)
    sa.event.listen(made, "handle_error", functools.partial(_on_error, shown(url)))
    return made


def insert_returning_ids(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` and return their ids, in the order given.

    SQLAlchemy sends the rows as a few multi-row ``INSERT ... RETURNING id`` statements and puts the returned ids back
    in parameter order (``sort_by_parameter_order``), so no id rule of the server is assumed.

    Raises:
        sqlalchemy.exc.IntegrityError: when a row breaks a constraint (the caller words it).
    """
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(statement, rows).scalars())


def after_explicit_ids(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """Move the id sequence of each table with an ``id`` column past its largest id, after rows were written with ids
    of their own (a restore, a copy), so the next new entry does not take an id already used.

    The sequence only ever moves on (``nextval`` is the floor): another athlete's writer may hold ids it drew but has
    not committed, which ``max(id)`` cannot see."""
    for table in tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        largest = sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0) + 1).scalar_subquery()
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        conn.execute(sa.select(sa.func.setval(sequence, sa.func.greatest(largest, sa.func.nextval(sequence)), False)))


def _on_begin(conn: sa.Connection) -> None:
    options = conn.get_execution_options()
    if options.get(WRITE, False) and not options.get(ATHLETE_WRITE, False):
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(WRITE_LOCK)))


def error_for(url: str, error: Exception) -> KneelogError | None:
    """kneelog's error, worded for a runner, for a PostgreSQL error about the server or the disk; None for any other.

    Args:
        url: the database URL with its password masked, to name in the message.
        error: what psycopg raised.
    """
    import psycopg

    said = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, psycopg.errors.DiskFull):
        return WriteFailed(
            f"kneelog could not write to {url}: the server's disk is full (PostgreSQL: {said}). Nothing was saved; "
            "ask whoever runs the server to free some space, then try again."
        )
    if isinstance(error, psycopg.errors.ReadOnlySqlTransaction | psycopg.errors.InsufficientPrivilege):
        return WriteFailed(
            f"kneelog cannot write to {url} (PostgreSQL: {said}). Nothing was saved; connect as a user who may "
            "write to this database, or to the primary server rather than a read-only replica."
        )
    if isinstance(error, psycopg.OperationalError) and not isinstance(error, psycopg.errors.QueryCanceled):
        return DatabaseError(
            f"Cannot reach the database {url} (PostgreSQL: {said}). Check that the server is running, and the "
            "host, port, database name, user and password in the URL. Nothing was saved."
        )
    return None


def _on_error(url: str, context: sa.engine.ExceptionContext) -> None:
    """Raise kneelog's error in place of SQLAlchemy's for the errors :func:`error_for` words (after the rollback)."""
    error = context.original_exception
    if (mapped := error_for(url, error)) is not None:
        raise mapped from error
