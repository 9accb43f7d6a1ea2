"""Fixtures of the browser journeys: one Chromium for the session, one app server on a fresh database per module.

The journeys run in the normal ``python -m pytest`` (they carry the ``e2e`` marker, so ``-m "not e2e"`` leaves
them out locally). Without Chromium or Playwright they fail in CI (``CI=true``) and are skipped elsewhere, with a
message that says how to install what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kneelog.store import Store
from tests.e2e import harness

E2E_DIR = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: a journey in a real browser against `streamlit run app.py`")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call":
        item.journey_passed = report.passed  # type: ignore[attr-defined]
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless; a missing browser fails in CI and skips (saying how to install) elsewhere."""
    harness.require_browser()
    from playwright.sync_api import expect

    expect.set_options(timeout=harness.TIMEOUT_MS)
    with harness.chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.AppServer]:
    """``streamlit run app.py`` on a database of its own, shared by the journeys of one module."""
    folder = tmp_path_factory.mktemp("e2e_server")
    with harness.AppServer(f"sqlite:///{folder / 'kneelog.db'}", folder / "streamlit.log") as app_server:
        yield app_server


@pytest.fixture(scope="module")
def store(server: harness.AppServer) -> Iterator[Store]:
    """The server's database, to set up a journey's data or to check what a journey stored."""
    s = Store(server.db_url)
    yield s
    s.dispose()


@pytest.fixture
def open_app(
    browser, server: harness.AppServer, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., object]]:
    """Open the app in a fresh browser session: ``open_app(path="", viewport=DESKTOP)`` returns the Page.

    After a journey that passed, every page it opened must still show no Streamlit exception and must have raised
    no script error in the browser; after one that failed, a screenshot of each page is kept and its path printed.
    """
    pages = []

    def _open(path: str = "", viewport: dict[str, int] = harness.DESKTOP):
        page = harness.new_page(browser, viewport)
        pages.append(page)
        harness.open_path(page, server.url, path)
        return page

    yield _open
    if not getattr(request.node, "journey_passed", False):
        folder = tmp_path_factory.getbasetemp() / "e2e-failures"
        folder.mkdir(exist_ok=True)
        for number, page in enumerate(pages):
            shot = folder / f"{request.node.name}-{number}.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"The page at failure ({page.url}): {shot}")
    try:
        for page in pages if getattr(request.node, "journey_passed", False) else []:
            harness.assert_no_exception(page)
            assert not page.js_errors, f"script errors in the browser on {page.url}: {page.js_errors}"
    finally:
        for page in pages:
            page.context.close()
