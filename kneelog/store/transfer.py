"""Copying a whole log from one database to another (a runner's SQLite file into a PostgreSQL server, say).

The log is one athlete's: the local athlete's by default, on either side (into a clinic server, name the athlete's
account there as ``target_athlete``); another athlete's rows in the target stay as they are.

The copy is a backup and a restore without the file between: every table of the source is read in one consistent
snapshot and checked row by row as a backup is (:func:`kneelog.store.backup.export_backup`, then
:func:`~kneelog.store.backup.read_backup`), then written into the target in one transaction
(:func:`~kneelog.store.backup.restore_backup`), which counts every table before it commits: all of the log, or on any
error (a refused row, a lost connection, Ctrl-C) nothing. The source is only read (an older kneelog's database is
first upgraded to the current schema, as opening it in the app would).
"""

from __future__ import annotations

from dataclasses import dataclass

from kneelog.errors import RestoreRefused
from kneelog.store import backup
from kneelog.store.database import Store
from kneelog.store.location import shown
from kneelog.store.tables import LOCAL_ATHLETE


@dataclass(frozen=True)
class Copied:
    """What a copy wrote: the rows of each table, the entries of each kind, and the safety copy of what the target
    held before (only when it was replaced)."""

    rows: dict[str, int]
    counts: dict[str, int]
    restored: backup.Restored


def copy_log(
    source_url: str,
    target_url: str,
    replace: bool = False,
    source_athlete: int = LOCAL_ATHLETE,
    target_athlete: int = LOCAL_ATHLETE,
) -> Copied:
    """Copy every entry, setting and column mapping of an athlete's log in ``source_url`` into ``target_url``.

    Args:
        source_url: the database to copy; it must exist.
        target_url: the database to copy into (made, with the current schema, if it does not exist).
        replace: wipe the athlete's entries already in the target first (saved to a safety copy beforehand); without
            it a target holding entries is refused.
        source_athlete: whose log to copy (default: the local athlete).
        target_athlete: whose log it becomes in the target (default: the local athlete).

    Raises:
        RestoreRefused: when source and target are the same database, or the target holds entries and ``replace``
            is false.
        EntryNotFound: when either database has no account with the athlete's id.
        BackupInvalid: when a row of the source breaks a rule of the database.
        DatabaseError: when either database cannot be opened.
        WriteFailed: when the target cannot be written or did not end up holding every row (nothing is written).
    """
    if shown(source_url) == shown(target_url) and source_athlete == target_athlete:
        raise RestoreRefused(f"{shown(source_url)} is both the source and the target: give two databases.")
    source = Store(source_url, create=False)
    try:
        payload = backup.export_backup(source.for_athlete(source_athlete))
    finally:
        source.dispose()
    checked = backup.read_backup(payload, name=f"the log in {shown(source_url)}")
    target = Store(target_url)
    try:
        restored = backup.restore_backup(target.for_athlete(target_athlete), checked, replace=replace, empty_ok=True)
    finally:
        target.dispose()
    rows = {name: len(table_rows) for name, table_rows in checked.rows.items()}
    return Copied(rows, checked.counts, restored)
