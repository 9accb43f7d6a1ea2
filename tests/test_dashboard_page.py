"""The dashboard page through AppTest: empty database, the demo athlete, its sections, range presets and the lag, and
ten years of history."""

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
#: The key of the page's sections (tabs bound to the ``section`` query parameter).
SECTION = "section"


def _open(app):
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _show(app, section: str):
    """Choose a section, as a tap on its tab does."""
    app.session_state[SECTION] = section
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _charts(app) -> list:
    return app.get("vega_lite_chart")


def _rows(chart) -> list[int]:
    """Rows of each dataset a chart sends to the browser."""
    return [pa.ipc.open_stream(d.data.data).read_all().num_rows for d in chart.proto.datasets]


def _expander(app, label: str):
    return next(e for e in app.expander if e.label == label)


def _week_numbers(app) -> dict[str, str]:
    """The Overview's numbers of the week, label to value: each a Markdown block of the label over the bold value."""
    blocks = (m.value.split("  \n") for m in app.markdown)
    return {block[0]: block[1].strip("*") for block in blocks if len(block) == 2 and block[1].startswith("**")}


def _captions(app) -> list[str]:
    return [c.value for c in app.caption]


def test_an_empty_database_shows_where_to_start_and_no_chart(app):
    _open(app)
    assert "Nothing logged yet" in app.info[0].value
    assert _charts(app) == []
    assert not app.tabs


def test_a_new_user_with_a_few_check_ins_sees_empty_states_not_errors(app, db_url):
    from kneelog.models import KneeCheckin

    today = clock.local_today(Store(db_url).settings().timezone)
    Store(db_url).add_many([KneeCheckin(date=today - dt.timedelta(days=d), stairs=2) for d in range(3)])
    _open(app)
    messages = {name: " ".join(i.value for i in _show(app, name).info) for name in dashboard.SECTIONS}
    assert messages[dashboard.OVERVIEW] == ""  # three days of pain are already a week to draw
    assert "Warming up" in messages[dashboard.LOAD] and "Log a run or a gym session" in messages[dashboard.LOAD]
    assert "Log a stretch session" in messages[dashboard.GYM]
    # three days: more logging is the answer, said once per factor in the findings (no empty chart repeats it)
    assert messages[dashboard.RELATIONSHIPS] == ""
    said = " ".join(m.value for m in app.markdown)
    assert said.count("Weekly distance and knee pain the same week") == 1
    assert "**Weekly distance and knee pain the same week**: not shown yet — needs" in said


def test_a_first_week_has_no_range_to_choose(app, db_url):
    from kneelog.models import Run

    today = clock.local_today(Store(db_url).settings().timezone)
    Store(db_url).add(Run(date=today, distance_m=5000, duration_s=1800, rpe=4))
    _open(app)
    assert not app.select_slider and not app.button_group
    assert any(m.value.startswith("Your first week") for m in app.markdown)
    assert _week_numbers(app)["Distance"].startswith("5.0")


@pytest.fixture
def demo_app(app, db_url):
    demo.load_demo(Store(db_url))
    return _open(app)


def test_the_first_view_is_the_overview_in_at_most_four_charts(demo_app):
    assert [t.label for t in demo_app.tabs] == ["Overview", "Load", "Gym & stretching", "Outcomes", "Relationships"]
    assert len(_charts(demo_app)) <= 4
    titles = [m.value for m in demo_app.markdown if m.value.startswith("**") and m.value.endswith("**")]
    assert titles == ["**Weekly distance, knee pain and pain-monitoring status**"]  # one chart, three panels
    assert not demo_app.selectbox  # the lag belongs to Relationships
    assert not [i.value for i in demo_app.info]  # no empty state left


@pytest.mark.parametrize(
    ("section", "charts", "title"),
    [
        ("Load", 4, "**Acute:chronic load ratio**"),
        ("Gym & stretching", 5, "**Gym sessions against the plan**"),
        ("Relationships", 5, "**Weekly distance and knee pain the same week**"),
    ],
)
def test_each_section_shows_its_own_charts(demo_app, section, charts, title):
    _show(demo_app, section)
    assert len(_charts(demo_app)) == charts
    assert title in [m.value for m in demo_app.markdown]
    overview = "**Weekly distance, knee pain and pain-monitoring status**"
    assert overview not in [m.value for m in demo_app.markdown]  # the Overview is not sent
    assert not [i.value for i in demo_app.info]


def test_the_chosen_section_survives_reruns(demo_app):
    _show(demo_app, "Gym & stretching")
    demo_app.run()
    assert len(_charts(demo_app)) == 5 and demo_app.session_state[SECTION] == "Gym & stretching"


def test_a_link_opens_its_section(app, db_url):
    demo.load_demo(Store(db_url))
    app.run()
    app.switch_page(PAGE)
    app.query_params[SECTION] = "Relationships"
    app.run()
    assert not app.exception
    assert len(_charts(app)) == 5 and app.selectbox(key="dashboard_lag").value == 0


