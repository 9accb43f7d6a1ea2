"""The Gym programme page and the gym form through AppTest: a programme built from the starter list and edited, a gym
session logged from it (pre-filled, changed, saved, shown again on edit), bad input refused in words."""

from __future__ import annotations

import datetime as dt

import pytest

from kneelog.models import Exercise, ExerciseLog, GymSession, Settings
from kneelog.store import Store
from tests.test_pages import _open, _tap_row

TODAY = dt.date.today()


def _key(prefix: str, row: int, field: str, n: int = 0) -> str:
    return f"{prefix}-gym{n}-{row}-{field}"


@pytest.fixture
def programme(db_url) -> tuple[int, int]:
    store = Store(db_url)
    squat = store.add_exercise(Exercise(name="Split squat", sets=3, reps=8, load_kg=20.0, per_side=True))
    plank = store.add_exercise(Exercise(name="Side plank", sets=3, seconds=30, per_side=True, category="hip"))
    store.dispose()
    return squat, plank


def test_the_programme_is_built_from_the_starter_list_and_its_own_exercises_and_reordered(app, db_url):
    _open(app, "pages/programme.py")
    assert "not a prescription" in app.info[0].value
    assert any("J Orthop Sports Phys Ther\\. 2019;49\\(9\\)" in c.value for c in app.caption)  # escaped Markdown
    app.selectbox(key="programme_starter").set_value("forward_step_down").run()
    app.button(key="programme_add_starter").click().run()
    app.text_input(key="programme_new_name").set_value("Calf raise")
    app.number_input(key="programme_new_sets").set_value(4)
    app.number_input(key="programme_new_amount").set_value(15)
    app.number_input(key="programme_new_load").set_value(12.5)
    app.button(key="FormSubmitter:programme_new-Add to my programme").click().run()
    assert not app.exception
    store = Store(db_url)
    step_down, calf = store.exercises()
    assert (step_down.name, step_down.category, step_down.sets, step_down.reps, step_down.per_side) == (
        "Forward step-down",
        "hip_and_knee",
        3,
        10,
        True,
    )
    assert (calf.name, calf.sets, calf.reps, calf.load_kg) == ("Calf raise", 4, 15, 12.5)

    app.button(key=f"programme_{calf.id}_up").click().run()
    assert [e.name for e in store.exercises()] == ["Calf raise", "Forward step-down"]
    app.button(key=f"programme_{step_down.id}_remove").click().run()
    assert [e.name for e in store.exercises(archived=True)] == ["Calf raise"]  # never logged: deleted outright


@pytest.mark.parametrize(
    ("sets", "load", "message"),
    [(0, 20.0, "**sets**: must be at least 1"), (3, 501.0, "**load**: is more than 500 kg")],
    ids=["zero sets", "501 kg"],
)
def test_a_bad_change_to_an_exercise_is_refused_in_words_and_changes_nothing(
    app, db_url, programme, sets, load, message
):
    squat, _ = programme
    _open(app, "pages/programme.py")
    app.number_input(key=f"programme_{squat}_sets").set_value(sets)
    app.number_input(key=f"programme_{squat}_load").set_value(load)
    app.button(key=f"FormSubmitter:programme_{squat}_form-Save changes").click().run()
    assert not app.exception
    assert any(message in e.value for e in app.error)
    assert Store(db_url).exercises()[0].sets == 3 and Store(db_url).exercises()[0].load_kg == 20.0


