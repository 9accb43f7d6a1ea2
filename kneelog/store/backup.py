"""Backup and restore: one athlete's log in one zip of CSV files, with a JSON manifest that says what is inside.

A backup holds one ``<table>.csv`` per table of the log (:data:`kneelog.store.ownership.LOG_TABLES`: ids, dates, every
column but ``athlete_id``, since a backup is the store's athlete's alone; the internal data version and the accounts
are not data and are left out) and ``manifest.json`` (:class:`~kneelog.store.unpack.Manifest`). The CSVs are
UTF-8 (with a byte-order mark, so spreadsheets read accents right) and open in any spreadsheet.

Formula cells: text cells are written through :func:`kneelog.store.csvsafe.neutralise` (OWASP's advice on CSV
injection: a leading apostrophe where a spreadsheet would run the text as a formula); the manifest records that, and
restore undoes it exactly, so export then restore gives back identical data.

Restore reads and checks the whole file first (:func:`~kneelog.store.unpack.read_backup`), then writes the rows in one
transaction, into the store's athlete's log when it holds no entries (or wiped in that same transaction with
``replace=True``): all of the backup, or on any error nothing. Another athlete's rows are never touched; the
backup's ids come back as they were unless another athlete's rows hold them, and then they are renumbered
(:func:`kneelog.store.ownership.replace`), so a backup restores into any athlete's log, or a single-user database.
Before it wipes anything it saves what is there to a safety copy beside the database, and it will not swap a log for
an empty backup unless told to.

A damaged database ("database disk image is malformed") cannot be exported whole; :func:`salvage_backup` saves the
rows that can still be read and pass the rules of a fresh database, as an ordinary backup.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa

from kneelog.errors import BackupInvalid, DatabaseError, DuplicateEntry, RestoreRefused, WriteFailed
from kneelog.models import ENTRY_TYPES
from kneelog.store import rules
from kneelog.store import tables as t
from kneelog.store.csvsafe import FORMULA_PREFIX, FORMULA_TRIGGERS, neutralise
from kneelog.store.database import Store, sqlite_path
from kneelog.store.location import shown, user_db_path
from kneelog.store.ownership import log_columns
from kneelog.store.salvage import readable_rows
from kneelog.store.schema import head_revision
from kneelog.store.unpack import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    TABLES,
    Backup,
    FormulaCells,
    Manifest,
    TableFile,
    read_backup,
)

__all__ = [
    "MANIFEST", "TABLES", "Backup", "Restored", "Salvaged", "backup_filename", "describe_counts", "export_backup",
    "read_backup", "restore", "restore_backup", "salvage_backup", "write_backup", "write_salvage",
]  # fmt: skip


@dataclass(frozen=True)
class Restored:
    """What a restore did: the entries it brought back, and where it saved what was there before (if anything)."""

    counts: dict[str, int]
    safety_copy: Path | None


@dataclass(frozen=True)
class Salvaged:
    """A backup of what could be saved from a damaged database, and what could not."""

    data: bytes
    counts: dict[str, int]
    #: Rows of each table that could not be read (None: not even their number could be).
    unreadable: dict[str, int | None]
    #: Rows of each table that were read but broke a rule of a fresh database, so were left out.
    invalid: dict[str, int]

    def describe(self) -> str:
        """``"Saved 107 runs, ...; left out: runs.csv 121 rows that could not be read."``"""
        lost = [
            f"{name}.csv {'some rows' if n is None else f'{n:,} rows'} that could not be read"
            for name, n in self.unreadable.items()
            if n != 0
        ] + [f"{name}.csv {n:,} rows that break a rule" for name, n in self.invalid.items() if n]
        return f"Saved {describe_counts(self.counts)}; " + (
            f"left out: {', '.join(lost)}." if lost else "every row could be read."
        )


def kneelog_version() -> str:
    """The installed kneelog's version."""
    try:
        return importlib_metadata.version("kneelog")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def describe_counts(counts: dict[str, int]) -> str:
    """``"12 runs, 1 gym session, 30 knee check-ins"`` for entry counts by kind (kinds with none left out)."""
    parts = [f"{n:,} {ENTRY_TYPES[kind].label}{'' if n == 1 else 's'}" for kind, n in counts.items() if n]
    return ", ".join(parts) or "no entries"


