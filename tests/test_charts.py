"""Chart builders: empty states, a tooltip on every mark, one colour per quantity, data that grows with weeks."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from kneelog import demo
from kneelog.analysis import stats, weekly
from kneelog.models import Settings
from kneelog.store import Store
from kneelog.views import charts
from tests.test_weekly import frames_of

SIDES = 10  # stretch-sides in one routine of the shipped library: five stretches, both sides

END = dt.date(2026, 6, 28)  # a Sunday
KM = Settings(unit="km", timezone="UTC")


def _demo_tables(folder, days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The weekly and daily tables of ``days`` of the demo athlete, read back from a real database."""
    store = Store(f"sqlite:///{folder / 'k.db'}")
    store.add_many(demo.generate(days=days, end=END))
    frames = {kind: store.frame(kind) for kind in weekly.KINDS}
    store.dispose()
    daily = weekly.daily_table(frames)
    return weekly.weekly_from_daily(daily, frames["race"], KM, routine_sides=SIDES), daily


@pytest.fixture(scope="module")
def demo_tables(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _demo_tables(tmp_path_factory.mktemp("demo"), 182)


@pytest.fixture(scope="module")
def demo_specs(demo_tables) -> dict[str, dict]:
    """Every demo chart as its Vega-Lite spec."""
    return {name: figure.chart.to_dict() for name, figure in _figures(*demo_tables).items()}


def _figures(weeks: pd.DataFrame, days: pd.DataFrame, lag: int = 0) -> dict[str, charts.Figure]:
    rels = stats.relationships(weeks).set_index(["driver", "lag"])
    scatters = {
        f"scatter_{d}": charts.driver_scatter(weeks, d, lag, stats.Correlation.from_row(rels.loc[(d, lag)]), "km")
        for d in stats.DRIVERS
    }
    return {
        "mileage": charts.mileage_and_pain(weeks, "km"),
        "gym": charts.gym_plan(weeks),
        "stretch": charts.stretch_compliance(weeks),
        "calendar": charts.stretch_calendar(days, SIDES),
        "ratio": charts.load_ratio(weeks),
        "change": charts.week_change(weeks, "km"),
        "fitness": charts.fitness_fatigue(weeks),
        "status": charts.pain_status(weeks),
        **scatters,
    }


def _units(spec: dict):
    """Every single-view spec (one mark) inside a chart spec, layers included."""
    if "mark" in spec:
        yield spec
    for child in spec.get("layer", []):
        yield from _units(child)


def _rows(spec: dict) -> dict[str, int]:
    return {name: len(rows) for name, rows in spec.get("datasets", {}).items()}


def test_every_chart_shows_an_empty_state_when_nothing_is_logged():
    frames = frames_of()
    figures = _figures(weekly.weekly_table(frames, KM, routine_sides=SIDES), weekly.daily_table(frames))
    for name, figure in figures.items():
        assert figure.chart is None, name
        assert len(figure.empty) > 20, name


def test_every_mark_has_a_tooltip(demo_specs):
    assert len(demo_specs) == 12
    for name, spec in demo_specs.items():
        for unit in _units(spec):
            assert "tooltip" in unit.get("encoding", {}), (name, unit["mark"])


def test_each_quantity_has_one_colour():
    quantities = {k: v for k, v in charts.COLOURS.items() if k not in ("plan", "fit")}
    assert len(set(quantities.values())) == len(quantities)
    assert charts.COLOURS["plan"] not in quantities.values()


@pytest.mark.parametrize(
    ("figure", "quantity"),
    [
        ("mileage", "distance"),
        ("mileage", "pain"),
        ("mileage", "next_morning"),
        ("change", "distance"),
        ("scatter_distance_m", "distance"),
        ("gym", "gym"),
        ("scatter_gym_sessions", "gym"),
        ("stretch", "stretch"),
        ("calendar", "stretch"),
        ("scatter_stretch_compliance", "stretch"),
        ("scatter_load", "load"),
        ("ratio", "ratio"),
        ("fitness", "ctl"),
    ],
)
def test_a_quantity_wears_its_colour_in_every_chart(demo_specs, figure, quantity):
    assert charts.COLOURS[quantity] in json.dumps(demo_specs[figure])


def _runs_split(pieces: int, weeks: int = 12) -> dict[str, pd.DataFrame]:
    """The same daily running split into ``pieces`` runs a day, with a daily check-in and stretch."""
    runs = [(d, 9000 / pieces, 2700 / pieces, 5, 1) for d in range(weeks * 7) for _ in range(pieces)]
    return frames_of(
        runs=runs,
        gym=[(d, 2400, 6) for d in range(0, weeks * 7, 3)],
        stretches=[(d, 10) for d in range(weeks * 7)],
        checkins=[{"day": d, "stairs": d % 4, "morning_after": 1} for d in range(weeks * 7)],
    )


def test_the_data_sent_grows_with_weeks_not_with_entries():
    one = _figures(weekly.weekly_table(_runs_split(1), KM, routine_sides=SIDES), weekly.daily_table(_runs_split(1)))
    three = _figures(weekly.weekly_table(_runs_split(3), KM, routine_sides=SIDES), weekly.daily_table(_runs_split(3)))
    for name in one:
        if one[name].chart is None:
            continue
        rows_one = sorted(_rows(one[name].chart.to_dict()).values())
        assert rows_one == sorted(_rows(three[name].chart.to_dict()).values()), name
        assert max(rows_one) <= 12 * 7, name


def test_weekly_charts_send_one_row_per_week(demo_tables, demo_specs):
    weeks, days = demo_tables
    for name in ("mileage", "gym", "stretch", "ratio", "change", "fitness", "status"):
        assert max(_rows(demo_specs[name]).values()) == len(weeks), name
    assert max(_rows(demo_specs["calendar"]).values()) == len(days)


def test_load_ratio_is_warming_up_before_28_days():
    frames = frames_of(runs=[(d, 5000, 1800, 5, None) for d in range(0, 20, 2)])  # 19 days of history
    figure = charts.load_ratio(weekly.weekly_table(frames, KM, routine_sides=SIDES))
    assert figure.chart is None
    assert figure.empty == "Warming up: the load ratio needs 28 days of history; 9 more to go."


def test_load_ratio_without_any_training_asks_for_training():
    frames = frames_of(checkins=[{"day": d, "stairs": 1} for d in range(40)])
    figure = charts.load_ratio(weekly.weekly_table(frames, KM, routine_sides=SIDES))
    assert figure.empty.startswith("No training load in these weeks")


def test_the_calendar_always_has_seven_weekday_rows():
    frames = frames_of(stretches=[(1, 10)])
    spec = charts.stretch_calendar(weekly.daily_table(frames), SIDES).chart.to_dict()
    assert spec["encoding"]["y"]["scale"]["domain"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_week_change_asks_for_two_full_weeks():
    frames = frames_of(runs=[(d, 5000, 1800, 5, None) for d in range(0, 7)])
    figure = charts.week_change(weekly.weekly_table(frames, KM, routine_sides=SIDES), "km")
    assert figure.chart is None and "two more full weeks" in figure.empty


def test_a_scatter_shows_rho_its_interval_and_n(demo_tables):
    weeks, days = demo_tables
    figure = _figures(weeks, days, lag=1)["scatter_distance_m"]
    assert figure.title == "Weekly distance and knee pain the week after"  # the lag selector's own words
    assert figure.subtitle.startswith("ρ = ") and "95% interval" in figure.subtitle
    assert f"n = {len(weeks) - 1} weeks" in figure.subtitle


def test_a_scatter_below_twelve_weeks_says_how_many_more_are_needed():
    frames = frames_of(
        runs=[(d, 5000 + 300 * d, 1800, 5, None) for d in range(0, 70, 3)],
        checkins=[{"day": d, "stairs": d % 3} for d in range(70)],
    )
    weeks = weekly.weekly_table(frames, KM, routine_sides=SIDES)
    corr = stats.spearman(weeks["distance_m"], weeks["pain_mean"])
    figure = charts.driver_scatter(weeks, "distance_m", 0, corr, "km")
    assert figure.chart is None
    assert figure.empty == "Not shown yet: needs 2 more paired weeks. Keep logging and check in daily."


def test_the_fitted_line_is_the_least_squares_line():
    weeks = pd.DataFrame(
        {
            "week": pd.date_range("2026-01-05", periods=14, freq="W-MON"),
            "gym_sessions": [0, 1, 2, 3] * 3 + [1, 2],
            "pain_mean": [1.0, 2.0, 3.5, 4.0] * 3 + [2.0, 3.5],
        }
    )
    corr = stats.spearman(weeks["gym_sessions"], weeks["pain_mean"])
    spec = charts.driver_scatter(weeks, "gym_sessions", 0, corr, "km").chart.to_dict()
    line = next(rows for rows in spec["datasets"].values() if len(rows) == 2)
    slope, intercept = np.polyfit(weeks["gym_sessions"], weeks["pain_mean"], 1)
    assert [p["x"] for p in line] == [0, 3]
    assert [p["pain"] for p in line] == pytest.approx([intercept, intercept + 3 * slope])


def test_pain_status_colours_name_each_status(demo_specs):
    scale = demo_specs["status"]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == charts.STATUS_COLOURS


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _demo_tables(tmp_path_factory.mktemp("ten"), 3650)


def test_ten_years_of_history_render_every_chart(ten_years):
    weeks, days = ten_years
    assert len(weeks) >= 520
    for name, figure in _figures(weeks, days, lag=3).items():
        assert figure.chart is not None, name
        spec = figure.chart.to_dict()
        assert max(_rows(spec).values()) <= len(days), name
        json.dumps(spec, allow_nan=False)  # NaN would break the browser's JSON parse
