"""Kilometres or miles: one switch in Settings changes every distance the runner reads, on every page."""

import datetime as dt
import re
import zoneinfo

from kneelog.models import Run
from tests.e2e.harness import SAMPLES, charts, expect, go_to, key, metric, rerun, table

GARMIN = SAMPLES / "garmin" / "Romain-Thomas-Shef_grunt__Activities.csv"
MILE_M = 1609.344


def _distances_shown(page, unit: str) -> None:
    """Visit every page that shows a distance and check each is in ``unit`` (a 10 km run this week, 6 km before)."""
    ten_km = {"km": "10.0 km", "mi": f"{10_000 / MILE_M:.1f} mi"}[unit]
    go_to(page, "Today")
    assert metric(page, "Distance") == ten_km

    go_to(page, "Log a session")
    expect(key(page, "new_run_distance").get_by_text(f"Distance ({unit})", exact=True)).to_be_visible()

    go_to(page, "History")
    rows = table(page.get_by_test_id("stDataFrame"), f"Distance ({unit})")
    expected = {"km": ["10", "6"], "mi": [f"{10_000 / MILE_M:.2f}", f"{6_000 / MILE_M:.2f}"]}[unit]
    assert [row[f"Distance ({unit})"] for row in rows] == expected

    go_to(page, "Dashboard")  # the week's numbers: each label over its bold value
    week_distance = page.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"^Distance"))
    assert week_distance.locator("strong").inner_text() == ten_km
    expect(charts(page).first.locator("svg")).to_contain_text(f"Distance ({unit})")

    go_to(page, "Import")
    uploader = page.get_by_test_id("stFileUploader")
    rerun(page, lambda: uploader.locator("input[type='file']").set_input_files(str(GARMIN)))
    preview = table(page.get_by_role("tabpanel", name="To add").get_by_test_id("stDataFrame"), "Distance")
    first_km = 3.40  # the sample's latest run: "3,40" km in Garmin's decimal-comma locale
    shown = {"km": f"{first_km:.2f} km", "mi": f"{first_km * 1000 / MILE_M:.2f} mi"}[unit]
    assert shown in {row["Distance"] for row in preview}


def test_switching_to_miles_changes_distances_everywhere_and_back(open_app, store):
    today = dt.datetime.now(zoneinfo.ZoneInfo(store.settings().timezone)).date()
    store.add(Run(date=today, distance_m=10_000, duration_s=3_000, rpe=5))
    store.add(Run(date=today - dt.timedelta(days=8), distance_m=6_000, duration_s=1_900, rpe=4))
    page = open_app("history")
    _distances_shown(page, "km")

    for unit, label in (("mi", "Miles"), ("km", "Kilometres")):
        go_to(page, "Settings")
        key(page, "set_unit").get_by_text(label, exact=True).click()
        rerun(page, page.get_by_role("button", name="Save settings").click)
        expect(page.get_by_text("Settings saved.")).to_be_visible()
        assert store.settings().unit == unit
        _distances_shown(page, unit)
    assert sorted(store.frame("run")["distance_m"]) == [6_000, 10_000]  # stored in metres, untouched


def test_a_run_typed_in_miles_is_shown_in_miles_and_stored_in_metres(open_app, store):
    store.save_settings(store.settings().model_copy(update={"unit": "mi"}))
    page = open_app("log")
    key(page, "new_run_distance").locator("input").fill("3.1")
    key(page, "new_run_duration").locator("input").fill("28:00")
    key(page, "new_run_notes").locator("textarea").fill("typed in miles")
    rerun(page, page.get_by_role("button", name="Save run").click)
    expect(page.get_by_text("Saved the run of")).to_be_visible()
    runs = store.frame("run")
    assert runs.loc[runs["notes"] == "typed in miles", "distance_m"].round(1).tolist() == [round(3.1 * MILE_M, 1)]
    go_to(page, "History")
    rows = table(page.get_by_test_id("stDataFrame"), "Distance (mi)")
    assert "3.1" in {row["Distance (mi)"] for row in rows}
