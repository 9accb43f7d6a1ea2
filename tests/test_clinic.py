"""The clinician's list of athletes (kneelog.analysis.clinic): numbers worked by hand on small hand-made logs.

The logs start on MONDAY (5 Jan 2026); ``day(n)`` is n days later. "Today" is day 16, the Wednesday of the third
week, so week 0 (5 Jan) and week 1 (12 Jan) are complete and week 2 (19 Jan) is this week, in progress. The routine
has 10 stretch-sides and the plan is 5 routines a week: 50 stretch-sides planned in 7 days.
"""

import datetime as dt
import math

import pandas as pd
import pytest

from bench.athlete import athlete
from kneelog.analysis import clinic, pain, weekly
from kneelog.analysis.clinic import FLAG_CHANGE, FLAG_NO_CHECKIN, FLAG_PAIN, AthleteLog, athlete_rows
from kneelog.models import Settings
from kneelog.store import Store
from tests.test_weekly import KM, SIDES, day, frames_of

TODAY = day(16)
EASY = {"stairs": 1, "squat": 1, "sitting": 0}


def log(name: str, runs=(), checkins=(15,), stretches=(), gym=(), settings: Settings = KM) -> AthleteLog:
    """An athlete's log: runs as (day, km, pain during), check-ins on the given days (low pain), stretches as
    (day, sides), gym sessions on the given days."""
    return AthleteLog(
        name,
        frames_of(
            runs=[(d, km * 1000, km * 330, 5, hurt) for d, km, hurt in runs],
            checkins=[{"day": d, **EASY} for d in checkins],
            stretches=list(stretches),
            gym=[(d, 2400, 6) for d in gym],
        ),
        settings,
    )


#: 20 km in week 0, then the given kilometres in week 1, two runs each.
def two_weeks(second_km: float, **kwargs) -> list[tuple[int, float, int]]:
    return [(0, 10, 0), (3, 10, 0), (7, second_km / 2, 0), (10, second_km / 2, 0), *kwargs.get("more", ())]


def row(athlete: AthleteLog) -> pd.Series:
    return athlete_rows({7: athlete}, TODAY, routine_sides=SIDES).iloc[0]


@pytest.mark.parametrize(
    ("second_km", "change", "flagged"),
    [(27, 35.0, True), (26, 30.0, False), (21, 5.0, False), (15, -25.0, False)],
)
def test_a_complete_week_over_30_percent_above_the_one_before_is_flagged(second_km, change, flagged):
    found = row(log("Ann", runs=two_weeks(second_km)))
    assert found["change_week"] == day(7)
    assert found["change_pct"] == pytest.approx(change)
    assert (FLAG_CHANGE in found["flags"]) is flagged


def test_the_week_in_progress_has_no_change_yet():
    """Week 2 already holds 40 km by day 16, twice week 1's 20 km, but a part week is not compared (as on the
    dashboard): the change shown is week 1's, 0%."""
    found = row(log("Ann", runs=[*two_weeks(20), (14, 40, 0)]))
    assert (found["change_week"], found["change_pct"], found["flags"]) == (day(7), 0.0, [])


def test_running_again_after_a_week_without_is_a_restart_not_a_percentage():
    found = row(log("Ann", runs=[(0, 10, 0)], checkins=(6, 15)))  # week 0 ran 10 km, week 1 nothing: −100%
    assert (found["change_week"], found["change_pct"], found["change_flag"]) == (day(7), -100.0, "")
    restarted = athlete_rows(
        {1: log("Ann", runs=[(0, 10, 0), (14, 10, 0)], checkins=(6, 20))}, day(23), routine_sides=SIDES
    ).iloc[0]  # today day 23: week 2 (running again after week 1 without) is the latest complete week
    assert (restarted["change_week"], restarted["change_flag"]) == (day(14), "restart")
    assert math.isnan(restarted["change_pct"]) and FLAG_CHANGE not in restarted["flags"]


@pytest.mark.parametrize(("last", "flagged"), [(9, True), (10, False), (16, False)])
def test_no_check_in_for_seven_days_is_flagged(last, flagged):
    """Today is day 16: a last check-in on day 9 is 7 days ago, on day 10 six."""
    found = row(log("Ann", runs=two_weeks(20), checkins=(2, last)))
    assert found["last_checkin"] == day(last)
    assert (FLAG_NO_CHECKIN in found["flags"]) is flagged


