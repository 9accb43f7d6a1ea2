"""Backup and restore: export -> wipe -> restore gives identical data; bad zips are refused with nothing changed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneelog import clock
from kneelog.cli import main
from kneelog.demo import generate
from kneelog.errors import BackupInvalid, RestoreRefused
from kneelog.models import GymSession, KneeCheckin, Race, Run, Settings, StretchDone, StretchSession
from kneelog.store import Store, backup

DAY = dt.date(2026, 10, 5)
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
    """Every row of every data table, read with sqlite3 directly (not through kneelog)."""
    con = sqlite3.connect(store.engine.url.database)
    try:
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY 1, 2").fetchall() for name in TABLES}
    finally:
        con.close()


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_many(generate(days=60, end=DAY, seed=7))
    store.add_many(own_entries())
    store.save_settings(Settings(unit="mi", timezone="Europe/Berlin", hold_seconds=45))
    with store.transaction() as tx:  # a remembered column mapping (written as the importer stores it)
        tx.save_column_mapping("abc123", ["=Date", "Dist"], '{"date": "=Date"}')
    return store


@pytest.fixture
def other(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'other.db'}")
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

    counts = backup.restore(wiped, data, name="k.zip")

    assert dump(wiped) == before
    assert counts == {"run": len(before["runs"]), "gym": len(before["gym_sessions"]),
                      "stretch": len(before["stretch_sessions"]), "checkin": len(before["checkins"]),
                      "race": len(before["races"])}  # fmt: skip
    assert wiped.settings() == Settings(unit="mi", timezone="Europe/Berlin", hold_seconds=45)


def test_restore_with_replace_swaps_everything_in_one_go(filled: Store, other: Store):
    other.add(Run(date=DAY, distance_m=5000, duration_s=1500, notes="only in the other database"))
    other.save_settings(Settings(unit="km", timezone="UTC"))
    version = other.data_version()

    backup.restore(other, backup.export_backup(filled), replace=True)

    assert dump(other) == dump(filled)
    assert other.data_version() == version + 1


def test_restore_into_a_database_with_entries_is_refused_without_replace(filled: Store, other: Store):
    other.add(KneeCheckin(date=DAY, knee="both", stairs=1))
    before = dump(other)

    with pytest.raises(RestoreRefused, match=r"already holds 1 knee check-in, so k\.zip was not restored.*--replace"):
        backup.restore(other, backup.export_backup(filled), name="k.zip")

    assert dump(other) == before


def test_a_database_with_only_settings_counts_as_empty(filled: Store, other: Store):
    other.save_settings(Settings(unit="km", timezone="Asia/Tokyo"))
    backup.restore(other, backup.export_backup(filled))
    assert other.settings().timezone == "Europe/Berlin"


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


def test_empty_text_and_no_value_stay_distinct(filled: Store, other: Store):
    data = backup.export_backup(filled)
    header, *body = csv_rows(data, "runs.csv")
    ids = sorted(r[header.index("source_id")] for r in body)
    assert "'" in ids and "" in ids  # "" is written as a lone apostrophe, None as an empty cell
    backup.restore(other, data)
    con = sqlite3.connect(other.engine.url.database)
    assert con.execute("SELECT count(*) FROM runs WHERE source_id = ''").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM runs WHERE source_id IS NULL").fetchone()[0] > 1


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


BAD_ZIPS: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("not a zip", lambda d: b"id,date\n1,2026-01-01\n", r"k\.zip is not a zip file"),
    ("empty file", lambda d: b"", r"k\.zip is not a zip file"),
    ("cut in half", lambda d: d[: len(d) // 2], r"k\.zip is not a zip file"),
    ("damaged bytes", _flip_byte, r"k\.zip: runs\.csv is damaged"),
    ("foreign zip", lambda d: rezip(d, lambda m: (m.clear(), m.update({"data.csv": b"a,b\n1,2\n"}))),
     r"not a kneelog backup: it holds 'data\.csv'"),
    ("no manifest", lambda d: rezip(d, _drop("manifest.json")), r"not a kneelog backup: it has no manifest\.json"),
    ("extra file", lambda d: rezip(d, _add("../evil.sh", b"rm -rf /")), r"it holds '\.\./evil\.sh'"),
    ("missing table", lambda d: rezip(d, _drop("races.csv")), r"incomplete: races\.csv is missing"),
    ("manifest not json", lambda d: rezip(d, _add("manifest.json", b"{oops"), reseal=False),
     r"manifest\.json is not valid JSON"),
    ("other format", lambda d: rezip(d, _manifest(format="something-else")), r"does not say format 'kneelog-backup'"),
    ("newer schema", lambda d: rezip(d, _manifest(schema_version="9999_future", kneelog_version="9.0")),
     r"made by a newer kneelog \(9\.0, database schema '9999_future'\); update kneelog"),
    ("newer format", lambda d: rezip(d, _manifest(format_version=2)), r"newer kneelog .*backup format 2"),
    ("manifest field wrong", lambda d: rezip(d, _manifest(created_at="yesterday")), r"field created_at"),
    ("edited csv, old checksum", lambda d: rezip(d, edit_cell("runs.csv", 2, "distance_m", "99"), reseal=False),
     r"runs\.csv does not match manifest\.json \(checksum differs\)"),
    ("number is text", lambda d: rezip(d, edit_cell("runs.csv", 2, "distance_m", "ten km")),
     r"runs\.csv row 2, column distance_m: 'ten km' is not a number"),
    ("bad date", lambda d: rezip(d, edit_cell("checkins.csv", 3, "date", "31/02/2026")),
     r"checkins\.csv row 3, column date: '31/02/2026' is not a date"),
    ("required cell empty", lambda d: rezip(d, edit_cell("runs.csv", 2, "duration_s", "")),
     r"runs\.csv row 2, column duration_s is empty"),
    ("out of range", lambda d: rezip(d, edit_cell("checkins.csv", 2, "stairs", "11")),
     r"checkins\.csv row 2: The knee check-in was not saved\. Going up or down stairs: must be a whole number "
     r"from 0 to 10"),
    ("bad settings", lambda d: rezip(d, edit_cell("settings.csv", 2, "value", "{nope")), r"settings\.csv row 2"),
    ("duplicate ids", lambda d: rezip(d, edit_cell("runs.csv", 3, "id", csv_rows(d, "runs.csv")[1][0])),
     r"runs\.csv has rows that clash"),
    ("orphan stretch", lambda d: rezip(d, edit_cell("stretch_items.csv", 2, "session_id", "99999")),
     r"stretch_items\.csv row 2: session_id 99999 is not in stretch_sessions\.csv"),
    ("bad utf-8", lambda d: rezip(d, lambda m: m.__setitem__("races.csv", b"\xff\xfe\x00bad")),
     r"races\.csv cannot be read as UTF-8 CSV"),
    ("zip bomb", lambda d: rezip(d, _bomb), r"runs\.csv would unpack to 3,145,728 bytes"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "message"), [b[1:] for b in BAD_ZIPS], ids=[b[0] for b in BAD_ZIPS])
def test_a_corrupt_or_foreign_zip_is_refused_with_nothing_changed(filled, other, monkeypatch, make, message):
    monkeypatch.setattr(backup, "MAX_MEMBER_BYTES", 2**20)
    other.add_many(own_entries())
    before, version = dump(other), other.data_version()
    bad = make(backup.export_backup(filled))

    with pytest.raises(BackupInvalid, match=message):
        backup.restore(other, bad, name="k.zip", replace=True)

    assert dump(other) == before
    assert other.data_version() == version


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


free_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300).map(str.strip)


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


def test_a_backup_from_an_older_schema_restores_with_newer_tables_empty(filled, other):
    def as_schema_0001(members: dict[str, bytes]) -> None:
        del members["column_mappings.csv"]
        manifest = json.loads(members["manifest.json"])
        del manifest["tables"]["column_mappings"]
        members["manifest.json"] = json.dumps(manifest | {"schema_version": "0001"}).encode()

    backup.restore(other, rezip(backup.export_backup(filled), as_schema_0001))

    expected = dump(filled) | {"column_mappings": []}
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
