"""The demo athlete on the dashboard: every chart draws its marks, on a laptop and on a phone; the lag and the weeks
shown change what the runner reads."""

import datetime as dt
import re
import zoneinfo

import pytest

from kneelog.demo import load_demo
from tests.e2e.harness import (
    PHONE,
    assert_fits_width,
    chart_marks,
    charts,
    expect,
    go_to,
    key,
    metric,
    pick,
    rerun,
)

#: Each finding ends "(ρ = 0.32, 95% interval −0.10 to 0.64, 26 weeks)".
FINDING = re.compile(r"ρ = [−\d.]+, 95% interval [−\d.]+ to [−\d.]+, (\d+) weeks\)")


@pytest.fixture
def demo(store):
    """The demo athlete in the module's database (loaded through the Today page by the first journey)."""
    if not any(store.counts().values()):
        load_demo(store)
    return store


def _this_monday(store) -> dt.date:
    today = dt.datetime.now(zoneinfo.ZoneInfo(store.settings().timezone)).date()
    return today - dt.timedelta(days=today.weekday())


def _findings(page) -> list[str]:
    section = page.get_by_test_id("stMarkdownContainer").filter(has_text=FINDING)
    expect(section.first).to_be_visible()
    return [text for text in section.all_inner_texts() if FINDING.search(text)]


def _assert_every_chart_drawn(page) -> None:
    """Every chart on the page has drawn marks and lies within the window's width."""
    shown = charts(page)
    expect(shown.nth(7)).to_be_attached()  # the page draws its charts one by one: wait for eight at least
    count = shown.count()
    assert count >= 8, f"only {count} charts on the dashboard"
    for i in range(count):
        chart = shown.nth(i)
        chart.scroll_into_view_if_needed()
        assert chart_marks(chart) > 0, f"chart {i + 1} of {count} drew no marks"
        assert_fits_width(page, chart)


def test_load_the_demo_athlete_and_read_the_dashboard(open_app, store):
    page = open_app()
    rerun(page, page.get_by_role("button", name="Save and start").click)  # a first visit: unit and zone first
    rerun(page, page.get_by_role("button", name="Load the demo athlete").click)
    expect(page.get_by_text(re.compile(r"^Loaded the demo athlete: [\d,]+ entries\.$"))).to_be_visible()
    assert store.counts()["run"] > 50

    go_to(page, "Dashboard")
    monday = _this_monday(store)
    expect(page.get_by_role("heading", name=f"Week of {monday:%d %b} (so far)")).to_be_visible()
    assert re.fullmatch(r"[\d.]+ km", metric(page, "Distance"))
    assert re.fullmatch(r"\d+ of \d+", metric(page, "Gym sessions"))
    assert re.fullmatch(r"\d+%", metric(page, "Stretching"))
    _assert_every_chart_drawn(page)

    same_week = _findings(page)
    assert all("knee pain the same week" in text for text in same_week)
    pick(page, "dashboard_lag", "the week after")
    expect(page.get_by_text("knee pain the week after").first).to_be_visible()
    week_after = _findings(page)
    assert len(week_after) == len(same_week)
    weeks_before = [int(FINDING.search(t).group(1)) for t in same_week]
    weeks_after = [int(FINDING.search(t).group(1)) for t in week_after]
    assert weeks_after == [n - 1 for n in weeks_before], "a one-week lag pairs one week fewer"


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


@pytest.mark.parametrize("viewport", [pytest.param(PHONE, id="phone")])
def test_the_dashboard_on_a_phone_draws_every_chart_within_the_screen(open_app, demo, viewport):
    page = open_app("dashboard", viewport=viewport)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    _assert_every_chart_drawn(page)
    metrics = page.get_by_test_id("stMetric")
    for i in range(metrics.count()):
        assert_fits_width(page, metrics.nth(i))
