"""The Import page with export archives and activity files: several at once, each file's card, the problems listed
with the file inside the archive, one Import click, and again adds nothing (AppTest).

The archives are built in memory from the real files in tests/data/devices (expected values in its manifest.toml).
"""

from __future__ import annotations

import gzip

from streamlit.testing.v1 import AppTest

from kneelog.importers import files
from tests.device_fixtures import FENIX, GARMIN_TCX, STRAVA_GPX, content, data
from tests.test_hostile_text import escape_free
from tests.test_import_page import metrics, open_page, runner_in_utc  # noqa: F401 - the runner in UTC
from tests.test_importers_activity_archives import garmin_export, strava_export


def upload(app: AppTest, *named: tuple[str, bytes]) -> AppTest:
    uploader = next(u for u in app.file_uploader if u.key.startswith("import_files_"))
    uploader.set_value([(name, payload, "application/octet-stream") for name, payload in named]).run()
    assert not app.exception, app.exception
    return app


def text_of(elements) -> str:
    return "\n".join(escape_free(e.value) for e in elements)


UPLOADS = [
    ("export_12345.zip", strava_export()),  # Strava: 5 runs and a gym session, 2 problems
    ("garmin.zip", garmin_export()),  # Garmin: the Forerunner run again, the triathlon's run leg, a damaged FIT
    ("fenix.fit", content(FENIX)),
    ("strava.gpx.gz", data(STRAVA_GPX)),  # the same run as Strava's row 3: already in the upload
    ("garmin.tcx", gzip.decompress(data(GARMIN_TCX))),
]


def test_the_page_takes_archives_and_activity_files_and_says_the_limit_and_the_command_line(app):
    open_page(app)
    uploader = next(u for u in app.file_uploader if u.key.startswith("import_files_"))
    assert {"zip", "fit", "gpx", "tcx", "gz", "csv"} <= {t.lstrip(".") for t in uploader.proto.type}
    assert uploader.proto.multiple_files
    captions = text_of(app.caption)
    assert "Up to 200 MB per file. A file over 200 MB is marked red" in captions
    assert "`kneelog import export.zip`" in captions
    assert "A run's moving time (pauses left out) is used as its duration" in captions


def test_archives_and_files_preview_with_their_problems_and_import_in_one_click(app, store):
    upload(open_page(app), *UPLOADS)
    cards = text_of(app.markdown)
    assert "**export_12345.zip**: Strava bulk export, 7 activities, 5 runs, 1 gym session, 2 problems" in cards
    assert "**garmin.zip**: Garmin Connect export, 6 activities, 2 runs, 1 problem" in cards
    assert "**fenix.fit**: FIT file, 1 activity, 1 run" in cards
    assert not [s for s in app.selectbox if s.key.startswith("import_format_")]  # no CSV format to choose
    # 5 + 1 from Strava, the triathlon's run leg, Fenix, and the TCX run of 25 Nov 2018 (Strava's row 7 is dated
    # 2019, so not the same run); the Garmin Forerunner run and the Strava GPX repeat Strava's rows 2 and 3, so are
    # counted as already there.
    assert metrics(app) == {"To add": "9", "Already there": "2", "Possible duplicates": "0", "Left out": "5",
                            "Rejected rows": "3"}  # fmt: skip
    to_add = app.dataframe[0].value
    assert "export_12345.zip › activities/1001.fit.gz" in to_add["File"].tolist()
    rejected = next(d.value for d in app.dataframe if "Reason" in d.value.columns)
    assert rejected["In the archive"].tolist() == [
        "activities/1004.fit.gz",
        "activities/1006.tcx.gz",
        "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip/me@example.com_1003.fit",
    ]
    assert rejected["Reason"].str.contains("damaged at byte 7,471").tolist() == [True, False, True]
    assert app.button(key="import_commit").label == "Import 9 activities"
    assert store.counts()["run"] == 0  # nothing written before the click

    app.button(key="import_commit").click().run()
    assert not app.exception
    assert "Added 8 runs and 1 gym session" in escape_free(app.success[0].value)
    runs = store.frame("run")
    fenix = runs[runs["date"] == "2015-08-15"].iloc[0]
    assert (fenix["hr_max"], fenix["elapsed_s"]) == (178, 2832)
    assert sum(files.decode(fenix["hr_seconds"]).values()) == 2832

    upload(app, *UPLOADS)  # the uploader is empty again; the same files a second time
    assert metrics(app)["To add"] == "0" and metrics(app)["Already there"] == "11"
    assert app.button(key="import_commit").disabled
