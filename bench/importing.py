"""Import of a ten-year Strava export against bare ``pandas.read_csv`` of the same file."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from bench.timing import median, profile, ratio, rounds
from kneelog import importers
from kneelog.importers import session
from kneelog.models import Settings
from kneelog.store import Store

REPEATS = 7


def _fresh_store(folder: Path) -> Store:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{folder / 'import.db'}{suffix}").unlink(missing_ok=True)
    store = Store(f"sqlite:///{folder / 'import.db'}")
    store.save_settings(Settings(timezone="UTC"))
    return store


def full_import(path: Path, store: Store) -> session.Summary:
    """What ``kneelog import FILE`` does: read the file, preview it against the log, write it in one transaction."""
    upload = session.Upload.from_path(path)
    return session.commit(store, session.preview(store, [upload]))


def measure(path: Path, folder: Path) -> dict:
    """Seconds of ``read_csv``, of parsing into the canonical frame and of the whole import; ratios to read_csv.

    The whole import goes into an empty database each time (made before the clock starts).
    """
    stores: list[Store] = []
    times = rounds(
        {
            "read_csv": lambda: pd.read_csv(path),
            "parse": lambda: importers.parse(path.name, path.read_bytes(), timezone="UTC"),
            "setup": lambda: stores.append(_fresh_store(folder)),
            "import": lambda: full_import(path, stores[-1]),
        },
        REPEATS,
    )
    summary = full_import(path, _fresh_store(folder))
    store = _fresh_store(folder)
    return {
        "file_mb": path.stat().st_size / 1e6,
        "activities": len(pd.read_csv(io.BytesIO(path.read_bytes()))),
        "runs": summary.added["run"],
        "gym": summary.added["gym"],
        "read_csv_s": median(times, "read_csv"),
        "parse_s": median(times, "parse"),
        "import_s": median(times, "import"),
        "parse_ratio": ratio(times, "parse", "read_csv"),
        "import_ratio": ratio(times, "import", "read_csv"),
        "profile": profile(lambda: full_import(path, store)),
    }
