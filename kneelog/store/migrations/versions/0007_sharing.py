"""Sharing with clinicians: shares, invites and clinician notes (clinic mode, issue 15).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the issue 15 work


def downgrade() -> None:
    pass  # filled by the issue 15 work
