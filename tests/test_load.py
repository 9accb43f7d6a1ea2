"""Training-load formulas against the issue's worked values and hand-computable cases."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneelog.analysis import load


def _days(values) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2026-01-05", periods=len(values), freq="D"), dtype="float64")


FOUR_DECIMALS = 5e-5


@pytest.fixture
def thirty_then_fifty() -> pd.DataFrame:
    """Loads of 30 a day for 21 days, then 50 a day for 7: the issue's worked example, read on day 28."""
    return load.acute_chronic(_days([30] * 21 + [50] * 7))


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("ratio_coupled", 50 / 35),  # 1.4286
        ("ratio_uncoupled", 50 / 30),  # 1.6667
        ("acute", 47.3303),
        ("chronic", 37.8720),
        ("ratio", 1.2497),
    ],
)
def test_acute_chronic_reproduces_the_worked_values_on_day_28(thirty_then_fifty, column, expected):
    assert round(thirty_then_fifty[column].iloc[-1], 4) == pytest.approx(round(expected, 4), abs=FOUR_DECIMALS)


def test_ewma_follows_lambda_two_over_n_plus_one_from_the_first_days_load():
    # acute after 7 days of 50 on a 30 base: 50 - 20 (1 - 2/8)^7; chronic: 50 - 20 (1 - 2/29)^7
    result = load.acute_chronic(_days([30] * 21 + [50] * 7)).iloc[-1]
    assert result["acute"] == pytest.approx(50 - 20 * 0.75**7)
    assert result["chronic"] == pytest.approx(50 - 20 * (27 / 29) ** 7)


def test_ewma_is_seeded_with_the_first_days_load_not_zero():
    steady = load.acute_chronic(_days([40] * 30))
    assert steady["acute"].tolist() == pytest.approx([40.0] * 30)
    assert steady["chronic"].tolist() == pytest.approx([40.0] * 30)


def test_load_ratio_is_warming_up_before_28_days_of_history():
    ratios = load.acute_chronic(_days([30] * 40))
    for column in ("ratio", "ratio_coupled", "ratio_uncoupled"):
        assert ratios[column].iloc[:27].isna().all(), column
        assert ratios[column].iloc[27:].notna().all(), column


def test_load_ratio_is_not_shown_when_chronic_load_is_zero():
    ratios = load.acute_chronic(_days([0] * 35))
    assert ratios[["ratio", "ratio_coupled", "ratio_uncoupled"]].isna().all().all()


def test_rest_days_count_as_zero_in_the_ratio():
    # 28 days: a 70 on day 1 and nothing after; coupled chronic = 70/28, acute (last 7 days) = 0
    ratios = load.acute_chronic(_days([70] + [0] * 27)).iloc[-1]
    assert ratios["chronic_28"] == pytest.approx(2.5)
    assert ratios["ratio_coupled"] == 0.0


@given(st.lists(st.floats(0, 2000), min_size=28, max_size=60), st.floats(0.01, 100))
def test_load_ratios_do_not_depend_on_the_load_scale(loads, factor):
    plain = load.acute_chronic(_days(loads))
    scaled = load.acute_chronic(_days([x * factor for x in loads]))
    for column in ("ratio", "ratio_coupled", "ratio_uncoupled"):
        pd.testing.assert_series_equal(plain[column], scaled[column], rtol=1e-6, check_names=False)


@pytest.mark.parametrize(
    ("day", "ctl", "atl", "form"),
    [
        (7, 15.5223, 66.0083, None),
        (42, 63.6544, 99.8457, -37.0521),
    ],
)
def test_fitness_and_fatigue_reproduce_the_worked_values(day, ctl, atl, form):
    lines = load.fitness_fatigue(_days([100] * 42)).iloc[day - 1]
    assert round(lines["ctl"], 4) == pytest.approx(ctl, abs=FOUR_DECIMALS)
    assert round(lines["atl"], 4) == pytest.approx(atl, abs=FOUR_DECIMALS)
    if form is not None:
        assert round(lines["form"], 4) == pytest.approx(form, abs=FOUR_DECIMALS)


