"""``kneelog export`` and ``kneelog restore``: all data to one backup zip, and back."""

from __future__ import annotations

import argparse
import datetime as dt

from kneelog import clock
from kneelog.cli import add_db_option
from kneelog.store import Store, default_url
from kneelog.store.backup import backup_filename, describe_counts, restore, write_backup, write_salvage
from kneelog.store.location import shown


def register(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser("export", help="write every entry and setting to one backup zip (CSV files)")
    add_db_option(export)
    export.add_argument(
        "-o", "--output", metavar="FILE", default=None, help="where to write the zip (default: kneelog-backup-DATE.zip)"
    )
    export.add_argument(
        "--salvage",
        action="store_true",
        help="the database is damaged: save every row that can still be read, and say what could not be",
    )
    export.set_defaults(handler=run_export)

    back = subparsers.add_parser("restore", help="bring back a backup zip made by `kneelog export` or the app")
    back.add_argument("file", metavar="FILE", help="the backup zip")
    add_db_option(back)
    back.add_argument(
        "--replace",
        action="store_true",
        help="wipe every entry and setting already in the database first (they are saved to a safety copy beside it)",
    )
    back.add_argument("--yes", action="store_true", help="go ahead when the backup holds no entries but the log does")
    back.set_defaults(handler=run_restore)


def run_export(args: argparse.Namespace) -> int:
    url = args.db or default_url()
    if args.salvage:
        path = args.output or backup_filename(dt.date.today(), "salvage")  # the settings may be lost: the machine's day
        salvaged = write_salvage(url, path)
        print(f"{salvaged.describe()} Wrote it from {url} to {path}")
        return 0
    store = Store(url, create=False)
    path = args.output or backup_filename(clock.local_today(store.settings().timezone))
    counts = write_backup(store, path)
    print(f"Wrote {describe_counts(counts)} from {shown(store.url)} to {path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    store = Store(args.db)
    restored = restore(store, args.file, replace=args.replace, empty_ok=args.yes)
    if restored.safety_copy is not None:
        print(f"Saved what was in the database before to {restored.safety_copy}")
    print(f"Restored {describe_counts(restored.counts)} from {args.file} into {shown(store.url)}")
    return 0
