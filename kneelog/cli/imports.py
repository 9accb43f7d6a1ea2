"""``kneelog import FILE... [--db URL] [--format NAME] [--units km|mi] [--dry-run] [--json]``.

Reads every file, prints what it found and what it did; writes everything in one transaction, or nothing when a
file is refused (exit code 1).
"""

from __future__ import annotations

import argparse
import json
import sys

from kneelog.cli import add_db_option
from kneelog.importers import FORMATS
from kneelog.importers.session import Upload, commit, preview
from kneelog.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import training exports (Strava, Garmin Connect, TrainingPeaks, intervals.icu, Apple Health)",
        description="Import activity exports. Runs and gym sessions are added; activities already in the log are "
        "skipped, so importing a file again adds nothing. Nothing is written when a file is refused.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="CSV exports to import")
    add_db_option(parser)
    parser.add_argument("--format", choices=sorted(FORMATS), help="the export's format (default: detect it)")
    parser.add_argument(
        "--units", choices=["km", "mi"], help="the distance unit, for exports that do not name it (Garmin Connect)"
    )
    parser.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = Store(args.db)
    uploads = [Upload.from_path(f, format=args.format, units=args.units) for f in args.files]
    plan = preview(store, uploads)
    summary = plan.summary() if plan.refused or args.dry_run else commit(store, plan)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary.lines(store.settings().unit)))
    for outcome in plan.refused:
        print(f"kneelog: {outcome.error}", file=sys.stderr)
    return 1 if plan.refused else 0
