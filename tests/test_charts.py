"""Chart builders: empty states, a tooltip on every mark, one colour per quantity, data that grows with weeks."""

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pytest
import vl_convert

from kneelog import demo
from kneelog.analysis import stats, weekly
from kneelog.models import Settings
from kneelog.store import Store
from kneelog.views import charts
from tests.test_weekly import frames_of

SIDES = 10  # stretch-sides in one routine, a test input for hand-worked numbers (the shipped library has 9)

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
    return {name: figure.vega_lite() for name, figure in _figures(*demo_tables).items()}


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
        "weeks": charts.weeks_overview(weeks, "km"),  # the Overview's: distance, pain and the status strip
        "pain_during": charts.pain_during(weeks),
        **scatters,
    }


def _units(spec: dict, inherited: dict | None = None):
    """Every single-view spec (one mark) inside a chart spec, layers included, each with the channels it inherits
    (a layer's encoding applies to every layer inside it, unless that layer sets the channel itself)."""
    encoding = {**(inherited or {}), **spec.get("encoding", {})}
    if "mark" in spec:
        yield {**spec, "encoding": encoding}
    for child in spec.get("layer", []):
        yield from _units(child, encoding)


def _rows(spec: dict) -> dict[str, int]:
    return {name: len(rows) for name, rows in spec.get("datasets", {}).items()}


def test_every_chart_shows_an_empty_state_when_nothing_is_logged():
    frames = frames_of()
    figures = _figures(weekly.weekly_table(frames, KM, routine_sides=SIDES), weekly.daily_table(frames))
    for name, figure in figures.items():
        assert not figure.drawn, name
        assert len(figure.empty) > 20, name


def test_every_mark_has_a_tooltip(demo_specs):
    assert len(demo_specs) == 14  # 9 weekly charts and a scatter per factor (5)
    for name, spec in demo_specs.items():
        for unit in _units(spec):
            assert "tooltip" in unit.get("encoding", {}), (name, unit["mark"])


def test_every_mark_says_what_it_shows_to_a_screen_reader_or_is_hidden_from_it(demo_specs):
    for name, spec in demo_specs.items():
        for unit in _units(spec):
            mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
            assert "description" in unit["encoding"] or mark.get("aria") is False, (name, mark["type"])


#: What Vega-Lite's own label of a mark lists ("mid: Jan 01, 2026; series: Fitness; ..."), and values it has none of.
_NOT_WORDS = re.compile(r"(^|; )(mid|week|week_end|next_week|series|strip|symbol|key|value|x|pain|low|high): |NaN|null")


def test_a_screen_reader_hears_words_and_numbers_in_every_chart(demo_specs):
    for name, spec in demo_specs.items():
        svg = vl_convert.vegalite_to_svg({**spec, "width": 600})
        said = re.findall(r'aria-label="([^"]+)" role="graphics-symbol"', svg)
        assert said, name
        assert [label for label in said if _NOT_WORDS.search(label)] == [], name


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
        ("weeks", "distance"),
        ("weeks", "pain"),
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
        if not one[name].drawn:
            continue
        rows_one = sorted(_rows(one[name].vega_lite()).values())
        assert rows_one == sorted(_rows(three[name].vega_lite()).values()), name
        assert max(rows_one) <= 12 * 7, name


def test_weekly_charts_send_one_row_per_week(demo_tables, demo_specs):
    weeks, days = demo_tables
    for name in ("mileage", "gym", "stretch", "ratio", "change", "fitness", "weeks", "pain_during"):
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
    assert figure.title == "Weekly distance and knee pain one week later"  # the lag selector's own words
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


def test_a_scatter_leaves_out_part_weeks_and_says_so():
    # 14 complete weeks between a part first week and the week in progress, both with 9 gym sessions
    weeks = pd.DataFrame(
        {
            "week": pd.date_range("2026-01-05", periods=16, freq="W-MON"),
            "complete": [False, *[True] * 14, False],
            "gym_sessions": [9, *[0, 1, 2, 3] * 3, 1, 2, 9],
            "pain_mean": [9.0, *[1.0, 2.0, 3.5, 4.0] * 3, 2.0, 3.5, 9.0],
        }
    )
    others = {"change_pct": 0.0, "distance_m": 0.0, "load": 0.0, "stretch_compliance": 0.0}
    rels = stats.relationships(weeks.assign(**others)).set_index(["driver", "lag"])
    corr = stats.Correlation.from_row(rels.loc[("gym_sessions", 0)])
    figure = charts.driver_scatter(weeks, "gym_sessions", 0, corr, "km", primary=True, p_holm=0.02)
    points = next(rows for rows in figure.chart.to_dict()["datasets"].values() if len(rows) > 2)
    assert len(points) == 14 and max(p["x"] for p in points) == 3
    assert "n = 14 weeks · chosen in advance, Holm p = 0.020 · a first look (under 26 weeks)" in figure.subtitle
    assert "part weeks" in figure.caption and "left out" in figure.caption


