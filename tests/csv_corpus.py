"""A corpus of broken and hostile CSV files for the importer, made on the fly (never committed as files).

:func:`corpus` maps a file name to a function that makes its bytes. Every name ends in ``.csv``, even the zip bombs
and pictures: runners upload whatever their phone calls a CSV. The files are variations of valid exports: a two-month
Strava export from :mod:`bench.athlete`, and the import fixtures in ``tests/data/imports`` (Garmin, TrainingPeaks,
intervals.icu, Apple Health, localized Strava), each broken in one way:

- truncations at many points (inside the header, a quoted value, a multi-byte character);
- encodings (UTF-16 with and without byte-order mark, UTF-32, Latin-1, EBCDIC, Shift-JIS, broken UTF-8, UTF-8
  with some lines in Windows-1252);
- delimiters (semicolons, tabs, pipes, a mix, a misleading ``sep=`` line);
- huge fields (one just over a note's limit, one past the csv module's), huge headers, very many rows and columns;
- thousands of activities on one day (with and without times of day, all alike or all different);
- wrong types in number, time, effort and id columns;
- future, impossible and oddly written dates;
- duplicated and mangled headers (a column named more often than the export writes it);
- other files renamed ``.csv`` (zip and gzip bombs, a workbook, images, PDF, executables, HTML, JSON);
- broken structure (unclosed quotes, ragged rows, odd line ends, junk before the header);
- hostile text (formulas, markup, direction overrides, control characters);
- seeded random byte mutations.

``python -m tests.csv_corpus DIR`` writes the corpus to DIR, to look at it.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import datetime as dt
import functools
import gzip
import io
import random
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from bench.athlete import athlete, strava_export
from bench.import_memory import same_day

FIXTURES = Path(__file__).resolve().parent / "data" / "imports"
END = dt.date(2026, 10, 31)
Maker = Callable[[], bytes]


@functools.cache
def strava() -> bytes:
    """A valid two-month Strava export (English, UTF-8), the seed of most variations."""
    return strava_export(athlete(60, end=END, seed=2), seed=2)


def seeds() -> dict[str, Maker]:
    """The valid files variations start from: the Strava export and every good import fixture."""
    found: dict[str, Maker] = {"strava": strava}
    for path in sorted(FIXTURES.glob("*")):
        if path.suffix in (".csv", ".txt") and not path.name.startswith(("bad_", "rows_", "custom_")):
            found[path.stem] = path.read_bytes
    return found


def _text(data: bytes) -> str:
    """A seed's text, whatever its encoding (the fixtures include UTF-16 and Windows-1252 files)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_text(data), newline="")))


def _csv(rows: list[list[str]], delimiter: str = ",", lineterminator: str = "\n") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return out.getvalue().encode("utf-8")


def _run_rows(rows: list[list[str]]) -> list[int]:
    kind = rows[0].index("Activity Type")
    return [i for i, row in enumerate(rows) if i and row[kind] == "Run"]


def _set_cell(column: str, value: str, every: bool = False, occurrence: int = 0) -> Maker:
    """The Strava seed with ``column`` (its ``occurrence``-th copy) of the first run, or of every run, set to value."""

    def make() -> bytes:
        rows = _rows(strava())
        at = [i for i, name in enumerate(rows[0]) if name == column][occurrence]
        for i in _run_rows(rows)[: None if every else 1]:
            rows[i][at] = value
        return _csv(rows)

    return make


def _edit_rows(edit: Callable[[list[list[str]]], list[list[str]]], seed: Maker = strava) -> Maker:
    return lambda: _csv(edit(_rows(seed())))


def _cut(seed: Maker, where: Callable[[bytes], int]) -> Maker:
    return lambda: seed()[: where(seed())]


