"""The demo athlete on the dashboard: the first view tells the story in a few charts, each section (a tab, and a
link) draws its own, on a laptop and on a phone without sideways scrolling; the lag, the presets and the weeks shown
change what the runner reads."""

import datetime as dt
import re
import zoneinfo

import pytest

from kneelog.demo import load_demo
from tests.e2e.harness import (
    DESKTOP,
    PHONE,
    assert_fits_width,
    chart_marks,
    charts,
    expect,
    go_to,
    key,
    open_path,
    pick,
    rerun,
    segment,
)

#: Each finding ends "(ρ = 0.32, 95% interval −0.10 to 0.64, 26 weeks)".
FINDING = re.compile(r"ρ = [−\d.]+, 95% interval [−\d.]+ to [−\d.]+, (\d+) weeks\)")
#: The numbers of the week on the Overview, each its label over its bold value.
WEEK_NUMBERS = ("Distance", "Gym sessions done", "Stretching done", "Knee pain")
#: The charts each section draws for the demo athlete (the first is the view the page opens on).
SECTION_CHARTS = {"Overview": 1, "Load": 4, "Gym & stretching": 5, "Outcomes": 4, "Relationships": 5}


@pytest.fixture
def demo(store):
    """The demo athlete in the module's database (loaded through the Today page by the first journey)."""
    if not any(store.counts().values()):
        load_demo(store)
    return store


def _this_monday(store) -> dt.date:
    today = dt.datetime.now(zoneinfo.ZoneInfo(store.settings().timezone)).date()
    return today - dt.timedelta(days=today.weekday())


def _week_numbers(page):
    """The Overview's blocks of the week in numbers (a label, then its value in bold)."""
    labels = "|".join(re.escape(label) for label in WEEK_NUMBERS)
    blocks = page.get_by_test_id("stMarkdownContainer").filter(has=page.locator("strong"))
    return blocks.filter(has_text=re.compile(rf"^({labels})"))


def _week_number(page, label: str) -> str:
    """The value shown under ``label`` in the week's numbers."""
    block = _week_numbers(page).filter(has_text=re.compile(rf"^{re.escape(label)}"))
    return block.locator("strong").inner_text().strip()


def _findings(page) -> list[str]:
    section = page.get_by_test_id("stMarkdownContainer").filter(has_text=FINDING)
    expect(section.first).to_be_visible()
    return [text for text in section.all_inner_texts() if FINDING.search(text)]


def _assert_charts_drawn(page, count: int) -> None:
    """The page shows exactly ``count`` charts, each has drawn marks and lies within the window's width."""
    shown = charts(page)
    expect(shown).to_have_count(count)
    for i in range(count):
        chart = shown.nth(i)
        chart.scroll_into_view_if_needed()
        expect(chart.locator("svg, canvas").first).to_be_visible()
        assert chart_marks(chart) > 0, f"chart {i + 1} of {count} drew no marks"
        assert_fits_width(page, chart)


_SIDEWAYS = """() => Math.max(document.documentElement.scrollWidth,
  ...[...document.querySelectorAll("[data-testid='stMain'], [data-testid='stAppViewContainer']")]
     .map(e => e.scrollWidth))"""


