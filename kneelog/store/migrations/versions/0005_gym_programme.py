"""The gym programme: exercises, and what each gym session did of them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Adds tables; gym sessions logged before stay readable as they are.
"""

import sqlalchemy as sa  # noqa: F401  (filled in by the work of issue 16)
from alembic import op  # noqa: F401

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
