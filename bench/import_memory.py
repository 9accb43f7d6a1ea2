"""Peak memory and time of the imports that used to exhaust memory, each in a fresh process; memory is asserted here.

Matching an import with the log once paired every activity of a day with every other: an intervals.icu file of
2,000 runs on one day peaked at 1.69 GB, 8,000 raised a numpy MemoryError, and a per-second recording of one
50-minute run mapped as "any CSV" (3,000 rows on one day) took 2.56 GB. The cases, each previewed and written into
an empty SQLite file as the Import page does:

- ``100k``: a Strava export of 100,000 activities over 56 years (:func:`bench.import_large.export`);
- ``same_day``: 2,000 runs on one day, 30 seconds apart (:func:`same_day`);
- ``same_day_alike``: 2,000 copies of one run at one start (every pair of the day within the tolerance);
- ``same_day_8000``: 8,000 runs on one day, 10 seconds apart (dozens within 5 minutes of each);
- ``per_second``: a per-second recording of a 50-minute run mapped as any CSV (:func:`per_second`).

Each case runs twice in a fresh interpreter: once plain, for the seconds and the process's resident set (from
/proc/self/status: ``VmRSS`` before the work, ``VmHWM`` after), once under tracemalloc for the Python heap's peak
(tracemalloc slows the work, so its seconds are not kept). ``python -m bench.import_memory`` prints the figures and
exits non-zero when one is over :data:`BUDGET_MB`; ``python -m bench`` reports them in RESULTS.md, then checks them
(:func:`check`).
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Every case must stay well under this, on the Python heap and in the whole process.
BUDGET_MB = 500.0
INTERVALS_HEAD = "id,start_date_local,name,type,moving_time,distance,elapsed_time"
#: The column mapping a runner would make for :func:`per_second` (any CSV).
PER_SECOND_MAPPING = {
    "date": "time",
    "distance": "distance_m",
    "distance_unit": "m",
    "duration": "elapsed_s",
    "duration_unit": "s",
}
CASES = {
    "100k": "a Strava export of 100,000 activities",
    "same_day": "2,000 runs on one day, 30 s apart (intervals.icu)",
    "same_day_alike": "2,000 copies of one run on one day (intervals.icu)",
    "same_day_8000": "8,000 runs on one day, 10 s apart (intervals.icu)",
    "per_second": "a per-second recording of a 50-minute run mapped as any CSV (3,000 rows)",
}


def same_day(runs: int = 2000, *, every_s: int = 30, alike: bool = False) -> bytes:
    """intervals.icu: ``runs`` runs on 2 October 2026 from 00:30, one every ``every_s`` seconds. Unless ``alike``,
    their distances take 11 values 200 m apart in turn (at 30 s apart, no two within 5 minutes agree within 3%);
    ``alike``: every run the same, at 00:30."""
    start = dt.datetime(2026, 10, 2, 0, 30)
    lines = [INTERVALS_HEAD]
    for k in range(runs):
        when = start + dt.timedelta(seconds=0 if alike else every_s * k)
        metres = 5000 if alike else 3000 + 200 * (k % 11)
        lines.append(f"i{k},{when:%Y-%m-%dT%H:%M:%S},Run {k},Run,1500,{metres},1500")
    return ("\n".join(lines) + "\n").encode()


def per_second(seconds: int = 3000) -> bytes:
    """A watch's per-second recording: the time, the distance so far (3 m a second), heart rate, seconds so far."""
    start = dt.datetime(2026, 10, 2, 7, 0)
    lines = ["time,distance_m,heart_rate,elapsed_s"] + [
        f"{start + dt.timedelta(seconds=i):%Y-%m-%d %H:%M:%S},{3 * i},{120 + i % 40},{i + 1}" for i in range(seconds)
    ]
    return ("\n".join(lines) + "\n").encode()


def _file(case: str) -> bytes:
    if case == "100k":
        from bench.import_large import export

        return export(100_000)
    if case == "per_second":
        return per_second()
    if case == "same_day_8000":
        return same_day(8000, every_s=10)
    return same_day(alike=case == "same_day_alike")


def measure(folder: Path) -> dict[str, dict]:
    """Write each case's file into ``folder`` and measure its import in fresh interpreters; figures by case."""
    results: dict[str, dict] = {}
    for case in CASES:
        path = folder / f"import_memory_{case}.csv"
        data = _file(case)
        path.write_bytes(data)
        plain = _child(case, path, folder / f"import_memory_{case}.db", traced=False)
        traced = _child(case, path, folder / f"import_memory_{case}_traced.db", traced=True)
        results[case] = plain | {"heap_peak_mb": traced["heap_peak_mb"], "file_mb": len(data) / 2**20}
    return results


def check(results: dict[str, dict], budget_mb: float = BUDGET_MB) -> None:
    """Fail when a case's heap or process peak reaches ``budget_mb``.

    Raises:
        AssertionError: naming each case over budget and its figures.
    """
    over = [
        f"{case}: heap {r['heap_peak_mb']:.0f} MB, process {r['rss_peak_mb']:.0f} MB"
        for case, r in results.items()
        if max(r["heap_peak_mb"], r["rss_peak_mb"]) >= budget_mb
    ]
    assert not over, f"imports over the {budget_mb:g} MB memory budget: {'; '.join(over)}"


def rows(results: dict[str, dict]) -> list[str]:
    """The lines of RESULTS.md's results table for these figures."""
    lines = []
    for case, r in results.items():
        ok = max(r["heap_peak_mb"], r["rss_peak_mb"]) < BUDGET_MB
        lines.append(
            f"| import of {CASES[case]} ({r['file_mb']:.1f} MB; {r['added']:,} added), preview and write | "
            f"{r['seconds']:.2f} s; Python heap peak {r['heap_peak_mb']:.0f} MB; process {r['rss_before_mb']:.0f} "
            f"MB before, {r['rss_peak_mb']:.0f} MB at peak | under {BUDGET_MB:g} MB | {'met' if ok else '**missed**'} |"
        )
    return lines


def _child(case: str, path: Path, db: Path, *, traced: bool) -> dict:
    args = [sys.executable, "-m", "bench.import_memory", "--child", case, str(path), str(db)]
    done = subprocess.run([*args, "traced"] if traced else args, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status_mb(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process, from /proc/self/status (Linux); elsewhere
    the peak from ``getrusage`` (which on Linux keeps the parent's peak across ``exec``, hence /proc first)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 2**20)


def _import(case: str, path: Path, db: Path, traced: bool) -> dict:
    from kneelog.importers import ColumnMapping, session
    from kneelog.models import Settings
    from kneelog.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store(f"sqlite:///{db}")
    store.save_settings(Settings(timezone="UTC"))
    mapping = ColumnMapping(**PER_SECOND_MAPPING) if case == "per_second" else None
    upload = session.Upload(path.name, path.read_bytes(), mapping=mapping)
    before = _status_mb("VmRSS")
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    summary = session.commit(store, session.preview(store, [upload]))
    seconds = time.perf_counter() - started
    heap = tracemalloc.get_traced_memory()[1] / 2**20 if traced else float("nan")
    store.dispose()
    assert not summary.refused_files, summary.refused_files
    return {
        "seconds": seconds,
        "heap_peak_mb": heap,
        "rss_before_mb": before,
        "rss_peak_mb": _status_mb("VmHWM"),
        "added": sum(summary.added.values()),
    }


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        case, path, db = sys.argv[2:5]
        print(json.dumps(_import(case, Path(path), Path(db), traced=sys.argv[5:6] == ["traced"])))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        results = measure(Path(folder))
    for line in rows(results):
        print(line)
    check(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
