"""The Stretches page, driven through app.py with AppTest against a real SQLite file."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kneelog.models import DEMO, Settings, StretchDone, StretchSession
from kneelog.store import Store
from kneelog.stretches import load_library, routine_items, session_from_checked
from kneelog.views.figures import alt_text

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/stretches.py"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path}/k.db"
    monkeypatch.setenv("KNEELOG_DATABASE_URL", url)
    return Store(url)


def _open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _page_text(at: AppTest) -> str:
    parts = [e.label for e in at.expander]
    for kind in ("title", "subheader", "markdown", "caption", "info"):
        parts += [e.value for e in getattr(at, kind)]
    return "\n".join(parts)


def _items(store: Store) -> set[tuple[str, str]]:
    frame = store.frame("stretch_item")
    return set(zip(frame["stretch_id"], frame["side"], strict=True))


def test_page_shows_the_five_stretches_and_credits_the_article(store):
    text = _page_text(_open_page())
    for stretch in load_library().stretches:
        assert stretch.name in text
        assert stretch.why in text
    for credit in ("5 Stretches for Runner's Knee Pain", "Phil White", "TrainingPeaks", "Dereck Steffe, DPT"):
        assert credit in text


def test_page_shows_the_hold_and_reps_from_settings_as_kneelogs_suggestion(store):
    store.save_settings(Settings(hold_seconds=45, reps_per_side=3))
    info = _open_page().info[0].value
    assert "Hold 45 s, 3 times on each side" in info
    assert "the ankle mobilisation is a moving drill: **10 slow repetitions on each side**" in info
    assert "kneelog's suggestion — change the hold in Settings" in info


def test_the_routine_comes_before_the_five_stretch_cards(store):
    at = _open_page()
    headings = [h.value for h in at.subheader]
    assert headings.index("Today's routine") < headings.index("The five stretches")  # first on a phone, too
    assert "**Mobilises:**" in [m.value.split(" ")[0] for m in at.markdown]


def test_routine_offers_every_stretch_on_each_side_and_the_fold_once(store):
    at = _open_page()
    expected = [f"routine_{stretch_id}_{side}" for stretch_id, side in routine_items(load_library())]
    assert [c.key for c in at.checkbox] == expected
    assert len(expected) == 9
    fold = [c for c in at.checkbox if "forward_fold" in c.key]
    assert [c.key for c in fold] == ["routine_wide_leg_forward_fold_both"]
    assert fold[0].label == "Done (both legs, once)"
    assert at.date_input(key="routine_date").value == dt.date.today()


def test_ticked_stretches_are_saved_as_one_session(store):
    ticked = {("half_kneel_quad", "left"), ("ankle_mobilization", "right"), ("wide_leg_forward_fold", "both")}
    day = dt.date.today() - dt.timedelta(days=1)
    at = _open_page()
    at.date_input(key="routine_date").set_value(day).run()
    for stretch_id, side in ticked:
        at.checkbox(key=f"routine_{stretch_id}_{side}").check()
    at.text_input(key="routine_notes").input("left calf tight")
    at.button(key="routine_save").click().run()

    assert not at.exception
    assert "3 of 9 (Half-kneeling quad mobilisation, Ankle mobilisation, Wide-legged forward fold)" in (
        at.success[0].value
    )
    sessions = store.frame("stretch")
    assert len(sessions) == 1
    assert sessions["date"].iloc[0].date() == day and sessions["notes"].iloc[0] == "left calf tight"
    assert _items(store) == ticked
    checked = {c.key for c in at.checkbox if c.value}
    assert checked == {f"routine_{i}_{side}" for i, side in ticked}, "the checklist shows what is saved"
    assert "Saved for this date: 3 of 9" in _page_text(at)
    assert at.text_input(key="routine_notes").value == "left calf tight"


def test_tick_all_saves_the_whole_routine(store):
    at = _open_page()
    at.button(key="routine_all").click().run()
    assert all(c.value for c in at.checkbox)
    at.button(key="routine_save").click().run()
    assert _items(store) == set(routine_items(load_library()))
    assert store.frame("stretch")["id"].nunique() == 1


def test_saving_with_nothing_ticked_stores_nothing_and_says_why(store):
    at = _open_page()
    at.button(key="routine_save").click().run()
    assert not at.exception
    assert not at.success
    assert "tick at least one stretch" in at.error[0].value
    assert store.counts()["stretch"] == 0 and store.frame("stretch_item").empty


def test_cleared_ticks_save_nothing(store):
    at = _open_page()
    at.checkbox(key="routine_low_lunge_reach_left").check()
    at.button(key="routine_none").click().run()
    at.button(key="routine_save").click().run()
    assert at.error and store.counts()["stretch"] == 0


def test_saving_twice_on_a_day_edits_that_days_routine(store):
    at = _open_page()
    at.checkbox(key="routine_half_kneel_quad_left").check()
    at.checkbox(key="routine_half_kneel_quad_right").check()
    at.button(key="routine_save").click().run()
    first_id = int(store.frame("stretch")["id"].iloc[0])

    at.checkbox(key="routine_half_kneel_quad_right").uncheck()
    at.checkbox(key="routine_wide_leg_forward_fold_both").check()
    at.button(key="routine_save").click().run()

    assert not at.exception and "Updated the stretch routine" in at.success[0].value
    sessions = store.frame("stretch")
    assert sessions["id"].tolist() == [first_id], "one session a day: the second save edits the first"
    assert _items(store) == {("half_kneel_quad", "left"), ("wide_leg_forward_fold", "both")}


def test_checkboxes_show_what_is_saved_for_the_chosen_date(store):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    store.add(session_from_checked(load_library(), [("low_lunge_reach", "right")], yesterday, notes="stiff"))
    at = _open_page()
    assert not any(c.value for c in at.checkbox), "nothing is saved for today"
    at.date_input(key="routine_date").set_value(yesterday).run()
    assert [c.key for c in at.checkbox if c.value] == ["routine_low_lunge_reach_right"]
    assert at.text_input(key="routine_notes").value == "stiff"
    at.date_input(key="routine_date").set_value(dt.date.today()).run()
    assert not any(c.value for c in at.checkbox)


def test_old_days_with_several_sessions_and_a_sided_fold_edit_the_newest(store):
    day = dt.date.today()
    library = load_library()
    old = StretchSession(date=day, items=(StretchDone(stretch_id="half_kneel_quad", side="left"),))
    sided_fold = StretchSession(date=day, items=(StretchDone(stretch_id="wide_leg_forward_fold", side="right"),))
    store.add(old)
    newest = store.add(sided_fold)
    at = _open_page()
    assert [c.key for c in at.checkbox if c.value] == ["routine_wide_leg_forward_fold_both"]
    assert "This date has 2 stretch sessions" in _page_text(at)
    at.checkbox(key="routine_ankle_mobilization_left").check()
    at.button(key="routine_save").click().run()
    assert store.counts()["stretch"] == 2
    assert {i.side for i in store.get("stretch", newest).items} == {"both", "left"}
    assert len(routine_items(library)) == 9


PAGES = ["pages/home.py", "pages/log.py", "pages/history.py", "pages/dashboard.py", "pages/stretches.py",
         "pages/import_data.py", "pages/backup.py", "pages/settings.py"]  # fmt: skip


def test_demo_banner_shows_on_every_page_until_the_demo_is_removed(store):
    store.add(StretchSession(date=dt.date.today(), items=(StretchDone(stretch_id="half_kneel_quad", side="left"),),
                             source=DEMO))  # fmt: skip
    store.add(StretchSession(date=dt.date.today(), items=(StretchDone(stretch_id="low_lunge_reach", side="left"),)))
    at = AppTest.from_file(APP, default_timeout=60)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert any("The demo athlete is loaded" in w.value for w in at.warning), page
        assert at.button(key="demo_banner_remove"), page

    at.switch_page("pages/stretches.py").run()
    at.button(key="demo_banner_remove").click().run()
    assert "Removed the demo athlete (1 demo entries)" in at.success[0].value
    assert store.count_source(DEMO) == 0 and store.counts()["stretch"] == 1, "only the demo's entries go"
    for page in PAGES:
        at.switch_page(page).run()
        assert not any("demo athlete is loaded" in w.value for w in at.warning), page


def test_each_stretch_and_side_has_its_figure_with_words_for_it(store):
    at = _open_page()
    images = [image.proto.imgs[0] for image in at.get("image")]
    # half-kneel, low lunge, 90/90 and ankle drill on two sides each, and one fold for both: nine figures
    assert [image.caption for image in images] == [*["Left side", "Right side"] * 4, "Both legs at once"]
    assert all(image.url.startswith("data:image/svg+xml") for image in images)  # drawn by kneelog, no request
    assert "the right knee" in images[1].alt and "left" not in images[1].alt.split(":")[0]


def test_the_figures_can_be_stopped(store):
    at = _open_page()
    moving = {image.proto.imgs[0].url for image in at.get("image")}
    at.toggle(key="animate_figures").set_value(False).run()
    still = {image.proto.imgs[0].url for image in at.get("image")}
    assert len(still) == 9 and not still & moving


# -- follow along ------------------------------------------------------------------------------------------------


def _start_routine(at: AppTest) -> AppTest:
    at.button(key="follow_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _step_heading(at: AppTest) -> tuple[str, str]:
    """The current step's stretch name and its 'Step n of 9: side' line."""
    return at.subheader[0].value, at.get("progress")[0].proto.text


