"""The browser machinery shared by the journeys and the screenshot script.

:class:`AppServer` runs ``streamlit run app.py`` on a free port of kneelog's e2e range (8650-8659) against its own
SQLite file and stops it afterwards; :func:`launch_browser` starts Debian's Chromium (``/usr/bin/chromium``, never a
browser downloaded by ``playwright install``). The helpers below find things the way a runner does, by label and
visible text, or by the widget ``key=`` that Streamlit puts on each element as the CSS class ``st-key-<key>``; none
depends on the position of an element on the page.

Playwright is imported lazily, so a machine without it still collects the tests (and conftest says what to install).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Playwright

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "tests" / "data" / "samples"
CHROMIUM = Path("/usr/bin/chromium")
PORTS = range(8650, 8660)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}  # a common laptop screen (the design card asks for 1366 and 390)
PHONE = {"width": 390, "height": 844}
#: How long a rerun, a page load or an expectation may take on a busy two-core CI machine.
TIMEOUT_MS = 30_000
SERVER_START_S = 90.0
#: How long the app's websocket must stay quiet after a run before the page counts as settled.
QUIET_MS = 200

APP = "[data-testid='stApp']"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
INSTALL_HINT = (
    "install Debian's Chromium with `apt-get install chromium` and Playwright for Python with "
    '`pip install playwright` (or `pip install -e ".[test]"`); never `playwright install`'
)


def browser_problem() -> str | None:
    """What is missing to run the browser tests on this machine (with how to install it), or None."""
    missing = []
    if find_spec("playwright") is None:
        missing.append("the playwright Python package")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM}")
    if not missing:
        return None
    return f"The browser tests need {' and '.join(missing)}: {INSTALL_HINT}."


def require_browser() -> None:
    """Fail (in CI, where ``CI=true``) or skip (elsewhere) the calling test when the browser tests cannot run."""
    import pytest

    problem = browser_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {problem}", pytrace=False)
    pytest.skip(problem)


def expect(target: Any, message: str | None = None) -> Any:
    """Playwright's ``expect`` (auto-waiting assertions), imported only when a journey runs."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


