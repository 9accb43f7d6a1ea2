"""The gym plan: one to three sessions a week by the written rule, and adherence to it."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneelog.analysis import gymplan


def _plan(distances_km: list[float], races: list[bool] | None = None) -> pd.DataFrame:
    distance = pd.Series([d * 1000 for d in distances_km], dtype="float64")
    race = pd.Series(races or [False] * len(distances_km))
    return gymplan.recommended_sessions(distance, race)


@pytest.mark.parametrize(
    ("weeks_km", "races", "count", "reason"),
    [
        # the week judged is the last one; its trend is the week before it ÷ the 4 weeks before that
        ([20, 20, 20, 20, 20, 0], None, 3, "steady or lighter running"),
        ([20, 20, 20, 20, 22, 0], None, 3, "steady or lighter running"),  # +10%: steady
        ([20, 20, 20, 20, 23, 0], None, 2, "last week's distance rose 10–30%"),
        ([20, 20, 20, 20, 26, 0], None, 2, "last week's distance rose 10–30%"),  # +30% exactly
        ([20, 20, 20, 20, 27, 0], None, 1, "last week's distance rose more than 30%"),
        ([20, 20, 20, 20, 10, 0], None, 3, "steady or lighter running"),
        ([20, 20, 20, 20, 20, 20], [False] * 5 + [True], 1, "a race this week"),
        ([0, 0, 0, 0, 15, 0], None, 1, "running restarted last week"),
        ([0, 0, 0, 0, 0, 0], None, 3, "steady or lighter running"),
        ([20, 25], None, 2, "too little history to compare yet"),
        ([20], None, 2, "too little history to compare yet"),
    ],
)
def test_recommended_gym_sessions_follow_the_written_rule(weeks_km, races, count, reason):
    last = _plan(weeks_km, races).iloc[-1]
    assert (last["gym_recommended"], last["gym_reason"]) == (count, reason)


def test_the_trend_uses_only_the_weeks_that_exist():
    # week 3: last week 30 km against the mean of one earlier week (20 km) -> +50%
    plan = _plan([20, 30, 0])
    assert plan["gym_trend"].iloc[2] == pytest.approx(1.5)
    assert plan["gym_recommended"].iloc[2] == 1


@given(st.lists(st.floats(0, 200_000), min_size=1, max_size=40), st.data())
def test_the_plan_is_always_one_to_three_sessions(distances, data):
    races = pd.Series(data.draw(st.lists(st.booleans(), min_size=len(distances), max_size=len(distances))))
    plan = gymplan.recommended_sessions(pd.Series(distances, dtype="float64"), races)
    assert plan["gym_recommended"].between(gymplan.FEWEST, gymplan.MOST).all()
    assert (plan.loc[races.to_numpy(), "gym_recommended"] == 1).all()


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


def test_the_rule_is_written_down_with_its_numbers():
    for words in ("1 gym session", "2 sessions", "3 sessions", "race week", "30%", "10–30%"):
        assert words in gymplan.RULE
