"""The Settings page's "Reminders in your calendar": AppTest against a real SQLite file, the file parsed back."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import app_test

from kneelog.clock import local_today
from kneelog.models import Race, Settings


class _KeptStorage(MemoryMediaFileStorage):
    """Streamlit's own in-memory media storage, remembered so a test can read what a download button serves."""

    last: MemoryMediaFileStorage | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _KeptStorage.last = self


@pytest.fixture
def page(app, store, monkeypatch):
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", _KeptStorage)
    store.save_settings(Settings(timezone="Europe/Berlin", routines_per_week=3))
    store.add(Race(date=dt.date.today() + dt.timedelta(days=9), name="Lakes 5K, spring; edition", distance_m=5000))
    app.switch_page("pages/settings.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def downloaded(page) -> icalendar.Calendar:
    (button,) = [b for b in page.get("download_button") if b.proto.id.endswith("remind_download")]
    assert button.proto.label == "Download the calendar (.ics)"
    content = _KeptStorage.last.get_file(button.proto.url.rsplit("/", 1)[-1]).content
    return icalendar.Calendar.from_ical(content)


def test_settings_offers_the_calendar_and_its_bytes_parse(page):
    cal = downloaded(page)
    (routine,) = [e for e in cal.walk("VEVENT") if e["UID"] == "stretch-routine@kneelog"]
    assert routine["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]  # three routines a week, spread
    assert routine.decoded("DTSTART").tzinfo.key == "Europe/Berlin"
    assert routine.decoded("DTSTART").time() == dt.time(19, 0)
    gym = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("gym-")]
    assert gym and all(e.decoded("DTSTART") >= local_today("Europe/Berlin") for e in gym)
    assert "Lakes 5K, spring; edition" in " ".join(str(e["DESCRIPTION"]) for e in gym)
    assert "gym sessions in 4 weeks" in page.caption[0].value and "Europe/Berlin" in page.caption[0].value


def test_changing_the_days_time_and_weeks_changes_the_file(page):
    page.get("button_group")[0].set_value([1, 3]).run()  # the "Stretch on" pills
    page.time_input(key="remind_time").set_value(dt.time(6, 45)).run()
    page.number_input(key="remind_weeks").set_value(1).run()
    assert not page.exception
    cal = downloaded(page)
    (routine,) = [e for e in cal.walk("VEVENT") if e["UID"] == "stretch-routine@kneelog"]
    assert routine["RRULE"]["BYDAY"] == ["TU", "TH"]
    assert routine.decoded("DTSTART").time() == dt.time(6, 45)
    today = local_today("Europe/Berlin")
    monday = today - dt.timedelta(days=today.weekday())
    weeks = {e.decoded("DTSTART") - dt.timedelta(days=e.decoded("DTSTART").weekday()) for e in cal.walk("VEVENT")
             if str(e["UID"]).startswith("gym-")}  # fmt: skip
    assert weeks <= {monday}
    assert "Tuesday, Thursday at 06" in page.caption[0].value and "in 1 week" in page.caption[0].value
