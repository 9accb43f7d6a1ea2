"""The store: every read and write of a runner's data, and the only code in kneelog that speaks SQL.

Reads are methods of :class:`Store`; writes happen in one transaction, all or nothing: ``with store.transaction()
as tx:`` gives a :class:`Transaction` whose methods all write in it, and each write method of :class:`Store` is that
transaction around one call. Every transaction bumps its athlete's ``data_version`` counter, so a page can cache its
reads keyed by that number.

A store is one athlete's log: ``Store(url)`` the local athlete's (single-user mode), :meth:`Store.for_athlete` another
account's on the same engine. Every read filters by the athlete, every insert sets it, and every update or delete
touches only its rows, so another athlete's entry is as missing as a deleted one (:mod:`kneelog.store.ownership`); a
read-only store refuses every write.

The schema is upgraded with Alembic when the store opens (:mod:`kneelog.store.schema`), so a database made by an
earlier kneelog keeps every row. The database is SQLite or PostgreSQL; what only one of them needs lives in
:mod:`kneelog.store.sqlite` or :mod:`kneelog.store.postgres`.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from kneelog.errors import DatabaseDamaged, DatabaseError, DuplicateEntry, EntryNotFound, ReadOnly
from kneelog.models import (
    DEMO,
    ENTRY_TYPES,
    Entry,
    GymSession,
    KneeCheckin,
    Settings,
    StretchDone,
    StretchSession,
    knee_clash,
    knee_words,
)
from kneelog.store import outcomes, ownership, postgres, programme, schema, sqlite
from kneelog.store import tables as t
from kneelog.store.location import default_url, shown
from kneelog.store.programme import ProgrammeStore, ProgrammeTransaction

#: Columns of each kind's frame, in order (stretch sessions are flattened to one row per stretch and side).
FRAME_COLUMNS: dict[str, list[str]] = {
    kind: [c.name for c in table.columns if c.name not in ("created_at", "updated_at", "athlete_id")]
    for kind, table in t.ENTRY_TABLES.items()
}
FRAME_COLUMNS["stretch_item"] = ["session_id", "date", "stretch_id", "side", "source"]
FRAME_COLUMNS.update(programme.FRAME_COLUMNS)  # gym_exercise: one row per exercise of a gym session
#: Columns of :meth:`Store.existing_activities`.
ACTIVITY_COLUMNS = ["id", "source", "source_id", "date", "distance_m", "duration_s", "kind", "start"]
#: The kinds of entry an import brings, and their tables.
ACTIVITY_TABLES = {"run": t.runs, "gym": t.gym_sessions}
#: Tables in a backup, parents before children (the order a restore writes them): one athlete's log
#: (:data:`kneelog.store.ownership.LOG_TABLES`); ``meta`` and the accounts are not part of it.
BACKUP_TABLES: list[sa.Table] = ownership.LOG_TABLES


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for an in-memory database, and for a PostgreSQL server, which has no file).

    Raises:
        DatabaseError: when ``url`` is not a database URL, or names a database kneelog does not support: SQLite and
            PostgreSQL through psycopg 3 are the two it supports (their specifics are :mod:`kneelog.store.sqlite` and
            :mod:`kneelog.store.postgres`).
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as e:
        raise DatabaseError(
            f"{url!r} is not a database URL: give an SQLite one such as sqlite:///path/to/kneelog.db."
        ) from e
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == postgres.DRIVER:
        return None
    if parsed.get_backend_name() == "postgresql":
        raise DatabaseError(
            f"{shown}: kneelog speaks PostgreSQL through psycopg 3 only, so start the URL with postgresql+psycopg:// "
            "(for example postgresql+psycopg://user:password@host/kneelog)."
        )
    if parsed.get_backend_name() != "sqlite":
        raise DatabaseError(
            f"{shown}: kneelog does not support {parsed.get_backend_name()} databases; it keeps its data in SQLite "
            "or PostgreSQL, so give a URL such as sqlite:///path/to/kneelog.db or "
            "postgresql+psycopg://user:password@host/kneelog."
        )
    if parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store(ProgrammeStore):
    """All reads and writes of one athlete's data (``athlete_id``; the local athlete unless :meth:`for_athlete`).

    Args:
        url: an SQLite URL (``sqlite:///path/to/kneelog.db``) or a PostgreSQL one
            (``postgresql+psycopg://user:password@host/kneelog``); default :func:`kneelog.store.location.default_url`.
            The folder of the file is created if missing.
        upgrade: bring the schema to the newest revision on open (default), or leave it at ``upgrade`` when that
            is a revision string (used to make databases of earlier schemas in tests), or touch nothing when False
            (to salvage a damaged file).
        create: make a new database when the file does not exist (default); when False, refuse instead.

    Raises:
        DatabaseError: when the URL is neither an SQLite nor a PostgreSQL (psycopg) one, the file does not exist and
            ``create`` is False, the server cannot be reached, or the database is not a kneelog one or was made by a
            newer kneelog.
        DatabaseDamaged: when the file is damaged where the schema is kept.
        WriteFailed: when the schema needs an upgrade and the file cannot be written.
    """

    #: The account whose log this store reads and writes.
    athlete_id: int = t.LOCAL_ATHLETE
    #: Whether every write is refused (:class:`~kneelog.errors.ReadOnly`): a clinician's view of a shared log.
    read_only: bool = False

    def __init__(self, url: str | None = None, upgrade: bool | str = True, create: bool = True):
        self.url = url or default_url()
        self.athlete_id = t.LOCAL_ATHLETE
        self.read_only = False
        path = sqlite_path(self.url)
        if path is not None:
            if not create and not path.is_file():
                raise DatabaseError(
                    f"There is no database at {path}: check the path (kneelog made no new one, and wrote nothing)."
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise DatabaseError(f"Cannot make the folder {path.parent} for the database: {e.strerror}.") from e
        parsed = sa.make_url(self.url)
        self.engine = (postgres if parsed.get_backend_name() == "postgresql" else sqlite).engine(parsed)
        if upgrade:
            self._migrate("head" if upgrade is True else upgrade)

    def _migrate(self, target: str) -> None:
        """Bring the schema to ``target``; a file already there is only read, so a read-only one opens."""
        try:
            if target == "head":
                with self.engine.connect() as conn:
                    if schema.current_revision(conn) == schema.head_revision():
                        return
            with self.engine.connect().execution_options(**{sqlite.WRITE: True}) as conn:
                schema.upgrade(conn, self.url, target)
        except sa.exc.DatabaseError as e:
            raise DatabaseError(f"Cannot open {shown(self.url)} as a database: {e.orig}") from e

    def schema_version(self) -> str | None:
        """The revision the database is at."""
        with self.engine.connect() as conn:
            return schema.current_revision(conn)

    def dispose(self) -> None:
        """Close every pooled connection (before deleting or replacing the file); it closes the scoped stores' too."""
        self.engine.dispose()

    def for_athlete(self, athlete_id: int, read_only: bool = False) -> Store:
        """This database scoped to ``athlete_id``'s log, on the same engine (no new pool).

        Args:
            athlete_id: an account's id (:data:`kneelog.store.tables.LOCAL_ATHLETE` is the local athlete).
            read_only: refuse every write (:class:`~kneelog.errors.ReadOnly`).

        Raises:
            EntryNotFound: when there is no account with that id.
        """
        with self.engine.connect() as conn:
            if conn.execute(sa.select(t.accounts.c.id).where(t.accounts.c.id == athlete_id)).first() is None:
                raise EntryNotFound("account", athlete_id)
        scoped = copy.copy(self)
        scoped.athlete_id, scoped.read_only = int(athlete_id), read_only
        return scoped

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One write transaction of this athlete that bumps their data version; all or nothing.

        On SQLite it starts with ``BEGIN IMMEDIATE`` (writers queue); on PostgreSQL the version's bump row-locks the
        athlete's account, so the athlete's writers queue and other athletes' do not wait.

        Raises:
            ReadOnly: when the store is read-only (nothing is written).
            EntryNotFound: when the athlete's account is gone (deleted meanwhile).
        """
        if self.read_only:
            raise ReadOnly(self.athlete_id)
        options = {sqlite.WRITE: True, postgres.ATHLETE_WRITE: True}
        with self.engine.connect().execution_options(**options) as conn, conn.begin():
            accounts = t.accounts
            bumped = conn.execute(
                sa.update(accounts)
                .where(accounts.c.id == self.athlete_id)
                .values(data_version=accounts.c.data_version + 1)
            )
            if bumped.rowcount == 0:
                raise EntryNotFound("account", self.athlete_id)
            yield Transaction(conn, self.athlete_id)

    def data_version(self) -> int:
        """A number that every write of this athlete changes (and no other athlete's): the key for cached reads.

        Raises:
            EntryNotFound: when the athlete's account is gone (deleted meanwhile).
        """
        with self.engine.connect() as conn:
            version = conn.execute(
                sa.select(t.accounts.c.data_version).where(t.accounts.c.id == self.athlete_id)
            ).scalar_one_or_none()
        if version is None:
            raise EntryNotFound("account", self.athlete_id)
        return version

    # -- writes, each in a transaction of its own ------------------------------------------------------------------

    def add(self, entry: Entry) -> int:
        """Store a new entry and return its id (see :meth:`Transaction.add_many`)."""
        return self.add_many([entry])[0]

    def add_many(self, entries: Iterable[Entry]) -> list[int]:
        """Store many entries in one transaction: all or, on any error, none (see :meth:`Transaction.add_many`)."""
        with self.transaction() as tx:
            return tx.add_many(entries)

    def update(self, entry: Entry) -> None:
        """Replace the stored entry that has ``entry.id`` (see :meth:`Transaction.update`)."""
        with self.transaction() as tx:
            tx.update(entry)

    def delete(self, kind: str, entry_id: int) -> None:
        """Delete one entry (see :meth:`Transaction.delete`)."""
        with self.transaction() as tx:
            tx.delete(kind, entry_id)

    def delete_source(self, source: str) -> int:
        """Delete every entry that came from ``source`` (e.g. the demo athlete); returns how many."""
        with self.transaction() as tx:
            return tx.delete_source(source)

    def save_settings(self, settings: Settings) -> None:
        """Save every setting in one transaction."""
        with self.transaction() as tx:
            tx.save_settings(settings)

    def erase_athlete(self) -> dict[str, int]:
        """Delete every row of this athlete's log (see :meth:`Transaction.erase_athlete`); the account stays."""
        with self.transaction() as tx:
            return tx.erase_athlete()

    # -- reads -----------------------------------------------------------------------------------------------------

    def get(self, kind: str, entry_id: int) -> Entry:
        """One entry as its model.

        Raises:
            EntryNotFound: when there is no such entry.
        """
        table = t.ENTRY_TABLES[kind]
        with self.engine.connect() as conn:
            query = sa.select(table).where(table.c.id == entry_id, table.c.athlete_id == self.athlete_id)
            row = conn.execute(query).mappings().first()
            if row is None:
                raise EntryNotFound(ENTRY_TYPES[kind].label, entry_id)
            data = {k: v for k, v in row.items() if k not in ("created_at", "updated_at", "athlete_id")}
            if kind == "stretch":
                items = conn.execute(
                    sa.select(t.stretch_items.c.stretch_id, t.stretch_items.c.side).where(
                        t.stretch_items.c.session_id == entry_id
                    )
                ).mappings()
                data["items"] = tuple(sorted((StretchDone(**i) for i in items), key=lambda i: (i.stretch_id, i.side)))
            if kind == "gym":
                data["exercises"] = programme.read_logs(conn, entry_id)
        return ENTRY_TYPES[kind].model_construct(**data)

    def frame(self, kind: str) -> pd.DataFrame:
        """Every entry of a kind as a frame, oldest first; dates as ``datetime64`` (local calendar days).

        ``kind`` is one of ``run``, ``gym``, ``stretch``, ``checkin``, ``race``, or ``stretch_item`` (one row per
        stretch and side done, with its session's date), or ``gym_exercise`` (one row per exercise of a gym session:
        :mod:`kneelog.store.programme`). Columns are :data:`FRAME_COLUMNS` [kind].
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
                .where(t.stretch_sessions.c.athlete_id == self.athlete_id)
                .order_by(t.stretch_sessions.c.date, t.stretch_items.c.session_id)
            )
        elif kind in programme.FRAME_QUERIES:
            query = programme.FRAME_QUERIES[kind](self.athlete_id)
        else:
            table = t.ENTRY_TABLES[kind]
            query = (
                sa.select(*(table.c[name] for name in FRAME_COLUMNS[kind]))
                .where(table.c.athlete_id == self.athlete_id)
                .order_by(table.c.date, table.c.id)
            )
        with self.engine.connect() as conn:
            rows = _tuples(conn.execute(query))
        frame = pd.DataFrame(rows, columns=FRAME_COLUMNS[kind])
        frame["date"] = pd.to_datetime(frame["date"])
        numbers = ("rpe", "pain_during", "stairs", "squat", "sitting", "morning_after", "pain")
        for column in (*numbers, "elapsed_s", "elevation_gain_m", "hr_avg", "hr_max"):  # NULL as NaN
            if column in frame:
                frame[column] = frame[column].astype("float64")
        return frame

    def counts(self) -> dict[str, int]:
        """How many entries of each kind are stored."""
        with self.engine.connect() as conn:
            return _counts(conn, self.athlete_id)

    def has_own_data(self) -> bool:
        """Whether any entry is the runner's own (anything not made by the demo athlete)."""
        with self.engine.connect() as conn:
            return any(
                conn.execute(sa.select(table.c.id).where(table.c.source != DEMO, _mine(table, self)).limit(1)).first()
                is not None
                for table in t.ENTRY_TABLES.values()
            )

    def count_source(self, source: str) -> int:
        """How many entries of every kind came from ``source`` (e.g. the demo athlete)."""
        with self.engine.connect() as conn:
            return sum(
                conn.execute(
                    sa.select(sa.func.count()).select_from(table).where(table.c.source == source, _mine(table, self))
                ).scalar_one()
                for table in t.ENTRY_TABLES.values()
            )

    def outcome_scores(self) -> pd.DataFrame:
        """Every outcome score (weekly pain, questionnaires, functional tests) as one long frame, oldest first.

        Columns: id, date, measure, value, side, quality, note, source (:func:`kneelog.store.outcomes.scores`).
        """
        with self.engine.connect() as conn:
            return outcomes.scores(conn, self.athlete_id)

    def existing_activities(self) -> pd.DataFrame:
        """Runs and gym sessions in the log, for duplicate matching (see :meth:`Transaction.existing_activities`)."""
        with self.engine.connect() as conn:
            return _existing_activities(conn, self.athlete_id)

    def column_mapping(self, header_key: str) -> str | None:
        """The column mapping (JSON) the runner made for files whose header has this key, if any."""
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(t.column_mappings.c.mapping).where(
                    t.column_mappings.c.header_key == header_key, _mine(t.column_mappings, self)
                )
            ).scalar_one_or_none()

    def has_settings(self) -> bool:
        """Whether the runner has saved their settings at least once (a first visit has not)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(t.settings.c.key).where(_mine(t.settings, self)).limit(1)).first() is not None

    def settings(self) -> Settings:
        """The runner's settings; defaults (with the machine's time zone) for any not saved yet."""
        with self.engine.connect() as conn:
            query = sa.select(t.settings.c.key, t.settings.c.value).where(_mine(t.settings, self))
            saved = {k: json.loads(v) for k, v in conn.execute(query)}
        defaults = {"timezone": _machine_timezone()}
        known = {k: v for k, v in saved.items() if k in Settings.model_fields}
        return Settings.model_validate(defaults | known)

    def snapshot(self) -> tuple[str | None, dict[str, list[sa.Row]]]:
        """The schema revision and every row of this athlete's log (:data:`BACKUP_TABLES`, by primary key, without
        ``athlete_id``), read in one consistent transaction."""
        with self.engine.connect() as conn, conn.begin():
            return ownership.snapshot(conn, self.athlete_id)

    def check(self) -> None:
        """Look the whole file over with SQLite's quick check (every page read once; it changes nothing).

        Raises:
            DatabaseDamaged: when a page or index is damaged.
        """
        if self.engine.dialect.name != "sqlite":
            return  # a database server checks its own pages
        with self.engine.connect() as conn:
            found = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check(3)")]
        if found != ["ok"]:
            raise DatabaseDamaged(sqlite.damaged(self.engine.url.database or self.url, "; ".join(found)))


class Transaction(ProgrammeTransaction):
    """The writes (and the reads they depend on) of one open transaction of one athlete; see
    :meth:`Store.transaction`."""

    def __init__(self, conn: sa.Connection, athlete_id: int):
        self._conn = conn
        self.athlete_id = athlete_id

    def add_many(self, entries: Iterable[Entry]) -> list[int]:
        """Store new entries and return their ids, in order.

        Raises:
            DuplicateEntry: when one breaks a uniqueness rule (a second check-in for the same knee and day, an
                imported activity with the same source and id).
        """
        entries = list(entries)
        self._check_knees([e for e in entries if isinstance(e, KneeCheckin)])
        ids: list[int] = [0] * len(entries)
        now = _now()
        for kind in dict.fromkeys(e.kind for e in entries):
            positions = [i for i, e in enumerate(entries) if e.kind == kind]
            table = t.ENTRY_TABLES[kind]
            stamps = {"created_at": now, "updated_at": now, "athlete_id": self.athlete_id}
            rows = [{**_row_of(entries[i]), **stamps} for i in positions]
            try:
                new_ids = ownership.specifics(self._conn).insert_returning_ids(self._conn, table, rows)
            except sa.exc.IntegrityError as e:
                raise DuplicateEntry(_duplicate_message([entries[i] for i in positions])) from e
            for i, new_id in zip(positions, new_ids, strict=True):
                ids[i] = new_id
            if kind == "stretch":
                for i in positions:
                    self._insert_items(ids[i], entries[i].items)
            if kind == "gym":
                for i in positions:
                    programme.insert_logs(self._conn, ids[i], entries[i].exercises, self.athlete_id)
        return ids

    def _check_knees(self, checkins: list[KneeCheckin]) -> None:
        """Refuse check-ins that clash with a stored one or each other (:func:`kneelog.models.knee_clash`): the
        database's unique index refuses only the same knee twice, not "both" beside "left" or "right"."""
        if not checkins:
            return
        c = t.checkins.c
        editing = {checkin.id for checkin in checkins}
        stored = self._conn.execute(
            sa.select(c.id, c.date, c.knee).where(
                c.athlete_id == self.athlete_id, c.date.in_(sorted({checkin.date for checkin in checkins}))
            )
        )
        knees: dict[dt.date, set[str]] = {}
        for row in stored:
            if row.id not in editing:
                knees.setdefault(row.date, set()).add(row.knee)
        for checkin in checkins:
            day = knees.setdefault(checkin.date, set())
            if (clash := knee_clash(day, checkin.knee)) is not None:
                raise DuplicateEntry(_knee_message(checkin, clash))
            day.add(checkin.knee)

    def update(self, entry: Entry) -> None:
        """Replace the stored entry that has ``entry.id`` with ``entry``.

        Raises:
            EntryNotFound: when no entry of that kind and this athlete has that id.
            DuplicateEntry: when the change breaks a uniqueness rule.
        """
        if entry.id is None:
            raise EntryNotFound(entry.label, -1)
        if isinstance(entry, KneeCheckin):
            self._check_knees([entry])
        table = t.ENTRY_TABLES[entry.kind]
        try:
            result = self._conn.execute(
                table.update()
                .where(table.c.id == entry.id, table.c.athlete_id == self.athlete_id)
                .values(**_row_of(entry), updated_at=_now())
            )
        except sa.exc.IntegrityError as e:
            raise DuplicateEntry(_duplicate_message([entry])) from e
        if result.rowcount == 0:
            raise EntryNotFound(entry.label, entry.id)
        if isinstance(entry, StretchSession):
            self._conn.execute(t.stretch_items.delete().where(t.stretch_items.c.session_id == entry.id))
            self._insert_items(entry.id, entry.items)
        if isinstance(entry, GymSession):
            programme.replace_logs(self._conn, entry.id, entry.exercises, self.athlete_id)

    def delete(self, kind: str, entry_id: int) -> None:
        """Delete one entry (a stretch session takes its items with it).

        Raises:
            EntryNotFound: when this athlete has no such entry.
        """
        table = t.ENTRY_TABLES[kind]
        mine = table.c.athlete_id == self.athlete_id
        if self._conn.execute(table.delete().where(table.c.id == entry_id, mine)).rowcount == 0:
            raise EntryNotFound(ENTRY_TYPES[kind].label, entry_id)

    def delete_source(self, source: str) -> int:
        """Delete every entry that came from ``source`` (and its gym programme); returns how many entries."""
        self.delete_exercises_of(source)
        return sum(
            self._conn.execute(table.delete().where(table.c.source == source, _mine(table, self))).rowcount
            for table in t.ENTRY_TABLES.values()
        )

    def save_settings(self, settings: Settings) -> None:
        """Replace every saved setting with ``settings``."""
        self._conn.execute(t.settings.delete().where(_mine(t.settings, self)))
        self._conn.execute(
            t.settings.insert(),
            [
                {"key": k, "value": json.dumps(v), "athlete_id": self.athlete_id}
                for k, v in settings.model_dump().items()
            ],
        )

    def save_column_mapping(self, header_key: str, header: Sequence[str], mapping_json: str) -> None:
        """Remember a column mapping (JSON) for files whose header has ``header_key``."""
        mappings = t.column_mappings
        self._conn.execute(mappings.delete().where(mappings.c.header_key == header_key, _mine(mappings, self)))
        self._conn.execute(
            mappings.insert().values(
                athlete_id=self.athlete_id,
                header_key=header_key,
                header=json.dumps(list(header), ensure_ascii=False),
                mapping=mapping_json,
                updated_at=_now(),
            )
        )

    def counts(self) -> dict[str, int]:
        """How many entries of each kind are stored, inside this transaction."""
        return _counts(self._conn, self.athlete_id)

    def existing_activities(self) -> pd.DataFrame:
        """Runs and gym sessions in the log, read inside the write lock so an import matches what it writes beside.

        Returns:
            :data:`ACTIVITY_COLUMNS`: id, source, source_id, date (``datetime64``), distance (NaN for gym),
            duration, kind, and ``start``: the wall-clock start (date plus time of day; NaT without a time).
        """
        return _existing_activities(self._conn, self.athlete_id)

    def snapshot(self) -> tuple[str | None, dict[str, list[sa.Row]]]:
        """:meth:`Store.snapshot`, read inside this transaction (what it is about to change)."""
        return ownership.snapshot(self._conn, self.athlete_id)

    def held(self) -> bool:
        """Whether this athlete's log holds any row (entries, settings, column mappings, exercises), inside this
        transaction."""
        return ownership.held(self._conn, self.athlete_id)

    def replace_all(self, rows: Mapping[str, list[dict[str, Any]]]) -> None:
        """Wipe this athlete's log and write ``rows`` (table name -> rows, every column but ``athlete_id``) in its
        place; another athlete's rows stay as they are (:func:`kneelog.store.ownership.replace`).

        Raises:
            DuplicateEntry: when rows clash with each other (two check-ins for one knee and day, say), naming the
                table as its CSV file in a backup.
        """
        ownership.replace(self._conn, self.athlete_id, rows)

    def erase_athlete(self) -> dict[str, int]:
        """Delete every row of this athlete's log: entries, stretch items, logged exercises, settings, column
        mappings and programme (the account itself stays). Returns the rows deleted, by table name."""
        return ownership.erase(self._conn, self.athlete_id)

    def _insert_items(self, session_id: int, items: Sequence[StretchDone]) -> None:
        self._conn.execute(
            t.stretch_items.insert(), [{"session_id": session_id, **item.model_dump()} for item in items]
        )