def test_pain_status_colours_name_each_status(demo_specs):
    cells = next(u for u in _units(demo_specs["weeks"]) if u["mark"]["type"] == "rect")
    scale = cells["encoding"]["fill"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == charts.STATUS_COLOURS


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _demo_tables(tmp_path_factory.mktemp("ten"), 3650)


def test_ten_years_of_history_render_every_chart(ten_years):
    weeks, days = ten_years
    assert len(weeks) >= 520
    for name, figure in _figures(weeks, days, lag=3).items():
        assert figure.drawn, name
        spec = figure.vega_lite()
        assert max(_rows(spec).values()) <= len(days), name
        json.dumps(spec, allow_nan=False)  # NaN would break the browser's JSON parse


def _three_weeks(days: list[int], complete: list[bool]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-11-16", "2026-11-23", "2026-11-30"]),
            "days": days,
            "complete": complete,
            "distance_m": [12_000.0, 30_000.0, 6_700.0],
            "runs": [1, 4, 1],
            "pain_mean": [1.0, 2.0, 1.5],
            "pain_worst": [2.0, 3.0, 2.0],
            "next_morning_mean": [1.0, 1.0, 1.0],
            "checkin_days": [3, 7, 2],
        }
    )


@pytest.mark.parametrize(
    ("days", "complete", "notes"),
    [
        ([4, 7, 2], [False, True, False], ["first week: 4 of 7 days", "", "so far: 2 of 7 days"]),
        ([7, 7, 7], [True, True, True], ["", "", ""]),
        ([7, 7, 7], [True, True, False], ["", "", "so far: 7 of 7 days"]),  # Sunday: today's week is not over yet
    ],
)
def test_part_weeks_are_named_the_week_so_far_or_the_first_week(days, complete, notes):
    assert charts.part_weeks(_three_weeks(days, complete)).tolist() == notes


def test_the_week_so_far_is_a_pale_dashed_bar_that_says_so():
    spec = charts.mileage_and_pain(_three_weeks([4, 7, 2], [False, True, False]), "km").chart.to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["part"] for r in rows] == ["first week: 4 of 7 days", "", "so far: 2 of 7 days"]
    bars = next(u for u in _units(spec) if u["mark"]["type"] == "bar")
    assert bars["encoding"]["opacity"]["condition"] == {"test": "datum.part != ''", "value": 0.3}
    assert bars["encoding"]["strokeDash"]["condition"]["value"] == [4, 2]
    labels = {u["encoding"]["text"]["value"]: u for u in _units(spec) if u["mark"]["type"] == "text"}
    # named from inside the plot: the week so far from its right end, a first week from its left end
    assert {"filter": "indexof(datum.part, 'so far:') == 0"} in labels["so far"]["transform"]
    assert (labels["so far"]["mark"]["align"], labels["so far"]["encoding"]["x"]["field"]) == ("right", "week_end")
    assert {"filter": "indexof(datum.part, 'first week:') == 0"} in labels["first week"]["transform"]
    assert (labels["first week"]["mark"]["align"], labels["first week"]["encoding"]["x"]["field"]) == ("left", "week")


def _pain_during_weeks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": pd.date_range("2026-03-02", periods=3, freq="7D"),
            "pain_during_worst": [2.0, 6.0, np.nan],
            "pain_during_mean": [1.5, 4.0, np.nan],
            "runs": [2, 3, 0],
        }
    )


