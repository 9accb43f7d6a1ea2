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
    """Consecutive weeks, complete and with a run each unless ``columns`` say otherwise (two weeks by default)."""
    n = len(next(iter(columns.values()))) if columns else 2
    base = {"pain_mean": [1.0] * n, "pain_during_worst": [NAN] * n, "next_morning_mean": [NAN] * n}
    base |= {"unsettled_runs": [0] * n, "runs": [1] * n, "complete": [True] * n}
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


# -- limit 3 read as three checks: the week before, a reference, rises in a row --------------------------------------

CREEPING = [1.0, 1.25, 1.55, 1.9, 2.35, 2.9, 3.6, 4.4]  # the weekly means: 4.4-fold, never a 30% step


def test_creeping_pain_is_flagged_from_the_second_rise_in_a_row():
    result = pain.weekly_status(_weeks(pain_mean=CREEPING))
    # week to week: +0.25, +0.30, +0.35 (18%), +0.45 (24%), +0.55 (23%), +0.70 (24%), +0.80 (22%): each under
    # 2 points and under 30% (or under the 1-point floor), so the old check alone never flagged a week
    assert result["pain_change"].tolist() == [""] * 8
    # rises of at least 0.2 over a complete week: week 2 (+0.25) is the first, week 3 (+0.30) the second in a row,
    # so week 3 is the first week over the limit
    assert result["pain_status"].tolist() == [pain.STATUS_WITHIN] * 2 + [pain.STATUS_OVER] * 6
    assert result["pain_reasons"].iloc[2] == "weekly pain rose two weeks in a row, from 1.00 to 1.55"
    assert result["pain_reasons"].iloc[3] == "weekly pain rose three weeks in a row, from 1.00 to 1.90"


def test_creeping_pain_passes_its_reference_from_week_five():
    reasons = pain.weekly_status(_weeks(pain_mean=CREEPING))["pain_reasons"]
    # week 3: the lowest of weeks 1-2 is 1.00; 1.55 is 0.55 above, under the 1-point floor
    # week 4: the lowest of weeks 1-3 is 1.00; 1.90 is 0.90 above (90%), still under the floor
    # week 5: the lowest of weeks 1-4 is 1.00; 2.35 is 1.35 above: at least 1 point and 135% >= 30%
    assert "lowest" not in reasons.iloc[3]
    assert reasons.iloc[4].split("; ") == [
        "weekly pain 2.35 is 1.35 points (135%) above the lowest of the previous 4 complete weeks (1.00)",
        "weekly pain rose four weeks in a row, from 1.00 to 2.35",
    ]
    # week 8: the lowest of weeks 4-7 is 1.90; 4.40 is 2.50 above (2.5 / 1.9 = 132%)
    assert reasons.iloc[7].startswith("weekly pain 4.40 is 2.50 points (132%) above the lowest of the previous 4")


def test_a_rise_over_the_reference_is_flagged_when_the_week_before_was_already_high():
    # week 5 against week 4: 2.2 -> 2.1, no rise; against the lowest of weeks 1-4 (1.0): 1.1 points, 110%
    result = pain.weekly_status(_weeks(pain_mean=[1.0, 1.9, 1.0, 2.2, 2.1])).iloc[4]
    assert result["pain_status"] == pain.STATUS_OVER
    assert result["pain_reasons"] == (
        "weekly pain 2.10 is 1.10 points (110%) above the lowest of the previous 4 complete weeks (1.00)"
    )


def test_a_single_jump_is_named_once_as_a_rise_from_the_week_before():
    # 1.0 -> 3.5 is 2.5 points: a meaningful rise over the week before; the reference (1.0, the same level) adds
    # nothing, and one rise is not two in a row
    result = pain.weekly_status(_weeks(pain_mean=[1.0, 1.0, 1.0, 1.0, 3.5])).iloc[4]
    assert (result["pain_status"], result["pain_change"]) == (pain.STATUS_OVER, pain.WORSE)
    assert result["pain_reasons"] == "weekly pain rose from 1.0 to 3.5"


