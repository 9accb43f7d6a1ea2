"""The first schema: runs, gym sessions, stretch sessions, knee check-ins, races, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-24

A frozen copy: later changes go in new revisions, never here, so a database made by this release upgrades.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.String, nullable=False), sa.Column("updated_at", sa.String, nullable=False)]


def upgrade() -> None:
    op.create_table(
        "meta", sa.Column("key", sa.String, primary_key=True), sa.Column("value", sa.String, nullable=False)
    )
    op.execute("INSERT INTO meta (key, value) VALUES ('data_version', '0')")
    op.create_table(
        "settings", sa.Column("key", sa.String, primary_key=True), sa.Column("value", sa.String, nullable=False)
    )
    for name, extra in (
        (
            "runs",
            [
                sa.Column("distance_m", sa.Float, nullable=False),
                sa.Column("duration_s", sa.Float, nullable=False),
                sa.Column("rpe", sa.Integer, nullable=True),
                sa.Column("pain_during", sa.Integer, nullable=True),
                sa.Column("notes", sa.Text, nullable=False, server_default=""),
                sa.Column("activity_type", sa.String, nullable=False, server_default="Run"),
            ],
        ),
        (
            "gym_sessions",
            [
                sa.Column("duration_s", sa.Float, nullable=False),
                sa.Column("rpe", sa.Integer, nullable=True),
                sa.Column("notes", sa.Text, nullable=False, server_default=""),
            ],
        ),
    ):
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("date", sa.Date, nullable=False),
            sa.Column("start_time", sa.Time, nullable=True),
            *extra,
            sa.Column("source", sa.String, nullable=False, server_default="manual"),
            sa.Column("source_id", sa.String, nullable=True),
            *_stamps(),
        )
        op.create_index(f"ix_{name}_date", name, ["date"])
        op.create_index(
            f"uq_{name}_source_id",
            name,
            ["source", "source_id"],
            unique=True,
            sqlite_where=sa.text("source_id IS NOT NULL"),
            postgresql_where=sa.text("source_id IS NOT NULL"),
        )
    op.create_table(
        "stretch_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.String, nullable=False, server_default="manual"),
        *_stamps(),
    )
    op.create_index("ix_stretch_sessions_date", "stretch_sessions", ["date"])
    op.create_table(
        "stretch_items",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("stretch_sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("stretch_id", sa.String, primary_key=True),
        sa.Column("side", sa.String, primary_key=True),
    )
    op.create_table(
        "checkins",
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
    op.create_table(
        "races",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("source", sa.String, nullable=False, server_default="manual"),
        *_stamps(),
    )


def downgrade() -> None:
    for name in ("races", "checkins", "stretch_items", "stretch_sessions", "gym_sessions", "runs", "settings", "meta"):
        op.drop_table(name)