def _move(at: AppTest, *moves: str) -> AppTest:
    for move in moves:
        at.button(key=f"follow_{move}").click().run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def test_start_routine_shows_the_first_stretch_and_side_alone_with_its_figure(store):
    at = _start_routine(_open_page())
    assert _step_heading(at) == ("Half\\-kneeling quad mobilisation", "Step 1 of 9: Left side")
    assert "Hold 30 s, 2 times" in [m.value.strip("*") for m in at.markdown]
    images = [image.proto.imgs[0] for image in at.get("image")]
    assert len(images) == 1 and images[0].alt == alt_text("half_kneel_quad", "left")
    assert not at.checkbox, "the checklist and the five cards wait until the routine is over"
    assert at.button(key="follow_go").label == "Start the hold"


def test_the_hold_and_its_repetitions_come_from_the_settings(store):
    store.save_settings(Settings(hold_seconds=45, reps_per_side=1))
    at = _start_routine(_open_page())
    assert "Hold 45 s" in [m.value.strip("*") for m in at.markdown]


def test_a_started_hold_counts_down_from_when_it_started(store):
    at = _start_routine(_open_page())
    run = at.session_state["follow_run"]
    at.session_state["follow_run"] = run.start(now=time.time() - 42)  # 12 s into the second 30 s hold
    at.run()
    hold = at.get("metric")[0]
    assert hold.label == "Hold 2 of 2"
    assert hold.value in {"18 s", "17 s"}, "18 s left, 17 if this run took over a second"


