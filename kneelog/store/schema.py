"""The schema's revisions: Alembic's scripts in ``migrations/``, found once, and the upgrade to the newest.

A database carries its revision; :func:`upgrade` brings an older one to ``head`` in place (keeping every row) and
refuses a file that is not a kneelog database or was made by a newer kneelog.
"""

from __future__ import annotations

import functools
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from kneelog.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config(connection: sa.Connection | None = None) -> Config:
    """The one Alembic configuration kneelog uses: its scripts, and the connection to run them on."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest schema revision this kneelog knows."""
    return _scripts().get_current_head()


def known_revisions() -> frozenset[str]:
    """Every schema revision this kneelog knows (a database or backup at any other is from a newer kneelog)."""
    return frozenset(script.revision for script in _scripts().walk_revisions())


@functools.cache
def tables_at(revision: str) -> frozenset[str]:
    """The tables a database at ``revision`` holds (what the migrations up to it build, read off an in-memory one).

    Raises:
        DatabaseError: when ``revision`` is not one this kneelog knows.
    """
    if revision not in known_revisions():
        raise DatabaseError(f"Schema {revision!r} is not one this kneelog knows.")
    return frozenset(columns_at(revision))


@functools.cache
def columns_at(revision: str) -> dict[str, tuple[str, ...]]:
    """Each table's columns in a database at ``revision`` (read off an in-memory one the migrations build), so a
    backup made before a column was added restores with that column empty.

    Raises:
        DatabaseError: when ``revision`` is not one this kneelog knows.
    """
    if revision not in known_revisions():
        raise DatabaseError(f"Schema {revision!r} is not one this kneelog knows.")
    engine = sa.create_engine("sqlite://")
    try:
        with engine.connect() as conn:
            command.upgrade(_config(conn), revision)
            inspector = sa.inspect(conn)
            return {
                name: tuple(c["name"] for c in inspector.get_columns(name))
                for name in inspector.get_table_names()
                if name != "alembic_version"
            }
    finally:
        engine.dispose()


def current_revision(conn: sa.Connection) -> str | None:
    """The revision the database on ``conn`` is at (None for a database kneelog never opened)."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: sa.Connection, url: str, target: str = "head") -> None:
    """Bring the database on ``conn`` to ``target`` and commit.

    Raises:
        DatabaseError: when the database holds tables but no kneelog revision, or a revision this kneelog does not
            know (a newer kneelog made it).
    """
    current = current_revision(conn)
    if current is not None and current not in known_revisions():
        raise DatabaseError(f"{url} was made by a newer kneelog (schema {current}); update kneelog to open it.")
    if current is None and sa.inspect(conn).get_table_names():
        raise DatabaseError(f"{url} holds tables but is not a kneelog database; choose another file.")
    command.upgrade(_config(conn), target)
    conn.commit()
