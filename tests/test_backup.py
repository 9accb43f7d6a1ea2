"""Backup and restore: export -> wipe -> restore gives identical data; bad zips are refused with nothing changed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneelog import clock, limits
from kneelog.cli import main
from kneelog.demo import generate
from kneelog.errors import BackupInvalid, DatabaseDamaged, RestoreRefused, WriteFailed
from kneelog.importers.mapping import ColumnMapping, header_key
from kneelog.models import GymSession, KneeCheckin, Race, Run, Settings, StretchDone, StretchSession
from kneelog.store import Store, backup, rules, schema, tables, unpack
from tests.storage_faults import cap_pages, damage, immutable

DAY = dt.date(2026, 10, 5)
MAPPED_HEADER = ["=Date", "Dist", "Time"]
MAPPING = ColumnMapping(date="=Date", distance="Dist", duration="Time")
TABLES = [table.name for table in backup.TABLES]
FORMULAS = ["=1+2", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@A1", "'=already quoted", "''@twice"]


def own_entries() -> list:
    """A runner's own entries with formula-looking, quoted and multi-line text in every free-text field."""
    return [
        Run(date=DAY, start_time=dt.time(7, 5), distance_m=10012.5, duration_s=3001.25, rpe=6, pain_during=2,
            notes="=HYPERLINK(\"http://evil\",\"x\")", activity_type="-Trail", source="strava", source_id="123"),
        Run(date=DAY, distance_m=0.0, duration_s=1800, notes='line one\r\nline "two", three', source_id=""),
        GymSession(date=DAY, duration_s=2700, rpe=7, notes="+3 sets @ 40 kg"),
        StretchSession(date=DAY, items=(StretchDone(stretch_id="half_kneel_quad", side="left"),), notes="@home"),
        KneeCheckin(date=DAY, knee="left", stairs=3, squat=None, sitting=0, note="'-ish"),
        Race(date=DAY + dt.timedelta(days=30), name="=Berlin Half", distance_m=21097.5),
    ]  # fmt: skip


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every data table, read with plain SQL (not through kneelog's reads), as typed values so that an
    SQLite and a PostgreSQL database holding the same rows compare equal."""
    with store.engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(sa.select(table).order_by(*list(table.c)[:2]))]
            for table in backup.TABLES
        }


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_many(generate(days=60, end=DAY, seed=7))
    store.add_many(own_entries())
    store.save_settings(Settings(unit="mi", timezone="Europe/Berlin", hold_seconds=45))
    with store.transaction() as tx:  # a remembered column mapping (written as the importer stores it)
        tx.save_column_mapping(header_key(MAPPED_HEADER), MAPPED_HEADER, MAPPING.model_dump_json())
    return store


@pytest.fixture
def other(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Store:
    """A second, empty database of the same kind as ``db_url``."""
    if db_url.startswith("postgresql"):
        server = request.getfixturevalue("postgres_server")
        url = server.new_database()
        request.addfinalizer(lambda: server.drop_database(url))
    else:
        url = f"sqlite:///{tmp_path / 'other.db'}"
    s = Store(url)
    yield s
    s.dispose()


def rezip(data: bytes, edit: Callable[[dict[str, bytes]], None], reseal: bool = True) -> bytes:
    """A copy of a backup zip with its members changed by ``edit``; ``reseal`` recomputes the manifest's checksums."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    edit(members)
    if reseal and backup.MANIFEST in members:
        manifest = json.loads(members[backup.MANIFEST])
        for name, entry in manifest["tables"].items():
            if f"{name}.csv" in members:
                entry["sha256"] = hashlib.sha256(members[f"{name}.csv"]).hexdigest()
        members[backup.MANIFEST] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return out.getvalue()


def csv_rows(data: bytes, member: str) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return list(csv.reader(io.StringIO(zf.read(member).decode("utf-8-sig"), newline="")))


def edit_cell(member: str, row: int, column: str, value: str) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        rows = list(csv.reader(io.StringIO(members[member].decode("utf-8-sig"), newline="")))
        rows[row - 1][rows[0].index(column)] = value
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        members[member] = out.getvalue().encode("utf-8-sig")

    return edit


def test_export_then_wipe_then_restore_gives_identical_data(filled: Store, db_url: str):
    before = dump(filled)
    data = backup.export_backup(filled)
    filled.dispose()
    Path(filled.engine.url.database).unlink()
    wiped = Store(db_url)
    assert not any(wiped.counts().values())

    counts = backup.restore(wiped, data, name="k.zip").counts

    assert dump(wiped) == before
    assert counts == {"run": len(before["runs"]), "gym": len(before["gym_sessions"]),
                      "stretch": len(before["stretch_sessions"]), "checkin": len(before["checkins"]),
                      "race": len(before["races"]), "weekly_pain": len(before["weekly_pain"]),
                      "questionnaire": len(before["questionnaire_scores"]),
                      "function_test": len(before["function_tests"])}  # fmt: skip
    assert counts["weekly_pain"] and counts["questionnaire"] and counts["function_test"]  # the demo's outcome scores
    assert wiped.settings() == Settings(unit="mi", timezone="Europe/Berlin", hold_seconds=45)


@pytest.mark.backends("sqlite", "postgresql")
def test_restore_with_replace_swaps_everything_in_one_go(filled: Store, other: Store):
    other.add(Run(date=DAY, distance_m=5000, duration_s=1500, notes="only in the other database"))
    other.save_settings(Settings(unit="km", timezone="UTC"))
    version = other.data_version()

    backup.restore(other, backup.export_backup(filled), replace=True)

    assert dump(other) == dump(filled)
    assert other.data_version() == version + 1


@pytest.mark.backends("sqlite", "postgresql")
def test_restore_into_a_database_with_entries_is_refused_without_replace(filled: Store, other: Store):
    other.add(KneeCheckin(date=DAY, knee="both", stairs=1))
    before = dump(other)

    with pytest.raises(RestoreRefused, match=r"already holds 1 knee check-in, so k\.zip was not restored.*--replace"):
        backup.restore(other, backup.export_backup(filled), name="k.zip")

    assert dump(other) == before


def test_a_database_with_only_settings_counts_as_empty(filled: Store, other: Store):
    other.save_settings(Settings(unit="km", timezone="Asia/Tokyo"))
    restored = backup.restore(other, backup.export_backup(filled))
    assert other.settings().timezone == "Europe/Berlin"
    saved = backup.read_backup(restored.safety_copy).rows["settings"]  # the settings it replaced, by key
    assert [row["key"] for row in saved] == sorted(Settings.model_fields)
    assert {row["key"]: row["value"] for row in saved}.items() >= {
        "hold_seconds": "30", "reps_per_side": "2", "routines_per_week": "5",
        "timezone": '"Asia/Tokyo"', "unit": '"km"',
    }.items()  # fmt: skip


def column(data: bytes, member: str, name: str) -> list[str]:
    """The cells of one column of a backup CSV, as written."""
    header, *body = csv_rows(data, member)
    return [row[header.index(name)] for row in body]


def test_formula_cells_are_neutralised_in_the_csv_and_numbers_are_not(filled: Store):
    data = backup.export_backup(filled)

    assert '\'=HYPERLINK("http://evil","x")' in column(data, "runs.csv", "notes")
    assert "'-Trail" in column(data, "runs.csv", "activity_type")
    assert "'+3 sets @ 40 kg" in column(data, "gym_sessions.csv", "notes")
    assert "'@home" in column(data, "stretch_sessions.csv", "notes")
    assert "''-ish" in column(data, "checkins.csv", "note")  # text starting '- gets one more apostrophe
    assert "'=Berlin Half" in column(data, "races.csv", "name")
    for name in TABLES:  # no cell anywhere starts with a formula trigger
        for row in csv_rows(data, f"{name}.csv"):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), (name, row)
    distances = dict(zip(column(data, "runs.csv", "source_id"), column(data, "runs.csv", "distance_m"), strict=True))
    assert distances["123"] == "10012.5"  # numbers are written as plain numbers
    assert all(float(cell) >= 0 for cell in column(data, "runs.csv", "duration_s"))


