"""From the bytes of an uploaded file to a table of strings: encoding, delimiter, header and rows.

Exports come in UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text", tab-separated) and
Latin-1 / Windows-1252 (a file mixing UTF-8 and Windows-1252 lines is read line by line, with a warning);
separated by commas, semicolons (Excel in European locales) or tabs; with CRLF or LF line ends; and with quoted
values that hold commas and line breaks. Parsing is left to the :mod:`csv` module (to check
the shape of every row, with exact row numbers) and to :func:`pandas.read_csv` (to read the columns an importer
needs, fast). Rows are numbered as a spreadsheet shows them: the header is row 1. No cell may hold more than a
note may (:data:`kneelog.limits.MAX_NOTES_CHARS`): a longer one refuses the file, naming its row and size.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NoReturn

import numpy as np
import pandas as pd

from kneelog import limits
from kneelog.errors import CellTooLong, FileEmpty, FileMalformed, FileNotText

#: Separators tried on the header line, most likely first.
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

#: File signatures of things runners upload by mistake, with what to do instead.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (
        b"PK\x03\x04",
        "is a ZIP archive or an Excel workbook, not a CSV file",
        "Unzip a Strava bulk export and upload activities.csv from inside it; save an Excel sheet as CSV.",
    ),
    (b"\x1f\x8b", "is a compressed (gzip) file", "Decompress it and upload the CSV file inside."),
    (b"%PDF", "is a PDF document", "Export your activities as CSV from the platform's website."),
    (b"\x89PNG", "is a PNG image", "Export your activities as CSV from the platform's website."),
    (b"\xff\xd8\xff", "is a JPEG image", "Export your activities as CSV from the platform's website."),
    (b"SQLite format 3\x00", "is a database file", "Export your activities as CSV from the platform's website."),
)
_FIT = (
    "is a FIT activity file (one recording)",
    "kneelog imports the list of activities: export it as CSV (Garmin Connect: Activities > Export CSV).",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEP_HINT = re.compile(r"\Asep=(.)\r?\n", re.IGNORECASE)
_EXPORT_AGAIN = "Export the file again from the platform and upload the new copy."
_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")
#: Lines of a mixed-encoding file named in its warning, at most.
_LINES_NAMED = 5


@dataclass(frozen=True)
class Text:
    """A file decoded to text, with the encoding it was read in and what the runner should check about it."""

    file: str
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Header:
    """The header row of a table: its cells, the delimiter, and where the table starts in the text."""

    cells: tuple[str, ...]
    delimiter: str
    start: int  # offset in the text where the header row begins
    row: int  # the header's row number (1, or 2 after an Excel ``sep=;`` line)


@dataclass(frozen=True)
class Table:
    """The columns an importer asked for, as strings ('' where empty), indexed by each row's number in the file."""

    file: str
    header: Header
    data: pd.DataFrame  # columns are header positions; the index is the spreadsheet row (the header is row 1)
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(file: str, data: bytes) -> Text:
    """Decode a file's bytes, trying the byte-order mark, UTF-16 without one, UTF-8, then line by line: UTF-8 where
    a line reads so, else Windows-1252 (Latin-1 for the bytes it leaves undefined).

    A file in one legacy encoding reads as it always did. A file mixing UTF-8 and Windows-1252 lines (an export
    with lines pasted from an older file) keeps its UTF-8 accents ("Läufchen", never "LÃ¤ufchen"), and the lines
    read the other way are named in a warning (:attr:`Text.warnings`).

    Raises:
        FileEmpty: when the file holds nothing but white space.
        FileNotText: when it is binary (an archive, an image, random bytes), or its byte-order mark names an
            encoding a line of it is not in (the message names the line).
    """
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8 + codecs.BOM_UTF16_LE + codecs.BOM_UTF16_BE):
        raise FileEmpty(file, "the file is empty", _EXPORT_AGAIN)
    for signature, problem, fix in _SIGNATURES:
        if data.startswith(signature):
            raise FileNotText(file, f"the file {problem}", fix)
    if data[8:12] == b".FIT":
        raise FileNotText(file, f"the file {_FIT[0]}", _FIT[1])
    if data.startswith(codecs.BOM_UTF8):
        encoding = "UTF-8 (with byte-order mark)"
        text = _strict(file, data[3:], "utf-8", "UTF-8", skipped=3)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(file, data, "utf-16", "UTF-16"), "UTF-16"
    elif b"\x00" in data[:4096] and (guess := _utf16_without_bom(data)):
        text, encoding = _strict(file, data, guess, "UTF-16"), "UTF-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            return _checked(file, *_line_by_line(data))
    return _checked(file, text, encoding)


