"""The Backup & restore page through app.py with AppTest on a real SQLite file (in Chromium: tests/e2e/)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kneelog.demo import generate
from kneelog.models import KneeCheckin, Run, Settings
from kneelog.store import Store
from kneelog.store.backup import export_backup, read_backup, restore
from kneelog.views.markdown import escape
from tests.storage_faults import damage
from tests.test_backup import dump as rows

PAGE = "pages/backup.py"
END = dt.date(2026, 10, 31)


@pytest.fixture
def source(tmp_path: Path) -> Store:
    """Another database with two months of the demo runner and a setting, to back up."""
    s = Store(f"sqlite:///{tmp_path / 'source.db'}")
    s.add_many(generate(days=60, end=END, seed=3))
    s.save_settings(Settings(unit="mi", timezone="Europe/London"))
    yield s
    s.dispose()


def open_page(app: AppTest) -> AppTest:
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    app.file_uploader(key="backup_upload_0").set_value((name, data, "application/zip")).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_page_offers_the_download_and_says_what_it_holds(app, store):
    store.add(Run(date=END, distance_m=5000, duration_s=1500))
    page = open_page(app)
    assert page.title[0].value == "Backup & restore"
    assert [b.label for b in page.get("download_button")] == ["Download backup"]
    assert "Holds 1 run. Text that a spreadsheet" in page.caption[0].value


def test_a_backup_restores_into_an_empty_database(app, store, source):
    page = upload(open_page(app), "kneelog-backup.zip", export_backup(source))
    counts = read_backup(export_backup(source)).counts
    assert f"{counts['run']} runs" in page.info[0].value and "by kneelog" in page.info[0].value
    assert not page.warning and not page.checkbox  # nothing here to replace, so nothing to confirm

    page.button(key="backup_restore").click().run()

    assert not page.exception
    assert rows(store) == rows(source)
    assert page.success[0].value.startswith(f"Restored {counts['run']} runs,")
    assert page.file_uploader(key="backup_upload_1").value is None  # the uploader was emptied
    assert store.settings().unit == "mi"


def test_replacing_data_needs_the_tick_box_and_keeps_a_safety_copy(app, store, source, tmp_path):
    store.add(KneeCheckin(date=END, knee="left", stairs=4, note="mine"))
    mine = rows(store)
    page = upload(open_page(app), "b.zip", export_backup(source))
    assert "kneelog now holds 1 knee check-in. Restoring replaces all of it" in (page.warning[0].value)
    assert "first saved to a safety copy beside the database" in page.warning[0].value
    assert page.button(key="backup_restore").disabled
    assert store.frame("checkin")["note"].tolist() == ["mine"]

    page.checkbox(key="backup_replace").check().run()
    assert not page.button(key="backup_restore").disabled
    page.button(key="backup_restore").click().run()

    assert not page.exception
    assert rows(store) == rows(source)
    (copy,) = tmp_path.glob("kneelog-before-restore-*.zip")  # beside kneelog.db, in this test's folder
    assert page.success[0].value.endswith(f"What was here before is saved in {escape(copy)}.")
    restore(store, copy, replace=True)
    assert rows(store) == mine


def test_an_empty_backup_over_a_log_needs_a_second_tick(app, store, tmp_path):
    empty = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    data = export_backup(empty)
    empty.dispose()
    store.add(Run(date=END, distance_m=8000, duration_s=2400, notes="keep me"))
    page = upload(open_page(app), "empty.zip", data)
    page.checkbox(key="backup_replace").check().run()

    assert page.warning[1].value == "This backup holds no entries: restoring it leaves kneelog empty."
    assert page.button(key="backup_restore").disabled
    page.checkbox(key="backup_confirm_empty").check().run()
    page.button(key="backup_restore").click().run()

    assert not page.exception
    assert not any(store.counts().values())
    assert page.success[0].value.startswith("Restored no entries. What was here before is saved in")


def test_a_damaged_database_offers_what_can_still_be_read(app, db_url, tmp_path):
    filled = Store(db_url)
    filled.add_many(generate(days=365, end=END, seed=3))
    filled.dispose()
    damage(tmp_path / "kneelog.db", "runs")

    page = open_page(app)

    assert escape("is damaged (SQLite: database disk image is malformed)") in page.error[0].value
    assert [b.label for b in page.get("download_button")] == ["Download what can still be read"]
    assert re.fullmatch(r"Saved \d+ runs, .* left out\\: runs\\\.csv \d+ rows that could not be read\\\.",
                        page.caption[0].value)  # fmt: skip
    assert not page.get("file_uploader")  # nothing can be restored into it


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("holiday.zip", b"PK\x03\x04 not really a zip", "holiday.zip is not a zip file"),
        ("notes.zip", b"", "notes.zip is not a zip file"),
    ],
)
def test_a_bad_file_is_refused_with_nothing_changed(app, store, name, data, message):
    store.add(Run(date=END, distance_m=8000, duration_s=2400, notes="keep me"))
    before = rows(store)
    page = upload(open_page(app), name, data)
    assert escape(message) in page.error[0].value
    assert not page.get("button") or all(b.key != "backup_restore" for b in page.button)
    assert rows(store) == before


def test_a_backup_from_a_newer_kneelog_is_refused(app, store, source):
    original = zipfile.ZipFile(io.BytesIO(export_backup(source)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in original.infolist():
            payload = original.read(info)
            if info.filename == "manifest.json":
                payload = json.dumps(json.loads(payload) | {"schema_version": "0099", "kneelog_version": "3.0"})
            zf.writestr(info.filename, payload)
    page = upload(open_page(app), "future.zip", out.getvalue())
    assert escape("future.zip was made by a newer kneelog (3.0, database schema '0099'); update kneelog") in (
        page.error[0].value
    )
    assert not any(store.counts().values())


@pytest.mark.parametrize("other", ["pages/home.py", "pages/history.py", "pages/dashboard.py", "pages/log.py"])
def test_every_page_on_a_damaged_database_says_so_and_points_to_the_backup(app, db_url, tmp_path, other):
    filled = Store(db_url)
    filled.add_many(generate(days=365, end=END, seed=3))
    filled.save_settings(Settings(unit="km", timezone="UTC"))
    filled.dispose()
    damage(tmp_path / "kneelog.db", "runs")

    app.run()
    app.switch_page(other).run()

    assert not app.exception, [e.value for e in app.exception]  # no traceback, not even a redacted one
    assert "is damaged" in app.error[-1].value
    assert app.get("page_link")[-1].proto.page == "backup"  # the Backup & restore page
