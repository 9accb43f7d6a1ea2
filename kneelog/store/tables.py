"""The database schema as SQLAlchemy Core tables (the current revision; migrations/ builds it step by step).

Distances are metres, durations seconds, dates the runner's local calendar date.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    ]


def _device_details() -> list[sa.Column]:
    """What a device file adds to an imported run or gym session (NULL where it does not say; migration 0003)."""
    return [
        sa.Column("elapsed_s", sa.Float, nullable=True),  # start to finish, pauses included
        sa.Column("elevation_gain_m", sa.Float, nullable=True),
        sa.Column("hr_avg", sa.Float, nullable=True),  # beats per minute
        sa.Column("hr_max", sa.Float, nullable=True),
        sa.Column("hr_seconds", sa.Text, nullable=True),  # seconds at each bpm, as JSON (importers.files.summary)
    ]


def _provenance() -> list[sa.Column]:
    return [
        sa.Column("source", sa.String, nullable=False, server_default="manual"),
        sa.Column("source_id", sa.String, nullable=True),
    ]


meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("value", sa.String, nullable=False),
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("value", sa.String, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("start_time", sa.Time, nullable=True),
    sa.Column("distance_m", sa.Float, nullable=False),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("rpe", sa.Integer, nullable=True),
    sa.Column("pain_during", sa.Integer, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("activity_type", sa.String, nullable=False, server_default="Run"),
    *_provenance(),
    *_device_details(),
    *_stamps(),
)

gym_sessions = sa.Table(
    "gym_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("start_time", sa.Time, nullable=True),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("rpe", sa.Integer, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    *_provenance(),
    *_device_details(),
    *_stamps(),
)

stretch_sessions = sa.Table(
    "stretch_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.String, nullable=False, server_default="manual"),
    *_stamps(),
)

stretch_items = sa.Table(
    "stretch_items",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("stretch_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stretch_id", sa.String, primary_key=True),
    sa.Column("side", sa.String, primary_key=True),
)

checkins = sa.Table(
    "checkins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("knee", sa.String, nullable=False),
    sa.Column("stairs", sa.Integer, nullable=True),
    sa.Column("squat", sa.Integer, nullable=True),
    sa.Column("sitting", sa.Integer, nullable=True),
    sa.Column("morning_after", sa.Integer, nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.String, nullable=False, server_default="manual"),
    *_stamps(),
    sa.UniqueConstraint("date", "knee", name="uq_checkins_date_knee"),
)

races = sa.Table(
    "races",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("distance_m", sa.Float, nullable=False),
    sa.Column("source", sa.String, nullable=False, server_default="manual"),
    *_stamps(),
)

for _table in (runs, gym_sessions):
    sa.Index(
        f"uq_{_table.name}_source_id",
        _table.c.source,
        _table.c.source_id,
        unique=True,
        sqlite_where=_table.c.source_id.isnot(None),
        postgresql_where=_table.c.source_id.isnot(None),
    )


def _outcome_table(name: str, *columns: sa.Column, unique: tuple[str, ...]) -> sa.Table:
    """An outcome table: id, date, ``columns``, note, source and stamps; one row per ``unique`` values."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False),
        *columns,
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.String, nullable=False, server_default="manual"),
        *_stamps(),
        sa.UniqueConstraint(*unique, name=f"uq_{name}_{'_'.join(unique)}"),
    )


#: Outcome measures (migration 0004; the scales are :mod:`kneelog.analysis.outcomes`): the runner's weekly NPRS
#: rating of usual and worst knee pain, questionnaire totals (AKPS, KOOS-PF), and functional tests per knee.
weekly_pain = _outcome_table(
    "weekly_pain",
    sa.Column("usual", sa.Integer, nullable=False),
    sa.Column("worst", sa.Integer, nullable=False),
    unique=("date",),
)
questionnaire_scores = _outcome_table(
    "questionnaire_scores",
    sa.Column("scale", sa.String, nullable=False),  # an id of kneelog.analysis.outcomes.QUESTIONNAIRES
    sa.Column("score", sa.Float, nullable=False),
    unique=("date", "scale"),
)
function_tests = _outcome_table(
    "function_tests",
    sa.Column("test", sa.String, nullable=False),  # an id of kneelog.analysis.outcomes.TESTS
    sa.Column("side", sa.String, nullable=False),
    sa.Column("pain", sa.Integer, nullable=True),
    sa.Column("quality", sa.String, nullable=True),
    unique=("date", "test", "side"),
)

#: The table holding each kind of entry.
ENTRY_TABLES: dict[str, sa.Table] = {
    "run": runs,
    "gym": gym_sessions,
    "stretch": stretch_sessions,
    "checkin": checkins,
    "race": races,
    "weekly_pain": weekly_pain,
    "questionnaire": questionnaire_scores,
    "function_test": function_tests,
}

#: Column mappings the runner made for CSV files kneelog does not recognise, keyed by the file's header
#: (:func:`kneelog.importers.mapping.header_key`), so the next file with the same columns imports without asking.
column_mappings = sa.Table(
    "column_mappings",
    metadata,
    sa.Column("header_key", sa.String, primary_key=True),
    sa.Column("header", sa.Text, nullable=False),  # JSON list of the column names, for a human reading the file
    sa.Column("mapping", sa.Text, nullable=False),  # JSON of ColumnMapping
    sa.Column("updated_at", sa.String, nullable=False),
)

#: The runner's gym programme (migration 0005): each exercise with its dose, in order. Flags are whole numbers (0 or
#: 1), as in every backup CSV. ``archived`` is 1 for an exercise removed while logged sessions refer to it: it leaves
#: the programme but keeps its id, so its history stays readable.
exercises = sa.Table(
    "exercises",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("category", sa.String, nullable=False, server_default="other"),
    sa.Column("sets", sa.Integer, nullable=False),
    sa.Column("reps", sa.Integer, nullable=True),  # repetitions per set, or
    sa.Column("seconds", sa.Integer, nullable=True),  # seconds per set (a hold)
    sa.Column("load_kg", sa.Float, nullable=True),  # NULL: body weight
    sa.Column("per_side", sa.Integer, nullable=False, server_default="0"),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("archived", sa.Integer, nullable=False, server_default="0"),
    sa.Column("source", sa.String, nullable=False, server_default="manual"),
    *_stamps(),
)

#: What each gym session did of each exercise (migration 0005), in the order shown: the exercise (NULL once deleted
#: outright, as the demo's are when it is removed) and its name at the time, so the history reads without it.
gym_exercise_logs = sa.Table(
    "gym_exercise_logs",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("gym_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("exercise_id", sa.Integer, sa.ForeignKey("exercises.id", ondelete="SET NULL"), nullable=True, index=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("sets", sa.Integer, nullable=False),
    sa.Column("reps", sa.Integer, nullable=True),
    sa.Column("seconds", sa.Integer, nullable=True),
    sa.Column("load_kg", sa.Float, nullable=True),
    sa.Column("per_side", sa.Integer, nullable=False, server_default="0"),
    sa.Column("pain_during", sa.Integer, nullable=True),
    sa.Column("done", sa.Integer, nullable=False, server_default="1"),
)
