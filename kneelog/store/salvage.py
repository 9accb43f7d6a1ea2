"""Reading what can still be read from a damaged SQLite file ("database disk image is malformed").

SQLite keeps each table in a B-tree of pages; one damaged page stops a plain read of its table at that page. Here each
table is read in rowid order, and where a damaged page stops the read, the next rowid from which a read starts again
is found (by doubling steps past the last row read, then halving them), so one bad page costs only its own rows. A
value that cannot be read as its column's type (a date that is not one) is skipped the same way. Only one athlete's
rows are kept (a file made before accounts holds only the local athlete's), and only the columns the file has.
:func:`kneelog.store.backup.salvage_backup` turns the result into an ordinary backup.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kneelog.errors import DatabaseDamaged
from kneelog.store import tables as t
from kneelog.store.database import BACKUP_TABLES, Store

#: The lowest and highest rowid SQLite allows.
_ROWIDS = (-(2**63), 2**63 - 1)


def readable_rows(
    store: Store, athlete_id: int = t.LOCAL_ATHLETE
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int | None]]:
    """Every row of ``athlete_id``'s log that can still be read, table by table, and how many rows could not be.

    Returns:
        The rows read (table name -> rows, the columns the file has but ``athlete_id``; a table that is not there
        gives none), and for each table the number of its rows that could not be read, whoever's they were (None
        when not even its count can be).
    """
    rows: dict[str, list[dict[str, Any]]] = {}
    lost: dict[str, int | None] = {}
    others: dict[str, set[int]] = {}  # ids of another athlete's rows, whose children are theirs too
    for table in BACKUP_TABLES:
        read = _table_rows(store.engine, table)
        try:
            with store.engine.connect() as conn:
                stored = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            lost[table.name] = max(stored - len(read), 0)
        except (DatabaseDamaged, sa.exc.OperationalError):
            lost[table.name] = None
        if table in t.CHILD_TABLES:  # a child of a lost session stays, so the rules count it as left out
            parent, column = t.CHILD_TABLES[table]
            rows[table.name] = [row for row in read if row[column] not in others[parent.name]]
        else:
            whose = [(row.pop("athlete_id", t.LOCAL_ATHLETE), row) for row in read]
            rows[table.name] = [row for athlete, row in whose if athlete == athlete_id]
            others[table.name] = {row.get("id") for athlete, row in whose if athlete != athlete_id}
    return rows, lost


def _present(engine: sa.Engine, table: sa.Table) -> list[sa.Column]:
    """The columns of ``table`` that the file has (an older schema lacks some; all of them when it cannot say)."""
    try:
        with engine.connect() as conn:
            names = {column["name"] for column in sa.inspect(conn).get_columns(table.name)}
    except (DatabaseDamaged, sa.exc.DBAPIError):
        return list(table.columns)
    return [column for column in table.columns if column.name in names] or list(table.columns)


def _rowid() -> sa.ColumnElement[int]:
    return sa.literal_column("rowid")


def _table_rows(engine: sa.Engine, table: sa.Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after: int | None = _ROWIDS[0]
    columns = _present(engine, table)
    while after is not None:
        try:
            with engine.connect() as conn:
                query = (
                    sa.select(_rowid().label("_rowid"), *columns)
                    .select_from(table)
                    .where(_rowid() > after)
                    .order_by(_rowid())
                )
                for row in conn.execute(query):
                    data = row._asdict()
                    after = data.pop("_rowid")
                    rows.append(data)
            return rows
        except (DatabaseDamaged, ValueError):  # a damaged page, or a value its column's type cannot read
            after = _next_readable(engine, table, after)
        except sa.exc.OperationalError:  # no such table (the file is at an older schema): nothing to read
            return rows
    return rows


def _starts(engine: sa.Engine, table: sa.Table, bound: int) -> bool:
    """Whether a rowid-ordered read of ``table`` past ``bound`` gets its first row without an error."""
    try:
        with engine.connect() as conn:
            conn.execute(
                sa.select(_rowid()).select_from(table).where(_rowid() > bound).order_by(_rowid()).limit(1)
            ).all()
    except DatabaseDamaged:
        return False
    return True


def _next_readable(engine: sa.Engine, table: sa.Table, bad: int) -> int | None:
    """The lowest bound past ``bad`` from which a read starts (the nearest a halving search finds), or None."""
    step = 1
    while not _starts(engine, table, min(bad + step, _ROWIDS[1])):
        if bad + step >= _ROWIDS[1]:
            return None
        step *= 2
    low, high = bad + step // 2, min(bad + step, _ROWIDS[1])  # a read past low fails (or low is bad), past high starts
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if _starts(engine, table, middle) else (middle, high)
    return high