def test_pain_during_runs_is_drawn_over_the_models_zones():
    spec = charts.pain_during(_pain_during_weeks()).chart.to_dict()
    zones = next(rows for rows in spec["datasets"].values() if "zone" in rows[0])
    # Silbernagel et al. 2007, Fig. 1: 0-2 safe, 2-5 acceptable, above 5 (to the top of the 0-10 scale) over the limit
    assert [(r["zone"], r["low"], r["high"]) for r in zones] == [
        ("safe", 0, 2),
        ("acceptable", 2, 5),
        ("over the limit", 5, 10),
    ]
    units = list(_units(spec))
    marks = [u["mark"]["type"] if isinstance(u["mark"], dict) else u["mark"] for u in units]
    band = units[marks.index("rect")]
    assert (band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == ("low", "high")
    assert band["encoding"]["tooltip"] == {"value": None}  # a background: the line's tooltip says the numbers
    assert band["encoding"]["fill"]["scale"]["range"] == list(charts.ZONE_COLOURS.values())
    assert marks.index("rect") < marks.index("line")  # drawn first, so behind the line
    assert [r["label"] for r in zones] == ["safe 0–2", "acceptable 2–5", "over the limit 5–10"]


def test_pain_during_runs_waits_for_a_rated_run():
    weeks = _pain_during_weeks().assign(pain_during_worst=np.nan, pain_during_mean=np.nan)
    figure = charts.pain_during(weeks)
    assert figure.chart is None
    assert "Rate the knee pain during your runs" in figure.empty


def _lightness(colour: str) -> float:
    """CIE L* (0 black to 100 white) of an sRGB colour: linearise each channel, Y = 0.2126 R + 0.7152 G + 0.0722 B,
    L* = 116 Y^(1/3) - 16 (above Y = 0.008856)."""
    linear = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in linear]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def test_the_zones_darken_from_safe_to_over_the_limit_in_black_and_white():
    safe, acceptable, over = (_lightness(c) for c in charts.ZONE_COLOURS.values())
    # L* about 96, 87 and 79: each step at least 5 apart, lightest for safe
    assert safe - acceptable >= 5 and acceptable - over >= 5


def test_the_statuses_darken_from_no_data_to_over_a_limit_in_black_and_white():
    lightness = {status: _lightness(colour) for status, colour in charts.STATUS_COLOURS.items()}
    order = ["no pain data", "no runs: only weekly pain checked", "within limits", "over a limit"]
    steps = [lightness[a] - lightness[b] for a, b in zip(order, order[1:], strict=False)]
    # L* about 93, 81, 55 and 34: lightest for no data, darkest for a week over a limit, each step at least 10
    assert min(steps) >= 10, lightness


def _load_weeks() -> pd.DataFrame:
    """Three weeks of load figures: a restart spike of 25 in the second, estimated load in the second and third, and
    fitness warming up in the first two."""
    return pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-06-01", "2026-06-08", "2026-06-15"]),
            "days": [7, 7, 7],
            "complete": [True, True, True],
            "acwr_run": [0.9, 25.0, 1.4],
            "acwr_distance": [0.9, 12.0, 1.3],
            "acwr": [0.9, 1.3, 1.1],
            "acwr_run_uncoupled": [0.8, np.nan, 2.0],
            "acute_run": [90.0, 100.0, 140.0],
            "chronic_run": [100.0, 4.0, 100.0],
            "load_estimated": [0, 2, 1],
            "load": [700.0, 900.0, 1200.0],
            "ctl": [10.0, 20.0, 30.0],
            "atl": [30.0, 40.0, 20.0],
            "form": [0.0, -20.0, -20.0],
            "fitness_warming_up": [True, True, False],
        }
    )


def _layers(spec: dict) -> list[dict]:
    return list(_units(spec))


def test_the_load_ratio_axis_stops_at_three_so_a_restart_spike_does_not_flatten_it():
    spec = charts.load_ratio(_load_weeks()).chart.to_dict()
    lines = next(u for u in _layers(spec) if u["mark"]["type"] == "line")
    assert lines["encoding"]["y"]["scale"]["domain"] == [0, 3]
    assert lines["mark"]["clip"] is True
    above = next(u for u in _layers(spec) if u["mark"].get("shape") == "triangle-up")
    assert {"filter": "datum.value > 3.0"} in above["transform"]  # 25 (and 12) drawn as a triangle at the top
    assert above["encoding"]["y"]["field"] == "top"


def test_the_load_ratio_names_each_line_and_draws_running_load_as_the_main_one():
    spec = charts.load_ratio(_load_weeks()).chart.to_dict()
    lines = next(u for u in _layers(spec) if u["mark"]["type"] == "line")["encoding"]
    assert lines["color"]["scale"]["domain"] == [
        "Running load, weighted 7 ÷ 28 days",
        "Running distance, weighted 7 ÷ 28 days",
        "Runs + gym load, weighted 7 ÷ 28 days",
        "Running load, last 7 days ÷ the 21 days before",
    ]
    assert lines["strokeWidth"]["scale"]["range"] == [3.0, 1.5, 1.5, 1.5]  # the running-load line is the thick one
    assert "last 28 days" not in json.dumps(spec)


@pytest.mark.parametrize("chart", [charts.load_ratio, charts.fitness_fatigue])
def test_weeks_with_estimated_load_are_ringed_on_the_load_charts(chart):
    spec = chart(_load_weeks()).chart.to_dict()
    rows = next(rows for rows in spec["datasets"].values() if len(rows) == 3)
    assert [r["estimated"] for r in rows] == [
        "",
        "2 sessions without an effort rating: load estimated",
        "1 session without an effort rating: load estimated",
    ]
    rings = [u for u in _layers(spec) if {"filter": "datum.estimated != ''"} in u.get("transform", [])]
    assert len(rings) == 1 and rings[0]["mark"]["filled"] is False


