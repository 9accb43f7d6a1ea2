"""What a physio report holds, as plain data: sections of sentences, tables of text and charts as Vega-Lite specs.

Nothing here is drawn: :mod:`kneelog.report.pdf` and :mod:`kneelog.report.html` lay the same :class:`Report` out as a
PDF and as a web page. Every cell is already text, so the two formats print the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


def _day(day: dt.date) -> str:
    """``Mon 5 Oct 2026`` (``%-d`` is not portable: Windows' strftime lacks it)."""
    return f"{day:%a} {day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Table:
    """A table to print: its column headings and rows of text (a row per week, stretch or score)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Relative column widths (the first column is usually the week); equal when empty.
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A dashboard chart as Vega-Lite JSON (``spec``), or (``spec`` None) the ``empty`` message to print instead."""

    title: str
    spec: dict[str, Any] | None
    empty: str = ""
    caption: str = ""


@dataclass(frozen=True)
class Section:
    """One part of the report: a heading, then sentences, tables and charts in that order, then small ``notes``.

    ``sentences`` are kneelog's own words and may mark a lead-in bold with ``**…**``; ``lines`` are the runner's own
    text (their notes), printed as it is, never read as markup.
    """

    heading: str
    sentences: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    lines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """A physio report: who and when, then its sections in order, and the disclaimer.

    ``empty`` is the sentence printed on the first page when the period holds no entry (then ``sections`` holds only
    the flags and notes parts, both saying there is nothing); ``held`` says which of the period's days hold data.
    """

    title: str
    name: str
    start: dt.date
    end: dt.date
    made: dt.date
    unit: str
    unit_words: str
    weeks: int
    held: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    empty: str = ""
    disclaimer: str = ""

    @property
    def period(self) -> str:
        """``Mon 5 Oct 2026 to Sun 29 Nov 2026 (8 weeks)``."""
        plural = "s" if self.weeks != 1 else ""
        return f"{_day(self.start)} to {_day(self.end)} ({self.weeks} week{plural})"

    def file_name(self, extension: str) -> str:
        """``kneelog-report-2026-10-05-to-2026-11-29.pdf``: a name a download can use (no user text in it)."""
        return f"kneelog-report-{self.start:%Y-%m-%d}-to-{self.end:%Y-%m-%d}.{extension}"
