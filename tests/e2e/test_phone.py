"""On a phone (390 px): the sidebar gets out of the way, and no page makes the runner scroll sideways.

Streamlit (1.67) closes the navigation sidebar after a page is chosen when the browser says it is a phone (by its
user agent), so the journeys that check it present a phone's user agent; the rest keep the harness's browser, whose
narrow window alone makes the layout a phone's.
"""

from __future__ import annotations

import pytest

from kneelog.demo import load_demo
from kneelog.models import Settings
from tests.e2e.harness import (
    PHONE,
    SAMPLES,
    assert_fits_width,
    assert_no_exception,
    expect,
    go_to,
    headers,
    key,
    new_page,
    open_path,
    rerun,
    segment,
)

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 "
    "Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile "
    "Safari/537.36"
)
STRAVA = SAMPLES / "strava" / "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv"

#: Everything inside the page that reaches past the window's right edge or scrolls sideways, with its text; data
#: grids are left out (a table scrolls inside itself to its details; History's own check is below).
_SIDEWAYS = """() => {
  const width = window.innerWidth, found = [];
  const root = document.documentElement;
  if (root.scrollWidth > width) found.push(`the page is ${root.scrollWidth} px wide`);
  for (const el of document.querySelectorAll("[data-testid='stMain'] *")) {
    if (el.closest("[data-testid='stDataFrame']")) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const style = getComputedStyle(el);
    const scrolls = ["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if (box.right > width + 1 || scrolls) {
      const what = el.getAttribute("data-testid") || el.tagName.toLowerCase();
      found.push(`${what} "${(el.innerText || "").trim().slice(0, 40)}" spans ${Math.round(box.left)}-` +
                 `${Math.round(box.right)} px` + (scrolls ? `, scrolls ${el.scrollWidth} px` : ""));
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def demo(store) -> None:
    """The demo athlete, and settings saved (so Today shows the runner's week, not the first visit's questions)."""
    store.save_settings(Settings())
    load_demo(store)


def _phone_page(browser, server, user_agent: str, path: str = ""):
    """A 390 x 844 page whose browser reports ``user_agent`` (set before the app loads, as a phone would)."""
    page = new_page(browser, PHONE)
    page.context.new_cdp_session(page).send("Emulation.setUserAgentOverride", {"userAgent": user_agent})
    open_path(page, server.url, path)
    return page


@pytest.mark.parametrize("user_agent", [pytest.param(IPHONE, id="iphone"), pytest.param(ANDROID, id="android")])
def test_choosing_a_page_on_a_phone_closes_the_sidebar_and_shows_the_page(browser, server, demo, user_agent):
    page = _phone_page(browser, server, user_agent)
    try:
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_have_attribute("data-collapsed", "true")  # the page first, the menu behind a tap
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        link = sidebar.get_by_test_id("stSidebarNavLink").and_(sidebar.get_by_role("link", name="History", exact=True))
        rerun(page, link.click, "choosing History")
        expect(sidebar).to_have_attribute("data-collapsed", "true")  # closed by itself, not by the runner
        expect(page.get_by_role("heading", name="History", level=1)).to_be_in_viewport()
        expect(page.get_by_test_id("stDataFrame")).to_be_in_viewport()
        assert_no_exception(page)
    finally:
        page.context.close()


PAGES = [
    ("Today", None),
    ("Stretches", None),
    ("Log a session", None),
    ("Log a session", "Knee check-in"),
    ("Log a session", "Stretches"),
    ("History", None),
    ("History", "Knee check-ins"),
    ("Import", None),
]


@pytest.mark.parametrize(("title", "choice"), PAGES, ids=[f"{t}-{c or 'first'}" for t, c in PAGES])
def test_no_page_scrolls_sideways_on_a_phone(open_app, demo, title, choice):
    page = open_app(viewport=PHONE)
    go_to(page, title)
    if choice:
        segment(page, "hist_kind" if title == "History" else "log_kind", choice)
    if title == "Import":  # the preview, with its tabs
        uploader = page.get_by_test_id("stFileUploader")
        rerun(page, lambda: uploader.locator("input[type='file']").set_input_files(str(STRAVA)))
        expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    assert page.evaluate(_SIDEWAYS) == []


def test_the_log_pages_kind_buttons_and_the_import_tabs_fit_a_phone(open_app, demo):
    page = open_app("log", viewport=PHONE)
    options = key(page, "log_kind").get_by_role("radio")
    expect(options).to_have_count(6)  # run, gym, stretching, check-in, race, outcome scores
    for option in options.all():
        assert_fits_width(page, option)

    go_to(page, "Import")
    uploader = page.get_by_test_id("stFileUploader")
    rerun(page, lambda: uploader.locator("input[type='file']").set_input_files(str(STRAVA)))
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(5)
    for tab in tabs.all():
        assert_fits_width(page, tab)


@pytest.mark.parametrize(
    ("choice", "scores", "next_column", "off_screen"),
    [
        ("Runs", ["Pain during"], "Effort", "Pace (/km)"),
        ("Knee check-ins", ["Stairs", "Squat", "Sitting", "Morning"], "Knee", "Note"),
    ],
)
def test_history_shows_the_pain_columns_whole_on_a_phone(open_app, demo, choice, scores, next_column, off_screen):
    """The grid draws only the columns on screen (the one past the edge is left out, which shows the reading is
    of the screen); when the column after the scores is drawn, the scores end inside the window."""
    page = open_app("history", viewport=PHONE)
    if choice != "Runs":  # Runs is shown first (a second tap would unselect it)
        segment(page, "hist_kind", choice)
    grid = page.get_by_test_id("stDataFrame")
    assert_fits_width(page, grid)
    expect(grid.locator("table[role='grid'] thead th").filter(has_text=next_column)).to_have_count(1)
    drawn = headers(grid)
    assert set(scores) | {"Date", next_column} <= set(drawn), drawn
    assert off_screen not in drawn, drawn


def test_the_stretch_routine_comes_before_the_five_stretches_on_a_phone(open_app, demo):
    page = open_app("stretches", viewport=PHONE)
    routine = page.get_by_role("heading", name="Today's routine").bounding_box()
    library = page.get_by_role("heading", name="The five stretches").bounding_box()
    assert routine is not None and library is not None
    assert routine["y"] < library["y"]
    expect(key(page, "routine_save")).to_be_visible()
