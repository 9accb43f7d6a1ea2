"""Relationships between training and knee pain, measured honestly: rank correlations with intervals, and a regression.

Week-by-week series are autocorrelated (a high week tends to follow a high week), so the usual interval of a
correlation would be too narrow. kneelog:

- compares complete weeks only: a part week (a first week that starts mid-week, the week in progress) is set
  missing, factor and pain alike, before lagging, so every pair is two complete weeks and the gates count those;
- uses Spearman's rank correlation ρ (robust to skewed weeks and to a 0-10 scale);
- gives its 95% interval on Fisher's z scale with the Spearman variance of Bonett & Wright (2000, Psychometrika
  65:23-28), ``var(z) = (1 + ρ²/2) / (n_eff − 3)``, where ``n_eff`` is the effective sample size for two AR(1)
  series, ``n_eff = n (1 − r₁ₓ r₁ᵧ) / (1 + r₁ₓ r₁ᵧ)`` with r₁ the lag-1 autocorrelations of the ranks (Bartlett
  1935; Bretherton et al. 1999, J Climate 12:1990-2009), each by the standard estimator of Box & Jenkins (1976,
  *Time Series Analysis*, eq. 2.1.12) over consecutive weeks only;
- gives the p-value of the same z test, ``z = atanh(ρ) / sqrt(var(z))``, so that p < 0.05 exactly when the 95%
  interval leaves out zero;
- pre-specifies a primary family of three comparisons (:data:`PRIMARY`: week-over-week distance change, stretch
  compliance and gym sessions against pain, at the lag the runner picks) and adjusts their p-values with Holm's
  step-down method (Holm 1979, Scand J Statist 6:65-70); every other comparison is exploratory;
- shows nothing below 12 paired weeks and labels results "exploratory" below 26;
- fits the adjusted picture by ordinary least squares of weekly pain on the factors and last week's pain, with
  Newey-West (HAC) standard errors (Newey & West 1987, Econometrica 55:703-708), Bartlett kernel, maximum lag
  ``floor(4 (n/100)^(2/9))`` (Newey & West 1994, Rev Econ Stud 61:631-653), via statsmodels.

Nothing here says one thing causes another; :mod:`kneelog.analysis.findings` puts the numbers in words. The code
calls the weekly factors "drivers" (:data:`DRIVERS`, the ``driver`` column); the runner reads "factors".
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.stats.outliers_influence import variance_inflation_factor

from kneelog.units import METRES_PER_UNIT

#: Fewest paired weeks for which anything is shown, and the number below which results are "exploratory".
MIN_PAIRS = 12
SOLID_PAIRS = 26
#: Lags (weeks) between a factor and the pain it is compared with.
LAGS = (0, 1, 2, 3)
#: Variance inflation above which two factors move too much together to be told apart.
VIF_LIMIT = 5.0
Z_95 = float(sps.norm.ppf(0.975))

TOO_FEW = "too few"
EXPLORATORY = "exploratory"
ENOUGH = "enough data"

#: The weekly factors compared with knee pain: column -> what the runner reads (the primary family first).
DRIVERS: dict[str, str] = {
    "change_pct": "week-over-week distance change",
    "stretch_compliance": "stretch compliance",
    "gym_sessions": "gym sessions",
    "distance_m": "weekly distance",
    "load": "session load",
}
#: The pre-specified primary family, compared with pain at the lag the runner picks and Holm-adjusted together.
PRIMARY: tuple[str, ...] = ("change_pct", "stretch_compliance", "gym_sessions")
#: The weekly pain outcome.
OUTCOME = "pain_mean"
#: The regression term for last week's pain: carry-over, worded on its own, not a factor.
CARRY_OVER = "pain_last_week"
#: Columns of :func:`relationships`.
RELATIONSHIP_COLUMNS = [
    "driver", "label", "lag", "n", "rho", "low", "high", "n_eff", "gate", "reason", "p", "primary", "p_holm",
]  # fmt: skip


@dataclass(frozen=True)
class Correlation:
    """Spearman's ρ of paired values with its autocorrelation-aware 95% interval and two-sided p-value.

    ``rho``, ``low``, ``high`` and ``p`` are NaN when nothing is shown (``gate`` is ``"too few"``, or ``reason`` says
    why).
    """

    n: int
    rho: float
    low: float
    high: float
    n_eff: float
    gate: str
    reason: str = ""
    p: float = math.nan

    @property
    def shown(self) -> bool:
        """Whether there is a ρ to show."""
        return not math.isnan(self.rho)

    @classmethod
    def from_row(cls, row: pd.Series | tuple) -> Correlation:
        """The correlation of one row of :func:`relationships` (a series, or a named tuple from ``itertuples``)."""
        get = row.__getitem__ if isinstance(row, pd.Series) else lambda name: getattr(row, name)
        p = float(get("p")) if "p" in (row.index if isinstance(row, pd.Series) else row._fields) else math.nan
        numbers = (float(get(f)) for f in ("rho", "low", "high", "n_eff"))
        return cls(int(get("n")), *numbers, get("gate"), get("reason"), p)


@dataclass(frozen=True)
class Regression:
    """Weekly pain on the factors and last week's pain, with Newey-West (HAC) 95% intervals.

    ``terms`` has one row per predictor (the factors, then :data:`CARRY_OVER`): ``term``, ``label``, ``per`` (one
    step up, in words), ``coef``, ``low``, ``high`` and ``vif``; empty when ``gate`` is ``"too few"``.
    ``collinear`` lists the labels of predictors with a variance inflation factor above :data:`VIF_LIMIT`;
    ``dropped`` those left out because they never varied.
    """

    n: int
    gate: str
    max_lags: int
    r_squared: float
    terms: pd.DataFrame
    collinear: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def gate(n: int) -> str:
    """``"too few"`` below 12 pairs, ``"exploratory"`` below 26, else ``"enough data"``."""
    if n < MIN_PAIRS:
        return TOO_FEW
    return EXPLORATORY if n < SOLID_PAIRS else ENOUGH


def lag1_autocorrelation(values: Iterable[float]) -> float:
    """The lag-1 autocorrelation of a series in time order, by the standard estimator (Box & Jenkins 1976).

    ``r₁ = Σ (x_t − x̄)(x_{t+1} − x̄) / Σ (x_t − x̄)²``, with ``x̄`` and the denominator over the values present and
    the numerator over neighbours that are both present: a missing value (NaN) is a gap, and the values on either
    side of it are not neighbours.

    Returns:
        r₁; 0 when undefined (fewer than 3 values present, no neighbouring pair, or a constant series).
    """
    v = np.asarray(list(values), dtype="float64")
    present = ~np.isnan(v)
    neighbours = present[:-1] & present[1:]
    if present.sum() < 3 or not neighbours.any():
        return 0.0
    deviation = v - v[present].mean()
    denominator = float((deviation[present] ** 2).sum())
    if denominator == 0:
        return 0.0
    return float((deviation[:-1] * deviation[1:])[neighbours].sum() / denominator)


def _ranks_in_place(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Ranks of ``values[present]`` (ties averaged) in their places, NaN elsewhere."""
    ranks = np.full(len(values), np.nan)
    ranks[present] = sps.rankdata(values[present])
    return ranks


