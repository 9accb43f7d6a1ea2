"""The app through AppTest: every page opens, every kind of entry is logged, edited and deleted through the forms,
and bad input shows an error and stores nothing."""

import ast
import datetime as dt

import pandas as pd
import pytest

from kneelog.demo import load_demo
from kneelog.importers import duplicates
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


def test_log_a_knee_checkin_with_the_pain_sliders(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("checkin").run()
    assert [app.select_slider(key=f"new_checkin_{m}").value for m in KneeCheckin.MOMENTS] == [0, 0, 0, "—"]
    app.radio(key="new_checkin_knee").set_value("left")
    app.select_slider(key="new_checkin_stairs").set_value(4)
    app.select_slider(key="new_checkin_squat").set_value(6)
    app.select_slider(key="new_checkin_sitting").set_value("—")  # left out: it did not come up today
    app.select_slider(key="new_checkin_morning_after").set_value(2)
    app.button(key="save_new_checkin").click().run()
    assert not app.exception
    stored = Store(db_url).get("checkin", 1)
    assert (stored.knee, stored.stairs, stored.squat, stored.sitting, stored.morning_after) == ("left", 4, 6, None, 2)
    # a fresh form for the next check-in: no pain in the everyday moments, the morning after not known yet
    assert [app.select_slider(key=f"new_checkin_{m}").value for m in KneeCheckin.MOMENTS] == [0, 0, 0, "—"]
    assert app.radio(key="new_checkin_knee").value == "both"


def test_an_untouched_checkin_saves_no_pain_and_leaves_the_morning_after_empty(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("checkin").run()
    app.button(key="save_new_checkin").click().run()
    stored = Store(db_url).get("checkin", 1)
    assert (stored.stairs, stored.squat, stored.sitting, stored.morning_after) == (0, 0, 0, None)


def test_a_checkin_without_any_score_is_refused(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("checkin").run()
    for moment in KneeCheckin.MOMENTS:
        app.select_slider(key=f"new_checkin_{moment}").set_value("—")
    app.button(key="save_new_checkin").click().run()
    assert any("at least one moment" in m.value for m in app.markdown)
    assert Store(db_url).counts()["checkin"] == 0


def test_a_second_checkin_for_the_same_day_and_knee_is_refused_with_advice(app, db_url):
    Store(db_url).add(KneeCheckin(date=TODAY, knee="both", stairs=1))
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("checkin").run()
    app.select_slider(key="new_checkin_stairs").set_value(4)
    app.button(key="save_new_checkin").click().run()
    assert any("edit that one in History" in m.value for m in app.markdown)
    assert Store(db_url).frame("checkin")["stairs"].tolist() == [1]


def test_editing_a_checkin_in_history_keeps_a_missing_score_missing(app, db_url):
    checkin_id = Store(db_url).add(KneeCheckin(date=TODAY, knee="right", squat=3))
    _open(app, "pages/history.py")
    app.segmented_control(key="hist_kind").set_value("checkin").run()
    _tap_row(app, "checkin", 0)
    prefix = f"edit_checkin_{checkin_id}"
    assert [app.select_slider(key=f"{prefix}_{m}").value for m in KneeCheckin.MOMENTS] == ["—", 3, "—", "—"]
    app.select_slider(key=f"{prefix}_morning_after").set_value(5)
    app.button(key=f"save_{prefix}").click().run()
    stored = Store(db_url).get("checkin", checkin_id)
    assert (stored.stairs, stored.squat, stored.sitting, stored.morning_after) == (None, 3, None, 5)


def test_log_a_gym_session(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("gym").run()
    app.text_input(key="new_gym_duration").set_value("50")
    app.number_input(key="new_gym_rpe").set_value(7)
    app.text_area(key="new_gym_notes").set_value("Step-downs 3x10")
    app.button(key="save_new_gym").click().run()
    gym = Store(db_url).frame("gym")
    assert gym[["duration_s", "rpe", "notes"]].values.tolist() == [[3000.0, 7.0, "Step-downs 3x10"]]


def _stretch_pairs(store: Store) -> set[tuple[str, str]]:
    items = store.frame("stretch_item")
    return set(zip(items["stretch_id"], items["side"], strict=True))


def _log_routine(app):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("stretch").run()
    return app


def test_log_a_stretch_routine(app, db_url):
    _log_routine(app)
    app.checkbox(key="log_routine_half_kneel_quad_left").check()
    app.checkbox(key="log_routine_half_kneel_quad_right").check()
    app.checkbox(key="log_routine_wide_leg_forward_fold_both").check()
    app.text_input(key="log_routine_notes").input("tight quads")
    app.button(key="log_routine_save").click().run()
    assert not app.exception
    store = Store(db_url)
    assert _stretch_pairs(store) == {
        ("half_kneel_quad", "left"),
        ("half_kneel_quad", "right"),
        ("wide_leg_forward_fold", "both"),
    }
    assert store.frame("stretch")["notes"].tolist() == ["tight quads"]
    assert "Saved the stretch routine" in app.success[0].value


def test_a_routine_saved_twice_on_the_log_page_is_one_session_with_the_second_ticks(app, db_url):
    _log_routine(app)
    app.checkbox(key="log_routine_half_kneel_quad_left").check()
    app.checkbox(key="log_routine_low_lunge_reach_left").check()
    app.button(key="log_routine_save").click().run()
    app.checkbox(key="log_routine_low_lunge_reach_left").uncheck()
    app.checkbox(key="log_routine_ankle_mobilization_right").check()
    app.button(key="log_routine_save").click().run()
    assert not app.exception
    store = Store(db_url)
    assert store.counts()["stretch"] == 1
    assert _stretch_pairs(store) == {("half_kneel_quad", "left"), ("ankle_mobilization", "right")}
    assert "Updated the stretch routine" in app.success[0].value


def test_the_log_pages_routine_shows_what_is_saved_for_the_chosen_date(app, db_url):
    from kneelog.stretches import load_library, session_from_checked

    yesterday = TODAY - dt.timedelta(days=1)
    Store(db_url).add(session_from_checked(load_library(), [("low_lunge_reach", "right")], yesterday, notes="stiff"))
    _log_routine(app)
    assert not [c.key for c in app.checkbox if c.value]  # nothing saved today
    assert app.button(key="log_routine_save").label == "Save the routine"
    app.date_input(key="log_routine_date").set_value(yesterday).run()
    assert [c.key for c in app.checkbox if c.value] == ["log_routine_low_lunge_reach_right"]
    assert app.text_input(key="log_routine_notes").value == "stiff"
    assert app.button(key="log_routine_save").label == "Update this day's routine"


def test_a_stretch_routine_with_nothing_ticked_is_refused(app, db_url):
    _log_routine(app)
    app.button(key="log_routine_save").click().run()
    assert "tick at least one stretch and side" in app.error[0].value
    assert Store(db_url).counts()["stretch"] == 0


def test_edit_a_stretch_session_in_history_with_its_ticks(app, db_url):
    from kneelog.stretches import load_library, session_from_checked

    store = Store(db_url)
    ticks = [("half_kneel_quad", "left"), ("ankle_mobilization", "left")]
    session_id = store.add(session_from_checked(load_library(), ticks, TODAY))
    _open(app, "pages/history.py")
    app.segmented_control(key="hist_kind").set_value("stretch").run()
    _tap_row(app, "stretch", 0)
    prefix = f"edit_stretch_{session_id}"
    assert [c.key for c in app.checkbox if c.value] == [
        f"{prefix}_half_kneel_quad_left",
        f"{prefix}_ankle_mobilization_left",
    ]
    app.checkbox(key=f"{prefix}_ankle_mobilization_left").uncheck()
    app.checkbox(key=f"{prefix}_ankle_mobilization_right").check()
    app.button(key=f"save_{prefix}").click().run()
    assert not app.exception
    assert _stretch_pairs(store) == {("half_kneel_quad", "left"), ("ankle_mobilization", "right")}


def test_log_a_future_race(app, db_url):
    _open(app, "pages/log.py")
    app.segmented_control(key="log_kind").set_value("race").run()
    app.date_input(key="new_race_date").set_value(TODAY + dt.timedelta(days=60))
    app.number_input(key="new_race_distance").set_value(21.1)
    app.text_input(key="new_race_name").set_value("City Half")
    app.button(key="save_new_race").click().run()
    races = Store(db_url).frame("race")
    assert races[["name", "distance_m"]].values.tolist() == [["City Half", 21100.0]]


def _tap_row(app, kind: str, row: int):
    """Select a row of History's table as a tap does. AppTest cannot click a dataframe row, so this sets the
    table's selection state, which is what Streamlit itself holds for ``st.dataframe(key=...)`` after a tap."""
    app.session_state[f"hist_table_{kind}"] = {"selection": {"rows": [row], "columns": []}}
    return app.run()


def _history_with_a_run(app, db_url) -> int:
    run_id = Store(db_url).add(Run(date=TODAY, distance_m=10000, duration_s=3000, rpe=5))
    _open(app, "pages/history.py")
    _tap_row(app, "run", 0)
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


def test_editing_an_imported_run_keeps_what_the_form_does_not_show_so_a_new_import_finds_it(app, db_url):
    imported = Run(
        date=TODAY, distance_m=10_400, duration_s=3000, source="Strava", source_id="98765", activity_type="Trail Run"
    )
    store = Store(db_url)
    run_id = store.add(imported.model_copy(update={"hr_avg": 150, "elevation_gain_m": 120.0}))
    _open(app, "pages/history.py")
    _tap_row(app, "run", 0)
    app.number_input(key=f"edit_run_{run_id}_distance").set_value(8.0)  # a GPS glitch put right by hand
    app.button(key=f"save_edit_run_{run_id}").click().run()
    assert not app.exception
    stored = store.get("run", run_id)
    assert stored.distance_m == 8000.0
    assert (stored.source, stored.source_id, stored.activity_type) == ("Strava", "98765", "Trail Run")
    assert (stored.hr_avg, stored.elevation_gain_m) == (150, 120.0)
    # the same file imported again: its run (10.4 km, 30% off the edited 8 km) is found by its id, not added again
    again = pd.DataFrame(
        {"kind": ["run"], "source": ["Strava"], "source_id": ["98765"], "date": [pd.Timestamp(TODAY)],
         "start": [pd.NaT], "distance_m": [10_400.0], "duration_s": [3000.0]}
    )  # fmt: skip
    found = duplicates.match(again, store.existing_activities())
    assert (found.loc[0, "status"], found.loc[0, "match_id"]) == ("already", run_id)


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
    app.button(key="first_save").click().run()  # a first visit answers unit and time zone first
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


# History (issue 11): rows are picked by tapping them, gaps read "—", store errors and stale messages, old data.


def test_tapping_a_row_opens_that_entry_and_it_stays_open_after_an_edit_moves_it(app, db_url):
    store = Store(db_url)
    older = store.add(Run(date=TODAY - dt.timedelta(days=3), distance_m=5000, duration_s=1500))
    newer = store.add(Run(date=TODAY - dt.timedelta(days=1), distance_m=8000, duration_s=2400))
    _open(app, "pages/history.py")
    assert "**Tap the box at the start of a row to edit or delete it.**" in [m.value for m in app.markdown]
    assert not [n for n in app.number_input if n.key.startswith("edit_run_")]  # nothing open before a tap
    _tap_row(app, "run", 1)  # newest first: row 1 is the older run
    assert app.number_input(key=f"edit_run_{older}_distance").value == 5.0
    app.date_input(key=f"edit_run_{older}_date").set_value(TODAY)  # now the newest: it moves to row 0
    app.button(key=f"save_edit_run_{older}").click().run()
    assert not app.exception
    assert app.session_state["hist_table_run"]["selection"]["rows"] == [0]
    assert app.number_input(key=f"edit_run_{older}_distance").value == 5.0
    assert not [n for n in app.number_input if n.key == f"edit_run_{newer}_distance"]


def test_history_tables_show_no_none_or_nan_for_missing_scores(app, db_url):
    store = Store(db_url)
    store.add(Run(date=TODAY, distance_m=5000, duration_s=1500))  # no effort, no pain, no notes
    store.add(KneeCheckin(date=TODAY, knee="left", stairs=2))  # no morning-after
    _open(app, "pages/history.py")
    runs = app.dataframe[0].value
    assert runs[["Effort", "Pain during", "Notes"]].values.tolist() == [["—", "—", ""]]
    app.segmented_control(key="hist_kind").set_value("checkin").run()
    checkins = app.dataframe[0].value
    assert checkins["Morning"].tolist() == ["—"]
    for table in (runs, checkins):
        text = {str(v) for v in table.to_numpy().ravel()}
        assert not text & {"None", "nan", "NaN", "<NA>", "NaT"}, text


@pytest.mark.parametrize("kind", ["run", "gym"])
def test_saving_an_entry_deleted_in_another_tab_says_so(app, db_url, kind):
    from kneelog.models import GymSession

    store = Store(db_url)
    entry = (
        Run(date=TODAY, distance_m=5000, duration_s=1500) if kind == "run" else GymSession(date=TODAY, duration_s=1800)
    )
    entry_id = store.add(entry)
    store.add(entry.model_copy(update={"date": TODAY - dt.timedelta(days=1)}))  # the table is not left empty
    _open(app, "pages/history.py")
    app.segmented_control(key="hist_kind").set_value(kind).run()
    _tap_row(app, kind, 0)
    store.delete(kind, entry_id)  # the other tab
    app.button(key=f"save_edit_{kind}_{entry_id}").click().run()
    assert not app.exception
    page_text = " ".join(e.value for e in [*app.markdown, *app.warning, *app.error])
    assert "has been deleted" in page_text
    assert store.counts()[kind] == 1


def test_a_refused_save_clears_the_last_saved_message(app, db_url):
    _open(app, "pages/log.py")
    app.date_input(key="new_run_date").set_value(TODAY)
    app.number_input(key="new_run_distance").set_value(5.0)
    app.text_input(key="new_run_duration").set_value("25:00")
    app.button(key="save_new_run").click().run()
    assert any("Saved the run" in s.value for s in app.success)
    app.number_input(key="new_run_distance").set_value(5.0)
    app.text_input(key="new_run_duration").set_value("0")  # refused
    app.button(key="save_new_run").click().run()
    assert not app.success
    assert "was not saved" in app.error[0].value
    assert Store(db_url).counts()["run"] == 1


def test_an_old_export_opens_on_its_own_weeks(app, db_url):
    last = TODAY - dt.timedelta(days=200)
    Store(db_url).add_many(
        Run(date=last - dt.timedelta(days=7 * i), distance_m=6000, duration_s=1800) for i in range(20)
    )
    _open(app, "pages/dashboard.py")
    assert "Distance  \n**6.0 km**" in [m.value for m in app.markdown]  # the last run's week, not today's empty one
    sentence = f"Your latest entry is from {last:%d %b %Y}, 6 months ago."  # 200 days / 30.44 = 6.6
    assert any(c.value.endswith(sentence) for c in app.caption)  # after the weeks shown
    app.switch_page("pages/history.py").run()
    assert len(app.dataframe[0].value) == 20  # 19 weeks back from the last run: all inside its 182 days
    assert sentence in [c.value for c in app.caption]
