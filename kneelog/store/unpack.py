"""Reading a backup zip back: bounded before anything is unpacked, and checked in full before anything is written.

A backup (:mod:`kneelog.store.backup` writes it) holds one ``<table>.csv`` per table of one athlete's log (every
column but ``athlete_id``: the log is restored into the store's own athlete) and ``manifest.json``, which
says the backup format, the schema revision, the kneelog version, when it was made, how many entries of each kind it
holds, and each CSV's columns, row count and SHA-256 (:class:`Manifest`).

:func:`read_backup` refuses, with a :class:`~kneelog.errors.BackupInvalid` that names what is wrong, in this order:

1. from the zip's directory alone: a zip larger than any backup, a foreign, duplicated or encrypted member, or
   members that would unpack to more than the size limits below allow;
2. streaming each member (64 KiB at a time, nothing kept): a member that is damaged or does not match the SHA-256 the
   manifest gives, so an edited file is refused before it is parsed;
3. parsing the CSVs (strictly: cells exactly as kneelog writes them, so ``1_0`` is not 10 and ``2026W01`` is no
   date) into rows, stopping at the row count the manifest gives, which the size limits bound;
4. the rows against the rules of a fresh database (:mod:`kneelog.store.rules`).

The size limits are sized from the largest plausible log (:data:`LARGEST_LOG_DAYS`): a restore that is refused for
size is not a runner's backup, and one within them takes seconds and a bounded amount of memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kneelog import limits
from kneelog.errors import BackupInvalid
from kneelog.models import Settings
from kneelog.store import rules
from kneelog.store import tables as t
from kneelog.store.csvsafe import unneutralise
from kneelog.store.database import BACKUP_TABLES
from kneelog.store.ownership import log_columns
from kneelog.store.schema import columns_at, known_revisions, tables_at

FORMAT = "kneelog-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: Tables in a backup, parents before children (the order restore writes them); ``meta`` is internal.
TABLES = BACKUP_TABLES

#: The largest plausible log, which the limits below must let through: 50 years (50 x 365.25 days, rounded up) of
#: days on which a runner logs every kind of entry, each with a 1,000-character note (about 1,100 bytes of UTF-8).
LARGEST_LOG_DAYS = 18_263
#: For each table: rows such a day adds, and the bytes of one such row in its CSV (fields measured on kneelog's own
#: exports, plus the note): two runs (a double day; ~150 bytes + note + ~1,050 of heart rate from a device file: the
#: seconds at each of ~100 bpm and four figures), a gym session (~130 + note + the same heart rate), a stretch
#: session (~80 + note) with 20 stretch-sides (twice today's routine of 9; ~40 bytes each), a check-in for each knee
#: and one for both (~110 + note each), a race (~90 + a 100-character name), and the outcome measures: a weekly pain
#: rating (~80 + note), both questionnaires (~90 + note each) and both functional tests on both knees (~110 + note).
LARGEST_DAY: dict[str, tuple[int, int]] = {
    t.runs.name: (2, 2_300),
    t.gym_sessions.name: (1, 2_280),
    t.stretch_sessions.name: (1, 1_180),
    t.stretch_items.name: (20, 40),
    t.checkins.name: (3, 1_210),
    t.races.name: (1, 190),
    t.gym_exercise_logs.name: (12, 160),  # twelve exercises of the day's gym session, ~60 bytes + a 100-char name
    t.weekly_pain.name: (1, 1_180),
    t.questionnaire_scores.name: (2, 1_190),
    t.function_tests.name: (4, 1_210),
}
#: Settings (one row each) and remembered column mappings (one per kind of file imported; ~4,000 bytes each).
OTHER_ROWS: dict[str, tuple[int, int]] = {
    t.settings.name: (len(Settings.model_fields), 100),
    t.column_mappings.name: (1_000, 4_000),
    t.exercises.name: (1_000, 220),  # a programme and the exercises removed from it (~120 bytes + name)
}
#: The most rows a backup's table may hold: 36,526 runs, 18,263 gym sessions, ..., 5 settings, 1,000 mappings.
MAX_ROWS: dict[str, int] = {name: LARGEST_LOG_DAYS * n for name, (n, _) in LARGEST_DAY.items()} | {
    name: n for name, (n, _) in OTHER_ROWS.items()
}
#: The most a backup's CSVs may unpack to: 18,263 days x 23,000 bytes a day + 4,220,900 bytes of settings, mappings
#: and gym exercises = 424,269,900 bytes (about 405 MiB).
MAX_TOTAL_BYTES = sum(LARGEST_LOG_DAYS * n * size for n, size in LARGEST_DAY.values()) + sum(
    n * size for n, size in OTHER_ROWS.values()
)
#: kneelog's own backups unpack to 6-14 times their zip (8.7 for a year of the demo athlete), so more than this many
#: times the zip is a zip bomb; a small backup may still unpack to :data:`SMALL_BACKUP_BYTES` (a long note of one
#: repeated character packs a thousandfold).
MAX_RATIO = 100
SMALL_BACKUP_BYTES = 16 * 2**20
MAX_MANIFEST_BYTES = 2**20
#: The zip itself: its content stored uncompressed, plus room for the zip's own headers.
MAX_ZIP_BYTES = MAX_TOTAL_BYTES + MAX_MANIFEST_BYTES + 2**20
_CHUNK = 64 * 2**10


class TableFile(BaseModel):
    """What the manifest says about one table's CSV."""

    model_config = ConfigDict(extra="forbid")

    rows: int = Field(ge=0)
    columns: list[str]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class FormulaCells(BaseModel):
    """How formula cells were neutralised (:mod:`kneelog.store.csvsafe`)."""

    model_config = ConfigDict(extra="forbid")

    standard: str
    prefix: Literal["'"]
    triggers: list[str]


