"""The gym programme in the store: the runner's exercises, and what each gym session did of them.

:class:`ProgrammeStore` gives :class:`~kneelog.store.database.Store` its programme reads and one-write methods, and
:class:`ProgrammeTransaction` gives :class:`~kneelog.store.database.Transaction` the writes themselves, so a change to
the programme is all or nothing like every other write. A gym session's exercise rows are written and read with the
session itself (:func:`insert_logs`, :func:`replace_logs`, :func:`read_logs`); the frame of every logged exercise is
:data:`FRAME_QUERIES` ``["gym_exercise"]``, read through :meth:`Store.frame`.

Every query keeps to one athlete: the store's (an exercise of another athlete is as missing as a deleted one, and a
gym session may log only its own athlete's exercises).

Removing an exercise that logged sessions refer to archives it (it leaves the programme, keeps its id and rows), so
its history stays readable; an exercise never logged is deleted. Portable SQLAlchemy Core only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import ValidationError

from kneelog.errors import EntryNotFound
from kneelog.models import FIELD_LABELS, Exercise, ExerciseDose, ExerciseLog, problems_of
from kneelog.store import tables as t

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

_DOSE = ("name", "sets", "reps", "seconds", "load_kg", "per_side")
_FLAGS = ("per_side", "archived", "done")
#: The most exercises one gym session logs (a restored row's place is checked against it).
MAX_LOGGED = 200

#: Columns of the frame of every logged exercise (one row per exercise of a gym session, done or not).
LOG_COLUMNS = [
    "session_id",
    "date",
    "position",
    "exercise_id",
    "name",
    "category",
    "sets",
    "reps",
    "seconds",
    "load_kg",
    "per_side",
    "pain_during",
    "done",
    "source",
]
FRAME_COLUMNS: dict[str, list[str]] = {"gym_exercise": LOG_COLUMNS}


def _log_query(athlete_id: int) -> sa.Select:
    logs, sessions, exercises = t.gym_exercise_logs, t.gym_sessions, t.exercises
    category = sa.func.coalesce(exercises.c.category, "other").label("category")
    columns = {c: logs.c[c] for c in LOG_COLUMNS if c in logs.c} | {
        "date": sessions.c.date,
        "category": category,
        "source": sessions.c.source,
    }
    return (
        sa.select(*(columns[name] for name in LOG_COLUMNS))
        .join(sessions, sessions.c.id == logs.c.session_id)
        .outerjoin(exercises, sa.and_(exercises.c.id == logs.c.exercise_id, exercises.c.athlete_id == athlete_id))
        .where(sessions.c.athlete_id == athlete_id)
        .order_by(sessions.c.date, logs.c.session_id, logs.c.position)
    )


#: The query of each frame kind this module adds to :meth:`Store.frame`, for an athlete.
FRAME_QUERIES: dict[str, Callable[[int], sa.Select]] = {"gym_exercise": _log_query}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _model_data(row: Any, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data = {k: v for k, v in row.items() if k not in ("created_at", "updated_at", "athlete_id", *drop)}
    return data | {flag: bool(data[flag]) for flag in _FLAGS if flag in data}


def _exercise_row(exercise: Exercise) -> dict[str, Any]:
    row = exercise.model_dump(include={*_DOSE, "category"})
    return row | {"per_side": int(exercise.per_side)}


# -- a gym session's exercise rows -----------------------------------------------------------------------------------


def insert_logs(conn: sa.Connection, session_id: int, logs: Sequence[ExerciseLog], athlete_id: int) -> None:
    """Write the exercise rows of gym session ``session_id`` (of ``athlete_id``) in their order (nothing for a session
    without any).

    Raises:
        EntryNotFound: when a row names an exercise that is not in the athlete's programme (or archive).
    """
    if not logs:
        return
    named = {log.exercise_id for log in logs} - {None}
    ex = t.exercises
    theirs = set(conn.execute(sa.select(ex.c.id).where(ex.c.id.in_(named), ex.c.athlete_id == athlete_id)).scalars())
    for missing in sorted(named - theirs):
        raise EntryNotFound("exercise", missing)
    flags = {i: {"per_side": int(log.per_side), "done": int(log.done)} for i, log in enumerate(logs)}
    rows = [log.model_dump() | flags[i] | {"session_id": session_id, "position": i} for i, log in enumerate(logs)]
    conn.execute(t.gym_exercise_logs.insert(), rows)


def replace_logs(conn: sa.Connection, session_id: int, logs: Sequence[ExerciseLog], athlete_id: int) -> None:
    """Put ``logs`` in place of the exercise rows of gym session ``session_id`` (of ``athlete_id``: see
    :func:`insert_logs`)."""
    conn.execute(t.gym_exercise_logs.delete().where(t.gym_exercise_logs.c.session_id == session_id))
    insert_logs(conn, session_id, logs, athlete_id)


def read_logs(conn: sa.Connection, session_id: int) -> tuple[ExerciseLog, ...]:
    """The exercise rows of gym session ``session_id``, in order (as stored: they were checked when written)."""
    logs = t.gym_exercise_logs
    rows = conn.execute(sa.select(logs).where(logs.c.session_id == session_id).order_by(logs.c.position)).mappings()
    return tuple(ExerciseLog.model_construct(**_model_data(row, ("session_id", "position"))) for row in rows)


def _exercises(conn: sa.Connection, athlete_id: int, archived: bool) -> list[Exercise]:
    ex = t.exercises
    query = sa.select(ex).where(ex.c.athlete_id == athlete_id).order_by(ex.c.archived, ex.c.position, ex.c.id)
    if not archived:
        query = query.where(ex.c.archived == 0)
    return [Exercise.model_construct(**_model_data(row)) for row in conn.execute(query).mappings()]


class ProgrammeStore:
    """The programme methods of :class:`~kneelog.store.database.Store` (each write in a transaction of its own)."""

    engine: sa.Engine
    athlete_id: int
    transaction: Callable[[], AbstractContextManager[ProgrammeTransaction]]

    def exercises(self, archived: bool = False) -> list[Exercise]:
        """The runner's programme in order; with ``archived``, the exercises removed from it follow."""
        with self.engine.connect() as conn:
            return _exercises(conn, self.athlete_id, archived)

    def add_exercise(self, exercise: Exercise) -> int:
        """Add ``exercise`` at the end of the programme; returns its id."""
        with self.transaction() as tx:
            return tx.add_exercise(exercise)

    def update_exercise(self, exercise: Exercise) -> None:
        """Change the name, category and dose of the exercise with ``exercise.id`` (its place stays)."""
        with self.transaction() as tx:
            tx.update_exercise(exercise)

    def move_exercise(self, exercise_id: int, step: int) -> None:
        """Move an exercise ``step`` places later (negative: earlier) in the programme."""
        with self.transaction() as tx:
            tx.move_exercise(exercise_id, step)

    def remove_exercise(self, exercise_id: int) -> bool:
        """Take an exercise out of the programme; True when it was archived (logged sessions refer to it)."""
        with self.transaction() as tx:
            return tx.remove_exercise(exercise_id)


