"""The gym plan: one to three sessions a week by the written rule, and adherence to it."""

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneelog.analysis import gymplan, load, pain, weekly
from tests.test_weekly import KM, SIDES, frames_of

FIRST = dt.date(2026, 3, 2)  # a Monday: week 0 of every plan below; week i starts on FIRST + 7i days

STEADY_20 = "steady or lighter: last week's 20.0 km was about the same as"
AVERAGE_20 = "your 4-week average (20.0 km)"


def _plan(
    weeks_km: list[float],
    races: list[tuple[int, str, float]] = (),
    days: list[int] | None = None,
    pain_over: list[bool] | None = None,
    unit: str = "km",
) -> pd.DataFrame:
    """The plan for consecutive weeks from FIRST; races are (day after FIRST, name, km)."""
    mondays = pd.date_range(FIRST, periods=len(weeks_km), freq="7D")
    distance = pd.Series([d * 1000 for d in weeks_km], index=mondays, dtype="float64")
    in_calendar = pd.Series(days or [7] * len(weeks_km), index=mondays)
    race_rows = [
        {"date": pd.Timestamp(FIRST + dt.timedelta(days=d)), "name": name, "distance_m": km * 1000}
        for d, name, km in races
    ]
    race_frame = pd.DataFrame(race_rows, columns=["date", "name", "distance_m"])
    over = None if pain_over is None else pd.Series(pain_over, index=mondays)
    return gymplan.recommended_sessions(distance, in_calendar, race_frame, over, unit)


@pytest.mark.parametrize(
    ("weeks_km", "count", "reason"),
    [
        # the week judged is the last one; last week is the one before it, its reference the mean of the 4 before
        ([20, 20, 20, 20, 20, 0], 3, f"{STEADY_20} your 4-week average (20.0 km)"),  # 20/20 = 1.00
        ([20, 20, 20, 20, 22, 0], 3, f"steady or lighter: last week's 22.0 km was 10% above {AVERAGE_20}"),
        ([20, 20, 20, 20, 23, 0], 2, f"rising: last week's 23.0 km was 15% above {AVERAGE_20}"),
        ([20, 20, 20, 20, 26, 0], 2, f"rising: last week's 26.0 km was 30% above {AVERAGE_20}"),
        ([20, 20, 20, 20, 27, 0], 1, f"rising sharply: last week's 27.0 km was 35% above {AVERAGE_20}"),
        ([20, 20, 20, 20, 10, 0], 3, f"steady or lighter: last week's 10.0 km was 50% below {AVERAGE_20}"),
        ([0, 0, 0, 0, 15, 0], 1, "running restarted last week (15.0 km after a week without)"),
        # was "steady or lighter running" (same 3 sessions): the reason now says what it saw
        ([0, 0, 0, 0, 0, 0], 3, gymplan.NO_RUNNING),
        ([20, 25], 2, gymplan.TOO_LITTLE_HISTORY),  # week 1: last week has no week before it to compare with
        ([20], 2, gymplan.TOO_LITTLE_HISTORY),
    ],
)
def test_recommended_gym_sessions_follow_the_written_rule(weeks_km, count, reason):
    last = _plan(weeks_km).iloc[-1]
    assert (last["gym_recommended"], last["gym_reason"]) == (count, reason)


def test_the_trend_uses_only_the_weeks_that_exist():
    # week 2: last week 30 km against the mean of one earlier week (20 km) -> 30/20 = 1.5, +50%
    plan = _plan([20, 30, 0])
    assert plan["gym_trend"].iloc[2] == pytest.approx(1.5)
    assert plan["gym_recommended"].iloc[2] == 1
    reason = plan["gym_reason"].iloc[2]
    assert reason == "rising sharply: last week's 30.0 km was 50% above the week before it (20.0 km)"


def test_a_week_of_running_after_a_week_without_is_a_restart_whatever_came_before():
    # 30, 30, 30, 30, 0, 20, 20 km. The old rule compared week 6's last week (20 km) with (30+30+30+0)/4 = 22.5 km
    # and planned 3 "steady or lighter" sessions: the bug. Now:
    plan = _plan([30, 30, 30, 30, 0, 20, 20, 0])
    # week 5 (the 20-km week) is planned on week 4, which had no running: nothing to ease off for
    assert (plan["gym_recommended"].iloc[5], plan["gym_reason"].iloc[5]) == (3, gymplan.NO_RUNNING)
    # week 6 is planned after the restart: the fewest
    assert plan["gym_recommended"].iloc[6] == 1
    assert plan["gym_reason"].iloc[6] == "running restarted last week (20.0 km after a week without)"
    # week 7: last week 20 km against the running since the break only (week 5, 20 km): 20/20 = 1.00
    assert plan["gym_recommended"].iloc[7] == 3
    assert plan["gym_reason"].iloc[7] == f"{STEADY_20} the week before it (20.0 km)"
    assert plan["gym_reference"].iloc[7] == 20_000.0


