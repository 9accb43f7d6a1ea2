"""One clock: today is the runner's day in their own time zone, on every page, whatever the server's zone."""

import datetime as dt
import time

import pandas as pd
import pytest

from kneelog import clock
from kneelog.models import Run, Settings
from kneelog.store import Store

NOON_UTC = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)  # a Sunday


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("UTC", dt.date(2026, 3, 1)),
        ("Pacific/Tongatapu", dt.date(2026, 3, 2)),  # UTC+13: already 01:00 on Monday
        ("America/Los_Angeles", dt.date(2026, 3, 1)),  # UTC-8: 04:00 the same Sunday
        ("Etc/GMT+12", dt.date(2026, 3, 1)),  # UTC-12: 00:00 the same Sunday
        ("Etc/GMT+12", dt.date(2026, 2, 28)),  # ... one minute earlier, still Saturday (see below)
    ],
    ids=["utc", "13 hours ahead", "8 hours behind", "12 hours behind", "12 hours behind, a minute before"],
)
def test_today_is_the_runners_calendar_day(zone, day):
    now = NOON_UTC - dt.timedelta(minutes=1) if day == dt.date(2026, 2, 28) else NOON_UTC
    assert clock.local_today(zone, now) == day


def test_a_runner_13_hours_ahead_is_in_next_weeks_monday_while_the_server_is_on_sunday():
    runner = clock.local_today("Pacific/Tongatapu", NOON_UTC)
    server = clock.local_today("UTC", NOON_UTC)
    assert (clock.monday(runner), clock.monday(server)) == (dt.date(2026, 3, 2), dt.date(2026, 2, 23))


def test_today_anywhere_is_the_date_on_the_line_islands():
    assert clock.today_anywhere(dt.datetime(2026, 3, 1, 9, 59, tzinfo=dt.UTC)) == dt.date(2026, 3, 1)
    assert clock.today_anywhere(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)) == dt.date(2026, 3, 2)  # UTC+14


def test_monday_of_each_date():
    days = pd.Series(pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-08 18:30"], format="ISO8601"))
    assert clock.monday_of(days).dt.date.tolist() == [dt.date(2026, 2, 23), dt.date(2026, 3, 2), dt.date(2026, 3, 2)]


@pytest.fixture
def server_far_behind(monkeypatch):
    """The server's clock in UTC-12 (process time zone), 26 hours behind a runner in UTC+14: their dates always
    differ, by one or two days, at any hour the test runs."""
    monkeypatch.setenv("TZ", "Etc/GMT+12")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


RUNNER = "Pacific/Kiritimati"  # UTC+14


def test_every_page_uses_the_runners_today_not_the_servers(app, db_url, server_far_behind):
    runner_today = clock.local_today(RUNNER)
    assert dt.date.today() < runner_today  # the server's own date is behind: a page using it would show
    store = Store(db_url)
    store.save_settings(Settings(timezone=RUNNER))
    store.add(Run(date=runner_today - dt.timedelta(days=1), distance_m=5000, duration_s=1800))

    app.run()
    week = clock.monday(runner_today)
    assert any(f"since Monday {week:%d %b}" in h.value for h in app.subheader), [h.value for h in app.subheader]

    app.switch_page("pages/log.py").run()
    app.segmented_control(key="log_kind").set_value("checkin").run()
    assert app.date_input(key="new_checkin_date").value == runner_today
    app.select_slider(key="new_checkin_stairs").set_value(2)
    app.button(key="save_new_checkin").click().run()
    assert not app.exception
    checkins = Store(db_url).frame("checkin")
    assert checkins["date"].dt.date.tolist() == [runner_today]  # not refused as "in the future" by the server's date

    app.switch_page("pages/stretches.py").run()
    assert app.date_input(key="routine_date").value == runner_today

    app.switch_page("pages/dashboard.py").run()
    assert not app.exception
    assert any(f"Week of {week:%d %b}" in h.value for h in app.subheader), [h.value for h in app.subheader]
