"""Remembered column mappings for CSV files kneelog does not recognise.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Adds one table; every row of the first schema stays as it is.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    key = sa.Column("header_key", sa.String, primary_key=True)
    texts = [sa.Column(name, sa.Text, nullable=False) for name in ("header", "mapping")]
    op.create_table("column_mappings", key, *texts, sa.Column("updated_at", sa.String, nullable=False))


def downgrade() -> None:
    op.drop_table("column_mappings")