def backup_filename(today: dt.date, what: str = "backup") -> str:
    """The file name a backup is offered under: ``kneelog-backup-2026-11-24.zip`` (``kneelog-salvage-...`` for what
    was saved from a damaged database, so it never takes a whole backup's name)."""
    return f"kneelog-{what}-{today.isoformat()}.zip"


# -- export -------------------------------------------------------------------------------------------------------


def _encode(value: Any, column: sa.Column) -> str:
    if value is None:
        return ""
    if isinstance(column.type, sa.String):
        return neutralise(value, column.nullable)
    if isinstance(column.type, sa.Float):
        return repr(float(value))
    if isinstance(column.type, sa.Integer):
        return str(int(value))
    return value.isoformat()  # Date, Time


def _csv_bytes(table: sa.Table, rows: Iterable[Sequence[Any]]) -> bytes:
    columns = log_columns(table)
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    writer.writerows([_encode(v, c) for v, c in zip(row, columns, strict=True)] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def _zip(
    schema: str | None, data: dict[str, Sequence[Sequence[Any]]], now: dt.datetime | None
) -> tuple[bytes, Manifest]:
    """The backup zip of ``data`` (table name -> rows, values in column order), and its manifest."""
    now = now or dt.datetime.now(dt.UTC)
    files = {table.name: _csv_bytes(table, data[table.name]) for table in TABLES}
    manifest = Manifest(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        kneelog_version=kneelog_version(),
        schema_version=schema or "",
        created_at=now.replace(microsecond=0),
        counts={kind: len(data[table.name]) for kind, table in t.ENTRY_TABLES.items()},
        formula_cells=FormulaCells(
            standard="OWASP CSV injection: text starting with a trigger gets a leading apostrophe",
            prefix=FORMULA_PREFIX,
            triggers=list(FORMULA_TRIGGERS),
        ),
        tables={
            table.name: TableFile(
                rows=len(data[table.name]),
                columns=[c.name for c in log_columns(table)],
                sha256=hashlib.sha256(files[table.name]).hexdigest(),
            )
            for table in TABLES
        },
    )
    stamp = now.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo(MANIFEST, stamp), manifest.model_dump_json(indent=2), zipfile.ZIP_DEFLATED)
        for name, payload in files.items():
            zf.writestr(zipfile.ZipInfo(f"{name}.csv", stamp), payload, zipfile.ZIP_DEFLATED)
    return out.getvalue(), manifest


def export_backup(store: Store, now: dt.datetime | None = None) -> bytes:
    """The log of ``store``'s athlete as the bytes of one backup zip, read in one consistent snapshot.

    Args:
        store: the database to back up, scoped to the athlete whose log it holds.
        now: the time stamped in the manifest (default: now, UTC).

    Raises:
        DatabaseDamaged: when the database cannot be read whole (:func:`salvage_backup` saves what can be).
    """
    return _zip(*store.snapshot(), now)[0]


