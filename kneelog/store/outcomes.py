"""Outcome scores read back as one long frame: weekly pain ratings, questionnaire totals and functional tests.

The frame's shape is :data:`kneelog.analysis.outcomes.SCORE_COLUMNS`, what :func:`kneelog.analysis.outcomes.changes`
and the outcome charts read: a weekly pain rating gives two rows (``nprs_usual`` and ``nprs_worst``), a
questionnaire score one (its scale as the measure), a functional test one (its test as the measure, its pain as the
value, with side and quality). One ``UNION ALL`` of portable SQLAlchemy Core, read in one statement.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from kneelog.analysis.outcomes import SCORE_COLUMNS, empty_scores
from kneelog.store import tables as t

_TEXT = sa.String()


def _none(name: str) -> sa.Label:
    return sa.cast(sa.null(), _TEXT).label(name)


def _query(athlete_id: int) -> sa.CompoundSelect:
    w, q, f = t.weekly_pain.c, t.questionnaire_scores.c, t.function_tests.c
    weekly = [
        sa.select(
            w.id, w.date, sa.literal(measure, _TEXT).label("measure"), sa.cast(w[column], sa.Float).label("value"),
            _none("side"), _none("quality"), w.note, w.source,
        ).where(w.athlete_id == athlete_id)
        for measure, column in (("nprs_usual", "usual"), ("nprs_worst", "worst"))
    ]  # fmt: skip
    questionnaires = sa.select(
        q.id, q.date, q.scale.label("measure"), sa.cast(q.score, sa.Float).label("value"), _none("side"),
        _none("quality"), q.note, q.source,
    ).where(q.athlete_id == athlete_id)  # fmt: skip
    tests = sa.select(
        f.id, f.date, f.test.label("measure"), sa.cast(f.pain, sa.Float).label("value"), f.side, f.quality, f.note,
        f.source,
    ).where(f.athlete_id == athlete_id)  # fmt: skip
    union = sa.union_all(*weekly, questionnaires, tests).subquery()
    return sa.select(*(union.c[name] for name in SCORE_COLUMNS)).order_by(union.c.date, union.c.measure, union.c.side)


def scores(conn: sa.Connection, athlete_id: int) -> pd.DataFrame:
    """Every outcome score of ``athlete_id``, oldest first (ties by measure, then side); ``date`` as ``datetime64``."""
    rows = [tuple(row) for row in conn.execute(_query(athlete_id)).all()]  # plain tuples: see database._tuples
    if not rows:
        return empty_scores()
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    frame["value"] = frame["value"].astype("float64")
    return frame
