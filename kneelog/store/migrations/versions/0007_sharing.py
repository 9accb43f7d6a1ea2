"""Sharing with clinicians: shares, invites and clinician notes (clinic mode, issue 15).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Adds tables; every existing row stays as it is. A frozen copy of the tables at the end of :mod:`kneelog.store.tables`.
An athlete's shares, invites and the notes about them go with their account (ON DELETE CASCADE); a note stays when
the clinician who wrote it deletes theirs (ON DELETE SET NULL).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _account(name: str, **kwargs) -> sa.Column:
    """A column naming an account, whose rows go with it (or keep NULL, with ``ondelete="SET NULL"``)."""
    ondelete = kwargs.pop("ondelete", "CASCADE")
    return sa.Column(name, sa.Integer, sa.ForeignKey("accounts.id", ondelete=ondelete), **kwargs)


def upgrade() -> None:
    op.create_table(
        "shares",
        _account("athlete_id", primary_key=True),
        _account("clinician_id", primary_key=True),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_index("ix_shares_clinician_id", "shares", ["clinician_id"])
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer, primary_key=True),
        _account("athlete_id", nullable=False),
        sa.Column("code_hash", sa.String, nullable=True),
        sa.Column("email", sa.String, nullable=True),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("expires_at", sa.String, nullable=False),
        sa.UniqueConstraint("code_hash", name="uq_invites_code_hash"),
        sa.CheckConstraint("(code_hash IS NULL) <> (email IS NULL)", name="ck_invites_code_or_email"),
    )
    op.create_index("ix_invites_athlete_id", "invites", ["athlete_id"])
    op.create_index("ix_invites_email", "invites", ["email"])
    op.create_table(
        "clinician_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        _account("athlete_id", nullable=False),
        _account("clinician_id", nullable=True, ondelete="SET NULL"),
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_index("ix_clinician_notes_athlete_id_week", "clinician_notes", ["athlete_id", "week"])
    op.create_index("ix_clinician_notes_clinician_id", "clinician_notes", ["clinician_id"])


def downgrade() -> None:
    for name in ("clinician_notes", "invites", "shares"):
        op.drop_table(name)
