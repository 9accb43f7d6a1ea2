"""The app through AppTest: every page opens, every kind of entry is logged, edited and deleted through the forms,
and bad input shows an error and stores nothing."""

import ast
import datetime as dt

import pytest

from kneelog.demo import load_demo
from kneelog.models import KneeCheckin, Run
from kneelog.store import Store
from tests.conftest import REPO

TODAY = dt.date.today()


def _pages() -> list[str]:
    tree = ast.parse((REPO / "app.py").read_text())
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
    ]


def _open(app, page: str):
    app.run()
    if page != "pages/home.py":
        app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


@pytest.mark.parametrize("page", _pages())
def test_every_page_opens_on_an_empty_database(app, page):
    _open(app, page)


@pytest.mark.parametrize("page", _pages())
def test_every_page_opens_on_the_demo_athlete(app, db_url, page):
    load_demo(Store(db_url))
    _open(app, page)


def test_log_a_run_through_the_form(app, db_url):
    _open(app, "pages/log.py")
    app.date_input(key="new_run_date").set_value(TODAY)
    app.number_input(key="new_run_distance").set_value(8.5)
    app.text_input(key="new_run_duration").set_value("47:30")
    app.number_input(key="new_run_rpe").set_value(6)
    app.number_input(key="new_run_pain_during").set_value(3)
    app.text_area(key="new_run_notes").set_value("Hilly")
    app.button(key="save_new_run").click().run()
    assert not app.exception
    runs = Store(db_url).frame("run")
    assert runs[["distance_m", "duration_s", "rpe", "pain_during"]].values.tolist() == [[8500.0, 2850.0, 6.0, 3.0]]
    assert runs.loc[0, "notes"] == "Hilly"
    assert "Saved the run" in app.success[0].value
    assert app.number_input(key="new_run_distance").value is None  # a fresh form for the next run


def test_log_a_run_in_miles_is_stored_in_metres(app, db_url):
    store = Store(db_url)
    store.save_settings(store.settings().model_copy(update={"unit": "mi"}))
    _open(app, "pages/log.py")
    app.number_input(key="new_run_distance").set_value(5.0)
    app.text_input(key="new_run_duration").set_value("40:00")
    app.button(key="save_new_run").click().run()
    assert Store(db_url).frame("run")["distance_m"].tolist() == [pytest.approx(8046.72)]


@pytest.mark.parametrize(
    ("distance", "duration", "day", "field_message"),
    [
        (10.0, "50:00", TODAY + dt.timedelta(days=40), "in the future"),
        (10.0, "0", TODAY, "longer than zero"),
        (500.0, "50:00:00", TODAY, "longer than any single run"),
        (10.0, "fifty", TODAY, "not a time"),
        (10.0, "3:00", TODAY, "faster than any world record"),
    ],
)
def test_an_invalid_run_shows_the_reason_and_stores_nothing(app, db_url, distance, duration, day, field_message):
    _open(app, "pages/log.py")
    app.date_input(key="new_run_date").set_value(day)
    app.number_input(key="new_run_distance").set_value(distance)
    app.text_input(key="new_run_duration").set_value(duration)
    app.button(key="save_new_run").click().run()
    assert not app.exception
    assert "was not saved" in app.error[0].value
    assert any(field_message in m.value for m in app.markdown)
    assert Store(db_url).counts()["run"] == 0
    assert app.number_input(key="new_run_distance").value == distance  # the runner's input is kept


