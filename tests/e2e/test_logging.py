"""Logging sessions 30 s after a run, on a phone and on a laptop; then editing and deleting an entry in History."""

import datetime as dt
import re

import pytest

from kneelog.models import Run
from tests.e2e import harness
from tests.e2e.harness import (
    DESKTOP,
    PHONE,
    assert_fits_width,
    expect,
    go_to,
    key,
    rerun,
    segment,
    table,
    tap_row,
)
from tests.e2e.sliders import tap_score

TODAY = dt.date.today()
#: What each screen size logs; values differ so each journey finds its own entries among the module's.
LOGGED = {
    "desktop": {"km": "8.5", "duration": "47:30", "rpe": "6", "pain": "3", "gym": "50", "knee": "Left"},
    "phone": {"km": "5.25", "duration": "31:30", "rpe": "4", "pain": "1", "gym": "35", "knee": "Right"},
}
VIEWPORTS = [pytest.param(DESKTOP, "desktop", id="desktop"), pytest.param(PHONE, "phone", id="phone")]


def _fill(page, widget_key: str, value: str) -> None:
    field = key(page, widget_key).locator("input, textarea").first
    field.fill(value)
    expect(field).to_have_value(value)


def _drawn(rows: list[dict[str, str]], column: str, value: str) -> dict[str, str]:
    """The one row of a History table whose ``column`` shows ``value``."""
    matches = [row for row in rows if row.get(column) == value]
    assert len(matches) == 1, f"expected one row with {column} = {value!r} in {rows}"
    return matches[0]


def _save(page, label: str) -> None:
    button = page.get_by_role("button", name=label)
    assert_fits_width(page, button)
    rerun(page, button.click)


@pytest.mark.parametrize(("viewport", "name"), VIEWPORTS)
def test_log_a_run_a_gym_session_and_a_knee_checkin(open_app, store, viewport, name):
    mine = LOGGED[name]
    page = open_app("log", viewport=viewport)
    expect(key(page, "log_kind").get_by_role("radio", checked=True)).to_contain_text("Run")
    key(page, "log_kind").get_by_role("radio", checked=True).click()  # tapped again, the chosen kind stays chosen
    page.wait_for_timeout(2 * harness.QUIET_MS)  # time for a rerun to start, if the tap started one
    harness.wait_idle(page)
    expect(key(page, "log_kind").get_by_role("radio", checked=True)).to_contain_text("Run")
    expect(key(page, "new_run_distance")).to_be_visible()

    _fill(page, "new_run_distance", mine["km"])
    _fill(page, "new_run_duration", "fifty")
    _save(page, "Save run")
    expect(page.get_by_text(re.compile(r"^The run was not saved"))).to_be_visible()
    expect(page.get_by_text("'fifty' is not a time")).to_be_visible()
    expect(key(page, "new_run_distance").locator("input")).to_have_value(re.compile(rf"^{mine['km']}0*$"))

    _fill(page, "new_run_duration", mine["duration"])
    _fill(page, "new_run_rpe", mine["rpe"])
    _fill(page, "new_run_pain_during", mine["pain"])
    _fill(page, "new_run_notes", f"easy loop ({name})")
    _save(page, "Save run")
    expect(page.get_by_text(f"Saved the run of {TODAY:%a %d %b %Y}.")).to_be_visible()

    segment(page, "log_kind", "Gym")
    _fill(page, "new_gym_duration", mine["gym"])
    _fill(page, "new_gym_notes", f"step-downs 3x10 ({name})")
    _save(page, "Save gym session")
    expect(page.get_by_text(f"Saved the gym session of {TODAY:%a %d %b %Y}.")).to_be_visible()

    segment(page, "log_kind", "Knee check-in")
    key(page, "new_checkin_knee").get_by_text(mine["knee"], exact=True).click()
    tap_score(page, "new_checkin_stairs", 4)
    tap_score(page, "new_checkin_squat", 6)
    tap_score(page, "new_checkin_morning_after", 2)
    _save(page, "Save knee check-in")
    expect(page.get_by_text(f"Saved the knee check-in of {TODAY:%a %d %b %Y}.")).to_be_visible()

    go_to(page, "History")
    # A phone draws only the columns that fit: compare those, and at least date, distance, pain and effort.
    run = _drawn(table(page.get_by_test_id("stDataFrame"), "Distance (km)"), "Distance (km)", mine["km"])
    expected_run = {
        "Date": f"{TODAY:%Y-%m-%d}",
        "Distance (km)": mine["km"],
        "Duration": mine["duration"],
        "Effort": mine["rpe"],
        "Pain during": mine["pain"],
        "Notes": f"easy loop ({name})",
    }
    assert {"Date", "Distance (km)", "Pain during", "Effort"} <= run.keys()  # pain is on screen, even on a phone
    assert {k: v for k, v in expected_run.items() if k in run} == {k: run[k] for k in expected_run if k in run}
    segment(page, "hist_kind", "Gym")
    gym = _drawn(
        table(page.get_by_test_id("stDataFrame"), "Duration", absent="Distance (km)"), "Duration", f"{mine['gym']}:00"
    )
    assert gym["Date"] == f"{TODAY:%Y-%m-%d}"
    segment(page, "hist_kind", "Knee check-ins")
    # the four scores fit a phone's width: the column after them (Knee) is drawn, so they are whole on screen
    checkin = _drawn(table(page.get_by_test_id("stDataFrame"), "Knee"), "Knee", mine["knee"])
    expected_checkin = {"Date": f"{TODAY:%Y-%m-%d}", "Stairs": "4", "Squat": "6", "Sitting": "0", "Morning": "2"}
    assert {k: checkin[k] for k in expected_checkin} == expected_checkin

    stored = store.frame("run")
    assert stored.loc[stored["notes"] == f"easy loop ({name})", "distance_m"].tolist() == [
        pytest.approx(float(mine["km"]) * 1000)
    ]


