"""The database schema as SQLAlchemy Core tables (the current revision; migrations/ builds it step by step).

Distances are metres, durations seconds, dates the runner's local calendar date.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: The local athlete: the account every row of a single-user database belongs to (made by migration 0006).
LOCAL_ATHLETE = 1

#: Who signs in (clinic mode, migration 0006): identity is the OIDC issuer and subject, never a name or e-mail.
#: ``data_version`` is bumped by each write transaction of the athlete, the key for their cached reads.
accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("issuer", sa.String, nullable=False),
    sa.Column("subject", sa.String, nullable=False),
    sa.Column("email", sa.String, nullable=True),
    sa.Column("name", sa.String, nullable=False, server_default=""),
    sa.Column("role", sa.String, nullable=False),  # athlete or clinician
    sa.Column("data_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.String, nullable=False),
    sa.UniqueConstraint("issuer", "subject", name="uq_accounts_issuer_subject"),
)


def _athlete(table: str) -> list[sa.Column | sa.Constraint]:
    """The athlete a row belongs to (migration 0006: every row before it is the local athlete's); it goes with the
    account."""
    return [
        sa.Column("athlete_id", sa.Integer, nullable=False, server_default=str(LOCAL_ATHLETE)),
        sa.ForeignKeyConstraint(["athlete_id"], ["accounts.id"], name=f"fk_{table}_athlete_id", ondelete="CASCADE"),
    ]


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    ]


def _device_details() -> list[sa.Column]:
    """What a device file adds to an imported run or gym session (NULL where it does not say; migration 0003)."""
    return [
        sa.Column("elapsed_s", sa.Float, nullable=True),  # start to finish, pauses included
        sa.Column("elevation_gain_m", sa.Float, nullable=True),
        sa.Column("hr_avg", sa.Float, nullable=True),  # beats per minute
        sa.Column("hr_max", sa.Float, nullable=True),
        sa.Column("hr_seconds", sa.Text, nullable=True),  # seconds at each bpm, as JSON (importers.files.summary)
    ]


def _provenance() -> list[sa.Column]:
    return [
        sa.Column("source", sa.String, nullable=False, server_default="manual"),
        sa.Column("source_id", sa.String, nullable=True),
    ]


meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("value", sa.String, nullable=False),
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String, nullable=False),
    sa.Column("value", sa.String, nullable=False),
    *_athlete("settings"),
    sa.PrimaryKeyConstraint("athlete_id", "key", name="pk_settings"),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("start_time", sa.Time, nullable=True),
    sa.Column("distance_m", sa.Float, nullable=False),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("rpe", sa.Integer, nullable=True),
    sa.Column("pain_during", sa.Integer, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("activity_type", sa.String, nullable=False, server_default="Run"),
    *_provenance(),
    *_device_details(),
    *_stamps(),
    *_athlete("runs"),
)

gym_sessions = sa.Table(
    "gym_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("start_time", sa.Time, nullable=True),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("rpe", sa.Integer, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    *_provenance(),
    *_device_details(),
    *_stamps(),
    *_athlete("gym_sessions"),
)

stretch_sessions = sa.Table(
    "stretch_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.String, nullable=False, server_default="manual"),
    *_stamps(),
    *_athlete("stretch_sessions"),
)

stretch_items = sa.Table(
    "stretch_items",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("stretch_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stretch_id", sa.String, primary_key=True),
    sa.Column("side", sa.String, primary_key=True),
)

checkins = sa.Table(
    "checkins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("knee", sa.String, nullable=False),
    sa.Column("stairs", sa.Integer, nullable=True),
    sa.Column("squat", sa.Integer, nullable=True),
    sa.Column("sitting", sa.Integer, nullable=True),
    sa.Column("morning_after", sa.Integer, nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.String, nullable=False, server_default="manual"),
    *_stamps(),
    *_athlete("checkins"),
    sa.UniqueConstraint("athlete_id", "date", "knee", name="uq_checkins_athlete_id_date_knee"),
)

races = sa.Table(
    "races",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("distance_m", sa.Float, nullable=False),
    sa.Column("source", sa.String, nullable=False, server_default="manual"),
    *_stamps(),
    *_athlete("races"),
)

for _table in (runs, gym_sessions):  # two athletes may import the same file
    sa.Index(
        f"uq_{_table.name}_source_id",
        _table.c.athlete_id,
        _table.c.source,
        _table.c.source_id,
        unique=True,
        sqlite_where=_table.c.source_id.isnot(None),
        postgresql_where=_table.c.source_id.isnot(None),
    )


def _outcome_table(name: str, *columns: sa.Column, unique: tuple[str, ...]) -> sa.Table:
    """An outcome table: id, date, ``columns``, note, source and stamps; one row per athlete and ``unique`` values."""
    unique = ("athlete_id", *unique)
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False),
        *columns,
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.String, nullable=False, server_default="manual"),
        *_stamps(),
        *_athlete(name),
        sa.UniqueConstraint(*unique, name=f"uq_{name}_{'_'.join(unique)}"),
    )


#: Outcome measures (migration 0004; the scales are :mod:`kneelog.analysis.outcomes`): the runner's weekly NPRS
#: rating of usual and worst knee pain, questionnaire totals (AKPS, KOOS-PF), and functional tests per knee.
weekly_pain = _outcome_table(
    "weekly_pain",
    sa.Column("usual", sa.Integer, nullable=False),
    sa.Column("worst", sa.Integer, nullable=False),
    unique=("date",),
)
questionnaire_scores = _outcome_table(
    "questionnaire_scores",
    sa.Column("scale", sa.String, nullable=False),  # an id of kneelog.analysis.outcomes.QUESTIONNAIRES
    sa.Column("score", sa.Float, nullable=False),
    unique=("date", "scale"),
)
function_tests = _outcome_table(
    "function_tests",
    sa.Column("test", sa.String, nullable=False),  # an id of kneelog.analysis.outcomes.TESTS
    sa.Column("side", sa.String, nullable=False),
    sa.Column("pain", sa.Integer, nullable=True),
    sa.Column("quality", sa.String, nullable=True),
    unique=("date", "test", "side"),
)

#: The table holding each kind of entry.
ENTRY_TABLES: dict[str, sa.Table] = {
    "run": runs,
    "gym": gym_sessions,
    "stretch": stretch_sessions,
    "checkin": checkins,
    "race": races,
    "weekly_pain": weekly_pain,
    "questionnaire": questionnaire_scores,
    "function_test": function_tests,
}

for _table in ENTRY_TABLES.values():  # one athlete's entries of a period
    sa.Index(f"ix_{_table.name}_athlete_id_date", _table.c.athlete_id, _table.c.date)

#: Column mappings the runner made for CSV files kneelog does not recognise, keyed by the file's header
#: (:func:`kneelog.importers.mapping.header_key`), so the next file with the same columns imports without asking.
column_mappings = sa.Table(
    "column_mappings",
    metadata,
    sa.Column("header_key", sa.String, nullable=False),
    sa.Column("header", sa.Text, nullable=False),  # JSON list of the column names, for a human reading the file
    sa.Column("mapping", sa.Text, nullable=False),  # JSON of ColumnMapping
    sa.Column("updated_at", sa.String, nullable=False),
    *_athlete("column_mappings"),
    sa.PrimaryKeyConstraint("athlete_id", "header_key", name="pk_column_mappings"),
)

#: The runner's gym programme (migration 0005): each exercise with its dose, in order. Flags are whole numbers (0 or
#: 1), as in every backup CSV. ``archived`` is 1 for an exercise removed while logged sessions refer to it: it leaves
#: the programme but keeps its id, so its history stays readable.
exercises = sa.Table(
    "exercises",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("category", sa.String, nullable=False, server_default="other"),
    sa.Column("sets", sa.Integer, nullable=False),
    sa.Column("reps", sa.Integer, nullable=True),  # repetitions per set, or
    sa.Column("seconds", sa.Integer, nullable=True),  # seconds per set (a hold)
    sa.Column("load_kg", sa.Float, nullable=True),  # NULL: body weight
    sa.Column("per_side", sa.Integer, nullable=False, server_default="0"),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("archived", sa.Integer, nullable=False, server_default="0"),
    sa.Column("source", sa.String, nullable=False, server_default="manual"),
    *_stamps(),
    *_athlete("exercises"),
)

#: What each gym session did of each exercise (migration 0005), in the order shown: the exercise (NULL once deleted
#: outright, as the demo's are when it is removed) and its name at the time, so the history reads without it.
gym_exercise_logs = sa.Table(
    "gym_exercise_logs",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("gym_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("exercise_id", sa.Integer, sa.ForeignKey("exercises.id", ondelete="SET NULL"), nullable=True, index=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("sets", sa.Integer, nullable=False),
    sa.Column("reps", sa.Integer, nullable=True),
    sa.Column("seconds", sa.Integer, nullable=True),
    sa.Column("load_kg", sa.Float, nullable=True),
    sa.Column("per_side", sa.Integer, nullable=False, server_default="0"),
    sa.Column("pain_during", sa.Integer, nullable=True),
    sa.Column("done", sa.Integer, nullable=False, server_default="1"),
)

#: The tables that hold an athlete's log, each row with its ``athlete_id`` (what a backup holds, an erasure deletes).
ATHLETE_TABLES: tuple[sa.Table, ...] = (*ENTRY_TABLES.values(), settings, column_mappings, exercises)
#: The tables whose rows belong to an athlete through a parent row: table -> (its parent, the column naming it).
CHILD_TABLES: dict[sa.Table, tuple[sa.Table, str]] = {
    stretch_items: (stretch_sessions, "session_id"),
    gym_exercise_logs: (gym_sessions, "session_id"),
}


def _account(name: str, **kwargs) -> sa.Column:
    """A column naming an account, whose rows go with it (or keep NULL, with ``ondelete="SET NULL"``)."""
    ondelete = kwargs.pop("ondelete", "CASCADE")
    return sa.Column(name, sa.Integer, sa.ForeignKey("accounts.id", ondelete=ondelete), **kwargs)


#: Sharing (clinic mode, migration 0007; :mod:`kneelog.store.accounts`): which clinician reads which athlete's log.
shares = sa.Table(
    "shares",
    metadata,
    _account("athlete_id", primary_key=True),
    _account("clinician_id", primary_key=True),
    sa.Column("created_at", sa.String, nullable=False),
    sa.Index("ix_shares_clinician_id", "clinician_id"),
)
#: An athlete's open invitations: a one-time code (only its SHA-256, hex) or a clinician's e-mail address
#: (lower-cased), one of the two, until it is used or ``expires_at`` (UTC, ISO 8601) passes.
invites = sa.Table(
    "invites",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _account("athlete_id", nullable=False),
    sa.Column("code_hash", sa.String, nullable=True),
    sa.Column("email", sa.String, nullable=True),
    sa.Column("created_at", sa.String, nullable=False),
    sa.Column("expires_at", sa.String, nullable=False),
    sa.UniqueConstraint("code_hash", name="uq_invites_code_hash"),
    sa.CheckConstraint("(code_hash IS NULL) <> (email IS NULL)", name="ck_invites_code_or_email"),
    sa.Index("ix_invites_athlete_id", "athlete_id"),
    sa.Index("ix_invites_email", "email"),
)
#: A clinician's note on a week (its Monday) of an athlete's log; it stays, without its author, when the clinician's
#: account goes.
clinician_notes = sa.Table(
    "clinician_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _account("athlete_id", nullable=False),
    _account("clinician_id", nullable=True, ondelete="SET NULL"),
    sa.Column("week", sa.Date, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.String, nullable=False),
    sa.Index("ix_clinician_notes_athlete_id_week", "athlete_id", "week"),
    sa.Index("ix_clinician_notes_clinician_id", "clinician_id"),
)
#: The tables of sharing (migration 0007): between accounts, not part of any athlete's log or backup.
SHARING_TABLES: tuple[sa.Table, ...] = (shares, invites, clinician_notes)
