"""A direct link to a page (a runner's bookmark) is the very first thing a freshly started server is asked for.

The folder of the pages is called ``pages/``, so Streamlit starts in its legacy multipage mode, where such a link
runs that page alone (no navigation, no page config) until app.py has run once in the process.
``pages._ui._leave_pages_directory_mode`` switches that mode off through a private Streamlit class; these journeys
fail if a Streamlit upgrade breaks it. Each one starts its own server, which no browser has opened before: the
module's shared ``server`` fixture would already have run app.py for an earlier journey.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.e2e import harness
from tests.e2e.harness import expect, page_titles, sidebar_link

#: What ``st.set_page_config(page_title=...)`` in app.py puts in the browser tab, whichever page is open.
TAB_TITLE = "kneelog"


@pytest.fixture
def fresh_server(browser: object, tmp_path: Path) -> Iterator[harness.AppServer]:
    """``streamlit run app.py`` started for this test alone, on its own database; nothing has opened it yet."""
    with harness.AppServer(f"sqlite:///{tmp_path / 'kneelog.db'}", tmp_path / "streamlit.log") as app_server:
        yield app_server


@pytest.mark.parametrize(("path", "title"), [("history", "History"), ("settings", "Settings")])
def test_a_direct_link_opens_the_page_inside_the_app_on_a_fresh_server(browser, fresh_server, tmp_path, path, title):
    page = harness.new_page(browser, harness.DESKTOP)
    try:
        harness.open_path(page, fresh_server.url, path)  # the server's first page request, not "/" first

        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_test_id("stSidebarNav"), "app.py's navigation is shown").to_be_visible()
        links = sidebar.get_by_test_id("stSidebarNavLink")
        expect(links, "app.py's pages, not the legacy listing of pages/*.py").to_have_count(len(page_titles()))
        for link_title in page_titles().values():
            expect(sidebar_link(page, link_title)).to_be_visible()
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
        expect(page, "app.py's page config titles the tab").to_have_title(TAB_TITLE)
        assert urlparse(page.url).path == f"/{path}", f"the link {path!r} ended on {page.url}"
        harness.assert_no_exception(page)
        assert not page.js_errors, f"script errors in the browser on {page.url}: {page.js_errors}"
    except BaseException:
        shot = tmp_path / f"direct-{path}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"The page at failure ({page.url}): {shot}\nThe server's output:\n{fresh_server.log_tail()}")
        raise
    finally:
        page.context.close()
