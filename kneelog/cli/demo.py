"""``kneelog demo``: fill a database with the demo athlete."""

from __future__ import annotations

import argparse

from kneelog.cli import add_db_option
from kneelog.demo import load_demo
from kneelog.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="fill an empty database with a year of a synthetic runner (fixed seed)")
    add_db_option(parser)
    parser.add_argument("--days", type=int, default=365, help="days of history (default 365, a year)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = Store(args.db)
    added = load_demo(store, days=args.days)
    print(f"Added the demo athlete: {added} entries over {args.days} days to {store.url}")
    return 0
