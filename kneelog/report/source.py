"""What a report is made from, read from the store: the frames, the settings and the outcome scores."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kneelog.analysis import weekly
from kneelog.models import Settings
from kneelog.store import Store

#: The store frames a report reads: the weekly tables' kinds, stretch sessions (their notes) and the logged exercises.
FRAME_KINDS = (*weekly.KINDS, "stretch", "gym_exercise")


@dataclass(frozen=True)
class Sources:
    """Everything :func:`kneelog.report.build.build` reads, from one database."""

    frames: dict[str, pd.DataFrame]
    settings: Settings
    scores: pd.DataFrame


def read(store: Store) -> Sources:
    """The frames, settings and outcome scores of ``store``."""
    return Sources({kind: store.frame(kind) for kind in FRAME_KINDS}, store.settings(), store.outcome_scores())
