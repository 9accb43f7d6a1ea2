"""The Report page (pages/report.py) and the name setting it prints, through AppTest on a real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import app_test

from kneelog.clock import local_today, monday
from kneelog.demo import load_demo
from kneelog.models import Settings
from tests.test_settings_reminders import _KeptStorage

PAGE = "pages/report.py"


@pytest.fixture
def page(app, store, monkeypatch):
    """The Report page on twelve weeks of the demo athlete, for a runner called Zoë."""
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", _KeptStorage)
    load_demo(store, days=84)
    store.save_settings(Settings(timezone="UTC", athlete_name="Zoë Ørsted"))
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def downloaded(page, key: str) -> bytes:
    (button,) = [b for b in page.get("download_button") if b.proto.id.endswith(key)]
    return _KeptStorage.last.get_file(button.proto.url.rsplit("/", 1)[-1]).content


def test_the_page_offers_the_last_eight_weeks_as_a_pdf_and_a_web_page(page):
    today = local_today("UTC")
    first = monday(today) - dt.timedelta(weeks=7)
    assert page.caption[0].value.startswith(f"{first:%a %-d %b %Y} to ")
    assert "(8 weeks)" in page.caption[0].value
    assert downloaded(page, "report_pdf").startswith(b"%PDF-")
    html = downloaded(page, "report_html").decode("utf-8")
    assert "<dd>Zoë Ørsted</dd>" in html and "(8 weeks)" in html
    assert len(page.get("iframe")) == 1  # the preview: the same web page


def test_choosing_dates_makes_the_report_for_those_weeks(page):
    page.session_state["report_period"] = "Dates"
    page.run()
    today = local_today("UTC")
    start = monday(today) - dt.timedelta(weeks=3)
    page.date_input(key="report_dates").set_value((start, today)).run()
    assert not page.exception
    assert page.caption[0].value.startswith(f"{start:%a %-d %b %Y} to ")
    assert "(4 weeks)" in page.caption[0].value


def test_a_name_typed_on_the_page_goes_on_the_report(page):
    page.text_input(key="report_name").set_value("<b>Ann</b> =1+1").run()
    html = downloaded(page, "report_html").decode("utf-8")
    assert "<dd>&lt;b&gt;Ann&lt;/b&gt; =1+1</dd>" in html


def test_settings_keeps_the_name_for_the_report(app, store):
    app.run()
    app.switch_page("pages/settings.py").run()
    app.text_input(key="set_athlete_name").set_value("  Zoë Ørsted ")
    app.button(key="settings_save").click().run()
    assert not app.exception
    assert store.settings().athlete_name == "Zoë Ørsted"


def test_an_empty_log_gives_a_report_that_says_so(app):
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    assert "(8 weeks)" in app.caption[0].value
