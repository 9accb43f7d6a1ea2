"""A runner's first visit: the app opens, the stretch library reads well, and today's routine is saved."""

import datetime as dt
import re
import zoneinfo

import pytest

from kneelog.models import Settings
from kneelog.stretches import load_library, routine_items
from tests.e2e.harness import (
    DESKTOP,
    PHONE,
    expect,
    go_to,
    key,
    metric,
    page_titles,
    rerun,
    segment,
    sidebar_link,
    table,
)

LIBRARY = load_library()


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_the_app_opens_on_a_welcome_with_every_page_in_the_navigation(open_app, store, viewport):
    store.save_settings(Settings())  # the first visit's two questions answered (their journey: test_today.py)
    page = open_app(viewport=viewport)
    expect(page.get_by_role("heading", name="kneelog", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(page.get_by_role("button", name="Load the demo athlete")).to_be_visible()
    for title in page_titles().values():
        expect(sidebar_link(page, title)).to_be_visible()


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_the_stretch_library_shows_each_stretch_with_its_steps_and_source(open_app, viewport):
    page = open_app("stretches", viewport=viewport)
    expect(page.get_by_role("heading", name="Stretches", level=1)).to_be_visible()
    expect(page.get_by_text(f"by {LIBRARY.source.author}")).to_be_visible()
    for number, stretch in enumerate(LIBRARY.stretches, start=1):
        expect(page.get_by_test_id("stExpander").filter(has_text=f"{number}. {stretch.name}")).to_be_visible()

    last = LIBRARY.stretches[-1]
    expander = page.get_by_test_id("stExpander").filter(has_text=last.name)
    expander.get_by_text(last.name).click()
    expect(expander.get_by_text("Why it matters for the knee")).to_be_visible()
    expect(expander.get_by_text(last.steps[0])).to_be_visible()
    box = expander.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


def test_todays_routine_is_saved_as_one_stretch_session(open_app, store):
    sides = len(routine_items(LIBRARY))
    page = open_app("stretches")
    routine = page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name="Today's routine"))

    rerun(page, routine.get_by_role("button", name="Save the routine").click)
    expect(page.get_by_text("tick at least one stretch and side that you did")).to_be_visible()
    assert store.counts()["stretch"] == 0

    first = LIBRARY.stretches[0]
    rerun(page, key(page, f"routine_{first.id}_{first.sides[0]}").get_by_text(first.sides[0].capitalize()).click)
    expect(key(page, f"routine_{first.id}_{first.sides[0]}").get_by_role("checkbox")).to_be_checked()
    rerun(page, routine.get_by_role("button", name="Tick all").click)
    for stretch_id, side in routine_items(LIBRARY):
        expect(key(page, f"routine_{stretch_id}_{side}").get_by_role("checkbox")).to_be_checked()
    key(page, "routine_notes").get_by_role("textbox").fill("left calf tight")
    rerun(page, routine.get_by_role("button", name="Save the routine").click)

    expect(page.get_by_text(re.compile(rf"Saved the stretch routine for .*: {sides} of {sides} [(]"))).to_be_visible()
    expect(page.get_by_text(f"Saved for this date: {sides} of {sides}.")).to_be_visible()
    for stretch_id, side in routine_items(LIBRARY):  # the boxes show what is saved; saving again edits it
        expect(key(page, f"routine_{stretch_id}_{side}").get_by_role("checkbox")).to_be_checked()
    expect(routine.get_by_role("button", name="Update this day's routine")).to_be_visible()
    assert store.counts()["stretch"] == 1
    assert len(store.frame("stretch_item")) == sides
    assert store.frame("stretch")["notes"].tolist() == ["left calf tight"]

    go_to(page, "Today")
    today = dt.datetime.now(zoneinfo.ZoneInfo(store.settings().timezone)).date()
    assert metric(page, "Stretch days") == f"1 / {store.settings().routines_per_week}"
    go_to(page, "History")
    segment(page, "hist_kind", "Stretches")
    expect(page.get_by_text(re.compile(r"^1 of 1 stretch sessions"))).to_be_visible()
    rows = table(page.get_by_test_id("stDataFrame"), "Stretch-sides done")
    assert [(r["Date"], r["Stretch-sides done"], r["Notes"]) for r in rows] == [
        (f"{today:%Y-%m-%d}", str(sides), "left calf tight")
    ]