def effective_n(x: Iterable[float], y: Iterable[float]) -> float:
    """Effective number of independent pairs of two autocorrelated series (Bartlett 1935; Bretherton et al. 1999).

    ``n_eff = n (1 − r₁ₓ r₁ᵧ) / (1 + r₁ₓ r₁ᵧ)`` with ``n`` the pairs with both sides present and r₁ the lag-1
    autocorrelations (:func:`lag1_autocorrelation`) of the ranks of ``x`` and ``y`` over those pairs, kept in time
    order so that pairs across a gap are not neighbours; capped at ``n`` (negative products would otherwise claim
    more information than there are pairs).
    """
    xv = np.asarray(list(x), dtype="float64")
    yv = np.asarray(list(y), dtype="float64")
    present = ~np.isnan(xv) & ~np.isnan(yv)
    n = int(present.sum())
    product = lag1_autocorrelation(_ranks_in_place(xv, present)) * lag1_autocorrelation(_ranks_in_place(yv, present))
    if product >= 1.0:
        return 0.0
    return float(min(n, n * (1 - product) / (1 + product)))


def _z_spread(rho: float, n_eff: float) -> tuple[float, float]:
    """Fisher's z of ρ (clipped short of ±1) and its standard error ``sqrt((1 + ρ²/2)/(n_eff − 3))``."""
    r = float(np.clip(rho, -0.999999, 0.999999))
    return math.atanh(r), math.sqrt((1 + r * r / 2) / (n_eff - 3))


