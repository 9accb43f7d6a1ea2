"""``kneelog demo``: fill a database with the demo athlete."""

from __future__ import annotations

import argparse

from kneelog.cli import add_db_option
from kneelog.demo import load_demo
from kneelog.store import Store
from kneelog.store.location import shown

#: The demo needs a week to show a week; ten years is more than any page shows at once.
MIN_DAYS, MAX_DAYS = 7, 3653


def days(text: str) -> int:
    """``--days``: a whole number of days from :data:`MIN_DAYS` to :data:`MAX_DAYS`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not MIN_DAYS <= value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(
            f"the demo needs {MIN_DAYS} to {MAX_DAYS:,} days (a week to ten years), not {value:,}"
        )
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="fill an empty database with a year of a synthetic runner (fixed seed)")
    add_db_option(parser)
    parser.add_argument(
        "--days", type=days, default=365, help=f"days of history, {MIN_DAYS} to {MAX_DAYS:,} (default 365, a year)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = Store(args.db)
    added = load_demo(store, days=args.days)
    print(f"Added the demo athlete: {added} entries over {args.days} days to {shown(store.url)}")
    return 0