def _mine(table: sa.Table, scoped: Store | Transaction) -> sa.ColumnElement[bool]:
    """The condition for ``table``'s rows of the athlete of a store or transaction."""
    return ownership.owned(table, scoped.athlete_id)


def _counts(conn: sa.Connection, athlete_id: int) -> dict[str, int]:
    return {
        kind: conn.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.athlete_id == athlete_id)
        ).scalar_one()
        for kind, table in t.ENTRY_TABLES.items()
    }


def _existing_activities(conn: sa.Connection, athlete_id: int) -> pd.DataFrame:
    frames = []
    for kind, table in ACTIVITY_TABLES.items():
        c = table.c
        distance = c.distance_m if "distance_m" in c else sa.null().label("distance_m")
        query = sa.select(c.id, c.source, c.source_id, c.date, c.start_time, distance, c.duration_s).where(
            c.athlete_id == athlete_id
        )
        frame = pd.DataFrame(_tuples(conn.execute(query)), columns=[col.name for col in query.selected_columns])
        frames.append(frame.assign(kind=kind))
    existing = pd.concat(frames, ignore_index=True)
    existing["date"] = pd.to_datetime(existing["date"]).astype("datetime64[us]")
    times = pd.to_timedelta(existing["start_time"].map(lambda v: v.isoformat() if v is not None else None))
    existing["start"] = existing["date"] + times
    existing["distance_m"] = existing["distance_m"].astype("float64")
    existing["duration_s"] = existing["duration_s"].astype("float64")
    return existing.drop(columns="start_time")[ACTIVITY_COLUMNS]