class Manifest(BaseModel):
    """``manifest.json``: what a backup holds and which kneelog made it."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["kneelog-backup"]
    format_version: int
    kneelog_version: str = Field(max_length=100)
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

    @property
    def empty(self) -> bool:
        """Whether it holds no entries at all (settings and column mappings do not count)."""
        return not any(self.counts.values())


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


# -- the zip and its members --------------------------------------------------------------------------------------


def _open_zip(source: bytes | str | os.PathLike[str] | BinaryIO, name: str) -> tuple[zipfile.ZipFile, int]:
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
        return zipfile.ZipFile(source), size
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
        raise BackupInvalid(
            f"{name} is not a zip file (it may be damaged, or not a kneelog backup): choose the .zip that kneelog "
            "exported. Nothing was changed."
        ) from e


def _check_members(zf: zipfile.ZipFile, size: int, name: str) -> dict[str, zipfile.ZipInfo]:
    """The members by name, after the checks that need only the zip's directory."""
    expected = {MANIFEST} | {f"{table.name}.csv" for table in TABLES}
    infos = zf.infolist()
    names = [i.filename for i in infos]
    foreign = [n for n in names if n not in expected]
    if foreign or MANIFEST not in names:
        what = f"it holds {_short(foreign[0])}, which kneelog never writes" if foreign else "it has no manifest.json"
        raise BackupInvalid(f"{name} is not a kneelog backup: {what}. Choose the .zip that kneelog exported.")
    if twice := sorted({n for n in names if names.count(n) > 1}):
        raise BackupInvalid(
            f"{name} holds two files called {twice[0]}, which kneelog never writes (only one of them could be "
            "read); it was tampered with. Choose the .zip that kneelog exported. Nothing was changed."
        )
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BackupInvalid(
                f"{name}: {info.filename} is encrypted or packed in a way kneelog never uses; it is not a kneelog "
                "backup. Choose the .zip that kneelog exported."
            )
    manifest = zf.getinfo(MANIFEST)
    if manifest.file_size > MAX_MANIFEST_BYTES:
        raise BackupInvalid(
            f"{name}: manifest.json would unpack to {manifest.file_size:,} bytes, far more than a kneelog backup's "
            f"({MAX_MANIFEST_BYTES:,} at most); it is not one. Nothing was changed."
        )
    total = sum(i.file_size for i in infos if i.filename != MANIFEST)
    allowed = min(MAX_TOTAL_BYTES, max(SMALL_BACKUP_BYTES, MAX_RATIO * size))
    if total > allowed:
        why = (
            f"more than {MAX_RATIO} times the zip's {size:,} bytes, which no kneelog backup packs to (a zip bomb?)"
            if allowed < MAX_TOTAL_BYTES
            else f"more than even 50 years of daily entries with long notes would ({MAX_TOTAL_BYTES:,} bytes)"
        )
        raise BackupInvalid(
            f"{name}: its files would unpack to {total:,} bytes, {why}; it is not a kneelog backup (or it was "
            "tampered with). Nothing was changed."
        )
    return {i.filename: i for i in infos}


@contextmanager
def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[BinaryIO]:
    """One member opened for streaming; damage found while reading it (a bad CRC, cut-off data) is named."""
    try:
        with zf.open(info) as fh:
            yield fh
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise BackupInvalid(
            f"{name}: {info.filename} is damaged ({e}); the zip was cut short or changed. Restore another copy."
        ) from e