class ProgrammeTransaction:
    """The programme writes of :class:`~kneelog.store.database.Transaction`."""

    _conn: sa.Connection
    athlete_id: int

    def exercises(self, archived: bool = False) -> list[Exercise]:
        """:meth:`ProgrammeStore.exercises`, inside this transaction."""
        return _exercises(self._conn, self.athlete_id, archived)

    def add_exercise(self, exercise: Exercise) -> int:
        """Add ``exercise`` after the last of the programme; returns its id."""
        ex = t.exercises
        last = self._conn.execute(sa.select(sa.func.max(ex.c.position)).where(self._mine())).scalar_one()
        now = _now()
        row = _exercise_row(exercise) | {
            "athlete_id": self.athlete_id,
            "position": 0 if last is None else last + 1,
            "source": exercise.source,
            "created_at": now,
            "updated_at": now,
        }
        return int(self._conn.execute(ex.insert().values(**row)).inserted_primary_key[0])

    def update_exercise(self, exercise: Exercise) -> None:
        """See :meth:`ProgrammeStore.update_exercise`.

        Raises:
            EntryNotFound: when no exercise has ``exercise.id`` (deleted meanwhile, perhaps in another tab).
        """
        ex = t.exercises
        result = self._conn.execute(
            ex.update().where(ex.c.id == exercise.id, self._mine()).values(**_exercise_row(exercise), updated_at=_now())
        )
        if result.rowcount == 0:
            raise EntryNotFound("exercise", exercise.id or -1)

    def move_exercise(self, exercise_id: int, step: int) -> None:
        """See :meth:`ProgrammeStore.move_exercise`; past either end it stops there.

        Raises:
            EntryNotFound: when the exercise is not in the programme.
        """
        order = [e.id for e in self.exercises()]
        if exercise_id not in order:
            raise EntryNotFound("exercise", exercise_id)
        place = order.index(exercise_id)
        order.remove(exercise_id)
        order.insert(max(0, min(len(order), place + step)), exercise_id)
        self._renumber(order)

    def remove_exercise(self, exercise_id: int) -> bool:
        """See :meth:`ProgrammeStore.remove_exercise`.

        Raises:
            EntryNotFound: when the exercise is not in the programme.
        """
        ex, logs = t.exercises, t.gym_exercise_logs
        referred = self._conn.execute(sa.select(logs.c.session_id).where(logs.c.exercise_id == exercise_id).limit(1))
        if referred.first() is not None:
            result = self._conn.execute(
                ex.update()
                .where(ex.c.id == exercise_id, ex.c.archived == 0, self._mine())
                .values(archived=1, updated_at=_now())
            )
            archived = True
        else:
            result = self._conn.execute(ex.delete().where(ex.c.id == exercise_id, self._mine()))
            archived = False
        if result.rowcount == 0:
            raise EntryNotFound("exercise", exercise_id)
        self._renumber([e.id for e in self.exercises()])
        return archived

    def delete_exercises_of(self, source: str) -> int:
        """Delete every exercise that came from ``source`` (the demo athlete's programme); returns how many.

        A logged exercise that referred to one keeps its name, dose and pain (its ``exercise_id`` becomes NULL).
        """
        return self._conn.execute(t.exercises.delete().where(t.exercises.c.source == source, self._mine())).rowcount

    def _mine(self) -> sa.ColumnElement[bool]:
        return t.exercises.c.athlete_id == self.athlete_id

    def _renumber(self, order: list[int | None]) -> None:
        ex = t.exercises
        for position, exercise_id in enumerate(order):
            self._conn.execute(ex.update().where(ex.c.id == exercise_id, self._mine()).values(position=position))


