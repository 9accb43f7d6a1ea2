"""Today: the week so far, the check-in, stretches and gym plan of today, the pain trend, and the first visit."""

import datetime as dt

import pandas as pd
import pytest

from kneelog import clock
from kneelog.models import GymSession, KneeCheckin, Run, Settings, StretchDone, StretchSession
from kneelog.store import Store
from kneelog.stretches import load_library, routine_size
from kneelog.views import today as today_view
from kneelog.views.today import week_so_far

WEDNESDAY = dt.date(2026, 11, 25)


def test_week_so_far_counts_monday_to_today_only(store):
    item = (StretchDone(stretch_id="half_kneel_quad", side="left"),)
    store.add_many(
        [
            Run(date=dt.date(2026, 11, 22), distance_m=20000, duration_s=7000),  # last Sunday
            Run(date=dt.date(2026, 11, 23), distance_m=8000, duration_s=2800),
            Run(date=dt.date(2026, 11, 25), distance_m=6000, duration_s=2000),
            GymSession(date=dt.date(2026, 11, 24), duration_s=3000),
            StretchSession(date=dt.date(2026, 11, 24), items=item),
            StretchSession(date=dt.date(2026, 11, 24), items=item, notes="evening"),
            KneeCheckin(date=dt.date(2026, 11, 24), stairs=2),
        ]
    )
    week = week_so_far(
        store.frame("run"), store.frame("gym"), store.frame("stretch"), store.frame("checkin"), WEDNESDAY
    )
    assert week.monday == dt.date(2026, 11, 23)
    assert (week.distance_m, week.runs, week.gym_sessions, week.stretch_days) == (14000, 2, 1, 1)
    assert not week.checked_in_today
    assert week.latest_checkin["stairs"] == 2


# -- the Today view, from hand-made frames ----------------------------------------------------------------------


def test_stretch_sides_today_count_each_stretch_and_side_once():
    items = pd.DataFrame(
        {
            "session_id": [1, 1, 1, 2, 3],
            "date": pd.to_datetime(["2026-11-25"] * 4 + ["2026-11-24"]),
            "stretch_id": ["quad", "quad", "calf", "quad", "hip"],
            "side": ["left", "right", "left", "left", "left"],
            "source": ["manual"] * 5,
        }
    )
    # today: quad left, quad right, calf left; quad left again in the evening session counts once; hip was yesterday
    assert today_view.stretch_sides_on(items, WEDNESDAY) == 3
    assert today_view.stretch_sides_on(items, dt.date(2026, 11, 24)) == 1
    assert today_view.stretch_sides_on(items.iloc[0:0], WEDNESDAY) == 0


def test_pain_trend_is_the_last_four_complete_weeks_then_this_week_so_far():
    mondays = pd.date_range("2026-10-19", periods=7, freq="W-MON")
    weeks = pd.DataFrame(
        {
            "week": mondays,
            "complete": [True] * 6 + [False],
            "pain_mean": [9.0, 8.0, 4.0, float("nan"), 2.5, 1.0, 0.5],
        }
    )
    trend = today_view.pain_trend(weeks)
    assert [d.date() for d in trend["week"]] == [
        dt.date(2026, 11, 2), dt.date(2026, 11, 9), dt.date(2026, 11, 16), dt.date(2026, 11, 23),
        dt.date(2026, 11, 30),
    ]  # fmt: skip
    assert trend["pain_mean"].fillna(-1).tolist() == [4.0, -1, 2.5, 1.0, 0.5]
    assert trend["so_far"].tolist() == [False, False, False, False, True]


def test_pain_trend_without_a_week_in_progress_shows_complete_weeks_only():
    weeks = pd.DataFrame(
        {"week": pd.to_datetime(["2026-11-16", "2026-11-23"]), "complete": [True, True], "pain_mean": [3.0, 2.0]}
    )
    trend = today_view.pain_trend(weeks)
    assert trend["pain_mean"].tolist() == [3.0, 2.0]
    assert not trend["so_far"].any()


def test_checkin_scores_name_only_the_moments_given():
    checkin = pd.Series({"stairs": 3.0, "squat": float("nan"), "sitting": 0.0, "morning_after": 2.0})
    assert today_view.checkin_scores(checkin) == "stairs 3/10, sitting 0/10, morning after 2/10"


@pytest.mark.parametrize(
    ("browser", "machine", "expected"),
    [
        ("Asia/Tokyo", "Europe/Berlin", "Asia/Tokyo"),  # the browser's zone first
        (None, "Europe/Berlin", "Europe/Berlin"),  # no browser zone (a test, an old browser): the machine's
        ("Mars/Olympus_Mons", "Europe/Berlin", "Europe/Berlin"),  # an unknown name is not offered
        (None, "nonsense", "UTC"),
    ],
)
def test_first_zone_prefers_the_browsers_known_zone(browser, machine, expected):
    assert today_view.first_zone(browser, machine) == expected


