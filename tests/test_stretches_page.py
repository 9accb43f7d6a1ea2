"""The Stretches page, driven through app.py with AppTest against a real SQLite file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kneelog.models import Settings
from kneelog.store import Store
from kneelog.stretches import load_library, routine_items

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
    assert "kneelog's suggestion — change it in Settings" in info


def test_routine_offers_every_stretch_on_each_side(store):
    at = _open_page()
    expected = [f"routine_{stretch_id}_{side}" for stretch_id, side in routine_items(load_library())]
    assert [c.key for c in at.checkbox] == expected
    assert len(expected) == 10
    assert at.date_input(key="routine_date").value == dt.date.today()


def test_ticked_stretches_are_saved_as_one_session(store):
    ticked = {("half_kneel_quad", "left"), ("ankle_mobilization", "right"), ("wide_leg_forward_fold", "left")}
    day = dt.date.today() - dt.timedelta(days=1)
    at = _open_page()
    for stretch_id, side in ticked:
        at.checkbox(key=f"routine_{stretch_id}_{side}").check()
    at.date_input(key="routine_date").set_value(day)
    at.text_input(key="routine_notes").input("left calf tight")
    at.button(key="routine_save").click().run()

    assert not at.exception
    assert "3 of 10 stretch sides (Half-kneeling quad mobilization, Ankle mobilization, Wide-legged forward fold)" in (
        at.success[0].value
    )
    sessions = store.frame("stretch")
    assert len(sessions) == 1
    assert sessions["date"].iloc[0].date() == day and sessions["notes"].iloc[0] == "left calf tight"
    assert _items(store) == ticked
    assert not any(c.value for c in at.checkbox), "the checklist is cleared after a save"
    assert "Already saved for this date: 3 of 10" in _page_text(at)


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
