"""From the bytes of an uploaded file to a table of strings: encoding, delimiter, header and rows.

Exports come in UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text", tab-separated) and
Latin-1 / Windows-1252; separated by commas, semicolons (Excel in European locales) or tabs; with CRLF or LF line
ends; and with quoted values that hold commas and line breaks. Parsing is left to the :mod:`csv` module (to check
the shape of every row, with exact row numbers) and to :func:`pandas.read_csv` (to read the columns an importer
needs, fast). Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kneelog.errors import FileEmpty, FileMalformed, FileNotText

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


@dataclass(frozen=True)
class Text:
    """A file decoded to text, with the encoding it was read in."""

    file: str
    text: str
    encoding: str


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


def decode(file: str, data: bytes) -> Text:
    """Decode a file's bytes, trying the byte-order mark, UTF-16 without one, UTF-8, then Windows-1252/Latin-1.

    Raises:
        FileEmpty: when the file holds nothing but white space.
        FileNotText: when it is binary (an archive, an image, random bytes) or its UTF-16 is broken.
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
        text = _strict(file, data[3:], "utf-8", encoding)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(file, data, "utf-16", "UTF-16"), "UTF-16"
    elif b"\x00" in data[:4096] and (guess := _utf16_without_bom(data)):
        text, encoding = _strict(file, data, guess, "UTF-16"), "UTF-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "Latin-1"
    control = _CONTROL.search(text)
    if control is not None:
        raise FileNotText(
            file,
            f"the file is not a text table: it holds binary data (character {control.start() + 1})",
            "Upload the CSV export itself, not a spreadsheet, archive or activity recording.",
        )
    return Text(file, text, encoding)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _strict(file: str, data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise FileNotText(
            file, f"the file says it is {label} but byte {e.start + 1} cannot be read as {label}", _EXPORT_AGAIN
        ) from e


def header_of(text: Text) -> Header:
    """Find the header row and the delimiter (the one that splits the header into the most cells).

    An Excel ``sep=;`` first line is honoured. Blank lines before the header are skipped.

    Raises:
        FileEmpty: when there is no header.
        FileMalformed: when the header cannot be split into columns or names a column twice in a way no export does.
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
    best: tuple[str, list[str]] | None = None
    for delimiter in candidates:
        try:
            cells = next(csv.reader([line], delimiter=delimiter, strict=True))
        except csv.Error:
            continue
        if best is None or len(cells) > len(best[1]):
            best = (delimiter, cells)
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
            io.StringIO(body, newline=""),
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
    return Table(text.file, header, frame, text.encoding)


def _row_widths(file: str, body: str, header: Header) -> np.ndarray:
    """How many values each record has (0 for a blank line), header first."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=header.delimiter, strict=True)
    widths: list[int] = []
    try:
        widths.extend(len(record) for record in reader)
    except csv.Error as e:
        row = header.row + len(widths)
        raise FileMalformed(
            file,
            "the file ends inside a quoted value: it looks cut off"
            if "end of data" in str(e)
            else f"a quote is not closed properly ({e})",
            _EXPORT_AGAIN,
            row=row,
        ) from e
    return np.asarray(widths, dtype=np.int64)


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
