"""Every limit an entry must meet, declared once with its words.

The pydantic validators of :mod:`kneelog.models` (a form, a restore) and the vectorised check of an import
(:mod:`kneelog.importers.canonical`) both read this table, so a typed entry and an imported row are refused for the
same values, in the same words. Each :class:`Limit` answers for one value (:meth:`Limit.problem`) and for a whole
column at once (:meth:`Limit.broken`).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: The longest single run kneelog accepts (metres). Multi-day races beyond this are not single runs.
MAX_RUN_M = 300_000.0
#: The longest single activity (seconds): 72 hours.
MAX_DURATION_S = 72 * 3600.0
#: The longest gym session (seconds).
MAX_GYM_S = 6 * 3600.0
#: Faster than this average speed (m/s, about 2:23 per km) is faster than any road world record: a typo.
MAX_SPEED_MS = 7.0
#: The earliest date kneelog accepts.
EARLIEST = dt.date(1970, 1, 1)
#: Days past the runner's today that a logged session may carry (a late-night entry).
FUTURE_GRACE_DAYS = 1
#: Races are planned ahead: up to this many days out.
RACE_AHEAD_DAYS = 5 * 366
#: The longest id an imported activity may carry.
MAX_SOURCE_ID = 200
#: The longest note (of a run, gym session, stretch session or check-in), and of an imported activity's name and
#: description together: the models' ``max_length``, a form's ``max_chars`` and the import check all read it.
MAX_NOTES_CHARS = 200_000
#: The longest race name.
MAX_NAME_CHARS = 200
#: The longest cell kneelog's CSV reading takes in (a whole note, with room for the mark that keeps a spreadsheet
#: from running it as a formula). Python's csv module stops at 131,072 characters unless told otherwise, below a
#: note's limit; readers raise its limit to this and never lower it (the setting is shared by the whole process).
CSV_CELL_CHARS = MAX_NOTES_CHARS + 16

TOO_FAST = (
    "distance and duration give a pace faster than any world record; check both (is the duration in minutes, not "
    "hours?)"
)
TOO_EARLY = "is before 1970; check the year"
IN_FUTURE = "is in the future; log sessions on or before today"
FAR_AHEAD = "is more than five years ahead; check the year"


def allow_csv_cells(chars: int = CSV_CELL_CHARS) -> None:
    """Let Python's csv module read cells of up to ``chars`` characters (:data:`CSV_CELL_CHARS`), never lowering a
    larger limit set elsewhere: the limit is one setting for the whole process, shared by every thread."""
    if csv.field_size_limit() < chars:
        csv.field_size_limit(chars)


def too_long(chars: int, limit: int = MAX_NOTES_CHARS) -> str:
    """Why a text of ``chars`` characters is refused: ``is 250,000 characters long; kneelog keeps at most 200,000``."""
    return f"is {chars:,} characters long; kneelog keeps at most {limit:,}"


@dataclass(frozen=True)
class Limit:
    """A value must lie from ``low`` to ``high`` (``low`` itself excluded when ``above``), and be whole when
    ``whole``; otherwise it is refused in the words ``too_low`` (below ``low``) or ``words`` (the rest)."""

    low: float
    high: float
    words: str
    too_low: str = ""
    above: bool = False
    whole: bool = False

    def problem(self, value: float) -> str | None:
        """Why ``value`` breaks the limit, or None when it keeps it (a missing value is the caller's question)."""
        if math.isnan(value) or value < self.low or (self.above and value == self.low):
            return self.too_low or self.words
        if value > self.high or (self.whole and value != round(value)):
            return self.words
        return None

    def broken(self, values: pd.Series) -> pd.Series:
        """Why each value breaks the limit, or None where it keeps it or is missing (vectorised)."""
        low = values.le(self.low) if self.above else values.lt(self.low)
        high = values.gt(self.high)
        if self.whole:
            high = high | values.ne(values.round())
        return _reasons(values.index, (high & values.notna(), self.words), (low, self.too_low or self.words))


_LONGEST_RUN = "is longer than any single run kneelog accepts (300 km)"
RUN_DISTANCE = Limit(0.0, MAX_RUN_M, _LONGEST_RUN, too_low="cannot be negative")
RACE_DISTANCE = Limit(0.0, MAX_RUN_M, _LONGEST_RUN, too_low="must be more than zero", above=True)
RUN_DURATION = Limit(0.0, MAX_DURATION_S, "must be at most 72 hours", too_low="must be longer than zero", above=True)
GYM_DURATION = Limit(0.0, MAX_GYM_S, "must be at most 6 hours", too_low="must be longer than zero", above=True)
EFFORT = Limit(1, 10, "must be a whole number from 1 to 10", whole=True)
PAIN = Limit(0, 10, "must be a whole number from 0 to 10", whole=True)
#: A gym exercise's dose (:class:`kneelog.models.ExerciseDose`): sets, repetitions or seconds per set, and the load.
MAX_SETS = 20
MAX_REPS = 200
MAX_SET_SECONDS = 3600
#: The heaviest load kneelog accepts on one exercise (kg): above any squat a runner lifts, so a typo or a wrong unit.
MAX_LOAD_KG = 500.0
#: The longest exercise name.
MAX_EXERCISE_NAME_CHARS = 100
SETS = Limit(
    1,
    MAX_SETS,
    f"must be a whole number from 1 to {MAX_SETS}",
    "must be at least 1",
    whole=True,
)
REPS = Limit(1, MAX_REPS, f"must be a whole number from 1 to {MAX_REPS}", "must be at least 1", whole=True)
SET_SECONDS = Limit(
    1, MAX_SET_SECONDS, "must be a whole number of seconds from 1 to 3600", "must be at least 1 second", whole=True
)
LOAD_KG = Limit(
    0.0,
    MAX_LOAD_KG,
    "is more than 500 kg, beyond any load kneelog accepts: check the number and the unit (kg or lb)",
    too_low="cannot be negative (leave it empty for body weight)",
)
#: What a device file adds to an activity (never typed in a form: an import leaves out a value beyond these).
ELAPSED = Limit(0.0, MAX_DURATION_S, "must be at most 72 hours", too_low="must be longer than zero", above=True)
#: The most ascent one activity can hold: twice Everest from sea level, more than any ultra-trail climbs.
MAX_ASCENT_M = 20_000.0
ASCENT = Limit(0.0, MAX_ASCENT_M, "must be at most 20,000 metres", too_low="cannot be negative")
#: Heart rates outside these (bpm) are sensor noise: below any adult athlete's resting rate, above any maximum.
LOWEST_BPM, HIGHEST_BPM = 25, 250
HEART_RATE = Limit(LOWEST_BPM, HIGHEST_BPM, "must be from 25 to 250 beats per minute")
#: The longest text of seconds at each bpm: every whole bpm from 25 to 250 with up to six digits of seconds.
MAX_HR_SECONDS_CHARS = 4_000


def date_problem(day: dt.date, today: dt.date, ahead_days: int = FUTURE_GRACE_DAYS) -> str | None:
    """Why a session's date is refused: before 1970, or more than ``ahead_days`` after the runner's ``today``."""
    if day < EARLIEST:
        return TOO_EARLY
    if day > today + dt.timedelta(days=ahead_days):
        return IN_FUTURE if ahead_days == FUTURE_GRACE_DAYS else FAR_AHEAD
    return None


def dates_broken(days: pd.Series, today: dt.date) -> pd.Series:
    """:func:`date_problem` for a column of days (``datetime64``; None where missing or kept)."""
    latest = pd.Timestamp(today + dt.timedelta(days=FUTURE_GRACE_DAYS))
    return _reasons(days.index, (days.lt(pd.Timestamp(EARLIEST)), TOO_EARLY), (days.gt(latest), IN_FUTURE))


def _reasons(index: pd.Index, *rules: tuple[pd.Series, str]) -> pd.Series:
    """A column of reasons (None where no rule holds); a later rule's words win where several hold."""
    reasons = np.full(len(index), None, dtype=object)
    for mask, words in rules:
        reasons[mask.fillna(False).to_numpy(dtype=bool)] = words
    return pd.Series(reasons, index=index, dtype=object)


def too_fast(distance_m: float, duration_s: float) -> bool:
    """Whether a run's average speed beats :data:`MAX_SPEED_MS` (no distance or no time is never too fast)."""
    return distance_m > 0 and duration_s > 0 and distance_m / duration_s > MAX_SPEED_MS
