"""An import killed with SIGKILL part-way: the database is intact and holds all of the import or none of it.

A child process imports a two-year Strava export (made by :mod:`bench.athlete`) into a database that holds the demo
athlete, which a real import removes in the same transaction. The child reports its progress through a pipe; the
parent kills it with SIGKILL at a chosen point: while reading, while comparing with the log, before the first chunk
is written, half-way through the chunks, before the last one, just after the commit, and at timed moments around the
end of the write (which may land inside SQLite's commit). Afterwards the file must pass ``PRAGMA integrity_check``
and hold either the demo athlete and nothing imported, or the whole import and no demo athlete; and a fresh store
must open it and finish the same import normally.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from bench.athlete import athlete, strava_export
from kneelog.demo import load_demo
from kneelog.importers import session
from kneelog.store import Store
from kneelog.store.tables import ENTRY_TABLES

pytestmark = pytest.mark.reliability

END = dt.date(2026, 10, 31)
CHUNK = 100  # entries per write inside the one import transaction, so there are points half-way through


def _import(url: str, data: bytes, stop_at: str | None, pause: bool, pipe) -> None:
    """Import ``data``; on the progress message starting with ``stop_at`` tell the parent, and wait if ``pause``."""
    from kneelog.importers import session as child_session

    child_session.CHUNK = CHUNK
    store = Store(url)

    def progress(_share: float, what: str) -> None:
        if stop_at is not None and what.startswith(stop_at):
            pipe.send(what)
            if pause:
                time.sleep(300)  # killed here, with the import's transaction open (or just committed)

    plan = child_session.preview(store, [child_session.Upload("activities.csv", data)], progress=progress)
    child_session.commit(store, plan, progress=progress)
    pipe.send("finished")


@pytest.fixture(scope="module")
def export() -> bytes:
    return strava_export(athlete(730, end=END, seed=5), seed=5)


@pytest.fixture(scope="module")
def reference(export: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The source ids of every run and gym session a complete import writes."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('reference') / 'k.db'}")
    session.commit(store, session.preview(store, [session.Upload("activities.csv", export)]))
    return _imported(store.engine.url.database)


def _imported(path: str) -> dict[str, set[str]]:
    con = sqlite3.connect(path)
    try:
        return {
            table: {r[0] for r in con.execute(f"SELECT source_id FROM {table} WHERE source = 'strava'")}
            for table in ("runs", "gym_sessions")
        }
    finally:
        con.close()


def _demo_rows(path: str) -> int:
    con = sqlite3.connect(path)
    try:
        return sum(
            con.execute(f"SELECT count(*) FROM {t} WHERE source = 'demo'").fetchone()[0]
            for t in (table.name for table in ENTRY_TABLES.values())  # every kind of entry the demo writes
        )
    finally:
        con.close()


POINTS = [
    # (progress message to stop at, pause there?, seconds to wait before SIGKILL, what must be stored)
    ("Reading activities.csv", True, 0.0, "none"),
    ("Comparing with your log", True, 0.0, "none"),
    ("Saving 0 of", True, 0.0, "none"),
    ("Saving 300 of", True, 0.0, "none"),  # half-way: three chunks written inside the open transaction
    ("Saving 500 of", True, 0.0, "none"),  # the last chunk still to come
    ("Saved", True, 0.0, "all"),  # reported after the commit
    ("Saving 500 of", False, 0.0, "either"),  # from here on, timed: wherever the write has got to
    ("Saving 500 of", False, 0.002, "either"),
    ("Saving 500 of", False, 0.005, "either"),
    ("Saving 500 of", False, 0.01, "either"),
]


@pytest.mark.parametrize(
    ("stop_at", "pause", "delay", "expected"),
    POINTS,
    ids=[f"{stop}{'' if pause else f' +{delay * 1000:g}ms'}" for stop, pause, delay, _ in POINTS],
)
def test_an_import_killed_part_way_leaves_all_or_none(
    tmp_path: Path, export, reference, stop_at, pause, delay, expected
):
    db = tmp_path / "k.db"
    url = f"sqlite:///{db}"
    demo = load_demo(Store(url), days=120, end=END)

    ctx = mp.get_context("spawn")
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=_import, args=(url, export, stop_at, pause, theirs))
    child.start()
    try:
        assert ours.poll(120), "the import never reached the point to kill it at"
        reached = ours.recv()
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.join(timeout=60)
    assert child.exitcode in (-signal.SIGKILL, 0)
    assert reached.startswith(stop_at)

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
    stored, demo_left = _imported(str(db)), _demo_rows(str(db))
    nothing = stored == {"runs": set(), "gym_sessions": set()} and demo_left == demo
    everything = stored == reference and demo_left == 0
    assert {"none": nothing, "all": everything, "either": nothing or everything}[expected], (
        {k: len(v) for k, v in stored.items()},
        demo_left,
    )

    store = Store(url)  # a fresh process-like open: recovers the journal, and the import can be done again
    session.commit(store, session.preview(store, [session.Upload("activities.csv", export)]))
    assert _imported(str(db)) == reference and _demo_rows(str(db)) == 0
