"""A first visit on Today: answer kilometres or miles and the time zone, then do the daily knee check-in there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kneelog import clock
from kneelog.models import Run
from kneelog.store import Store
from tests.e2e import harness
from tests.e2e.harness import DESKTOP, PHONE, assert_fits_width, expect, go_to, key, rerun
from tests.e2e.sliders import tap_score

ZONE = "Pacific/Auckland"


@pytest.fixture
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.AppServer]:
    """A server on a fresh database for each journey: each width is a first visit."""
    folder = tmp_path_factory.mktemp("e2e_today")
    with harness.AppServer(f"sqlite:///{folder / 'kneelog.db'}", folder / "streamlit.log") as app_server:
        yield app_server


@pytest.fixture
def store(server: harness.AppServer) -> Iterator[Store]:
    s = Store(server.db_url)
    yield s
    s.dispose()


def _choose_in_form(page, widget_key: str, option: str) -> None:
    """Choose ``option`` in a selectbox inside a form (no rerun until the form is sent)."""
    box = key(page, widget_key).get_by_role("combobox")
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).first.click()
    expect(box).to_have_value(option)


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_a_first_visit_sets_units_and_zone_then_checks_in_from_today(open_app, store, viewport):
    page = open_app(viewport=viewport)
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(page.get_by_role("button", name="Load the demo athlete")).to_have_count(0)
    assert_fits_width(page, key(page, "first_timezone"))

    key(page, "first_unit").get_by_text("Miles", exact=True).click()
    _choose_in_form(page, "first_timezone", ZONE)
    rerun(page, page.get_by_role("button", name="Save and start").click)
    expect(page.get_by_text(f"Saved: distances in miles, time zone {ZONE}.")).to_be_visible()
    assert (store.settings().unit, store.settings().timezone) == ("mi", ZONE)
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(page.get_by_role("button", name="Load the demo athlete")).to_be_visible()

    today = clock.local_today(ZONE)  # the runner's today is Auckland's, whatever the server's clock says
    store.add(Run(date=today, distance_m=8046.72, duration_s=2700))  # 5 miles (1 mi = 1609.344 m)
    go_to(page, "Today")
    expect(page.get_by_role("heading", name="Knee check-in")).to_be_visible()
    assert harness.metric(page, "Distance") == "5.0 mi"

    key(page, "today_checkin_knee").get_by_text("Left", exact=True).click()
    tap_score(page, "today_checkin_stairs", 3)
    tap_score(page, "today_checkin_squat", 4)
    tap_score(page, "today_checkin_sitting", None)  # it did not come up today
    tap_score(page, "today_checkin_morning_after", 2)
    assert_fits_width(page, key(page, "today_checkin_morning_after"))
    assert_fits_width(page, key(page, "save_today_checkin"))
    rerun(page, page.get_by_role("button", name="Save knee check-in").click)

    expect(
        page.get_by_text("Done for today (the left knee): stairs 3/10, squatting 4/10, morning after 2/10.")
    ).to_be_visible()
    expect(key(page, "today_checkin_stairs")).to_have_count(0)
    # counted in this week's knee pain: the everyday moments answered, (3 + 4) / 2; the morning after apart
    assert harness.metric(page, f"{clock.monday(today):%d %b} (so far)") == "3.5"
    checkins = store.frame("checkin")
    assert checkins[["stairs", "squat", "morning_after"]].values.tolist() == [[3.0, 4.0, 2.0]]
    assert checkins["sitting"].isna().tolist() == [True]
    assert (checkins.loc[0, "date"].date(), checkins.loc[0, "knee"]) == (today, "left")