def test_a_gym_session_is_logged_from_the_programme_and_shown_again_on_edit(app, db_url, programme):
    squat, plank = programme
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("gym").run()
    prefix = "new_gym"
    # pre-filled from the programme, nothing ticked yet
    assert app.checkbox(key=_key(prefix, 0, "done")).value is False
    assert [app.number_input(key=_key(prefix, 0, f)).value for f in ("sets", "reps", "load")] == [3, 8, 20.0]
    assert app.number_input(key=_key(prefix, 1, "seconds")).value == 30
    # the runner did the split squats heavier, with some pain, and skipped the plank
    app.text_input(key="new_gym_duration").set_value("45")
    app.checkbox(key=_key(prefix, 0, "done")).check()
    app.number_input(key=_key(prefix, 0, "sets")).set_value(4)
    app.number_input(key=_key(prefix, 0, "load")).set_value(22.5)
    app.number_input(key=_key(prefix, 0, "pain")).set_value(2)
    app.button(key="save_new_gym").click().run()
    assert not app.exception

    store = Store(db_url)
    (session,) = store.frame("gym")["id"].tolist()
    logged = store.get("gym", session).exercises
    assert logged == (
        ExerciseLog(exercise_id=squat, name="Split squat", sets=4, reps=8, load_kg=22.5, per_side=True, pain_during=2),
        ExerciseLog(exercise_id=plank, name="Side plank", sets=3, seconds=30, per_side=True, done=False),
    )
    assert app.checkbox(key=_key(prefix, 0, "done", n=1)).value is False  # the next session starts afresh

    app.switch_page("pages/history.py").run()
    app.segmented_control(key="hist_kind").set_value("gym").run()
    _tap_row(app, "gym", 0)
    edit = f"edit_gym_{session}"
    assert app.checkbox(key=_key(edit, 0, "done")).value is True
    assert [app.number_input(key=_key(edit, 0, f)).value for f in ("sets", "load", "pain")] == [4, 22.5, 2]
    assert app.checkbox(key=_key(edit, 1, "done")).value is False
    app.number_input(key=_key(edit, 0, "reps")).set_value(10)
    app.button(key=f"save_{edit}").click().run()
    assert store.get("gym", session).exercises[0].reps == 10


def test_a_gym_session_with_zero_sets_is_refused_naming_the_exercise_and_nothing_is_stored(app, db_url, programme):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("gym").run()
    app.text_input(key="new_gym_duration").set_value("45")
    app.checkbox(key=_key("new_gym", 0, "done")).check()
    app.number_input(key=_key("new_gym", 0, "sets")).set_value(0)
    app.button(key="save_new_gym").click().run()
    assert not app.exception
    assert any("Split squat\\: sets must be at least 1" in m.value for m in app.markdown)  # under the exercises
    assert Store(db_url).counts()["gym"] == 0


def test_loads_are_shown_and_typed_in_pounds_for_a_runner_in_miles(app, db_url, programme):
    store = Store(db_url)
    store.save_settings(Settings(unit="mi"))
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("gym").run()
    assert app.number_input(key=_key("new_gym", 0, "load")).value == 44.1  # 20 kg / 0.45359237 kg per lb
    app.text_input(key="new_gym_duration").set_value("45")
    app.checkbox(key=_key("new_gym", 0, "done")).check()
    app.number_input(key=_key("new_gym", 0, "load")).set_value(50.0)
    app.button(key="save_new_gym").click().run()
    logged = store.get("gym", int(store.frame("gym")["id"].iloc[0])).exercises[0]
    assert logged.load_kg == pytest.approx(50 * 0.45359237)


def test_an_old_gym_session_without_exercises_edits_as_before(app, db_url, programme):
    store = Store(db_url)
    session = store.add(GymSession(date=TODAY, duration_s=2400, rpe=5, notes="Step-downs 3x10"))
    _open(app, "pages/history.py")
    app.segmented_control(key="hist_kind").set_value("gym").run()
    _tap_row(app, "gym", 0)
    edit = f"edit_gym_{session}"
    assert app.checkbox(key=_key(edit, 0, "done")).value is False  # offered, not ticked
    app.number_input(key=f"{edit}_rpe").set_value(6)
    app.button(key=f"save_{edit}").click().run()
    stored = store.get("gym", session)
    assert (stored.rpe, stored.notes, stored.exercises) == (6, "Step-downs 3x10", ())


def test_an_exercise_name_written_as_markdown_is_shown_as_the_text_it_is(app, db_url):
    store = Store(db_url)
    hostile = "**Squat** [click](http://x.example) :red[pain]"
    exercise = store.add_exercise(Exercise(name=hostile, sets=3, reps=8))
    _open(app, "pages/programme.py")
    card = next(m.value for m in app.markdown if "Squat" in m.value)
    assert "\\*\\*Squat\\*\\*" in card and "\\[click\\]" in card and "**Squat**" not in card
    app.button(key=f"programme_{exercise}_remove").click().run()
    assert "\\*\\*Squat\\*\\*" in app.success[0].value