def spearman_interval(rho: float, n_eff: float) -> tuple[float, float]:
    """95% interval of Spearman's ρ: Fisher's z with ``var = (1 + ρ²/2)/(n_eff − 3)`` (Bonett & Wright 2000).

    Returns:
        ``(low, high)``; ``(-1, 1)`` (no information) when ``n_eff`` is 3 or less.
    """
    if n_eff <= 3:
        return -1.0, 1.0
    z, se = _z_spread(rho, n_eff)
    return math.tanh(z - Z_95 * se), math.tanh(z + Z_95 * se)


def spearman_p(rho: float, n_eff: float) -> float:
    """Two-sided p-value of Spearman's ρ against zero by the z test of :func:`spearman_interval`.

    ``p = 2 (1 − Φ(|atanh ρ| / sqrt((1 + ρ²/2)/(n_eff − 3))))`` (Bonett & Wright 2000, with the effective n), so
    p < 0.05 exactly when the 95% interval leaves out zero; 1 when ``n_eff`` is 3 or less.
    """
    if n_eff <= 3:
        return 1.0
    z, se = _z_spread(rho, n_eff)
    return float(2 * sps.norm.sf(abs(z) / se))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's (1979) step-down adjusted p-values, in the order given.

    With the m p-values sorted, ``p₍₁₎ ≤ … ≤ p₍ₘ₎``, the adjusted ``p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎)``;
    a comparison passes at level α when its adjusted p-value is at most α. NaN (a comparison not made) stays NaN
    and does not count in m.
    """
    values = np.asarray(list(p_values), dtype="float64")
    adjusted = np.full(len(values), np.nan)
    made = np.flatnonzero(~np.isnan(values))
    m = len(made)
    running = 0.0
    for step, i in enumerate(made[np.argsort(values[made], kind="stable")]):
        running = max(running, min(1.0, (m - step) * values[i]))
        adjusted[i] = running
    return adjusted.tolist()


def spearman(x: pd.Series | np.ndarray, y: pd.Series | np.ndarray, n_for_gate: int | None = None) -> Correlation:
    """Spearman's ρ of paired values in time order, with its interval, p-value and gate.

    Args:
        x: the factor values, one per consecutive week (or run day) in time order; a missing value (NaN) leaves a
            gap, so the values on either side of it are not neighbours for the autocorrelation.
        y: the pain values paired with ``x``; pairs with a missing side are left out.
        n_for_gate: what the gate counts (default the number of pairs; run days pass the weeks they span).

    Returns:
        A :class:`Correlation`; not shown (NaN ρ) with fewer than 12 pairs or when either side never varies.
    """
    xv, yv = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    present = ~np.isnan(xv) & ~np.isnan(yv)
    pairs = pd.DataFrame({"x": xv[present], "y": yv[present]})
    n = len(pairs)
    verdict = gate(n if n_for_gate is None else n_for_gate)
    nan = math.nan
    if verdict == TOO_FEW:
        needed = MIN_PAIRS - (n if n_for_gate is None else n_for_gate)
        return Correlation(n, nan, nan, nan, nan, verdict, f"needs {needed} more paired weeks")
    if pairs["x"].nunique() < 2 or pairs["y"].nunique() < 2:
        side = "the factor" if pairs["x"].nunique() < 2 else "the pain score"
        return Correlation(n, nan, nan, nan, nan, verdict, f"{side} was the same every time")
    rho = float(sps.spearmanr(pairs["x"], pairs["y"]).statistic)
    n_eff = effective_n(xv, yv)
    low, high = spearman_interval(rho, n_eff)
    return Correlation(n, rho, low, high, n_eff, verdict, p=spearman_p(rho, n_eff))


def complete_only(weekly: pd.DataFrame, column: str) -> pd.Series:
    """``weekly[column]`` with the part weeks set missing (every week counts when there is no ``complete`` column).

    A part week (the first week when the log starts mid-week, the week in progress) would otherwise enter the
    statistics as if it were a full week of training and pain.
    """
    values = weekly[column].astype("float64")
    if "complete" not in weekly:
        return values
    return values.where(weekly["complete"].astype(bool))


def week_pairs(weekly: pd.DataFrame, driver: str, lag: int, outcome: str = OUTCOME) -> pd.DataFrame:
    """The factor in week t beside pain in week t + ``lag``, part weeks missing on both sides before lagging.

    Returns:
        A frame on ``weekly``'s index with ``x`` and ``y``, one row per week (NaN where a side is missing or a part
        week), so a pair is always two complete weeks and the rows keep their time order and gaps.
    """
    return pd.DataFrame({"x": complete_only(weekly, driver), "y": complete_only(weekly, outcome).shift(-lag)})


def lagged_pairs(x: pd.Series, y: pd.Series, lag: int) -> pd.DataFrame:
    """Pair ``x`` in week t with ``y`` in week t + ``lag`` (both one value per consecutive week).

    Returns:
        A frame with ``x`` and ``y`` on ``x``'s index, pairs with a missing side dropped.
    """
    return pd.DataFrame({"x": x, "y": y.shift(-lag)}).dropna()


def relationships(
    weekly: pd.DataFrame,
    drivers: Mapping[str, str] = DRIVERS,
    outcome: str = OUTCOME,
    lags: Iterable[int] = LAGS,
    primary_lag: int = 0,
) -> pd.DataFrame:
    """Spearman's ρ of every factor against pain the same week and ``lag`` weeks later, complete weeks only.

    Args:
        weekly: the weekly table (one row per consecutive week; part weeks are left out, see :func:`week_pairs`).
        drivers: weekly columns to compare with the outcome, and their names.
        outcome: the pain column.
        lags: the lags in weeks.
        primary_lag: the lag the runner picked: :data:`PRIMARY` at this lag is the pre-specified family.

    Returns:
        One row per factor and lag with :data:`RELATIONSHIP_COLUMNS`: ``driver``, ``label``, ``lag``, the fields of
        :class:`Correlation`, ``primary`` (in the pre-specified family) and ``p_holm`` (its Holm-adjusted p-value
        across the family members shown; NaN for every exploratory row).
    """
    rows = []
    for driver, label in drivers.items():
        for lag in lags:
            pairs = week_pairs(weekly, driver, lag, outcome)
            result = spearman(pairs["x"], pairs["y"])
            rows.append({"driver": driver, "label": label, "lag": lag, **result.__dict__})
    rels = pd.DataFrame(rows, columns=RELATIONSHIP_COLUMNS[:-2])
    rels["primary"] = rels["driver"].isin(PRIMARY) & (rels["lag"] == primary_lag)
    rels["p_holm"] = math.nan
    if rels["primary"].any():
        rels.loc[rels["primary"], "p_holm"] = holm(rels.loc[rels["primary"], "p"])
    return rels[RELATIONSHIP_COLUMNS]


def run_day_pairs(daily: pd.DataFrame, complete_weeks: Iterable[pd.Timestamp] | None = None) -> pd.DataFrame:
    """Each run day's distance with the next morning's pain score (days without a morning-after score dropped).

    Args:
        daily: the daily table.
        complete_weeks: the Mondays of the complete weeks; run days in other (part) weeks are left out. Default:
            every week counts.

    Returns:
        A frame with ``date``, ``week``, ``distance_m`` and ``next_morning``, in date order.
    """
    keep = (daily["runs"] > 0) & daily["next_morning"].notna()
    if complete_weeks is not None:
        keep &= daily["week"].isin(list(complete_weeks))
    return daily.loc[keep, ["date", "week", "distance_m", "next_morning"]].reset_index(drop=True)


def run_day_correlation(daily: pd.DataFrame, complete_weeks: Iterable[pd.Timestamp] | None = None) -> Correlation:
    """Spearman's ρ of run-day distance and next-morning pain; gated by the (complete) weeks the run days span."""
    pairs = run_day_pairs(daily, complete_weeks)
    return spearman(pairs["distance_m"], pairs["next_morning"], n_for_gate=pairs["week"].nunique())


