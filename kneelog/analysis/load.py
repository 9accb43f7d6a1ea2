"""Training load: session load, week-over-week change, acute:chronic ratios, fitness and fatigue, monotony.

Every function takes a series (one value per calendar day or per week, rest days included as zero) and returns a
series, frame or number; none reads a database. Each formula names its source:

- Session load = effort (RPE 1-10) × minutes (Foster et al. 2001, J Strength Cond Res 15:109-115).
- Week-over-week distance change, soft flag above 30% (Nielsen et al. 2014, JOSPT 44:739-747); the "10% rule" was
  not supported when it was tested (Buist et al. 2008, Am J Sports Med 36:33-39), so kneelog does not use it.
- Acute:chronic workload ratio, exponentially weighted with λ = 2/(N+1), N = 7 and 28 days (Williams et al. 2017,
  Br J Sports Med 51:209-210); the rolling-average versions, coupled (Hulin et al. 2016, Br J Sports Med
  50:231-236) and uncoupled (Lolli et al. 2019, Br J Sports Med 53:921-922). Published "risk zones" come from team
  sports and are disputed (Impellizzeri et al. 2021, Sports Med 51:581-592): kneelog shows the ratio as a trend.
  The same ratios are taken of running alone (running load and running distance, :func:`running_ratios`), so gym
  load cannot hide a jump in running; the ratio of all load (runs and gym) stays beside them.
- Fitness (CTL), fatigue (ATL) and form in the TrainingPeaks style, time constants 42 and 7 days (Banister et al.
  1975, Aust J Sports Med 7:57-61; Allen & Coggan 2010, Training and Racing with a Power Meter); they start from
  zero, so the first 42 days are marked as warming up.
- Training monotony and strain (Foster 1998, Med Sci Sports Exerc 30:1164-1168).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.signal import lfilter

#: Effort assumed for a session with no RPE when the runner has rated none of that kind: the middle of the scale.
FALLBACK_RPE = 5.0
#: Days in the acute and chronic windows (Williams 2017; Hulin 2016).
ACUTE_DAYS = 7
CHRONIC_DAYS = 28
#: Time constants of fitness (CTL) and fatigue (ATL), in days (TrainingPeaks; Allen & Coggan 2010).
CTL_DAYS = 42
ATL_DAYS = 7
#: Week-over-week increase above which a week is flagged (Nielsen 2014), in percent.
CHANGE_FLAG_PCT = 30.0
FLAG_OVER = "over 30%"
FLAG_RESTART = "restart"


def effort_for_missing(rpe: pd.Series) -> float:
    """The effort used for sessions with no RPE: the median of the runner's rated sessions, else 5.

    Args:
        rpe: the RPE column of one kind of session (runs or gym sessions), missing values as NaN.

    Returns:
        The median of the rated sessions, or :data:`FALLBACK_RPE` when none is rated.
    """
    rated = rpe.dropna()
    return float(rated.median()) if len(rated) else FALLBACK_RPE


def session_load(sessions: pd.DataFrame) -> pd.DataFrame:
    """Session load of each session: RPE × duration in minutes (Foster et al. 2001).

    A session without an RPE gets :func:`effort_for_missing` of its frame and is marked ``estimated``.

    Args:
        sessions: a run or gym frame with ``date``, ``duration_s`` and ``rpe``.

    Returns:
        A frame with ``date``, ``load`` (arbitrary units) and ``estimated`` (bool), one row per session.
    """
    rpe = sessions["rpe"].astype("float64")
    used = rpe.fillna(effort_for_missing(rpe))
    return pd.DataFrame(
        {
            "date": sessions["date"],
            "load": used * sessions["duration_s"].astype("float64") / 60.0,
            "estimated": rpe.isna(),
        },
        index=sessions.index,
    )


def _ewma(values: np.ndarray, alpha: float, before: float) -> np.ndarray:
    """y[t] = α·x[t] + (1−α)·y[t−1], with y[−1] = ``before``."""
    if len(values) == 0:
        return np.array([], dtype="float64")
    out, _ = lfilter([alpha], [1.0, alpha - 1.0], values, zi=[(1.0 - alpha) * before])
    return out


def acute_chronic(load: pd.Series) -> pd.DataFrame:
    """Acute:chronic workload ratios of a daily load series, exponentially weighted and rolling.

    EWMA (Williams et al. 2017): ``EWMA[t] = λ·load[t] + (1−λ)·EWMA[t−1]`` with ``λ = 2/(N+1)``, N = 7 (acute) and 28
    (chronic), seeded with the first day's load. Rolling (Hulin et al. 2016): acute = mean of the last 7 days;
    coupled chronic = mean of the last 28 days (which include the acute week); uncoupled chronic = mean of the 21 days
    before the acute week (Lolli et al. 2019).

    Ratios are missing (NaN) for the first 27 days ("warming up": less than 28 days of history) and wherever the
    chronic load is zero.

    Args:
        load: daily load, one value per consecutive calendar day, rest days as 0.

    Returns:
        A frame on ``load``'s index with ``acute``, ``chronic``, ``ratio`` (EWMA), ``acute_7``, ``chronic_28``,
        ``ratio_coupled``, ``chronic_21`` and ``ratio_uncoupled``.
    """
    values = load.to_numpy(dtype="float64")
    first = values[0] if len(values) else 0.0
    acute = pd.Series(_ewma(values, 2 / (ACUTE_DAYS + 1), first), index=load.index)
    chronic = pd.Series(_ewma(values, 2 / (CHRONIC_DAYS + 1), first), index=load.index)
    as_float = load.astype("float64")
    acute_7 = as_float.rolling(ACUTE_DAYS).mean()
    chronic_28 = as_float.rolling(CHRONIC_DAYS).mean()
    chronic_21 = as_float.rolling(CHRONIC_DAYS - ACUTE_DAYS).mean().shift(ACUTE_DAYS)
    warm = pd.Series(np.arange(len(values)) >= CHRONIC_DAYS - 1, index=load.index)

    def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
        return (num / den).where(warm & (den > 0))

    return pd.DataFrame(
        {
            "acute": acute,
            "chronic": chronic,
            "ratio": ratio(acute, chronic),
            "acute_7": acute_7,
            "chronic_28": chronic_28,
            "ratio_coupled": ratio(acute_7, chronic_28),
            "chronic_21": chronic_21,
            "ratio_uncoupled": ratio(acute_7, chronic_21),
        }
    )


def running_ratios(run_load: pd.Series, distance: pd.Series) -> pd.DataFrame:
    """Acute:chronic ratios of running alone: of running load and of running distance.

    :func:`acute_chronic` applied to the daily running load (effort × minutes of runs, Foster et al. 2001) and to
    the daily running distance, so that gym sessions, whose load is mixed into the ratio of all load, cannot hide a
    jump in running. Same formulas, windows, seeding and warm-up as :func:`acute_chronic` (Williams et al. 2017;
    uncoupled rolling: Lolli et al. 2019).

    Args:
        run_load: daily load of runs, one value per consecutive calendar day, rest days as 0.
        distance: daily running distance (metres) on the same days.

    Returns:
        A frame on ``run_load``'s index with ``acute_run`` and ``chronic_run`` (the 7- and 28-day EWMA of running
        load), ``ratio_run`` (their ratio), ``ratio_run_uncoupled`` (the mean running load of the last 7 days ÷ that
        of the 21 days before) and ``ratio_distance`` (the EWMA ratio of distance).
    """
    run = acute_chronic(run_load)
    return pd.DataFrame(
        {
            "acute_run": run["acute"],
            "chronic_run": run["chronic"],
            "ratio_run": run["ratio"],
            "ratio_run_uncoupled": run["ratio_uncoupled"],
            "ratio_distance": acute_chronic(distance)["ratio"],
        }
    )


def fitness_fatigue(load: pd.Series) -> pd.DataFrame:
    """Fitness (CTL), fatigue (ATL) and form from a daily load series, starting from zero.

    ``CTL[t] = CTL[t−1] + (load[t] − CTL[t−1])/42``, ``ATL[t] = ATL[t−1] + (load[t] − ATL[t−1])/7``, and
    ``form[t] = CTL[t−1] − ATL[t−1]`` (yesterday's values, as TrainingPeaks shows it; Banister et al. 1975,
    Allen & Coggan 2010).

    Starting from zero, fitness reads low until it has seen about one time constant of training: the days with
    fewer than 42 days of history (days 1 to 41) are ``warming_up``, as the load ratio is for its first 27 days.

    Args:
        load: daily load, one value per consecutive calendar day, rest days as 0.

    Returns:
        A frame on ``load``'s index with ``ctl``, ``atl``, ``form`` and ``warming_up`` (bool).
    """
    values = load.to_numpy(dtype="float64")
    ctl = _ewma(values, 1 / CTL_DAYS, 0.0)
    atl = _ewma(values, 1 / ATL_DAYS, 0.0)
    form = np.concatenate([[0.0], (ctl - atl)[:-1]]) if len(values) else ctl
    warming_up = np.arange(len(values)) < CTL_DAYS - 1
    return pd.DataFrame({"ctl": ctl, "atl": atl, "form": form, "warming_up": warming_up}, index=load.index)


def monotony_strain(week: pd.Series | np.ndarray) -> tuple[float, float]:
    """Training monotony and strain of one week of daily loads (Foster 1998).

    Monotony = mean ÷ population standard deviation of the seven daily loads (rest days as 0); strain = the week's
    total load × monotony.

    Args:
        week: the seven daily loads of one week.

    Returns:
        ``(monotony, strain)``; both NaN (undefined, not infinite) when every day has the same load, and when the
        week does not have exactly seven days.
    """
    values = np.asarray(week, dtype="float64")
    if len(values) != 7 or np.isnan(values).any():
        return math.nan, math.nan
    sd = float(values.std(ddof=0))
    if sd <= 1e-12 * max(1.0, float(np.abs(values).max())):
        return math.nan, math.nan
    monotony = float(values.mean()) / sd
    return monotony, float(values.sum()) * monotony


def week_over_week(distance: pd.Series, complete: pd.Series | None = None) -> pd.DataFrame:
    """Week-over-week change of weekly distance, with the soft flags of Nielsen et al. (2014).

    ``change_pct = (this week − last week) ÷ last week × 100``. A week more than 30% above the one before gets the
    flag ``"over 30%"``; a week with running after a week with none gets ``"restart"`` (no percentage). The 10%
    rule is not used: it was not supported when tested (Buist et al. 2008).

    Args:
        distance: weekly distance, one value per consecutive week.
        complete: optional, whether each week is a full week of history; a change involving an incomplete week
            (the first week of the log, the week in progress) is left out.

    Returns:
        A frame on ``distance``'s index with ``change_pct`` (NaN where undefined) and ``flag`` (``""``, ``"over
        30%"`` or ``"restart"``).
    """
    this = distance.astype("float64")
    last = this.shift(1)
    both = pd.Series(True, index=this.index) if complete is None else complete & complete.shift(1, fill_value=False)
    change = ((this - last) / last * 100).where(both & (last > 0))
    flag = pd.Series("", index=this.index, dtype="object")
    flag[both & (change > CHANGE_FLAG_PCT)] = FLAG_OVER
    flag[both & (last == 0) & (this > 0)] = FLAG_RESTART
    return pd.DataFrame({"change_pct": change, "flag": flag})
