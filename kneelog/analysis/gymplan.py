"""The gym plan: how many strength sessions to aim for each week (one to three), and how the runner kept to it.

Strength work for the hips and knees is the backbone of treatment for patellofemoral pain, but the legs also have to
absorb the running. A week's plan is decided from what came before it (it is there on the week's Monday) and from
the race calendar, by one rule, :data:`RULE`. Its words are built from the constants below, the same ones the code
reads, so the text and the code cannot drift apart. The choices, and why:

- **Last week against a reference.** Last week's distance is compared with the mean of up to
  :data:`REFERENCE_WEEKS` weeks before it, and every reason names that reference with its number ("12% above your
  4-week average (25.0 km)"). Only *known* weeks count: a week with fewer than :data:`WHOLE_WEEK_DAYS` days in the
  calendar (the part week the log starts in) is unknown, neither a reference nor a "last week", and is never scaled
  up to seven days: one 12 km Sunday is not an 84 km week.
- **A week without running starts the reference afresh.** The weeks before a break describe legs that have since
  rested, so after a restart the reference is the running since the restart. A return to the old level then reads
  as steady when week-over-week change says 0% (:func:`kneelog.analysis.load.week_over_week` restarts the same way),
  and a ramp back up reads as rising.
- **Restart.** A week of running after a whole week without, whatever came before the break, makes the next week's
  plan :data:`FEWEST`. The week after a week without running has no running to ease off for: :data:`MOST`.
- **Races** (Race entries, which may lie in the future). Each race has a taper of :data:`TAPER_DAYS_SHORT` days
  before a race of :data:`TAPER_SHORT_M` or less and :data:`TAPER_DAYS_LONG` before a marathon or longer, in
  proportion to the distance in between (:func:`taper_days`), so a longer race tapers longer. The week of the race
  and a week with :data:`TAPER_MOSTLY_DAYS` or more of its days in the taper get one light session; a week with fewer
  taper days, and a week holding any of the same number of days after the race (easing back), get at most
  :data:`MIDDLE`. The plan is weekly, so the day before the race is said in words: "no gym session on Sat 14 Mar,
  the day before City 10K".
- **Pain.** When last week's pain status was over the pain-monitoring model's limits, the plan is one session lower
  (never below :data:`FEWEST`), and the reason says so.

The 30% step is the size of change Nielsen et al. 2014 (*J Orthop Sports Phys Ther* 44:739–747) flag; the other
thresholds and the taper lengths are kneelog's plan, not published cut-offs. The 10% step only separates "rising a
little" from "steady" and is not the disputed 10% rule (Buist et al. 2008).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import operator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kneelog.models import Unit
from kneelog.units import UNIT_NAMES, to_unit

FEWEST = 1
MIDDLE = 2
MOST = 3
#: Weeks before last week that make its reference average (fewer when fewer are known).
REFERENCE_WEEKS = 4
#: A week with fewer days than this in the calendar is unknown: neither compared nor a reference.
WHOLE_WEEK_DAYS = 7
#: Last week ÷ its reference above this: the fewest sessions; above :data:`RISING`: the middle number.
RISING_SHARPLY = 1.30
RISING = 1.10
#: Taper length (days before a race): this many for races of TAPER_SHORT_M or less ...
TAPER_DAYS_SHORT = 7
TAPER_SHORT_M = 5_000.0
#: ... this many for a marathon or longer, in proportion in between; as many days of easing back after the race.
TAPER_DAYS_LONG = 10
TAPER_LONG_M = 42_195.0
#: A week with this many taper days or more is a taper week (one light session).
TAPER_MOSTLY_DAYS = 4
#: Sessions fewer after a week whose pain status was over the model's limits.
PAIN_STEP = 1


def _pct(ratio: float) -> str:
    return f"{(ratio - 1) * 100:.0f}%"


RULE = (
    f"Each week's plan is decided from the weeks before it and from your race calendar. **Last week** is compared "
    f"with **your average** of up to {REFERENCE_WEEKS} whole weeks before it: a part week (fewer than "
    f"{WHOLE_WEEK_DAYS} of its days since you started logging) is unknown, not scaled up, and a week without "
    f"running starts the average afresh. **{FEWEST} gym session** after a restart (running again after a week "
    f"without), or when last week was more than {_pct(RISING_SHARPLY)} above your average; **{MIDDLE} sessions** "
    f"when it was {(RISING - 1) * 100:.0f}–{_pct(RISING_SHARPLY)} above, or while there is too little history to "
    f"compare; **{MOST} sessions** when it was steady or lighter, or after a week without running. **Races**: a "
    f"taper of {TAPER_DAYS_SHORT} days before a race of {TAPER_SHORT_M / 1000:g} km or less, {TAPER_DAYS_LONG} days "
    f"before a marathon or longer, in proportion in between. At most {FEWEST} light session in the race week and in "
    f"a week with {TAPER_MOSTLY_DAYS} or more taper days, and no gym session the day before the race; at most "
    f"{MIDDLE} in a week with fewer taper days and while easing back, as many days after the race as its taper. "
    f"**Pain**: when last week's pain was over the model's limits, {PAIN_STEP} session fewer (never below {FEWEST}). "
    f"The {_pct(RISING_SHARPLY)} step is the change Nielsen et al. (2014) flag; the other numbers are kneelog's "
    f"plan, and {_pct(RISING)} only separates rising a little from steady (not the disputed 10% rule)."
)

TOO_LITTLE_HISTORY = "too little history to compare yet"
NO_RUNNING = "no running last week"

AS_PLANNED = "as planned"
BELOW = "below plan"
ABOVE = "above plan"
IN_PROGRESS = "in progress"


def taper_days(distance_m: float) -> int:
    """Days of taper before a race (and of easing back after it), longer for longer races.

    :data:`TAPER_DAYS_SHORT` for :data:`TAPER_SHORT_M` or less, :data:`TAPER_DAYS_LONG` for a marathon
    (:data:`TAPER_LONG_M`) or longer, in proportion to the distance in between, rounded to the nearest day. A race
    without a distance gets the short taper.
    """
    if not distance_m > TAPER_SHORT_M:
        return TAPER_DAYS_SHORT
    share = min((distance_m - TAPER_SHORT_M) / (TAPER_LONG_M - TAPER_SHORT_M), 1.0)
    return math.floor(TAPER_DAYS_SHORT + (TAPER_DAYS_LONG - TAPER_DAYS_SHORT) * share + 0.5)


@dataclass(frozen=True)
class _Running:
    """The running part of the rule for one week: the count, its reason and the reference it compared with."""

    count: int
    reason: str
    trend: float = math.nan
    reference_m: float = math.nan


def _running_rule(distance: np.ndarray, known: np.ndarray, i: int, unit: Unit) -> _Running:
    """The plan week ``i`` gets from the running of the weeks before it (see the module text)."""

    def fmt(metres: float) -> str:
        return f"{to_unit(metres, unit):.1f} {UNIT_NAMES[unit]}"

    if i < 1 or not known[i - 1]:
        return _Running(MIDDLE, TOO_LITTLE_HISTORY)
    last = distance[i - 1]
    if last == 0:
        return _Running(MOST, NO_RUNNING)
    if i >= 2 and known[i - 2] and distance[i - 2] == 0:
        return _Running(FEWEST, f"running restarted last week ({fmt(last)} after a week without)")
    reference = []
    for j in range(i - 2, max(i - 2 - REFERENCE_WEEKS, -1), -1):
        if not known[j]:
            continue
        if distance[j] == 0:  # a week without running: the reference starts after it
            break
        reference.append(distance[j])
    if not reference:
        return _Running(MIDDLE, TOO_LITTLE_HISTORY)
    mean = float(sum(reference) / len(reference))  # a few weeks: as np.mean sums them, without its cost per call
    trend = float(last) / mean  # Python floats: a reference of a few metres gives inf, not a warning
    if trend > RISING_SHARPLY:
        count, label = FEWEST, "rising sharply"
    elif trend > RISING:
        count, label = MIDDLE, "rising"
    else:
        count, label = MOST, "steady or lighter"
    name = "the week before it" if len(reference) == 1 else f"your {len(reference)}-week average"
    change = abs(trend - 1) * 100  # may be infinite when the reference is a few metres: say "far above", not a number
    if not math.isfinite(change):
        versus = "far above"
    else:
        pct = round(change)
        versus = "about the same as" if pct == 0 else f"{pct}% {'above' if trend > 1 else 'below'}"
    return _Running(count, f"{label}: last week's {fmt(last)} was {versus} {name} ({fmt(mean)})", trend, mean)


def _day(when: dt.date) -> str:
    return f"{when:%a} {when.day} {when:%b}"


@dataclass(frozen=True)
class _Race:
    """A race as the rule reads it: its day, its taper length (:func:`taper_days`) and its name."""

    when: dt.date
    span: int
    name: str


def _calendar(races: pd.DataFrame) -> list[_Race]:
    """The race calendar in date order (then by name), each race's day and taper worked out once."""
    days = pd.DatetimeIndex(races["date"]).date
    ordered = sorted(zip(days, races["name"], races["distance_m"].tolist(), strict=True), key=lambda r: r[:2])
    return [_Race(day, taper_days(distance), name) for day, name, distance in ordered]


