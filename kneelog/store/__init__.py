"""The store: the database behind kneelog, and the only package that speaks SQL.

:class:`Store` (in :mod:`~kneelog.store.database`) reads and writes one athlete's entries, settings and column
mappings, every query kept to that athlete by :mod:`~kneelog.store.ownership`;
:mod:`~kneelog.store.sqlite` holds what only SQLite needs, its errors worded for a runner included, and
:mod:`~kneelog.store.postgres` what only PostgreSQL needs; :mod:`~kneelog.store.transfer` copies a whole log from one
database to another;
:mod:`~kneelog.store.tables` is the schema and ``migrations/`` its history (:mod:`~kneelog.store.schema`);
:mod:`~kneelog.store.location` says where the database lives; :mod:`~kneelog.store.backup` writes and restores the
backup zip, with text cells made safe for spreadsheets by :mod:`~kneelog.store.csvsafe`, a zip read back within
bounds by :mod:`~kneelog.store.unpack`, every restored row checked by :mod:`~kneelog.store.rules`, and what a damaged
file still holds read by :mod:`~kneelog.store.salvage`.
"""

from kneelog.store.database import FRAME_COLUMNS, Store, Transaction
from kneelog.store.location import ENV_VAR, default_url
from kneelog.store.schema import head_revision, known_revisions

__all__ = ["ENV_VAR", "FRAME_COLUMNS", "Store", "Transaction", "default_url", "head_revision", "known_revisions"]
