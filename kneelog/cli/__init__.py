"""The ``kneelog`` command line: a thin wrapper, one module per command.

Each module named in :data:`COMMANDS` defines ``register(subparsers)``, which adds its sub-parser and sets
``handler(args) -> int`` as its default. ``main`` turns kneelog's own errors into a message on stderr and exit code 1;
anything else is a bug and propagates.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kneelog.errors import KneelogError
from kneelog.store.location import ENV_VAR, locate, shown, user_db_path

#: Command modules in kneelog/cli/, in the order ``--help`` lists them.
COMMANDS = ["demo", "backup", "copy", "weekly", "report", "imports"]


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """The ``--db URL`` option every command that touches the database takes."""
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help=(
            f"SQLAlchemy database URL (default: ${ENV_VAR}; else data/kneelog.db in the source checkout, if an "
            f"earlier kneelog left one there; else {user_db_path()}, in your data folder; now: {shown(locate().url)})"
        ),
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser with every command registered."""
    parser = argparse.ArgumentParser(prog="kneelog", description="kneelog: a training log for runner's knee.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"kneelog.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KneelogError as e:
        print(f"kneelog: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