# -- the rules a restored row meets (:mod:`kneelog.store.rules`) -------------------------------------------------------


def _dose_problem(model: type[ExerciseDose], data: dict[str, Any]) -> str | None:
    if any(data.get(flag) not in (None, 0, 1) for flag in _FLAGS):
        return "a flag (per_side, archived, done) is not 0 or 1"
    try:
        model.model_validate(data)
    except ValidationError as e:
        return "; ".join(f"{FIELD_LABELS.get(f, f)} {reason}" for f, reason in problems_of(e).items())
    return None


def exercise_problem(row: dict[str, Any]) -> str | None:
    """Why a row of ``exercises.csv`` cannot be restored (the same checks as the programme editor), or None."""
    return _dose_problem(Exercise, {k: v for k, v in row.items() if k not in ("created_at", "updated_at")})


def log_problem(sessions: set[int], exercises: set[int]) -> Callable[[dict[str, Any]], str | None]:
    """The check of a row of ``gym_exercise_logs.csv``: its gym session and exercise (if any) are in the backup, and
    its dose passes the gym form's checks."""

    def problem(row: dict[str, Any]) -> str | None:
        if row["session_id"] not in sessions:
            return f"session_id {row['session_id']} is not in gym_sessions.csv"
        if row["exercise_id"] is not None and row["exercise_id"] not in exercises:
            return f"exercise_id {row['exercise_id']} is not in exercises.csv"
        if not (isinstance(row["position"], int) and 0 <= row["position"] <= MAX_LOGGED):
            return f"position {row['position']} is not a place kneelog gives (0 to {MAX_LOGGED})"
        return _dose_problem(ExerciseLog, {k: v for k, v in row.items() if k not in ("session_id", "position")})

    return problem
