"""``kneelog report``: the physio report for the last weeks or a chosen range, as a PDF or a web page."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from kneelog import clock
from kneelog.cli import add_db_option
from kneelog.errors import WriteFailed
from kneelog.report import DEFAULT_WEEKS, build, last_weeks, source, to_html, to_pdf
from kneelog.store import Store

#: The most weeks one report covers (ten years).
MAX_WEEKS = 522


def weeks(text: str) -> int:
    """``--weeks``: a whole number of weeks from 1 to :data:`MAX_WEEKS`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of weeks") from None
    if not 1 <= value <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(f"a report covers 1 to {MAX_WEEKS} weeks, not {value}")
    return value


def day(text: str) -> dt.date:
    """``--from``/``--to``: a date as YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD (such as 2026-10-05)") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="the physio report (summary, load, adherence, findings, flags, notes) as a PDF or a web page",
    )
    add_db_option(parser)
    period = parser.add_mutually_exclusive_group()
    period.add_argument(
        "--weeks", type=weeks, help=f"the last N weeks up to your latest entry (default {DEFAULT_WEEKS})"
    )
    period.add_argument("--from", dest="start", type=day, metavar="DATE", help="first day (its week is included)")
    parser.add_argument("--to", dest="end", type=day, metavar="DATE", help="last day with --from (default today)")
    parser.add_argument("--name", help="the athlete's name on the report (default: the name in Settings)")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="where to write the report")
    parser.add_argument("--format", choices=["pdf", "html"], default="pdf", help="pdf (default) or html")
    parser.set_defaults(handler=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    store = Store(args.db)
    sources = source.read(store)
    today = clock.local_today(sources.settings.timezone)
    if args.end is not None and args.start is None:
        args.parser.error("--to needs --from")
    if args.start is not None:
        start, end = args.start, args.end or today
        if end < start:
            args.parser.error(f"--to ({end}) is before --from ({start})")
    else:
        start, end = last_weeks(sources.frames, today, args.weeks or DEFAULT_WEEKS)
    report = build(sources.frames, sources.settings, start, end, today=today, name=args.name, scores=sources.scores)
    content = to_pdf(report) if args.format == "pdf" else to_html(report).encode("utf-8")
    try:
        args.output.write_bytes(content)
    except OSError as e:
        raise WriteFailed(f"The report could not be written to {args.output}: {e.strerror or e}.") from e
    print(f"Wrote the report for {report.period} to {args.output}")
    return 0