def test_steady_weeks_after_a_break_read_as_steady_as_their_week_over_week_change_does():
    # 4 weeks of 30 km, a two-week break, 4 weeks of 30 km again. The old rule compared e.g. week 8's last week
    # (30 km) with (30+0+0+30)/4 = 15 km and called it "rose more than 30%" while week-over-week showed 0%.
    weeks_km = [30, 30, 30, 30, 0, 0, 30, 30, 30, 30, 0]
    plan = _plan(weeks_km)
    change = load.week_over_week(pd.Series([km * 1000 for km in weeks_km], dtype="float64"))
    assert plan["gym_reason"].iloc[7] == "running restarted last week (30.0 km after a week without)"
    # weeks 8-10: last week (weeks 7-9) changed 0% over the week before it ...
    assert change["change_pct"].iloc[7:10].tolist() == [0.0, 0.0, 0.0]
    # ... and its reference is the running since the break: 1, 2, then 3 weeks of 30 km (week 5 ends it)
    assert plan["gym_recommended"].iloc[7:11].tolist() == [1, 3, 3, 3]
    assert plan["gym_reason"].iloc[8:11].tolist() == [
        "steady or lighter: last week's 30.0 km was about the same as the week before it (30.0 km)",
        "steady or lighter: last week's 30.0 km was about the same as your 2-week average (30.0 km)",
        "steady or lighter: last week's 30.0 km was about the same as your 3-week average (30.0 km)",
    ]


@pytest.mark.parametrize(
    ("unit", "reason"),
    [
        ("km", "rising: last week's 28.0 km was 12% above your 4-week average (25.0 km)"),
        # 28 km / 1.609344 = 17.40 mi; 25 km / 1.609344 = 15.53 mi
        ("mi", "rising: last week's 17.4 mi was 12% above your 4-week average (15.5 mi)"),
    ],
)
def test_the_reason_names_its_reference_with_the_numbers(unit, reason):
    # last week 28 km; the 4 weeks before it average (22+28+24+26)/4 = 25 km: 28/25 = 1.12, +12%, "rising".
    # Week over week it was 28 against 26 km (+8%): the reason says which reference it means.
    plan = _plan([22, 28, 24, 26, 28, 0], unit=unit).iloc[-1]
    assert (plan["gym_recommended"], plan["gym_reason"]) == (2, reason)
    assert plan["gym_reference"] == pytest.approx(25_000.0)
    assert plan["gym_trend"] == pytest.approx(1.12)


@pytest.mark.parametrize("first_days", [1, 3, 6])
def test_a_part_first_week_is_unknown_not_scaled_up(first_days):
    # one 12 km Sunday (first_days = 1) used to count as 12 × 7/1 = 84 km; then 12 and 20 km weeks. The old plan
    # for week 3 compared 20 km with (84+12)/2 = 48 km: "steady or lighter", 3 sessions.
    plan = _plan([12, 12, 20, 0], days=[first_days, 7, 7, 7])
    # week 1: last week is the part week, unknown; week 2: its only reference would be the part week
    assert plan["gym_reason"].iloc[1:3].tolist() == [gymplan.TOO_LITTLE_HISTORY] * 2
    assert plan["gym_recommended"].iloc[1:3].tolist() == [2, 2]
    assert math.isnan(plan["gym_reference"].iloc[2])
    # week 3: 20 km against week 1 alone (12 km): 20/12 = 1.67, +67%
    assert plan["gym_recommended"].iloc[3] == 1
    reason = plan["gym_reason"].iloc[3]
    assert reason == "rising sharply: last week's 20.0 km was 67% above the week before it (12.0 km)"


def test_a_whole_first_week_is_a_reference():
    # the same weeks with a whole first week: week 2 compares 12 km with 12 km, steady
    plan = _plan([12, 12, 20, 0], days=[7, 7, 7, 7])
    assert plan["gym_recommended"].iloc[2] == 3


def test_the_weekly_table_plans_after_a_part_first_week_without_scaling_it():
    # runs: Sunday 11 Jan 12 km (a 1-day first week), 18 Jan 12 km, 25 Jan 20 km, 1 Feb 5 km
    frames = frames_of(runs=[(6, 12_000, 3600, 5, None), (13, 12_000, 3600, 5, None), (20, 20_000, 6000, 5, None),
                             (27, 5_000, 1500, 5, None)])  # fmt: skip
    table = weekly.weekly_table(frames, KM, routine_sides=SIDES)
    assert table["days"].tolist() == [1, 7, 7, 7]
    assert table["gym_recommended"].tolist() == [2, 2, 2, 1]
    assert table["gym_reason"].iloc[1] == gymplan.TOO_LITTLE_HISTORY


