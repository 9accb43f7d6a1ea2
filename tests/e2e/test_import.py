"""Importing real exports through the file uploader: read the preview, import, import again and add nothing;
a wrong or damaged file says what is wrong and imports nothing from it."""

import re
from pathlib import Path

import pandas as pd

from tests.e2e.harness import PHONE, SAMPLES, expect, key, metric, rerun, table

STRAVA = SAMPLES / "strava" / "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv"
GARMIN = SAMPLES / "garmin" / "Romain-Thomas-Shef_grunt__Activities.csv"
GARMIN_SLEEP = SAMPLES / "garmin" / "Ashan-264_Recovance__Sleep.csv"


def _expected_runs() -> set[tuple[str, str]]:
    """(distance, duration) of every run in the two samples, read straight from the files with pandas.

    Strava's second ``Distance`` column is metres (docs/formats.md); Garmin's ``Distance`` is km with a decimal comma
    in this account's locale. A run is timed by its moving time where the file gives one above zero and no longer
    than the elapsed time (every run in these two samples does): Strava's ``Moving Time`` in seconds, Garmin's
    ``Moving Time`` as hh:mm:ss.
    """
    strava = pd.read_csv(STRAVA)
    strava = strava[strava["Activity Type"] == "Run"]
    assert ((strava["Moving Time"] > 0) & (strava["Moving Time"] <= strava["Elapsed Time"])).all()
    runs = {
        (f"{m / 1000:.2f} km", f"{int(s) // 60}:{int(s) % 60:02d}")
        for m, s in zip(strava["Distance.1"], strava["Moving Time"], strict=True)
    }
    garmin = pd.read_csv(GARMIN, dtype=str)
    assert (garmin["Moving Time"] <= garmin["Time"]).all()  # hh:mm:ss compares as text
    for km, time in zip(garmin["Distance"], garmin["Moving Time"], strict=True):
        hours, minutes, seconds = time.split(":")
        assert hours == "00"
        runs.add((f"{float(km.replace(',', '.')):.2f} km", f"{int(minutes)}:{seconds}"))
    return runs


def _upload(page, *paths: Path) -> None:
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Export files, archives or activity files")
    rerun(page, lambda: uploader.locator("input[type='file']").set_input_files([str(p) for p in paths]))
    for path in paths:
        expect(uploader.get_by_test_id("stFileChip").filter(has=page.get_by_title(path.name))).to_be_visible()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()


def _import_button(page):
    return key(page, "import_commit").get_by_role("button")


def test_a_wrong_file_and_a_damaged_row_say_what_is_wrong_and_import_nothing(open_app, store, tmp_path):
    page = open_app("import_data")
    _upload(page, GARMIN_SLEEP)
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text(
        f"{GARMIN_SLEEP.name}: this is Garmin Connect's sleep report (Sleep.csv), not a list of activities."
    )
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("Upload the activities export instead")
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text("Nothing is imported")
    expect(_import_button(page)).to_be_disabled()

    lines = STRAVA.read_text().splitlines()
    broken = tmp_path / "activities_edited.csv"
    broken.write_text("\n".join([*lines[:2], lines[2].replace('"Feb 4, 2017, 11:00:43 PM"', '"4th of Feb"')]) + "\n")
    page.reload()
    _upload(page, broken)
    assert metric(page, "To add") == "1"
    assert metric(page, "Rejected rows") == "1"
    page.get_by_role("tab", name="Rejected").click()
    rejected = page.get_by_role("tabpanel", name="Rejected")
    row = table(rejected.get_by_test_id("stDataFrame"), "Reason")[0]
    assert (row["File"], row["Row"], row["Column"], row["Value"]) == (broken.name, "3", "Activity Date", "4th of Feb")
    assert row["Reason"]
    expect(rejected.get_by_text("Fix these rows in the file and import it again")).to_be_visible()
    assert store.counts()["run"] == 0


def test_import_a_strava_and_a_garmin_export_then_the_same_again_adds_nothing(open_app, store):
    expected = _expected_runs()
    page = open_app("import_data")
    _upload(page, STRAVA, GARMIN)
    expect(page.get_by_text(f"{STRAVA.name}: Strava export")).to_be_visible()
    expect(page.get_by_text(f"{GARMIN.name}: Garmin Connect export")).to_be_visible()
    assert metric(page, "To add") == str(len(expected))
    assert (metric(page, "Already there"), metric(page, "Rejected rows")) == ("0", "0")
    to_add = table(page.get_by_role("tabpanel", name="To add").get_by_test_id("stDataFrame"), "Distance")
    assert {(r["Distance"], r["Duration"]) for r in to_add} == expected

    button = _import_button(page)
    expect(button).to_have_text(re.compile(rf"Import {len(expected)} activities$"))
    rerun(page, button.click)
    total_km = sum(float(distance.removesuffix(" km")) for distance, _ in expected)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        f"Added {len(expected)} runs and 0 gym sessions ({total_km:.1f} km)."
    )
    expect(page.get_by_test_id("stFileChip")).to_have_count(0)  # a fresh, empty uploader
    assert store.counts()["run"] == len(expected)
    assert set(store.frame("run")["source"]) == {"strava", "garmin"}

    _upload(page, STRAVA, GARMIN)
    assert metric(page, "To add") == "0"
    assert metric(page, "Already there") == str(len(expected))
    expect(_import_button(page)).to_be_disabled()
    expect(page.get_by_role("tabpanel", name="To add").get_by_text("Nothing new to add.")).to_be_visible()
    assert store.counts()["run"] == len(expected)


def test_on_a_phone_the_same_files_again_show_as_already_there_without_sideways_scrolling(open_app, store):
    expected = _expected_runs()
    if store.counts()["run"] == 0:  # this journey also stands alone
        page = open_app("import_data")
        _upload(page, STRAVA, GARMIN)
        rerun(page, _import_button(page).click)
        expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
    page = open_app("import_data", viewport=PHONE)
    _upload(page, STRAVA, GARMIN)
    assert metric(page, "Already there") == str(len(expected))
    expect(_import_button(page)).to_be_disabled()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert store.counts()["run"] == len(expected)