def test_form_is_yesterdays_fitness_minus_fatigue():
    lines = load.fitness_fatigue(_days([100] * 10 + [0] * 5))
    assert lines["form"].iloc[0] == 0.0
    expected = (lines["ctl"] - lines["atl"]).shift(1).iloc[1:]
    assert lines["form"].iloc[1:].tolist() == pytest.approx(expected.tolist())


def test_fitness_starts_from_zero():
    # day 1 of 100: CTL = 100/42, ATL = 100/7
    first = load.fitness_fatigue(_days([100])).iloc[0]
    assert first["ctl"] == pytest.approx(100 / 42)
    assert first["atl"] == pytest.approx(100 / 7)


def test_monotony_and_strain_reproduce_the_worked_values():
    monotony, strain = load.monotony_strain([0, 300, 200, 0, 400, 250, 350])
    assert round(monotony, 4) == pytest.approx(1.4467, abs=FOUR_DECIMALS)
    assert round(strain, 1) == pytest.approx(2170.1, abs=0.05)


def test_monotony_uses_the_population_standard_deviation():
    # loads 0 and 2 alternating-ish: mean 1, population SD 1 -> monotony 1 (a sample SD would give less)
    monotony, strain = load.monotony_strain([0, 2, 0, 2, 0, 2, 1])
    values = np.array([0, 2, 0, 2, 0, 2, 1.0])
    assert monotony == pytest.approx(values.mean() / math.sqrt(((values - values.mean()) ** 2).mean()))
    assert strain == pytest.approx(values.sum() * monotony)


@pytest.mark.parametrize("week", [[60] * 7, [0] * 7, [60] * 6, [60] * 8, [1, 2, 3, 4, 5, 6, float("nan")]])
def test_monotony_is_undefined_not_infinite_for_flat_or_partial_weeks(week):
    monotony, strain = load.monotony_strain(week)
    assert math.isnan(monotony) and math.isnan(strain)


@pytest.mark.parametrize(
    ("rpe", "minutes", "expected_load", "estimated"),
    [
        ([6.0], [50], [300.0], [False]),  # Foster 2001: RPE × minutes
        ([4.0, None, 8.0], [30, 60, 45], [120.0, 360.0, 360.0], [False, True, False]),  # missing -> median 6
        ([None, None], [40, 20], [200.0, 100.0], [True, True]),  # none rated -> 5
    ],
)
def test_session_load_is_effort_times_minutes_with_missing_effort_estimated(rpe, minutes, expected_load, estimated):
    sessions = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-01-05"] * len(rpe)),
            "duration_s": [m * 60.0 for m in minutes],
            "rpe": pd.Series(rpe, dtype="float64"),
        }
    )
    result = load.session_load(sessions)
    assert result["load"].tolist() == pytest.approx(expected_load)
    assert result["estimated"].tolist() == estimated


@pytest.mark.parametrize(
    ("last_week", "this_week", "change", "flag"),
    [
        (10_000, 14_000, 40.0, load.FLAG_OVER),
        (10_000, 13_000, 30.0, ""),  # exactly 30% is not above 30%
        (10_000, 13_001, 30.01, load.FLAG_OVER),
        (10_000, 11_000, 10.0, ""),  # the 10% rule is not a flag
        (10_000, 0, -100.0, ""),
        (0, 5_000, None, load.FLAG_RESTART),
        (0, 0, None, ""),
    ],
)
def test_week_over_week_change_flags_over_30_percent_and_restarts(last_week, this_week, change, flag):
    result = load.week_over_week(pd.Series([last_week, this_week], dtype="float64")).iloc[1]
    if change is None:
        assert math.isnan(result["change_pct"])
    else:
        assert result["change_pct"] == pytest.approx(change)
    assert result["flag"] == flag


def test_week_over_week_leaves_out_incomplete_weeks():
    distance = pd.Series([3_000, 20_000, 30_000, 10_000], dtype="float64")
    complete = pd.Series([False, True, True, False])
    result = load.week_over_week(distance, complete)
    assert result["change_pct"].isna().tolist() == [True, True, False, True]
    assert result["flag"].tolist() == ["", "", load.FLAG_OVER, ""]