def test_pain_over_the_limit_this_week_or_last_is_flagged():
    """Pain during a run above 5/10 breaks limit 1 of the pain-monitoring model (Silbernagel 2007)."""
    this_week = row(log("Ann", runs=[*two_weeks(20), (15, 5, 7)]))
    assert this_week["pain_status"] == pain.STATUS_OVER and FLAG_PAIN in this_week["flags"]
    last_week = row(log("Ann", runs=[(0, 10, 0), (3, 10, 0), (7, 10, 6), (10, 10, 0)]))
    assert last_week["pain_status_last_week"] == pain.STATUS_OVER and FLAG_PAIN in last_week["flags"]
    two_weeks_ago = row(log("Ann", runs=[(0, 10, 6), (3, 10, 0), (7, 10, 0), (10, 10, 0)]))
    assert two_weeks_ago["pain_status_last_week"] != pain.STATUS_OVER and FLAG_PAIN not in two_weeks_ago["flags"]


def test_stretching_is_the_last_seven_days_against_the_plan_one_routine_a_day():
    """Days 10 to 16: 10 sides on day 10, 10 + 10 on day 12 (one routine counts), 10 on day 9 (before the window):
    20 of 50 planned, 40%."""
    found = row(log("Ann", runs=two_weeks(20), stretches=[(9, 10), (10, 10), (12, 10), (12, 10)]))
    assert found["stretch_pct"] == pytest.approx(40.0)


def test_stretching_of_a_log_begun_this_week_is_against_the_days_it_covers():
    """A log that starts on day 14 covers 3 of the 7 days: 5 × 10 × 3/7 sides planned, 10 done: 70/150 = 46.7%."""
    found = row(log("New", checkins=(14,), stretches=[(14, 10)]))
    assert found["stretch_pct"] == pytest.approx(100 * 10 / (5 * 10 * 3 / 7))


def test_stretching_beyond_the_plan_reads_as_the_whole_plan():
    """A log that starts on day 16 covers 1 of the 7 days: 5 × 10 × 1/7 = 7.1 sides planned, 10 done: 100%, not
    140%."""
    found = row(log("New", checkins=(16,), stretches=[(16, 10)]))
    assert found["stretch_pct"] == 100.0


def test_the_shipped_routine_is_the_default():
    """The shipped library's routine has 9 stretch-sides (tests/test_weekly.py): 10 done in a day count as 9, of
    5 × 9 = 45 planned in 7 days: 20%."""
    found = athlete_rows({1: log("Ann", runs=two_weeks(20), stretches=[(12, 10)])}, TODAY).iloc[0]
    assert found["stretch_pct"] == pytest.approx(20.0)


def test_a_log_that_stopped_months_ago_reads_as_nothing_logged_with_its_last_check_in():
    found = row(log("Gone", runs=[(-140, 10, 0)], checkins=(-140,)))
    assert found["last_checkin"] == day(-140) and found["flags"] == [FLAG_NO_CHECKIN]
    assert found["pain_status"] == pain.STATUS_NONE and found["change_week"] is None


def test_gym_sessions_this_week_against_the_dashboards_plan():
    athlete = log("Ann", runs=two_weeks(20), gym=[2, 9, 14, 15])
    found = row(athlete)
    table = weekly.weekly_table(athlete.frames, KM, TODAY, routine_sides=SIDES).iloc[-1]
    assert found["gym_done"] == 2
    assert found["gym_plan"] == table["gym_recommended"] and 1 <= found["gym_plan"] <= 3
    assert found["gym_vs_plan"] == table["gym_vs_plan"]


def test_an_athlete_with_nothing_logged_has_a_row_that_says_so():
    found = row(log("Empty", checkins=()))
    assert found["flags"] == [FLAG_NO_CHECKIN]
    assert found["pain_status"] == pain.STATUS_NONE and found["last_checkin"] is None
    assert found["change_week"] is None and math.isnan(found["change_pct"]) and math.isnan(found["stretch_pct"])
    assert found["gym_plan"] is None


