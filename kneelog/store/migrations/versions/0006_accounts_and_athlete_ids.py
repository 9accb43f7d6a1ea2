"""Accounts, and the athlete every row belongs to (clinic mode, issue 15).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Adds ``accounts`` with row 1, the local athlete (``issuer`` and ``subject`` 'local'), and an ``athlete_id`` column
(default 1, a foreign key to ``accounts`` that deletes the athlete's rows with the account) to every top-level table,
so every row already stored becomes the local athlete's. The unique rules, the settings' and column mappings' primary
keys and the date indexes gain ``athlete_id`` first: two athletes may log the same day or import the same file.
A frozen copy of the tables in :mod:`kneelog.store.tables`.

On SQLite the tables are rebuilt (move and copy); a rebuilt parent's old table is dropped with foreign keys on, which
deletes its children, so the children (stretch items, logged exercises) are kept aside first and put back after.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LOCAL = 1
#: Tables whose rows belong to an athlete, with the index on their date (None: no date, or none was made before).
TOP_LEVEL = {
    "runs": "ix_runs_date",
    "gym_sessions": "ix_gym_sessions_date",
    "stretch_sessions": "ix_stretch_sessions_date",
    "checkins": None,
    "races": None,
    "weekly_pain": None,
    "questionnaire_scores": None,
    "function_tests": None,
    "exercises": None,
    "settings": None,
    "column_mappings": None,
}
DATED = ("runs", "gym_sessions", "stretch_sessions", "checkins", "races", "weekly_pain", "questionnaire_scores",
         "function_tests")  # fmt: skip
#: Unique rules: table -> (old name, columns after athlete_id).
UNIQUE = {
    "checkins": ("uq_checkins_date_knee", ("date", "knee")),
    "weekly_pain": ("uq_weekly_pain_date", ("date",)),
    "questionnaire_scores": ("uq_questionnaire_scores_date_scale", ("date", "scale")),
    "function_tests": ("uq_function_tests_date_test_side", ("date", "test", "side")),
}
#: Tables keyed by a text column, rebuilt with the primary key (athlete_id, that column): their columns.
KEYED = {
    "settings": ("key", "value"),
    "column_mappings": ("header_key", "header", "mapping", "updated_at"),
}
#: Their columns of type String (the others are Text).
TEXT = ("value", "updated_at")
SOURCE_ID = ("runs", "gym_sessions")
CHILDREN = ("stretch_items", "gym_exercise_logs")


def _source_id_index(table: str, columns: list[str]) -> None:
    where = sa.text("source_id IS NOT NULL")
    op.create_index(f"uq_{table}_source_id", table, columns, unique=True, sqlite_where=where, postgresql_where=where)


def _athlete_id() -> sa.Column:
    return sa.Column("athlete_id", sa.Integer, nullable=False, server_default=str(LOCAL))


def _rekey(table: str, athlete: bool) -> None:
    """Rebuild a keyed table with its key alone (``athlete`` False) or led by ``athlete_id``, keeping every row."""
    key, *rest = KEYED[table]
    columns = [sa.Column(key, sa.String, nullable=False)]
    columns += [sa.Column(name, sa.String if name in TEXT else sa.Text, nullable=False) for name in rest]
    if athlete:
        columns += [
            _athlete_id(),
            sa.ForeignKeyConstraint(["athlete_id"], ["accounts.id"], name=f"fk_{table}_athlete_id", ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("athlete_id", key, name=f"pk_{table}"),
        ]
    else:
        columns += [sa.PrimaryKeyConstraint(key, name=f"{table}_pkey")]
    op.create_table(f"{table}_rekeyed", *columns)
    names = ", ".join(KEYED[table])
    op.execute(f"INSERT INTO {table}_rekeyed ({names}) SELECT {names} FROM {table}")
    op.drop_table(table)
    op.rename_table(f"{table}_rekeyed", table)


def _keep_children() -> None:
    """Copy the children aside: dropping a rebuilt parent with foreign keys on deletes them (SQLite)."""
    for child in CHILDREN:
        op.execute(f"CREATE TEMP TABLE kept_{child} AS SELECT * FROM {child}")


def _put_back_children() -> None:
    """Put the children copied aside back as they were, once every parent is rebuilt (SQLite)."""
    for child in CHILDREN:
        op.execute(f"DELETE FROM {child}")
        op.execute(f"INSERT INTO {child} SELECT * FROM kept_{child}")
        op.execute(f"DROP TABLE kept_{child}")


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    accounts = op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issuer", sa.String, nullable=False),
        sa.Column("subject", sa.String, nullable=False),
        sa.Column("email", sa.String, nullable=True),
        sa.Column("name", sa.String, nullable=False, server_default=""),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("data_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.UniqueConstraint("issuer", "subject", name="uq_accounts_issuer_subject"),
    )
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    op.bulk_insert(
        accounts,
        [{"id": LOCAL, "issuer": "local", "subject": "local", "email": None, "name": "", "role": "athlete",
          "data_version": 0, "created_at": now}],
    )  # fmt: skip
    if not sqlite:  # the id sequence moves past the row written with an id of its own
        op.execute("SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT max(id) FROM accounts))")
    if sqlite:
        _keep_children()
    for table in SOURCE_ID:
        op.drop_index(f"uq_{table}_source_id", table_name=table)
    for table, index in TOP_LEVEL.items():
        if table in KEYED:
            _rekey(table, athlete=True)
            continue
        if index is not None:
            op.drop_index(index, table_name=table)
        with op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch:
            batch.add_column(_athlete_id())
            batch.create_foreign_key(f"fk_{table}_athlete_id", "accounts", ["athlete_id"], ["id"], ondelete="CASCADE")
            if table in UNIQUE:
                old, columns = UNIQUE[table]
                batch.drop_constraint(old, type_="unique")
                batch.create_unique_constraint(f"uq_{table}_athlete_id_{'_'.join(columns)}", ["athlete_id", *columns])
    for table in DATED:
        op.create_index(f"ix_{table}_athlete_id_date", table, ["athlete_id", "date"])
    for table in SOURCE_ID:
        _source_id_index(table, ["athlete_id", "source", "source_id"])
    if sqlite:
        _put_back_children()


def downgrade() -> None:
    """Back to one runner's log: the local athlete's rows stay, every other athlete's go (with their children)."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for table in TOP_LEVEL:
        op.execute(f"DELETE FROM {table} WHERE athlete_id <> {LOCAL}")
    if sqlite:
        _keep_children()
    for table in SOURCE_ID:
        op.drop_index(f"uq_{table}_source_id", table_name=table)
    for table in DATED:
        op.drop_index(f"ix_{table}_athlete_id_date", table_name=table)
    for table, index in TOP_LEVEL.items():
        if table in KEYED:
            _rekey(table, athlete=False)
            continue
        with op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch:
            if table in UNIQUE:
                old, columns = UNIQUE[table]
                batch.drop_constraint(f"uq_{table}_athlete_id_{'_'.join(columns)}", type_="unique")
                batch.create_unique_constraint(old, list(columns))
            batch.drop_constraint(f"fk_{table}_athlete_id", type_="foreignkey")
            batch.drop_column("athlete_id")
        if index is not None:
            op.create_index(index, table, ["date"])
    for table in SOURCE_ID:
        _source_id_index(table, ["source", "source_id"])
    if sqlite:
        _put_back_children()
    op.drop_table("accounts")