@pytest.mark.backends("sqlite", "postgresql")
def test_empty_text_and_no_value_stay_distinct(filled: Store, other: Store):
    data = backup.export_backup(filled)
    header, *body = csv_rows(data, "runs.csv")
    ids = sorted(r[header.index("source_id")] for r in body)
    assert "'" in ids and "" in ids  # "" is written as a lone apostrophe, None as an empty cell
    backup.restore(other, data)
    with other.engine.connect() as con:
        assert con.exec_driver_sql("SELECT count(*) FROM runs WHERE source_id = ''").scalar_one() == 1
        assert con.exec_driver_sql("SELECT count(*) FROM runs WHERE source_id IS NULL").scalar_one() > 1


def test_the_manifest_says_what_is_inside(filled: Store):
    made = dt.datetime(2026, 11, 1, 8, 30, tzinfo=dt.UTC)
    with zipfile.ZipFile(io.BytesIO(backup.export_backup(filled, now=made))) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert sorted(zf.namelist()) == sorted(["manifest.json", *(f"{n}.csv" for n in TABLES)])
    assert manifest["format"] == "kneelog-backup"
    assert manifest["schema_version"] == filled.schema_version()
    assert manifest["kneelog_version"] == backup.kneelog_version() != "unknown"
    assert manifest["created_at"] == "2026-11-01T08:30:00Z"
    assert manifest["counts"] == filled.counts()
    assert manifest["tables"]["runs"]["rows"] == filled.counts()["run"]
    assert manifest["formula_cells"]["triggers"] == ["=", "+", "-", "@", "\t", "\r"]


def _bomb(members: dict[str, bytes]) -> None:
    members["runs.csv"] = b"0" * (3 * 2**20)  # compresses to a few KB; refused from the zip directory unread


def _drop(name: str) -> Callable[[dict[str, bytes]], None]:
    return lambda members: members.pop(name)


def _manifest(**changes) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest.update(changes)
        members["manifest.json"] = json.dumps(manifest).encode()

    return edit


def _add(name: str, payload: bytes) -> Callable[[dict[str, bytes]], None]:
    return lambda members: members.__setitem__(name, payload)