# -- the app server ---------------------------------------------------------------------------------------------


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does: TIME_WAIT is not "in use"
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to stop the server if the test process dies without cleaning up (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


class AppServer:
    """``streamlit run app.py`` on a free port in 8650-8659, against the database ``db_url``.

    Use it as a context manager: entering starts the server and waits until ``/_stcore/health`` answers; leaving
    stops it (SIGTERM, then SIGKILL after ten seconds). The server's output goes to ``log_path``, and its last lines
    are quoted when it fails to start.
    """

    def __init__(self, db_url: str, log_path: Path, extra_args: tuple[str, ...] = ()):
        self.db_url = db_url
        self.log_path = log_path
        self.extra_args = extra_args
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return "(no output)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def start(self) -> None:
        """Start on the first free port of the range (trying the next one if another process takes it first)."""
        for port in PORTS:
            if _port_is_free(port) and self._start_on(port):
                return
        raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1} for the e2e app server.")

    def _start_on(self, port: int) -> bool:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *self.extra_args,
        ]
        env = os.environ | {"KNEELOG_DATABASE_URL": self.db_url, "PYTHONUNBUFFERED": "1"}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self.port = port
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "is not available" in self.log_tail():  # another process took the port meanwhile
                    self.process = None
                    return False
                raise RuntimeError(f"streamlit exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                if r.status == 200 and f":{port}" in self.log_tail():
                    return True
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not answer on port {port} within {SERVER_START_S:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and everything it started; safe to call twice."""
        if self.process is None or self.process.poll() is not None:
            return
        for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=wait_s)
                return


# -- the browser ------------------------------------------------------------------------------------------------


def launch_browser(playwright: Playwright) -> Browser:
    """Headless Debian Chromium with the flags a container needs."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Playwright and a launched Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser, viewport: dict[str, int]) -> Page:
    """A page in a fresh browser context (a fresh Streamlit session).

    It records uncaught script errors (``page.js_errors``), counts the messages the app server sends on its
    websocket (``page.kneelog_frames``) and, among them, the ends of script runs (``page.kneelog_runs``):
    :func:`rerun` watches both.
    """
    context = browser.new_context(viewport=viewport, device_scale_factor=1, reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))  # type: ignore[attr-defined]
    page.kneelog_frames = 0  # type: ignore[attr-defined]
    page.kneelog_runs = 0  # type: ignore[attr-defined]

    def count_frame(payload: bytes | str) -> None:
        page.kneelog_frames += 1  # type: ignore[attr-defined]
        if isinstance(payload, bytes) and _ends_a_run(payload):
            page.kneelog_runs += 1  # type: ignore[attr-defined]

    page.on("websocket", lambda socket: socket.on("framereceived", count_frame))
    return page


def _ends_a_run(payload: bytes) -> bool:
    """Whether a message from the app server says a script run (or a fragment's run) has ended.

    Not every message belongs to a run: the server also answers the page's heartbeats and reports its status.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg()
    try:
        message.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - not a ForwardMsg, so not the end of a run
        return False
    return message.WhichOneof("type") == "script_finished"


# -- moving around ----------------------------------------------------------------------------------------------


def wait_idle(page: Page) -> None:
    """Wait until the app's script has finished its current run."""
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


def assert_no_exception(page: Page) -> None:
    """Fail, quoting it, if Streamlit shows an exception anywhere on the page."""
    shown = page.locator(EXCEPTION)
    if shown.count():
        raise AssertionError(f"Streamlit shows an exception on {page.url}:\n{shown.first.inner_text()}")


def open_path(page: Page, base_url: str, path: str = "") -> None:
    """Load a page of the app by its URL path ("" is Today, "log", "history", ...) and wait for its run."""
    before = page.kneelog_runs  # type: ignore[attr-defined]
    page.goto(f"{base_url}/{path}")
    settle(page, before, f"loading /{path}")


def rerun(page: Page, action: Callable[[], object], what: str = "") -> None:
    """Do ``action`` (a click, a change) that makes Streamlit rerun the script, and wait until that run is done."""
    before = page.kneelog_runs  # type: ignore[attr-defined]
    action()
    settle(page, before, what or str(action))


def settle(page: Page, runs_before: int, what: str) -> None:
    """Wait for the run that ``what`` started to end, then check that no exception is shown.

    A run is seen on the wire: the server ends every run with a message on the app's websocket, even a run so quick
    that the page never shows it as running. Any message will not do (the server also answers heartbeats, which
    once let a check read the page before the run a tap started had even begun). Once a run has ended, the page is
    settled when the app is idle and the socket has been quiet for a moment (a run may start another); then no
    element may be left stale.
    """
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while page.kneelog_runs == runs_before:  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            raise AssertionError(f"the app did not run after {what}")
        page.wait_for_timeout(50)
    seen = -1
    while seen != page.kneelog_frames:  # type: ignore[attr-defined]
        seen = page.kneelog_frames  # type: ignore[attr-defined]
        wait_idle(page)
        page.wait_for_timeout(QUIET_MS)
    expect(page.locator("[data-stale='true']")).to_have_count(0)
    assert_no_exception(page)


def key(page: Page | Locator, widget_key: str) -> Locator:
    """The element of the widget created with ``key=widget_key``."""
    return page.locator(f".st-key-{widget_key}")


def sidebar_link(page: Page, title: str) -> Locator:
    """The navigation link of a page, opening the sidebar first when it is collapsed (phone width)."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "true":
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
    return sidebar.get_by_test_id("stSidebarNavLink").and_(sidebar.get_by_role("link", name=title, exact=True))


def go_to(page: Page, title: str) -> None:
    """Open a page the way a runner does: its link in the navigation sidebar.

    On a phone the sidebar opens over the page and stays open after the tap, so it is closed again, as a runner
    would close it.
    """
    sidebar = page.get_by_test_id("stSidebar")
    was_collapsed = sidebar.get_attribute("data-collapsed") == "true"
    link = sidebar_link(page, title)
    href = link.get_attribute("href")
    rerun(page, link.click, f"opening {title}")
    expect(page).to_have_url(href)
    if was_collapsed and sidebar.get_attribute("data-collapsed") == "false":
        sidebar.get_by_role("button", name="Collapse sidebar").click()
        expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()


def segment(page: Page, widget_key: str, label: str) -> None:
    """Choose the option shown as ``label`` (after any icon) in the segmented control ``key=widget_key``."""
    option = key(page, widget_key).get_by_role("radio").filter(has_text=re.compile(rf"{re.escape(label)}$"))
    rerun(page, option.click)
    expect(option).to_have_attribute("aria-checked", "true")


def pick(page: Page, widget_key: str, option: str | re.Pattern[str]) -> None:
    """Choose ``option`` (its whole visible text, or a pattern) in the selectbox created with ``key=widget_key``."""
    box = key(page, widget_key).get_by_role("combobox")
    current = box.input_value()
    if option == current if isinstance(option, str) else option.search(current):
        return
    box.scroll_into_view_if_needed()
    box.click()
    expect(box).to_have_attribute("aria-expanded", "true")
    rerun(page, page.get_by_role("option", name=option, exact=isinstance(option, str)).first.click)
    expect(box).to_have_value(option)


def assert_fits_width(page: Page, element: Locator) -> None:
    """Fail if ``element`` sticks out of the window sideways (cut off on a phone)."""
    box = element.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None, f"{element} is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{element} spans {box} in a {width} px window"


def metric(page: Page, label: str) -> str:
    """The value shown by the ``st.metric`` labelled ``label``."""
    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return box.get_by_test_id("stMetricValue").inner_text().strip()


_READ_GRID = """grid => {
  const headers = [...grid.querySelectorAll("thead th")].map(th => th.innerText.trim());
  return [...grid.querySelectorAll("tbody tr")].map(tr =>
    Object.fromEntries([...tr.querySelectorAll("td")].map((td, i) => [headers[i], td.innerText.trim()])));
}"""


def table(frame: Locator, column: str, absent: str | None = None) -> list[dict[str, str]]:
    """The rows an ``st.dataframe`` shows, header -> text, once it has a column headed ``column`` (and, when the
    table before a rerun had other columns, none headed ``absent``).

    Read from the grid's accessible table, which holds the cells drawn so far: the first screenful of rows, and
    on a phone only the columns that fit.
    """
    grid = frame.locator("table[role='grid']")
    header = grid.locator("thead th")
    expect(header.filter(has_text=re.compile(rf"^{re.escape(column)}$"))).to_have_count(1)
    if absent:
        expect(header.filter(has_text=re.compile(rf"^{re.escape(absent)}$"))).to_have_count(0)
    return grid.evaluate(_READ_GRID)


def headers(frame: Locator) -> list[str]:
    """The column headers an ``st.dataframe`` shows."""
    return [h.strip() for h in frame.locator("table[role='grid'] thead th").all_inner_texts()]


_COUNT_MARKS = """root => {
  // SVG: the shapes inside Vega's data-mark groups (role-mark), not axes, grid lines or legends.
  const svg = root.querySelectorAll("svg g.role-mark > path, svg g.role-mark > line, svg g.role-mark > rect, " +
                                    "svg g.role-mark > circle, svg g.role-mark > text");
  if (root.querySelector("svg")) return svg.length;
  // Canvas (Vega's choice for big data): count coloured pixels; axes, grid and labels are drawn in greys.
  let coloured = 0;
  for (const canvas of root.querySelectorAll("canvas")) {
    const ctx = canvas.getContext("2d");
    if (!ctx || !canvas.width || !canvas.height) continue;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured += 1;
    }
  }
  return coloured;
}"""


def chart_marks(chart: Locator) -> int:
    """How many data marks a Vega-Lite chart drew (SVG shapes in its mark groups; on a canvas, coloured pixels).

    Axes, grid lines and legends do not count, so an empty chart with axes gives 0.
    """
    expect(chart.locator("svg, canvas").first).to_be_visible()
    return chart.evaluate(_COUNT_MARKS)


def tap_row(page: Page, row: int) -> None:
    """Tap the selection box of row ``row`` (0 = the first) of the page's one table (History picks entries so).

    The grid is a canvas: a header row, then rows of 35 px, with the selection box in the first column.
    """
    box = page.get_by_test_id("stDataFrame").bounding_box()
    rerun(page, lambda: page.mouse.click(box["x"] + 16, box["y"] + 38 + 35 * row + 17), f"tapping row {row}")


def charts(page: Page) -> Locator:
    """Every Vega-Lite (Altair) chart on the page."""
    return page.get_by_test_id("stVegaLiteChart")


_CONTENT_HEIGHT = """() => {
  const block = document.querySelector("[data-testid='stMainBlockContainer']");
  const style = block ? getComputedStyle(block) : null;
  const bottom = block ? block.getBoundingClientRect().bottom + parseFloat(style.paddingBottom || 0) : 0;
  const scrolled = [...document.querySelectorAll("[data-testid='stMain'], [data-testid='stAppViewContainer']")]
    .map(e => e.scrollHeight);
  return Math.ceil(Math.max(bottom, document.documentElement.scrollHeight, ...scrolled));
}"""
#: Chromium's limit for one screenshot is 16384 px; no kneelog page comes near it.
MAX_SCREENSHOT_PX = 16_000


def full_height_screenshot(page: Page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so grow the window to fit it.

    The window grows until the content stops growing (charts and wrapped text re-lay out at each new size).
    """
    width = page.viewport_size["width"]
    height = page.viewport_size["height"]
    for _ in range(5):
        page.evaluate("() => document.querySelector(\"[data-testid='stMain']\")?.scrollTo(0, 0)")
        needed = min(page.evaluate(_CONTENT_HEIGHT), MAX_SCREENSHOT_PX)
        if needed <= height:
            break
        height = needed
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)  # charts re-lay out to the new size
        wait_idle(page)
    page.screenshot(path=str(path), animations="disabled")


def page_titles() -> dict[str, str]:
    """Each page file wired in app.py -> the title its navigation link shows."""
    import ast

    titles = {}
    for node in ast.walk(ast.parse((REPO / "app.py").read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            title = next((k.value.value for k in node.keywords if k.arg == "title"), None)
            titles[node.args[0].value] = title
    return titles
