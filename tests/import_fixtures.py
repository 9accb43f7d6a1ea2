"""The import fixtures (tests/data/imports) and the real export heads (tests/data/samples), as the tests use them.

Everything a test needs to know about a fixture is in ``tests/data/imports/manifest.toml``. The real heads are in
the repository (see tests/data/samples/README.md); a missing one makes its tests fail (never skip), in CI as anywhere.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from kneelog import importers
from kneelog.importers import ColumnMapping, Parsed

FIXTURES = Path(__file__).resolve().parent / "data" / "imports"
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
MANIFEST = tomllib.loads((FIXTURES / "manifest.toml").read_text(encoding="utf-8"))
GOOD = [f for f in MANIFEST["fixture"] if "error" not in f]
BAD = [f for f in MANIFEST["fixture"] if "error" in f]
SAMPLE_GOOD = [s for s in MANIFEST["sample"] if "error" not in s]
SAMPLE_BAD = [s for s in MANIFEST["sample"] if "error" in s]


def name_of(entry: dict) -> str:
    return entry.get("file") or entry["path"]


def path_of(entry: dict) -> Path:
    return FIXTURES / entry["file"] if "file" in entry else SAMPLES / entry["path"]


def data_of(entry: dict) -> bytes:
    return path_of(entry).read_bytes()


def fixture(name: str) -> dict:
    return next(f for f in MANIFEST["fixture"] if f["file"] == name)


def sample(name: str) -> dict:
    return next(s for s in MANIFEST["sample"] if s["path"].endswith(name))


def parse_entry(entry: dict, **overrides) -> Parsed:
    """Parse a manifest entry with the choices the manifest gives it (units, mapping, time zone)."""
    options = {"timezone": entry.get("timezone", "UTC"), "units": entry.get("units")}
    if "mapping" in entry:
        options["mapping"] = ColumnMapping(**entry["mapping"])
    options.update(overrides)
    return importers.parse(path_of(entry).name, data_of(entry), **options)
