"""``kneelog export`` and ``kneelog restore``: all data to one backup zip, and back."""

from __future__ import annotations

import argparse

from kneelog import clock
from kneelog.cli import add_db_option
from kneelog.store import Store
from kneelog.store.backup import backup_filename, describe_counts, restore, write_backup


def register(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser("export", help="write every entry and setting to one backup zip (CSV files)")
    add_db_option(export)
    export.add_argument(
        "-o", "--output", metavar="FILE", default=None, help="where to write the zip (default: kneelog-backup-DATE.zip)"
    )
    export.set_defaults(handler=run_export)

    back = subparsers.add_parser("restore", help="bring back a backup zip made by `kneelog export` or the app")
    back.add_argument("file", metavar="FILE", help="the backup zip")
    add_db_option(back)
    back.add_argument(
        "--replace", action="store_true", help="wipe every entry and setting already in the database first"
    )
    back.set_defaults(handler=run_restore)


def run_export(args: argparse.Namespace) -> int:
    store = Store(args.db)
    path = args.output or backup_filename(clock.local_today(store.settings().timezone))
    counts = write_backup(store, path)
    print(f"Wrote {describe_counts(counts)} from {store.url} to {path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    store = Store(args.db)
    counts = restore(store, args.file, replace=args.replace)
    print(f"Restored {describe_counts(counts)} from {args.file} into {store.url}")
    return 0
