"""Which activities are runs, which are gym (strength) sessions, and which kneelog leaves out.

Platforms name activity types in the athlete's language (Run, Lauf, Course à pied, Løb, Löpning; Strength
Training, Krafttraining, Styrketræning). The rules below are tables of patterns, checked in order: the first that
matches a type decides it. A generic "Workout" is a gym session only when its name says it is strength work.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

RUN, GYM, OTHER = "run", "gym", "other"

#: (pattern, kind), first match wins; patterns are matched against the lower-cased type name.
TYPE_RULES: tuple[tuple[str, str], ...] = (
    # Not runs although they contain a running word: cross-country skiing (Langlauf, langrend), skating, cycling.
    # Spanish and Portuguese: bicicleta, ciclismo (so "corrida de bicicleta", a bike ride, is no run).
    (
        r"langlauf|langrend|ski|skate|rollski|snowshoe|schneeschuh|wheelchair|rollstuhl|bike|ride|cycl|velo|vélo|"
        r"bicicleta|cicl",
        OTHER,
    ),
    (r"\brun\b|running|trailrun|virtualrun|treadmill|\bjog", RUN),
    (r"\blauf\b|laufen|traillauf|laufband|lauf$|^lauf", RUN),
    # corrida: Portuguese and Spanish for a run (Nike Run Club names a run "domingo corrida matutina").
    (r"løb|löp|course à pied|course a pied|course virtuelle|^course$|^trail$|hardlopen|carrera|corsa|corrida", RUN),
    (r"weight ?training|weighttraining|strength|krafttraining|styrke|styrketr|musculation|renforcement", GYM),
    (r"entraînement (aux poids|en force|de force)|\bweights\b|\bgym\b", GYM),
)
#: Generic training types that are gym sessions only when their name says strength.
GENERIC_TYPES = r"^(workout|training|entraînement|träning|træning|crossfit|hiit|functional training)$"
#: Names of a generic workout that make it a strength session.
STRENGTH_NAMES = (
    r"\b(?:strength|weights?|gym|lifting|squats?|deadlifts?|kraft\w*|styrke\w*|styrka|musculation|renforcement|"
    r"legs?\s*day|kettlebells?|core)\b"
)

_RULES = tuple((re.compile(pattern), kind) for pattern, kind in TYPE_RULES)
_GENERIC = re.compile(GENERIC_TYPES)


def kind_of_type(activity_type: str) -> str:
    """The kind an activity type is, before looking at names: ``run``, ``gym``, ``generic`` or ``other``."""
    name = " ".join(activity_type.lower().split())
    if _GENERIC.search(name):
        return "generic"
    for pattern, kind in _RULES:
        if pattern.search(name):
            return kind
    return OTHER


def classify(activity_type: pd.Series, name: pd.Series | None = None) -> pd.Series:
    """The kind (``run``, ``gym`` or ``other``) of each activity, from its type and, for generic workouts, its name.

    Types are classified once each (an export has a few dozen), then mapped onto the rows.
    """
    types = activity_type.fillna("").astype("str")
    by_type = pd.Series({t: kind_of_type(t) for t in types.unique()}, dtype="str")
    kinds = types.map(by_type)
    if name is None:
        return kinds.where(kinds != "generic", OTHER)
    strength = name.fillna("").astype("str").str.lower().str.contains(STRENGTH_NAMES, regex=True)
    return pd.Series(np.where(kinds == "generic", np.where(strength, GYM, OTHER), kinds), index=kinds.index)
