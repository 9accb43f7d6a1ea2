"""Reading a file's bytes: encodings, delimiters, line ends, quoting, row numbers, and files that are not tables."""

from __future__ import annotations

import codecs
import csv
import io

import pandas as pd
import pytest

from kneelog import importers, limits
from kneelog.errors import CellTooLong, FileEmpty, FileMalformed, FileNotText, HeaderAmbiguous
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


# -- mixed encodings ------------------------------------------------------------------------------------------------

INTERVALS = "id,start_date_local,name,type,moving_time,distance,elapsed_time,description\n"


def intervals_rows(rows: list[str], header: str = INTERVALS) -> bytes:
    return (header + "".join(f"{r},\n" if header == INTERVALS else f"{r}\n" for r in rows)).encode()


def test_a_file_mixing_utf8_and_windows_1252_lines_keeps_both_accents_and_names_the_other_lines():
    data = "Titel,n\nLäufchen,1\n".encode() + "Kräftigung,2\n".encode("cp1252") + b"Knie okay,3\n"
    text = reading.decode("f.csv", data)
    assert "Läufchen" in text.text and "Kräftigung" in text.text
    assert "LÃ¤ufchen" not in text.text
    assert text.encoding == "UTF-8, with line 3 in Windows-1252"
    assert text.warnings == (
        "the file mixes two text encodings: line 3 is not UTF-8 like the rest, and kneelog read it as Windows-1252. "
        "Check the names and notes on that line; if they look wrong, save the file as CSV UTF-8 and import it again",
    )


def test_a_mixed_file_names_its_first_five_other_lines_and_counts_the_rest():
    data = "Titel,n\nLäufchen,1\n".encode() + "".join(f"Kraft{i}ä,{i}\n" for i in range(7)).encode("cp1252")
    assert (
        reading.decode("f.csv", data)
        .warnings[0]
        .startswith("the file mixes two text encodings: lines 3, 4, 5, 6, 7 and 2 more are not UTF-8 like the rest")
    )


def test_a_file_all_in_windows_1252_reads_without_a_warning():
    text = reading.decode("f.csv", "Titel,n\nKräftigung,1\nKnée,2\n".encode("cp1252"))
    assert (text.encoding, text.warnings) == ("Windows-1252", ())


def test_the_warning_of_a_mixed_file_reaches_the_parse_and_the_import_summary():
    data = intervals_rows(["1,2026-01-04T07:00:00,Läufchen,Run,1800,5000,1800"]) + (
        "2,2026-01-05T07:00:00,Kräftigung,Run,1800,5000,1800,\n".encode("cp1252")
    )
    parsed = importers.parse("mixed.csv", data, timezone="UTC")
    assert parsed.activities["name"].tolist() == ["Läufchen", "Kräftigung"]
    assert parsed.warnings and "line 3 is not UTF-8" in parsed.warnings[0]
    assert "UTF-8, with line 3 in Windows-1252" in parsed.reading_notes()


def test_a_utf8_file_with_a_byte_order_mark_and_a_latin_1_line_is_refused_naming_the_line():
    """Byte 26: 3 of the mark, 8 of the header line, 12 of 'Läufchen,1' and its line end, then 'Kr'."""
    data = codecs.BOM_UTF8 + "Titel,n\nLäufchen,1\n".encode() + "Kräftigung,2\n".encode("latin-1")
    with pytest.raises(
        FileNotText, match=r"^f\.csv: the file says it is UTF-8 but byte 26 \(line 3\) cannot be read as UTF-8\. Save"
    ):
        reading.decode("f.csv", data)


# -- long cells -----------------------------------------------------------------------------------------------------


def _with_description(chars: int, *, quoted: bool = True) -> bytes:
    """Two runs; the second (row 3) with a description of ``chars`` characters."""
    note = '"' + "k" * chars + '"' if quoted else "k" * chars
    return intervals_rows(["1,2026-01-04T07:00:00,Easy,Run,1800,5000,1800"]) + (
        f"2,2026-01-05T07:00:00,Long,Run,1800,5000,1800,{note}\n".encode()
    )


def test_a_description_as_long_as_a_note_may_be_imports_whole():
    """200,000 characters: more than Python's csv module reads by default (131,072)."""
    parsed = importers.parse("long.csv", _with_description(200_000 - len("Long\n\n")), timezone="UTC")
    assert parsed.activities["name"].str.len().tolist() == [4, 200_000]