def _stream_check(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> str:
    """Unpack a member in chunks, keeping nothing, and return its SHA-256; its size must be what the zip says."""
    digest, size = hashlib.sha256(), 0
    with _member(zf, info, name) as fh:
        while chunk := fh.read(_CHUNK):
            size += len(chunk)
            digest.update(chunk)
    if size != info.file_size:
        raise BackupInvalid(f"{name}: {info.filename} is damaged (wrong size); restore another copy.")
    return digest.hexdigest()


def _read_manifest(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Manifest:
    with _member(zf, info, name) as fh:
        raw = fh.read(MAX_MANIFEST_BYTES + 1)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        why = "it is nested too deeply" if isinstance(e, RecursionError) else str(e)
        raise BackupInvalid(f"{name}: manifest.json is not valid JSON ({why}); the backup is damaged.") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupInvalid(f"{name} is not a kneelog backup: its manifest.json does not say format {FORMAT!r}.")
    made_by = _short(str(data.get("kneelog_version", "?")))[1:-1]
    version = data.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise BackupInvalid(
            f"{name} was made by a newer kneelog ({made_by}, backup format {version}); update kneelog to restore it. "
            "Nothing was changed."
        )
    schema = data.get("schema_version")
    if isinstance(schema, str) and schema not in known_revisions():
        raise BackupInvalid(
            f"{name} was made by a newer kneelog ({made_by}, database schema {_short(schema)}); update kneelog to "
            "restore it. Nothing was changed."
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


def _tables_present(manifest: Manifest, members: dict[str, zipfile.ZipInfo], name: str) -> list[sa.Table]:
    """The tables this backup holds: every table of the schema it names, each in the manifest and the zip."""
    had = tables_at(manifest.schema_version)
    for listed in manifest.tables:
        if listed not in had:
            raise BackupInvalid(
                f"{name}: manifest.json lists a table {_short(listed)} that schema {manifest.schema_version} does not "
                "have; the backup was tampered with. Nothing was changed."
            )
    present = []
    for table in TABLES:
        in_manifest, info = table.name in manifest.tables, members.get(f"{table.name}.csv")
        if table.name not in had:
            if info is None:
                continue  # a table added after the older kneelog that made this backup: it comes back empty
            raise BackupInvalid(
                f"{name} holds {table.name}.csv, which schema {manifest.schema_version} does not have; the backup "
                "was tampered with. Nothing was changed."
            )
        if not in_manifest or info is None:
            raise BackupInvalid(f"{name} is incomplete: {table.name}.csv is missing; restore another copy.")
        if (rows := manifest.tables[table.name].rows) > MAX_ROWS[table.name]:
            raise BackupInvalid(
                f"{name}: manifest.json says {table.name}.csv holds {rows:,} rows, more than 50 years of daily entries "
                f"would ({MAX_ROWS[table.name]:,}); it is not a kneelog backup (or it was tampered with)."
            )
        present.append(table)
    return present


# -- the CSV files ------------------------------------------------------------------------------------------------

_FIELD_LIMIT = threading.Lock()


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields up to ``limit`` characters, for as long as the block runs.

    Python's csv reader refuses a field over 131,072 characters by default, and the limit is one setting of the whole
    module; a note may hold more. The limit is raised (never lowered) for the block and put back after it, unless
    something else changed it meanwhile; the lock keeps two restores from undoing each other's.
    """
    with _FIELD_LIMIT:
        before = csv.field_size_limit()
        during = max(before, limit)
        csv.field_size_limit(during)
        try:
            yield
        finally:
            if csv.field_size_limit() == during:  # never below what an import reading meanwhile relies on
                csv.field_size_limit(max(before, limits.CSV_CELL_CHARS))


_INTEGER = re.compile(r"-?[0-9]{1,19}")
_NUMBER = re.compile(r"-?[0-9]{1,400}(\.[0-9]{1,400})?(e[-+]?[0-9]{1,3})?")  # what repr(float) writes, but nan, inf
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?")
_INT64 = (-(2**63), 2**63 - 1)


def _whole(cell: str) -> int:
    value = int(cell) if _INTEGER.fullmatch(cell) else None
    if value is None or not _INT64[0] <= value <= _INT64[1]:
        raise ValueError(cell)
    return value


def _number(cell: str) -> float:
    value = float(cell) if _NUMBER.fullmatch(cell) else math.nan
    if not math.isfinite(value):
        raise ValueError(cell)
    return value


def _strict(pattern: re.Pattern[str], parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def decode(cell: str) -> Any:
        if not pattern.fullmatch(cell):
            raise ValueError(cell)
        return parse(cell)

    return decode


def _decoder(column: sa.Column) -> tuple[Callable[[str], Any] | None, str]:
    """How a cell of ``column`` is read back (None: text), and what it must be, in words."""
    if isinstance(column.type, sa.Float):
        return _number, "a number"
    if isinstance(column.type, sa.Integer):
        return _whole, "a whole number"
    if isinstance(column.type, sa.Date):
        return _strict(_DATE, dt.date.fromisoformat), "a date such as 2026-05-17"
    if isinstance(column.type, sa.Time):
        return _strict(_TIME, dt.time.fromisoformat), "a time such as 07:30:00"
    return None, "text"


def _read_table(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    table: sa.Table,
    entry: TableFile,
    name: str,
    neutralised: bool,
    revision: str,
) -> list[dict[str, Any]]:
    """The rows of one table's CSV, each cell read back as kneelog wrote it; a column added to the table after the
    backup's schema ``revision`` may be absent, and then comes back empty (every such column is nullable)."""
    file = f"{table.name}.csv"
    had = columns_at(revision)[table.name]
    rows: list[dict[str, Any]] = []
    with _csv_field_limit(info.file_size + 1), _member(zf, info, name) as fh:
        reader = csv.reader(io.TextIOWrapper(fh, encoding="utf-8-sig", newline=""), strict=True)
        try:
            header = next(reader, [])
            columns = [c for c in log_columns(table) if c.name in had or c.name in header]
            expected = [c.name for c in columns]
            later = dict.fromkeys(c.name for c in log_columns(table) if c.name not in expected)
            decoders = [(c, *_decoder(c)) for c in columns]
            if header != expected or entry.columns != expected:
                raise BackupInvalid(
                    f"{name}: {file} has the columns {_short(', '.join(header) or '(none)')}, but this kneelog stores "
                    f"{', '.join(expected)}. Restore a backup made by this kneelog."
                )
            for record in reader:
                number = len(rows) + 2
                if number - 1 > entry.rows:
                    raise BackupInvalid(f"{name}: {file} holds more rows than the {entry.rows} manifest.json says.")
                if len(record) != len(expected):
                    raise BackupInvalid(f"{name}: {file} row {number} has {len(record)} cells, not {len(expected)}.")
                rows.append(_decode_row(record, decoders, f"{name}: {file} row {number}", neutralised) | later)
        except (UnicodeDecodeError, csv.Error) as e:
            raise BackupInvalid(f"{name}: {file} cannot be read as UTF-8 CSV ({e}); the backup is damaged.") from e
    if len(rows) != entry.rows:
        raise BackupInvalid(f"{name}: {file} holds {len(rows)} rows but manifest.json says {entry.rows}.")
    return rows


def _decode_row(
    record: list[str], decoders: list[tuple[sa.Column, Callable[[str], Any] | None, str]], where: str, neutralised: bool
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for cell, (column, decode, wanted) in zip(record, decoders, strict=True):
        if cell == "" and column.nullable:
            row[column.name] = None
        elif decode is None:
            row[column.name] = unneutralise(cell, column.nullable) if neutralised else cell
        elif cell == "":
            raise BackupInvalid(f"{where}, column {column.name} is empty; it needs {wanted}.")
        else:
            try:
                row[column.name] = decode(cell)
            except ValueError as e:
                raise BackupInvalid(f"{where}, column {column.name}: {_short(cell)} is not {wanted}.") from e
    return row


def read_backup(source: bytes | str | os.PathLike[str] | BinaryIO, name: str | None = None) -> Backup:
    """Read and check a whole backup zip without touching any database (see the module docstring for the order).

    A backup from an older kneelog restores too: a table added since then comes back empty.

    Args:
        source: the zip as bytes, a path, or a binary file object.
        name: how to call the file in messages (default: the path's name, or "the backup").

    Raises:
        BackupInvalid: when it is not a zip, not a kneelog backup, damaged, edited, too large, from a newer kneelog,
            or holds a row that a fresh database could not.
    """
    name = name or (Path(source).name if isinstance(source, str | os.PathLike) else "the backup")
    zf, size = _open_zip(source, name)
    with zf:
        members = _check_members(zf, size, name)
        manifest = _read_manifest(zf, members[MANIFEST], name)
        present = _tables_present(manifest, members, name)
        for table in present:
            if _stream_check(zf, members[f"{table.name}.csv"], name) != manifest.tables[table.name].sha256:
                raise BackupInvalid(
                    f"{name}: {table.name}.csv does not match manifest.json (checksum differs): it was edited or "
                    "damaged. Restore an untouched backup. Nothing was changed."
                )
        neutralised = manifest.formula_cells is not None
        rows = {table.name: [] for table in TABLES} | {
            table.name: _read_table(
                zf,
                members[f"{table.name}.csv"],
                table,
                manifest.tables[table.name],
                name,
                neutralised,
                manifest.schema_version,
            )
            for table in present
        }
    for table_name, position, problem in rules.problems(rows):
        raise BackupInvalid(f"{name}: {table_name}.csv row {position + 2}: {problem}. Nothing was changed.")
    backup = Backup(name=name, manifest=manifest, rows=rows)
    # a kind the manifest does not count is a table added after the kneelog that made it: it comes back empty
    if backup.counts != {kind: manifest.counts.get(kind, 0) for kind in t.ENTRY_TABLES}:
        raise BackupInvalid(f"{name}: the entry counts in manifest.json do not match its CSV files.")
    return backup