def race_caps(monday: dt.date, races: pd.DataFrame) -> tuple[list[tuple[int, str]], list[str]]:
    """The caps the race calendar puts on the week from ``monday`` with their reasons, and its day-before notes.

    The rule :func:`recommended_sessions` applies to each week, for one week at a time (e.g. weeks still to come).
    """
    return _race_rule(pd.Timestamp(monday).date(), _calendar(races))


#: Days as the rule counts them: Python dates, several times quicker to add and compare than pandas timestamps.
_ONE_DAY, _SIX_DAYS, _REACH = dt.timedelta(days=1), dt.timedelta(days=6), dt.timedelta(days=TAPER_DAYS_LONG)
_WHEN = operator.attrgetter("when")


def _race_rule(monday: dt.date, calendar: list[_Race]) -> tuple[list[tuple[int, str]], list[str]]:
    """The caps the race calendar puts on the week from ``monday``, with their reasons, and its day-before notes.

    Only races within a taper's length of the week can touch it; the calendar is in date order, so they are found
    by bisection and the rest are never looked at.
    """
    sunday = monday + _SIX_DAYS
    near = calendar[
        bisect.bisect_left(calendar, monday - _REACH, key=_WHEN) : bisect.bisect_right(
            calendar, sunday + _REACH, key=_WHEN
        )
    ]
    if not near:  # most weeks: nothing to say, and no timestamps to work out
        return [], []

    def days_in_week(first: dt.date, last: dt.date) -> int:
        return max((min(last, sunday) - max(first, monday)).days + 1, 0)

    caps: list[tuple[int, str]] = []
    notes: list[str] = []
    for race in near:
        when, span = race.when, race.span
        before, after = dt.timedelta(days=span), _ONE_DAY
        name = f"{race.name} on {_day(when)}"
        taper = days_in_week(when - before, when - after)
        if monday <= when <= sunday:
            caps.append((FEWEST, f"race week: {name}, one light session"))
        elif taper >= TAPER_MOSTLY_DAYS:
            caps.append((FEWEST, f"taper before {name}: {taper} of its {span} days in this week, one light session"))
        elif taper:
            caps.append((MIDDLE, f"lighter: the {span}-day taper before {name} starts on {_day(when - before)}"))
        elif days_in_week(when + after, when + before):
            caps.append((MIDDLE, f"easing back after {name}"))
        if monday <= when - after <= sunday:
            notes.append(f"no gym session on {_day(when - after)}, the day before {race.name}")
    return caps, notes