def test_a_saved_run_leaves_an_empty_form_so_a_second_tap_adds_nothing(open_app, store):
    page = open_app("log")
    _fill(page, "new_run_distance", "6")
    _fill(page, "new_run_duration", "33:00")
    _save(page, "Save run")
    expect(page.get_by_text(f"Saved the run of {TODAY:%a %d %b %Y}.")).to_be_visible()
    runs = store.counts()["run"]
    for field in ("new_run_distance", "new_run_duration"):
        expect(key(page, field).locator("input"), f"{field} still shows the saved run").to_have_value("")
    _save(page, "Save run")
    expect(page.get_by_text(re.compile(r"^The run was not saved"))).to_be_visible()
    assert store.counts()["run"] == runs


def _tap_row(page, column: str, value: str) -> None:
    """Tap the selection box of the one row of History's table whose ``column`` shows ``value``."""
    grid = page.get_by_test_id("stDataFrame")
    rows = table(grid, column)
    _drawn(rows, column, value)
    tap_row(page, next(i for i, r in enumerate(rows) if r.get(column) == value))


def _history_on(open_app, store, day: dt.date, notes: str):
    """History opened on a run of ``day`` (added for the journey) tapped for editing; returns (page, run id)."""
    run_id = store.add(Run(date=day, distance_m=10_000, duration_s=3_000, rpe=5, notes=notes))
    page = open_app("history")
    _tap_row(page, "Notes", notes)
    expect(key(page, f"edit_run_{run_id}_distance").locator("input")).to_have_value("10.00")
    return page, run_id


def test_edit_a_run_in_history(open_app, store):
    day = TODAY - dt.timedelta(days=3)
    page, run_id = _history_on(open_app, store, day, "to be corrected")
    _fill(page, f"edit_run_{run_id}_distance", "12")
    _fill(page, f"edit_run_{run_id}_pain_during", "2")
    _save(page, "Save changes")
    expect(page.get_by_text(f"Updated the run of {day:%a %d %b %Y}.")).to_be_visible()
    row = _drawn(table(page.get_by_test_id("stDataFrame"), "Notes"), "Notes", "to be corrected")
    assert (row["Distance (km)"], row["Pain during"], row["Pace (/km)"]) == ("12", "2", "4:10")
    edited = store.get("run", run_id)
    assert (edited.distance_m, edited.pain_during, edited.rpe) == (12_000, 2, 5)
    expect(key(page, f"edit_run_{run_id}_distance").locator("input")).to_have_value("12.00")

    # Then the runner decides to delete it after all: the next tap must still be about this run.
    rerun(page, key(page, f"delete_run_{run_id}").get_by_role("button").click)
    expect(page.get_by_text(f"Delete the run of {day:%a %d %b %Y} for good?")).to_be_visible()
    rerun(page, key(page, f"delete_no_run_{run_id}").get_by_role("button").click)
    expect(key(page, f"edit_run_{run_id}_distance").locator("input")).to_have_value("12.00")


def test_delete_a_run_only_after_confirming(open_app, store):
    day = TODAY - dt.timedelta(days=5)
    page, run_id = _history_on(open_app, store, day, "logged twice by mistake")
    rerun(page, key(page, f"delete_run_{run_id}").get_by_role("button").click)
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    rerun(page, key(page, f"delete_no_run_{run_id}").get_by_role("button").click)
    expect(page.get_by_text("This cannot be undone.")).to_have_count(0)
    assert store.get("run", run_id).notes == "logged twice by mistake"

    rerun(page, key(page, f"delete_run_{run_id}").get_by_role("button").click)
    rerun(page, key(page, f"delete_yes_run_{run_id}").get_by_role("button").click)
    expect(page.get_by_text(f"Deleted the run of {day:%a %d %b %Y}.")).to_be_visible()
    assert run_id not in store.frame("run")["id"].tolist()
    expect(page.get_by_test_id("stDataFrame").get_by_text("logged twice by mistake")).to_have_count(0)
