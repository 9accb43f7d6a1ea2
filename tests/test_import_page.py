"""The Import page: upload, detected format, choices, preview, one Import click, and again; in AppTest and Chromium."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit.config
from streamlit.testing.v1 import AppTest

from kneelog.demo import load_demo
from kneelog.importers.session import remembered_mapping
from kneelog.models import Run, Settings
from kneelog.store import Store
from tests.import_fixtures import FIXTURES, SAMPLES
from tests.test_hostile_text import escape_free

PAGE = "pages/import_data.py"
RUN_ROWS = SAMPLES / "strava" / "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv"
GRUNT = SAMPLES / "garmin" / "Romain-Thomas-Shef_grunt__Activities.csv"


@pytest.fixture(autouse=True)
def runner_in_utc(store: Store) -> None:
    """Dates below are worked out for a runner in UTC, whatever the machine's zone."""
    store.save_settings(Settings(timezone="UTC"))


def open_page(app: AppTest) -> AppTest:
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    return app


def upload(app: AppTest, *paths: Path) -> AppTest:
    uploader = next(u for u in app.file_uploader if u.key.startswith("import_files_"))
    uploader.set_value([(p.name, p.read_bytes(), "text/csv") for p in paths]).run()
    assert not app.exception, app.exception
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def import_button(app: AppTest):
    return app.button(key="import_commit")


def text_of(elements) -> str:
    """The elements' markdown as it reads on the page (file names and cells are escaped: see test_hostile_text)."""
    return "\n".join(escape_free(e.value) for e in elements)


def test_the_page_says_where_to_get_each_export(app):
    open_page(app)
    assert app.title[0].value == "Import"
    guide = text_of(app.markdown)
    for platform in ("Strava export", "Garmin Connect export", "TrainingPeaks export", "intervals.icu export"):
        assert f"**{platform}**" in guide
    assert "activities.csv" in guide


def test_uploading_real_exports_shows_a_preview_and_one_click_imports_them(app, store):
    upload(open_page(app), RUN_ROWS, GRUNT)
    cards = text_of(app.markdown)
    assert f"**{RUN_ROWS.name}**: Strava export, English, 3 activities, 3 runs" in cards
    assert f"**{GRUNT.name}**: Garmin Connect export, English, 4 activities, 4 runs" in cards
    assert "distances in kilometres" in text_of(app.caption)
    assert metrics(app) == {"To add": "7", "Already there": "0", "Possible duplicates": "0", "Left out": "0",
                            "Rejected rows": "0"}  # fmt: skip
    preview = app.dataframe[0].value
    assert len(preview) == 7 and preview["Distance"].tolist()[0] == "6.64 km"  # oldest first: 10 October 2016
    assert import_button(app).label == "Import 7 activities"
    assert store.counts()["run"] == 0  # nothing written before the click

    import_button(app).click().run()
    assert not app.exception
    assert "Added 7 runs and 0 gym sessions (45.2 km)." in escape_free(app.success[0].value)  # 20,804.6 m + 24,390 m
    runs = store.frame("run")
    assert len(runs) == 7 and set(runs["source"]) == {"strava", "garmin"}
    assert runs.set_index("source_id").loc["740821460", "date"].date() == dt.date(2016, 10, 10)

    upload(app, RUN_ROWS, GRUNT)  # the uploader is empty again; the same files a second time
    assert metrics(app)["To add"] == "0" and metrics(app)["Already there"] == "7"
    assert import_button(app).disabled
    assert store.counts()["run"] == 7


def test_a_garmin_file_in_unstated_units_asks_and_the_answer_is_used(app, store):
    upload(open_page(app), FIXTURES / "garmin_en_mi.csv")
    assert "Choose kilometres or miles" in escape_free(app.warning[0].value)
    assert import_button(app).disabled
    units = next(b for b in app.button_group if b.key.startswith("import_units_"))
    units.set_value("mi").run()
    assert "distances in miles" in text_of(app.caption)
    import_button(app).click().run()
    assert store.frame("run")["distance_m"].sum() == pytest.approx(9.32 * 1609.344)


