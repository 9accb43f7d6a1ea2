"""Daily pain scores, the pain-monitoring model (Silbernagel 2007) and meaningful change (Farrar 2001)."""

import math

import numpy as np
import pandas as pd
import pytest

from kneelog.analysis import pain

NAN = float("nan")


def _checkins(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["id", "date", "knee", "stairs", "squat", "sitting", "morning_after"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.astype({c: "float64" for c in ("stairs", "squat", "sitting", "morning_after")})


def test_everyday_pain_is_the_mean_of_the_moments_answered():
    daily = pain.daily_pain(_checkins([{"date": "2026-03-02", "knee": "both", "stairs": 3, "squat": 5}]))
    assert daily.loc["2026-03-02", "pain"] == 4.0


def test_the_morning_after_is_kept_apart_from_everyday_pain_but_counts_for_the_worst():
    daily = pain.daily_pain(
        _checkins([{"date": "2026-03-02", "knee": "both", "stairs": 1, "sitting": 1, "morning_after": 7}])
    )
    row = daily.loc["2026-03-02"]
    assert (row["pain"], row["pain_worst"], row["morning_after"]) == (1.0, 7.0, 7.0)


def test_with_two_knees_the_worse_knee_counts():
    daily = pain.daily_pain(
        _checkins(
            [
                {"date": "2026-03-02", "knee": "left", "stairs": 2, "squat": 2},
                {"date": "2026-03-02", "knee": "right", "stairs": 5, "squat": 3},
            ]
        )
    )
    assert daily.loc["2026-03-02", "pain"] == 4.0
    assert daily.loc["2026-03-02", "checkins"] == 2


def test_no_check_ins_give_an_empty_daily_frame():
    assert pain.daily_pain(_checkins([])).empty


@pytest.mark.parametrize(
    ("baseline", "next_morning", "unsettled"),
    [
        (2, 2, False),
        (2, 3, False),  # one point up: within the scale's noise
        (2, 4, True),  # two points up: a meaningful rise (Farrar 2001)
        (1, 0, False),
        (None, 5, False),  # no check-in before the run: only the absolute limit applies
        (None, 6, True),  # above 5 the morning after
        (5, 6, True),
    ],
)
def test_pain_must_settle_by_the_next_morning(baseline, next_morning, unsettled):
    # day 0: everyday check-in (baseline); day 1: a run; day 2: the morning-after score
    run_day = pd.Series([False, True, False])
    everyday = pd.Series([NAN if baseline is None else baseline, NAN, NAN], dtype="float64")
    morning = pd.Series([NAN, NAN, next_morning], dtype="float64")
    result = pain.settling(run_day, everyday, morning)
    assert result["unsettled"].tolist() == [False, unsettled, False]
    assert result["next_morning"].iloc[1] == next_morning


def test_a_baseline_older_than_a_week_is_not_used():
    run_day = pd.Series([False] * 8 + [True, False])
    everyday = pd.Series([0.0] + [NAN] * 9)  # the only check-in is 8 days before the run
    morning = pd.Series([NAN] * 9 + [3.0])
    result = pain.settling(run_day, everyday, morning)
    assert math.isnan(result["baseline"].iloc[8])
    assert not result["unsettled"].iloc[8]


def test_the_baseline_is_the_last_check_in_before_the_run_day():
    run_day = pd.Series([False, False, True, False])
    everyday = pd.Series([1.0, 3.0, 0.0, NAN])  # the run-day check-in (0) comes after the run: not the baseline
    morning = pd.Series([NAN, NAN, NAN, 4.0])
    result = pain.settling(run_day, everyday, morning)
    assert result["baseline"].iloc[2] == 3.0
    assert not result["unsettled"].iloc[2]


@pytest.mark.parametrize(
    ("before", "after", "label"),
    [
        (2.0, 4.0, pain.WORSE),  # 2 points
        (2.0, 3.9, pain.WORSE),  # 1.9 points but 95%, and at least a point
        (5.0, 6.4, ""),  # 1.4 points, 28%
        (5.0, 6.5, pain.WORSE),  # 30%
        (4.0, 2.0, pain.BETTER),
        (0.5, 0.8, ""),  # 60% but under one point: within the scale's resolution
        (0.0, 1.5, ""),  # no percentage from zero, and under 2 points
        (0.0, 2.0, pain.WORSE),
        (NAN, 5.0, ""),
        (3.0, NAN, ""),
    ],
)
def test_a_meaningful_change_is_two_points_or_thirty_percent(before, after, label):
    result = pain.meaningful_change(pd.Series([before]), pd.Series([after]))
    assert result.tolist() == [label]


def _weeks(**columns) -> pd.DataFrame:
    base = {"pain_mean": [1.0, 1.0], "pain_during_worst": [NAN, NAN], "next_morning_mean": [NAN, NAN]}
    base["unsettled_runs"] = [0, 0]
    return pd.DataFrame(base | columns)


@pytest.mark.parametrize(
    ("columns", "status", "reason"),
    [
        ({"pain_during_worst": [NAN, 5.0]}, pain.STATUS_WITHIN, ""),
        ({"pain_during_worst": [NAN, 6.0]}, pain.STATUS_OVER, "pain during a run reached 6/10 (limit 5)"),
        ({"unsettled_runs": [0, 2]}, pain.STATUS_OVER, "pain had not settled the morning after 2 runs"),
        ({"pain_mean": [1.0, 3.5]}, pain.STATUS_OVER, "weekly pain rose from 1.0 to 3.5"),
        ({"pain_mean": [3.5, 1.0]}, pain.STATUS_WITHIN, ""),
        ({"pain_mean": [NAN, NAN]}, pain.STATUS_NONE, ""),
        ({"pain_mean": [NAN, NAN], "next_morning_mean": [NAN, 1.0]}, pain.STATUS_WITHIN, ""),
    ],
)
def test_each_week_gets_a_pain_monitoring_status(columns, status, reason):
    result = pain.weekly_status(_weeks(**columns)).iloc[1]
    assert result["pain_status"] == status
    assert result["pain_reasons"] == reason


def test_every_broken_limit_is_named():
    weeks = _weeks(pain_mean=[1.0, 4.0], pain_during_worst=[NAN, 7.0], unsettled_runs=[0, 1])
    reasons = pain.weekly_status(weeks).iloc[1]["pain_reasons"]
    assert reasons.split("; ") == [
        "pain during a run reached 7/10 (limit 5)",
        "pain had not settled the morning after 1 run",
        "weekly pain rose from 1.0 to 4.0",
    ]
    assert pain.weekly_status(weeks).iloc[1]["pain_change"] == pain.WORSE


def test_status_keeps_the_weekly_index():
    weeks = _weeks().set_index(pd.Index(np.array(["2026-03-02", "2026-03-09"], dtype="datetime64[ns]")))
    assert pain.weekly_status(weeks).index.equals(weeks.index)
