"""Make the import fixtures in this folder: small exports of every format, language and locale kneelog reads.

Run once when a fixture must change: ``python tests/data/imports/make_fixtures.py``. The rows are literal values in
``fixture_rows.toml``, following the facts in ``docs/formats.md`` (headers, date styles, number locales,
quirks); this script adds what cannot be typed there: encodings (UTF-16, Windows-1252, byte-order marks), delimiters
and line ends, and makes one damaged file per error path. What each file holds, and what importing it must give, is
in ``manifest.toml`` beside it.
"""

from __future__ import annotations

import codecs
import csv
import io
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"

# The real Strava header (99 columns, 2025 export), from tests/data/samples/strava.
STRAVA_EN = (SAMPLES / "strava" / "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities.csv").read_text()
STRAVA_EN_HEADER = next(csv.reader([STRAVA_EN.splitlines()[0]]))
# The real English Garmin header with run columns (grunt) and without (Recovance, an imperial profile).
GARMIN_EN_HEADER = next(
    csv.reader([(SAMPLES / "garmin" / "Romain-Thomas-Shef_grunt__Activities.csv").read_text().splitlines()[0]])
)
GARMIN_MI_HEADER = next(
    csv.reader([(SAMPLES / "garmin" / "Ashan-264_Recovance__Activities.csv").read_text().splitlines()[0]])
)


def rows_of(header: list[str], records: list[dict[str, str]]) -> list[list[str]]:
    """Full rows for ``header`` from records that name some columns (``Name#2`` = the second column so named)."""
    keys, seen = [], {}
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        keys.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    unknown = {k for r in records for k in r} - set(keys)
    assert not unknown, unknown
    return [header] + [[r.get(k, "") for k in keys] for r in records]


def write(name: str, rows: list[list[str]], *, delimiter=",", newline="\n", encoding="utf-8", quote_all=False):
    buffer = io.StringIO(newline="")
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(rows)
    data = buffer.getvalue()
    if encoding == "utf-16":
        raw = codecs.BOM_UTF16_LE + data.encode("utf-16-le")
    elif encoding == "utf-8-sig":
        raw = codecs.BOM_UTF8 + data.encode("utf-8")
    else:
        raw = data.encode(encoding)
    (HERE / name).write_bytes(raw)


ROWS = tomllib.loads((HERE / "fixture_rows.toml").read_text(encoding="utf-8"))


def table(name: str, header: list[str] | None = None) -> list[list[str]]:
    """The header and rows of one fixture in fixture_rows.toml (``header`` for those that use a real one)."""
    fixture = ROWS[name]
    return rows_of(header or fixture["header"], fixture["rows"])


# -- files that must be refused, one per error path ----------------------------------------------------------------


def bad_files() -> None:
    run_rows = SAMPLES / "strava" / "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv"
    lines = run_rows.read_text().splitlines()
    (HERE / "bad_empty.csv").write_bytes(b"")
    (HERE / "bad_header_only.csv").write_text(lines[0] + "\n")
    (HERE / "bad_truncated.csv").write_text("\n".join(lines[:3]) + "\n" + lines[3][:60])  # cut in the third run
    (HERE / "bad_image.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)))
    (HERE / "bad_binary.csv").write_bytes(bytes((i * 37 + 11) % 256 for i in range(512)))
    with zipfile.ZipFile(HERE / "bad_zip.csv", "w") as archive:
        archive.writestr("activities.csv", STRAVA_EN)
    write(
        "bad_unknown.csv",
        [["Tag", "Was", "Kilometer", "Minuten", "Schuh"], ["2025-03-01", "Lauf", "5", "30", "Pegasus"]],
    )
    garmin = ROWS["garmin_en_km"]["rows"][:3]
    text = "\n".join(",".join(f'"{v}"' for v in row) for row in rows_of(GARMIN_EN_HEADER, garmin)[:2])
    (HERE / "bad_unclosed_quote.csv").write_text(text + '\n"Running","2025-06-03 18:30:00","false","Treadmill\n')
    intervals = ROWS["intervals"]
    extra = ["i1002", "2020-04-05T18:00:00", "Zwift", "with Sam", "VirtualRun", "1500", "4700.0", "1500", *[""] * 8]
    write("bad_extra_value.csv", [*rows_of(intervals["header"], intervals["rows"][:1]), extra])
    garbage = [dict(r, Distance=v) for r, v in zip(garmin, ["abc", "n/a?", "5 km"], strict=True)]
    write("bad_garbage_distance.csv", rows_of(GARMIN_EN_HEADER, garbage))
    gb = ROWS["strava_en_gb"]
    dates = [dict(r, **{"Activity Date": v}) for r, v in zip(gb["rows"][:2], ["yesterday", "last week"], strict=True)]
    write("bad_dates.csv", rows_of(gb["header"], dates))
    run, virtual, trail, weights = intervals["rows"][:4]
    rejected = [
        run,
        dict(virtual, id="i2002", distance="400000"),
        dict(trail, id="i2003", elapsed_time="0", moving_time="0"),
        dict(run, id="i2004", start_date_local="2099-01-01T08:00:00"),
        dict(run, id="i2005", start_date_local="2020-04-09T08:00:00", icu_rpe="14"),
        weights,
    ]
    write("rows_rejected.csv", rows_of(intervals["header"], rejected))


def main() -> None:
    custom = [ROWS["custom"]["header"], *ROWS["custom"]["rows"]]
    unicode_text = {"delimiter": "\t", "newline": "\r\n", "encoding": "utf-16"}  # Excel's "Unicode text"
    write("strava_en_us.csv", table("strava_en_us", STRAVA_EN_HEADER))
    write("strava_en_gb.csv", table("strava_en_gb"), newline="\r\n")
    write("strava_de.csv", table("strava_de"))
    write("strava_de_excel.csv", table("strava_de"), delimiter=";", newline="\r\n", encoding="utf-8-sig")
    write("strava_fr_unicode.txt", table("strava_fr"), **unicode_text)
    write(
        "garmin_en_km.csv",
        table("garmin_en_km", GARMIN_EN_HEADER),
        newline="\r\n",
        encoding="utf-8-sig",
        quote_all=True,
    )
    write("garmin_en_mi.csv", table("garmin_en_mi", GARMIN_MI_HEADER), quote_all=True)
    write("garmin_da.csv", table("garmin_da"), quote_all=True)
    write("garmin_de.csv", table("garmin_de"), delimiter=";", newline="\r\n", encoding="cp1252")
    write("garmin_sv_unicode.txt", table("garmin_sv"), **unicode_text)
    write("trainingpeaks.csv", table("trainingpeaks"), newline="\r\n", quote_all=True)
    write("intervals.csv", table("intervals"))
    write("applehealth_workouts.csv", table("applehealth"))
    write("custom_log.csv", custom, delimiter=";", newline="\r\n")
    write("custom_log_latin1.csv", custom, delimiter=";", encoding="latin-1")
    bad_files()


if __name__ == "__main__":
    main()
