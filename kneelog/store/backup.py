"""Backup and restore: every table in one zip of CSV files, with a JSON manifest that says what is inside.

A backup holds one ``<table>.csv`` per table of :mod:`kneelog.store.tables` (ids, dates, every column; the internal data
version is not data and is left out) and ``manifest.json`` with the backup format, the database schema revision,
the kneelog version, when it was made, how many entries of each kind it holds, and each CSV's columns, row count and
SHA-256. The CSVs are UTF-8 (with a byte-order mark, so spreadsheets read accents right) and open in any spreadsheet.

Formula cells: text cells are written through :func:`kneelog.store.csvsafe.neutralise` (OWASP's advice on CSV
injection: a leading apostrophe where a spreadsheet would run the text as a formula); the manifest records that, and
restore undoes it exactly, so export then restore gives back identical data.

Restore reads and checks the whole file before it writes anything: a zip that is damaged, foreign, edited, too
large to be a kneelog backup, or made by a newer kneelog is refused with a :class:`~kneelog.errors.BackupInvalid`
naming what is wrong. The rows are then written in one transaction, into a database with no entries (or one wiped
in that same transaction with ``replace=True``): all of the backup, or on any error nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, BinaryIO, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kneelog.errors import BackupInvalid, DuplicateEntry, EntryInvalid, RestoreRefused
from kneelog.models import ENTRY_TYPES, Settings, StretchDone, parse_entry
from kneelog.store import tables as t
from kneelog.store.csvsafe import FORMULA_PREFIX, FORMULA_TRIGGERS, neutralise, unneutralise
from kneelog.store.database import BACKUP_TABLES, Store
from kneelog.store.schema import head_revision, known_revisions

FORMAT = "kneelog-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: Limits that no real kneelog backup comes near (ten years of data is a few megabytes); checked before unpacking.
MAX_ZIP_BYTES = 256 * 2**20
MAX_MEMBER_BYTES = 256 * 2**20
MAX_TOTAL_BYTES = 512 * 2**20
MAX_MANIFEST_BYTES = 2**20
#: Tables in a backup, parents before children (the order restore writes them); ``meta`` is internal.
TABLES = BACKUP_TABLES
_STAMPS = ("created_at", "updated_at")


class TableFile(BaseModel):
    """What the manifest says about one table's CSV."""

    model_config = ConfigDict(extra="forbid")

    rows: int = Field(ge=0)
    columns: list[str]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class FormulaCells(BaseModel):
    """How formula cells were neutralised (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    standard: str
    prefix: Literal["'"]
    triggers: list[str]


class Manifest(BaseModel):
    """``manifest.json``: what a backup holds and which kneelog made it."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["kneelog-backup"]
    format_version: int
    kneelog_version: str
    schema_version: str
    created_at: dt.datetime
    counts: dict[str, int]
    formula_cells: FormulaCells | None = None
    tables: dict[str, TableFile]


@dataclass(frozen=True)
class Backup:
    """A backup that has been read and checked in full, ready to restore."""

    name: str
    manifest: Manifest
    rows: dict[str, list[dict[str, Any]]]

    @property
    def counts(self) -> dict[str, int]:
        """Entries of each kind (``run``, ``gym``, ...)."""
        return {kind: len(self.rows[table.name]) for kind, table in t.ENTRY_TABLES.items()}


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


def backup_filename(today: dt.date) -> str:
    """The file name a backup is offered under: ``kneelog-backup-2026-11-24.zip``."""
    return f"kneelog-backup-{today.isoformat()}.zip"


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


