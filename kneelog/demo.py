"""The demo athlete: a synthetic runner with runner's knee, generated from a fixed seed.

The runner trains about four times a week with a gentle build, a down week every fourth week and a few sharp
mileage spikes; goes to the gym zero to three times a week (less in big or race weeks); does the stretch routine
most days but lets it lapse for a couple of stretches of weeks. Knee pain is driven by a hidden "irritation" level
that rises after a week whose distance jumps well above the runner's recent average and when stretching has been
skipped for several days, and fades by itself. So the dashboard has something true to find: pain follows mileage
spikes and stretching lapses, with a lag of days, and with noise.

Every entry carries ``source="demo"`` so it can be removed in one go, and :func:`load_demo` refuses to mix it into
a database that already holds the runner's own data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from kneelog import clock
from kneelog.errors import DemoRefused
from kneelog.models import DEMO, Entry, GymSession, KneeCheckin, Race, Run, StretchDone, StretchSession
from kneelog.store import Store
from kneelog.stretches import load_library

SEED = 20261124
#: Weekday pattern of runs (Mon=0): Tue, Thu, Sat, Sun, plus Wed in bigger weeks; Sunday is the long run.
RUN_DAYS = (1, 3, 5, 6)
EXTRA_RUN_DAY = 2


def generate(end: dt.date, days: int = 182, seed: int = SEED) -> list[Entry]:
    """Make ``days`` days of a synthetic runner's log ending on ``end``.

    Args:
        end: the last day (inclusive): the runner's today, for a demo to look at.
        days: how many days of history, at least 7.
        seed: the random seed; the same seed, days and end give the same entries.

    Returns:
        Runs, gym sessions, stretch sessions, daily knee check-ins and races, in date order, all ``source="demo"``.
    """
    if days < 7:
        raise ValueError("the demo needs at least a week")
    rng = np.random.default_rng(seed)
    routine = [(stretch.id, stretch.sides) for stretch in load_library().stretches]
    start = end - dt.timedelta(days=days - 1)
    n_weeks = days // 7 + 2
    weekly_km = _weekly_plan(n_weeks, rng)
    lapse_weeks = set(rng.choice(np.arange(2, n_weeks), size=max(1, n_weeks // 8), replace=False).tolist())
    race_weeks = {w for w in range(8, n_weeks, 13)}

    entries: list[Entry] = []
    daily_km = np.zeros(days)
    irritation = 0.8
    last_stretch = -3
    ran_yesterday = False
    for i in range(days):
        day = start + dt.timedelta(days=i)
        week = i // 7
        weekday = day.weekday()
        plan_km = weekly_km[week]

        run_days = RUN_DAYS + ((EXTRA_RUN_DAY,) if plan_km > 38 else ())
        ran_today = weekday in run_days and rng.random() > 0.06
        if week in race_weeks and weekday == 6:
            entries.append(Race(date=day, name="Parkland 10K", distance_m=10_000, source=DEMO))
        if ran_today:
            share = 0.34 if weekday == 6 else (1 - 0.34) / (len(run_days) - 1)
            km = max(3.0, plan_km * share * rng.normal(1.0, 0.08))
            daily_km[i] = km
            pace_s = rng.normal(340, 12) - (25 if week in race_weeks and weekday == 6 else 0)
            rpe = int(np.clip(round(3 + km / 5 + rng.normal(0, 0.9)), 1, 10))
            pain_run = _score(irritation * 0.9 + km / 12 - 1.2, rng)
            entries.append(
                Run(
                    date=day,
                    start_time=dt.time(7, int(rng.integers(0, 59))),
                    distance_m=round(km * 1000, 1),
                    duration_s=round(km * pace_s),
                    rpe=rpe,
                    pain_during=pain_run if rng.random() > 0.1 else None,
                    notes="Long run" if weekday == 6 else "",
                    source=DEMO,
                )
            )

        gym_target = 1 if (plan_km > 45 or week in race_weeks) else (3 if plan_km < 30 else 2)
        if weekday in (0, 2, 4)[:gym_target] and rng.random() > 0.2:
            entries.append(
                GymSession(
                    date=day,
                    duration_s=float(rng.integers(35, 70) * 60),
                    rpe=int(rng.integers(5, 8)),
                    notes="Split squats, step-downs, hip thrusts, calf raises",
                    source=DEMO,
                )
            )

        stretch_p = 0.12 if week in lapse_weeks else 0.8
        if rng.random() < stretch_p:
            chosen = [stretch for stretch in routine if rng.random() > 0.12] or routine[:1]
            items = tuple(StretchDone(stretch_id=s, side=side) for s, sides in chosen for side in sides)
            entries.append(StretchSession(date=day, items=items, source=DEMO))
            last_stretch = i

        # The hidden knee irritation: spikes in the 7-day load above the 28-day average, and days without
        # stretching, push it up; it fades by about a seventh each day.
        acute = daily_km[max(0, i - 6) : i + 1].sum()
        chronic = daily_km[max(0, i - 27) : i + 1].sum() / (min(i + 1, 28) / 7) if i >= 13 else acute
        spike = max(0.0, acute / chronic - 1.15) if chronic > 0 else 0.0
        skipped = max(0, i - last_stretch - 2)
        irritation = 0.85 * irritation + 2.5 * spike + 0.3 * min(skipped, 7) + rng.normal(0, 0.15)
        irritation = max(0.0, irritation)

        if rng.random() > 0.05:
            entries.append(
                KneeCheckin(
                    date=day,
                    knee="right",
                    stairs=_score(irritation + 0.6, rng),
                    squat=_score(irritation + 1.0, rng),
                    sitting=_score(irritation * 0.6, rng),
                    morning_after=_score(irritation + 0.8, rng) if ran_yesterday else None,
                    source=DEMO,
                )
            )
        ran_yesterday = ran_today
    return entries


def _weekly_plan(n_weeks: int, rng: np.random.Generator) -> np.ndarray:
    """Planned weekly kilometres: a slow build, a down week every fourth, spikes now and then."""
    km = np.empty(n_weeks)
    base = 26.0
    for w in range(n_weeks):
        base = min(base * 1.03, 46.0) if w % 4 != 3 else base
        km[w] = base * (0.7 if w % 4 == 3 else 1.0)
        if w % 7 == 5:
            km[w] = base * rng.uniform(1.45, 1.7)
        if w % 26 == 20:  # an occasional break: a cold, a holiday
            km[w] = base * 0.2
            base *= 0.85
    return km


def _score(level: float, rng: np.random.Generator) -> int:
    return int(np.clip(round(level + rng.normal(0, 0.5)), 0, 10))


def load_demo(store: Store, days: int = 182, end: dt.date | None = None) -> int:
    """Fill ``store`` with the demo athlete (replacing an earlier demo); returns how many entries were added.

    The log ends on ``end``, by default the runner's today (:func:`kneelog.clock.local_today` in their time zone).

    Raises:
        DemoRefused: when the database already holds the runner's own entries.
    """
    if store.has_own_data():
        raise DemoRefused(
            "This database already holds your own entries, so the demo athlete was not added: it would mix with "
            "them. Point kneelog at an empty database (KNEELOG_DATABASE_URL or --db) to try the demo."
        )
    entries = generate(end or clock.local_today(store.settings().timezone), days=days)
    with store.transaction() as tx:
        tx.delete_source(DEMO)
        tx.add_many(entries)
    return len(entries)
