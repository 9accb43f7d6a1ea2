"""Timing and profiling helpers: interleaved repeated runs, and where the time of one run goes.

The machine a benchmark runs on may be shared, so its speed drifts during a run. :func:`rounds` therefore runs the
things to compare one after the other in each round, and :func:`ratio` takes the median of the per-round ratios:
a slow minute slows both sides of a round alike.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path

#: Packages whose functions a profile lists.
PACKAGES = ("kneelog", "pandas", "numpy", "sqlalchemy", "pydantic", "altair", "jsonschema", "referencing")


def seconds(work: Callable[[], object]) -> float:
    """Wall-clock seconds of one run of ``work``."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def rounds(works: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Seconds of each of ``works``, run in turn in each of ``repeats`` rounds."""
    times: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(repeats):
        for name, work in works.items():
            times[name].append(seconds(work))
    return times


def ratio(times: dict[str, list[float]], numerator: str, denominator: str) -> float:
    """The median over rounds of ``numerator``'s time divided by ``denominator``'s."""
    return statistics.median(a / b for a, b in zip(times[numerator], times[denominator], strict=True))


def median(times: dict[str, list[float]], name: str) -> float:
    return statistics.median(times[name])


def profile(work: Callable[[], object], most: int | None = None) -> list[tuple[str, float, float]]:
    """Where one run of ``work`` spends its time: (function, own seconds, cumulative seconds), by cumulative time.

    Only functions of :data:`PACKAGES` are listed (the rest is the interpreter's plumbing); ``most`` keeps the first.
    """
    profiler = cProfile.Profile()
    profiler.runcall(work)
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, name), (_calls, _prim, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = Path(file)
        package = next((p for p in PACKAGES if p in path.parts), None)
        if package is None:
            continue
        rows.append((f"{'/'.join(path.parts[path.parts.index(package) :])}:{line} {name}", own, cumulative))
    return sorted(rows, key=lambda r: -r[2])[:most]


def by_file(rows: list[tuple[str, float, float]], most: int = 8) -> list[tuple[str, float]]:
    """Own seconds of a :func:`profile` summed by source file, largest first: which module the time is spent in."""
    totals: dict[str, float] = {}
    for name, own, _cumulative in rows:
        file = name.split(":", 1)[0]
        totals[file] = totals.get(file, 0.0) + own
    return sorted(totals.items(), key=lambda kv: -kv[1])[:most]
