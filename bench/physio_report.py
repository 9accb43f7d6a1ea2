"""The physio report at ten years of data: the last 52 weeks as a PDF (and as a web page), timed and weighed.

Issue 14 asks for a report of 52 weeks from ten years of data in at most :data:`LIMIT_S` seconds on this machine, and
a PDF under :data:`LIMIT_BYTES`. A first report in a process also starts vl-convert's JavaScript runtime, so one is
made before the timed ones; each timed report reads the database, builds the contents and lays out the PDF.
``python -m bench.physio_report URL`` measures one database alone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics
import sys
import time

from bench.timing import seconds
from kneelog import clock
from kneelog.report import build, last_weeks, source, to_html, to_pdf
from kneelog.store import Store

WEEKS = 52
REPEATS = 3
LIMIT_S = 3.0
LIMIT_BYTES = 1_000_000


def _report(url: str, today: dt.date):
    store = Store(url)
    got = source.read(store)
    store.dispose()
    start, end = last_weeks(got.frames, today, WEEKS)
    return build(got.frames, got.settings, start, end, today=today, scores=got.scores)


def measure(url: str) -> dict:
    """Seconds (median of :data:`REPEATS`) to read, build and lay out the 52-week report, its parts, and its sizes."""
    store = Store(url)
    today = clock.local_today(store.settings().timezone)
    store.dispose()
    to_pdf(_report(url, today))  # starts vl-convert's runtime, once per process
    made, times = None, {"build": [], "pdf": [], "html": [], "cpu": []}
    for _ in range(REPEATS):
        cpu_start = time.process_time()
        clock_start = time.perf_counter()
        made = _report(url, today)
        times["build"].append(time.perf_counter() - clock_start)
        times["pdf"].append(seconds(lambda made=made: to_pdf(made)))
        times["cpu"].append(time.process_time() - cpu_start)
        times["html"].append(seconds(lambda made=made: to_html(made)))
    pdf, html = to_pdf(made), to_html(made)
    build_s, pdf_s = statistics.median(times["build"]), statistics.median(times["pdf"])
    return {
        "weeks": made.weeks,
        "period": made.period,
        "build_s": build_s,
        "pdf_s": pdf_s,
        "total_s": statistics.median(b + p for b, p in zip(times["build"], times["pdf"], strict=True)),
        "html_s": statistics.median(times["html"]),
        "cpu_s": statistics.median(times["cpu"]),
        "load": os.getloadavg()[0],
        "pdf_bytes": len(pdf),
        "pdf_pages": len(re.findall(rb"/Type\s*/Page\b", pdf)),
        "html_bytes": len(html.encode("utf-8")),
    }


def lines(result: dict) -> list[str]:
    """The RESULTS.md section of the report's figures."""
    ok = result["total_s"] <= LIMIT_S and result["pdf_bytes"] < LIMIT_BYTES
    return [
        "## Physio report (ten years, last 52 weeks)",
        "",
        f"{'Meets' if ok else 'Misses'} the target of at most {LIMIT_S:g} s and a PDF under {LIMIT_BYTES:,} bytes. "
        f"The report for {result['period']}, median of {REPEATS} after a first one that starts vl-convert:",
        "",
        "| part | seconds |",
        "|---|---|",
        f"| read the database and build the contents (`kneelog.report.build`) | {result['build_s']:.2f} |",
        f"| lay out the PDF with its two charts as PNG (`to_pdf`) | {result['pdf_s']:.2f} |",
        f"| **read, build and PDF** | **{result['total_s']:.2f}** |",
        f"| the web page with inline SVG charts (`to_html`), besides | {result['html_s']:.2f} |",
        "",
        f"The read, build and PDF took {result['cpu_s']:.2f} s of CPU time (all the process's threads) while the "
        f"machine's load average was {result['load']:.1f}: on a shared machine the wall-clock time grows with the "
        "load, the CPU time much less.",
        "",
        f"PDF: {result['pdf_bytes']:,} bytes, {result['pdf_pages']} A4 pages; "
        f"web page: {result['html_bytes']:,} bytes.",
        "",
    ]


def check(result: dict) -> None:
    """Fail the bench when the report misses its targets (asserted here, not in timed tests)."""
    if result["total_s"] > LIMIT_S or result["pdf_bytes"] >= LIMIT_BYTES:
        raise SystemExit(
            f"the physio report took {result['total_s']:.2f} s (limit {LIMIT_S:g}) and its PDF is "
            f"{result['pdf_bytes']:,} bytes (limit {LIMIT_BYTES:,})"
        )


if __name__ == "__main__":
    measured = measure(sys.argv[1])
    print("\n".join(lines(measured)))
