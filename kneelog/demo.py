"""The demo athlete: a synthetic runner with runner's knee, generated from a fixed seed.

The runner trains about four times a week, Monday-to-Sunday weeks like the dashboard's, with a gentle build, a down
week every fourth week, a sharp mileage spike now and then and a short break twice a year; goes to the gym zero to
three times a week (less when the base mileage is high or in race weeks, but not in step with the spikes), each time
logging the exercises of its gym programme (:data:`PROGRAMME`) with loads that rise over the weeks; and
stretches most days, except in about three weeks in ten when the habit lapses. Knee pain is driven by a hidden
"irritation" level that rises on runs longer than their share of last week's distance (a week-over-week jump) and
on days after stretching was skipped, and fades by half each day. So the dashboard has something true to find in a
year of weeks: weekly knee pain goes with the week-over-week distance change and against stretch compliance in the
same week, clearly enough that the 95% intervals leave out zero; gym sessions have no effect built in.

Every entry carries ``source="demo"`` so it can be removed in one go, and :func:`load_demo` refuses to mix it into
a database that already holds the runner's own data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from kneelog import clock
from kneelog.errors import DemoRefused
from kneelog.models import (
    DEMO,
    Entry,
    Exercise,
    ExerciseLog,
    FunctionTest,
    GymSession,
    KneeCheckin,
    QuestionnaireScore,
    Race,
    Run,
    StretchDone,
    StretchSession,
    WeeklyPain,
)
from kneelog.store import Store
from kneelog.stretches import load_library

SEED = 20261124
#: The hidden knee irritation: each day it keeps FADE of itself and gains BASELINE, JUMP_WEIGHT × how far the day's
#: run exceeds JUMP_FREE times its share of last week's distance (up to JUMP_CAP), and SKIP_WEIGHT per day
#: without stretching after the first (up to 5); it never passes IRRITATION_MAX (a flare, not an emergency).
FADE = 0.5
BASELINE = 0.5
JUMP_FREE = 1.1
JUMP_WEIGHT = 6.0
JUMP_CAP = 0.5
SKIP_WEIGHT = 0.5
IRRITATION_MAX = 7.0
#: The share of weeks in which the stretching lapses to between zero and two and a half days.
LAPSE_SHARE = 0.3
#: Weekday pattern of runs (Mon=0): Tue, Thu, Sat, Sun, plus Wed in bigger weeks; Sunday is the long run.
RUN_DAYS = (1, 3, 5, 6)
EXTRA_RUN_DAY = 2


def generate(end: dt.date, days: int = 365, seed: int = SEED) -> list[Entry]:
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
    offset = start.weekday()  # plan weeks are the runner's Monday-to-Sunday weeks
    n_weeks = (days + offset) // 7 + 2
    weekly_km, base_km = _weekly_plan(n_weeks, rng)
    stretch_days = _stretch_habit(n_weeks, rng)
    race_weeks = {w for w in range(8, n_weeks, 13)}

    entries: list[Entry] = []
    daily_km = np.zeros(days)
    irritation = BASELINE / (1 - FADE)
    last_stretch = -1
    ran_yesterday = False
    for i in range(days):
        day = start + dt.timedelta(days=i)
        week = (i + offset) // 7
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

        gym_target = 1 if (base_km[week] > 44 or week in race_weeks) else (3 if base_km[week] < 30 else 2)
        if weekday in (0, 2, 4)[:gym_target] and rng.random() > 0.2:
            entries.append(
                GymSession(
                    date=day,
                    duration_s=float(rng.integers(35, 70) * 60),
                    rpe=int(rng.integers(5, 8)),
                    notes="Split squats, step-downs, hip thrusts, calf raises",
                    source=DEMO,
                    exercises=_gym_exercises(week, irritation),
                )
            )

        if rng.random() < stretch_days[week] / 7:
            chosen = [stretch for stretch in routine if rng.random() > 0.12] or routine[:1]
            items = tuple(StretchDone(stretch_id=s, side=side) for s, sides in chosen for side in sides)
            entries.append(StretchSession(date=day, items=items, source=DEMO))
            last_stretch = i

        # The hidden knee irritation. A run longer than its share of last week's distance (the week-over-week
        # jump, felt run by run) and days without stretching push it up; it fades by half each day towards a
        # low baseline.
        last_monday = (week - 1) * 7 - offset
        last_week = daily_km[last_monday : last_monday + 7].sum() if last_monday >= 0 else 0.0
        jump = max(0.0, daily_km[i] / (share * last_week) - JUMP_FREE) if ran_today and last_week > 0 else 0.0
        skipped = min(i - last_stretch - 1, 5)
        push = BASELINE + JUMP_WEIGHT * min(jump, JUMP_CAP) + SKIP_WEIGHT * skipped + rng.normal(0, 0.1)
        irritation = float(np.clip(FADE * irritation + push, 0.0, IRRITATION_MAX))

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
    outcomes = _outcome_scores(entries, end, np.random.default_rng(seed + 1))  # its own stream: the rest unchanged
    return sorted([*entries, *outcomes], key=lambda e: e.date)  # stable: each day's entries keep their order


#: The demo's physio visits: every this many weeks, on a Thursday, the runner fills in both questionnaires and the
#: physio records both functional tests on both knees.
VISIT_WEEKS = 4


def _outcome_scores(entries: list[Entry], end: dt.date, rng: np.random.Generator) -> list[Entry]:
    """Outcome scores that follow the demo's own knee pain (:mod:`kneelog.analysis.outcomes`).

    Each complete Monday-to-Sunday week with at least three check-ins gets a weekly pain rating on its Sunday (nine
    weeks in ten): usual pain the week's mean everyday score, worst the highest score of any moment. Every
    :data:`VISIT_WEEKS` weeks a visit on the Thursday scores the AKPS and the KOOS-PF from the mean everyday pain of
    the 28 days before (each point of pain about 6.5 AKPS and 8 KOOS-PF points, plus noise), and records the
    single-leg squat and the step-down on the right knee (the sore one: the check-ins are for it) and the left.
    """
    days: dict[dt.date, list[KneeCheckin]] = {}
    for e in entries:
        if isinstance(e, KneeCheckin):
            days.setdefault(e.date, []).append(e)
    if not days:
        return []

    def everyday(c: KneeCheckin) -> float:
        return float(np.mean([s for s in (c.stairs, c.squat, c.sitting) if s is not None]))

    out: list[Entry] = []
    monday = min(days) + dt.timedelta(days=-min(days).weekday() % 7)
    week = 0
    while monday + dt.timedelta(days=6) <= end:
        sunday = monday + dt.timedelta(days=6)
        checkins = [c for d in range(7) for c in days.get(monday + dt.timedelta(days=d), [])]
        if len(checkins) >= 3 and rng.random() > 0.1:
            moments = [s for c in checkins for s in (c.stairs, c.squat, c.sitting, c.morning_after) if s is not None]
            usual = round(float(np.mean([everyday(c) for c in checkins])))
            out.append(WeeklyPain(date=sunday, usual=usual, worst=max(usual, *moments), source=DEMO))
        visit = monday + dt.timedelta(days=3)
        recent = [everyday(c) for d in range(1, 29) for c in days.get(visit - dt.timedelta(days=d), [])]
        if week % VISIT_WEEKS == 1 and len(recent) >= 14:
            pain = float(np.mean(recent))
            akps = int(np.clip(round(96 - 6.5 * pain + rng.normal(0, 2.5)), 0, 100))
            koos = float(np.clip(round(94 - 8 * pain + rng.normal(0, 3), 1), 0, 100))
            out += [
                QuestionnaireScore(date=visit, scale="akps", score=akps, source=DEMO),
                QuestionnaireScore(date=visit, scale="koos_pf", score=koos, source=DEMO),
            ]
            quality = "poor" if pain > 3 else "fair" if pain > 1.5 else "good"
            for test in ("single_leg_squat", "step_down"):
                out += [
                    FunctionTest(date=visit, test=test, side="right", pain=_score(pain, rng), quality=quality,
                                 source=DEMO),
                    FunctionTest(date=visit, test=test, side="left", pain=_score(0.2, rng), quality="good",
                                 source=DEMO),
                ]  # fmt: skip
        monday += dt.timedelta(weeks=1)
        week += 1
    return out


#: The demo athlete's gym programme: examples of the starter list's three categories (data/exercises.toml).
PROGRAMME = (
    Exercise(name="Split squat", category="hip_and_knee", sets=3, reps=8, load_kg=10.0, per_side=True, source=DEMO),
    Exercise(name="Leg press", category="knee", sets=3, reps=10, load_kg=40.0, source=DEMO),
    Exercise(name="Forward step-down", category="hip_and_knee", sets=3, reps=8, per_side=True, source=DEMO),
    Exercise(name="Side plank", category="hip", sets=3, seconds=20, per_side=True, source=DEMO),
)


def _gym_exercises(week: int, irritation: float) -> tuple[ExerciseLog, ...]:
    """What a demo gym session logs of :data:`PROGRAMME` in plan week ``week``, without drawing on the random stream
    (the rest of the demo stays as it was): loads rise 2.5 kg every three weeks (5 kg on the leg press), step-downs
    a repetition every six weeks (to 12), side planks 5 s every four weeks (to 45 s); on an irritated day the
    split squat stays at last step's load, is noted as painful, and the step-downs are skipped."""
    sore = irritation > 3.0
    step = week // 3 - (1 if sore and week >= 3 else 0)
    pain = min(10, round(irritation * 0.8))
    squat, press, step_down, plank = PROGRAMME
    return (
        _logged(squat, load_kg=min(40.0, 10.0 + 2.5 * step), pain_during=pain),
        _logged(press, load_kg=min(100.0, 40.0 + 5.0 * step), pain_during=max(0, pain - 1)),
        _logged(step_down, reps=min(12, 8 + week // 6), done=not sore),
        _logged(plank, seconds=min(45, 20 + 5 * (week // 4))),
    )


def _logged(exercise: Exercise, **dose: float | int | bool) -> ExerciseLog:
    return ExerciseLog(**exercise.model_dump(include={"name", "sets", "reps", "seconds", "load_kg", "per_side"}) | dose)


def _linked(entries: list[Entry], ids: dict[str, int]) -> list[Entry]:
    """The entries with each logged exercise pointing at the stored programme's exercise of its name."""
    return [
        e.model_copy(
            update={"exercises": tuple(x.model_copy(update={"exercise_id": ids[x.name]}) for x in e.exercises)}
        )
        if isinstance(e, GymSession)
        else e
        for e in entries
    ]


def _weekly_plan(n_weeks: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Planned weekly kilometres (a slow build, a down week every fourth, spikes now and then) and the base."""
    km = np.empty(n_weeks)
    bases = np.empty(n_weeks)
    base = 26.0
    for w in range(n_weeks):
        base = min(base * 1.03, 46.0) if w % 4 != 3 else base
        km[w] = base * (0.8 if w % 4 == 3 else rng.uniform(0.9, 1.1))
        if w % 7 == 5:
            km[w] = base * rng.uniform(1.45, 1.7)
        if w % 26 == 20:  # an occasional break: a cold, a holiday
            km[w] = base * 0.2
            base *= 0.85
        bases[w] = base
    return km, bases


def _stretch_habit(n_weeks: int, rng: np.random.Generator) -> np.ndarray:
    """Days a week the runner means to stretch: three to seven, or zero to two and a half in a lapse week."""
    lapse = rng.random(n_weeks) < LAPSE_SHARE
    return np.where(lapse, rng.uniform(0.0, 2.5, n_weeks), rng.uniform(3.0, 6.8, n_weeks))


def _score(level: float, rng: np.random.Generator) -> int:
    return int(np.clip(round(level + rng.normal(0, 0.5)), 0, 10))


def load_demo(store: Store, days: int = 365, end: dt.date | None = None) -> int:
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
        ids = {exercise.name: tx.add_exercise(exercise) for exercise in PROGRAMME}
        tx.add_many(_linked(entries, ids))
    return len(entries)
