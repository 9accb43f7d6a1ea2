"""Rank correlations with autocorrelation-aware intervals, the gates, lags, run days, and the HAC regression."""

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


def test_a_driver_that_never_varies_is_not_correlated():
    result = stats.spearman([2.0] * 20, range(20))
    assert not result.shown
    assert result.reason == "the driver was the same every time"


@pytest.mark.parametrize(("values", "r1"), [([1, 2, 1, 2, 1, 2, 1, 2], -1.0), (range(10), 1.0), ([3, 3, 3, 3], 0.0)])
def test_lag1_autocorrelation(values, r1):
    assert stats.lag1_autocorrelation(values) == pytest.approx(r1)


def test_effective_n_follows_bartlett_for_two_ar1_series():
    # x ranks alternate (r1 = -1) and y ranks trend (r1 = 1): product -1 would claim infinite information -> capped at n
    x = [1, 5, 2, 6, 3, 7, 4, 8]
    assert stats.effective_n(x, range(8)) == 8
    # x and y both trend: r1 = 1 each -> no independent information
    assert stats.effective_n(range(20), range(20)) == 0.0


def test_effective_n_by_hand():
    # ranks of x: 1..6 (r1 = 1); ranks of y alternate high/low around a trend, r1(y) computed by hand below
    y = [1, 3, 2, 5, 4, 6]
    a, b = np.array(y[:-1], float), np.array(y[1:], float)
    r1_y = ((a - a.mean()) * (b - b.mean())).sum() / math.sqrt(
        ((a - a.mean()) ** 2).sum() * ((b - b.mean()) ** 2).sum()
    )
    assert stats.effective_n(range(6), y) == pytest.approx(6 * (1 - r1_y) / (1 + r1_y))


def test_the_interval_uses_fishers_z_with_the_bonett_wright_variance():
    rho, n_eff = 0.5, 30.0
    half = 1.959964 * math.sqrt((1 + 0.125) / 27)  # var(z) = (1 + rho²/2) / (n_eff - 3)
    low, high = stats.spearman_interval(rho, n_eff)
    assert low == pytest.approx(math.tanh(math.atanh(0.5) - half), abs=1e-6)
    assert high == pytest.approx(math.tanh(math.atanh(0.5) + half), abs=1e-6)
    assert (round(low, 3), round(high, 3)) == (0.148, 0.740)  # by hand: tanh(0.1492), tanh(0.9494)


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


def test_relationships_cover_every_driver_at_every_lag():
    rels = stats.relationships(_weeks(30))
    assert len(rels) == len(stats.DRIVERS) * len(stats.LAGS)
    assert rels.groupby("driver")["n"].apply(list).to_dict()["load"] == [30, 29, 28, 27]
    assert set(rels["gate"]) == {stats.ENOUGH}


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
    for term, truth in (("distance_m", 0.2), ("gym_sessions", -0.3), ("pain_last_week", 0.4), ("load", 0.0)):
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
