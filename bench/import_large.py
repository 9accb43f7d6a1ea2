"""Import of a 100,000-activity Strava export: seconds for each stage, with progress reports counted.

``python -m bench.import_large [ROWS]`` writes the export (the real 2025 header, runs, rides, walks and weight
training spread over 1970-2026, five a day at most), then times reading it into the canonical frame, the preview
against an empty log, the one-transaction write, and a second import of the same file (which must add nothing).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.athlete import STRAVA_HEADER
from kneelog import importers
from kneelog.importers import session
from kneelog.models import Settings
from kneelog.store import Store

ROWS = 100_000
TYPES = np.array(["Run", "Ride", "Walk", "Weight Training", "Trail Run"])


def export(rows: int = ROWS, seed: int = 1) -> bytes:
    """A Strava ``activities.csv`` of ``rows`` activities, written with pandas (not kneelog)."""
    rng = np.random.default_rng(seed)
    first = dt.datetime(1970, 1, 2, 6, 0)
    days = (dt.datetime(2026, 10, 1) - first).days
    offsets = np.sort(rng.integers(0, days * 24 * 3600, size=rows))
    when = pd.to_datetime(first) + pd.to_timedelta(offsets, unit="s")
    kinds = TYPES[rng.choice(len(TYPES), size=rows, p=[0.45, 0.25, 0.15, 0.1, 0.05])]
    metres = np.where(kinds == "Weight Training", 0.0, np.round(rng.uniform(3000, 21000, size=rows), 1))
    seconds = np.round(np.where(kinds == "Weight Training", rng.uniform(1800, 4000, size=rows), metres / 2.9))
    frame = pd.DataFrame({i: [""] * rows for i in range(len(STRAVA_HEADER))})
    first_of = {name: STRAVA_HEADER.index(name) for name in STRAVA_HEADER}
    second_of = {name: len(STRAVA_HEADER) - 1 - STRAVA_HEADER[::-1].index(name) for name in STRAVA_HEADER}
    frame[first_of["Activity ID"]] = np.arange(10**9, 10**9 + rows)
    frame[first_of["Activity Date"]] = when.strftime("%b %-d, %Y, %-I:%M:%S %p")
    frame[first_of["Activity Name"]] = pd.Series(kinds).str.replace("Weight Training", "Gym, legs")
    frame[first_of["Activity Type"]] = kinds
    frame[first_of["Elapsed Time"]] = seconds.astype(int)
    frame[first_of["Distance"]] = np.round(metres / 1000, 2)
    frame[second_of["Elapsed Time"]] = seconds
    frame[second_of["Distance"]] = metres
    frame[first_of["Perceived Exertion"]] = np.where(rng.random(rows) < 0.3, rng.integers(1, 11, size=rows), "")
    out = io.StringIO()
    frame.to_csv(out, header=STRAVA_HEADER, index=False)
    return out.getvalue().encode()


def main(rows: int = ROWS) -> None:
    data = export(rows)
    folder = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{folder / 'large.db'}")
    store.save_settings(Settings(timezone="UTC"))
    reports: list[str] = []

    def timed(label: str, action):
        start = time.perf_counter()
        result = action()
        print(f"{label:<40} {time.perf_counter() - start:7.2f} s")
        return result

    print(f"export: {rows:,} activities, {len(data) / 2**20:.1f} MB")
    timed("pandas.read_csv (for scale)", lambda: pd.read_csv(io.BytesIO(data)))
    parsed = timed("read into the canonical frame", lambda: importers.parse("activities.csv", data, timezone="UTC"))
    upload = session.Upload("activities.csv", data)
    plan = timed("preview against an empty log", lambda: session.preview(store, [upload]))
    summary = timed(
        "commit (one transaction)", lambda: session.commit(store, plan, progress=lambda _s, t: reports.append(t))
    )
    again = timed(
        "the same file again: preview and commit", lambda: session.commit(store, session.preview(store, [upload]))
    )  # noqa: E501
    print(
        f"runs {parsed.counts['run']:,}, gym {parsed.counts['gym']:,}; added {summary.added}; progress reports "
        f"{len(reports)}; second import added {again.added}, already there {again.already_there:,}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
