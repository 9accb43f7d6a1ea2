"""The dashboard page through AppTest: empty database, the demo athlete, ten years of history, range and lag."""

import datetime as dt
import json

import pyarrow as pa
import pytest

from kneelog import clock, demo
from kneelog.analysis import weekly
from kneelog.store import Store
from kneelog.stretches import load_library, routine_size
from kneelog.units import format_distance
from kneelog.views import dashboard

SIDES = routine_size(load_library())  # what the page uses: 9, four stretches on each side and the fold once

PAGE = "pages/dashboard.py"


def _open(app):
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _charts(app) -> list:
    return app.get("vega_lite_chart")


def _rows(chart) -> list[int]:
    """Rows of each dataset a chart sends to the browser."""
    return [pa.ipc.open_stream(d.data.data).read_all().num_rows for d in chart.proto.datasets]


def test_an_empty_database_shows_where_to_start_and_no_chart(app):
    _open(app)
    assert "Nothing logged yet" in app.info[0].value
    assert _charts(app) == []


def test_a_new_user_with_a_few_check_ins_sees_empty_states_not_errors(app, db_url):
    from kneelog.models import KneeCheckin

    today = clock.local_today(Store(db_url).settings().timezone)
    Store(db_url).add_many([KneeCheckin(date=today - dt.timedelta(days=d), stairs=2) for d in range(3)])
    _open(app)
    messages = " ".join(i.value for i in app.info)
    assert "Log a stretch session" in messages and "Warming up" in messages
    assert "Log a run or a gym session" in messages
    assert "Not shown yet: needs" in messages
    assert any("not shown yet" in m.value for m in app.markdown)


def test_a_first_week_has_no_range_to_choose(app, db_url):
    from kneelog.models import Run

    today = clock.local_today(Store(db_url).settings().timezone)
    Store(db_url).add(Run(date=today, distance_m=5000, duration_s=1800, rpe=4))
    _open(app)
    assert not app.select_slider
    assert any(m.value.startswith("Your first week") for m in app.markdown)
    assert {m.label: m.value for m in app.metric}["Distance"].startswith("5.0")


@pytest.fixture
def demo_app(app, db_url):
    demo.load_demo(Store(db_url))
    return _open(app)


def test_the_demo_athlete_gets_every_chart(demo_app):
    assert len(_charts(demo_app)) == 9 + 5  # 9 weekly charts and a scatter per factor
    assert not [i.value for i in demo_app.info]  # no empty state left


def test_the_headline_numbers_are_this_weeks(demo_app, db_url):
    store = Store(db_url)
    settings = store.settings()
    table = weekly.weekly_table(
        {k: store.frame(k) for k in weekly.KINDS}, settings, clock.local_today(settings.timezone), routine_sides=SIDES
    )
    latest = table.iloc[-1]
    metrics = {m.label: m.value for m in demo_app.metric}
    assert metrics["Distance"] == format_distance(latest["distance_m"], settings.unit, 1)
    assert metrics["Gym sessions"] == f"{latest['gym_sessions']} of {latest['gym_recommended']}"
    assert metrics["Stretching"] == f"{latest['stretch_compliance']:.0%}"


def test_findings_give_rho_intervals_and_the_many_looks(demo_app):
    text = " ".join(m.value for m in demo_app.markdown)
    assert text.count("ρ = ") >= 5 and "95% interval" in text
    # a year of weeks shows every correlation: 5 factors × 4 lags = 20, + run days + 6 regression terms (5 factors and
    # carry-over) = 27 looks, 3 of them chosen in advance
    assert "27 looks at the same weeks: 3 chosen in advance" in text
    assert any(c.value.startswith("ρ = ") for c in demo_app.caption)


def test_the_methods_are_cited_in_the_app(demo_app):
    methods = next(e for e in demo_app.expander if e.label == "How these numbers are computed")
    text = " ".join(m.value for m in methods.markdown)
    for citation in ("Foster et al. 2001", "Williams et al. 2017", "Silbernagel", "Farrar", "Newey"):
        assert citation in text


def test_choosing_a_lag_redraws_the_scatters(demo_app):
    demo_app.selectbox(key="dashboard_lag").set_value(2).run()
    assert not demo_app.exception
    titles = [m.value for m in demo_app.markdown if m.value.endswith("and knee pain 2 weeks later**")]
    assert len(titles) == 5  # a scatter per factor


def test_the_date_range_limits_the_weeks_sent_to_the_charts(demo_app):
    slider = demo_app.select_slider(key="dashboard_range")
    start, end = slider.value
    narrow = (end - dt.timedelta(weeks=13), end)
    slider.set_value(narrow).run()
    assert not demo_app.exception
    mileage = _charts(demo_app)[0]
    assert _rows(mileage) == [14]
    spec = json.loads(mileage.proto.spec)
    bars = spec["layer"][0]["layer"][0]  # the distance layer: its bars, then the "so far" labels
    assert bars["encoding"]["x"]["scale"]["domain"][0]["date"] == narrow[0].day


@pytest.fixture(scope="module")
def ten_year_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ten') / 'k.db'}"
    Store(url).add_many(demo.generate(clock.local_today("UTC"), days=3650))
    return url


def test_ten_years_of_history_render_every_chart(app, ten_year_url, monkeypatch):
    monkeypatch.setenv("KNEELOG_DATABASE_URL", ten_year_url)
    _open(app)
    store = Store(ten_year_url)
    today = clock.local_today(store.settings().timezone)
    weeks = dashboard.weeks_available({k: store.frame(k) for k in weekly.KINDS}, today)
    assert len(weeks) >= 520
    slider = app.select_slider(key="dashboard_range")
    assert slider.value == (weeks[-52], weeks[-1])  # a year by default
    slider.set_value((weeks[0], weeks[-1])).run()
    assert not app.exception
    charts = _charts(app)
    assert len(charts) == 9 + 5
    assert max(_rows(charts[0])) == len(weeks)  # one row per week, not per run
    assert max(max(_rows(c)) for c in charts) <= 7 * len(weeks)  # the calendar: one cell per day
