"""Gym progression: what each exercise of the programme did, week by week.

For the report and the dashboard: :func:`progression` takes the frame of logged exercises (``Store.frame
("gym_exercise")``, one row per exercise of a gym session: :data:`kneelog.store.programme.LOG_COLUMNS`) and the first
and last week wanted, and returns one row per exercise and ISO week (Monday to Sunday) in which it was done, with:

- ``week`` (the Monday, ``datetime64``), ``exercise`` (the key: the programme's exercise id as text, or the logged
  name for an exercise no longer in the database), ``name`` (the latest name logged), ``category``;
- ``sessions`` (gym sessions that did it), ``sets``, ``reps`` (repetitions done: sets × repetitions, both sides
  counted for an exercise done per side), ``seconds`` (seconds held, likewise), ``top_load_kg`` (the heaviest load
  used, NaN when body weight only), ``pain_max`` (the highest knee pain noted during it, NaN when none noted);
- ``volume_load_kg``: sets × repetitions × load in kilograms, summed over the week's sessions (both sides counted
  for an exercise done per side), the volume load of Haff 2010 (*Quantifying workloads in resistance training: a
  brief review*, Prof Strength Cond 19:31–40) and McBride et al. 2009 (*Comparison of methods to quantify volume
  during resistance exercise*, J Strength Cond Res 23(1):106–110). Only sets done with a load count; a week in which
  the exercise was done with body weight only, or held for time, has NaN here, never a made-up kilogram figure;
- ``measure``: what to follow for the exercise over the weeks: ``volume_load`` when any of its rows in the range
  carries a load, else ``reps``, else ``seconds``; and ``value``, that measure's number for the week.

Only exercises ticked as done count; sessions logged without exercises (before kneelog kept them) add nothing.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kneelog import clock

#: Columns of :func:`progression`, in order.
COLUMNS = [
    "week",
    "exercise",
    "name",
    "category",
    "sessions",
    "sets",
    "reps",
    "seconds",
    "top_load_kg",
    "volume_load_kg",
    "pain_max",
    "measure",
    "value",
]
#: What each measure is, in words (the unit of a volume load follows the runner's: kg or lb).
MEASURES: dict[str, str] = {
    "volume_load": "volume load (sets × repetitions × load)",
    "reps": "repetitions",
    "seconds": "seconds held",
}
CITATION = (
    "Volume load = sets × repetitions × load (Haff 2010, Prof Strength Cond 19:31–40; McBride et al. 2009, "
    "J Strength Cond Res 23:106–110); an exercise done per side counts both sides."
)


def _key(logs: pd.DataFrame) -> pd.Series:
    ids = logs["exercise_id"]
    named = "name: " + logs["name"].astype(str)
    return ids.map(lambda v: None if pd.isna(v) else str(int(v))).fillna(named)


def progression(logs: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """Each exercise's work week by week, from the week of ``start`` to the week of ``end`` (both included; None:
    no bound). See the module docstring for the columns (:data:`COLUMNS`) and the volume load.

    Args:
        logs: the logged exercises (``Store.frame("gym_exercise")``); not changed.
        start: a day in the first week wanted.
        end: a day in the last week wanted.

    Returns:
        One row per exercise and week in which it was done, sorted by exercise (in the order first done) and week.
    """
    done = logs[logs["done"].astype(bool)] if not logs.empty else logs
    if done.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS})
    week = clock.monday_of(done["date"])
    keep = pd.Series(True, index=done.index)
    if start is not None:
        keep &= week >= pd.Timestamp(clock.monday(start))
    if end is not None:
        keep &= week <= pd.Timestamp(clock.monday(end))
    done, week = done[keep], week[keep]
    sides = np.where(done["per_side"].astype(bool), 2, 1)
    sets = done["sets"].astype("float64")
    reps = done["reps"].astype("float64")
    load = done["load_kg"].astype("float64")
    rows = pd.DataFrame(
        {
            "week": week,
            "exercise": _key(done),
            "name": done["name"],
            "category": done["category"],
            "session_id": done["session_id"],
            "sets": sets,
            "reps": sets * reps * sides,
            "seconds": sets * done["seconds"].astype("float64") * sides,
            "top_load_kg": load,
            "volume_load_kg": sets * reps * load * sides,
            "pain_max": done["pain_during"].astype("float64"),
        }
    )
    grouped = rows.groupby(["exercise", "week"], sort=False)
    table = grouped.agg(
        name=("name", "last"),
        category=("category", "last"),
        sessions=("session_id", "nunique"),
        sets=("sets", "sum"),
        reps=("reps", lambda s: s.sum(min_count=1)),
        seconds=("seconds", lambda s: s.sum(min_count=1)),
        top_load_kg=("top_load_kg", "max"),
        volume_load_kg=("volume_load_kg", lambda s: s.sum(min_count=1)),
        pain_max=("pain_max", "max"),
    ).reset_index()
    latest = rows.groupby("exercise", sort=False)["name"].last()
    table["name"] = table["exercise"].map(latest)
    loaded = rows.groupby("exercise", sort=False)["top_load_kg"].apply(lambda s: s.notna().any())
    counted = rows.groupby("exercise", sort=False)["reps"].apply(lambda s: s.notna().any())
    measure = pd.Series(np.where(loaded, "volume_load", np.where(counted, "reps", "seconds")), index=loaded.index)
    table["measure"] = table["exercise"].map(measure)
    value_of = {"volume_load": "volume_load_kg", "reps": "reps", "seconds": "seconds"}
    table["value"] = [table.at[i, value_of[m]] for i, m in table["measure"].items()]
    order = {key: i for i, key in enumerate(rows["exercise"].drop_duplicates())}
    table = table.sort_values(["exercise", "week"], key=lambda c: c.map(order) if c.name == "exercise" else c)
    return table[COLUMNS].reset_index(drop=True)