# -- races ------------------------------------------------------------------------------------------------------

SUNDAY_6 = 48  # Sunday 19 Apr 2026, the last day of week 6 (FIRST + 6×7 + 6)


def test_a_taper_before_a_race_gets_fewer_sessions_not_the_most():
    # 40, 40, 40, 40, 40, 25, 20 km with a 10 km race on Sunday 19 Apr (end of the 20-km week). The running drops,
    # which the old rule planned as "steady or lighter": 3 sessions in the week before the race week (the bug).
    # A 10 km race: 7 + 3 × (10 − 5)/(42.195 − 5) = 7.4 -> a 7-day taper, Sun 12 Apr to Sat 18 Apr.
    plan = _plan([40, 40, 40, 40, 40, 25, 20, 0, 0], races=[(SUNDAY_6, "City 10K", 10)])
    assert plan["gym_recommended"].iloc[5:9].tolist() == [2, 1, 2, 3]
    assert plan["gym_reason"].iloc[5:9].tolist() == [
        # week 5 (6-12 Apr): 1 taper day (Sun 12); the running alone (40 against 40 km) would give 3
        "lighter: the 7-day taper before City 10K on Sun 19 Apr starts on Sun 12 Apr",
        # week 6: the race week; its Saturday is the day before
        "race week: City 10K on Sun 19 Apr, one light session; no gym session on Sat 18 Apr, the day before City 10K",
        # week 7: 7 days of easing back, Mon 20 to Sun 26 Apr (running: 20 against 36.25 km, steady)
        "easing back after City 10K on Sun 19 Apr",
        gymplan.NO_RUNNING,
    ]


@pytest.mark.parametrize(
    ("km", "days"),
    [
        (3, 7),
        (5, 7),
        (10, 7),  # 7 + 3 × 5/37.195 = 7.40
        (21.0975, 8),  # 7 + 3 × 16.0975/37.195 = 8.30
        (30, 9),  # 7 + 3 × 25/37.195 = 9.02
        (42.195, 10),
        (100, 10),
    ],
)
def test_longer_races_taper_longer(km, days):
    assert gymplan.taper_days(km * 1000) == days


@pytest.mark.parametrize(
    ("name", "km", "plans"),
    [
        # 7-day taper Sun 12 - Sat 18 Apr: 1 day in week 5 -> at most 2; easing back Mon 20 - Sun 26 Apr (week 7)
        ("Park 5K", 5, [2, 1, 2, 3]),
        # 10-day taper Thu 9 - Sat 18 Apr: 4 days in week 5 -> 1; easing back to Wed 29 Apr reaches week 8
        ("City Marathon", 42.195, [1, 1, 2, 2]),
    ],
)
def test_a_marathon_tapers_and_eases_back_longer_than_a_5k(name, km, plans):
    # steady weeks (the running alone gives 3 in weeks 5-8: 40/40, 30/40, 30/37.5, 30/35 km), a race on Sun 19 Apr
    plan = _plan([40, 40, 40, 40, 40, 30, 30, 30, 30], races=[(SUNDAY_6, name, km)])
    assert plan["gym_recommended"].iloc[5:9].tolist() == plans


def test_the_day_before_a_monday_race_is_named_in_the_week_before():
    # a 5 km race on Monday 20 Apr: its 7-day taper is the whole of week 6 (13-19 Apr), and Sunday 19 Apr is the day
    # before it
    plan = _plan([20] * 9, races=[(SUNDAY_6 + 1, "Park 5K", 5)])
    assert plan["gym_reason"].iloc[6] == (
        "taper before Park 5K on Mon 20 Apr: 7 of its 7 days in this week, one light session; "
        "no gym session on Sun 19 Apr, the day before Park 5K"
    )
    assert plan["gym_reason"].iloc[7] == "race week: Park 5K on Mon 20 Apr, one light session"
    assert plan["gym_recommended"].iloc[5:8].tolist() == [3, 1, 1]


def test_a_race_week_also_names_the_running_when_it_gives_the_same_number():
    # 20, 20, 20, 20, 27 km and a 5 km race on Sunday of week 5: running alone 27/20 = 1.35 -> 1, the race too
    plan = _plan([20, 20, 20, 20, 27, 0], races=[(5 * 7 + 6, "Park 5K", 5)]).iloc[-1]
    assert plan["gym_recommended"] == 1
    assert plan["gym_reason"] == (
        "race week: Park 5K on Sun 12 Apr, one light session; "
        "rising sharply: last week's 27.0 km was 35% above your 4-week average (20.0 km); "
        "no gym session on Sat 11 Apr, the day before Park 5K"
    )