def newey_west_lags(n: int) -> int:
    """The Newey-West (1994) rule of thumb for the HAC maximum lag: ``floor(4 (n/100)^(2/9))``."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


def _predictors(weekly: pd.DataFrame, unit: str) -> dict[str, tuple[pd.Series, str, str]]:
    """Predictor columns (part weeks missing) scaled to readable steps: column -> (values, label, one step up)."""
    ten_units = 10 * METRES_PER_UNIT[unit]
    week = {column: complete_only(weekly, column) for column in [*DRIVERS, OUTCOME]}
    return {
        "change_pct": (
            week["change_pct"] / 10,
            DRIVERS["change_pct"],
            "a week-over-week change 10 percentage points bigger",
        ),
        "stretch_compliance": (
            week["stretch_compliance"] * 10,
            DRIVERS["stretch_compliance"],
            "10 percentage points more stretch compliance",
        ),
        "gym_sessions": (week["gym_sessions"], DRIVERS["gym_sessions"], "one more gym session"),
        "distance_m": (week["distance_m"] / ten_units, DRIVERS["distance_m"], f"10 {unit} more in a week"),
        "load": (week["load"] / 100, DRIVERS["load"], "100 more units of session load"),
        CARRY_OVER: (week[OUTCOME].shift(1), "last week's pain", "one point more pain the week before"),
    }


def regression(weekly: pd.DataFrame, unit: str = "km") -> Regression:
    """OLS of weekly pain on the factors and last week's pain (carry-over), with Newey-West (HAC) errors.

    Args:
        weekly: the weekly table (one row per consecutive week); part weeks are left out, and last week's pain
            needs last week to be complete.
        unit: ``km`` or ``mi``, the step of the distance coefficient (per 10 units).

    Returns:
        A :class:`Regression`; with fewer than 12 complete weeks, or fewer weeks than predictors + 3, ``gate`` is
        ``"too few"`` and ``terms`` is empty.
    """
    predictors = _predictors(weekly, unit)
    data = pd.DataFrame({name: values for name, (values, _, _) in predictors.items()})
    data["y"] = complete_only(weekly, OUTCOME)
    data = data.dropna()
    n = len(data)
    empty = pd.DataFrame(columns=["term", "label", "per", "coef", "low", "high", "vif"])
    varying = [c for c in predictors if data[c].nunique() > 1]
    dropped = tuple(predictors[c][1] for c in predictors if c not in varying)
    verdict = gate(n)
    if verdict == TOO_FEW or n < len(varying) + 3 or data["y"].nunique() < 2:
        return Regression(n, TOO_FEW, 0, math.nan, empty, (), dropped)
    exog = sm.add_constant(data[varying], has_constant="add")
    max_lags = newey_west_lags(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = sm.OLS(data["y"], exog).fit(cov_type="HAC", cov_kwds={"maxlags": max_lags, "use_correction": True})
        interval = fit.conf_int(0.05)
        vif = {c: float(variance_inflation_factor(exog.to_numpy(), i)) for i, c in enumerate(exog.columns)}
    terms = pd.DataFrame(
        [
            {
                "term": c,
                "label": predictors[c][1],
                "per": predictors[c][2],
                "coef": float(fit.params[c]),
                "low": float(interval.loc[c, 0]),
                "high": float(interval.loc[c, 1]),
                "vif": vif[c],
            }
            for c in varying
        ]
    )
    collinear = tuple(terms.loc[terms["vif"] > VIF_LIMIT, "label"])
    return Regression(n, verdict, max_lags, float(fit.rsquared), terms, collinear, dropped)
