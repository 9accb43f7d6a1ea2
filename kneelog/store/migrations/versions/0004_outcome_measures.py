"""Outcome measures: weekly pain ratings, questionnaire totals and functional tests.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Adds tables; every existing row stays as it is. A frozen copy of the tables in :mod:`kneelog.store.tables`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _create(name: str, columns: list[sa.Column], unique: list[str]) -> None:
    """An entry table: id, date, ``columns``, note, source and stamps, unique on ``unique``."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False),
        *columns,
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.String, nullable=False, server_default="manual"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.UniqueConstraint(*unique, name=f"uq_{name}_{'_'.join(unique)}"),
    )


def upgrade() -> None:
    _create(
        "weekly_pain",
        [sa.Column("usual", sa.Integer, nullable=False), sa.Column("worst", sa.Integer, nullable=False)],
        ["date"],
    )
    _create(
        "questionnaire_scores",
        [sa.Column("scale", sa.String, nullable=False), sa.Column("score", sa.Float, nullable=False)],
        ["date", "scale"],
    )
    _create(
        "function_tests",
        [
            sa.Column("test", sa.String, nullable=False),
            sa.Column("side", sa.String, nullable=False),
            sa.Column("pain", sa.Integer, nullable=True),
            sa.Column("quality", sa.String, nullable=True),
        ],
        ["date", "test", "side"],
    )


def downgrade() -> None:
    for name in ("function_tests", "questionnaire_scores", "weekly_pain"):
        op.drop_table(name)
