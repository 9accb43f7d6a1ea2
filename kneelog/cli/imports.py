"""``kneelog import FILE... [--db URL] [--format NAME] [--units km|mi] [--dry-run] [--json]``.

Reads every file -- CSV exports, Strava and Garmin Connect export archives, FIT, GPX and TCX files (each also
gzipped) -- prints what it found and what it did, with each problem (a file inside an archive that cannot be read is
listed and the rest imported); writes everything in one transaction, or nothing when a file is refused (exit code 1).
There is no size limit: an archive is read from disk one file at a time.
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
        help="import training exports (Strava, Garmin Connect, TrainingPeaks, intervals.icu, Apple Health), export "
        "archives and FIT, GPX or TCX files",
        description="Import activity exports: CSV files, a Strava bulk export or Garmin Connect export as downloaded "
        "(.zip, any size), a zip of activity files, or .fit, .gpx and .tcx files (also .gz). Runs and gym sessions "
        "are added; activities already in the log are skipped, so importing a file again adds nothing. Nothing is "
        "written when a file is refused.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="exports, archives or activity files to import")
    add_db_option(parser)
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="a CSV export's format (default: detect it; archives and FIT, GPX and TCX files are always detected)",
    )
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
