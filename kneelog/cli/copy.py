"""``kneelog copy``: a whole log from one database into another (e.g. a local SQLite file into a PostgreSQL server)."""

from __future__ import annotations

import argparse

from kneelog.store.backup import describe_counts
from kneelog.store.location import shown
from kneelog.store.tables import LOCAL_ATHLETE
from kneelog.store.transfer import copy_log


def register(subparsers: argparse._SubParsersAction) -> None:
    copy = subparsers.add_parser(
        "copy",
        help="copy a whole log (entries, settings, column mappings) into another database, all or nothing",
        description=(
            "Copy a whole log into another database, all or nothing, with the rows of every table counted before it "
            "is kept: for example from sqlite:///path/to/kneelog.db to "
            "postgresql+psycopg://user:password@host/kneelog. The source is only read."
        ),
    )
    copy.add_argument("--from", dest="source", metavar="URL", required=True, help="the database to copy")
    copy.add_argument("--to", dest="target", metavar="URL", required=True, help="the database to copy into")
    copy.add_argument(
        "--replace",
        action="store_true",
        help="wipe the entries already in the target first (they are saved to a safety copy beforehand)",
    )
    for end, whose in (("from", "copy"), ("to", "copy into")):
        copy.add_argument(
            f"--{end}-athlete",
            type=int,
            default=LOCAL_ATHLETE,
            metavar="ID",
            help=f"the account id of the athlete whose log to {whose}, on a clinic server (default "
            f"{LOCAL_ATHLETE}: the one log of a single-user database)",
        )
    copy.set_defaults(handler=run_copy)


def run_copy(args: argparse.Namespace) -> int:
    copied = copy_log(
        args.source, args.target, replace=args.replace, source_athlete=args.from_athlete, target_athlete=args.to_athlete
    )
    if copied.restored.safety_copy is not None:
        print(f"Saved what was in {shown(args.target)} before to {copied.restored.safety_copy}")
    tables = ", ".join(f"{name} {n:,}" for name, n in copied.rows.items())
    print(f"Copied {describe_counts(copied.counts)} from {shown(args.source)} to {shown(args.target)}")
    print(f"Rows checked in every table: {tables}")
    return 0