def _flip_byte(data: bytes) -> bytes:
    """Damage the compressed bytes of runs.csv inside the zip (as a bad disk or a broken download would)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("runs.csv")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    return data[:start] + bytes([data[start] ^ 0xFF]) + data[start + 1 :]


def _twice(data: bytes) -> bytes:
    """The backup with a second, different runs.csv after the first (zipfile would read only the last)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info))
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("runs.csv", src.read("runs.csv").replace(b"Long run", b"Lung run"))
    return out.getvalue()


def _nested_manifest(members: dict[str, bytes]) -> None:
    members["manifest.json"] = b'{"format": "kneelog-backup", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def _as_schema_0001(*drop: str) -> Callable[[dict[str, bytes]], None]:
    """A manifest that names the first schema (which had no column_mappings table) and leaves out ``drop``."""

    def edit(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        newer = sorted(set(manifest["tables"]) - schema.tables_at("0001"))  # column_mappings and every table since
        for name in (*newer, *drop):
            del members[f"{name}.csv"], manifest["tables"][name]
        members["manifest.json"] = json.dumps(manifest | {"schema_version": "0001"}).encode()

    return edit


def _schema_0001_with_mappings_file(members: dict[str, bytes]) -> None:
    mappings = members["column_mappings.csv"]
    _as_schema_0001()(members)
    members["column_mappings.csv"] = mappings


def _edit_setting(key: str, value: str) -> Callable[[dict[str, bytes]], None]:
    """Change one stored setting's value in settings.csv, found by its key (rows follow the keys' order)."""

    def edit(members: dict[str, bytes]) -> None:
        keys = [row[0] for row in csv.reader(io.StringIO(members["settings.csv"].decode("utf-8-sig"), newline=""))]
        edit_cell("settings.csv", keys.index(key) + 1, "value", value)(members)

    return edit


def _mapping(mapping: str) -> Callable[[dict[str, bytes]], None]:
    return edit_cell("column_mappings.csv", 2, "mapping", mapping)


def _first(member: str, column: str) -> Callable[[bytes], str]:
    """The first data cell of a column as written (for an edit that copies it to another row)."""
    return lambda data: csv_rows(data, member)[1][csv_rows(data, member)[0].index(column)]


def _copy_cell(member: str, column: str, to_row: int) -> Callable[[bytes], bytes]:
    return lambda d: rezip(d, edit_cell(member, to_row, column, _first(member, column)(d)))


BAD_ZIPS: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("not a zip", lambda d: b"id,date\n1,2026-01-01\n", r"k\.zip is not a zip file"),
    ("empty file", lambda d: b"", r"k\.zip is not a zip file"),
    ("cut in half", lambda d: d[: len(d) // 2], r"k\.zip is not a zip file"),
    ("damaged bytes", _flip_byte, r"k\.zip: runs\.csv is damaged"),
    ("foreign zip", lambda d: rezip(d, lambda m: (m.clear(), m.update({"data.csv": b"a,b\n1,2\n"}))),
     r"not a kneelog backup: it holds 'data\.csv'"),
    ("no manifest", lambda d: rezip(d, _drop("manifest.json")), r"not a kneelog backup: it has no manifest\.json"),
    ("extra file", lambda d: rezip(d, _add("../evil.sh", b"rm -rf /")), r"it holds '\.\./evil\.sh'"),
    ("two files with one name", _twice, r"k\.zip holds two files called runs\.csv, which kneelog never writes"),
    ("missing table", lambda d: rezip(d, _drop("races.csv")), r"incomplete: races\.csv is missing"),
    ("older schema leaving out a table it had", lambda d: rezip(d, _as_schema_0001("runs")),
     r"k\.zip is incomplete: runs\.csv is missing"),
    ("older schema holding a newer table's file", lambda d: rezip(d, _schema_0001_with_mappings_file),
     r"k\.zip holds column_mappings\.csv, which schema 0001 does not have"),
    ("older schema listing a newer table", lambda d: rezip(d, _manifest(schema_version="0001")),
     r"lists a table 'column_mappings' that schema 0001 does not have"),
    ("manifest not json", lambda d: rezip(d, _add("manifest.json", b"{oops"), reseal=False),
     r"manifest\.json is not valid JSON"),
    ("manifest nested 100,000 deep", lambda d: rezip(d, _nested_manifest, reseal=False),
     r"manifest\.json is not valid JSON \(it is nested too deeply\)"),
    ("other format", lambda d: rezip(d, _manifest(format="something-else")), r"does not say format 'kneelog-backup'"),
    ("newer schema", lambda d: rezip(d, _manifest(schema_version="9999_future", kneelog_version="9.0")),
     r"made by a newer kneelog \(9\.0, database schema '9999_future'\); update kneelog"),
    ("newer format", lambda d: rezip(d, _manifest(format_version=2)), r"newer kneelog .*backup format 2"),
    ("manifest field wrong", lambda d: rezip(d, _manifest(created_at="yesterday")), r"field created_at"),
    ("edited csv, old checksum", lambda d: rezip(d, edit_cell("runs.csv", 2, "distance_m", "99"), reseal=False),
     r"runs\.csv does not match manifest\.json \(checksum differs\)"),
    ("number is text", lambda d: rezip(d, edit_cell("runs.csv", 2, "distance_m", "ten km")),
     r"runs\.csv row 2, column distance_m: 'ten km' is not a number"),
    ("number is nan", lambda d: rezip(d, edit_cell("runs.csv", 2, "duration_s", "nan")),
     r"runs\.csv row 2, column duration_s: 'nan' is not a number"),
    ("effort 1_0 (Python's int() reads 10)", lambda d: rezip(d, edit_cell("runs.csv", 2, "rpe", "1_0")),
     r"runs\.csv row 2, column rpe: '1_0' is not a whole number"),
    ("effort in Arabic-Indic digits", lambda d: rezip(d, edit_cell("gym_sessions.csv", 2, "rpe", "\u0667")),
     r"gym_sessions\.csv row 2, column rpe: '\u0667' is not a whole number"),
    ("bad date", lambda d: rezip(d, edit_cell("checkins.csv", 3, "date", "31/02/2026")),
     r"checkins\.csv row 3, column date: '31/02/2026' is not a date"),
    ("basic ISO date (fromisoformat reads it)", lambda d: rezip(d, edit_cell("checkins.csv", 3, "date", "20261005")),
     r"checkins\.csv row 3, column date: '20261005' is not a date"),
    ("time with a zone", lambda d: rezip(d, edit_cell("runs.csv", 2, "start_time", "07:30:00+05:00")),
     r"runs\.csv row 2, column start_time: '07:30:00\+05:00' is not a time"),
    ("required cell empty", lambda d: rezip(d, edit_cell("runs.csv", 2, "duration_s", "")),
     r"runs\.csv row 2, column duration_s is empty"),
    ("out of range", lambda d: rezip(d, edit_cell("checkins.csv", 2, "stairs", "11")),
     r"checkins\.csv row 2: The knee check-in was not saved\. Going up or down stairs: must be a whole number "
     r"from 0 to 10"),
    ("run id 2**63 - 1 (later saves fail)", lambda d: rezip(d, edit_cell("runs.csv", 2, "id", str(2**63 - 1))),
     r"runs\.csv row 2: id 9223372036854775807 is not an id kneelog gives \(a whole number from 1 to "
     r"2,147,483,647\)"),
    ("run id 2**31 (past PostgreSQL's integer)", lambda d: rezip(d, edit_cell("runs.csv", 2, "id", str(2**31))),
     r"runs\.csv row 2: id 2147483648 is not an id kneelog gives"),
    ("id 2**70 (no SQLite integer)", lambda d: rezip(d, edit_cell("races.csv", 2, "id", str(2**70))),
     r"races\.csv row 2, column id: '1180591620717411303424' is not a whole number"),
    ("id 0", lambda d: rezip(d, edit_cell("checkins.csv", 2, "id", "0")), r"checkins\.csv row 2: id 0 is not an id"),
    ("NUL in a note", lambda d: rezip(d, edit_cell("runs.csv", 2, "notes", "easy\x00run")),
     r"runs\.csv row 2: notes holds the control character U\+0000 at character 5, which kneelog never stores"),
    ("ESC in a race name", lambda d: rezip(d, edit_cell("races.csv", 2, "name", "\x1b[31mRed")),
     r"races\.csv row 2: name holds the control character U\+001B at character 1"),
    ("unknown stretch", lambda d: rezip(d, edit_cell("stretch_items.csv", 2, "stretch_id", "moon_walk")),
     r"stretch_items\.csv row 2: 'moon_walk' is not a stretch in kneelog's stretch library"),
    ("bad settings", lambda d: rezip(d, _edit_setting("hold_seconds", "{nope")),
     r"settings\.csv row \d+: setting hold_seconds: the value is not valid JSON"),
    ("unknown setting", lambda d: rezip(d, edit_cell("settings.csv", 2, "key", "theme")),
     r"settings\.csv row 2: 'theme' is not a setting kneelog knows"),
    ("setting out of range", lambda d: rezip(d, _edit_setting("reps_per_side", "0")),
     r"settings\.csv row \d+: setting reps_per_side: Input should be greater than or equal to 1"),
    ("mapping that breaks its own rules", lambda d: rezip(d, _mapping('{"date": "=Date", "duration": "Time"}')),
     r"column_mappings\.csv row 2: the column mapping cannot be used: Value error, choose the distance column"),
    ("mapping that is not JSON", lambda d: rezip(d, _mapping("[[[")),
     r"column_mappings\.csv row 2: the column mapping cannot be used"),
    ("mapping under another header's key",
     lambda d: rezip(d, edit_cell("column_mappings.csv", 2, "header", '["Date", "Dist", "Time"]')),
     r"column_mappings\.csv row 2: header_key does not belong to the header beside it"),
    ("duplicate ids", _copy_cell("runs.csv", "id", 3), r"runs\.csv row 3: a second row with the same id"),
    ("duplicate import ids", lambda d: rezip(rezip(d, edit_cell("runs.csv", 2, "source_id", "123")),
     edit_cell("runs.csv", 2, "source", "strava")), r"runs\.csv row \d+: a second row with the same source, source_id"),
    ("two check-ins for one knee and day", lambda d: rezip(d, edit_cell("checkins.csv", 3, "date",
     csv_rows(d, "checkins.csv")[1][1])), r"checkins\.csv row 3: a second row with the same date, knee"),
    ("orphan stretch", lambda d: rezip(d, edit_cell("stretch_items.csv", 2, "session_id", "99999")),
     r"stretch_items\.csv row 2: session_id 99999 is not in stretch_sessions\.csv"),
    ("bad utf-8", lambda d: rezip(d, lambda m: m.__setitem__("races.csv", b"\xff\xfe\x00bad")),
     r"races\.csv cannot be read as UTF-8 CSV"),
    ("zip bomb", lambda d: rezip(d, _bomb),
     r"its files would unpack to 3,1\d\d,\d{3} bytes, more than 100 times the zip's"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "message"), [b[1:] for b in BAD_ZIPS], ids=[b[0] for b in BAD_ZIPS])
def test_a_corrupt_foreign_or_unsafe_zip_is_refused_with_nothing_changed(filled, other, monkeypatch, make, message):
    monkeypatch.setattr(unpack, "SMALL_BACKUP_BYTES", 2**20)
    other.add_many(own_entries())
    before, version = dump(other), other.data_version()
    bad = make(backup.export_backup(filled))

    with pytest.raises(BackupInvalid, match=message):
        backup.restore(other, bad, name="k.zip", replace=True)

    assert dump(other) == before
    assert other.data_version() == version
    assert sorted(p.name for p in Path(other.engine.url.database).parent.glob("*.zip")) == []  # no safety copy left


def test_the_same_zip_unedited_restores(filled, other):
    """The tampering helper itself leaves a good backup good (so the refusals above are about the edits)."""
    backup.restore(other, rezip(backup.export_backup(filled), lambda m: None))
    assert dump(other) == dump(filled)


def test_a_backup_without_neutralisation_is_read_literally(filled, other):
    def drop_formula_note(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        del manifest["formula_cells"]
        members["manifest.json"] = json.dumps(manifest).encode()

    backup.restore(other, rezip(backup.export_backup(filled), drop_formula_note))
    notes = [n for (n,) in sqlite3.connect(other.engine.url.database).execute("SELECT name FROM races")]
    assert "'=Berlin Half" in notes


def test_a_missing_file_is_named(other, tmp_path):
    with pytest.raises(BackupInvalid, match=r"Cannot read nope\.zip: No such file"):
        backup.restore(other, tmp_path / "nope.zip")


#: Any text but control characters (tab, line feed and carriage return aside), which restore refuses as import does.
free_text = st.text(
    st.characters(
        exclude_categories=["Cs"], exclude_characters="".join(map(chr, [*range(9), 11, 12, *range(14, 32), 127]))
    ),
    max_size=300,
).map(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=free_text, note=free_text, name=free_text.filter(bool), activity=free_text.filter(bool))
def test_any_text_survives_export_and_restore(filled, other, notes, note, name, activity):
    with filled.transaction() as tx:
        tx.delete_source("fuzz")
        tx.add_many(
            [
                Run(date=DAY, distance_m=1000, duration_s=400, notes=notes, activity_type=activity[:100],
                    source="fuzz"),
                GymSession(date=DAY, duration_s=60, notes=notes, source="fuzz"),
                StretchSession(date=DAY, items=(StretchDone(stretch_id="ankle_mobilization", side="right"),),
                               notes=note, source="fuzz"),
                Race(date=DAY, name=name[:200], distance_m=5000, source="fuzz"),
            ]
        )  # fmt: skip
    backup.restore(other, backup.export_backup(filled), replace=True)
    assert dump(other) == dump(filled)


@pytest.mark.backends("sqlite", "postgresql")
def test_cli_export_then_restore(filled, db_url, tmp_path, capsys):
    target = tmp_path / "out" / "backup.zip"
    target.parent.mkdir()
    empty_url = f"sqlite:///{tmp_path / 'restored.db'}"

    assert main(["export", "--db", db_url, "-o", str(target)]) == 0
    assert main(["restore", str(target), "--db", empty_url]) == 0
    assert main(["restore", str(target), "--db", empty_url]) == 1

    out, err = capsys.readouterr()
    assert f"to {target}" in out and "Restored " in out and " runs, " in out
    assert "kneelog: This database already holds" in err and "Nothing was changed." in err
    assert main(["restore", str(target), "--db", empty_url, "--replace"]) == 0
    assert dump(Store(empty_url)) == dump(filled)
    assert [p.name for p in target.parent.iterdir()] == ["backup.zip"]  # no temporary file left behind
    (copy,) = tmp_path.glob("kneelog-before-restore-*.zip")  # what --replace wiped, saved beside restored.db
    assert f"Saved what was in the database before to {copy}" in capsys.readouterr().out


def test_cli_restore_of_a_foreign_file_fails_with_a_message(tmp_path, db_url, capsys):
    junk = tmp_path / "photo.zip"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert main(["restore", str(junk), "--db", db_url]) == 1
    assert "kneelog: photo.zip is not a zip file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("counts", "text"),
    [
        ({"run": 1, "gym": 0, "stretch": 0, "checkin": 0, "race": 0}, "1 run"),
        ({"run": 1200, "checkin": 2, "race": 1}, "1,200 runs, 2 knee check-ins, 1 race"),
        ({"run": 0, "gym": 0}, "no entries"),
    ],
)
def test_counts_are_described_in_words_without_the_empty_kinds(counts, text):
    assert backup.describe_counts(counts) == text


@pytest.mark.backends("sqlite", "postgresql")
def test_a_backup_from_an_older_schema_restores_with_newer_tables_empty(filled, other):
    newer = set(backup.TABLES) - {t for t in backup.TABLES if t.name in schema.tables_at("0001")}
    assert {t.name for t in newer} >= {"column_mappings", "weekly_pain"}  # a real first schema: later tables left out

    def as_schema_0001(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        for table in newer:
            del members[f"{table.name}.csv"], manifest["tables"][table.name]
        kinds = [kind for kind, table in tables.ENTRY_TABLES.items() if table in newer]
        counts = {kind: n for kind, n in manifest["counts"].items() if kind not in kinds}
        members["manifest.json"] = json.dumps(manifest | {"schema_version": "0001", "counts": counts}).encode()

    backup.restore(other, rezip(backup.export_backup(filled), as_schema_0001))

    expected = dump(filled) | {table.name: [] for table in newer}
    assert dump(other) == expected


def test_a_table_missing_from_a_current_backup_is_refused(filled, other):
    def drop_mappings(members: dict[str, bytes]) -> None:
        del members["column_mappings.csv"]
        manifest = json.loads(members["manifest.json"])
        del manifest["tables"]["column_mappings"]
        members["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(BackupInvalid, match=r"incomplete: column_mappings\.csv is missing"):
        backup.restore(other, rezip(backup.export_backup(filled), drop_mappings))


def test_cli_export_without_a_name_writes_a_dated_file_here(filled, db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--db", db_url]) == 0
    written = tmp_path / f"kneelog-backup-{clock.local_today('Europe/Berlin').isoformat()}.zip"  # the runner's day
    assert backup.read_backup(written).counts == filled.counts()


# -- text limits, size limits ---------------------------------------------------------------------------------------


def longest_note() -> int:
    """The most characters a note may hold: the model's own limit, which a form and a restore both check."""
    return next(m.max_length for m in Run.model_fields["notes"].metadata if hasattr(m, "max_length"))


def test_the_longest_allowed_note_survives_export_and_restore(store: Store, other: Store):
    """Python's csv module reads at most 131,072 characters a field unless told otherwise; a note may hold more."""
    default = csv.field_size_limit(131_072)  # as in a fresh process (an import earlier in this one raises it)
    assert longest_note() > csv.field_size_limit() == 131_072
    note = "=" + "Knee fine, hills hurt. " * (longest_note() // 23) + "!" * (longest_note() % 23 - 1)
    assert len(note) == longest_note()  # and it starts with a formula trigger: 200,001 characters in the CSV
    store.add(Run(date=DAY, distance_m=5000, duration_s=1500, notes=note))

    backup.restore(other, backup.export_backup(store))

    assert other.get("run", 1).notes == note
    # raised for the read to the file's size, then put back to kneelog's own cell limit (never lower, since an import
    # reading at the same time relies on it), not left at the size of the file
    assert csv.field_size_limit() == limits.CSV_CELL_CHARS == 200_016
    csv.field_size_limit(default)


def test_a_note_longer_than_the_model_allows_is_refused_by_row_and_size(store: Store, other: Store):
    store.add(Run(date=DAY, distance_m=5000, duration_s=1500, notes="x"))
    data = rezip(backup.export_backup(store), edit_cell("runs.csv", 2, "notes", "y" * (longest_note() + 1)))
    with pytest.raises(
        BackupInvalid,
        match=rf"runs\.csv row 2: The run was not saved\. Notes: is too long \(at most {longest_note()} characters\)",
    ):
        backup.restore(other, data)


def test_the_size_ceiling_is_fifty_years_of_daily_entries_of_every_kind():
    """18,263 days x (2 runs x 2,300 + 2,280 + 1,180 + 20 items x 40 + 3 check-ins x 1,210 + 190 + 12 exercises x 160
    + outcome measures: 1,180 + 2 questionnaires x 1,190 + 4 functional tests x 1,210) bytes = 18,263 x 23,000 =
    420,049,000, plus 9 settings x 100, 1,000 column mappings x 4,000 and 1,000 exercises x 220 bytes."""
    assert unpack.LARGEST_LOG_DAYS == 18_263 == math.ceil(50 * 365.25)
    assert unpack.MAX_TOTAL_BYTES == 420_049_000 + 900 + 4_000_000 + 220_000
    assert unpack.MAX_ROWS["runs"] == 36_526 and unpack.MAX_ROWS["checkins"] == 54_789
    assert unpack.MAX_ROWS["stretch_items"] == 365_260 and unpack.MAX_ROWS["settings"] == 9


def _bomb_zip(path: Path, runs_bytes: int) -> None:
    """A real backup's files, but a runs.csv of ``runs_bytes`` short rows written in chunks (never held whole)."""
    header = "\ufeff" + ",".join(c.name for c in tables.runs.columns) + "\r\n"
    row = b"1,2026-01-01,,1.0,1.0,,,,Run,manual,,2026-01-01T00:00:00+00:00,2026-01-01T00:00:00+00:00\r\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", "{}")
        with zf.open("runs.csv", "w") as fh:
            fh.write(header.encode())
            chunk = row * (2**20 // len(row))
            for _ in range(runs_bytes // len(chunk)):
                fh.write(chunk)


@pytest.mark.reliability
def test_a_small_zip_holding_a_208_mb_runs_csv_is_refused_from_its_directory(other: Store, tmp_path: Path):
    """The zip bomb of issue 12 (a 714 KB zip of a 208 MB runs.csv ran 50 s and took 4.3 GB before refusal)."""
    bomb = tmp_path / "bomb.zip"
    _bomb_zip(bomb, 208 * 10**6)
    assert bomb.stat().st_size < 2 * 10**6

    with pytest.raises(
        BackupInvalid,
        match=r"bomb\.zip: its files would unpack to 20\d,\d{3},\d{3} bytes, more than 100 times the zip's",
    ):
        backup.restore(other, bomb)
    assert not any(other.counts().values())


def test_a_manifest_promising_more_rows_than_fifty_years_hold_is_refused(filled: Store, other: Store):
    def many_races(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["tables"]["races"]["rows"] = 18_264
        members["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(BackupInvalid, match=r"says races\.csv holds 18,264 rows, more than 50 years of daily entries "
                       r"would \(18,263\)"):  # fmt: skip
        backup.restore(other, rezip(backup.export_backup(filled), many_races))


# -- the safety copy, and an empty backup over a log -----------------------------------------------------------------


def test_replacing_saves_what_was_there_beside_the_database_first(filled: Store, other: Store, tmp_path: Path):
    other.add_many(own_entries())
    before = dump(other)
    made = dt.datetime(2026, 11, 24, 8, 30, 5)

    restored = backup.restore_backup(other, backup.read_backup(backup.export_backup(filled)), replace=True, now=made)

    assert restored.safety_copy == tmp_path / "kneelog-before-restore-2026-11-24-083005.zip"  # beside other.db
    assert dump(other) == dump(filled)
    backup.restore(other, restored.safety_copy, replace=True)  # and it brings back what was there
    assert dump(other) == before


def test_a_second_safety_copy_in_the_same_second_gets_its_own_name(filled: Store, other: Store, tmp_path: Path):
    made = dt.datetime(2026, 11, 24, 8, 30, 5)
    data = backup.read_backup(backup.export_backup(filled))
    first = backup.restore_backup(other, data, now=made)
    second = backup.restore_backup(other, data, replace=True, now=made)
    third = backup.restore_backup(other, data, replace=True, now=made)
    assert first.safety_copy is None  # other.db was empty: nothing to save
    assert [second.safety_copy.name, third.safety_copy.name] == [
        "kneelog-before-restore-2026-11-24-083005.zip", "kneelog-before-restore-2026-11-24-083005-2.zip"]  # fmt: skip


def test_an_empty_backup_over_a_log_needs_a_yes(store: Store, other: Store):
    empty = backup.export_backup(store)
    other.add_many(own_entries())
    before = dump(other)

    with pytest.raises(
        RestoreRefused,
        match=r"e\.zip holds no entries, so restoring it would leave kneelog empty: the 2 runs, 1 gym session, "
        r"1 stretch session, 1 knee check-in, 1 race here would go\. Nothing was changed",
    ):
        backup.restore(other, empty, name="e.zip", replace=True)
    assert dump(other) == before

    restored = backup.restore(other, empty, name="e.zip", replace=True, empty_ok=True)
    assert not any(other.counts().values())
    assert backup.read_backup(restored.safety_copy).counts == {
        "run": 2,
        "gym": 1,
        "stretch": 1,
        "checkin": 1,
        "race": 1,
        "weekly_pain": 0,
        "questionnaire": 0,
        "function_test": 0,
    }


def test_cli_restore_of_an_empty_backup_over_a_log_needs_yes(store: Store, db_url: str, tmp_path: Path, capsys):
    empty = tmp_path / "empty.zip"
    empty.write_bytes(backup.export_backup(store))
    store.add_many(own_entries())

    assert main(["restore", str(empty), "--db", db_url, "--replace"]) == 1
    assert "kneelog: empty.zip holds no entries" in capsys.readouterr().err
    assert store.counts()["run"] == 2
    assert main(["restore", str(empty), "--db", db_url, "--replace", "--yes"]) == 0
    assert store.counts()["run"] == 0


# -- export: where it writes, and from what ---------------------------------------------------------------------------


def test_cli_export_of_a_database_that_does_not_exist_refuses_and_creates_nothing(tmp_path: Path, capsys):
    missing = tmp_path / "typo" / "kneelog.db"
    assert main(["export", "--db", f"sqlite:///{missing}", "-o", str(tmp_path / "b.zip")]) == 1
    assert capsys.readouterr().err == (
        f"kneelog: There is no database at {missing}: check the path (kneelog made no new one, and wrote nothing).\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (
            "/dev/full",
            r"Could not write the backup to /dev/full: No space left on device\. Nothing was written; free "
            r"some space or choose another place\.",
        ),
        (
            "{tmp}/no/such/folder/b.zip",
            r"Could not write the backup to .*/no/such/folder/b\.zip: No such file or "
            r"directory\. Nothing was written\.",
        ),
        ("{tmp}", r"Could not write the backup to .*: it is a folder; give a file name such as backup\.zip\."),
    ],
    ids=["disk full", "no such folder", "a folder"],
)
def test_cli_export_that_cannot_be_written_says_why_and_leaves_nothing(
    filled, db_url, tmp_path, capsys, output, message
):
    before = sorted(tmp_path.iterdir())
    assert main(["export", "--db", db_url, "-o", output.format(tmp=tmp_path)]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(f"kneelog: {message}\n", err), err
    assert sorted(tmp_path.iterdir()) == before  # no half-written file, no temporary file


def test_export_to_a_device_writes_straight_to_it(filled: Store):
    assert backup.write_backup(filled, "/dev/null") == filled.counts()


# -- a database that cannot be read whole, or written ------------------------------------------------------------------


@pytest.fixture
def year(db_url: str) -> Store:
    """A year of the demo athlete (hundreds of rows a table, so a table spans many pages)."""
    s = Store(db_url)
    s.add_many(generate(days=365, end=DAY, seed=5))
    yield s
    s.dispose()


def test_a_damaged_database_cannot_be_exported_whole(year: Store, tmp_path: Path):
    year.dispose()
    damage(tmp_path / "kneelog.db", "runs")
    with pytest.raises(DatabaseDamaged, match=r"kneelog\.db is damaged .* 'kneelog export --salvage'"):
        backup.export_backup(year)


def test_salvage_saves_every_readable_row_past_a_damaged_page(year: Store, db_url: str, other: Store, tmp_path: Path):
    before = dump(year)
    year.dispose()
    damage(tmp_path / "kneelog.db", "runs")

    salvaged = backup.salvage_backup(db_url)
    backup.restore(other, salvaged.data)

    after = dump(other)
    lost = len(before["runs"]) - len(after["runs"])
    assert 0 < lost < len(before["runs"]) // 2  # one page of runs, not every run after it
    assert set(after["runs"]) < set(before["runs"])  # the rest exactly as they were, ids included
    assert max(after["runs"])[0] == max(before["runs"])[0]  # the read went on past the damaged page
    assert {name: rows for name, rows in after.items() if name != "runs"} == {
        name: rows for name, rows in before.items() if name != "runs"
    }
    assert salvaged.describe() == (
        f"Saved {backup.describe_counts(other.counts())}; left out: runs.csv {lost} rows that could not be read."
    )
    other.check()  # a database that passes SQLite's own check


def test_salvage_leaves_out_stretches_whose_session_was_lost(year: Store, db_url: str, other: Store, tmp_path: Path):
    before = dump(year)
    year.dispose()
    damage(tmp_path / "kneelog.db", "stretch_sessions")

    salvaged = backup.salvage_backup(db_url)
    backup.restore(other, salvaged.data)  # it restores: no item points at a missing session

    after = dump(other)
    kept = {row[0] for row in after["stretch_sessions"]}
    assert len(kept) < len(before["stretch_sessions"])
    assert after["stretch_items"] == [row for row in before["stretch_items"] if row[0] in kept]
    orphans = len(before["stretch_items"]) - len(after["stretch_items"])
    assert salvaged.invalid["stretch_items"] == orphans > 0
    assert f"stretch_items.csv {orphans} rows that break a rule" in salvaged.describe()


def test_cli_export_salvage_writes_what_can_be_read(year: Store, db_url: str, tmp_path: Path, capsys):
    checkins = year.counts()["checkin"]
    year.dispose()
    damage(tmp_path / "kneelog.db", "runs")
    target = tmp_path / "saved.zip"

    assert main(["export", "--db", db_url]) == 1
    assert "kneelog: " in capsys.readouterr().err
    assert main(["export", "--db", db_url, "--salvage", "-o", str(target)]) == 0

    out = capsys.readouterr().out
    assert out.startswith("Saved ") and "runs.csv" in out and out.endswith(f"to {target}\n")
    assert backup.read_backup(target).counts["checkin"] == checkins  # the tables the damage left alone, whole


def test_a_restore_into_a_full_database_changes_nothing_and_keeps_no_copy(filled, other, tmp_path):
    other.add_many(own_entries())
    before = dump(other)
    cap_pages(other)

    with pytest.raises(WriteFailed, match=r"the disk is full .* Nothing was saved"):
        backup.restore(other, backup.export_backup(filled), replace=True)

    assert dump(other) == before
    assert list(tmp_path.glob("kneelog-before-restore-*")) == []  # nothing was restored, so no copy is needed


def test_a_restore_into_an_immutable_database_changes_nothing(filled, other, tmp_path):
    other.add_many(own_entries())
    before = dump(other)
    other.dispose()
    with immutable(Path(other.engine.url.database)), pytest.raises(WriteFailed, match=r"read-only"):
        backup.restore(other, backup.export_backup(filled), replace=True)
    assert dump(other) == before
    assert list(tmp_path.glob("kneelog-before-restore-*")) == []


@pytest.mark.backends("sqlite", "postgresql")
def test_a_restored_database_passes_the_checks_of_a_fresh_one_and_takes_new_entries(filled: Store, other: Store):
    backup.restore(other, backup.export_backup(filled))

    _, stored = other.snapshot()
    assert list(rules.problems({name: [row._asdict() for row in rows] for name, rows in stored.items()})) == []
    highest = max(row[0] for row in dump(other)["runs"])
    new = [Run(date=DAY, distance_m=5000, duration_s=1500), Run(date=DAY, distance_m=6000, duration_s=1800)]
    assert other.add_many(new) == [highest + 1, highest + 2]  # the next ids follow on
    other.check()