@pytest.mark.parametrize(
    ("means", "flagged"),
    [
        ([1.0, 1.2, 1.4], True),  # +0.2 twice: 1.2 - 1.0 is 0.19999999999999996 in floats and still counts
        ([1.0, 1.1, 1.2], False),  # +0.1 twice: one day's wobble
        ([1.0, 1.5, 1.4, 1.9], False),  # the fall in week 3 ends the first run of rises
        ([1.0, 1.3, NAN, 1.6, 1.9], False),  # a week without check-ins ends it too: week 5 is one rise
        ([2.0, 2.0, 2.0, 2.0], False),
    ],
)
def test_two_rises_in_a_row_of_at_least_a_fifth_of_a_point_break_the_weekly_limit(means, flagged):
    last = pain.weekly_status(_weeks(pain_mean=means)).iloc[-1]
    assert (last["pain_status"] == pain.STATUS_OVER) is flagged
    assert ("in a row" in last["pain_reasons"]) is flagged


def test_a_part_week_is_never_the_reference():
    # week 1 started on a Thursday (not complete) with a low mean; weeks 2-4 are complete
    weeks = _weeks(pain_mean=[0.5, 2.0, 2.0, 2.4], complete=[False, True, True, True])
    reference = pain.reference_pain(weeks["pain_mean"], weeks["complete"]).iloc[3]
    # the reference of week 4 is the lowest of the complete weeks 2 and 3 (2.0), not the part week's 0.5
    assert (reference["reference"], reference["reference_weeks"]) == (2.0, 2)
    result = pain.weekly_status(weeks).iloc[3]
    # 2.4 is 0.4 above 2.0: within; against 0.5 it would have been 1.9 points (380%) and flagged
    assert (result["pain_status"], result["pain_reasons"]) == (pain.STATUS_WITHIN, "")


def test_a_part_week_does_not_start_a_run_of_rises():
    # week 2 rises 0.5 over a part week: not counted; week 3 rises 0.5 over week 2: one rise
    weeks = _weeks(pain_mean=[0.5, 1.0, 1.5], complete=[False, True, True])
    assert pain.rises_in_a_row(weeks["pain_mean"], weeks["complete"]).tolist() == [0, 0, 1]
    assert pain.weekly_status(weeks).iloc[2]["pain_status"] == pain.STATUS_WITHIN


def test_a_reference_needs_two_complete_weeks_with_check_ins():
    weeks = _weeks(pain_mean=[1.0, NAN, 1.0, 3.0], complete=[True, True, False, True])
    # before week 4: week 1 (complete, 1.0), week 2 (no check-ins), week 3 (part week): one qualifies
    assert math.isnan(pain.reference_pain(weeks["pain_mean"], weeks["complete"]).iloc[3]["reference"])


@pytest.mark.parametrize(
    ("columns", "status", "reason"),
    [
        ({"runs": [1, 0]}, pain.STATUS_NO_RUNS, ""),  # check-ins, no runs: only weekly pain could be checked
        ({"runs": [1, 0], "pain_mean": [1.0, 3.5]}, pain.STATUS_OVER, "weekly pain rose from 1.0 to 3.5"),
        ({"runs": [1, 0], "pain_mean": [1.0, NAN]}, pain.STATUS_NONE, ""),  # no runs, no check-ins
    ],
)
def test_a_week_without_runs_is_not_within_all_three_limits(columns, status, reason):
    result = pain.weekly_status(_weeks(**columns)).iloc[1]
    assert (result["pain_status"], result["pain_reasons"]) == (status, reason)


def test_the_zones_of_pain_during_running_follow_the_model():
    # Silbernagel et al. 2007, Fig. 1: 0-2 safe, 2-5 acceptable, above 5 over the limit of 5/10
    assert pain.DURING_ZONES == (("safe", 0, 2), ("acceptable", 2, 5), ("over the limit", 5, 10))
