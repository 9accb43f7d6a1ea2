"""Two processes writing through the store at the same time: every row kept, no "database is locked" for the runner.

The app (one process per server) and the CLI (an import or restore from a terminal) can write to the same SQLite
file, or the same PostgreSQL database, at once. Each worker runs in its own process (spawned, so nothing is shared
but the database), waits at a barrier so the writes really overlap, and reports any exception text back instead of
dying silently.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import sqlite3
import traceback

import pytest
import sqlalchemy as sa

from kneelog.store import Store

pytestmark = [pytest.mark.reliability, pytest.mark.backends("sqlite", "postgresql")]

PER_WORKER = 500
DAY = dt.date(2026, 10, 5)


def _writer(url: str, worker: int, opened, results, migrate_first: bool) -> None:
    """Add PER_WORKER runs one transaction at a time, reading the data version between writes like a page does.

    Both workers open the store (at the same moment, when the database is new) and only then start writing, so the
    writes overlap however long the first open's schema upgrade takes.
    """
    from kneelog.models import Run  # imported in the child: spawn starts from a fresh interpreter

    try:
        if not migrate_first:
            opened.wait(timeout=60)  # open a brand-new database together
        store = Store(url)
        opened.wait(timeout=60)  # write together
        ids = []
        for i in range(PER_WORKER):
            run = Run(
                date=DAY - dt.timedelta(days=i % 300),
                distance_m=1000 + i,
                duration_s=400 + i,
                notes=f"worker {worker} run {i}",
                source="concurrency",
                source_id=f"{worker}-{i}",
            )
            ids.append(store.add(run))
            if i % 50 == 0:
                store.data_version()
                store.frame("run")
        results.put((worker, ids, None))
    except BaseException:  # noqa: BLE001 - the parent asserts on this text; nothing may escape unreported
        results.put((worker, [], traceback.format_exc()))


def _run_two_writers(url: str, migrate_first: bool) -> list[tuple[int, list[int], str | None]]:
    ctx = mp.get_context("spawn")
    opened, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_writer, args=(url, w, opened, results, migrate_first)) for w in (1, 2)]
    for p in workers:
        p.start()
    reports = [results.get(timeout=300) for _ in workers]
    for p in workers:
        p.join(timeout=60)
        assert p.exitcode == 0
    return sorted(reports)


@pytest.mark.parametrize(
    "migrate_first",
    [True, False],
    ids=["existing database", "both processes create the database at once"],
)
def test_two_processes_writing_500_entries_each_keep_all_1000(db_url: str, migrate_first: bool):
    url = db_url
    if migrate_first:
        Store(url).dispose()

    reports = _run_two_writers(url, migrate_first)

    assert [error for _, _, error in reports] == [None, None]  # no "database is locked" (or anything) reached a writer
    (_, first, _), (_, second, _) = reports
    assert max(first) > min(second) and max(second) > min(first)  # the two writers really overlapped in time
    ids = first + second
    assert len(ids) == len(set(ids)) == 2 * PER_WORKER
    engine = sa.create_engine(url)  # plain SQL, not kneelog's reads
    try:
        with engine.connect() as con:
            stored = {row[0] for row in con.exec_driver_sql("SELECT source_id FROM runs WHERE source = 'concurrency'")}
            assert stored == {f"{w}-{i}" for w in (1, 2) for i in range(PER_WORKER)}
            assert con.exec_driver_sql("SELECT count(*) FROM runs").scalar_one() == 2 * PER_WORKER
            assert sorted(r[0] for r in con.exec_driver_sql("SELECT id FROM runs")) == sorted(ids)
            version = con.exec_driver_sql("SELECT data_version FROM accounts WHERE id = 1").scalar_one()
            assert version == 2 * PER_WORKER  # the local athlete's writes, each bumping its version once
    finally:
        engine.dispose()
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as con:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
