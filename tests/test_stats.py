"""Rank correlations with autocorrelation-aware intervals, the gates, lags, part weeks, the primary family with Holm's
correction, run days, and the HAC regression."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneelog.analysis import stats


@pytest.mark.parametrize(
    ("n", "gate"),
    [(0, stats.TOO_FEW), (11, stats.TOO_FEW), (12, stats.EXPLORATORY), (25, stats.EXPLORATORY), (26, stats.ENOUGH)],
)
def test_nothing_below_12_pairs_and_exploratory_below_26(n, gate):
    assert stats.gate(n) == gate


def test_a_correlation_on_11_pairs_is_not_shown_and_says_what_is_missing():
    result = stats.spearman(range(11), range(11))
    assert not result.shown
    assert (result.n, result.gate, result.reason) == (11, stats.TOO_FEW, "needs 1 more paired weeks")


def test_a_correlation_on_12_pairs_is_shown_as_exploratory():
    rng = np.random.default_rng(1)
    result = stats.spearman(rng.normal(size=12), rng.normal(size=12))
    assert result.shown and result.gate == stats.EXPLORATORY and result.n == 12


def test_pairs_with_a_missing_side_are_dropped_before_counting():
    x = [1, 2, 3, None, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    y = [2, 1, 4, 3, None, 5, 8, 7, 9, 11, 10, 12, 14]
    assert stats.spearman(pd.Series(x, dtype="float64"), pd.Series(y, dtype="float64")).n == 11


@pytest.mark.parametrize(("y_sign", "rho"), [(1, 1.0), (-1, -1.0)])
def test_spearman_is_one_for_any_monotone_relationship(y_sign, rho):
    x = np.arange(1, 31, dtype="float64")
    result = stats.spearman(x, y_sign * x**3)
    assert result.rho == pytest.approx(rho)


def test_a_factor_that_never_varies_is_not_correlated():
    result = stats.spearman([2.0] * 20, range(20))
    assert not result.shown
    assert result.reason == "the factor was the same every time"


NAN = float("nan")


@pytest.mark.parametrize(
    ("values", "r1"),
    [
        # x̄ = 3, deviations −2, −1, 1, 0, 2: Σd² = 4 + 1 + 1 + 0 + 4 = 10; neighbours (−2)(−1) + (−1)(1) + (1)(0)
        # + (0)(2) = 2 − 1 = 1; r1 = 1/10 (the Pearson correlation of v[:-1] with v[1:] would say 0.4)
        ([1, 2, 4, 3, 5], 0.1),
        # the same values with a missing week after the second: x̄ and Σd² = 10 as above, but only (−2)(−1) = 2,
        # (1)(0) = 0 and (0)(2) = 0 are neighbours; 2 and 4 sit either side of the gap: r1 = 2/10
        ([1, 2, NAN, 4, 3, 5], 0.2),
        # x̄ = 1.5, deviations ±0.5 alternating: 7 neighbours of −0.25 = −1.75 over 8 × 0.25 = 2
        ([1, 2, 1, 2, 1, 2, 1, 2], -0.875),
        # 0..9: deviations −4.5..4.5, Σd² = 82.5; Σ d_t d_(t+1) = 15.75 + 8.75 + 3.75 + 0.75 − 0.25 + 0.75 + 3.75
        # + 8.75 + 15.75 = 57.75; r1 = 0.7
        (range(10), 0.7),
        ([3, 3, 3, 3], 0.0),  # constant: undefined, 0
        ([1, NAN, 2, NAN, 3], 0.0),  # no two neighbours present: undefined, 0
    ],
)
def test_lag1_autocorrelation_is_the_standard_estimator_over_consecutive_weeks(values, r1):
    assert stats.lag1_autocorrelation(values) == pytest.approx(r1)


def test_effective_n_follows_bartlett_for_two_ar1_series():
    # x ranks alternate: x̄ = 4.5, Σd² = 42, neighbours sum to −15.75, r1 = −0.375; y = 0..7 has r1 = 26.25/42 =
    # 0.625; the product −0.234 would claim more pairs than there are -> capped at n = 8
    x = [1, 5, 2, 6, 3, 7, 4, 8]
    assert stats.effective_n(x, range(8)) == 8
    # x and y both 0..19: Σd² = 20 (20² − 1)/12 = 665, Σ d_t d_(t+1) = Σd² − d₁₉² − d₁₉ = 665 − 90.25 − 9.5 =
    # 565.25, so r1 = 0.85 each, product 0.7225: n_eff = 20 × 0.2775 / 1.7225 = 3.222
    assert stats.effective_n(range(20), range(20)) == pytest.approx(20 * 0.2775 / 1.7225)


def test_effective_n_by_hand():
    # ranks of x 1..6: d = ±2.5, ±1.5, ±0.5, Σd² = 17.5, neighbours 3.75 + 0.75 − 0.25 + 0.75 + 3.75 = 8.75: r1 = 0.5
    # ranks of y 1,3,2,5,4,6: d = −2.5, −0.5, −1.5, 1.5, 0.5, 2.5, neighbours 1.25 + 0.75 − 2.25 + 0.75 + 1.25 = 1.75:
    # r1 = 0.1; product 0.05: n_eff = 6 × 0.95 / 1.05 = 5.4286
    assert stats.effective_n(range(6), [1, 3, 2, 5, 4, 6]) == pytest.approx(6 * 0.95 / 1.05)


def test_effective_n_ranks_only_the_pairs_present_and_keeps_their_gaps():
    # the pair in the middle is missing on one side: the 6 pairs left are those of the test above, but with a gap
    # between the third and the fourth. Ranks of x 1..6: neighbours 3.75 + 0.75 + 0.75 + 3.75 = 9, r1 = 9/17.5;
    # ranks of y 1,3,2,5,4,6: neighbours 1.25 + 0.75 + 0.75 + 1.25 = 4, r1 = 4/17.5
    product = (9 / 17.5) * (4 / 17.5)
    x = [10, 20, 30, 35, 40, 50, 60]
    y = [1, 3, 2, NAN, 5, 4, 6]
    assert stats.effective_n(x, y) == pytest.approx(6 * (1 - product) / (1 + product))


def test_the_interval_uses_fishers_z_with_the_bonett_wright_variance():
    rho, n_eff = 0.5, 30.0
    half = 1.959964 * math.sqrt((1 + 0.125) / 27)  # var(z) = (1 + rho²/2) / (n_eff - 3)
    low, high = stats.spearman_interval(rho, n_eff)
    assert low == pytest.approx(math.tanh(math.atanh(0.5) - half), abs=1e-6)
    assert high == pytest.approx(math.tanh(math.atanh(0.5) + half), abs=1e-6)
    assert (round(low, 3), round(high, 3)) == (0.148, 0.740)  # by hand: tanh(0.1492), tanh(0.9494)


def test_the_p_value_is_the_z_test_of_the_interval():
    # z = atanh(0.5) = 0.549306, its standard error sqrt(1.125/27) = 0.204124: 0.549306 / 0.204124 = 2.6910 standard
    # errors from zero; two-sided p = 2 × (1 − Φ(2.6910)) = 2 × 0.003562 = 0.00712
    assert stats.spearman_p(0.5, 30.0) == pytest.approx(0.00712, abs=1e-5)
    assert stats.spearman_p(0.0, 30.0) == pytest.approx(1.0)
    assert stats.spearman_p(0.9, 3.0) == 1.0  # no information


@given(st.floats(-0.99, 0.99), st.floats(3.5, 500))
def test_p_is_below_five_percent_exactly_when_the_interval_leaves_out_zero(rho, n_eff):
    low, high = stats.spearman_interval(rho, n_eff)
    p = stats.spearman_p(rho, n_eff)
    if abs(p - 0.05) > 1e-9:
        assert (p < 0.05) == (low > 0 or high < 0)


@pytest.mark.parametrize(
    ("p", "adjusted"),
    [
        # sorted 0.01, 0.03, 0.04: 3 × 0.01 = 0.03; max(0.03, 2 × 0.03) = 0.06; max(0.06, 1 × 0.04) = 0.06
        ([0.01, 0.04, 0.03], [0.03, 0.06, 0.06]),
        # sorted 0.01, 0.6, 0.7: 3 × 0.01 = 0.03; 2 × 0.6 = 1.2 capped at 1; max(1, 0.7) = 1
        ([0.6, 0.01, 0.7], [1.0, 0.03, 1.0]),
        # a comparison not made does not count: m = 2; sorted 0.2, 0.5: 2 × 0.2 = 0.4; max(0.4, 1 × 0.5) = 0.5
        ([0.5, 0.2, NAN], [0.5, 0.4, NAN]),
    ],
)
def test_holm_adjusts_step_down_by_hand(p, adjusted):
    assert stats.holm(p) == pytest.approx(adjusted, nan_ok=True)


def test_with_three_or_fewer_effective_pairs_the_interval_is_the_whole_range():
    assert stats.spearman_interval(0.9, 3.0) == (-1.0, 1.0)


def test_autocorrelated_series_get_a_wider_interval_than_independent_ones():
    rng = np.random.default_rng(7)
    noise = rng.normal(size=(2, 60))
    trend = np.arange(60) / 10
    slow = stats.spearman(trend + noise[0], trend + noise[1])  # both drift: strong autocorrelation
    assert slow.n_eff < 20
    naive_low, naive_high = stats.spearman_interval(slow.rho, slow.n)
    assert slow.high - slow.low > naive_high - naive_low


@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=12, max_size=80))
def test_rho_lies_inside_its_interval_and_both_inside_minus_one_to_one(pairs):
    x, y = zip(*pairs, strict=True)
    result = stats.spearman(x, y)
    if result.shown:
        assert -1.0 <= result.low <= result.rho <= result.high <= 1.0
        assert 0 <= result.n_eff <= result.n


def test_lagged_pairs_compare_a_driver_with_pain_weeks_later():
    driver = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0])
    pain = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0])
    pairs = stats.lagged_pairs(driver, pain, 2)
    assert pairs["x"].tolist() == [1.0, 2.0, 3.0]
    assert pairs["y"].tolist() == [30.0, 40.0, 50.0]


def _weeks(n: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    distance = rng.uniform(10_000, 60_000, n)
    return pd.DataFrame(
        {
            "change_pct": rng.uniform(-40, 60, n),
            "distance_m": distance,
            "load": distance / 1000 * 30 + rng.normal(0, 200, n),
            "gym_sessions": rng.integers(0, 4, n).astype(float),
            "stretch_compliance": rng.uniform(0.2, 1.2, n),
            "pain_mean": rng.uniform(0, 4, n),
        }
    )


def test_relationships_find_pain_that_follows_a_driver_two_weeks_later():
    weeks = _weeks(40)
    weeks["pain_mean"] = (weeks["gym_sessions"] * -1.0).shift(2) + 5 + np.random.default_rng(0).normal(0, 0.01, 40)
    rels = stats.relationships(weeks).set_index(["driver", "lag"])
    assert rels.loc[("gym_sessions", 2), "rho"] < -0.95
    assert rels.loc[("gym_sessions", 2), "high"] < 0
    assert abs(rels.loc[("gym_sessions", 0), "rho"]) < 0.5
    assert rels.loc[("gym_sessions", 2), "n"] == 38  # two weeks lost to the shift, two to the lag


def test_relationships_cover_every_factor_at_every_lag():
    rels = stats.relationships(_weeks(30))
    assert len(rels) == len(stats.DRIVERS) * len(stats.LAGS)
    assert rels.groupby("driver")["n"].apply(list).to_dict()["load"] == [30, 29, 28, 27]
    assert set(rels["gate"]) == {stats.ENOUGH}
    assert "change_pct" in stats.DRIVERS  # week-over-week change is compared too


def _part_weeks(complete_distance_km: list[float], complete_pain: list[float]) -> pd.DataFrame:
    """Complete weeks between a part first week and a week in progress whose values would change ρ if counted."""
    distance = [80.0, *complete_distance_km, 1.0]  # a part first week of 80 km, a week in progress of 1 km
    pain = [0.0, *complete_pain, 9.0]  # ... with pain that goes against the complete weeks
    n = len(distance)
    return pd.DataFrame(
        {
            "week": pd.date_range("2026-01-05", periods=n, freq="W-MON"),
            "complete": [False, *[True] * (n - 2), False],
            "change_pct": 0.0,
            "distance_m": np.array(distance) * 1000,
            "load": 500.0,
            "gym_sessions": 2.0,
            "stretch_compliance": 1.0,
            "pain_mean": pain,
        }
    )


def test_part_weeks_change_neither_rho_nor_n():
    # 12 complete weeks: distance ranks 1..12; pain ranks 2, 1, 3, 4, 6, 5, 7..12 (two neighbouring swaps), no ties.
    # Spearman: Σd² = 1 + 1 + 1 + 1 = 4, ρ = 1 − 6 Σd² / (n (n² − 1)) = 1 − 24 / (12 × 143) = 1 − 24/1716 = 0.986014
    weeks = _part_weeks([10.0 + k for k in range(12)], [2, 1, 3, 4, 6, 5, 7, 8, 9, 10, 11, 12])
    rels = stats.relationships(weeks).set_index(["driver", "lag"])
    assert rels.loc[("distance_m", 0), "n"] == 12  # 14 weeks, 2 of them part weeks
    assert rels.loc[("distance_m", 0), "rho"] == pytest.approx(1 - 24 / 1716)
    # lag 1 pairs two complete weeks: 11 pairs, not 13 -> too few
    assert rels.loc[("distance_m", 1), "n"] == 11
    assert rels.loc[("distance_m", 1), "gate"] == stats.TOO_FEW


def test_counting_the_part_weeks_would_have_changed_rho():
    # the same 14 weeks all marked complete: the 80-km week with pain 0 and the 1-km week with pain 9 pull ρ down
    weeks = _part_weeks([10.0 + k for k in range(12)], [2, 1, 3, 4, 6, 5, 7, 8, 9, 10, 11, 12]).assign(complete=True)
    rels = stats.relationships(weeks).set_index(["driver", "lag"])
    assert rels.loc[("distance_m", 0), "n"] == 14
    assert rels.loc[("distance_m", 0), "rho"] < 0.7


def test_eleven_complete_weeks_and_two_part_weeks_are_too_few():
    weeks = _part_weeks([10.0 + k for k in range(11)], [float(k) for k in range(11)])
    rels = stats.relationships(weeks).set_index(["driver", "lag"])
    assert rels.loc[("distance_m", 0), "gate"] == stats.TOO_FEW
    assert rels.loc[("distance_m", 0), "reason"] == "needs 1 more paired weeks"


def test_the_regression_counts_complete_weeks_only():
    weeks = _weeks(40, seed=8).assign(complete=True)
    weeks.loc[[0, 39], "complete"] = False
    # 38 complete weeks; last week's pain needs last week complete: the first complete week has none -> 37
    assert stats.regression(weeks).n == 37


def test_the_primary_family_is_three_factors_at_the_chosen_lag_with_holm_p():
    rels = stats.relationships(_weeks(40), primary_lag=2)
    primary = rels[rels["primary"]]
    assert sorted(primary["driver"]) == sorted(stats.PRIMARY) == ["change_pct", "gym_sessions", "stretch_compliance"]
    assert set(primary["lag"]) == {2}
    assert primary["p_holm"].tolist() == pytest.approx(stats.holm(primary["p"].tolist()))
    assert rels.loc[~rels["primary"], "p_holm"].isna().all()  # everything else is exploratory
    assert (primary["p_holm"] >= primary["p"]).all()


def _days(distances: list[float], mornings: list[float]) -> pd.DataFrame:
    dates = pd.date_range("2026-01-05", periods=len(distances), freq="D")
    return pd.DataFrame(
        {
            "date": dates,
            "week": dates - pd.to_timedelta(dates.day_of_week, unit="D"),
            "runs": [1.0 if d > 0 else 0.0 for d in distances],
            "distance_m": distances,
            "next_morning": mornings,
        }
    )


def test_run_days_are_paired_with_the_next_mornings_pain():
    daily = _days([5000, 0, 8000, 0], [1.0, 9.0, float("nan"), 2.0])
    pairs = stats.run_day_pairs(daily)
    assert pairs["distance_m"].tolist() == [5000.0]
    assert pairs["next_morning"].tolist() == [1.0]


def test_run_days_in_part_weeks_are_left_out():
    daily = _days([5000, 0, 0, 0, 0, 0, 0, 7000], [1.0] * 8)  # Monday 5 Jan and Monday 12 Jan
    pairs = stats.run_day_pairs(daily, complete_weeks=[pd.Timestamp("2026-01-05")])
    assert pairs["distance_m"].tolist() == [5000.0]


@pytest.mark.parametrize(("weeks", "gate"), [(11, stats.TOO_FEW), (12, stats.EXPLORATORY), (26, stats.ENOUGH)])
def test_run_days_are_gated_by_the_weeks_they_span(weeks, gate):
    rng = np.random.default_rng(5)
    days = weeks * 7
    distances = [float(rng.uniform(3000, 20000)) if i % 7 in (1, 3, 5) else 0.0 for i in range(days)]
    mornings = rng.integers(0, 6, days).astype(float)
    result = stats.run_day_correlation(_days(distances, mornings))
    assert result.gate == gate
    assert result.n == 3 * weeks


@pytest.mark.parametrize(("n", "lags"), [(26, 2), (100, 4), (520, 5)])
def test_newey_west_maximum_lag_rule(n, lags):
    assert stats.newey_west_lags(n) == lags


def test_regression_recovers_known_effects_with_hac_intervals():
    weeks = _weeks(120, seed=11)
    weeks["load"] = np.random.default_rng(2).uniform(500, 2500, 120)  # independent of distance here
    noise = np.random.default_rng(4).normal(0, 0.05, 120)
    pain = np.zeros(120)
    for t in range(120):
        previous = pain[t - 1] if t else 0.0
        pain[t] = (
            0.5
            + 0.2 * weeks["distance_m"][t] / 10_000  # 0.2 points per 10 km
            - 0.3 * weeks["gym_sessions"][t]
            + 0.4 * previous
            + noise[t]
        )
    weeks["pain_mean"] = pain
    reg = stats.regression(weeks, "km")
    terms = reg.terms.set_index("term")
    assert reg.gate == stats.ENOUGH and reg.n == 119 and reg.max_lags == 4
    for term, truth in (
        ("distance_m", 0.2),
        ("gym_sessions", -0.3),
        ("pain_last_week", 0.4),
        ("load", 0.0),
        ("change_pct", 0.0),
    ):
        assert terms.loc[term, "coef"] == pytest.approx(truth, abs=0.03), term
        assert terms.loc[term, "low"] <= truth <= terms.loc[term, "high"], term
    assert terms.loc["distance_m", "per"] == "10 km more in a week"
    assert reg.collinear == ()


def test_regression_flags_drivers_that_move_together():
    weeks = _weeks(60)
    weeks["load"] = weeks["distance_m"] / 1000 * 30 + np.random.default_rng(1).normal(0, 1, 60)
    reg = stats.regression(weeks)
    assert set(reg.collinear) == {"weekly distance", "session load"}


def test_regression_leaves_out_a_driver_that_never_changed():
    weeks = _weeks(40)
    weeks["gym_sessions"] = 2.0
    reg = stats.regression(weeks)
    assert reg.dropped == ("gym sessions",)
    assert "gym_sessions" not in set(reg.terms["term"])


def test_regression_needs_twelve_weeks():
    reg = stats.regression(_weeks(12))  # 11 weeks have last week's pain
    assert reg.gate == stats.TOO_FEW and reg.terms.empty
