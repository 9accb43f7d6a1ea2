"""Backup & restore in Chromium: the download is a whole backup, and uploading it brings the data back."""

import datetime as dt
import re
from pathlib import Path

from kneelog import clock
from kneelog.demo import generate
from kneelog.models import Run, Settings
from kneelog.store.backup import backup_filename, read_backup
from tests.e2e.harness import expect, go_to, key, rerun
from tests.test_backup import dump as rows

END = dt.date.today() - dt.timedelta(days=1)


def test_a_downloaded_backup_restores_everything_after_the_tick_box(open_app, store, tmp_path):
    store.add_many(generate(days=90, end=END, seed=11))
    store.save_settings(Settings(unit="mi", timezone="America/Denver"))
    page = open_app()
    go_to(page, "Backup & restore")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download backup").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == backup_filename(clock.local_today("America/Denver"))  # named by the runner's day
    assert read_backup(saved).counts == store.counts()
    before = rows(store)

    store.add(Run(date=END, distance_m=3000, duration_s=1000, notes="logged after the backup"))
    rerun(page, lambda: key(page, "backup_upload_0").locator("input[type='file']").set_input_files(saved))
    expect(page.get_by_text(re.compile(r"^This backup was made on .* and holds \d+ runs"))).to_be_visible()
    restore = page.get_by_role("button", name="Restore this backup")
    expect(restore).to_be_disabled()
    rerun(page, page.get_by_text("Replace everything now in kneelog with this backup").click)
    rerun(page, restore.click)

    (copy,) = Path(store.engine.url.database).parent.glob("kneelog-before-restore-*.zip")
    expect(
        page.get_by_text(
            re.compile(
                r"^Restored \d+ runs, \d+ gym sessions.*"
                rf"What was here before is saved in {re.escape(str(copy))}\.$"
            )
        )
    ).to_be_visible()
    assert rows(store) == before  # the run logged after the backup is gone; all else is as it was
    assert read_backup(copy).counts["run"] == store.counts()["run"] + 1  # ... and kept in the safety copy
    expect(key(page, "backup_upload_1").locator("input[type='file']")).to_be_attached()  # an empty uploader again
