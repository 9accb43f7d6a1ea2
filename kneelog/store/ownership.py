"""Which rows belong to an athlete: the filter every query of a scoped store uses, and the whole-log operations.

Every table of a log (:data:`kneelog.store.tables.ATHLETE_TABLES`) carries ``athlete_id``; stretch items and logged
exercises (:data:`~kneelog.store.tables.CHILD_TABLES`) belong to an athlete through their session. :func:`owned` is the
condition that keeps a query to one athlete's rows; :func:`snapshot`, :func:`erase` and :func:`replace` read, delete
and rewrite one athlete's whole log (a backup, an erasure, a restore) without touching another's.

Ids are shared by every athlete of a database (one sequence per table), so a restore writes each row with the id its
backup gives unless another athlete's row holds it; such rows get new ids, and the rows that refer to them (stretch
items, logged exercises) follow. A single-user restore therefore gives back the very ids it saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from kneelog.errors import DuplicateEntry
from kneelog.store import postgres, schema, sqlite
from kneelog.store import tables as t

#: Tables of an athlete's log, parents before children (the order a restore writes them, what a backup holds).
LOG_TABLES: list[sa.Table] = [
    table for table in t.metadata.sorted_tables if table in t.ATHLETE_TABLES or table in t.CHILD_TABLES
]
#: The ids each child's columns refer to: child -> {column: parent table}.
_REFERS = {
    t.stretch_items: {"session_id": t.stretch_sessions},
    t.gym_exercise_logs: {"session_id": t.gym_sessions, "exercise_id": t.exercises},
}
#: Ids looked up at once in an ``IN`` list (well under SQLite's limit on bound values).
_CHUNK = 5_000


def owned(table: sa.Table, athlete_id: int) -> sa.ColumnElement[bool]:
    """The condition for ``table``'s rows that belong to ``athlete_id`` (a child's through its parent)."""
    if "athlete_id" in table.c:
        return table.c.athlete_id == athlete_id
    parent, column = t.CHILD_TABLES[table]
    return table.c[column].in_(sa.select(parent.c.id).where(parent.c.athlete_id == athlete_id))


def log_columns(table: sa.Table) -> list[sa.Column]:
    """The columns of ``table`` that a backup holds: all but ``athlete_id`` (whose log it is, the store's own)."""
    return [column for column in table.columns if column.name != "athlete_id"]


def specifics(conn: sa.Connection):
    """What only this connection's database needs: :mod:`kneelog.store.postgres` or :mod:`kneelog.store.sqlite`."""
    return postgres if conn.dialect.name == "postgresql" else sqlite


def snapshot(conn: sa.Connection, athlete_id: int) -> tuple[str | None, dict[str, list[sa.Row]]]:
    """The schema revision and every row of ``athlete_id``'s log (:func:`log_columns`, by primary key)."""
    rows = {
        table.name: conn.execute(
            sa.select(*log_columns(table)).where(owned(table, athlete_id)).order_by(*table.primary_key.columns)
        ).all()
        for table in LOG_TABLES
    }
    return schema.current_revision(conn), rows


def held(conn: sa.Connection, athlete_id: int) -> bool:
    """Whether ``athlete_id``'s log holds any row (an entry, a setting, a column mapping, an exercise)."""
    return any(
        conn.execute(sa.select(sa.literal(1)).select_from(table).where(owned(table, athlete_id)).limit(1)).first()
        for table in LOG_TABLES
    )


def erase(conn: sa.Connection, athlete_id: int) -> dict[str, int]:
    """Delete every row of ``athlete_id``'s log, children first; returns the rows deleted, by table name."""
    return {
        table.name: conn.execute(table.delete().where(owned(table, athlete_id))).rowcount
        for table in reversed(LOG_TABLES)
    }


def _taken(conn: sa.Connection, table: sa.Table, ids: list[int]) -> set[int]:
    """Those of ``ids`` that a row of ``table`` already holds."""
    found: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        found.update(conn.execute(sa.select(table.c.id).where(table.c.id.in_(ids[start : start + _CHUNK]))).scalars())
    return found


def replace(conn: sa.Connection, athlete_id: int, rows: Mapping[str, list[dict[str, Any]]]) -> None:
    """Put ``rows`` (table name -> rows, every column of :func:`log_columns`) in place of ``athlete_id``'s log.

    Rows keep their ids where no other athlete's row holds them; the others get new ids, and children follow.

    Raises:
        DuplicateEntry: when rows clash with each other (two check-ins for one knee and day, say), naming the table
            as its CSV file in a backup.
    """
    erase(conn, athlete_id)
    moved: dict[sa.Table, dict[int, int]] = {}
    for table in LOG_TABLES:
        given = rows.get(table.name) or []
        if not given:
            continue
        if "athlete_id" in table.c:
            given = [{**row, "athlete_id": athlete_id} for row in given]
        for column, parent in _REFERS.get(table, {}).items():
            if moved.get(parent):
                given = [{**row, column: moved[parent].get(row[column], row[column])} for row in given]
        try:
            moved[table] = _insert(conn, table, given)
        except sa.exc.IntegrityError as e:
            raise DuplicateEntry(f"{table.name}.csv has rows that clash with each other ({e.orig})") from e


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Insert ``rows`` with their ids where free; returns the new id of each row whose id another athlete holds."""
    if "id" not in table.c:
        conn.execute(table.insert(), rows)
        return {}
    taken = _taken(conn, table, [row["id"] for row in rows])
    keep = [row for row in rows if row["id"] not in taken]
    if keep:
        conn.execute(table.insert(), keep)
    specifics(conn).after_explicit_ids(conn, [table])
    move = [row for row in rows if row["id"] in taken]
    if not move:
        return {}
    without_ids = [{k: v for k, v in row.items() if k != "id"} for row in move]
    new_ids = specifics(conn).insert_returning_ids(conn, table, without_ids)
    return {row["id"]: new_id for row, new_id in zip(move, new_ids, strict=True)}
