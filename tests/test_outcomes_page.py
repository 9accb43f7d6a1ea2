"""Outcome scores through AppTest: the forms on "Log a session" save, refuse and edit; the dashboard's Outcomes
section draws a chart per scale with its MIC band."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kneelog import clock, demo
from kneelog.models import QuestionnaireScore, WeeklyPain
from kneelog.store import Store
from kneelog.views.markdown import escape

LOG, DASHBOARD = "pages/log.py", "pages/dashboard.py"


def _open(app, page: str):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _outcomes(app, kind: str):
    """The Log page's outcome scores, showing the form of ``kind``."""
    _open(app, LOG)
    app.segmented_control(key="log_kind").set_value("outcome").run()
    app.segmented_control(key="outcome_kind").set_value(kind).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _today(db_url: str) -> dt.date:
    return clock.local_today(Store(db_url).settings().timezone)


def test_a_weekly_pain_rating_is_saved_and_the_form_emptied(app, db_url):
    _outcomes(app, "weekly_pain")
    app.number_input(key="new_weekly_pain_usual").set_value(3)
    app.number_input(key="new_weekly_pain_worst").set_value(6)
    app.text_area(key="new_weekly_pain_note").set_value("**stairs** <b>bad</b>")
    app.button(key="save_new_weekly_pain").click().run()
    assert not app.exception
    stored = Store(db_url).get("weekly_pain", 1)
    assert (stored.usual, stored.worst, stored.note, stored.date) == (3, 6, "**stairs** <b>bad</b>", _today(db_url))
    assert any("Saved the weekly pain rating" in s.value for s in app.success)
    assert app.number_input(key="new_weekly_pain_usual").value is None  # a fresh form for next week
    assert app.dataframe[0].value["Note"].tolist() == ["**stairs** <b>bad</b>"]  # shown as data, not Markdown


def test_a_questionnaire_total_outside_its_scale_is_refused_under_the_field(app, db_url):
    _outcomes(app, "questionnaire")
    assert any("does not reproduce the questions" in c.value for c in app.caption)  # the licence, said on the form
    app.number_input(key="new_questionnaire_score").set_value(104.0)
    app.button(key="save_new_questionnaire").click().run()
    assert not app.exception
    shown = " ".join(m.value for m in app.markdown)
    assert escape("104 is not a score on the Anterior Knee Pain Scale (Kujala), which runs from 0 to 100") in shown
    assert "not saved" in app.error[0].value
    assert Store(db_url).counts()["questionnaire"] == 0
    app.radio(key="new_questionnaire_scale").set_value("koos_pf")
    app.number_input(key="new_questionnaire_score").set_value(63.6)
    app.button(key="save_new_questionnaire").click().run()
    assert Store(db_url).get("questionnaire", 1).score == 63.6
    assert any("Saved the questionnaire score" in s.value for s in app.success)


def test_a_functional_test_is_saved_with_its_knee_and_quality(app, db_url):
    _outcomes(app, "function_test")
    app.radio(key="new_function_test_test").set_value("step_down")
    app.radio(key="new_function_test_side").set_value("right")
    app.number_input(key="new_function_test_pain").set_value(4)
    app.segmented_control(key="new_function_test_quality").set_value("fair")
    app.button(key="save_new_function_test").click().run()
    assert not app.exception
    stored = Store(db_url).get("function_test", 1)
    assert (stored.test, stored.side, stored.pain, stored.quality) == ("step_down", "right", 4, "fair")
    assert app.segmented_control(key="new_function_test_quality").value is None  # emptied for the next one


def test_a_saved_score_is_picked_edited_and_deleted(app, db_url):
    store = Store(db_url)
    day = _today(db_url) - dt.timedelta(days=3)
    first = store.add(QuestionnaireScore(date=day, scale="akps", score=70))
    _outcomes(app, "questionnaire")
    app.selectbox(key="outcome_pick_questionnaire").set_value(first).run()
    assert app.number_input(key=f"edit_questionnaire_{first}_score").value == 70.0
    app.number_input(key=f"edit_questionnaire_{first}_score").set_value(78.0)
    app.button(key=f"save_edit_questionnaire_{first}").click().run()
    assert not app.exception
    assert store.get("questionnaire", first).score == 78.0 and store.counts()["questionnaire"] == 1
    assert any("Updated the questionnaire score" in s.value for s in app.success)
    app.button(key=f"outcome_delete_questionnaire_{first}").click().run()
    assert not app.exception
    assert store.counts()["questionnaire"] == 0


def test_a_second_rating_for_the_same_day_says_where_the_first_is(app, db_url):
    Store(db_url).add(WeeklyPain(date=_today(db_url), usual=1, worst=2))
    _outcomes(app, "weekly_pain")
    app.number_input(key="new_weekly_pain_usual").set_value(2)
    app.number_input(key="new_weekly_pain_worst").set_value(2)
    app.button(key="save_new_weekly_pain").click().run()
    assert not app.exception
    assert any("There is already a weekly pain rating on" in m.value for m in app.markdown)  # under the form
    assert Store(db_url).get("weekly_pain", 1).usual == 1


@pytest.fixture
def demo_app(app, db_url):
    demo.load_demo(Store(db_url))
    _open(app, DASHBOARD)
    app.session_state["section"] = "Outcomes"
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_the_outcomes_section_draws_a_chart_per_scale_with_its_mic_band(demo_app):
    charts = demo_app.get("vega_lite_chart")
    titles = [m.value for m in demo_app.markdown if m.value.startswith("**")]
    assert titles[:4] == ["**Usual pain (week)**", "**Worst pain (week)**", "**AKPS (Kujala)**", "**KOOS-PF**"]
    assert len(charts) == 4  # pain during running is the report's (it needs the runs); these are the stored scores
    spec = json.loads(charts[2].proto.spec)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "rule", "rule", "line", "point"]  # the band, its dashed edges, the scores
    assert spec["layer"][1]["mark"]["strokeDash"] == [4, 3]  # edges that survive black-and-white printing
    captions = " ".join(c.value for c in demo_app.caption)
    assert "MIC 10 points: Crossley et al. 2004" in captions and "Crossley et al. 2018" in captions
    assert demo_app.dataframe[0].value.columns.tolist()[:2] == ["Test", "Knee"]  # the functional tests
