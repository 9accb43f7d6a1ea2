"""Relationships between training and knee pain, measured honestly: rank correlations with intervals, and a regression.

Week-by-week series are autocorrelated (a high week tends to follow a high week), so the usual interval of a
correlation would be too narrow. kneelog:

- uses Spearman's rank correlation ρ (robust to skewed weeks and to a 0-10 scale);
- gives its 95% interval on Fisher's z scale with the Spearman variance of Bonett & Wright (2000, Psychometrika
  65:23-28), ``var(z) = (1 + ρ²/2) / (n_eff − 3)``, where ``n_eff`` is the effective sample size for two AR(1)
  series, ``n_eff = n (1 − r₁ₓ r₁ᵧ) / (1 + r₁ₓ r₁ᵧ)`` with r₁ the lag-1 autocorrelations of the ranks (Bartlett
  1935; Bretherton et al. 1999, J Climate 12:1990-2009);
- shows nothing below 12 paired weeks and labels results "exploratory" below 26;
- fits the adjusted picture by ordinary least squares of weekly pain on the drivers and last week's pain, with
  Newey-West (HAC) standard errors (Newey & West 1987, Econometrica 55:703-708), Bartlett kernel, maximum lag
  ``floor(4 (n/100)^(2/9))`` (Newey & West 1994, Rev Econ Stud 61:631-653), via statsmodels.

Nothing here says one thing causes another; :mod:`kneelog.analysis.findings` puts the numbers in words.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
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
#: Lags (weeks) between a driver and the pain it is compared with.
LAGS = (0, 1, 2, 3)
#: Variance inflation above which two drivers move too much together to be told apart.
VIF_LIMIT = 5.0
Z_95 = float(sps.norm.ppf(0.975))

TOO_FEW = "too few"
EXPLORATORY = "exploratory"
ENOUGH = "enough data"

#: The weekly drivers compared with knee pain: column -> what the runner reads.
DRIVERS: dict[str, str] = {
    "distance_m": "weekly distance",
    "load": "session load",
    "gym_sessions": "gym sessions",
    "stretch_compliance": "stretch compliance",
}
#: The weekly pain outcome.
OUTCOME = "pain_mean"


@dataclass(frozen=True)
class Correlation:
    """Spearman's ρ of paired values with its autocorrelation-aware 95% interval.

    ``rho``, ``low`` and ``high`` are NaN when nothing is shown (``gate`` is ``"too few"``, or ``reason`` says why).
    """

    n: int
    rho: float
    low: float
    high: float
    n_eff: float
    gate: str
    reason: str = ""

    @property
    def shown(self) -> bool:
        """Whether there is a ρ to show."""
        return not math.isnan(self.rho)

    @classmethod
    def from_row(cls, row: pd.Series | tuple) -> Correlation:
        """The correlation of one row of :func:`relationships` (a series, or a named tuple from ``itertuples``)."""
        get = row.__getitem__ if isinstance(row, pd.Series) else lambda name: getattr(row, name)
        return cls(int(get("n")), *(float(get(f)) for f in ("rho", "low", "high", "n_eff")), get("gate"), get("reason"))


@dataclass(frozen=True)
class Regression:
    """Weekly pain on the drivers and last week's pain, with Newey-West (HAC) 95% intervals.

    ``terms`` has one row per predictor: ``term``, ``label``, ``per`` (one step up, in words), ``coef``, ``low``,
    ``high`` and ``vif``; empty when ``gate`` is ``"too few"``. ``collinear`` lists the labels of predictors with a
    variance inflation factor above :data:`VIF_LIMIT`; ``dropped`` those left out because they never varied.
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
    """Pearson correlation of a series with itself one step later; 0 when undefined (fewer than 3 values, constant)."""
    v = np.asarray(list(values), dtype="float64")
    if len(v) < 3 or np.std(v[:-1]) == 0 or np.std(v[1:]) == 0:
        return 0.0
    return float(np.corrcoef(v[:-1], v[1:])[0, 1])


def effective_n(x: Iterable[float], y: Iterable[float]) -> float:
    """Effective number of independent pairs of two autocorrelated series (Bartlett 1935; Bretherton et al. 1999).

    ``n_eff = n (1 − r₁ₓ r₁ᵧ) / (1 + r₁ₓ r₁ᵧ)`` with r₁ the lag-1 autocorrelations of the ranks of ``x`` and ``y``,
    capped at ``n`` (negative products would otherwise claim more information than there are pairs).
    """
    rx = sps.rankdata(np.asarray(list(x), dtype="float64"))
    ry = sps.rankdata(np.asarray(list(y), dtype="float64"))
    n = len(rx)
    product = lag1_autocorrelation(rx) * lag1_autocorrelation(ry)
    if product >= 1.0:
        return 0.0
    return float(min(n, n * (1 - product) / (1 + product)))


def spearman_interval(rho: float, n_eff: float) -> tuple[float, float]:
    """95% interval of Spearman's ρ: Fisher's z with ``var = (1 + ρ²/2)/(n_eff − 3)`` (Bonett & Wright 2000).

    Returns:
        ``(low, high)``; ``(-1, 1)`` (no information) when ``n_eff`` is 3 or less.
    """
    if n_eff <= 3:
        return -1.0, 1.0
    r = float(np.clip(rho, -0.999999, 0.999999))
    half = Z_95 * math.sqrt((1 + r * r / 2) / (n_eff - 3))
    z = math.atanh(r)
    return math.tanh(z - half), math.tanh(z + half)