def _machine_timezone() -> str:
    try:
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # noqa: BLE001 - an odd machine setup falls back to UTC; the runner can change it
        return "UTC"


def _tuples(result: sa.CursorResult) -> list[tuple]:
    """A query's rows as plain tuples, for ``pd.DataFrame``: given SQLAlchemy's rows, pandas asks each one for a
    ``dtype`` attribute, which a row answers by failing a key lookup (a third of a ten-year log's read time)."""
    return [tuple(row) for row in result.all()]


def _row_of(entry: Entry) -> dict:
    """The entry's columns (every field but ``id`` and a stretch session's ``items``, which have their own table).

    The fields are plain values (dates, times, numbers, text), so the model's ``__dict__`` is what ``model_dump``
    would give, at a fraction of the cost for thousands of imported rows.
    """
    return {name: value for name, value in entry.__dict__.items() if name not in ("id", "items", "exercises")}


def _knee_message(checkin: KneeCheckin, clash: str) -> str:
    """Why ``checkin`` was refused: the day already has a check-in for ``clash``."""
    why = "" if clash == checkin.knee else ", and a day has one check-in for both knees or one for each knee"
    return (
        f"There is already a check-in for {knee_words(clash)} on {checkin.date.isoformat()}{why}; edit that one in "
        "History instead."
    )


def _duplicate_message(batch: Sequence[Entry]) -> str:
    entry = batch[0]
    if len(batch) > 1:
        return f"Some of these {len(batch)} {entry.label}s are already stored; nothing was saved."
    if entry.kind == "checkin":
        return _knee_message(entry, entry.knee)
    if hasattr(entry, "clash_words"):  # the outcome measures: one per day (and scale, or test and knee)
        return f"There is already {entry.clash_words()}; edit that one instead."
    return f"This {entry.label} is already stored (same source and id)."