def _bomb(kind: str, size: int = 64 * 2**20) -> Maker:
    """A small file that unpacks to ``size`` bytes of zeros: zip, gzip or bzip2."""

    @functools.cache
    def make() -> bytes:
        zeros = bytes(2**20)
        if kind == "zip":
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("activities.csv", "w") as member:
                for _ in range(size // len(zeros)):
                    member.write(zeros)
            return out.getvalue()
        packer = zlib.compressobj(9, zlib.DEFLATED, 31) if kind == "gzip" else bz2.BZ2Compressor(9)
        return b"".join(packer.compress(zeros) for _ in range(size // len(zeros))) + packer.flush()

    return make


def _encoded(seed: Maker, codec: str, prefix: bytes = b"") -> Maker:
    return lambda: prefix + _text(seed()).encode(codec)


def _mutated(seed: Maker, number: int) -> Maker:
    """Seeded random damage: flipped, deleted, repeated or inserted bytes, or swapped lines."""

    def make() -> bytes:
        rng = random.Random(number)
        data = bytearray(seed())
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            match rng.randrange(5):
                case 0:
                    data[at] ^= 1 << rng.randrange(8)
                case 1:
                    del data[at : at + rng.randint(1, 400)]
                case 2:
                    data[at:at] = data[at : at + rng.randint(1, 400)]
                case 3:
                    data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
                case 4:
                    lines = bytes(data).split(b"\n")
                    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                    lines[i], lines[j] = lines[j], lines[i]
                    data = bytearray(b"\n".join(lines))
        return bytes(data)

    return make


def _truncations() -> dict[str, Maker]:
    found: dict[str, Maker] = {}
    for share in (0.001, 0.01, 0.05, 0.1, 0.25, 0.33, 0.5, 0.66, 0.75, 0.9, 0.99, 0.999):
        found[f"truncated_{share:g}"] = _cut(strava, lambda d, s=share: int(len(d) * s))
    found["truncated_in_header"] = _cut(strava, lambda d: d.index(b"\n") // 2)
    found["truncated_after_header"] = _cut(strava, lambda d: d.index(b"\n") + 1)
    found["truncated_after_header_no_newline"] = _cut(strava, lambda d: d.index(b"\n"))
    found["truncated_in_first_row"] = _cut(strava, lambda d: d.index(b"\n") + 25)
    found["truncated_in_quoted_date"] = _cut(strava, lambda d: d.index(b'"', d.index(b"\n")) + 5)
    found["truncated_one_byte_short"] = _cut(strava, lambda d: len(d) - 1)
    for name, seed in seeds().items():
        if name != "strava":
            found[f"truncated_half_{name}"] = _cut(seed, lambda d: len(d) // 2)
            found[f"truncated_near_end_{name}"] = _cut(seed, lambda d: len(d) - 7)
            found[f"truncated_in_multibyte_{name}"] = _cut(
                seed, lambda d: next((i + 1 for i, b in enumerate(d) if b >= 0xC0), len(d) // 3)
            )
    return found


def _encodings() -> dict[str, Maker]:
    found: dict[str, Maker] = {}
    for name, seed in (("strava", strava), *((n, s) for n, s in seeds().items() if n.startswith("garmin_de"))):
        found |= {
            f"encoding_utf8_bom_{name}": _encoded(seed, "utf-8", codecs.BOM_UTF8),
            f"encoding_utf16_bom_{name}": _encoded(seed, "utf-16"),
            f"encoding_utf16le_no_bom_{name}": _encoded(seed, "utf-16-le"),
            f"encoding_utf16be_no_bom_{name}": _encoded(seed, "utf-16-be"),
            f"encoding_utf32_{name}": _encoded(seed, "utf-32"),
            f"encoding_latin1_{name}": lambda s=seed: _text(s()).encode("latin-1", "replace"),
            f"encoding_cp1252_{name}": lambda s=seed: _text(s()).encode("cp1252", "replace"),
            f"encoding_ebcdic_{name}": lambda s=seed: _text(s()).encode("cp500", "replace"),
            f"encoding_utf16_odd_length_{name}": lambda s=seed: _text(s()).encode("utf-16")[:-1],
            f"encoding_utf8_bom_then_utf16_{name}": lambda s=seed: codecs.BOM_UTF8 + _text(s()).encode("utf-16-le"),
            f"encoding_broken_utf8_{name}": lambda s=seed: (
                s()[: len(s()) // 2] + b"\xff\xfe\xc3" + s()[len(s()) // 2 :]
            ),
            f"encoding_half_utf16_{name}": lambda s=seed: (
                s()[: len(s()) // 2] + s()[len(s()) // 2 :].decode("utf-8", "replace").encode("utf-16-le")
            ),
        }
    found["encoding_mixed_utf8_cp1252_names"] = mixed_encodings
    found["encoding_shift_jis_names"] = _encoded(
        _edit_rows(lambda rows: [rows[0], *[[*r[:2], "朝のランニング", *r[3:]] for r in rows[1:]]]), "shift_jis"
    )
    return found


def _delimiters() -> dict[str, Maker]:
    found: dict[str, Maker] = {}
    for name, seed in (("strava", strava), *((n, s) for n, s in seeds().items() if n == "garmin_en_km")):
        found |= {
            f"delimiter_semicolon_{name}": lambda s=seed: _csv(_rows(s()), ";"),
            f"delimiter_tab_{name}": lambda s=seed: _csv(_rows(s()), "\t"),
            f"delimiter_pipe_{name}": lambda s=seed: _csv(_rows(s()), "|"),
            f"delimiter_colon_{name}": lambda s=seed: _csv(_rows(s()), ":"),
            f"delimiter_mixed_{name}": lambda s=seed: _csv(_rows(s())[:1]) + _csv(_rows(s())[1:], ";"),
            f"delimiter_misleading_sep_line_{name}": lambda s=seed: b"sep=;\n" + s(),
            f"delimiter_space_{name}": lambda s=seed: _csv(_rows(s()), " "),
        }
    found["delimiter_semicolon_decimal_comma"] = lambda: _csv(
        [[c.replace(".", ",") if c.replace(".", "").isdigit() else c for c in r] for r in _rows(strava())], ";"
    )
    return found


def _huge() -> dict[str, Maker]:
    return {
        "huge_description_5mb": _set_cell("Activity Description", "knee " * 1_000_000),
        "huge_single_line_20mb": lambda: b"a" * (20 * 2**20),
        "huge_header_cell_1mb": lambda: b"Activity ID," + b"x" * 2**20 + b"\n1,2\n",
        "huge_header_100k_columns": lambda: (
            b",".join(b"c%d" % i for i in range(100_000)) + b"\n" + b"1," * 99_999 + b"1\n"
        ),
        "huge_row_100k_cells": lambda: strava().split(b"\n")[0] + b"\n" + b"1," * 100_000 + b"\n",
        "huge_50k_empty_rows": lambda: strava().split(b"\n")[0] + b"\n" + (b"," * 102 + b"\n") * 50_000,
        "huge_20k_runs_same_id": lambda: strava().split(b"\n")[0] + b"\n" + (strava().split(b"\n")[1] + b"\n") * 20_000,
        "huge_many_blank_lines": lambda: b"\n" * 200_000 + strava(),
        "huge_description_just_over_a_note": _set_cell("Activity Description", "k" * 200_001),
        "huge_unread_cell_past_csv_limit": _set_cell("Max Heart Rate", "9" * 300_000),
    }


def mixed_encodings() -> bytes:
    """The Strava seed with two runs renamed 'Läufchen' in UTF-8 and a third 'Kräftigung' in Windows-1252."""
    rows = _rows(strava())
    runs = _run_rows(rows)
    for i in runs[:2]:
        rows[i][2] = "Läufchen"
    rows[runs[2]][2] = "Kräftigung"
    lines = _csv(rows).split(b"\n")
    lines[runs[2]] = lines[runs[2]].decode("utf-8").encode("cp1252")
    return b"\n".join(lines)


def _one_day() -> dict[str, Maker]:
    day_only = ["Title,WorkoutType,WorkoutDay,DistanceInMeters,TimeTotalInHours,Rpe"] + [
        f"Run {k},Run,2026-10-02,{3000 + 10 * k},2.0,5" for k in range(2000)
    ]
    return {
        "one_day_2000_runs": same_day,
        "one_day_2000_copies_of_a_run": lambda: same_day(alike=True),
        "one_day_2000_runs_without_times": lambda: ("\n".join(day_only) + "\n").encode(),
    }


def _wrong_types() -> dict[str, Maker]:
    cases = {
        ("Distance", 1): ["ten", "-5000", "1e308", "NaN", "inf", "", "0x10", "5,5,5", "１０", "true", "9" * 400],
        ("Elapsed Time", 0): ["01:02:03", "-100", "", "abc", "9e99", "0"],
        ("Perceived Exertion", 0): ["11", "-1", "high", "5.5", "0"],
        ("Activity ID", 0): ["", "=1+1", "1" * 300],
        ("Activity Type", 0): ["", "RUN", "Run\u200b", "Laufen"],
    }
    found: dict[str, Maker] = {}
    for (column, occurrence), values in cases.items():
        for number, value in enumerate(values):
            label = f"{column.lower().replace(' ', '_')}{occurrence + 1}"
            found[f"type_{label}_{number}"] = _set_cell(column, value, occurrence=occurrence)
        found[f"type_{label}_all_garbage"] = _set_cell(column, "garbage", every=True, occurrence=occurrence)
    found["type_duplicate_activity_ids"] = _edit_rows(lambda rows: [rows[0], *[[rows[1][0], *r[1:]] for r in rows[1:]]])
    return found


def _dates() -> dict[str, Maker]:
    values = [
        "Jan 1, 2099, 8:00:00 AM", "Feb 30, 2025, 8:00:00 AM", "Jan 1, 0001, 8:00:00 AM", "Dec 31, 9999, 11:59:59 PM",
        "13/13/2025", "2025-13-01 08:00:00", "yesterday", "", "Oct 5, 2025, 25:61:00 PM", "0",
        "Dec 31, 1969, 11:00:00 PM", "Feb 29, 2025, 8:00:00 AM", "Feb 29, 2024, 8:00:00 AM",
        "2025-10-05T08:00:00+14:00", "1700000000", "Oct 5 2025", "5 Okt 2025, 08:00:00", "Oct 5, 2025, 8:00:00 AM EST",
    ]  # fmt: skip
    found = {f"date_{i:02d}": _set_cell("Activity Date", v) for i, v in enumerate(values)}
    found["date_all_future"] = _set_cell("Activity Date", "Jan 1, 2099, 8:00:00 AM", every=True)
    found["date_all_garbage"] = _set_cell("Activity Date", "soon", every=True)
    for name, seed in seeds().items():
        if name.startswith(("garmin_en", "intervals", "trainingpeaks", "applehealth")):
            for label, value in (("future", "2099-01-01"), ("impossible", "2025-02-30"), ("words", "next week")):

                def make(s: Maker = seed, v: str = value) -> bytes:
                    rows = _rows(s())
                    at = next(i for i, c in enumerate(rows[0]) if "date" in c.lower() or c.lower().endswith("day"))
                    rows[1][at] = v + rows[1][at][10:]
                    return _csv(rows)

                found[f"date_{label}_{name}"] = make
    return found


def _headers() -> dict[str, Maker]:
    def header(rows: list[list[str]]) -> list[str]:
        return rows[0]

    return {
        "header_repeated_as_rows": _edit_rows(lambda r: [r[0], r[1], r[0], r[2], r[0]]),
        "header_every_column_twice": _edit_rows(lambda r: [row + row for row in r]),
        "header_activity_id_twice": _edit_rows(lambda r: [[*row, row[0]] for row in r]),
        "header_activity_type_twice": _edit_rows(
            lambda r: [[*row, "Ride" if i else row[3]] for i, row in enumerate(r)]
        ),
        "header_three_distances": _edit_rows(lambda r: [[*row, row[6]] for row in r]),
        "header_empty_names": _edit_rows(lambda r: [["" for _ in r[0]], *r[1:]]),
        "header_only_commas": lambda: b"," * 102 + b"\n" + strava().split(b"\n", 1)[1],
        "header_padded_and_quoted": _edit_rows(lambda r: [[f'  "{c}"  ' for c in header(r)], *r[1:]]),
        "header_upper_case": _edit_rows(lambda r: [[c.upper() for c in header(r)], *r[1:]]),
        "header_bom_in_middle": lambda: strava().replace(b"Activity Type", codecs.BOM_UTF8 + b"Activity Type", 1),
        "header_missing_required": _edit_rows(lambda r: [[c for c in row[:3]] + row[4:] for row in r]),
        "header_of_another_app": lambda: b"Date,Miles,Minutes\n2025-10-01,3.1,28\n",
        "header_type_twice_intervals": lambda: (
            same_day(3).replace(b"elapsed_time", b"elapsed_time,type", 1).replace(b",1500\n", b",1500,Ride\n")
        ),
    }


def _disguised() -> dict[str, Maker]:
    def real_zip() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("activities.csv", strava())
        return out.getvalue()

    return {
        "bomb_zip_64mb": _bomb("zip"),
        "bomb_gzip_64mb": _bomb("gzip"),
        "bomb_bzip2_64mb": _bomb("bzip2"),
        "disguised_real_zip": real_zip,
        "disguised_gzip_of_csv": lambda: gzip.compress(strava()),
        "disguised_xlsx": lambda: b"PK\x03\x04\x14\x00\x06\x00" + b"[Content_Types].xml" + bytes(200),
        "disguised_png": lambda: b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(2000),
        "disguised_jpeg": lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(500),
        "disguised_pdf": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "disguised_elf": lambda: b"\x7fELF\x02\x01\x01" + bytes(1000),
        "disguised_sqlite": lambda: b"SQLite format 3\x00" + bytes(4000),
        "disguised_fit": lambda: b"\x0e\x10\x43\x08\x00\x00\x00\x00.FIT" + bytes(100),
        "disguised_tar": lambda: b"activities.csv".ljust(257, b"\x00") + b"ustar\x0000" + bytes(254) + strava()[:512],
        "disguised_7z": lambda: b"7z\xbc\xaf\x27\x1c" + bytes(100),
        "disguised_random_bytes": lambda: random.Random(3).randbytes(10_000),
        "disguised_html_error_page": lambda: b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>\n",
        "disguised_json": lambda: b'[{"Activity ID": 1, "Activity Type": "Run", "Distance": 5.0}]\n',
        "disguised_xml": lambda: b'<?xml version="1.0"?><TrainingCenterDatabase><Activities/></TrainingCenterDatabase>',
        "empty": lambda: b"",
        "empty_only_bom": lambda: codecs.BOM_UTF8,
        "empty_only_whitespace": lambda: b" \r\n\t \n\n",
        "empty_only_nul": lambda: bytes(4096),
        "empty_utf16_bom": lambda: codecs.BOM_UTF16_LE,
    }


def _structure() -> dict[str, Maker]:
    lines = lambda: strava().split(b"\n")  # noqa: E731 - a short local helper reads best here

    def replace_line(i: int, line: bytes) -> Maker:
        return lambda: b"\n".join([*lines()[:i], line, *lines()[i + 1 :]])

    return {
        "structure_unclosed_quote_row3": replace_line(3, lines()[3].replace(b'"', b"", 1)),
        "structure_unclosed_quote_last_row": lambda: strava().rstrip(b"\n") + b',"never closed\n',
        "structure_row_with_extra_cells": replace_line(2, lines()[2] + b",extra,cells"),
        "structure_row_with_few_cells": replace_line(2, b"123,x"),
        "structure_blank_lines_between": lambda: strava().replace(b"\n", b"\n\n"),
        "structure_cr_only": lambda: strava().replace(b"\n", b"\r"),
        "structure_mixed_line_ends": lambda: b"".join(
            line + (b"\r\n", b"\n", b"\r")[i % 3] for i, line in enumerate(lines())
        ),
        "structure_trailing_delimiter": lambda: strava().replace(b"\n", b",\n"),
        "structure_header_only": lambda: lines()[0] + b"\n",
        "structure_header_and_empty_row": lambda: lines()[0] + b"\n\n",
        "structure_line_of_quotes": replace_line(2, b'"""""""""'),
        "structure_newline_in_required_cell": _set_cell("Distance", "5\n.0", occurrence=1),
        "structure_quote_inside_unquoted": _set_cell("Activity Name", 'Run "with" quotes'),
        "structure_junk_before_header": lambda: b"Exported by Strava\nAll activities\n\n" + strava(),
        "structure_sep_line_wrong": lambda: b"sep=|\n" + strava(),
        "structure_nul_in_row": replace_line(2, lines()[2].replace(b",", b",\x00", 1)),
    }


def _hostile() -> dict[str, Maker]:
    values = {
        "formula": '=HYPERLINK("http://evil.example","click")',
        "formula_cmd": "+1+cmd|' /C calc'!A0",
        "script": "<script>alert(1)</script>",
        "markdown": "**bold** [x](javascript:alert(1))",
        "rtl_override": "run\u202egnp.exe",
        "emoji": "🏃‍♀️ 🦵 knee",
        "description_100kb": "x" * 100_000,
        "control_character": "tab\x07bell",
    }
    found = {f"hostile_name_{k}": _set_cell("Activity Name", v, every=True) for k, v in values.items()}
    found["hostile_description_formula"] = _set_cell("Activity Description", "@SUM(1+1)", every=True)
    found["hostile_type_script"] = _set_cell("Activity Type", "<b>Run</b>")
    return found


def corpus() -> dict[str, Maker]:
    """Every broken or hostile file: name (ending ``.csv``) -> function making its bytes."""
    found: dict[str, Maker] = {}
    for group in (_truncations, _encodings, _delimiters, _huge, _one_day, _wrong_types, _dates, _headers, _disguised,
                  _structure, _hostile):  # fmt: skip
        found |= group()
    for number in range(40):
        found[f"mutated_{number:02d}"] = _mutated(strava, number)
    for name, seed in seeds().items():
        if name != "strava":
            found[f"mutated_{name}"] = _mutated(seed, zlib.crc32(name.encode()))
    return {f"{name}.csv": make for name, make in found.items()}


if __name__ == "__main__":  # pragma: no cover - a tool to look at the corpus
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "csv_corpus")
    target.mkdir(parents=True, exist_ok=True)
    for name, make in corpus().items():
        (target / name).write_bytes(make())
    print(f"wrote {len(corpus())} files to {target}")