def _csv_bytes(table: sa.Table, rows: list[sa.Row]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows([_encode(v, c) for v, c in zip(row, table.columns, strict=True)] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def export_backup(store: Store, now: dt.datetime | None = None) -> bytes:
    """Every table of ``store`` as the bytes of one backup zip, read in one consistent snapshot.

    Args:
        store: the database to back up.
        now: the time stamped in the manifest (default: now, UTC).
    """
    return _export(store, now)[0]


def _export(store: Store, now: dt.datetime | None) -> tuple[bytes, Manifest]:
    now = now or dt.datetime.now(dt.UTC)
    schema, data = store.snapshot()
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
                columns=[c.name for c in table.columns],
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


def write_backup(store: Store, path: str | os.PathLike[str]) -> dict[str, int]:
    """Export ``store`` to a zip file at ``path`` (written whole or not at all); returns the entry counts."""
    payload, manifest = _export(store, None)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".kneelog-backup-", suffix=".zip", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest.counts


# -- reading and checking -----------------------------------------------------------------------------------------


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _decoder(column: sa.Column) -> tuple[Callable[[str], Any], str]:
    if isinstance(column.type, sa.Float):
        return float, "a number"
    if isinstance(column.type, sa.Integer):
        return int, "a whole number"
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat, "a date such as 2026-05-17"
    if isinstance(column.type, sa.Time):
        return dt.time.fromisoformat, "a time such as 07:30:00"
    return str, "text"


def _open_zip(source: bytes | str | os.PathLike[str] | BinaryIO, name: str) -> zipfile.ZipFile:
    if isinstance(source, str | os.PathLike):
        try:
            size = os.path.getsize(source)
        except OSError as e:
            raise BackupInvalid(f"Cannot read {name}: {e.strerror}. Check the path.") from e
    elif isinstance(source, bytes | bytearray):
        size = len(source)
        source = io.BytesIO(source)
    else:
        size = source.seek(0, io.SEEK_END)
        source.seek(0)
    if size > MAX_ZIP_BYTES:
        raise BackupInvalid(
            f"{name} is {size / 2**20:,.0f} MB, larger than any kneelog backup ({MAX_ZIP_BYTES // 2**20} MB at most);"
            " choose the .zip that kneelog exported."
        )
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, ValueError) as e:
        raise BackupInvalid(
            f"{name} is not a zip file (it may be damaged, or not a kneelog backup): choose the .zip that kneelog "
            "exported. Nothing was changed."
        ) from e


def _check_members(zf: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    expected = {MANIFEST} | {f"{table.name}.csv" for table in TABLES}
    infos = zf.infolist()
    foreign = [i.filename for i in infos if i.filename not in expected]
    if foreign or MANIFEST not in {i.filename for i in infos}:
        what = f"it holds {_short(foreign[0])}, which kneelog never writes" if foreign else "it has no manifest.json"
        raise BackupInvalid(f"{name} is not a kneelog backup: {what}. Choose the .zip that kneelog exported.")
    total = 0
    for info in infos:
        limit = MAX_MANIFEST_BYTES if info.filename == MANIFEST else MAX_MEMBER_BYTES
        total += info.file_size
        if info.file_size > limit or total > MAX_TOTAL_BYTES:
            raise BackupInvalid(
                f"{name}: {info.filename} would unpack to {info.file_size:,} bytes, far more than a kneelog backup "
                "holds; it is not one (or it was tampered with). Nothing was changed."
            )
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BackupInvalid(
                f"{name}: {info.filename} is encrypted or packed in a way kneelog never uses; it is not a kneelog "
                "backup. Choose the .zip that kneelog exported."
            )
    return {i.filename: i for i in infos}


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise BackupInvalid(
            f"{name}: {info.filename} is damaged ({e}); the zip was cut short or changed. Restore another copy."
        ) from e
    if len(data) != info.file_size:
        raise BackupInvalid(f"{name}: {info.filename} is damaged (wrong size); restore another copy.")
    return data


def _read_manifest(raw: bytes, name: str, known: frozenset[str]) -> Manifest:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BackupInvalid(f"{name}: manifest.json is not valid JSON ({e}); the backup is damaged.") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupInvalid(f"{name} is not a kneelog backup: its manifest.json does not say format {FORMAT!r}.")
    version = data.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise BackupInvalid(
            f"{name} was made by a newer kneelog ({data.get('kneelog_version', '?')}, backup format {version}); "
            "update kneelog to restore it. Nothing was changed."
        )
    schema = data.get("schema_version")
    if isinstance(schema, str) and schema not in known:
        raise BackupInvalid(
            f"{name} was made by a newer kneelog ({data.get('kneelog_version', '?')}, database schema {schema!r}); "
            "update kneelog to restore it. Nothing was changed."
        )
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise BackupInvalid(f"{name}: manifest.json field {where}: {err['msg']}; the backup is damaged.") from e
    if manifest.format_version != FORMAT_VERSION:
        raise BackupInvalid(f"{name}: manifest.json names backup format {manifest.format_version}, which is unknown.")
    return manifest


def _read_table(table: sa.Table, raw: bytes, entry: TableFile, name: str, neutralised: bool) -> list[dict[str, Any]]:
    file = f"{table.name}.csv"
    if hashlib.sha256(raw).hexdigest() != entry.sha256:
        raise BackupInvalid(
            f"{name}: {file} does not match manifest.json (checksum differs): it was edited or damaged. Restore an "
            "untouched backup. Nothing was changed."
        )
    try:
        text = raw.decode("utf-8-sig")
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error) as e:
        raise BackupInvalid(f"{name}: {file} cannot be read as UTF-8 CSV ({e}); the backup is damaged.") from e
    header, body = (records[0], records[1:]) if records else ([], [])
    expected = [c.name for c in table.columns]
    if header != expected or entry.columns != expected:
        raise BackupInvalid(
            f"{name}: {file} has the columns {', '.join(header) or '(none)'}, but this kneelog stores "
            f"{', '.join(expected)}. Restore a backup made by this kneelog."
        )
    if len(body) != entry.rows:
        raise BackupInvalid(f"{name}: {file} holds {len(body)} rows but manifest.json says {entry.rows}.")
    decoders = [(c, *_decoder(c)) for c in table.columns]
    rows: list[dict[str, Any]] = []
    for number, record in enumerate(body, start=2):
        if len(record) != len(expected):
            raise BackupInvalid(f"{name}: {file} row {number} has {len(record)} cells, not {len(expected)}.")
        row: dict[str, Any] = {}
        for cell, (column, decode, wanted) in zip(record, decoders, strict=True):
            if cell == "" and column.nullable:
                row[column.name] = None
                continue
            if cell == "" and decode is not str:
                raise BackupInvalid(f"{name}: {file} row {number}, column {column.name} is empty; it needs {wanted}.")
            if decode is str:
                row[column.name] = unneutralise(cell, column.nullable) if neutralised else cell
                continue
            try:
                row[column.name] = decode(cell)
            except ValueError as e:
                raise BackupInvalid(
                    f"{name}: {file} row {number}, column {column.name}: {_short(cell)} is not {wanted}."
                ) from e
        rows.append(row)
    return rows


def _check_entries(rows: dict[str, list[dict[str, Any]]], name: str) -> None:
    items: dict[int, list[StretchDone]] = {}
    sessions = {row["id"] for row in rows[t.stretch_sessions.name]}
    for number, row in enumerate(rows[t.stretch_items.name], start=2):
        if row["session_id"] not in sessions:
            raise BackupInvalid(
                f"{name}: stretch_items.csv row {number}: session_id {row['session_id']} is not in "
                "stretch_sessions.csv."
            )
        items.setdefault(row["session_id"], []).append({"stretch_id": row["stretch_id"], "side": row["side"]})
    for kind, table in t.ENTRY_TABLES.items():
        for number, row in enumerate(rows[table.name], start=2):
            data = {k: v for k, v in row.items() if k not in _STAMPS}
            if kind == "stretch":
                data["items"] = items.get(row["id"], [])
            try:
                parse_entry(ENTRY_TYPES[kind], data)
            except EntryInvalid as e:
                raise BackupInvalid(f"{name}: {table.name}.csv row {number}: {e}") from e
    saved = {}
    for number, row in enumerate(rows[t.settings.name], start=2):
        try:
            saved[row["key"]] = json.loads(row["value"])
        except json.JSONDecodeError as e:
            raise BackupInvalid(f"{name}: settings.csv row {number}: the value is not valid JSON.") from e
    try:
        Settings.model_validate({k: v for k, v in saved.items() if k in Settings.model_fields})
    except ValidationError as e:
        raise BackupInvalid(f"{name}: settings.csv: {e.errors()[0]['loc']} {e.errors()[0]['msg']}.") from e


def read_backup(source: bytes | str | os.PathLike[str] | BinaryIO, name: str | None = None) -> Backup:
    """Read and check a whole backup zip without touching any database.

    Sizes are checked from the zip's directory before anything is unpacked, so a zip bomb is refused unread. A
    backup from an older kneelog restores too: a table added since then comes back empty.

    Args:
        source: the zip as bytes, a path, or a binary file object.
        name: how to call the file in messages (default: the path's name, or "the backup").

    Raises:
        BackupInvalid: when it is not a zip, not a kneelog backup, damaged, edited, too large, or from a newer kneelog.
    """
    name = name or (Path(source).name if isinstance(source, str | os.PathLike) else "the backup")
    with _open_zip(source, name) as zf:
        members = _check_members(zf, name)
        manifest = _read_manifest(_read_member(zf, members[MANIFEST], name), name, known_revisions())
        rows = {}
        for table in TABLES:
            entry = manifest.tables.get(table.name)
            info = members.get(f"{table.name}.csv")
            if entry is None and info is None and manifest.schema_version != head_revision():
                rows[table.name] = []  # a table added after the older kneelog that made this backup
                continue
            if entry is None or info is None:
                raise BackupInvalid(f"{name} is incomplete: {table.name}.csv is missing; restore another copy.")
            raw = _read_member(zf, info, name)
            rows[table.name] = _read_table(table, raw, entry, name, manifest.formula_cells is not None)
    _check_entries(rows, name)
    backup = Backup(name=name, manifest=manifest, rows=rows)
    if backup.counts != {kind: manifest.counts.get(kind, -1) for kind in t.ENTRY_TABLES}:
        raise BackupInvalid(f"{name}: the entry counts in manifest.json do not match its CSV files.")
    return backup


# -- restore ------------------------------------------------------------------------------------------------------


def restore_backup(store: Store, backup: Backup, replace: bool = False) -> dict[str, int]:
    """Write a checked backup into ``store`` in one transaction; returns the entry counts restored.

    The database then holds exactly what the backup holds (entries with their ids, and settings).

    Args:
        store: the database to restore into.
        backup: from :func:`read_backup`.
        replace: wipe every entry and setting in ``store`` first (in the same transaction).

    Raises:
        RestoreRefused: when ``store`` holds entries and ``replace`` is false.
        BackupInvalid: when the rows break a rule of the database (for example two check-ins for one knee and day).
    """
    with store.transaction() as tx:
        held = tx.counts()
        if any(held.values()) and not replace:
            raise RestoreRefused(
                f"This database already holds {describe_counts(held)}, so "
                f"{backup.name} was not restored (it would mix with them). Restore with replace (--replace, or "
                "the tick box in the app) to wipe them first, or into an empty database. Nothing was changed."
            )
        try:
            tx.replace_all(backup.rows)
        except DuplicateEntry as e:
            raise BackupInvalid(f"{backup.name}: {e}; restore an untouched backup. Nothing was changed.") from e
    return backup.counts


def restore(
    store: Store, source: bytes | str | os.PathLike[str] | BinaryIO, name: str | None = None, replace: bool = False
) -> dict[str, int]:
    """Read, check and restore a backup zip in one go (see :func:`read_backup` and :func:`restore_backup`)."""
    return restore_backup(store, read_backup(source, name), replace=replace)
