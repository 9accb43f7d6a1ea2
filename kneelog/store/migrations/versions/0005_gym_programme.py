"""The gym programme: exercises, and what each gym session did of them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Adds tables; gym sessions logged before stay readable as they are (they have no exercise rows).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _dose() -> list[sa.Column]:
    return [
        sa.Column("name", sa.String, nullable=False),
        sa.Column("sets", sa.Integer, nullable=False),
        sa.Column("reps", sa.Integer, nullable=True),
        sa.Column("seconds", sa.Integer, nullable=True),
        sa.Column("load_kg", sa.Float, nullable=True),
        sa.Column("per_side", sa.Integer, nullable=False, server_default="0"),
    ]


def upgrade() -> None:
    op.create_table(
        "exercises",
        sa.Column("id", sa.Integer, primary_key=True),
        *_dose()[:1],
        sa.Column("category", sa.String, nullable=False, server_default="other"),
        *_dose()[1:],
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("archived", sa.Integer, nullable=False, server_default="0"),
        sa.Column("source", sa.String, nullable=False, server_default="manual"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_table(
        "gym_exercise_logs",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("gym_sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("exercise_id", sa.Integer, sa.ForeignKey("exercises.id", ondelete="SET NULL"), nullable=True),
        *_dose(),
        sa.Column("pain_during", sa.Integer, nullable=True),
        sa.Column("done", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_gym_exercise_logs_exercise_id", "gym_exercise_logs", ["exercise_id"])


def downgrade() -> None:
    op.drop_table("gym_exercise_logs")
    op.drop_table("exercises")
