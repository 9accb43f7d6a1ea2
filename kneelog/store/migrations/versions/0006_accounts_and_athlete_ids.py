"""Accounts, and the athlete every row belongs to (clinic mode, issue 15).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the issue 15 work


def downgrade() -> None:
    pass  # filled by the issue 15 work