def test_the_headline_numbers_are_this_weeks(demo_app, db_url):
    store = Store(db_url)
    settings = store.settings()
    table = weekly.weekly_table(
        {k: store.frame(k) for k in weekly.KINDS}, settings, clock.local_today(settings.timezone), routine_sides=SIDES
    )
    latest = table.iloc[-1]
    numbers = _week_numbers(demo_app)
    assert list(numbers) == ["Distance", "Gym sessions done", "Stretching done", "Knee pain"]
    assert numbers["Distance"] == format_distance(latest["distance_m"], settings.unit, 1)
    done, planned = latest["gym_sessions"], latest["gym_recommended"]
    assert numbers["Gym sessions done"] == (f"{done} of {planned}" if done <= planned else f"{done}, plan {planned}")
    assert numbers["Stretching done"] == f"{latest['stretch_compliance']:.0%}"
    # what each number means is written under them, not in a tooltip (st.metric's scripts slow the first view)
    assert not demo_app.metric
    (meanings,) = [c for c in _captions(demo_app) if c.startswith("Gym: ")]
    assert f"pain-monitoring model: {latest['pain_status']}." in meanings


def test_findings_give_rho_intervals_and_the_many_looks(demo_app):
    _show(demo_app, "Relationships")
    text = " ".join(m.value for m in demo_app.markdown)
    assert text.count("ρ = ") >= 5 and "95% interval" in text
    # a year of weeks shows every correlation: 5 factors × 4 lags = 20, + run days + 6 regression terms (5 factors and
    # carry-over) = 27 looks, 3 of them chosen in advance
    assert "27 looks at the same weeks: 3 chosen in advance" in text
    assert any(c.value.startswith("ρ = ") for c in demo_app.caption)
    assert len(_expander(demo_app, "Every factor at every lag").dataframe[0].value) == 20


def test_the_limit_each_red_week_broke_is_written_out_on_a_tap(demo_app):
    (notes,) = [e for e in demo_app.expander if e.label.startswith("Which limit was broken (")]
    assert not notes.markdown  # closed: nothing sent until a tap opens it
    demo_app.session_state["notes_Weekly distance, knee pain and pain-monitoring status"] = True
    demo_app.run()
    (notes,) = [e for e in demo_app.expander if e.label.startswith("Which limit was broken (")]
    weeks = int(notes.label.removeprefix("Which limit was broken (").split(" ")[0])
    (lines,) = [m.value for m in notes.markdown]
    assert weeks > 0 and lines.count("\n- ") + 1 == weeks and lines.startswith("- Week of ")


@pytest.mark.parametrize("section", dashboard.SECTIONS)
def test_the_methods_are_cited_in_every_section(demo_app, section):
    _show(demo_app, section)
    # closed, the expander sends no text (it costs the browser's first view); a tap opens it and reruns the page
    assert not _expander(demo_app, "How these numbers are computed").markdown
    demo_app.session_state["dashboard_methods"] = True
    demo_app.run()
    text = " ".join(m.value for m in _expander(demo_app, "How these numbers are computed").markdown)
    for citation in ("Foster et al. 2001", "Williams et al. 2017", "Silbernagel", "Farrar", "Newey"):
        assert citation in text


def test_choosing_a_lag_redraws_the_scatters_and_is_kept_across_sections(demo_app):
    _show(demo_app, "Relationships")
    demo_app.selectbox(key="dashboard_lag").set_value(2).run()
    assert not demo_app.exception
    titles = [m.value for m in demo_app.markdown if m.value.endswith("and knee pain two weeks later**")]
    assert len(titles) == 5  # a scatter per factor
    _show(demo_app, "Load")
    _show(demo_app, "Relationships")
    assert demo_app.selectbox(key="dashboard_lag").value == 2


def test_the_date_range_limits_the_weeks_sent_to_the_charts(demo_app):
    slider = demo_app.select_slider(key="dashboard_range")
    start, end = slider.value
    narrow = (end - dt.timedelta(weeks=13), end)
    slider.set_value(narrow).run()
    assert not demo_app.exception
    mileage = _charts(demo_app)[0]
    assert _rows(mileage) == [14]
    assert demo_app.button_group(key="dashboard_preset").value is None  # a range set by hand is no preset
    assert _x_domain_starts(mileage, narrow[0])


def _x_domain_starts(chart, monday: dt.date) -> bool:
    """Whether a Vega-Lite spec's time axis starts on ``monday`` (a domain of Vega-Lite DateTime objects)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            domain = node.get("scale", {}).get("domain") if isinstance(node.get("scale"), dict) else None
            if isinstance(domain, list) and domain and isinstance(domain[0], dict) and "year" in domain[0]:
                found.append(dt.date(domain[0]["year"], domain[0]["month"], domain[0]["date"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(chart.proto.spec))
    return monday in found


# -- range presets, on a demo with a known last day ------------------------------------------------------------------

END = dt.date(2026, 6, 28)  # a Sunday: the demo's 182 days run from Monday 29 Dec 2025 to here, 26 weeks


@pytest.fixture
def dated_app(app, db_url):
    """The demo athlete's 182 days up to Sunday 28 Jun 2026, opened on the dashboard; the calendar runs on to today."""
    Store(db_url).add_many(demo.generate(days=182, end=END))
    return _open(app)