def test_flagged_athletes_come_first_then_by_name():
    logs = {
        1: log("adam", runs=two_weeks(21)),
        2: log("Zoe", runs=two_weeks(27)),
        3: log("Bea", runs=two_weeks(20), checkins=(2, 9)),
        4: log("Carl", runs=two_weeks(20)),
    }
    rows = athlete_rows(logs, TODAY, routine_sides=SIDES)
    assert rows["name"].tolist() == ["Bea", "Zoe", "adam", "Carl"]
    assert rows["athlete_id"].tolist() == [3, 2, 1, 4]
    assert rows["flags"].tolist() == [[FLAG_NO_CHECKIN], [FLAG_CHANGE], [], []]
    assert list(rows.columns) == clinic.COLUMNS


def test_the_list_reads_as_text():
    logs = {1: log("Zoe", runs=two_weeks(27), stretches=[(10, 10), (12, 10)], gym=[14, 15]), 2: log("Nil", checkins=())}
    shown = clinic.display_table(athlete_rows(logs, TODAY, routine_sides=SIDES))
    assert shown["Athlete"].tolist() == ["Nil", "Zoe"]  # both flagged: by name
    nil, zoe = shown.iloc[0], shown.iloc[1]
    assert (zoe["Distance change"], zoe["Stretching, last 7 days"], zoe["Flags"]) == (
        "+35% (week of 12 Jan)",
        "40%",
        "distance up over 30%",
    )
    assert zoe["Gym this week"].startswith("2 of ") and zoe["Last check-in"] == "20 Jan 2026"
    assert (nil["Distance change"], nil["Gym this week"], nil["Last check-in"]) == ("—", "—", "none")


def test_a_fall_reads_with_a_true_minus_sign():
    shown = clinic.display_table(athlete_rows({1: log("Ann", runs=two_weeks(15))}, TODAY, routine_sides=SIDES))
    assert shown.iloc[0]["Distance change"] == "−25% (week of 12 Jan)"


@pytest.fixture(scope="module")
def long_log(tmp_path_factory) -> AthleteLog:
    """Thirteen months of a synthetic athlete (bench.athlete: runs, gym, stretching, daily check-ins, races), read back
    from a real store."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('clinic') / 'long.db'}")
    store.add_many(athlete(400, end=dt.date(2026, 11, 29), seed=3))
    frames = {kind: store.frame(kind) for kind in weekly.KINDS}
    store.dispose()
    return AthleteLog("Long", frames, KM)


#: Every fifth day over the last 60 days of the long log: Mondays, Sundays and the days between.
TODAYS = [dt.date(2026, 11, 29) - dt.timedelta(days=5 * i) for i in range(12)]


def test_working_through_the_last_weeks_gives_the_whole_historys_figures(long_log):
    """The list works through the last LOOKBACK_WEEKS weeks only; each figure equals the weekly table of the whole
    history (the dashboard's), on each of 12 days. (Working through 3 weeks gets the gym plan and pain status of
    some of these days wrong.)"""
    for today in TODAYS:
        frames = {k: f[f["date"] <= pd.Timestamp(today)] if k != "race" else f for k, f in long_log.frames.items()}
        found = athlete_rows({1: AthleteLog("Long", frames, KM)}, today, routine_sides=SIDES).iloc[0]
        whole = weekly.weekly_table(frames, KM, today, routine_sides=SIDES).set_index("week")
        this_week = pd.Timestamp(today - dt.timedelta(days=today.weekday()))
        last_week = this_week - pd.Timedelta(weeks=1)
        assert found["pain_status"] == whole.loc[this_week, "pain_status"], today
        assert found["pain_status_last_week"] == whole.loc[last_week, "pain_status"], today
        assert found["gym_plan"] == whole.loc[this_week, "gym_recommended"], today
        assert found["gym_done"] == whole.loc[this_week, "gym_sessions"], today
        assert found["change_week"] == last_week.date(), today
        assert found["change_pct"] == pytest.approx(whole.loc[last_week, "change_pct"], nan_ok=True), today
        assert found["change_flag"] == whole.loc[last_week, "change_flag"], today
    assert long_log.frames["run"]["date"].max() >= pd.Timestamp(dt.date(2026, 11, 20))  # the log reaches these weeks
