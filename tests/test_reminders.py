"""The plan as an iCalendar file: parsed back with icalendar and checked against hand-worked weeks."""

from __future__ import annotations

import datetime as dt

import icalendar
import pandas as pd
import pytest

from kneelog.models import Settings
from kneelog.views import reminders
from kneelog.views.reminders import Choice, spread

TODAY = dt.date(2026, 12, 2)  # a Wednesday; its ISO week (49) starts Monday 30 Nov
STAMP = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
ZONE = "America/New_York"
RACE_NAME = 'City 10K, Parkland; "fun"\nrun'
SETTINGS = Settings(timezone=ZONE)
CHOICE = Choice((0, 2, 4), dt.time(7, 30), 4)


def history(last_km: float = 20.0, done: int = 0) -> pd.DataFrame:
    """Four whole weeks of 20 km, a last week of ``last_km``, and this week (3 days so far, ``done`` gym sessions)."""
    mondays = pd.date_range("2026-11-02", periods=5, freq="7D")
    return pd.DataFrame(
        {
            "week": mondays,
            "distance_m": [20_000.0, 20_000.0, 20_000.0, last_km * 1000, 5_000.0],
            "days": [7, 7, 7, 7, 3],
            "pain_status": [""] * 5,
            "gym_sessions": [2, 2, 2, 2, done],
        }
    )


def races() -> pd.DataFrame:
    """One 10 km race on Sunday 20 Dec (a 7-day taper: 7 + 3 x 5/37.195 days, rounded)."""
    return pd.DataFrame({"date": [pd.Timestamp("2026-12-20")], "name": [RACE_NAME], "distance_m": [10_000.0]})


