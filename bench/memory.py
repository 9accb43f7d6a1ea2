"""Peak memory of the import and of a dashboard run, each in a process of its own.

``python -m bench.memory import FILE DBURL`` or ``python -m bench.memory dashboard DBURL`` prints one JSON line:
the Python heap's peak during the work (tracemalloc) and the process's resident set before the work and at its peak
(``VmRSS`` and ``VmHWM`` from /proc/self/status, Linux).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(*args: str) -> dict:
    """Run this module in a fresh interpreter with ``args`` and return what it measured."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", *args], cwd=REPO, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _main(kind: str, *args: str) -> None:
    if kind == "import":
        from bench.importing import full_import
        from kneelog.store import Store

        path, store = Path(args[0]), Store(args[1])
        work = lambda: full_import(path, store)  # noqa: E731
    else:
        from bench.dashboard import open_dashboard

        work = open_dashboard(args[0]).run
    before = _status_mb("VmRSS")
    tracemalloc.start()
    work()
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"heap_peak_mb": heap_peak / 2**20, "rss_before_mb": before, "rss_peak_mb": _status_mb("VmHWM")}))


if __name__ == "__main__":
    _main(*sys.argv[1:])
