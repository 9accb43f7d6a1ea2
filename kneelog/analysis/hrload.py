"""Heart-rate training load (TRIMP) of runs recorded with a heart-rate monitor and logged without an effort rating.

Session load in kneelog is effort (RPE) × minutes (Foster et al. 2001, :mod:`~kneelog.analysis.load`); a run with no
RPE gets the median effort, an estimate. Where such a run has heart-rate samples, this module gives its training
impulse (TRIMP) instead, on its own scale: the two scales are never added, and a run with an RPE keeps its RPE load
and has no TRIMP, so no run is counted on both.

Two published TRIMPs, both from the seconds spent at each heart rate (``hr_seconds``, the text
:func:`kneelog.importers.files.summary.encode` writes), so a sample's weight is exact rather than from an average:

- Edwards' zone TRIMP (Edwards 1993, The Heart Rate Monitor Book, Polar Electro Oy): minutes in the zones 50-60,
  60-70, 70-80, 80-90 and 90-100% of the maximum heart rate, weighted 1 to 5; below 50% counts 0, above the maximum
  5. It needs only the maximum heart rate: kneelog's default.
- Banister's TRIMP (Banister 1991, in Physiological Testing of the High-Performance Athlete, Human Kinetics,
  pp. 403-424; Morton, Fitz-Clarke & Banister 1990, J Appl Physiol 69:1171-1177): Σ minutes × ΔHRr × a·e^(b·ΔHRr),
  ΔHRr = (HR − HRrest) ÷ (HRmax − HRrest) held within 0 to 1, with a = 0.64, b = 1.92 in the coefficients Banister
  derived from men's blood lactate and a = 0.86, b = 1.67 in those from women's. kneelog does not ask a runner's
  sex: the runner chooses a curve in Settings, and it needs the resting heart rate too.

With no maximum heart rate set, the highest heart rate recorded in any run stands in for it, labelled an estimate
(it is usually below the true maximum, which makes each minute look harder than it was).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from kneelog.clock import monday_of
from kneelog.models import HrWeighting, Settings

#: Banister's weighting a·e^(b·ΔHRr) by curve: (a, b) (Morton, Fitz-Clarke & Banister 1990; Banister 1991).
BANISTER: dict[str, tuple[float, float]] = {"banister_men": (0.64, 1.92), "banister_women": (0.86, 1.67)}
#: Each curve as the runner reads it.
WEIGHTING_NAMES: dict[str, str] = {
    "edwards": "Edwards' heart-rate zones (needs only your maximum)",
    "banister_men": "Banister, men's coefficients: 0.64·e^(1.92·x)",
    "banister_women": "Banister, women's coefficients: 0.86·e^(1.67·x)",
}
#: The lowest share of the maximum heart rate that counts in Edwards' zones (zone 1 is 50-60%).
EDWARDS_FLOOR = 0.5
#: The weekly columns :func:`weekly_trimp` adds.
WEEKLY_COLUMNS = ["trimp", "trimp_runs", "trimp_minutes"]


@dataclass(frozen=True)
class Scale:
    """The heart-rate load scale in use: which TRIMP, and the heart rates it reads.

    ``max_hr`` is the runner's setting, or (``max_estimated``) the highest heart rate recorded; None when neither is
    known. ``resting_hr`` is read by Banister's TRIMP only.
    """

    weighting: HrWeighting = "edwards"
    max_hr: float | None = None
    resting_hr: float | None = None
    max_estimated: bool = False

    @property
    def name(self) -> str:
        """``Edwards' TRIMP`` or ``Banister's TRIMP``: the scale, as axis titles and tooltips name it."""
        return "Edwards' TRIMP" if self.weighting == "edwards" else "Banister's TRIMP"

    @property
    def missing(self) -> str:
        """What the runner must set before this scale can be worked out, in words ('' when nothing)."""
        needs = [] if self.max_hr is not None else ["maximum heart rate"]
        if self.weighting != "edwards" and self.resting_hr is None:
            needs.insert(0, "resting heart rate")
        return " and ".join(needs)

    @property
    def source(self) -> str:
        """The formula and where it was published, for a caption."""
        if self.weighting == "edwards":
            return (
                "Edwards' zone TRIMP (Edwards 1993): minutes at 50-60, 60-70, 70-80, 80-90 and 90-100% of your "
                "maximum heart rate, weighted 1 to 5"
            )
        a, b = BANISTER[self.weighting]
        return (
            f"Banister's TRIMP (Banister 1991; Morton, Fitz-Clarke & Banister 1990): minutes × x × {a:g}·e^({b:g}·x), "
            "x = heart-rate reserve used, (HR − resting) ÷ (maximum − resting)"
        )

    @property
    def heart_rates(self) -> str:
        """The heart rates in use, in words, an estimated maximum said to be one."""
        words = []
        if self.weighting != "edwards" and self.resting_hr is not None:
            words.append(f"resting {self.resting_hr:.0f} bpm")
        if self.max_hr is not None:
            estimate = " (an estimate: your highest recorded heart rate; set yours in Settings)"
            words.append(f"maximum {self.max_hr:.0f} bpm" + (estimate if self.max_estimated else ""))
        return ", ".join(words)


def samples(hr_seconds: pd.Series) -> pd.DataFrame:
    """The seconds at each heart rate of every run, one row per run and bpm.

    Args:
        hr_seconds: per run, the text :func:`kneelog.importers.files.summary.encode` writes (``{"141":12,...}``);
            '' or missing for a run without heart-rate samples.

    Returns:
        A frame with ``run`` (the label of the run in ``hr_seconds``' index), ``bpm`` and ``seconds`` (floats).
    """
    texts = hr_seconds[_written(hr_seconds)]
    held = json.loads("[" + ",".join(texts.tolist()) + "]")  # one parse for every run: each text is a JSON object
    sizes = np.fromiter(map(len, held), dtype="int64", count=len(held))
    return pd.DataFrame(
        {
            "run": np.repeat(texts.index.to_numpy(), sizes),
            "bpm": np.fromiter(map(float, chain.from_iterable(held)), dtype="float64", count=int(sizes.sum())),
            "seconds": np.fromiter(
                chain.from_iterable(h.values() for h in held), dtype="float64", count=int(sizes.sum())
            ),
        }
    )


def banister_weight(bpm: np.ndarray, resting: float, maximum: float, weighting: str) -> np.ndarray:
    """Banister's weight per minute at each heart rate: ΔHRr × a·e^(b·ΔHRr), ΔHRr held within 0 to 1.

    Args:
        bpm: heart rates.
        resting, maximum: the runner's resting and maximum heart rate (maximum above resting).
        weighting: ``banister_men`` or ``banister_women`` (:data:`BANISTER`).
    """
    a, b = BANISTER[weighting]
    reserve = np.clip((np.asarray(bpm, dtype="float64") - resting) / (maximum - resting), 0.0, 1.0)
    return reserve * a * np.exp(b * reserve)


def edwards_zone(bpm: np.ndarray, maximum: float) -> np.ndarray:
    """Edwards' zone (0 to 5) of each heart rate: 1 for 50% to under 60% of ``maximum``, … 5 for 90% and above.

    A heart rate exactly on a boundary (114 bpm of 190 is 60%) is in the zone above it.
    """
    tenths = np.round(np.asarray(bpm, dtype="float64") * 10 / maximum, 9)  # 114 * 10 / 190 is 6.0, not 5.99…
    return np.clip(np.floor(tenths) - EDWARDS_FLOOR * 10 + 1, 0, 5)


def run_trimp(runs: pd.DataFrame, scale: Scale) -> pd.Series:
    """TRIMP of each run with heart-rate samples (:data:`Scale`'s formula), whatever its effort rating.

    Args:
        runs: the run frame; reads ``hr_seconds`` (a run frame without the column has no heart rate).
        scale: the TRIMP and heart rates (:func:`scale_for`).

    Returns:
        A series on ``runs``' index: NaN for a run without samples, and for every run when the scale lacks a heart
        rate it needs (:attr:`Scale.missing`).
    """
    out = pd.Series(np.nan, index=runs.index, dtype="float64")
    if "hr_seconds" not in runs or scale.missing:
        return out
    held = samples(runs["hr_seconds"])
    if held.empty:
        return out
    assert scale.max_hr is not None
    if scale.weighting == "edwards":
        weight = edwards_zone(held["bpm"].to_numpy(), scale.max_hr)
    else:
        assert scale.resting_hr is not None
        weight = banister_weight(held["bpm"].to_numpy(), scale.resting_hr, scale.max_hr, scale.weighting)
    per_run = (held["seconds"] / 60.0 * weight).groupby(held["run"], sort=False).sum()
    out.loc[per_run.index] = per_run.to_numpy()
    return out


def _written(texts: pd.Series) -> pd.Series:
    """Whether each text is there and not empty."""
    return pd.Series([isinstance(text, str) and text != "" for text in texts.tolist()], index=texts.index, dtype=bool)


def has_heart_rate(runs: pd.DataFrame) -> pd.Series:
    """Whether each run has heart-rate samples."""
    return _written(runs["hr_seconds"]) if "hr_seconds" in runs else pd.Series(False, index=runs.index)


def counted(runs: pd.DataFrame) -> pd.Series:
    """The runs with a heart-rate load: heart-rate samples and no effort rating (a rated run keeps its RPE load)."""
    return has_heart_rate(runs) & runs["rpe"].isna()


def highest_recorded(runs: pd.DataFrame) -> float | None:
    """The highest heart rate recorded in any run (its ``hr_max``, or the top of its samples where it has no
    ``hr_max``); None without any."""
    tops = runs["hr_max"].dropna().astype("float64") if "hr_max" in runs else pd.Series(dtype="float64")
    unsummed = has_heart_rate(runs) & ~runs.index.isin(tops.index)
    if unsummed.any():
        tops = pd.concat([tops, samples(runs.loc[unsummed, "hr_seconds"])["bpm"]])
    return float(tops.max()) if len(tops) else None


def scale_for(settings: Settings, runs: pd.DataFrame) -> Scale:
    """The runner's TRIMP and heart rates: the settings, with the highest recorded heart rate standing in for an
    unset maximum (:attr:`Scale.max_estimated`)."""
    maximum = float(settings.max_hr) if settings.max_hr is not None else highest_recorded(runs)
    return Scale(
        weighting=settings.hr_weighting,
        max_hr=maximum,
        resting_hr=float(settings.resting_hr) if settings.resting_hr is not None else None,
        max_estimated=settings.max_hr is None and maximum is not None,
    )


def weekly_trimp(runs: pd.DataFrame, scale: Scale, weeks: pd.Series) -> pd.DataFrame:
    """Each week's heart-rate load: the TRIMP of its runs with heart-rate samples and no effort rating.

    Args:
        runs: the run frame (``date``, ``duration_s``, ``rpe``, ``hr_seconds``).
        scale: the TRIMP and heart rates (:func:`scale_for`).
        weeks: the Mondays of the weeks wanted (the weekly table's ``week``).

    Returns:
        A frame on ``weeks``' index with ``week`` and :data:`WEEKLY_COLUMNS`: ``trimp`` (0 in a week without such
        runs; NaN in every week while the scale lacks a heart rate it needs), ``trimp_runs`` (how many runs) and
        ``trimp_minutes`` (their minutes).
    """
    mask = counted(runs)
    if not mask.any():  # the common case without heart-rate data, without pandas' cost on empty frames
        nothing = math.nan if scale.missing else 0.0
        return pd.DataFrame({"week": weeks, "trimp": nothing, "trimp_runs": 0, "trimp_minutes": 0.0}, index=weeks.index)
    chosen = runs.loc[mask, ["date", "duration_s", "hr_seconds"]]
    trimp = run_trimp(chosen, scale)
    monday = monday_of(chosen["date"])
    frame = pd.DataFrame(
        {"trimp": trimp, "trimp_runs": 1.0, "trimp_minutes": chosen["duration_s"].astype("float64") / 60.0}
    )
    sums = frame.groupby(monday).sum(min_count=1)
    out = sums.reindex(pd.DatetimeIndex(weeks)).set_index(weeks.index)
    out["trimp_runs"] = out["trimp_runs"].fillna(0.0).astype("int64")
    out["trimp_minutes"] = out["trimp_minutes"].fillna(0.0)
    out["trimp"] = out["trimp"].fillna(math.nan if scale.missing else 0.0)
    out["week"] = weeks
    return out[["week", *WEEKLY_COLUMNS]]
