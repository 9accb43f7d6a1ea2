"""Importers of training exports: each platform's file in, one canonical frame out.

:func:`parse` reads a file's bytes, finds its format from the header (never from column positions), and returns a
:class:`~kneelog.importers.canonical.Parsed`: the canonical frame of runs and gym sessions, the entries to store,
what was left out by type, and what was rejected and why. Nothing here touches the database;
:mod:`~kneelog.importers.session` does that. One module per platform declares its alias table and its rules:
:mod:`~kneelog.importers.strava`, :mod:`~kneelog.importers.garmin`, :mod:`~kneelog.importers.trainingpeaks`,
:mod:`~kneelog.importers.intervals`, :mod:`~kneelog.importers.applehealth`, and :mod:`~kneelog.importers.mapping`
for any other CSV.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kneelog import clock
from kneelog.errors import FormatMismatch, FormatUnknown, HeaderAmbiguous
from kneelog.importers import applehealth, garmin, intervals, reading, strava, trainingpeaks
from kneelog.importers.aliases import Format, Found, find, header_keys, language_of, normalise
from kneelog.importers.canonical import Parsed, parse_table
from kneelog.importers.mapping import ColumnMapping, format_for, header_key
from kneelog.importers.values import Context
from kneelog.models import Unit

__all__ = ["FORMATS", "ColumnMapping", "Parsed", "detect", "header_key", "parse", "read_header"]

#: Every known export format by its ``--format`` name, in the order detection prefers on a tie.
FORMATS: dict[str, Format] = {
    f.name: f for f in (strava.FORMAT, garmin.FORMAT, trainingpeaks.FORMAT, intervals.FORMAT, applehealth.FORMAT)
}


#: Exports that are not activity lists, by a column only they have: what they are, and what to upload instead.
NOT_ACTIVITIES = {
    "avg bedtime": ("Garmin Connect's sleep report (Sleep.csv)", garmin.FORMAT.how_to_export),
    "avg wake time": ("Garmin Connect's sleep report (Sleep.csv)", garmin.FORMAT.how_to_export),
}


def detect(header: Sequence[str]) -> tuple[Format, dict[str, Found]] | None:
    """The known format whose required columns are all in ``header`` and which recognises most of its columns."""
    fits = [(fmt, found) for fmt in FORMATS.values() if (found := fmt.fits(header)) is not None]
    if not fits:
        return None
    return max(fits, key=lambda pair: len(pair[1]) / len(pair[0].columns))


def read_header(file: str, data: bytes) -> tuple[str, ...]:
    """The header cells of a file (for the column-mapping form).

    Raises:
        FileEmpty, FileNotText, FileMalformed: when the file has no readable header.
    """
    return reading.header_of(reading.decode(file, data)).cells


def parse(
    file: str,
    data: bytes,
    *,
    timezone: str = "UTC",
    format: str | None = None,
    units: Unit | None = None,
    mapping: ColumnMapping | None = None,
    today: dt.date | None = None,
) -> Parsed:
    """Read one export into the canonical frame.

    Args:
        file: the file's name, for messages.
        data: its bytes, as uploaded.
        timezone: the runner's zone: times become local before a date is taken.
        format: a name from :data:`FORMATS` to use instead of detecting one.
        units: ``km`` or ``mi`` for distances the file gives without a unit (Garmin), when the runner has said.
        mapping: read the file by this column mapping (any CSV).
        today: the runner's today (default: :func:`kneelog.clock.local_today` in ``timezone``); activities after it
            are refused as in the future.

    Raises:
        FileRejected: (a subclass of it) when the file cannot be imported; the message names file, row, column,
            value and what to do. ``FormatUnknown`` carries the header, for a mapping form.
    """
    text = reading.decode(file, data)
    header = reading.header_of(text)
    if mapping is not None:
        fmt = format_for(mapping)
        found = fmt.fits(header.cells)
        if found is None:
            present = header_keys(header.cells)
            missing = [c for c in mapping.columns() if normalise(c) not in present]
            raise FormatMismatch(
                file,
                f"the column mapping names columns this file does not have: {', '.join(missing)}",
                "Map this file's columns again.",
            )
    elif format is not None:
        fmt = FORMATS[format]
        found = fmt.fits(header.cells)
        if found is None:
            present = find(fmt.columns, header.cells)
            absent = [
                " / ".join(dict.fromkeys(v for variants in c.headers.values() for v in variants))
                for c in fmt.required
                if c.name not in present
            ]
            raise FormatMismatch(
                file,
                f"this does not look like a {fmt.label}: it has no column {'; no column '.join(absent)}",
                "Let kneelog detect the format, or choose the one that made the file.",
            )
    else:
        detected = detect(header.cells)
        other = next((what for column, what in NOT_ACTIVITIES.items() if column in header_keys(header.cells)), None)
        if detected is None and other is not None:
            raise FormatUnknown(  # no header given: mapping its columns would not make it a list of activities
                file,
                (),
                f"this is {other[0]}, not a list of activities",
                f"Upload the activities export instead: {other[1]}",
            )
        if detected is None:
            raise FormatUnknown(
                file,
                header.cells,
                f"kneelog does not recognise these columns ({_preview(header.cells)}) as an export of Strava, "
                "Garmin Connect, TrainingPeaks, intervals.icu or Apple Health",
                "Map the columns once on the Import page; kneelog remembers the mapping for files with the same "
                "columns.",
            )
        fmt, found = detected
    twice = fmt.ambiguous(header.cells, found)
    if twice is not None:
        count = sum(normalise(c) == normalise(twice) for c in header.cells)
        raise HeaderAmbiguous(
            file,
            f"the header names this column {'twice' if count == 2 else f'{count} times'}, and kneelog cannot tell "
            "which one to read",
            "Delete or rename the extra columns so the name appears once, or export the file again.",
            row=header.row,
            column=twice,
        )
    table = reading.read_columns(text, header, [f.position for f in found.values()])
    ctx = Context(file=file, timezone=timezone, today=today or clock.local_today(timezone), units=units)
    return parse_table(fmt, found, table, ctx, language_of(found))


def _preview(cells: Sequence[str], most: int = 6) -> str:
    shown = ", ".join(cells[:most])
    return shown + (f", … ({len(cells)} columns)" if len(cells) > most else "")
