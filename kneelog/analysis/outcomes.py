"""Outcome measures: the scales a physio tracks for patellofemoral pain, and their change against the published
minimal important change (MIC).

The scales, as data (:data:`SCALES`):

- **NPRS** (numeric pain rating scale, 0-10, lower is better; free to use): usual and worst knee pain in the past
  week (the runner's weekly rating), and pain during running (the highest ``pain_during`` of the week's runs, see
  :func:`running_pain`). MIC 2 points. Crossley et al. (2004, Arch Phys Med Rehabil 85:815-822) found 2 of 10 the
  smallest change patients and clinicians call important for usual and worst pain in patellofemoral pain (on a
  10 cm VAS, the NPRS's continuous twin); Farrar et al. (2001, Pain 94:149-158) found about 2 points or 30% on the
  11-point NPRS itself (chronic pain), and :mod:`kneelog.analysis.pain` already uses Farrar's 2 points. Piva et al.
  (2009, J Rehabil Med 41:129-135) give 1.16 points for the NPRS in patellofemoral pain, but ratings are whole
  numbers, so a change of at least 1.16 is a change of at least 2: the same threshold. The 30% criterion is not
  used here: at the low ratings of a recovering knee (2 to 1 is 50%) it calls a one-point wobble important.
- **AKPS**, the Anterior Knee Pain Scale (Kujala et al. 1993, Arthroscopy 9:159-163), 0-100 whole points, higher
  is better. MIC 10 points: Crossley et al. (2004), the same study ("10 of 100 points").
- **KOOS-PF**, the patellofemoral subscale of the KOOS (Crossley et al. 2018, Br J Sports Med 52:1130-1136), 0-100,
  higher is better. MIC 16.4 points, from the same paper (its smallest detectable change for one person is 16).

kneelog does not reproduce the questions of the AKPS or the KOOS-PF (their licences for reproduction in software
are unclear): the runner enters the total their physio's form gave.

Functional tests a physio may record (:data:`TESTS`): the single-leg squat and the step-down, per knee side, with
pain 0-10 (NPRS) and the quality of movement as good, fair or poor (:data:`QUALITIES`). That three-point rating is
the one Crossley et al. (2011, Am J Sports Med 39:866-873) made reliable for the single-leg squat; the lateral
step-down's published rating (Piva et al. 2006, BMC Musculoskelet Disord 7:33) also ends in three bands (good,
moderate, poor), which kneelog names good, fair and poor so one list serves both tests. No MIC is published for
pain or quality on these tests, so :func:`function_test_changes` shows first and last without a verdict.

The scores frame (:meth:`kneelog.store.Store.outcome_scores`, long format, one row per value) has the columns
:data:`SCORE_COLUMNS`: ``id`` (the entry's id in its own table), ``date`` (``datetime64``), ``measure`` (a
:data:`SCALES` id, or a :data:`TESTS` id for a functional test), ``value`` (the score; a functional test's pain,
NaN when only the quality was recorded), ``side`` (``left``/``right`` for a functional test, else None),
``quality`` (a functional test's, else None), ``note`` and ``source``. :func:`changes` reads the scale rows and
ignores functional tests; :func:`function_test_changes` reads those. Add the runs' pain with
:func:`with_running_pain` before calling either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kneelog.analysis.pain import MEANINGFUL_POINTS

#: Columns of the scores frame (see the module text).
SCORE_COLUMNS = ["id", "date", "measure", "value", "side", "quality", "note", "source"]
#: Columns of :func:`changes`.
CHANGE_COLUMNS = [
    "measure", "label", "unit", "first_date", "first", "last_date", "last", "change", "better", "mic",
    "beyond_mic", "direction", "citation",
]  # fmt: skip
#: Columns of :func:`function_test_changes`.
TEST_COLUMNS = [
    "test", "label", "side", "first_date", "first_pain", "first_quality", "last_date", "last_pain", "last_quality",
]  # fmt: skip

BETTER = "better"
WORSE = "worse"
NO_CLEAR_CHANGE = "no clear change"

_CROSSLEY_2004 = "Crossley et al. 2004, Arch Phys Med Rehabil 85:815-822"
_FARRAR_2001 = "Farrar et al. 2001, Pain 94:149-158"
_NPRS = "numeric pain rating scale (NPRS)"
_NPRS_CITATION = f"MIC 2 points: {_CROSSLEY_2004} (patellofemoral pain); {_FARRAR_2001}"


@dataclass(frozen=True)
class Scale:
    """One outcome scale: its range, which way is better, and its minimal important change with the source."""

    id: str
    label: str
    #: A short name for charts and tables.
    short: str
    low: float
    high: float
    better: Literal["higher", "lower"]
    mic: float
    citation: str
    #: Whether scores are whole numbers.
    whole: bool = True
    #: Where the score comes from: ``weekly`` (the runner's weekly rating), ``questionnaire`` (a total the runner
    #: enters) or ``runs`` (computed from the runs).
    origin: str = "questionnaire"
    #: The instrument's name in a refusal, where it differs from the label (the three pain ratings share the NPRS).
    instrument: str = ""

    @property
    def unit(self) -> str:
        """``points (0-10)``."""
        return f"points ({self.low:g}-{self.high:g})"

    @property
    def range_words(self) -> str:
        """``the Anterior Knee Pain Scale (Kujala), which runs from 0 to 100 in whole points``."""
        whole = " in whole points" if self.whole else ""
        return f"the {self.instrument or self.label}, which runs from {self.low:g} to {self.high:g}{whole}"

    def problem(self, value: float) -> str | None:
        """Why ``value`` is no score on this scale (naming the scale and its range), or None when it is one."""
        if np.isnan(value) or not self.low <= value <= self.high or (self.whole and value != round(value)):
            return f"{value:g} is not a score on {self.range_words}"
        return None


#: Every scale kneelog tracks, in the order they are shown.
SCALES: dict[str, Scale] = {
    s.id: s
    for s in (
        Scale(
            "nprs_usual", "usual knee pain in the past week (NPRS)", "Usual pain (week)", 0, 10, "lower",
            MEANINGFUL_POINTS, _NPRS_CITATION, origin="weekly", instrument=_NPRS,
        ),
        Scale(
            "nprs_worst", "worst knee pain in the past week (NPRS)", "Worst pain (week)", 0, 10, "lower",
            MEANINGFUL_POINTS, _NPRS_CITATION, origin="weekly", instrument=_NPRS,
        ),
        Scale(
            "nprs_running", "worst knee pain during running in the week (NPRS)", "Pain during running", 0, 10,
            "lower", MEANINGFUL_POINTS, _NPRS_CITATION, origin="runs", instrument=_NPRS,
        ),
        Scale(
            "akps", "Anterior Knee Pain Scale (Kujala)", "AKPS (Kujala)", 0, 100, "higher", 10.0,
            f"MIC 10 points: {_CROSSLEY_2004}; scale: Kujala et al. 1993, Arthroscopy 9:159-163",
        ),
        Scale(
            "koos_pf", "KOOS patellofemoral subscale (KOOS-PF)", "KOOS-PF", 0, 100, "higher", 16.4,
            "MIC 16.4 points: Crossley et al. 2018, Br J Sports Med 52:1130-1136", whole=False,
        ),
    )
}  # fmt: skip
#: The questionnaires a runner enters totals of, by id.
QUESTIONNAIRES: dict[str, Scale] = {k: s for k, s in SCALES.items() if s.origin == "questionnaire"}

#: Functional tests a physio may record, by id.
TESTS: dict[str, str] = {"single_leg_squat": "Single-leg squat", "step_down": "Step-down"}
#: Quality of movement on a functional test, best first (Crossley et al. 2011; Piva et al. 2006: see module text).
QUALITIES: tuple[str, ...] = ("good", "fair", "poor")
TEST_CITATION = (
    "Quality rated good, fair or poor: Crossley et al. 2011, Am J Sports Med 39:866-873 (single-leg squat); "
    "Piva et al. 2006, BMC Musculoskelet Disord 7:33 (step-down, whose 'moderate' band kneelog calls fair)"
)


def empty_scores() -> pd.DataFrame:
    """A scores frame with no rows and the right column types."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in SCORE_COLUMNS})
    frame["date"] = pd.Series(dtype="datetime64[us]")
    frame["value"] = pd.Series(dtype="float64")
    return frame


