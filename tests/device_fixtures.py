"""The real activity files (tests/data/devices) and archives built from them in memory, as the tests use them.

What reading each file must give is in ``tests/data/devices/manifest.toml``; where each file comes from and under
which licence is in ``SOURCES.md`` beside it. Archives (Strava and Garmin layouts, bombs, nested zips) are built
here in memory from those files, so no archive is committed.
"""

from __future__ import annotations

import gzip
import io
import tomllib
import zipfile
from pathlib import Path

DEVICES = Path(__file__).resolve().parent / "data" / "devices"
MANIFEST = tomllib.loads((DEVICES / "manifest.toml").read_text(encoding="utf-8"))
READABLE = [f for f in MANIFEST["file"] if "error" not in f]
RUNS = [f for f in READABLE if f["runs"]]
REFUSED = [f for f in MANIFEST["file"] if "error" in f]

FENIX = "python-fitparse__activity-small-fenix2-run.fit"
FORERUNNER = "python-fitparse__2013-02-06-12-11-14.fit"
DEVELOPER = "python-fitparse__developer-types-sample.fit"
TRIATHLON = "python-fitparse__sample_mulitple_header.fit"
NO_DATE = "python-fitparse__compressed-speed-distance.fit"
DAMAGED = "python-fitparse__strava-android-app-201.10-b1218918.fit"
STRAVA_GPX = "runpandas__strava_export.gpx.gz"
TOMTOM_GPX = "runpandas__run.gpx.gz"
TOMTOM_TCX = "runpandas__run.tcx.gz"
GARMIN_TCX = "runpandas__run_garmin.tcx.gz"
SKIING_TCX = "tcxreader__cross-country-skiing_activity_1.tcx.gz"


def expected(name: str) -> dict:
    return next(f for f in MANIFEST["file"] if f["file"] == name)


def data(name: str) -> bytes:
    """A sample's bytes as stored (the XML ones gzip-compressed)."""
    return (DEVICES / name).read_bytes()


def content(name: str) -> bytes:
    """A sample's upstream bytes (unpacked where stored as .gz)."""
    raw = data(name)
    return gzip.decompress(raw) if name.endswith(".gz") else raw


def zip_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of ``name -> bytes``, in that order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, payload in entries.items():
            archive.writestr(name, payload)
    return buffer.getvalue()