def _checked(file: str, text: str, encoding: str, warnings: tuple[str, ...] = ()) -> Text:
    control = _CONTROL.search(text)
    if control is not None:
        raise FileNotText(
            file,
            f"the file is not a text table: it holds binary data (character {control.start() + 1})",
            "Upload the CSV export itself, not a spreadsheet, archive or activity recording.",
        )
    return Text(file, text, encoding, warnings)


def _line_by_line(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Text, encoding and warnings of a file that is not all UTF-8 (see :func:`decode`)."""
    lines = data.split(b"\n")  # a line feed byte is never part of a UTF-8 or Windows-1252 character
    legacy: list[int] = []
    utf8 = latin1 = False
    for number, line in enumerate(lines):
        if line.isascii():
            lines[number] = line.decode("ascii")
            continue
        try:
            lines[number], utf8 = line.decode("utf-8"), True
        except UnicodeDecodeError:
            legacy.append(number + 1)
            try:
                lines[number] = line.decode("cp1252")
            except UnicodeDecodeError:
                lines[number], latin1 = line.decode("latin-1"), True
    text, other = "\n".join(lines), "Latin-1" if latin1 else "Windows-1252"
    if not utf8:
        return text, other, ()
    named = ", ".join(f"{n:,}" for n in legacy[:_LINES_NAMED])
    more = f" and {len(legacy) - _LINES_NAMED:,} more" if len(legacy) > _LINES_NAMED else ""
    lines_named = f"line{'s' if len(legacy) > 1 else ''} {named}{more}"
    warning = (
        f"the file mixes two text encodings: {lines_named} {'are' if len(legacy) > 1 else 'is'} not UTF-8 like the "
        f"rest, and kneelog read {'them' if len(legacy) > 1 else 'it'} as {other}. Check the names and notes on "
        f"{'those lines' if len(legacy) > 1 else 'that line'}; if they look wrong, save the file as CSV UTF-8 and "
        "import it again"
    )
    return text, f"UTF-8, with {lines_named} in {other}", (warning,)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _strict(file: str, data: bytes, codec: str, label: str, skipped: int = 0) -> str:
    """``data`` decoded, or a refusal naming the first byte (counted in the file, after ``skipped`` bytes of a
    byte-order mark) and, in UTF-8, its line."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        lines = data.count(b"\n", 0, e.start) + 1
        line = "" if label == "UTF-16" else f" (line {lines:,})"
        raise FileNotText(
            file,
            f"the file says it is {label} but byte {skipped + e.start + 1:,}{line} cannot be read as {label}",
            "Save the file as CSV UTF-8 again, or export it again from the platform and upload the new copy.",
        ) from e


def header_of(text: Text) -> Header:
    """Find the header row and the delimiter (the one that splits the header into the most cells).

    An Excel ``sep=;`` first line is honoured. Blank lines before the header are skipped.

    Raises:
        FileEmpty: when there is no header.
        FileMalformed: when the header cannot be split into columns.
        CellTooLong: when a header cell is longer than a note may be.
    """
    body, row, start = text.text, 1, 0
    hint = _SEP_HINT.match(body)
    if hint:
        start, row = hint.end(), 2
    while start < len(body) and body[start] in "\r\n":
        row += body[start] == "\n"
        start += 1
    line = body[start:].split("\n", 1)[0].rstrip("\r")
    if not line.strip():
        raise FileEmpty(text.file, "the file has no header row", _EXPORT_AGAIN)
    candidates = (hint.group(1),) if hint else DELIMITERS
    limits.allow_csv_cells()
    best: tuple[str, list[str]] | None = None
    too_long: str | None = None  # a delimiter that splits the line into a cell longer than the csv module reads
    for delimiter in candidates:
        try:
            cells = next(csv.reader([line], delimiter=delimiter, strict=True))
        except csv.Error as e:
            if too_long is None and "field larger than field limit" in str(e):
                too_long = delimiter
            continue
        if best is None or len(cells) > len(best[1]):
            best = (delimiter, cells)
    if (best is None or len(best[1]) < 2) and too_long is not None:
        _refuse_long_cell(text.file, line, Header((), too_long, start, row), 0)
    if best is None or len(best[1]) < 2:
        raise FileMalformed(
            text.file,
            "the first line is not a header of columns (no commas, semicolons or tabs)",
            "Upload the CSV export of your activities.",
            row=row,
            value=line,
        )
    return Header(tuple(c.strip().lstrip("\ufeff") for c in best[1]), best[0], start, row)


def read_columns(text: Text, header: Header, positions: Sequence[int]) -> Table:
    """Read the columns at ``positions`` (header positions) of every data row, as strings.

    Every row is first checked to have as many values as the header, so a file cut off mid-row, or a value with
    an unquoted delimiter, is refused with its row number instead of shifting values into the wrong columns.

    Raises:
        FileEmpty: when the file has a header and no rows.
        FileMalformed: when a row has too few or too many values, or a quote is never closed.
        CellTooLong: when a cell holds more than :data:`kneelog.limits.MAX_NOTES_CHARS` characters.
    """
    body = text.text[header.start :]
    widths = _row_widths(text.file, body, header)
    data_rows = np.flatnonzero(widths[1:] > 0) + 1  # record index (0 = header) of each non-blank data row
    if data_rows.size == 0:
        raise FileEmpty(text.file, "the file has a header but no activities", "Export a date range that has some.")
    width = len(header.cells)
    wrong = data_rows[widths[data_rows] != width]
    if wrong.size:
        _refuse_row(text.file, header, int(wrong[0]), int(widths[wrong[0]]), last=int(wrong[0]) == data_rows[-1])
    try:
        frame = pd.read_csv(
            io.BytesIO(body.encode("utf-8")),  # a StringIO would hold the text again at 4 bytes a character
            encoding="utf-8",
            sep=header.delimiter,
            header=None,
            skiprows=1,
            usecols=sorted(set(positions)),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as e:  # the csv pass above accepted it; pandas' reason is shown
        raise FileMalformed(text.file, f"the file cannot be read as a table ({e})", _EXPORT_AGAIN) from e
    if len(frame) != data_rows.size:
        raise FileMalformed(
            text.file,
            f"the file's rows could not be told apart ({len(frame)} read, {data_rows.size} expected)",
            "Check that quotes in names are doubled, or export the file again.",
        )
    frame.index = pd.Index(data_rows + header.row, name="row")
    _refuse_long_cells(text.file, header, frame)
    return Table(text.file, header, frame, text.encoding, text.warnings)


def _refuse_long_cells(file: str, header: Header, frame: pd.DataFrame) -> None:
    """Refuse the first row (then column) whose cell is longer than a note may be."""
    first: tuple[int, int, int] | None = None
    for position in frame.columns:
        lengths = frame[position].str.len()
        over = lengths.index[lengths.gt(limits.MAX_NOTES_CHARS).to_numpy(dtype=bool)]
        if over.size and (first is None or over[0] < first[0]):
            first = (int(over[0]), position, int(lengths[over[0]]))
    if first is not None:
        row, position, chars = first
        _too_long(file, header, row, position, chars, frame.at[row, position])


def _too_long(file: str, header: Header, row: int, position: int, chars: int, value: str) -> NoReturn:
    raise CellTooLong(
        file,
        f"the cell {limits.too_long(chars)} characters in a note",
        "Shorten that cell (or delete its column), or export the file again.",
        row=row,
        column=header.cells[position] if position < len(header.cells) else None,
        value=value[:60],
    )


def _row_widths(file: str, body: str, header: Header) -> np.ndarray:
    """How many values each record has (0 for a blank line), header first.

    Raises:
        CellTooLong: when a cell is longer than the csv module reads (:data:`kneelog.limits.CSV_CELL_CHARS`).
        FileMalformed: when a quote is never closed, or the file ends inside one.
    """
    limits.allow_csv_cells()
    reader = csv.reader(_lines(body), delimiter=header.delimiter, strict=True)
    widths: list[int] = []
    try:
        widths.extend(len(record) for record in reader)
    except csv.Error as e:
        row = header.row + len(widths)
        if "end of data" in str(e):
            problem = "the file ends inside a quoted value: it looks cut off"
        elif "field larger than field limit" in str(e):
            _refuse_long_cell(file, body, header, len(widths))
            problem = "a quote is not closed: the quoted value runs on past the end of its row"
        else:
            problem = f"a quote is not closed properly ({e})"
        raise FileMalformed(file, problem, _EXPORT_AGAIN, row=row) from e
    return np.asarray(widths, dtype=np.int64)


def _lines(body: str) -> Iterator[str]:
    """The lines of ``body`` with their ends, split as a file opened with ``newline=""`` splits them (at ``\\n``,
    ``\\r\\n`` and ``\\r``), one at a time: an ``io.StringIO`` would hold the text again at 4 bytes a character."""
    return (line.group() for line in _LINE.finditer(body))


def _refuse_long_cell(file: str, body: str, header: Header, record: int) -> None:
    """Refuse the file naming the over-long cell of ``record`` (0 = the header) and its size, when the record
    has one; return when the csv module stopped at a quote that is never closed instead."""
    reader = csv.reader(_lines(body), delimiter=header.delimiter, strict=True)
    for _ in range(record):
        next(reader)
    at = sum(len(line) for _, line in zip(range(reader.line_num), _lines(body), strict=False))
    column = 0
    while True:
        quoted = _QUOTED.match(body, at) if body.startswith('"', at) else None
        if body.startswith('"', at) and quoted is None:
            return  # a quote never closed
        if quoted is not None:
            cell = quoted.group()[1:-1]
            chars, at = len(cell) - cell.count('""'), quoted.end()
        else:
            end = re.compile(f"[^{re.escape(header.delimiter)}\r\n]*").match(body, at).end()
            cell, chars, at = body[at:end], end - at, end
        if chars > limits.MAX_NOTES_CHARS:
            _too_long(file, header, header.row + record, column, chars, cell)
        if not body.startswith(header.delimiter, at):
            return  # the record ends (or a closing quote is not followed by a delimiter) with no long cell
        at, column = at + 1, column + 1


def _refuse_row(file: str, header: Header, record: int, got: int, *, last: bool) -> None:
    width = len(header.cells)
    row = header.row + record
    if got < width and last:
        raise FileMalformed(
            file,
            f"the last row stops after {got} of {width} columns: the file looks cut off",
            _EXPORT_AGAIN,
            row=row,
            column=header.cells[got - 1] if got else None,
        )
    if got < width:
        raise FileMalformed(
            file,
            f"the row has {got} values but the header has {width} columns",
            "Export the file again; if you edited it, check that the row was not split over two lines.",
            row=row,
        )
    name = DELIMITER_NAMES[header.delimiter]
    raise FileMalformed(
        file,
        f"the row has {got} values but the header has {width} columns",
        f"A value holding a {name} must be in double quotes; export the file again or fix that row.",
        row=row,
    )