def _write_file(
    path: Path,
    payload: bytes,
    what: str,
    outcome: str = "Nothing was written",
    when_full: str = "free some space or choose another place",
) -> None:
    """Write ``payload`` to ``path`` whole or not at all (a new file beside it, then renamed over it).

    A path that exists and is not a regular file (``/dev/stdout``, a pipe) is written to directly.

    Args:
        path: where to write.
        payload: the bytes.
        what: the file, in the words of a message ("the backup").
        outcome: what a failure leaves, in the words of a message.
        when_full: what to do when the disk is full.

    Raises:
        WriteFailed: when the folder is missing or read-only, the disk is full, or ``path`` is a folder.
    """
    if path.is_dir():
        raise WriteFailed(f"Could not write {what} to {path}: it is a folder; give a file name such as backup.zip.")
    tmp: str | None = None
    try:
        if path.exists() and not path.is_file():
            with path.open("wb") as fh:
                fh.write(payload)
            return
        fd, tmp = tempfile.mkstemp(prefix=".kneelog-", suffix=".zip", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if not isinstance(e, OSError):
            raise
        full = e.errno in (errno.ENOSPC, errno.EDQUOT)
        raise WriteFailed(
            f"Could not write {what} to {path}: {e.strerror}. {outcome}" + (f"; {when_full}." if full else ".")
        ) from e


def write_backup(store: Store, path: str | os.PathLike[str]) -> dict[str, int]:
    """Export ``store`` to a zip file at ``path`` (written whole or not at all); returns the entry counts.

    Raises:
        WriteFailed: when the file cannot be written (see :func:`_write_file`); nothing is left behind.
        DatabaseDamaged: when the database cannot be read whole.
    """
    payload, manifest = _zip(*store.snapshot(), None)
    _write_file(Path(path), payload, "the backup")
    return manifest.counts


def salvage_backup(url: str, now: dt.datetime | None = None, athlete_id: int = t.LOCAL_ATHLETE) -> Salvaged:
    """A backup of every row of ``athlete_id``'s log (the local athlete's by default) in a damaged database that can
    still be read and passes the rules of a fresh one.

    The file is opened as it is (no upgrade, nothing written) and read table by table past damaged pages
    (:func:`kneelog.store.salvage.readable_rows`); rows that break a rule (a stretch session whose items were lost,
    say) are left out (:func:`kneelog.store.rules.valid_only`), so the backup restores into a new database like any
    other.

    Raises:
        DatabaseError: when there is no database at ``url``, or it is not an SQLite file (a database server keeps
            its own pages whole: export it as usual).
    """
    if sa.make_url(url).get_backend_name() != "sqlite":
        raise DatabaseError(
            f"Salvage reads what is left of a damaged SQLite file; {shown(url)} is a database server, which keeps its "
            "own data whole: make an ordinary backup instead (kneelog export, without --salvage)."
        )
    store = Store(url, upgrade=False, create=False)
    try:
        rows, unreadable = readable_rows(store, athlete_id)
    finally:
        store.dispose()
    kept, invalid = rules.valid_only(rows)
    data = {
        table.name: [tuple(row.get(c.name) for c in log_columns(table)) for row in kept[table.name]] for table in TABLES
    }
    payload, manifest = _zip(head_revision(), data, now)
    return Salvaged(payload, manifest.counts, unreadable, invalid)


def write_salvage(url: str, path: str | os.PathLike[str], athlete_id: int = t.LOCAL_ATHLETE) -> Salvaged:
    """:func:`salvage_backup` written to a file at ``path`` (whole or not at all).

    Raises:
        WriteFailed: when the file cannot be written.
    """
    salvaged = salvage_backup(url, athlete_id=athlete_id)
    _write_file(Path(path), salvaged.data, "the salvaged backup")
    return salvaged


# -- restore ------------------------------------------------------------------------------------------------------


def safety_copy_path(store: Store, now: dt.datetime) -> Path:
    """Where a restore saves what it replaces: beside the database (in the data folder, made if missing, for one in
    memory or on a PostgreSQL server), named by the time (and the athlete, but for the local one), never over another
    file: ``kneelog-before-restore-2026-11-24-083000.zip``, or ``kneelog-before-restore-athlete-7-...`` ."""
    database = sqlite_path(store.url)
    folder = database.parent if database is not None else user_db_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    athlete = "" if store.athlete_id == t.LOCAL_ATHLETE else f"athlete-{store.athlete_id}-"
    stem = f"kneelog-before-restore-{athlete}{now:%Y-%m-%d-%H%M%S}"
    path, n = folder / f"{stem}.zip", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.zip"
    return path


def restore_backup(
    store: Store, backup: Backup, replace: bool = False, empty_ok: bool = False, now: dt.datetime | None = None
) -> Restored:
    """Write a checked backup into ``store``'s athlete's log in one transaction.

    The log then holds exactly what the backup holds (entries with their ids, or new ids where another athlete's rows
    hold them; settings, column mappings, the programme); other athletes' logs stay as they are. When it held
    anything, that is first saved to a safety copy beside it (:func:`safety_copy_path`), inside the same
    transaction: if the copy cannot be written, nothing is restored; if the restore fails, the copy is removed.

    Args:
        store: the database to restore into, scoped to the athlete whose log it replaces.
        backup: from :func:`read_backup`.
        replace: wipe every entry, setting and column mapping of the athlete first (in the same transaction).
        empty_ok: allow a backup without entries to replace a database with entries.
        now: the time that names the safety copy (default: now).

    Raises:
        RestoreRefused: when ``store`` holds entries and ``replace`` is false, or the backup holds none and
            ``empty_ok`` is false.
        BackupInvalid: when the rows break a rule of the database (for example two check-ins for one knee and day).
        WriteFailed: when the safety copy or the database cannot be written (a full disk, a read-only file).
        ReadOnly: when ``store`` is read-only.
    """
    copy: Path | None = None
    try:
        with store.transaction() as tx:
            held = tx.counts()
            if any(held.values()) and not replace:
                raise RestoreRefused(
                    f"This database already holds {describe_counts(held)}, so {backup.name} was not restored (it "
                    "would mix with them). Restore with replace (--replace, or the tick box in the app) to wipe them "
                    "first, or into an empty database. Nothing was changed."
                )
            if any(held.values()) and backup.empty and not empty_ok:
                raise RestoreRefused(
                    f"{backup.name} holds no entries, so restoring it would leave kneelog empty: the "
                    f"{describe_counts(held)} here would go. Nothing was changed. If that is what you want, confirm "
                    "it (--yes, or the tick box in the app)."
                )
            if tx.held():
                copy = safety_copy_path(store, now or dt.datetime.now())
                payload = _zip(*tx.snapshot(), None)[0]
                what, outcome = "the safety copy of your data", "The backup was not restored: nothing changed"
                _write_file(copy, payload, what, outcome, when_full="free some space, then restore again")
            try:
                tx.replace_all(backup.rows)
            except DuplicateEntry as e:
                raise BackupInvalid(f"{backup.name}: {e}; restore an untouched backup. Nothing was changed.") from e
            _check_counts(tx.snapshot()[1], backup)
    except BaseException:
        if copy is not None:
            copy.unlink(missing_ok=True)  # nothing was restored, so nothing needs it
        raise
    return Restored(backup.counts, copy)


def _check_counts(stored: dict[str, list], backup: Backup) -> None:
    """Refuse, so the restore's transaction rolls back, unless every table now holds exactly the backup's rows.

    Raises:
        WriteFailed: naming the first table whose count differs.
    """
    for table in TABLES:
        expected, held = len(backup.rows.get(table.name, [])), len(stored[table.name])
        if held != expected:
            raise WriteFailed(
                f"{backup.name} was not restored: {table.name} would hold {held:,} rows where the backup has "
                f"{expected:,}. Nothing was changed."
            )


def restore(
    store: Store,
    source: bytes | str | os.PathLike[str] | BinaryIO,
    name: str | None = None,
    replace: bool = False,
    empty_ok: bool = False,
) -> Restored:
    """Read, check and restore a backup zip in one go (see :func:`read_backup` and :func:`restore_backup`)."""
    return restore_backup(store, read_backup(source, name), replace=replace, empty_ok=empty_ok)
