"""What a device file adds to a run or gym session: elapsed time, ascent and heart rate.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Adds nullable columns; every existing row keeps its values.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("runs", "gym_sessions")
#: Seconds from start to finish, total ascent (metres), average and maximum heart rate (bpm).
FLOATS = ("elapsed_s", "elevation_gain_m", "hr_avg", "hr_max")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for name in FLOATS:
                batch.add_column(sa.Column(name, sa.Float, nullable=True))
            batch.add_column(sa.Column("hr_seconds", sa.Text, nullable=True))  # seconds at each bpm, as JSON


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for name in (*FLOATS, "hr_seconds"):
                batch.drop_column(name)