def parse(ics: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(ics)


def events(cal: icalendar.Calendar, prefix: str) -> list[icalendar.Event]:
    return [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith(prefix)]


def build(weeks: pd.DataFrame, choice: Choice = CHOICE, stamp=STAMP) -> bytes:
    plan = reminders.plan_ahead(weeks, races(), SETTINGS, TODAY, choice.weeks)
    return reminders.calendar(plan, choice, ZONE, TODAY, stamp)


@pytest.mark.parametrize(
    ("count", "free", "expected"),
    [
        (1, range(7), (0,)),
        (2, range(7), (0, 3)),  # gaps 3 and 4 round the week
        (3, range(7), (0, 2, 4)),  # a day between each
        (3, [2, 3, 4, 5, 6], (2, 4, 6)),  # Wednesday on: gaps 2, 2 and 3
        (2, [3, 4, 5, 6], (3, 6)),  # gaps 3 and 4 beat (3, 5)'s 2
        (3, [5, 6], (5, 6)),  # fewer free days than sessions: one on each
        (0, range(7), ()),
    ],
)
def test_spread_leaves_days_between_sessions_where_the_free_days_allow(count, free, expected):
    assert spread(count, free) == expected


def test_routine_recurs_on_exactly_the_chosen_weekdays_at_the_local_time_in_the_zone():
    cal = parse(build(history(), Choice((0, 2, 4), dt.time(7, 30), 4)))
    (routine,) = events(cal, "stretch-routine")
    start = routine.decoded("DTSTART")
    assert start.tzinfo.key == ZONE and (start.date(), start.time()) == (TODAY, dt.time(7, 30))  # Wednesday is chosen
    assert routine["RRULE"]["FREQ"] == ["WEEKLY"] and routine["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]
    assert "UNTIL" not in routine["RRULE"] and "COUNT" not in routine["RRULE"]
    assert routine.decoded("DURATION") == dt.timedelta(minutes=15)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [ZONE]
    assert b"DTSTART;TZID=America/New_York:20261202T073000" in build(history())


def test_routine_starts_on_the_first_chosen_day_from_today():
    (routine,) = events(parse(build(history(), Choice((1, 5), dt.time(18), 1))), "stretch-routine")
    assert routine.decoded("DTSTART").date() == dt.date(2026, 12, 5)  # Saturday; Tuesday 1 Dec is past


def test_no_weekdays_gives_gym_sessions_only():
    cal = parse(build(history(), Choice((), dt.time(18), 2)))
    assert not events(cal, "stretch-routine") and events(cal, "gym-")


def test_gym_events_per_week_follow_the_plan_and_the_race_calendar():
    # Last week's 20 km against the 20 km average: steady, 3 a week. Race on Sun 20 Dec, 7-day taper from Sun 13:
    # week 50 holds 1 taper day (at most 2), week 51 is the race week (1), week 52 eases back (at most 2).
    cal = parse(build(history()))
    days = {}
    for event in events(cal, "gym-"):
        days.setdefault(str(event["UID"]).split("-")[2], []).append(event.decoded("DTSTART"))
    d = dt.date
    assert days == {
        "W49": [d(2026, 12, 2), d(2026, 12, 4), d(2026, 12, 6)],  # Wednesday on: Wed, Fri, Sun
        "W50": [d(2026, 12, 7), d(2026, 12, 10)],
        "W51": [d(2026, 12, 14)],  # not Sat 19 (the day before) nor Sun 20 (the race)
        "W52": [d(2026, 12, 21), d(2026, 12, 24)],
    }
    for event in events(cal, "gym-"):
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)  # all-day
        assert event["TRANSP"] == "TRANSPARENT"


def test_coming_weeks_say_they_repeat_this_weeks_plan():
    (w50, *_) = [e for e in events(parse(build(history())), "gym-2026-W50")]
    text = str(w50["DESCRIPTION"])
    assert "has no running logged, so kneelog repeats this week's plan" in text
    assert "3 a week" in text and RACE_NAME in text


def test_a_sharp_rise_last_week_gives_one_session_in_every_coming_week():
    uids = [str(e["UID"]) for e in events(parse(build(history(last_km=30.0))), "gym-")]  # 30 / 20 = 1.5 > 1.3
    assert uids == ["gym-2026-W49-1@kneelog", "gym-2026-W50-1@kneelog", "gym-2026-W51-1@kneelog",
                    "gym-2026-W52-1@kneelog"]  # fmt: skip


def test_sessions_logged_this_week_keep_their_numbers():
    uids = [str(e["UID"]) for e in events(parse(build(history(done=1))), "gym-2026-W49")]
    assert uids == ["gym-2026-W49-2@kneelog", "gym-2026-W49-3@kneelog"]


def test_a_plan_change_keeps_the_uids_of_the_same_sessions():
    before = {str(e["UID"]) for e in parse(build(history())).walk("VEVENT")}
    after = {str(e["UID"]) for e in parse(build(history(last_km=30.0), Choice((1, 3), dt.time(6), 4))).walk("VEVENT")}
    assert after <= before and "stretch-routine@kneelog" in after
    assert len(after) == 5  # the routine and one session a week


def test_same_inputs_give_the_same_bytes_and_only_the_stamp_differs_by_time():
    assert build(history()) == build(history())
    later = build(history(), stamp=STAMP + dt.timedelta(hours=3))
    differ = [(a, b) for a, b in zip(build(history()).splitlines(), later.splitlines(), strict=True) if a != b]
    assert differ and all(a.startswith(b"DTSTAMP:") for a, _ in differ)


def test_race_names_are_escaped_as_rfc_5545_text():
    raw = build(history()).replace(b"\r\n ", b"")  # unfold the 75-octet lines first
    assert b'City 10K\\, Parkland\\; "fun"\\nrun' in raw
    assert all(len(line) <= 75 for line in build(history()).split(b"\r\n"))


@pytest.mark.parametrize(
    ("weekdays", "weeks", "message"),
    [((7,), 4, "weekdays are 0 \\(Monday\\) to 6"), ((0,), 0, "weeks ahead is 1 to 12"), ((0,), 13, "not 13")],
)
def test_choice_refuses_what_no_widget_offers(weekdays, weeks, message):
    with pytest.raises(ValueError, match=message):
        Choice(weekdays, dt.time(7), weeks)


def test_a_new_log_gets_the_middle_plan_for_too_little_history():
    plan = reminders.plan_ahead(pd.DataFrame(), races().iloc[0:0], SETTINGS, TODAY, 2)
    assert [(w.recommended, len(w.days)) for w in plan] == [(2, 2), (2, 2)]
    assert "too little history" in plan[1].why