def test_fitness_shades_the_weeks_still_warming_up():
    spec = charts.fitness_fatigue(_load_weeks()).chart.to_dict()
    rows = next(rows for rows in spec["datasets"].values() if len(rows) == 3)
    assert [r["fitness_warming_up"] for r in rows] == [True, True, False]
    shade = next(u for u in _layers(spec) if u["mark"]["type"] == "rect")
    assert {"filter": "datum.fitness_warming_up"} in shade["transform"]
    assert "Warming up" in json.dumps(shade["transform"])


def test_the_overview_draws_the_status_strip_in_the_same_chart_as_the_distance(demo_specs):
    spec = demo_specs["weeks"]
    marks = [unit["mark"]["type"] for unit in _units(spec)]
    assert marks == ["bar", "text", "text", "line", "rect", "point"]  # bars and labels, pain, cells and symbols
    # each mark's tooltip names what it draws, starting with its week
    tips = {unit["mark"]["type"]: [tip["title"] for tip in unit["encoding"]["tooltip"]] for unit in _units(spec)}
    assert tips["bar"] == ["Week of", "Distance (km)", "Runs", "Part week"]
    assert tips["line"] == ["Week of", "Knee pain, mean (0-10)", "Worst score", "Next-morning pain", "Check-in days"]
    assert tips["rect"] == tips["point"] == ["Week of", "Pain-monitoring status", "Limits broken", "Worst during a run"]


def test_without_pain_data_the_overview_leaves_the_strip_out_and_says_how_to_see_it():
    frames = frames_of(runs=[(d, 5000, 1800, 5, None) for d in range(0, 21, 2)])  # runs, no pain scores
    figure = charts.weeks_overview(weekly.weekly_table(frames, KM, routine_sides=SIDES), "km")
    assert [unit["mark"]["type"] for unit in _units(figure.vega_lite())] == ["bar", "text", "text", "line"]
    assert figure.caption.endswith("once you do the daily knee check-in and rate pain during runs.")
    assert figure.notes == ()


def _overview_weeks(demo_tables, shift: float) -> pd.DataFrame:
    """The demo's last 12 weeks with every distance and pain moved by ``shift`` and one status changed: the same
    weeks on the time axis, other values."""
    weeks = demo_tables[0].tail(12).reset_index(drop=True).copy()
    weeks["distance_m"] += shift * 1000
    weeks["pain_mean"] = (weeks["pain_mean"] + shift).clip(upper=10)
    weeks.loc[3, ["pain_status", "pain_reasons"]] = ["over a limit", f"pain during a run reached {6 + shift:.0f}/10"]
    weeks.loc[4, "next_morning_mean"] = np.nan
    return weeks


@pytest.mark.parametrize("unit", ["km", "mi"])
def test_the_overview_reuses_its_shape_for_new_values_on_the_same_weeks_and_equals_a_fresh_build(demo_tables, unit):
    first, second = _overview_weeks(demo_tables, 0.0), _overview_weeks(demo_tables, 1.0)
    for weeks in (first, second, first):  # the second and third are drawn from the shape the first one built
        rows = charts._overview_rows(weeks, unit)
        fresh = charts._overview_chart(weeks, unit, rows).to_dict()  # Altair's JSON, checked against the schema
        assert charts.weeks_overview(weeks, unit).spec == fresh
    assert charts.weeks_overview(first, unit).spec != charts.weeks_overview(second, unit).spec


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(pd.to_datetime(["2026-03-02T00:00", None, "2026-03-16T07:30"], format="ISO8601")),
        pd.Series([1.5, np.nan, np.inf]),
        pd.Series([3, 0, -2], dtype="int64"),
        pd.Series([True, False, True]),
        pd.Series(["so far", "", "first week"], dtype="object"),
        pd.Series(["over a limit", None, "within"], dtype="str"),
    ],
    ids=["dates", "floats", "ints", "bools", "object text", "text"],
)
def test_chart_rows_are_the_json_records_altair_writes(column):
    import altair as alt

    from kneelog.views.chart_kit import inline_values

    rows = pd.DataFrame({"week": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-16"]), "value": column})
    assert inline_values(rows) == alt.utils.data.to_values(rows)["values"]


def test_missing_text_in_chart_rows_is_json_null():
    from kneelog.views.chart_kit import inline_values

    rows = pd.DataFrame({"part": pd.Series(["so far", None, np.nan], dtype="object")})
    assert json.dumps(inline_values(rows), allow_nan=False) == '[{"part": "so far"}, {"part": null}, {"part": null}]'