def _weekly_table_weeks(app) -> list[dt.date]:
    """The weeks of the weekly table (in the Load section), newest first."""
    _show(app, "Load")
    return list(_expander(app, "The weekly table").dataframe[0].value["Week of"])


def test_the_dashboard_opens_on_all_the_weeks_up_to_the_last_entry(dated_app):
    preset = dated_app.button_group(key="dashboard_preset")
    assert preset.options == ["4", "8", "12", "All"]  # 26 weeks would reach the first week: that is "All"
    assert preset.value == "All"
    assert dated_app.select_slider(key="dashboard_range").value == (dt.date(2025, 12, 29), dt.date(2026, 6, 22))
    assert any(c.startswith("Weeks of 29 Dec 2025 to 22 Jun 2026 (26 weeks).") for c in _captions(dated_app))


def test_the_presets_and_the_slider_wait_in_a_popover(dated_app):
    (popover,) = dated_app.get("popover")  # closed until tapped, so the first view loads none of their scripts
    assert popover.proto.popover.label == "Weeks shown"
    assert popover.button_group(key="dashboard_preset").value == "All"
    assert popover.select_slider(key="dashboard_range").value == (dt.date(2025, 12, 29), dt.date(2026, 6, 22))


def test_a_preset_sets_the_range_to_the_last_weeks_with_entries(dated_app):
    dated_app.button_group(key="dashboard_preset").set_value("4 weeks").run()
    assert not dated_app.exception
    # the last entry is on Sunday 28 Jun, in the week of Monday 22 Jun; the 4 weeks are those of 1, 8, 15 and 22 Jun
    assert dated_app.select_slider(key="dashboard_range").value == (dt.date(2026, 6, 1), dt.date(2026, 6, 22))
    # the slider is out of sight: the caption says which weeks are shown, and how long ago the last entry was
    (shown,) = [c for c in _captions(dated_app) if c.startswith("Weeks of ")]
    assert shown.startswith("Weeks of 01 Jun 2026 to 22 Jun 2026 (4 weeks). Your latest entry is from 28 Jun 2026")
    assert _weekly_table_weeks(dated_app) == [dt.date(2026, 6, d) for d in (22, 15, 8, 1)]


def test_a_range_too_short_says_so_and_widening_restores_all_the_weeks(dated_app):
    dated_app.button_group(key="dashboard_preset").set_value("8 weeks").run()
    _show(dated_app, "Relationships")
    (note,) = [i.value for i in dated_app.info]
    assert note.startswith("This range holds 8 complete weeks with check-ins: too few to compare with knee pain")
    assert "All your weeks hold 26" in note
    assert not any("keep logging" in text.lower() for text in [note, *(m.value for m in dated_app.markdown)])
    assert not _charts(dated_app)
    dated_app.button(key="dashboard_widen").click().run()
    assert not dated_app.exception
    assert dated_app.select_slider(key="dashboard_range").value == (dt.date(2025, 12, 29), dt.date(2026, 6, 22))
    assert dated_app.button_group(key="dashboard_preset").value == "All"
    assert len(_charts(dated_app)) == 5 and not dated_app.info


# -- ten years -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ten_year_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ten') / 'k.db'}"
    Store(url).add_many(demo.generate(clock.local_today("UTC"), days=3650))
    return url


def test_ten_years_of_history_render_every_section(app, ten_year_url, monkeypatch):
    monkeypatch.setenv("KNEELOG_DATABASE_URL", ten_year_url)
    _open(app)
    store = Store(ten_year_url)
    today = clock.local_today(store.settings().timezone)
    weeks = dashboard.weeks_available({k: store.frame(k) for k in weekly.KINDS}, today)
    assert len(weeks) >= 520
    assert app.select_slider(key="dashboard_range").value == (weeks[-52], weeks[-1])  # a year by default
    assert app.button_group(key="dashboard_preset").value == "52 weeks"
    app.button_group(key="dashboard_preset").set_value("All").run()
    assert not app.exception
    assert len(_charts(app)) == 1
    assert max(_rows(_charts(app)[0])) == len(weeks)  # one row per week, not per run
    drawn = {}
    for section in dashboard.SECTIONS:
        charts = _charts(_show(app, section))
        drawn[section] = len(charts)
        assert max(max(_rows(c)) for c in charts) <= 7 * len(weeks)  # the calendar: one cell per day
    assert drawn == {"Overview": 1, "Load": 4, "Gym & stretching": 5, "Outcomes": 4, "Relationships": 5}
