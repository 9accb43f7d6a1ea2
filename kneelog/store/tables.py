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
    )

#: The table holding each kind of entry.
ENTRY_TABLES: dict[str, sa.Table] = {
    "run": runs,
    "gym": gym_sessions,
    "stretch": stretch_sessions,
    "checkin": checkins,
    "race": races,
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
