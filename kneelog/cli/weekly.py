"""``kneelog weekly``: print the week-by-week table (the dashboard's numbers) as CSV or JSON."""

from __future__ import annotations

import argparse
import sys

from kneelog import clock
from kneelog.analysis import weekly
from kneelog.cli import add_db_option
from kneelog.store import Store
from kneelog.stretches import load_library, routine_size


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "weekly",
        help="print the week-by-week table: distance (metres and your unit), load, gym, stretching, pain, flags",
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=["csv", "json"], default="csv", help="output format (default csv)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = Store(args.db)
    settings = store.settings()
    frames = {kind: store.frame(kind) for kind in weekly.KINDS}
    today = clock.local_today(settings.timezone)
    table = weekly.weekly_table(frames, settings, today, routine_sides=routine_size(load_library()))
    table = weekly.as_export(table, settings.unit)
    if args.format == "json":
        sys.stdout.write(table.to_json(orient="records", indent=1) + "\n")
    else:
        table.to_csv(sys.stdout, index=False, float_format="%.4f", lineterminator="\n")
    return 0
