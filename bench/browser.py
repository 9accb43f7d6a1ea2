"""Headless Chromium: from opening the dashboard at ten years to every chart drawn, against a one-chart page.

Both pages are served the same way (``streamlit run`` on this machine, ports 8644-8645) and opened in a fresh
browser context each time; the clock runs from the navigation until every Vega-Lite chart on the page has drawn its
marks (SVG mark elements, or ink on its canvas). The first visit warms the server's caches and is reported apart.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.timing import median, ratio, rounds

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
REPEATS = 5
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


def measure(database_url: str, charts: int, screenshot: Path | None = None) -> dict:
    """Seconds to every chart drawn: dashboard at ten years (``charts`` charts) and the one-chart page; the ratio."""
    from playwright.sync_api import sync_playwright

    if charts < 1:
        raise ValueError("give the number of charts the dashboard draws (at least one)")

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
            first_dashboard = _time_to_charts(browser, f"{app}/dashboard", charts)
            first_one = _time_to_charts(browser, one, 1)
            times = rounds(
                {
                    "dashboard": lambda: _time_to_charts(browser, f"{app}/dashboard", charts),
                    "one": lambda: _time_to_charts(browser, one, 1),
                },
                REPEATS,
            )
            if screenshot is not None:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{app}/dashboard")
                page.wait_for_function(_ALL_DRAWN, arg=charts, timeout=TIMEOUT_MS)
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return {
        "dashboard_first_s": first_dashboard,
        "one_chart_first_s": first_one,
        "dashboard_s": median(times, "dashboard"),
        "one_chart_s": median(times, "one"),
        "ratio": ratio(times, "dashboard", "one"),
    }
