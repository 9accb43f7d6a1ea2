"""Headless Chromium: from opening the dashboard at ten years to every chart of its first view drawn, against a
one-chart page; and the same for each of its sections, opened by its link.

Both pages are served the same way (``streamlit run`` on this machine, ports 8644-8645) and opened in a fresh
browser context each time; the clock runs from the navigation until every Vega-Lite chart on the page has drawn its
marks (SVG mark elements, or ink on its canvas). The first view is the Overview, the section the page opens on; the
other sections are opened by their links (``/dashboard?section=Load``), as a runner's bookmark would. The first visit
warms the server's caches and is reported apart.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.timing import median, ratio, rounds

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
REPEATS = 5
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
            times = rounds(
                {
                    "dashboard": lambda: _time_to_charts(browser, f"{app}/dashboard", first_charts),
                    "one": lambda: _time_to_charts(browser, one, 1),
                },
                REPEATS,
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
        "dashboard_s": median(times, "dashboard"),
        "one_chart_s": median(times, "one"),
        "ratio": ratio(times, "dashboard", "one"),
        "sections": {
            section: {"charts": count, "s": median(by_section, section), "ratio": ratio(by_section, section, "one")}
            for section, count in others.items()
        },
    }