def test_an_unknown_csv_gets_a_mapping_form_that_is_remembered(app, store, db_url):
    custom = FIXTURES / "custom_log.csv"
    upload(open_page(app), custom)
    assert "does not recognise these columns" in escape_free(app.info[0].value)
    fid = next(s.key for s in app.selectbox if s.key.startswith("import_map_date_")).removeprefix("import_map_date_")
    assert app.selectbox(key=f"import_map_distance_{fid}").value == "Strecke (km)"  # the first guess
    assert app.selectbox(key=f"import_map_duration_{fid}").value == "Zeit"
    app.button(key=f"import_mapsave_{fid}").click().run()
    assert not app.exception
    assert "CSV file (your column mapping), 4 activities, 2 runs, 1 gym session" in text_of(app.markdown)
    import_button(app).click().run()
    assert Store(db_url).counts()["run"] == 2
    assert remembered_mapping(store, ["Datum", "Sport", "Strecke (km)", "Zeit", "Anstrengung", "Notiz"]) is not None

    upload(app, FIXTURES / "custom_log_latin1.csv")  # the same columns: read without asking
    assert not app.info and metrics(app)["Already there"] == "3"


def test_a_refused_file_is_named_and_nothing_can_be_imported_until_it_is_removed(app, store):
    upload(open_page(app), RUN_ROWS, FIXTURES / "bad_truncated.csv")
    assert "bad_truncated.csv, row 4, column 'Distance': the last row stops" in escape_free(app.error[0].value)
    assert "Nothing is imported until every file can be read" in escape_free(app.warning[0].value)
    assert import_button(app).disabled
    assert store.counts()["run"] == 0


def test_possible_duplicates_are_shown_and_added_only_when_ticked(app, store):
    store.add(Run(date=dt.date(2016, 10, 10), distance_m=6600, duration_s=1800))
    upload(open_page(app), RUN_ROWS)
    assert metrics(app)["Possible duplicates"] == "1"
    flagged = next(d.value for d in app.dataframe if "Matches" in d.value.columns)
    assert flagged["Matches"].tolist() == ["your run of 2016-10-10: 6.60 km in 30:00"]
    assert import_button(app).label == "Import 2 activities"
    app.checkbox(key="import_duplicates").check().run()
    assert import_button(app).label == "Import 3 activities"
    import_button(app).click().run()
    assert store.counts()["run"] == 4


def test_the_demo_athlete_is_announced_before_it_is_replaced(app, store):
    load_demo(store, days=14)
    upload(open_page(app), RUN_ROWS)
    assert "demo athlete's" in escape_free(app.info[0].value) and "will be removed" in escape_free(app.info[0].value)
    import_button(app).click().run()
    assert set(store.frame("run")["source"]) == {"strava"}


@pytest.fixture
def upload_limit_1_mb():
    before = streamlit.config.get_option("server.maxUploadSize")
    streamlit.config.set_option("server.maxUploadSize", 1)
    yield
    streamlit.config.set_option("server.maxUploadSize", before)


def test_a_file_over_the_upload_limit_gets_a_clear_message(app, tmp_path, upload_limit_1_mb):
    big = tmp_path / "activities.csv"
    big.write_bytes(RUN_ROWS.read_bytes() * 500)  # about 1.1 MB
    upload(open_page(app), big)
    assert "Up to 1 MB per file" in text_of(app.caption)
    assert "A file over 1 MB is marked red above and not read" in text_of(app.caption)  # what the browser does
    message = escape_free(app.error[0].value)
    assert message.startswith("activities.csv: the file is 1.1 MB, more than the 1.0 MB upload limit.")
    assert "kneelog import FILE" in message


def test_the_upload_limit_is_set_in_the_streamlit_config():
    import tomllib

    from tests.conftest import REPO

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == 200