def spearman(x: pd.Series | np.ndarray, y: pd.Series | np.ndarray, n_for_gate: int | None = None) -> Correlation:
    """Spearman's ρ of paired values in time order, with its interval and gate.

    Args:
        x: the driver values, in time order (pairs with a missing value are dropped).
        y: the pain values paired with ``x``.
        n_for_gate: what the gate counts (default the number of pairs; run days pass the weeks they span).

    Returns:
        A :class:`Correlation`; not shown (NaN ρ) with fewer than 12 pairs or when either side never varies.
    """
    pairs = pd.DataFrame({"x": np.asarray(x, dtype="float64"), "y": np.asarray(y, dtype="float64")}).dropna()
    n = len(pairs)
    verdict = gate(n if n_for_gate is None else n_for_gate)
    nan = math.nan
    if verdict == TOO_FEW:
        needed = MIN_PAIRS - (n if n_for_gate is None else n_for_gate)
        return Correlation(n, nan, nan, nan, nan, verdict, f"needs {needed} more paired weeks")
    if pairs["x"].nunique() < 2 or pairs["y"].nunique() < 2:
        side = "the driver" if pairs["x"].nunique() < 2 else "the pain score"
        return Correlation(n, nan, nan, nan, nan, verdict, f"{side} was the same every time")
    rho = float(sps.spearmanr(pairs["x"], pairs["y"]).statistic)
    n_eff = effective_n(pairs["x"], pairs["y"])
    low, high = spearman_interval(rho, n_eff)
    return Correlation(n, rho, low, high, n_eff, verdict)


def lagged_pairs(x: pd.Series, y: pd.Series, lag: int) -> pd.DataFrame:
    """Pair ``x`` in week t with ``y`` in week t + ``lag`` (both one value per consecutive week).

    Returns:
        A frame with ``x`` and ``y`` on ``x``'s index, pairs with a missing side dropped.
    """
    return pd.DataFrame({"x": x, "y": y.shift(-lag)}).dropna()


def relationships(
    weekly: pd.DataFrame, drivers: Mapping[str, str] = DRIVERS, outcome: str = OUTCOME, lags: Iterable[int] = LAGS
) -> pd.DataFrame:
    """Spearman's ρ of every driver against pain the same week and ``lag`` weeks later.

    Args:
        weekly: the weekly table (one row per consecutive week).
        drivers: weekly columns to compare with the outcome, and their names.
        outcome: the pain column.
        lags: the lags in weeks.

    Returns:
        One row per driver and lag: ``driver``, ``label``, ``lag`` and the fields of :class:`Correlation`.
    """
    rows = []
    for driver, label in drivers.items():
        for lag in lags:
            pairs = lagged_pairs(weekly[driver], weekly[outcome], lag)
            result = spearman(pairs["x"], pairs["y"])
            rows.append({"driver": driver, "label": label, "lag": lag, **result.__dict__})
    return pd.DataFrame(rows, columns=["driver", "label", "lag", *Correlation.__dataclass_fields__])


def run_day_pairs(daily: pd.DataFrame) -> pd.DataFrame:
    """Each run day's distance with the next morning's pain score (days without a morning-after score dropped).

    Returns:
        A frame with ``date``, ``week``, ``distance_m`` and ``next_morning``, in date order.
    """
    on_run_days = daily[(daily["runs"] > 0) & daily["next_morning"].notna()]
    return on_run_days[["date", "week", "distance_m", "next_morning"]].reset_index(drop=True)


def run_day_correlation(daily: pd.DataFrame) -> Correlation:
    """Spearman's ρ of run-day distance and next-morning pain; gated by the weeks the run days span."""
    pairs = run_day_pairs(daily)
    return spearman(pairs["distance_m"], pairs["next_morning"], n_for_gate=pairs["week"].nunique())


def newey_west_lags(n: int) -> int:
    """The Newey-West (1994) rule of thumb for the HAC maximum lag: ``floor(4 (n/100)^(2/9))``."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


def _predictors(weekly: pd.DataFrame, unit: str) -> dict[str, tuple[pd.Series, str, str]]:
    """Predictor columns scaled to readable steps: column -> (values, label, one step up in words)."""
    ten_units = 10 * METRES_PER_UNIT[unit]
    return {
        "distance_m": (weekly["distance_m"] / ten_units, DRIVERS["distance_m"], f"10 {unit} more in a week"),
        "load": (weekly["load"] / 100, DRIVERS["load"], "100 more units of session load"),
        "gym_sessions": (weekly["gym_sessions"], DRIVERS["gym_sessions"], "one more gym session"),
        "stretch_compliance": (
            weekly["stretch_compliance"] * 10,
            DRIVERS["stretch_compliance"],
            "10 percentage points more stretch compliance",
        ),
        "pain_last_week": (weekly[OUTCOME].shift(1), "last week's pain", "one point more pain the week before"),
    }


def regression(weekly: pd.DataFrame, unit: str = "km") -> Regression:
    """OLS of weekly pain on the drivers and last week's pain, with Newey-West (HAC) errors.

    Args:
        weekly: the weekly table (one row per consecutive week).
        unit: ``km`` or ``mi``, the step of the distance coefficient (per 10 units).

    Returns:
        A :class:`Regression`; with fewer than 12 complete weeks, or fewer weeks than predictors + 3, ``gate`` is
        ``"too few"`` and ``terms`` is empty.
    """
    predictors = _predictors(weekly, unit)
    data = pd.DataFrame({name: values for name, (values, _, _) in predictors.items()})
    data["y"] = weekly[OUTCOME]
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
