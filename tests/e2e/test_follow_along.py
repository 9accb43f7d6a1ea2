"""Follow along on a phone: a short hold set in Settings, then a whole routine with two skips, saved as today's."""

from __future__ import annotations

import re

from kneelog import clock
from kneelog.models import Settings
from kneelog.stretches import load_library, routine_items
from tests.e2e.harness import PHONE, assert_fits_width, expect, go_to, key, rerun, wait_idle

#: The moves through the nine steps: the right quad and the left 90/90 are skipped, the drill counts two.
MOVES = ["hold", "skip", "next", "next", "skip", "next", "count", "next", "hold"]


def _button(page, widget_key: str):
    return key(page, widget_key).get_by_role("button")


def _step_line(page):
    return page.get_by_test_id("stProgress").first


def _wait_out_the_hold(page) -> None:
    """Start the countdown and watch it run out, the fragment redrawing the seconds left."""
    _button(page, "follow_go").click()
    hold = page.get_by_test_id("stMetric").filter(has_text="Hold 1 of 1")
    expect(hold).to_be_visible()
    seen = {hold.get_by_test_id("stMetricValue").inner_text()}
    expect(page.get_by_text("Time's up: tap Next.")).to_be_visible(timeout=15_000)
    seen.add(hold.get_by_test_id("stMetricValue").inner_text())
    assert "0 s" in seen and len(seen) >= 2, f"the countdown showed only {seen}"
    wait_idle(page)


def test_a_whole_routine_on_a_phone_with_skips_saves_what_was_done(open_app, store):
    store.save_settings(Settings())
    page = open_app("settings", viewport=PHONE)
    key(page, "set_hold").get_by_role("spinbutton").fill("5")  # the shortest hold Settings allows
    key(page, "set_reps").get_by_role("spinbutton").fill("1")
    rerun(page, _button(page, "settings_save").click, "saving the settings")
    assert (store.settings().hold_seconds, store.settings().reps_per_side) == (5, 1)

    go_to(page, "Stretches")
    rerun(page, page.get_by_role("button", name="Start routine").click, "starting the routine")
    for number, move in enumerate(MOVES, start=1):
        expect(_step_line(page)).to_contain_text(re.compile(rf"^Step {number} of 9: "))
        figure = page.get_by_test_id("stImage").first
        expect(figure).to_be_visible()
        for element in (figure, _button(page, "follow_next"), _button(page, "follow_skip")):
            assert_fits_width(page, element)
        if move == "hold":
            expect(page.get_by_text("Hold 5 s", exact=True)).to_be_visible()
            _wait_out_the_hold(page)
            move = "next"
        elif move == "count":
            expect(page.get_by_text("10 slow repetitions", exact=True)).to_be_visible()
            for _ in range(2):
                rerun(page, _button(page, "follow_count").click, "counting a repetition")
            expect(page.get_by_test_id("stMetric").filter(has_text="Repetitions")).to_contain_text("2 of 10")
            move = "next"
        rerun(page, _button(page, f"follow_{move}").click, f"{move} at step {number}")

    expect(page.get_by_role("heading", name="Routine finished")).to_be_visible()
    expect(page.get_by_text("Skipped: Half-kneeling quad mobilisation, right side")).to_be_visible()
    expect(page.get_by_text("Skipped: 90/90 sit with reach, left side")).to_be_visible()
    key(page, "follow_notes").get_by_role("textbox").fill("calf tight")
    rerun(page, lambda: page.keyboard.press("Enter"), "entering the note")
    rerun(page, _button(page, "follow_save").click, "saving the routine")

    expect(page.get_by_text("Saved today's stretch routine: 7 of 9 done.")).to_be_visible()
    items = store.frame("stretch_item")
    skipped = {("half_kneel_quad", "right"), ("ninety_ninety_reach", "left")}
    assert set(zip(items["stretch_id"], items["side"], strict=True)) == set(routine_items(load_library())) - skipped
    sessions = store.frame("stretch")
    assert len(sessions) == 1 and sessions["notes"].iloc[0] == "calf tight"
    assert sessions["date"].iloc[0].date() == clock.local_today("UTC")
    expect(key(page, "routine_half_kneel_quad_right").get_by_role("checkbox")).not_to_be_checked()
    expect(key(page, "routine_half_kneel_quad_left").get_by_role("checkbox")).to_be_checked()
