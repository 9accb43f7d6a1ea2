"""Headless Chromium: from opening the dashboard at ten years to every chart of its first view drawn, against a
one-chart page; and the same for each of its sections, opened by its link.

Both pages are served the same way (``streamlit run`` on this machine, ports 8644-8645) and opened in a fresh
browser context each time; the clock runs from the navigation until every Vega-Lite chart on the page has drawn its
marks (SVG mark elements, or ink on its canvas). The first view is the Overview, the section the page opens on; the
other sections are opened by their links (``/dashboard?section=Load``), as a runner's bookmark would. The first visit
warms the server's caches and is reported apart.

The machine is shared, so one load can take twice another for no reason of its own. The first view is therefore
timed in :data:`TRIALS` bracketed trials (:func:`bracketed`): one-chart, dashboard, one-chart, dashboard, …,
one-chart; each dashboard load is divided by the mean of the one-chart loads either side of it, and the ratio
reported is the median of those, with its quartiles and range, so a reader sees how far a single trial can stray.

``python -m bench.browser`` makes the ten-year athlete and times the first view alone (a few minutes), without
writing RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.timing import median, ratio, rounds

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
#: Dashboard loads of the first view, each between two one-chart loads (see :func:`bracketed`).
TRIALS = 15
#: Rounds for the sections after the first view (each opened by its link).
SECTION_REPEATS = 3
TIMEOUT_MS = 120_000

_ALL_DRAWN = """expected => {
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  if (charts.length < expected) return false;
  return charts.every(chart => {
    if (chart.querySelector("svg g.mark-rect path, svg g.mark-line path, svg g.mark-symbol path, svg g.mark-rule line"))
      return true;
    const canvas = chart.querySelector("canvas");
    if (!canvas || !canvas.width || !canvas.height) return false;
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4 * 13) if (data[i] > 0) return true;
    return false;
  });
}"""


@contextlib.contextmanager
def served(script: str, port: int, database_url: str | None = None) -> Iterator[str]:
    """``streamlit run script`` on ``port`` until the block ends; yields the base URL."""
    env = os.environ | ({"KNEELOG_DATABASE_URL": database_url} if database_url else {})
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port",
               str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health"):
                break
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"streamlit run {script} did not start on port {port}")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _time_to_charts(browser, url: str, charts: int) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(_ALL_DRAWN, arg=charts, timeout=TIMEOUT_MS, polling=50)
        return time.perf_counter() - start
    finally:
        context.close()


def bracketed(subject: Callable[[], float], reference: Callable[[], float], trials: int) -> dict:
    """``trials`` timings of ``subject``, each between two of ``reference`` (reference, subject, reference, …,
    reference: ``2 * trials + 1`` loads), and the ratio of each subject load to the mean of its two neighbours.

    A slow spell of the machine slows a subject load and the reference loads beside it alike, so the per-trial
    ratios vary far less than the times; their median is the figure reported, their quartiles and range its spread.

    Returns:
        ``subject_s`` and ``reference_s`` (medians), ``ratio`` (median of the per-trial ratios), ``ratio_quartiles``
        and ``ratio_range`` (lowest, highest) of those ratios, and ``ratios``, every per-trial ratio in order.
    """
    if trials < 1:
        raise ValueError("time at least one trial")
    references, subjects = [reference()], []
    for _ in range(trials):
        subjects.append(subject())
        references.append(reference())
    ratios = [
        s / ((before + after) / 2) for s, before, after in zip(subjects, references[:-1], references[1:], strict=True)
    ]
    quartiles = statistics.quantiles(ratios, n=4, method="inclusive") if len(ratios) > 1 else [ratios[0]] * 3
    return {
        "subject_s": statistics.median(subjects),
        "reference_s": statistics.median(references),
        "ratio": statistics.median(ratios),
        "ratio_quartiles": (quartiles[0], quartiles[2]),
        "ratio_range": (min(ratios), max(ratios)),
        "ratios": ratios,
    }


def _section_url(app: str, section: str) -> str:
    return f"{app}/dashboard?{urllib.parse.urlencode({'section': section})}"


def measure(database_url: str, charts: dict[str, int], screenshot: Path | None = None) -> dict:
    """Seconds to every chart drawn: the dashboard's first view at ten years, the one-chart page and their ratio;
    then each other section opened by its link, against the one-chart page in the same rounds.

    Args:
        database_url: the ten-year database.
        charts: the charts each section draws, by section name, the first view (the page's first section) first.
        screenshot: where to save a full-page screenshot of the first view, if anywhere.
    """
    from playwright.sync_api import sync_playwright

    if not charts or min(charts.values()) < 1:
        raise ValueError("give the number of charts each dashboard section draws (at least one)")
    first_view, first_charts = next(iter(charts.items()))

    with (
        served("app.py", 8644, database_url) as app,
        served("bench/one_chart.py", 8645) as one,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            warm_up = browser.new_page()
            warm_up.goto(app)  # one visit to start the app (untimed)
            warm_up.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS)
            warm_up.close()
            first_dashboard = _time_to_charts(browser, f"{app}/dashboard", first_charts)
            first_one = _time_to_charts(browser, one, 1)
            trials = bracketed(
                lambda: _time_to_charts(browser, f"{app}/dashboard", first_charts),
                lambda: _time_to_charts(browser, one, 1),
                TRIALS,
            )
            others = dict(list(charts.items())[1:])  # the first view is timed above, opened as a runner opens the page
            for section, count in others.items():  # each section's caches warmed once, untimed
                _time_to_charts(browser, _section_url(app, section), count)
            by_section = rounds(
                {"one": lambda: _time_to_charts(browser, one, 1)}
                | {
                    section: (
                        lambda section=section, count=count: _time_to_charts(browser, _section_url(app, section), count)
                    )
                    for section, count in others.items()
                },
                SECTION_REPEATS,
            )
            if screenshot is not None:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{app}/dashboard")
                page.wait_for_function(_ALL_DRAWN, arg=first_charts, timeout=TIMEOUT_MS)
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return {
        "first_view": first_view,
        "dashboard_first_s": first_dashboard,
        "one_chart_first_s": first_one,
        "dashboard_s": trials["subject_s"],
        "one_chart_s": trials["reference_s"],
        "ratio": trials["ratio"],
        "ratio_quartiles": trials["ratio_quartiles"],
        "ratio_range": trials["ratio_range"],
        "ratios": trials["ratios"],
        "trials": TRIALS,
        "sections": {
            section: {"charts": count, "s": median(by_section, section), "ratio": ratio(by_section, section, "one")}
            for section, count in others.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Time the first view alone on a fresh ten-year athlete (in ``bench/out/``) and print the figures."""
    from bench.__main__ import _database  # the whole bench's athlete, made the same way

    argparse.ArgumentParser(prog="python -m bench.browser", description=main.__doc__).parse_args(argv)
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    url, held = _database(out / "browser_ten_years.db", 3650)
    load = os.getloadavg()[0]
    result = measure(url, {"Overview": 1})
    low, high = result["ratio_quartiles"]
    print(f"ten years ({held}); load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
    print(
        f"first view {result['dashboard_s']:.2f} s vs one chart {result['one_chart_s']:.2f} s: "
        f"{result['ratio']:.2f}x (quartiles {low:.2f}-{high:.2f}, range {result['ratio_range'][0]:.2f}-"
        f"{result['ratio_range'][1]:.2f}, {result['trials']} bracketed trials)"
    )
    print("per trial:", " ".join(f"{r:.2f}" for r in result["ratios"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