# -- pain -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weeks_km", "pain_over", "count", "reason"),
    [
        # steady (3), last week over the limits: one fewer
        ([20] * 6, [False] * 4 + [True, False], 2, f"{STEADY_20} your 4-week average (20.0 km); "
         "one session fewer: last week's pain was over the model's limits"),
        # the week's own pain does not change its plan: it is decided from the weeks before it
        ([20] * 6, [False] * 5 + [True], 3, f"{STEADY_20} your 4-week average (20.0 km)"),
        # already the fewest after a restart: it stays 1
        ([0, 0, 0, 0, 15, 0], [False] * 4 + [True, False], 1, "running restarted last week (15.0 km after a week "
         "without); last week's pain was over the model's limits (already the fewest)"),
    ],
)  # fmt: skip
def test_pain_over_the_limits_last_week_lowers_the_plan(weeks_km, pain_over, count, reason):
    last = _plan(weeks_km, pain_over=pain_over).iloc[-1]
    assert (last["gym_recommended"], last["gym_reason"]) == (count, reason)


def test_the_weekly_table_lowers_the_plan_after_a_week_over_the_pain_limits():
    # 10 km each Monday; week 1's run hurt 7/10 during it (over the limit of 5). Week 2: 10 against 10 km is steady
    # (3), one fewer for week 1's pain -> 2. Week 3: steady again, 3.
    runs = [(d, 10_000, 3600, 5, 7 if d == 7 else None) for d in (0, 7, 14, 21)]
    table = weekly.weekly_table(frames_of(runs=runs), KM, routine_sides=SIDES)
    assert table["pain_status"].iloc[1] == pain.STATUS_OVER
    assert table["gym_recommended"].tolist() == [2, 2, 2, 3]
    assert table["gym_reason"].iloc[2].endswith("one session fewer: last week's pain was over the model's limits")


# -- properties -------------------------------------------------------------------------------------------------


@given(st.lists(st.floats(0, 200_000), min_size=1, max_size=40), st.data())
def test_the_plan_is_always_one_to_three_and_one_in_a_race_week(distances, data):
    n = len(distances)
    days = data.draw(st.lists(st.integers(1, 7), min_size=n, max_size=n))
    over = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    races = data.draw(st.lists(st.tuples(st.integers(-20, 7 * n + 20), st.floats(1000, 200_000)), max_size=5))
    plan = _plan([d / 1000 for d in distances], [(d, f"Race {d}", m / 1000) for d, m in races], days, over)
    assert plan["gym_recommended"].between(gymplan.FEWEST, gymplan.MOST).all()
    for d, _ in races:
        if 0 <= d < 7 * n:
            assert plan["gym_recommended"].iloc[d // 7] == gymplan.FEWEST


def test_the_rule_is_written_down_with_the_numbers_the_code_uses():
    pct = lambda ratio: f"{(ratio - 1) * 100:.0f}"  # noqa: E731
    for words in (
        f"**{gymplan.FEWEST} gym session**",
        f"**{gymplan.MIDDLE} sessions**",
        f"**{gymplan.MOST} sessions**",
        f"up to {gymplan.REFERENCE_WEEKS} whole weeks",
        f"fewer than {gymplan.WHOLE_WEEK_DAYS} of its days",
        f"more than {pct(gymplan.RISING_SHARPLY)}% above",
        f"{pct(gymplan.RISING)}–{pct(gymplan.RISING_SHARPLY)}% above",
        f"{gymplan.TAPER_DAYS_SHORT} days before a race of {gymplan.TAPER_SHORT_M / 1000:g} km or less",
        f"{gymplan.TAPER_DAYS_LONG} days before a marathon",
        f"{gymplan.TAPER_MOSTLY_DAYS} or more taper days",
        "race week",
        "no gym session the day before the race",
        "easing back",
        f"{gymplan.PAIN_STEP} session fewer (never below {gymplan.FEWEST})",
        "a week without running starts the average afresh",
    ):
        assert words in gymplan.RULE, words
    assert gymplan.TAPER_LONG_M == 42_195.0  # "a marathon" in the text


# -- adherence --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "recommended", "complete", "label", "ratio"),
    [
        (2, 2, True, gymplan.AS_PLANNED, 1.0),
        (1, 3, True, gymplan.BELOW, 1 / 3),
        (3, 1, True, gymplan.ABOVE, 3.0),
        (0, 2, False, gymplan.IN_PROGRESS, 0.0),
        (2, 2, False, gymplan.AS_PLANNED, 1.0),
    ],
)
def test_adherence_compares_each_week_with_its_plan(done, recommended, complete, label, ratio):
    result = gymplan.adherence(pd.Series([done]), pd.Series([recommended]), pd.Series([complete])).iloc[0]
    assert result["gym_vs_plan"] == label
    assert result["gym_adherence"] == pytest.approx(ratio)