def _assert_no_sideways_scroll(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate(_SIDEWAYS) <= width, f"the page scrolls sideways in a {width} px window"


def _tab(page, name: str) -> None:
    """Tap the tab of section ``name`` and wait for the page to draw it."""
    tab = page.get_by_role("tab", name=name, exact=True)
    rerun(page, tab.click, f"choosing {name}")
    expect(tab).to_have_attribute("aria-selected", "true")


def test_load_the_demo_athlete_and_read_the_dashboard(open_app, store):
    page = open_app()
    rerun(page, page.get_by_role("button", name="Save and start").click)  # a first visit: unit and zone first
    rerun(page, page.get_by_role("button", name="Load the demo athlete").click)
    expect(page.get_by_text(re.compile(r"^Loaded the demo athlete: [\d,]+ entries\.$"))).to_be_visible()
    assert store.counts()["run"] > 50

    go_to(page, "Dashboard")
    monday = _this_monday(store)
    expect(page.get_by_role("heading", name=f"Week of {monday:%d %b} (so far)")).to_be_visible()
    assert re.fullmatch(r"[\d.]+ km", _week_number(page, "Distance"))
    assert re.fullmatch(r"\d+ of \d+|\d+, plan \d+", _week_number(page, "Gym sessions done"))
    assert re.fullmatch(r"\d+%", _week_number(page, "Stretching done"))
    _assert_charts_drawn(page, SECTION_CHARTS["Overview"])
    # the first view draws no slider, no preset buttons and no st.metric: their scripts would slow it (issue 11's 1.3x)
    expect(page.get_by_test_id("stSlider")).to_have_count(0)
    expect(page.get_by_test_id("stButtonGroup")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    # printed, the page leaves out the navigation and the controls and keeps the charts
    page.emulate_media(media="print")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_role("button", name="Weeks shown")).to_be_hidden()
    expect(charts(page).first).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.get_by_test_id("stSidebar")).to_be_visible()

    _tab(page, "Relationships")
    expect(page).to_have_url(re.compile(r"/dashboard\?section=Relationships$"))
    same_week = _findings(page)
    assert all("knee pain the same week" in text for text in same_week)
    pick(page, "dashboard_lag", "one week later")
    expect(page.get_by_text("knee pain one week later").first).to_be_visible()
    week_after = _findings(page)
    assert len(week_after) == len(same_week)
    weeks_before = [int(FINDING.search(t).group(1)) for t in same_week]
    weeks_after = [int(FINDING.search(t).group(1)) for t in week_after]
    assert weeks_after == [n - 1 for n in weeks_before], "a one-week lag pairs one week fewer"


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="laptop"), pytest.param(PHONE, id="phone")])
def test_each_section_draws_its_own_charts_within_the_screen(open_app, demo, viewport):
    page = open_app("dashboard", viewport=viewport)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    for name, count in SECTION_CHARTS.items():
        if name != "Overview":
            _tab(page, name)
        _assert_charts_drawn(page, count)
        _assert_no_sideways_scroll(page)
    _tab(page, "Overview")
    _assert_charts_drawn(page, SECTION_CHARTS["Overview"])
    numbers = _week_numbers(page)
    expect(numbers).to_have_count(len(WEEK_NUMBERS))
    for i in range(len(WEEK_NUMBERS)):
        assert_fits_width(page, numbers.nth(i))
    weeks_shown = page.get_by_role("button", name="Weeks shown")
    assert_fits_width(page, weeks_shown)
    weeks_shown.click()
    assert_fits_width(page, key(page, "dashboard_preset"))
    assert_fits_width(page, key(page, "dashboard_range"))
    _assert_no_sideways_scroll(page)


def test_a_link_opens_its_section_and_a_reload_keeps_it(open_app, server, demo):
    page = open_app("dashboard?section=Gym+%26+stretching")
    expect(page.get_by_role("tab", name="Gym & stretching", exact=True)).to_have_attribute("aria-selected", "true")
    _assert_charts_drawn(page, SECTION_CHARTS["Gym & stretching"])
    open_path(page, server.url, "dashboard?section=Load")
    _assert_charts_drawn(page, SECTION_CHARTS["Load"])


def _settled_marks(page) -> int:
    """The first chart's mark count once Vega has finished drawing it (two reads a quarter-second apart agree)."""
    count = -1
    for _ in range(40):
        now = chart_marks(charts(page).first)
        if now == count and now > 0:
            return now
        count = now
        page.wait_for_timeout(250)
    raise AssertionError(f"the first chart never settled (last count {count})")


def test_the_weeks_shown_move_the_dashboard(open_app, demo):
    page = open_app("dashboard")
    monday = _this_monday(demo)
    bars_before = _settled_marks(page)

    page.get_by_role("button", name="Weeks shown").click()  # the presets and the slider wait in a popover
    expect(key(page, "dashboard_range").get_by_role("slider")).to_have_count(2)
    start, end = key(page, "dashboard_range").get_by_role("slider").all()
    end.focus()
    rerun(page, lambda: page.keyboard.press("ArrowLeft"))
    last_week = monday - dt.timedelta(weeks=1)
    expect(page.get_by_role("heading", name=f"Week of {last_week:%d %b}", exact=True)).to_be_visible()
    expect(key(page, "dashboard_range")).to_contain_text(f"{last_week:%d %b %Y}")
    start.focus()
    rerun(page, lambda: page.keyboard.press("ArrowRight"))
    rerun(page, lambda: page.keyboard.press("ArrowRight"))
    assert _settled_marks(page) < bars_before

    segment(page, "dashboard_preset", "4")  # the last 4 weeks, up to this week (the demo's last entry is today)
    expect(page.get_by_role("heading", name=f"Week of {monday:%d %b} (so far)")).to_be_visible()
    first = monday - dt.timedelta(weeks=3)
    expect(page.get_by_text(f"Weeks of {first:%d %b %Y} to {monday:%d %b %Y} (4 weeks).")).to_be_visible()
    assert _settled_marks(page) < bars_before