def running_pain(runs: pd.DataFrame) -> pd.DataFrame:
    """The highest pain during running of each ISO week, as scores of ``nprs_running``.

    Each week with at least one run rated for pain gives one score, dated on the last such run of the week, so the
    score lies within the runs it summarises. The highest, not the mean: it matches the weekly "worst pain", and the
    pain-monitoring model holds each run to its limit (:mod:`kneelog.analysis.pain`).

    Args:
        runs: the run frame of :meth:`Store.frame` (``date``, ``pain_during``).

    Returns:
        A scores frame (:data:`SCORE_COLUMNS`) with ``source`` ``runs`` and no ``id``.
    """
    rated = runs.loc[runs["pain_during"].notna(), ["date", "pain_during"]]
    if rated.empty:
        return empty_scores()
    week = rated["date"].dt.to_period("W-SUN")
    weekly = rated.groupby(week).agg(date=("date", "max"), value=("pain_during", "max")).reset_index(drop=True)
    out = empty_scores().reindex(range(len(weekly)))
    out["date"] = weekly["date"].astype("datetime64[us]").to_numpy()
    out["value"] = weekly["value"].astype("float64").to_numpy()
    out["measure"] = "nprs_running"
    out["source"] = "runs"
    out["note"] = ""
    return out


def with_running_pain(scores: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """``scores`` with the weekly pain during running (:func:`running_pain`) added, sorted by date."""
    added = running_pain(runs)
    if added.empty:
        return scores
    if scores.empty:
        return added
    both = pd.concat([scores, added], ignore_index=True)
    return both.sort_values(["date", "measure"], kind="stable", ignore_index=True)


def _quality(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _as_day(value: pd.Timestamp) -> dt.date:
    return pd.Timestamp(value).date()


def changes(scores: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Each scale's change over the period from ``start`` to ``end`` (both included), against its MIC.

    For each scale with a score on or before ``end``: the first score is the last one on or before ``start`` (the
    level the period began at), or, without one, the earliest in the period; the last score is the latest on or
    before ``end``. ``change`` is last minus first, in the scale's own numbers (a fall of pain is negative, a rise
    of the AKPS positive). The change is beyond the MIC when its size is at least the MIC; ``direction`` is then
    ``better`` or ``worse`` by the scale's better direction, else ``no clear change``. A scale with a single score
    (first and last the same) has ``change`` NaN and ``no clear change``.

    Args:
        scores: the scores frame (:data:`SCORE_COLUMNS`); functional tests and unknown measures are ignored.
        start: the first day of the period.
        end: the last day of the period.

    Returns:
        One row per scale in :data:`SCALES` order, columns :data:`CHANGE_COLUMNS`; dates as ``datetime.date``.
    """
    rows = []
    first_day, last_day = pd.Timestamp(start), pd.Timestamp(end)
    known = scores[scores["measure"].isin(SCALES) & scores["value"].notna() & (scores["date"] <= last_day)]
    for scale in SCALES.values():
        these = known[known["measure"] == scale.id].sort_values("date", kind="stable")
        if these.empty:
            continue
        before = these[these["date"] <= first_day]
        first = before.iloc[-1] if not before.empty else these.iloc[0]
        last = these.iloc[-1]
        single = first.name == last.name
        change = np.nan if single else float(last["value"]) - float(first["value"])
        beyond = (not single) and abs(change) >= scale.mic - 1e-9
        improved = change > 0 if scale.better == "higher" else change < 0
        rows.append(
            {
                "measure": scale.id,
                "label": scale.label,
                "unit": scale.unit,
                "first_date": _as_day(first["date"]),
                "first": float(first["value"]),
                "last_date": _as_day(last["date"]),
                "last": float(last["value"]),
                "change": change,
                "better": scale.better,
                "mic": scale.mic,
                "beyond_mic": bool(beyond),
                "direction": (BETTER if improved else WORSE) if beyond else NO_CLEAR_CHANGE,
                "citation": scale.citation,
            }
        )
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    return frame.astype({"first": "float64", "last": "float64", "change": "float64", "mic": "float64"})


def function_test_changes(scores: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Each functional test and side: its first and last record for the period, without a verdict (no MIC is
    published for these tests).

    First and last are chosen as in :func:`changes` (the last record on or before ``start``, else the earliest in
    the period; the latest on or before ``end``).

    Returns:
        One row per test and side recorded, tests in :data:`TESTS` order, left before right; columns
        :data:`TEST_COLUMNS` (pain NaN and quality None where not recorded).
    """
    rows = []
    first_day, last_day = pd.Timestamp(start), pd.Timestamp(end)
    tests = scores[scores["measure"].isin(TESTS) & (scores["date"] <= last_day)]
    for test, label in TESTS.items():
        for side in ("left", "right"):
            these = tests[(tests["measure"] == test) & (tests["side"] == side)].sort_values("date", kind="stable")
            if these.empty:
                continue
            before = these[these["date"] <= first_day]
            first = before.iloc[-1] if not before.empty else these.iloc[0]
            last = these.iloc[-1]
            rows.append(
                {
                    "test": test,
                    "label": label,
                    "side": side,
                    "first_date": _as_day(first["date"]),
                    "first_pain": float(first["value"]),
                    "first_quality": _quality(first["quality"]),
                    "last_date": _as_day(last["date"]),
                    "last_pain": float(last["value"]),
                    "last_quality": _quality(last["quality"]),
                }
            )
    return pd.DataFrame(rows, columns=TEST_COLUMNS).astype({"first_pain": "float64", "last_pain": "float64"})
