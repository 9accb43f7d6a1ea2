"""What a device file adds to a run or gym session: elapsed time, ascent and heart rate.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Adds nullable columns; every existing row keeps its values.
"""

import sqlalchemy as sa  # noqa: F401  (filled in by the work of issue 13)
from alembic import op  # noqa: F401

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