@pytest.mark.parametrize(
    ("chars", "quoted"),
    [
        (200_001, True),  # read by the csv module (its limit is raised a little past a note), refused by length
        (200_001, False),
        (300_000, True),  # past the csv module's limit: the reader finds the cell and measures it
        (300_000, False),
    ],
)
def test_a_cell_longer_than_a_note_refuses_the_file_naming_its_row_and_size(chars, quoted):
    with pytest.raises(CellTooLong) as refused:
        importers.parse("long.csv", _with_description(chars, quoted=quoted), timezone="UTC")
    assert str(refused.value).startswith("long.csv, row 3, column 'description' (value 'kkkk") and str(
        refused.value
    ).endswith(
        f"): the cell is {chars:,} characters long; kneelog keeps at most 200,000 characters in a note. "
        "Shorten that cell (or delete its column), or export the file again."
    )


def test_a_long_cell_in_a_column_kneelog_does_not_read_still_names_its_column_position_and_size():
    header = "id,start_date_local,name,type,moving_time,distance,elapsed_time,route\n"
    data = intervals_rows(
        ["1,2026-01-04T07:00:00,Easy,Run,1800,5000,1800," + "x" * 10, "2,2026-01-05T07:00:00,Long,Run,1800,5000,1800,"
         + "x" * 250_000], header
    )  # fmt: skip
    with pytest.raises(CellTooLong, match=r"row 3, column 'route' .*: the cell is 250,000 characters long"):
        importers.parse("long.csv", data, timezone="UTC")


def test_a_quote_never_closed_is_still_called_that_in_a_long_file():
    rows = [f"{i},2026-01-04T07:00:00,Run {i},Run,1800,5000,1800" for i in range(2, 20_000)]
    data = intervals_rows(['1,2026-01-04T07:00:00,"Easy,Run,1800,5000,1800', *rows])
    with pytest.raises(FileMalformed, match=r"row 2: a quote is not closed: the quoted value runs on past the end"):
        importers.parse("open.csv", data, timezone="UTC")


def test_a_huge_header_cell_is_refused_by_its_size():
    data = b"Activity ID," + b"x" * 2**20 + b"\n1,2\n"
    with pytest.raises(CellTooLong, match=r"row 1 .*: the cell is 1,048,576 characters long"):
        reading.header_of(reading.decode("f.csv", data))


def test_reading_raises_the_csv_field_limit_to_a_note_and_never_lowers_it():
    before = csv.field_size_limit()
    try:
        csv.field_size_limit(131_072)
        limits.allow_csv_cells()
        assert csv.field_size_limit() == limits.CSV_CELL_CHARS > limits.MAX_NOTES_CHARS
        csv.field_size_limit(10**7)
        reading.read_columns(text := reading.decode("f.csv", b"a,b\n1,2\n"), reading.header_of(text), [0])
        assert csv.field_size_limit() == 10**7
    finally:
        csv.field_size_limit(before)


# -- repeated header names ------------------------------------------------------------------------------------------

STRAVA_HEAD = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Distance"
STRAVA_ROW = '1001,"Mar 2, 2024, 7:12:05 AM",Morning Run,Run,1750,5.02,5021.3'


@pytest.mark.parametrize(
    ("header", "row", "column", "times"),
    [
        (f"{STRAVA_HEAD},Distance", f"{STRAVA_ROW},9.9", "Distance", "3 times"),  # Strava writes two, not three
        (f"{STRAVA_HEAD},Activity Type", f"{STRAVA_ROW},Ride", "Activity Type", "twice"),
        (
            "id,start_date_local,name,type,moving_time,distance,elapsed_time,TYPE",
            "1,2026-01-04T07:00:00,Easy,Run,1800,5000,1800,Ride",
            "type",
            "twice",
        ),
    ],
)
def test_a_column_named_more_often_than_its_export_writes_it_is_refused_by_name(header, row, column, times):
    with pytest.raises(
        HeaderAmbiguous, match=rf"^f\.csv, row 1, column '{column}': the header names this column {times}"
    ):
        importers.parse("f.csv", f"{header}\n{row}\n".encode(), timezone="UTC")


def test_strava_two_distance_columns_are_expected_and_the_second_is_metres():
    parsed = importers.parse("f.csv", f"{STRAVA_HEAD}\n{STRAVA_ROW}\n".encode(), timezone="UTC")
    assert parsed.activities["distance_m"].tolist() == [pytest.approx(5021.3)]


def test_a_repeated_column_the_import_does_not_read_is_ignored():
    header = "id,start_date_local,name,type,moving_time,distance,elapsed_time,icu_weight,icu_weight"
    parsed = importers.parse("f.csv", f"{header}\n1,2026-01-04T07:00:00,Easy,Run,1800,5000,1800,70,71\n".encode())
    assert parsed.counts == {"run": 1, "gym": 0}


def test_a_mapped_column_named_twice_is_refused_by_name():
    data = b"date,km,time,km\n2026-01-04,5,30:00,8\n"
    mapping = importers.ColumnMapping(date="date", distance="km", duration="time")
    with pytest.raises(HeaderAmbiguous, match=r"column 'km': the header names this column twice"):
        importers.parse("f.csv", data, mapping=mapping)
