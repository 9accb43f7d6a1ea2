"""Reading a file's bytes: encodings, delimiters, line ends, quoting, row numbers, and files that are not tables."""

from __future__ import annotations

import codecs
import csv
import io

import pandas as pd
import pytest

from kneelog import importers
from kneelog.errors import FileEmpty, FileMalformed, FileNotText
from kneelog.importers import reading
from tests.import_fixtures import FIXTURES, fixture, parse_entry

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16 with BOM": lambda text: text.encode("utf-16"),
    "utf-16-le without BOM": lambda text: text.encode("utf-16-le"),
    "utf-16-be without BOM": lambda text: text.encode("utf-16-be"),
    "windows-1252": lambda text: text.encode("cp1252"),
}


def _rewrite(name: str, delimiter: str, newline: str) -> str:
    """A fixture's table written again with another delimiter and line end (values quoted where they must be)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_the_same_export_reads_alike_in_every_encoding_delimiter_and_line_end(encoding, delimiter, newline):
    """German Strava (umlauts, decimal commas, a quoted value with a comma and a line break) written every way."""
    original = parse_entry(fixture("strava_de.csv"))
    data = ENCODINGS[encoding](_rewrite("strava_de.csv", delimiter, newline))
    again = importers.parse("strava_de.csv", data)
    pd.testing.assert_frame_equal(again.activities, original.activities)
    assert again.delimiter == delimiter
    assert "Knie okay,\nTreppe danach leicht" in again.activities.loc[3, "name"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"a,b\n1,2\n", "UTF-8"),
        (codecs.BOM_UTF8 + b"a,b\n1,2\n", "UTF-8 (with byte-order mark)"),
        ("a,b\n1,2\n".encode("utf-16"), "UTF-16"),
        ("a,b\nKrafttr\u00e4ning,2\n".encode("latin-1"), "Windows-1252"),
        (b"a,b\n\x81\x8d,2\n", "Latin-1"),  # bytes Windows-1252 leaves undefined
    ],
)
def test_decode_names_the_encoding_it_used(data, encoding):
    assert reading.decode("f.csv", data).encoding == encoding


def test_latin_1_text_keeps_its_accents():
    text = reading.decode("f.csv", "Titel\nKr\u00e4ftigung Kn\u00e9\n".encode("latin-1")).text
    assert "Kräftigung Kné" in text


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_a_file_with_nothing_in_it_is_empty(data):
    with pytest.raises(FileEmpty, match=r"^f\.csv: the file is empty\. Export"):
        reading.decode("f.csv", data)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"PK\x03\x04rest of a zip", "ZIP archive"),
        (b"\x1f\x8b\x08\x00gzip", "compressed"),
        (b"%PDF-1.7", "PDF"),
        (b"\x0e\x10\x98\x08\x00\x00\x00\x00.FITrest", "FIT activity file"),
        (b"SQLite format 3\x00rest", "database"),
        (b"Activity Type,Date\nRunning,\x00\x01\x02\n", "binary data"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_with_what_it_is(data, what):
    with pytest.raises(FileNotText, match=what):
        reading.decode("f.csv", data)


def test_broken_utf16_is_refused_not_guessed():
    with pytest.raises(FileNotText, match="UTF-16 but byte"):
        reading.decode("f.csv", codecs.BOM_UTF16_LE + "a,b\n".encode("utf-16-le") + b"\x00\xd8")


def test_excel_sep_hint_sets_the_delimiter_and_counts_as_a_row():
    text = reading.decode("f.csv", b"sep=;\r\na;b,c\r\n1;2,5\r\n")
    header = reading.header_of(text)
    assert (header.cells, header.delimiter, header.row) == (("a", "b,c"), ";", 2)
    table = reading.read_columns(text, header, [0, 1])
    assert list(table.data.index) == [3]
    assert table.data.loc[3].tolist() == ["1", "2,5"]


def test_rows_are_numbered_as_a_spreadsheet_shows_them():
    """Header row 1; a value with a line break is one row; a blank line is a row of its own."""
    text = reading.decode("f.csv", b'\nname,n\n"two\nlines",1\n\nlast,2\n')
    header = reading.header_of(text)
    table = reading.read_columns(text, header, [0, 1])
    assert header.row == 2
    assert list(table.data.index) == [3, 5]
    assert table.data[0].tolist() == ["two\nlines", "last"]


def test_a_short_row_inside_the_file_is_refused_with_its_row():
    text = reading.decode("f.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n")
    with pytest.raises(FileMalformed, match=r"row 3: the row has 2 values but the header has 3 columns"):
        reading.read_columns(text, reading.header_of(text), [0])


def test_a_header_without_delimiters_is_not_a_table():
    text = reading.decode("notes.txt", b"Just some notes about my knee\nand more\n")
    with pytest.raises(FileMalformed, match=r"notes\.txt, row 1 .*not a header of columns"):
        reading.header_of(text)


def test_duplicate_header_names_are_told_apart_by_occurrence():
    keys = importers.aliases.header_keys(["Distance", "Elapsed Time", "distance ", "Distance"])
    assert keys == {"distance": 0, "elapsed time": 1, "distance#2": 2, "distance#3": 3}


@pytest.mark.parametrize(
    ("header", "normalised"),
    [
        ("Training Stress Score®", "training stress score"),
        ("ID de l’activité", "id de l'activité"),
        ("Distance (km)", "distance(km)"),
        ("\ufeffActivity  Type", "activity type"),
    ],
)
def test_headers_are_compared_without_case_spacing_marks_or_curly_apostrophes(header, normalised):
    assert importers.aliases.normalise(header) == normalised
