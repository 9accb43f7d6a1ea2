"""Outcome measures: weekly pain ratings, questionnaire totals and functional tests.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Adds tables; every existing row stays as it is.
"""

import sqlalchemy as sa  # noqa: F401  (filled in by the work of issue 14)
from alembic import op  # noqa: F401

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