def test_a_hold_whose_time_is_up_says_so(store):
    at = _start_routine(_open_page())
    at.session_state["follow_run"] = at.session_state["follow_run"].start(now=time.time() - 61)
    at.run()
    assert at.get("metric")[0].value == "0 s"
    assert "Time's up" in at.success[0].value


def test_the_button_starts_the_countdown(store):
    at = _move(_start_routine(_open_page()), "go")
    hold = at.get("metric")[0]
    assert hold.label == "Hold 1 of 2" and hold.value in {"30 s", "29 s"}
    assert at.session_state["follow_run"].started_at is not None


def test_the_ankle_drill_counts_repetitions_instead_of_a_timer(store):
    at = _move(_start_routine(_open_page()), "next", "next", "next", "next", "next", "next")
    assert _step_heading(at) == ("Ankle mobilisation", "Step 7 of 9: Left side")
    assert "10 slow repetitions" in [m.value.strip("*") for m in at.markdown]
    assert "follow_go" not in [b.key for b in at.button], "no countdown to start"
    _move(at, "count", "count", "count")
    counter = at.get("metric")[0]
    assert (counter.label, counter.value) == ("Repetitions", "3 of 10")


def test_a_routine_followed_with_skips_saves_exactly_what_was_done(store):
    at = _start_routine(_open_page())
    # quad L done, quad R skipped, lunge L/R done, 90/90 L skipped, 90/90 R done, ankle L/R done, fold done
    _move(at, "next", "skip", "next", "next", "skip", "next", "next", "next")
    assert _step_heading(at) == ("Wide\\-legged forward fold", "Step 9 of 9: Both legs at once")
    _move(at, "next")
    assert at.subheader[0].value == "Routine finished"
    summary = at.markdown[0].value
    assert summary.count(":material/check:") == 7 and summary.count("Skipped:") == 2
    assert "Skipped: Half\\-kneeling quad mobilisation, right side" in summary
    at.text_input(key="follow_notes").input("calf tight")
    at.button(key="follow_save").click().run()

    assert not at.exception
    assert at.success[0].value == "Saved today's stretch routine: 7 of 9 done."
    expected = set(routine_items(load_library())) - {("half_kneel_quad", "right"), ("ninety_ninety_reach", "left")}
    assert _items(store) == expected
    sessions = store.frame("stretch")
    assert len(sessions) == 1 and sessions["notes"].iloc[0] == "calf tight"
    assert sessions["date"].iloc[0].date() == dt.date.today()
    assert {c.key for c in at.checkbox if c.value} == {f"routine_{i}_{side}" for i, side in expected}


def test_following_again_the_same_day_edits_that_days_routine(store):
    store.add(session_from_checked(load_library(), [("low_lunge_reach", "left")], dt.date.today()))
    first_id = int(store.frame("stretch")["id"].iloc[0])
    at = _start_routine(_open_page())
    _move(at, "next", "end")
    assert "Today already has a routine saved" in at.caption[0].value
    at.button(key="follow_save").click().run()
    assert at.success[0].value == "Updated today's stretch routine: 1 of 9 done."
    assert store.frame("stretch")["id"].tolist() == [first_id]
    assert _items(store) == {("half_kneel_quad", "left")}


def test_ending_with_nothing_done_offers_nothing_to_save(store):
    at = _move(_start_routine(_open_page()), "skip", "end")
    assert "Skipped:" in at.markdown[0].value and ":material/check:" not in at.markdown[0].value
    assert "nothing to save" in at.info[0].value
    assert "follow_save" not in [b.key for b in at.button]
    _move(at, "discard")
    assert at.button(key="follow_start") and store.counts()["stretch"] == 0
    assert at.session_state["follow_run"] is None