@pytest.fixture
def gym_hides_the_spike() -> tuple[pd.DataFrame, pd.DataFrame]:
    """28 days of 20 running load (5 km) and 60 gym load a day, then running doubles in load to 40 (6 km) while the
    gym stays at 60: the running ratios and the ratio of all load (80 a day, then 100), days 29 to 31."""
    run = _days([20] * 28 + [40] * 3)
    distance = _days([5000] * 28 + [6000] * 3)
    gym = _days([60] * 31)
    return load.running_ratios(run, distance), load.acute_chronic(run + gym)


@pytest.mark.parametrize(
    ("day", "running", "distance", "everything"),
    [
        # k days after the step, EWMA = new − step · (1 − λ)^k, λ = 2/8 (acute) and 2/29 (chronic):
        # day 29, k = 1: running 25 ÷ (40 − 20·27/29 = 21.3793) = 1.1694; distance 5250 ÷ 5068.97 = 1.0357;
        # all load 85 ÷ (100 − 20·27/29 = 81.3793) = 1.0445
        (29, (40 - 20 * 0.75) / (40 - 20 * 27 / 29), (6000 - 1000 * 0.75) / (6000 - 1000 * 27 / 29), 85 / 81.3793),
        # day 30, k = 2: running 28.75 ÷ 22.6635 = 1.2686; distance 5437.5 ÷ 5133.18 = 1.0593; all 88.75 ÷ 82.6635
        (30, 28.75 / 22.6635, 5437.5 / 5133.175, 88.75 / 82.6635),
        # day 31, k = 3: (27/29)^3 = 0.807044 -> running 31.5625 ÷ 23.8591 = 1.3229; distance 5578.125 ÷ 5192.956
        # = 1.0742; all 91.5625 ÷ 83.8591 = 1.0919
        (31, 31.5625 / 23.8591, 5578.125 / 5192.956, 91.5625 / 83.8591),
    ],
)
def test_the_running_ratio_shows_a_spike_that_gym_load_hides(gym_hides_the_spike, day, running, distance, everything):
    ratios, all_load = gym_hides_the_spike
    assert ratios["ratio_run"].iloc[day - 1] == pytest.approx(running, abs=FOUR_DECIMALS)
    assert ratios["ratio_distance"].iloc[day - 1] == pytest.approx(distance, abs=FOUR_DECIMALS)
    assert all_load["ratio"].iloc[day - 1] == pytest.approx(everything, abs=FOUR_DECIMALS)
    assert ratios["ratio_run"].iloc[day - 1] > all_load["ratio"].iloc[day - 1]


def test_running_ratios_carry_the_running_ewma_and_the_uncoupled_rolling_ratio(gym_hides_the_spike):
    ratios, _ = gym_hides_the_spike
    last = ratios.iloc[-1]
    assert last["acute_run"] == pytest.approx(31.5625)  # 40 − 20 · 0.75^3
    assert last["chronic_run"] == pytest.approx(40 - 20 * (27 / 29) ** 3)  # 23.8591
    # day 31: the last 7 days (25-31) are 4 × 20 + 3 × 40 = 200, mean 28.571; the 21 days before (4-24) mean 20
    assert last["ratio_run_uncoupled"] == pytest.approx(200 / 7 / 20)


def test_running_ratios_warm_up_like_the_ratio_of_all_load():
    ratios = load.running_ratios(_days([30] * 30), _days([5000] * 30))[
        ["ratio_run", "ratio_run_uncoupled", "ratio_distance"]
    ]
    assert ratios.iloc[:27].isna().all().all()  # days 1-27: less than 28 days of history
    assert ratios.iloc[27:].notna().all().all()


@pytest.mark.parametrize(
    ("day", "warming_up"),
    [(1, True), (41, True), (42, False), (43, False), (60, False)],  # fewer than 42 days of history: warming up
)
def test_fitness_is_warming_up_for_its_first_42_days(day, warming_up):
    lines = load.fitness_fatigue(_days([100] * 60))
    assert bool(lines["warming_up"].iloc[day - 1]) is warming_up
