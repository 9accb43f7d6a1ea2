"""The SQLite store: every entry kind in and out, one transaction per write, versioned schema.

The database is SQLite by default at ``data/kneelog.db`` beside the app; ``KNEELOG_DATABASE_URL`` (or the CLI's
``--db``) points elsewhere. Connections use WAL mode, a busy timeout and foreign keys; writes start with
``BEGIN IMMEDIATE`` so two writers queue instead of failing. Every write bumps a ``data_version`` counter in the
same transaction, so a page can cache its reads keyed by that number. The schema is upgraded with Alembic when the
store opens, so a database made by an earlier kneelog keeps every row.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from kneelog import tables as t
from kneelog.errors import DatabaseError, DuplicateEntry, EntryNotFound
from kneelog.models import ENTRY_TYPES, Entry, Settings, StretchDone, StretchSession

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_DIR / "data" / "kneelog.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ENV_VAR = "KNEELOG_DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000

#: Columns of each kind's frame, in order (stretch sessions are flattened to one row per stretch and side).
FRAME_COLUMNS: dict[str, list[str]] = {
    kind: [c.name for c in table.columns if c.name not in ("created_at", "updated_at")]
    for kind, table in t.ENTRY_TABLES.items()
}
FRAME_COLUMNS["stretch_item"] = ["session_id", "date", "stretch_id", "side", "source"]


def default_url() -> str:
    """The database URL in force: ``KNEELOG_DATABASE_URL`` if set, else ``data/kneelog.db`` beside the app."""
    return os.environ.get(ENV_VAR) or f"sqlite:///{DEFAULT_DB_PATH}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _alembic_config(connection: sa.Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this kneelog knows."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


class Store:
    """All reads and writes of a runner's data.

    Args:
        url: an SQLAlchemy URL; default :func:`default_url`. The folder of a SQLite file is created if missing.
        upgrade: bring the schema to the newest revision on open (default), or leave it at ``upgrade`` when that
            is a revision string (used to make databases of earlier schemas in tests).

    Raises:
        DatabaseError: when the file is not a kneelog database or was made by a newer kneelog.
    """

    def __init__(self, url: str | None = None, upgrade: bool | str = True):
        self.url = url or default_url()
        parsed = sa.make_url(self.url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(
            self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000} if parsed.get_backend_name() == "sqlite" else {}
        )
        if parsed.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _on_connect)
            sa.event.listen(self.engine, "begin", _on_begin)
        if upgrade:
            self._migrate("head" if upgrade is True else upgrade)

    # -- schema -----------------------------------------------------------------------------------------------

    def _migrate(self, target: str) -> None:
        try:
            with self.engine.connect().execution_options(kneelog_write=True) as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                known = {s.revision for s in ScriptDirectory.from_config(_alembic_config(conn)).walk_revisions()}
                if current is not None and current not in known:
                    raise DatabaseError(
                        f"{self.url} was made by a newer kneelog (schema {current}); update kneelog to open it."
                    )
                if current is None and sa.inspect(conn).get_table_names():
                    raise DatabaseError(f"{self.url} holds tables but is not a kneelog database; choose another file.")
                command.upgrade(_alembic_config(conn), target)
                conn.commit()
        except sa.exc.DatabaseError as e:
            raise DatabaseError(f"Cannot open {self.url} as a database: {e.orig}") from e

    def schema_version(self) -> str | None:
        """The revision the database is at."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def dispose(self) -> None:
        """Close every pooled connection (before deleting or replacing the file)."""
        self.engine.dispose()

    # -- transactions ---------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``) that bumps the data version; all or nothing."""
        with self.engine.connect().execution_options(kneelog_write=True) as conn, conn.begin():
            conn.execute(
                sa.update(t.meta)
                .where(t.meta.c.key == "data_version")
                .values(value=sa.cast(sa.cast(t.meta.c.value, sa.Integer) + 1, sa.String))
            )
            yield conn

    def data_version(self) -> int:
        """A number that every write changes: the key for cached reads."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(t.meta.c.value).where(t.meta.c.key == "data_version")).scalar_one()
        return int(value)

    # -- entries ----------------------------------------------------------------------------------------------

    def add(self, entry: Entry) -> int:
        """Store a new entry and return its id.

        Raises:
            DuplicateEntry: when it breaks a uniqueness rule (a second check-in for the same knee and day).
        """
        return self.add_many([entry])[0]

    def add_many(self, entries: Iterable[Entry], conn: sa.Connection | None = None) -> list[int]:
        """Store many entries in one transaction (or in ``conn``'s): all of them or, on any error, none."""
        if conn is None:
            with self.transaction() as own:
                return self.add_many(entries, own)
        entries = list(entries)
        ids: list[int] = [0] * len(entries)
        now = _now()
        for kind in dict.fromkeys(e.kind for e in entries):
            positions = [i for i, e in enumerate(entries) if e.kind == kind]
            table = t.ENTRY_TABLES[kind]
            rows = [{**_row_of(entries[i]), "created_at": now, "updated_at": now} for i in positions]
            for i, new_id in zip(positions, _insert_rows(conn, table, rows, entries, positions), strict=True):
                ids[i] = new_id
            if kind == "stretch":
                for i in positions:
                    _insert_items(conn, ids[i], entries[i].items)
        return ids

    def update(self, entry: Entry) -> None:
        """Replace the stored entry that has ``entry.id`` with ``entry``.

        Raises:
            EntryNotFound: when no entry of that kind has that id.
            DuplicateEntry: when the change breaks a uniqueness rule.
        """
        if entry.id is None:
            raise EntryNotFound(entry.label, -1)
        table = t.ENTRY_TABLES[entry.kind]
        with self.transaction() as conn:
            try:
                result = conn.execute(
                    table.update().where(table.c.id == entry.id).values(**_row_of(entry), updated_at=_now())
                )
            except sa.exc.IntegrityError as e:
                raise DuplicateEntry(_duplicate_message([entry])) from e
            if result.rowcount == 0:
                raise EntryNotFound(entry.label, entry.id)
            if isinstance(entry, StretchSession):
                conn.execute(t.stretch_items.delete().where(t.stretch_items.c.session_id == entry.id))
                _insert_items(conn, entry.id, entry.items)

    def delete(self, kind: str, entry_id: int) -> None:
        """Delete one entry (a stretch session takes its items with it).

        Raises:
            EntryNotFound: when there is no such entry.
        """
        table = t.ENTRY_TABLES[kind]
        with self.transaction() as conn:
            if conn.execute(table.delete().where(table.c.id == entry_id)).rowcount == 0:
                raise EntryNotFound(ENTRY_TYPES[kind].label, entry_id)

    def get(self, kind: str, entry_id: int) -> Entry:
        """One entry as its model.

        Raises:
            EntryNotFound: when there is no such entry.
        """
        table = t.ENTRY_TABLES[kind]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.id == entry_id)).mappings().first()
            if row is None:
                raise EntryNotFound(ENTRY_TYPES[kind].label, entry_id)
            data = {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
            if kind == "stretch":
                items = conn.execute(
                    sa.select(t.stretch_items.c.stretch_id, t.stretch_items.c.side).where(
                        t.stretch_items.c.session_id == entry_id
                    )
                ).mappings()
                data["items"] = tuple(sorted((StretchDone(**i) for i in items), key=lambda i: (i.stretch_id, i.side)))
        return ENTRY_TYPES[kind].model_construct(**data)

    def frame(self, kind: str) -> pd.DataFrame:
        """Every entry of a kind as a frame, oldest first; dates as ``datetime64`` (local calendar days).

        ``kind`` is one of ``run``, ``gym``, ``stretch``, ``checkin``, ``race``, or ``stretch_item`` (one row per
        stretch and side done, with its session's date). Columns are :data:`FRAME_COLUMNS` [kind].
        """
        if kind == "stretch_item":
            query = (
                sa.select(
                    t.stretch_items.c.session_id,
                    t.stretch_sessions.c.date,
                    t.stretch_items.c.stretch_id,
                    t.stretch_items.c.side,
                    t.stretch_sessions.c.source,
                )
                .join(t.stretch_sessions, t.stretch_sessions.c.id == t.stretch_items.c.session_id)
                .order_by(t.stretch_sessions.c.date, t.stretch_items.c.session_id)
            )
        else:
            table = t.ENTRY_TABLES[kind]
            query = sa.select(*(table.c[name] for name in FRAME_COLUMNS[kind])).order_by(table.c.date, table.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(rows, columns=FRAME_COLUMNS[kind])
        frame["date"] = pd.to_datetime(frame["date"])
        for column in ("rpe", "pain_during", "stairs", "squat", "sitting", "morning_after"):
            if column in frame:
                frame[column] = frame[column].astype("float64")
        return frame

    def counts(self) -> dict[str, int]:
        """How many entries of each kind are stored."""
        with self.engine.connect() as conn:
            return {
                kind: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for kind, table in t.ENTRY_TABLES.items()
            }

    def has_own_data(self) -> bool:
        """Whether any entry is the runner's own (anything not made by the demo athlete)."""
        with self.engine.connect() as conn:
            return any(
                conn.execute(sa.select(table.c.id).where(table.c.source != "demo").limit(1)).first() is not None
                for table in t.ENTRY_TABLES.values()
            )

    def count_source(self, source: str) -> int:
        """How many entries of every kind came from ``source`` (e.g. ``demo``)."""
        with self.engine.connect() as conn:
            return sum(
                conn.execute(sa.select(sa.func.count()).select_from(table).where(table.c.source == source)).scalar_one()
                for table in t.ENTRY_TABLES.values()
            )

    def delete_source(self, source: str, conn: sa.Connection | None = None) -> int:
        """Delete every entry that came from ``source`` (e.g. ``demo``); returns how many."""
        if conn is None:
            with self.transaction() as own:
                return self.delete_source(source, own)
        return sum(
            conn.execute(table.delete().where(table.c.source == source)).rowcount for table in t.ENTRY_TABLES.values()
        )

    # -- settings ---------------------------------------------------------------------------------------------

    def settings(self) -> Settings:
        """The runner's settings; defaults (with the machine's time zone) for any not saved yet."""
        with self.engine.connect() as conn:
            saved = {k: json.loads(v) for k, v in conn.execute(sa.select(t.settings.c.key, t.settings.c.value))}
        defaults = {"timezone": _machine_timezone()}
        known = {k: v for k, v in saved.items() if k in Settings.model_fields}
        return Settings.model_validate(defaults | known)

    def save_settings(self, settings: Settings) -> None:
        """Save every setting in one transaction."""
        with self.transaction() as conn:
            conn.execute(t.settings.delete())
            conn.execute(
                t.settings.insert(), [{"key": k, "value": json.dumps(v)} for k, v in settings.model_dump().items()]
            )


def _machine_timezone() -> str:
    try:
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # noqa: BLE001 - an odd machine setup falls back to UTC; the runner can change it
        return "UTC"


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
    write = conn.get_execution_options().get("kneelog_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _row_of(entry: Entry) -> dict:
    return entry.model_dump(exclude={"id", "items"})


def _insert_rows(
    conn: sa.Connection, table: sa.Table, rows: list[dict], entries: list[Entry], positions: list[int]
) -> range:
    """Insert ``rows`` with one ``executemany`` and return their ids, in order.

    The write transaction holds SQLite's write lock, and SQLite gives a row without an id one more than the largest
    id in its table (https://www.sqlite.org/autoinc.html), so the new ids are the ones after the largest before.
    One ``INSERT ... RETURNING`` per row (what SQLAlchemy needs to return ids in order) is many times slower.
    """
    before = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
    try:
        conn.execute(table.insert(), rows)
    except sa.exc.IntegrityError as e:
        raise DuplicateEntry(_duplicate_message([entries[i] for i in positions])) from e
    count, last = conn.execute(sa.select(sa.func.count(), sa.func.max(table.c.id)).where(table.c.id > before)).one()
    if count != len(rows) or last != before + len(rows):
        raise DatabaseError(f"{table.name}: the new rows did not get consecutive ids; nothing was saved.")
    return range(before + 1, before + len(rows) + 1)


def _insert_items(conn: sa.Connection, session_id: int, items: Sequence[StretchDone]) -> None:
    conn.execute(t.stretch_items.insert(), [{"session_id": session_id, **item.model_dump()} for item in items])


def _duplicate_message(batch: Sequence[Entry]) -> str:
    entry = batch[0]
    if len(batch) > 1:
        return f"Some of these {len(batch)} {entry.label}s are already stored; nothing was saved."
    if entry.kind == "checkin":
        knee = "both knees" if entry.knee == "both" else f"the {entry.knee} knee"
        return f"There is already a check-in for {knee} on {entry.date.isoformat()}; edit that one in History instead."
    return f"This {entry.label} is already stored (same source and id)."