def recommended_sessions(
    distance: pd.Series,
    days: pd.Series,
    races: pd.DataFrame,
    pain_over: pd.Series | None = None,
    unit: Unit = "km",
) -> pd.DataFrame:
    """The recommended number of gym sessions for each week, by :data:`RULE`, and why.

    Args:
        distance: weekly running distance (metres), one value per consecutive ISO week, indexed by the week's
            Monday, oldest first.
        days: the days of each week inside the calendar (below :data:`WHOLE_WEEK_DAYS` for a part week), on the same
            index.
        races: the race calendar, with ``date``, ``name`` and ``distance_m`` (metres), in any order; races may lie
            outside the weeks.
        pain_over: optional, True for weeks whose pain status was over the pain-monitoring model's limits; it lowers
            the plan of the week after.
        unit: the runner's unit, for the distances the reasons name.

    Returns:
        A frame on ``distance``'s index with ``gym_recommended`` (1-3), ``gym_trend`` (last week's distance ÷ its
        reference; NaN when not compared), ``gym_reference`` (the reference, metres; NaN when there is none) and
        ``gym_reason`` (why the week got its number, in words).
    """
    values = distance.to_numpy(dtype="float64")
    known = (days.to_numpy() >= WHOLE_WEEK_DAYS) & ~np.isnan(values)
    over_before = (
        np.zeros(len(values), dtype=bool)
        if pain_over is None
        else pain_over.shift(1, fill_value=False).to_numpy(dtype=bool)
    )
    calendar = _calendar(races)
    counts, reasons, trends, references = [], [], [], []
    for i, monday in enumerate(pd.DatetimeIndex(distance.index).date):
        running = _running_rule(values, known, i, unit)
        caps, notes = _race_rule(monday, calendar)
        count = min([running.count, *(n for n, _ in caps)])
        parts = [text for n, text in caps if n == count]
        if running.count == count:
            parts.append(running.reason)
        parts += [text for n, text in caps if n != count] + notes
        if over_before[i]:
            lowered = max(count - PAIN_STEP, FEWEST)
            why = "last week's pain was over the model's limits"
            parts.append(f"one session fewer: {why}" if lowered < count else f"{why} (already the fewest)")
            count = lowered
        counts.append(count)
        reasons.append("; ".join(parts))
        trends.append(running.trend)
        references.append(running.reference_m)
    return pd.DataFrame(
        {
            "gym_recommended": np.array(counts, dtype="int64"),
            "gym_trend": np.array(trends, dtype="float64"),
            "gym_reference": np.array(references, dtype="float64"),
            "gym_reason": pd.Series(reasons, index=distance.index, dtype="object"),
        },
        index=distance.index,
    )


def adherence(done: pd.Series, recommended: pd.Series, complete: pd.Series | None = None) -> pd.DataFrame:
    """How each week's gym sessions compare with the plan.

    Args:
        done: gym sessions per week.
        recommended: the recommended number per week (:func:`recommended_sessions`).
        complete: optional, False for the week in progress (its label is ``"in progress"``).

    Returns:
        A frame with ``gym_adherence`` (done ÷ recommended, 1.0 = as planned, may pass 1) and ``gym_vs_plan``
        (``"as planned"``, ``"below plan"``, ``"above plan"`` or ``"in progress"``).
    """
    label = np.select([done < recommended, done > recommended], [BELOW, ABOVE], default=AS_PLANNED)
    label = pd.Series(label, index=done.index, dtype="object")
    if complete is not None:
        label[~complete.astype(bool) & (done < recommended)] = IN_PROGRESS
    return pd.DataFrame({"gym_adherence": done / recommended, "gym_vs_plan": label}, index=done.index)
