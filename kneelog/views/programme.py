"""What the Gym programme page and the gym form show: the starter list, an exercise's dose in words, loads in the
runner's unit, and the exercises a new or edited gym session starts from.

The starter list (``data/exercises.toml``, shipped as ``kneelog.data``) holds examples of the strengthening the 2019
JOSPT clinical practice guideline for patellofemoral pain recommends (:data:`CITATION`), each to adjust with a
physiotherapist. Loads are stored in kilograms and shown in kilograms or pounds following the distance unit (km:
kg, miles: lb).
"""

from __future__ import annotations

import importlib.resources
import math
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kneelog.errors import LibraryInvalid
from kneelog.models import CATEGORY_NAMES, Exercise, ExerciseCategory, ExerciseDose, ExerciseLog, Unit, problems_of
from kneelog.stretches import read_toml

#: The starter list shipped with kneelog.
DEFAULT_STARTER_PATH = importlib.resources.files("kneelog.data") / "exercises.toml"
#: Kilograms in one pound (exact, by the 1959 international yard and pound agreement).
KG_PER_LB = 0.45359237
#: The mass unit that goes with each distance unit.
MASS_UNITS: dict[str, str] = {"km": "kg", "mi": "lb"}
#: The fields of an exercise's dose (:class:`kneelog.models.ExerciseDose`).
DOSE_FIELDS = tuple(ExerciseDose.model_fields)


class StarterSource(BaseModel):
    """The guideline the starter list follows, and what a runner must read with it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str
    short: str
    summary: str
    caveat: str


class StarterExercise(ExerciseDose):
    """One example exercise of the starter list, with one sentence on how it is done (no load: that is the
    runner's and their physio's choice)."""

    id: str = Field(pattern=r"^[a-z0-9_]{1,60}$")
    category: ExerciseCategory
    how: str = Field(min_length=1)


class StarterList(BaseModel):
    """The starter list: its source and its exercises, in the order offered."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: StarterSource
    exercises: tuple[StarterExercise, ...] = Field(min_length=1)

    def by_id(self, exercise_id: str) -> StarterExercise:
        """The example with ``exercise_id``.

        Raises:
            KeyError: when there is none.
        """
        return {e.id: e for e in self.exercises}[exercise_id]


def load_starter_list(path: Path | str | Traversable = DEFAULT_STARTER_PATH) -> StarterList:
    """Read and check the starter list.

    Raises:
        LibraryInvalid: when the file is missing, not TOML, or an entry breaks a rule (the message names the exercise
            and the field).
    """
    raw = read_toml(path if isinstance(path, Traversable) else Path(path), "The gym starter list", "it")
    try:
        return StarterList.model_validate(raw)
    except ValidationError as e:
        loc = e.errors()[0]["loc"]
        reason = next(iter(problems_of(e).values()))
        if len(loc) > 1 and loc[0] == "exercises" and isinstance(loc[1], int):
            entries = raw.get("exercises", [])
            named = entries[loc[1]].get("id") if loc[1] < len(entries) and isinstance(entries[loc[1]], dict) else None
            where = f"exercise {loc[1] + 1}" + (f" ({named!r})" if isinstance(named, str) else "")
            field = f", {loc[2]}" if len(loc) > 2 else ""
        else:
            where, field = "the file", f", {'.'.join(map(str, loc))}" if loc else ""
        raise LibraryInvalid(f"The gym starter list {path}: {where}{field}: {reason}.") from e


def as_exercise(starter: StarterExercise) -> Exercise:
    """A starter example as an exercise of the runner's programme (to change as they and their physio see fit)."""
    return Exercise(**starter.model_dump(include={*DOSE_FIELDS, "category"}))


def category_name(category: str) -> str:
    """``Hip-targeted``, ``Knee-targeted``, ``Hip and knee together`` or ``Other``."""
    return CATEGORY_NAMES.get(category, CATEGORY_NAMES["other"])


def mass_unit(unit: Unit) -> str:
    """``kg`` for a runner in kilometres, ``lb`` for one in miles."""
    return MASS_UNITS[unit]


def load_in_unit(load_kg: float | None, unit: Unit) -> float | None:
    """A load in kilograms as the runner reads it (kg or lb, to 0.1), None for body weight."""
    if load_kg is None or (isinstance(load_kg, float) and math.isnan(load_kg)):
        return None
    return round(load_kg if unit == "km" else load_kg / KG_PER_LB, 1)


def load_from_unit(value: float | None, unit: Unit) -> float | None:
    """A load typed in the runner's unit, in kilograms (None or 0 for body weight stays None)."""
    if value is None or value == 0:
        return None
    return value if unit == "km" else value * KG_PER_LB


def dose_words(dose: ExerciseDose, unit: Unit) -> str:
    """``3 × 10 per side · 20 kg``, ``3 × 30 s · body weight``: an exercise's dose as a runner reads it."""
    amount = f"{dose.reps}" if dose.reps is not None else f"{dose.seconds} s"
    side = " per side" if dose.per_side else ""
    load = load_in_unit(dose.load_kg, unit)
    weight = "body weight" if load is None else f"{load:g} {mass_unit(unit)}"
    return f"{dose.sets} × {amount}{side} · {weight}"


def session_start(programme: list[Exercise], logged: tuple[ExerciseLog, ...]) -> list[ExerciseLog]:
    """The exercises a gym form starts from: what the session logged (editing), or else today's programme, each
    unticked (``done`` False) with the programme's dose, for the runner to tick and change."""
    if logged:
        return list(logged)
    return [ExerciseLog(exercise_id=e.id, done=False, **e.model_dump(include={*DOSE_FIELDS})) for e in programme]


def logs_to_save(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a gym session stores of the form's exercise rows: all of them (ticked or not) when any is ticked, so
    a physio sees what was skipped; none when none is, so a session logged as before keeps no exercise rows."""
    return rows if any(row.get("done") for row in rows) else []