def test_log_a_knee_checkin(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("checkin").run()
    app.radio(key="new_checkin_knee").set_value("left")
    app.number_input(key="new_checkin_stairs").set_value(4)
    app.number_input(key="new_checkin_squat").set_value(6)
    app.number_input(key="new_checkin_morning_after").set_value(2)
    app.button(key="save_new_checkin").click().run()
    stored = Store(db_url).get("checkin", 1)
    assert (stored.knee, stored.stairs, stored.squat, stored.sitting, stored.morning_after) == ("left", 4, 6, None, 2)


def test_a_checkin_without_any_score_is_refused(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("checkin").run()
    app.button(key="save_new_checkin").click().run()
    assert any("at least one moment" in m.value for m in app.markdown)
    assert Store(db_url).counts()["checkin"] == 0


def test_a_second_checkin_for_the_same_day_and_knee_is_refused_with_advice(app, db_url):
    Store(db_url).add(KneeCheckin(date=TODAY, knee="both", stairs=1))
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("checkin").run()
    app.number_input(key="new_checkin_stairs").set_value(4)
    app.button(key="save_new_checkin").click().run()
    assert any("edit that one in History" in m.value for m in app.markdown)
    assert Store(db_url).frame("checkin")["stairs"].tolist() == [1]


def test_log_a_gym_session(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("gym").run()
    app.text_input(key="new_gym_duration").set_value("50")
    app.number_input(key="new_gym_rpe").set_value(7)
    app.text_area(key="new_gym_notes").set_value("Step-downs 3x10")
    app.button(key="save_new_gym").click().run()
    gym = Store(db_url).frame("gym")
    assert gym[["duration_s", "rpe", "notes"]].values.tolist() == [[3000.0, 7.0, "Step-downs 3x10"]]


def test_log_a_stretch_session(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("stretch").run()
    picker = app.multiselect(key="new_stretch_items")
    picker.set_value(picker.options[:3])
    app.button(key="save_new_stretch").click().run()
    items = Store(db_url).frame("stretch_item")
    assert len(items) == 3 and set(items["side"]) <= {"left", "right"}


def test_a_stretch_session_with_nothing_ticked_is_refused(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("stretch").run()
    app.button(key="save_new_stretch").click().run()
    assert any("cannot be empty" in m.value for m in app.markdown)
    assert Store(db_url).counts()["stretch"] == 0


def test_log_a_future_race(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("race").run()
    app.date_input(key="new_race_date").set_value(TODAY + dt.timedelta(days=60))
    app.number_input(key="new_race_distance").set_value(21.1)
    app.text_input(key="new_race_name").set_value("City Half")
    app.button(key="save_new_race").click().run()
    races = Store(db_url).frame("race")
    assert races[["name", "distance_m"]].values.tolist() == [["City Half", 21100.0]]


def _history_with_a_run(app, db_url) -> int:
    run_id = Store(db_url).add(Run(date=TODAY, distance_m=10000, duration_s=3000, rpe=5))
    _open(app, "pages/history.py")
    return run_id


def test_edit_a_run_in_history(app, db_url):
    run_id = _history_with_a_run(app, db_url)
    app.number_input(key=f"edit_run_{run_id}_distance").set_value(12.0)
    app.number_input(key=f"edit_run_{run_id}_pain_during").set_value(2)
    app.button(key=f"save_edit_run_{run_id}").click().run()
    assert not app.exception
    stored = Store(db_url).get("run", run_id)
    assert (stored.distance_m, stored.pain_during, stored.rpe) == (12000.0, 2, 5)
    assert "Updated the run" in app.success[0].value


def test_an_invalid_edit_keeps_the_stored_run(app, db_url):
    run_id = _history_with_a_run(app, db_url)
    app.text_input(key=f"edit_run_{run_id}_duration").set_value("0")
    app.button(key=f"save_edit_run_{run_id}").click().run()
    assert "was not saved" in app.error[0].value
    assert Store(db_url).get("run", run_id).duration_s == 3000


def test_delete_asks_for_confirmation_and_cancel_keeps_the_entry(app, db_url):
    run_id = _history_with_a_run(app, db_url)
    app.button(key=f"delete_run_{run_id}").click().run()
    assert "cannot be undone" in app.warning[0].value
    assert Store(db_url).counts()["run"] == 1
    app.button(key=f"delete_no_run_{run_id}").click().run()
    assert Store(db_url).counts()["run"] == 1
    app.button(key=f"delete_run_{run_id}").click().run()
    app.button(key=f"delete_yes_run_{run_id}").click().run()
    assert not app.exception
    assert Store(db_url).counts()["run"] == 0
    assert any("Deleted" in s.value for s in app.success)


def test_switching_to_miles_changes_the_history_table(app, db_url):
    _history_with_a_run(app, db_url)
    assert "Distance (km)" in app.dataframe[0].value.columns
    app.switch_page("pages/settings.py").run()
    app.radio(key="set_unit").set_value("mi")
    app.button(key="settings_save").click().run()
    app.switch_page("pages/history.py").run()
    table = app.dataframe[0].value
    assert table["Distance (mi)"].tolist() == [6.21]


def test_the_demo_button_fills_an_empty_database(app, db_url):
    _open(app, "pages/home.py")
    app.button(key="load_demo").click().run()
    assert not app.exception
    counts = Store(db_url).counts()
    assert counts["run"] > 80 and counts["checkin"] > 150
    assert "This week" in " ".join(s.value for s in app.subheader)


def test_the_demo_button_is_not_offered_when_the_runner_has_data(app, db_url):
    Store(db_url).add(Run(date=TODAY, distance_m=5000, duration_s=1500))
    _open(app, "pages/home.py")
    assert not [b for b in app.button if b.key == "load_demo"]


def test_pages_read_the_database_again_only_after_a_write(app, db_url, monkeypatch):
    store = Store(db_url)
    store.add(Run(date=TODAY, distance_m=10000, duration_s=3000))
    reads = []
    original = Store.frame
    monkeypatch.setattr(Store, "frame", lambda self, kind: reads.append(kind) or original(self, kind))
    _open(app, "pages/history.py")
    assert "run" in reads
    reads.clear()
    app.run()
    assert reads == []  # an unchanged database is not read again on a rerun
    store.add(Run(date=TODAY, distance_m=5000, duration_s=1500))
    app.run()
    assert "run" in reads
    assert len(app.dataframe[0].value) == 2