def test_today_counts_this_weeks_gym_plan_and_todays_check_in(store):
    # one run on Monday 9 Nov, a whole week without running (16-22 Nov): the plan after a week without running is
    # the most sessions (3, kneelog.analysis.gymplan); one gym session done this week
    store.add_many(
        [
            Run(date=dt.date(2026, 11, 9), distance_m=5000, duration_s=1800),
            GymSession(date=dt.date(2026, 11, 24), duration_s=2400),
            KneeCheckin(date=WEDNESDAY, stairs=1, note="first"),
        ]
    )
    frames = {kind: store.frame(kind) for kind in ("run", "gym", "stretch", "stretch_item", "checkin", "race")}
    view = today_view.build(frames, Settings(), WEDNESDAY, routine_sides=10)
    assert (view.gym_done, view.gym_recommended) == (1, 3)
    assert view.gym_line.startswith("1 of 3 done; the plan says why: ")
    assert view.checkin["note"] == "first"
    assert view.stretch_line == "0 of 10 stretch-sides done today"


def test_gym_line_without_a_reason_is_just_the_count():
    view = today_view.Today(
        week=None, checkin=None, stretch_sides_done=0, routine_sides=10, gym_done=0, gym_recommended=2,
        gym_reason="", trend=pd.DataFrame(),
    )  # fmt: skip
    assert view.gym_line == "0 of 2 done"


# -- the Today page through AppTest -----------------------------------------------------------------------------


def test_a_first_visit_answers_unit_and_time_zone_before_anything_else(app, db_url):
    app.run()
    assert not app.exception
    assert "Before you start" in [s.value for s in app.subheader]
    assert not [b for b in app.button if b.key == "load_demo"]  # the demo comes after the two questions
    store = Store(db_url)
    # AppTest's browser reports no zone, so the machine's is offered
    assert app.selectbox(key="first_timezone").value == store.settings().timezone
    app.radio(key="first_unit").set_value("mi")
    app.selectbox(key="first_timezone").set_value("Asia/Tokyo")
    app.button(key="first_save").click().run()
    assert not app.exception
    assert store.has_settings()
    assert (store.settings().unit, store.settings().timezone) == ("mi", "Asia/Tokyo")
    assert "Before you start" not in [s.value for s in app.subheader]
    assert [b for b in app.button if b.key == "load_demo"]  # an empty database now offers the demo


@pytest.mark.parametrize("first_entry", [False, True], ids=["after-a-run", "a-new-users-first-entry"])
def test_the_check_in_saved_from_today_lands_in_the_store(app, db_url, first_entry):
    store = Store(db_url)
    store.save_settings(Settings(timezone="UTC"))
    today = clock.local_today("UTC")
    if not first_entry:
        store.add(Run(date=today, distance_m=5000, duration_s=1500))
    app.run()
    assert "Knee check-in" in [s.value for s in app.subheader]
    assert ("Welcome" in [s.value for s in app.subheader]) == first_entry  # the empty log's page has it too
    app.select_slider(key="today_checkin_stairs").set_value(3)
    app.select_slider(key="today_checkin_squat").set_value("—")  # not asked today
    app.select_slider(key="today_checkin_sitting").set_value(1)
    app.select_slider(key="today_checkin_morning_after").set_value(7)
    app.radio(key="today_checkin_knee").set_value("left")
    app.button(key="save_today_checkin").click().run()
    assert not app.exception
    checkins = store.frame("checkin")
    assert checkins[["stairs", "sitting", "morning_after"]].values.tolist() == [[3.0, 1.0, 7.0]]
    assert checkins["squat"].isna().tolist() == [True]
    assert checkins.loc[0, "knee"] == "left"
    assert checkins.loc[0, "date"].date() == today
    page = " ".join(m.value for m in app.markdown)
    assert "Done for today (the left knee): stairs 3/10, sitting 1/10, morning after 7/10." in page
    assert not [n for n in app.select_slider if n.key == "today_checkin_stairs"]  # no second form today
    this_week = [m for m in app.metric if "(so far)" in m.label]
    # the check-in counts in this week's pain: the everyday moments answered, (3 + 1) / 2 (the morning after apart)
    assert [m.value for m in this_week] == ["2.0"]


def test_today_shows_the_gym_plan_and_the_stretches_done(app, db_url):
    store = Store(db_url)
    store.save_settings(Settings(timezone="UTC"))
    today = clock.local_today("UTC")
    monday = clock.monday(today)
    # a run two Mondays ago, a week without running, then this week: the plan is 3 (see the view test above)
    store.add_many(
        [
            Run(date=monday - dt.timedelta(days=14), distance_m=5000, duration_s=1800),
            GymSession(date=today, duration_s=2400),
            StretchSession(
                date=today,
                items=(
                    StretchDone(stretch_id="half_kneel_quad", side="left"),
                    StretchDone(stretch_id="half_kneel_quad", side="right"),
                ),
            ),
        ]
    )
    app.run()
    assert not app.exception
    page = " ".join(m.value for m in app.markdown)
    assert "**Gym this week:** 1 of 3 done; the plan says why" in page
    sides = routine_size(load_library())  # the shipped library's routine (another module's number)
    assert f"**Stretches:** 2 of {sides} stretch-sides done today." in page
