"""The rules every row meets before a restore writes it: what a fresh database could hold, and nothing else.

A backup's rows (or the rows salvaged from a damaged database) are checked here against the same pydantic models and
limits as an entry typed in a form (:func:`kneelog.models.parse_entry`), plus what only the database's own columns
need: ids the next save can count on, text without control characters (which an import refuses too), stretch ids
from the library, settings and column mappings that kneelog can read back, and no two rows that the database's
uniqueness rules would refuse. :func:`problems` says what is wrong and where; :func:`valid_only` keeps the rows that
pass (for a salvage, where losing a bad row beats losing them all).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from kneelog.errors import EntryInvalid
from kneelog.models import ENTRY_TYPES, Settings, StretchDone, parse_entry
from kneelog.store import programme
from kneelog.store import tables as t
from kneelog.store.database import BACKUP_TABLES
from kneelog.stretches import load_library

#: The highest id a restored row may carry: PostgreSQL's ``integer``, the id column on a server database (SQLite's
#: reach to 2**63 - 1, but a backup must restore into either). kneelog gives a new entry the id after the highest
#: stored, so a row at this id would make the next save fail; no real log comes near two thousand million entries.
MAX_ID = 2**31 - 1
#: Control characters (all but tab, line feed and carriage return): an import refuses a file holding them
#: (:mod:`kneelog.importers.reading`), and no form can type them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STAMPS = ("created_at", "updated_at")
_LONGEST_STAMP = 40
_SHA256 = re.compile(r"[0-9a-f]{64}")

Rows = Mapping[str, list[dict[str, Any]]]


@functools.cache
def _stretch_ids() -> frozenset[str]:
    return frozenset(stretch.id for stretch in load_library().stretches)


def _cell_problem(table: sa.Table, row: dict[str, Any]) -> str | None:
    """What no column of a fresh database holds: an id out of range, a control character, a stamp that is no time."""
    for column in table.columns:
        value = row.get(column.name)
        if column.name in ("id", "session_id") and not (isinstance(value, int) and 1 <= value <= MAX_ID):
            return f"{column.name} {value} is not an id kneelog gives (a whole number from 1 to {MAX_ID:,})"
        if isinstance(value, str) and (control := CONTROL.search(value)):
            return (
                f"{column.name} holds the control character U+{ord(control.group()):04X} at character "
                f"{control.start() + 1}, which kneelog never stores"
            )
        if column.name in _STAMPS and not _is_stamp(value):
            return f"{column.name} {str(value)[:_LONGEST_STAMP]!r} is not a date and time such as 2026-05-17T07:30:00"
    return None


def _is_stamp(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > _LONGEST_STAMP:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _json(value: str) -> Any:
    """``value`` read as JSON; ValueError for anything else (nesting too deep for Python included)."""
    try:
        return json.loads(value)
    except RecursionError as e:
        raise ValueError("it is nested too deeply") from e


def _entry_problem(kind: str, items: Mapping[int, list[dict[str, Any]]]) -> Callable[[dict[str, Any]], str | None]:
    def problem(row: dict[str, Any]) -> str | None:
        data = {k: v for k, v in row.items() if k not in _STAMPS}
        if kind == "stretch":
            data["items"] = [{"stretch_id": i["stretch_id"], "side": i["side"]} for i in items.get(row["id"], [])]
        try:
            parse_entry(ENTRY_TYPES[kind], data)
        except EntryInvalid as e:
            return str(e)
        return None

    return problem


def _item_problem(sessions: set[int]) -> Callable[[dict[str, Any]], str | None]:
    def problem(row: dict[str, Any]) -> str | None:
        if row["session_id"] not in sessions:
            return f"session_id {row['session_id']} is not in stretch_sessions.csv"
        if row["stretch_id"] not in _stretch_ids():
            return f"{str(row['stretch_id'])[:60]!r} is not a stretch in kneelog's stretch library"
        try:
            StretchDone.model_validate({"stretch_id": row["stretch_id"], "side": row["side"]})
        except ValidationError:
            return f"side {str(row['side'])[:20]!r} is not left, right or both"
        return None

    return problem


def _setting_problem(row: dict[str, Any]) -> str | None:
    key = row["key"]
    if key not in Settings.model_fields:
        return f"{str(key)[:60]!r} is not a setting kneelog knows"
    try:
        Settings.model_validate({key: _json(row["value"])})
    except ValueError as e:  # not JSON, too deep, or a pydantic ValidationError (a ValueError too)
        reason = e.errors()[0]["msg"] if isinstance(e, ValidationError) else "the value is not valid JSON"
        return f"setting {key}: {reason}"
    return None


def _mapping_problem(row: dict[str, Any]) -> str | None:
    from kneelog.importers.mapping import ColumnMapping, header_key  # the importer's own model, read when needed

    if not _SHA256.fullmatch(str(row["header_key"])):
        return "header_key is not a key kneelog makes (64 hexadecimal digits)"
    try:
        header = _json(row["header"])
    except ValueError:
        header = None
    if not isinstance(header, list) or not all(isinstance(name, str) for name in header):
        return "header is not a JSON list of column names"
    if header_key(header) != row["header_key"]:
        return "header_key does not belong to the header beside it"
    try:
        ColumnMapping.model_validate_json(row["mapping"])
    except (ValueError, RecursionError) as e:
        reason = e.errors()[0]["msg"] if isinstance(e, ValidationError) else "it is not valid JSON"
        return f"the column mapping cannot be used: {reason}"
    return None


def _unique(*columns: str, when: str | None = None) -> Callable[[], Callable[[dict[str, Any]], str | None]]:
    """A fresh rule (per check) that refuses a second row with the same values of ``columns``."""

    def rule() -> Callable[[dict[str, Any]], str | None]:
        seen: set[tuple] = set()

        def problem(row: dict[str, Any]) -> str | None:
            if when is not None and row[when] is None:
                return None
            key = tuple(row[c] for c in columns)
            if key in seen:
                return f"a second row with the same {', '.join(columns)} ({', '.join(map(str, key))[:80]})"
            seen.add(key)
            return None

        return problem

    return rule


#: What the database's own keys and unique indexes refuse (tables.py), checked before anything is written.
_UNIQUE = {
    t.runs.name: [_unique("id"), _unique("source", "source_id", when="source_id")],
    t.gym_sessions.name: [_unique("id"), _unique("source", "source_id", when="source_id")],
    t.stretch_sessions.name: [_unique("id")],
    t.stretch_items.name: [_unique("session_id", "stretch_id", "side")],
    t.checkins.name: [_unique("id"), _unique("date", "knee")],
    t.races.name: [_unique("id")],
    t.weekly_pain.name: [_unique("id"), _unique("date")],
    t.questionnaire_scores.name: [_unique("id"), _unique("date", "scale")],
    t.function_tests.name: [_unique("id"), _unique("date", "test", "side")],
    t.settings.name: [_unique("key")],
    t.column_mappings.name: [_unique("header_key")],
    t.exercises.name: [_unique("id")],
    t.gym_exercise_logs.name: [_unique("session_id", "position")],
}


def _ids(rows: Rows, table: sa.Table) -> set[int]:
    return {row["id"] for row in rows.get(table.name, [])}


def problems(rows: Rows) -> Iterator[tuple[str, int, str]]:
    """Every row that breaks a rule, as (table name, its position in ``rows[table]``, why), table by table.

    Stretch items come first (a stretch session is checked with its items), then every table in backup order.

    Args:
        rows: table name -> rows (every column), as a backup or a salvage reads them.
    """
    sessions = {row["id"] for row in rows.get(t.stretch_sessions.name, [])}
    items: dict[int, list[dict[str, Any]]] = {}
    for row in rows.get(t.stretch_items.name, []):
        items.setdefault(row["session_id"], []).append(row)
    kinds = {table.name: kind for kind, table in t.ENTRY_TABLES.items()}
    checks: dict[str, Callable[[dict[str, Any]], str | None]] = {
        t.stretch_items.name: _item_problem(sessions),
        t.settings.name: _setting_problem,
        t.column_mappings.name: _mapping_problem,
        t.exercises.name: programme.exercise_problem,
        t.gym_exercise_logs.name: programme.log_problem(_ids(rows, t.gym_sessions), _ids(rows, t.exercises)),
        **{name: _entry_problem(kind, items) for name, kind in kinds.items()},
    }
    order = [t.stretch_items, *(table for table in BACKUP_TABLES if table is not t.stretch_items)]
    for table in order:
        rules = [functools.partial(_cell_problem, table), checks[table.name], *(make() for make in _UNIQUE[table.name])]
        for position, row in enumerate(rows.get(table.name, [])):
            for rule in rules:
                if (problem := rule(row)) is not None:
                    yield table.name, position, problem
                    break


def valid_only(rows: Rows) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The rows that pass every rule, and how many of each table were left out.

    Leaving a row out can break another (a stretch session without its items, an item without its session), so the
    check runs again until every row left passes.
    """
    kept = {name: list(table_rows) for name, table_rows in rows.items()}
    left_out = dict.fromkeys(kept, 0)
    while bad := {(name, position) for name, position, _ in problems(kept)}:
        for name in {name for name, _ in bad}:
            before = len(kept[name])
            kept[name] = [row for position, row in enumerate(kept[name]) if (name, position) not in bad]
            left_out[name] += before - len(kept[name])
    return kept, left_out
