"""Charts a runner can read (issue 11): text of 12 px or more, stacked weekly charts that line up week for week, no
second y axis, legends that draw the marks they name, and a pain-status strip that reads without colour.

The dashboard is built from the demo athlete in a real database. Where the question is what a browser draws (where
a plot starts and ends, which symbols show), Vega itself lays the charts out (vl-convert runs Vega's own code, as
Streamlit does in the browser) at the widths a laptop and a phone give a chart.
"""

import datetime as dt
import re

import pandas as pd
import pytest
import vl_convert  # the test extra: a missing package is a failure, not a skip

from kneelog import demo
from kneelog.analysis import pain, weekly
from kneelog.models import Settings
from kneelog.store import Store
from kneelog.views import charts, dashboard
from tests.test_charts import _units

END = dt.date(2026, 6, 28)  # a Sunday
KM = Settings(unit="km", timezone="UTC")
#: The width a chart gets on the dashboard in Chromium (the page's column): at 1366 px and at 390 px wide.
LAPTOP, PHONE = 1206, 358


@pytest.fixture(scope="module")
def dash(tmp_path_factory) -> dict[str, dict[str, charts.Figure]]:
    """Every figure of every dashboard section on 26 weeks of the demo athlete: the weekly charts, the scatters."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'k.db'}")
    store.add_many(demo.generate(days=182, end=END))
    frames = {kind: store.frame(kind) for kind in weekly.KINDS}
    store.dispose()
    history = dashboard.history(frames, KM, today=END, routine_sides=9)
    sections = [dashboard.section(name, history) for name in dashboard.SECTIONS]
    return {
        "weekly": {name: figure for s in sections for name, figure in s.figures.items()},
        "scatters": {figure.title: figure for s in sections for figure in s.scatters},
    }


@pytest.fixture(scope="module")
def weekly_specs(dash) -> dict[str, dict]:
    specs = {name: figure.vega_lite() for name, figure in dash["weekly"].items() if figure.drawn}
    assert len(specs) == 8  # distance, pain and status (one), pain during runs, gym, stretch, calendar, change,
    # ratio, fitness
    return specs


@pytest.fixture(scope="module")
def every_spec(dash, weekly_specs) -> dict[str, dict]:
    scatters = {name: figure.vega_lite() for name, figure in dash["scatters"].items() if figure.drawn}
    assert len(scatters) == 5
    return weekly_specs | scatters


def _mark(unit: dict) -> str:
    return unit["mark"]["type"] if isinstance(unit["mark"], dict) else unit["mark"]


def _walk(node, path=()):
    """Every (path, key, value) in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, i))


def _in_the_browser(spec: dict, width: int) -> str:
    """The chart as Vega draws it (SVG) in a column ``width`` px wide, as Streamlit's ``width="stretch"`` sets it:
    the width replaced by the column's, under Streamlit's theme (which fits charts to their size) and its 20 px of
    padding below."""
    shown = {**spec, "width": width, "padding": {"bottom": 20}}
    shown["config"] = {**spec.get("config", {}), "autosize": {"type": "fit", "contains": "padding"}}
    return vl_convert.vegalite_to_svg(shown)


def _plot(svg: str) -> tuple[float, float]:
    """Where the plot starts (px from the chart's left edge) and how wide it is, in a chart drawn by Vega."""
    left = re.search(r'<g [^>]*transform="translate\(([\d.]+),', svg)
    frame = re.search(r'class="mark-group role-frame root".*?class="background"[^>]*d="M0.5,0.5h([\d.]+)', svg, re.S)
    return float(left.group(1)), float(frame.group(1))


def _texts(svg: str, role: str) -> list[tuple[str, bool]]:
    """The texts Vega drew in the text groups of ``role`` (``role-mark``: the chart's own, ``role-legend-label``),
    in order, each with whether it shows (its opacity is not 0)."""
    out = []
    for group in re.findall(rf'<g class="mark-text {role}[^"]*"[^>]*>(.*?)</g>', svg, re.S):
        for tag, text in re.findall(r"(<text[^>]*>)([^<]*)</text>", group):
            opacity = re.search(r'opacity="([\d.]+)"', tag)
            out.append((text, opacity is None or float(opacity.group(1)) > 0))
    return out


# --- text of at least 12 px -------------------------------------------------------------------------------------


def test_every_chart_sets_its_axis_legend_and_mark_text_to_12_px_or_more(every_spec):
    for name, spec in every_spec.items():
        config = spec["config"]  # Vega's own defaults are 10 and 11 px: each size is set, not left to them
        sizes = [
            config["axis"]["labelFontSize"],
            config["axis"]["titleFontSize"],
            config["legend"]["labelFontSize"],
            config["legend"]["titleFontSize"],
            config["text"]["fontSize"],
        ]
        assert min(sizes) >= 12, name
        anywhere = [(path, key, value) for path, key, value in _walk(spec) if key.lower().endswith("fontsize")]
        assert all(value >= 12 for _, _, value in anywhere), (name, [a for a in anywhere if a[2] < 12])


@pytest.mark.parametrize("width", [LAPTOP, PHONE])
def test_no_text_vega_draws_is_smaller_than_12_px(every_spec, width):
    for name, spec in every_spec.items():
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', _in_the_browser(spec, width))]
        assert sizes and min(sizes) >= 12, (name, sorted(set(sizes)))


# --- stacked weekly charts line up --------------------------------------------------------------------------------


def test_every_y_axis_is_the_same_width_and_titled(every_spec):
    extents = {
        (spec["config"]["axisY"]["minExtent"], spec["config"]["axisY"]["maxExtent"]) for spec in every_spec.values()
    }
    assert len(extents) == 1
    low, high = extents.pop()
    assert low == high  # one fixed width: a longer label is cut short (labelLimit), never widens the axis
    for name, spec in every_spec.items():
        assert spec["config"]["axisY"]["labelLimit"] <= high, name
        ys = [u["encoding"]["y"] for u in _units(spec) if "y" in u["encoding"]]
        assert all(y.get("axis", {}) is not None for y in ys), name  # a hidden axis would start the plot further left
        assert any(y.get("title") for y in ys), name  # so does an untitled one


def _time_domains(spec: dict) -> list:
    return [u["encoding"]["x"]["scale"]["domain"] for u in _units(spec) if "scale" in u["encoding"].get("x", {})]


def test_every_weekly_chart_spans_the_same_weeks(weekly_specs):
    domains = {name: _time_domains(spec) for name, spec in weekly_specs.items()}
    assert all(domains.values()), domains
    # 182 days of the demo to Sunday 28 June 2026: from Monday 29 December 2025 to the Monday after the last week
    weeks = [{"year": 2025, "month": 12, "date": 29}, {"year": 2026, "month": 6, "date": 29}]
    assert all(domain == weeks for found in domains.values() for domain in found), domains


@pytest.mark.parametrize("width", [LAPTOP, PHONE])
def test_stacked_weekly_charts_draw_their_plots_at_the_same_x_so_a_week_reads_straight_down(weekly_specs, width):
    plots = {name: _plot(_in_the_browser(spec, width)) for name, spec in weekly_specs.items()}
    starts = {start for start, _ in plots.values()}
    widths = {round(w) for _, w in plots.values()}
    assert len(starts) == 1, plots
    assert len(widths) == 1, plots
    assert widths.pop() > width * 0.7, plots  # and the plot takes most of the column


# --- no second y axis ---------------------------------------------------------------------------------------------


def _share(expression) -> float:
    """``0.6`` from a range end written ``{"expr": "height * 0.6"}``."""
    return float(re.fullmatch(r"height \* ([\d.]+)", expression["expr"]).group(1))


def test_no_chart_has_a_y_axis_on_the_right(every_spec):
    for name, spec in every_spec.items():
        for unit in _units(spec):
            axis = unit["encoding"].get("y", {}).get("axis") or {}
            assert axis.get("orient", "left") == "left", name


def _panels(spec: dict) -> dict[str, tuple[float, float]]:
    """Each panel of a chart drawn in panels (by the mark drawing it), as (top, bottom) shares of the plot height."""
    panels = {}
    for unit in _units(spec):
        scale = unit["encoding"].get("y", {}).get("scale", {})
        if "range" in scale:
            bottom, top = (_share(e) for e in scale["range"])
            panels[_mark(unit)] = (top, bottom)
    return panels


def test_pain_has_its_own_panel_under_the_distance_not_a_second_axis(weekly_specs):
    spec = weekly_specs["weeks"]  # the Overview's chart
    units = list(_units(spec))
    bars = next(u for u in units if _mark(u) == "bar")
    lines = next(u for u in units if _mark(u) == "line")
    assert bars["encoding"]["y"]["field"] == "distance"
    assert lines["encoding"]["y"]["scale"]["domain"] == [0, 10]
    # from the top of the plot: distance in the upper 52%, pain from 60% to 86%, the status strip in the lowest 10%,
    # a gap between each, so no pixel of the plot reads on two scales at once
    assert _panels(spec) == {"bar": (0.0, 0.52), "line": (0.6, 0.86), "rect": (0.9, 1.0), "point": (0.9, 1.0)}
    # a later independent axis would go to the right: the pain and status axes are put on the left
    assert {u["encoding"]["y"]["axis"]["orient"] for u in units if _mark(u) in ("line", "rect")} == {"left"}
    assert {u["encoding"]["x"]["field"] for u in units} <= {"week", "mid", "week_end"}  # the same weeks


def test_the_report_chart_has_distance_above_pain_in_the_same_panels():
    spec = charts.mileage_and_pain(FOUR, "km").chart.to_dict()
    # distance in the upper 60%, pain in the lowest 30% (no status strip in the report's chart)
    assert _panels(spec) == {"bar": (0.0, 0.6), "line": (0.7, 1.0)}


def test_only_the_distance_chart_has_independent_y_scales(weekly_specs):
    independent = {name for name, spec in weekly_specs.items() if spec.get("resolve", {}).get("scale", {}).get("y")}
    assert independent == {"weeks"}


# --- legends draw the marks they name -----------------------------------------------------------------------------

#: The legend symbol of each mark: a square for bars and cells, a line for lines and dashes, a dot for dots.
SYMBOL_OF = {"bar": "square", "rect": "square", "line": "stroke", "tick": "stroke", "point": "circle"}


def test_every_legend_draws_the_mark_it_names(every_spec):
    legends = 0
    for name, spec in every_spec.items():
        for unit in _units(spec):
            for channel in ("color", "fill", "stroke", "strokeDash"):
                encoding = unit["encoding"].get(channel)
                if not encoding or "field" not in encoding:
                    continue
                assert "legend" in encoding, (name, channel)  # no default legend (Vega draws circles for all)
                if encoding["legend"] is None:
                    continue
                legends += 1
                assert encoding["legend"]["symbolType"] == SYMBOL_OF[_mark(unit)], (name, _mark(unit))
    assert legends >= 8  # pain lines (colour, dash), status, gym (bars, dashes), ratio lines, fitness lines


def test_the_gym_chart_has_a_square_for_its_bars_and_a_dash_for_the_recommended_count(weekly_specs):
    svg = _in_the_browser(weekly_specs["gym"], LAPTOP)
    assert [text for text, _ in _texts(svg, "role-legend-label")] == ["Gym sessions", "Recommended"]
    # Vega draws a legend symbol as a path: a square "M-5,-5h10v10h-10Z" and a stroke "M-5,0h10" (a flat line)
    symbols = re.findall(r'class="mark-symbol role-legend-symbol"[^>]*><path[^>]* d="([^"]+)"', svg)
    assert len(symbols) == 2
    square, stroke = symbols
    assert "v" in square and "v" not in stroke


# --- the pain-status strip reads without colour ---------------------------------------------------------------------


def _status_weeks(statuses: list[str], reasons: list[str]) -> pd.DataFrame:
    weeks = len(statuses)
    return pd.DataFrame(
        {
            "week": pd.date_range("2026-03-02", periods=weeks, freq="7D"),
            "days": 7,
            "complete": [True] * (weeks - 1) + [False],
            "pain_status": statuses,
            "pain_reasons": reasons,
            "pain_mean": 2.0,
            "pain_during_worst": 3.0,
            "pain_during_mean": 2.0,
            "runs": 2,
            "next_morning_mean": 1.0,
            "distance_m": 20000.0,
            "pain_worst": 3.0,
            "checkin_days": 7,
        }
    )


def _strip(weeks: pd.DataFrame, width: int) -> str:
    """The Overview's chart (its status strip at the foot) as Vega draws it at ``width``."""
    return _in_the_browser(charts.weeks_overview(weeks, "km").vega_lite(), width)


def _cells(svg: str) -> list[tuple[float, float, str]]:
    """Each cell of the strip, in order: its left edge and width (px) and its status, read from its ``aria-label``
    ("Week of 09 Mar 2026: over a limit: ...") as a screen reader reads it."""
    found = re.findall(r'<path aria-label="Week of [^:"]+: ([^"]+)"[^>]*"rect mark" d="M([\d.]+),[\d.]+h([\d.]+)v', svg)
    statuses = list(charts.STATUS_SYMBOLS)
    return [(float(x), float(w), next(s for s in statuses if said.startswith(s))) for said, x, w in found]


def _symbols(svg: str) -> list[tuple[str, bool]]:
    """The symbol Vega drew in each cell of the strip, as the character of the status of the cell it sits in
    (:data:`charts.STATUS_SYMBOLS`), in order, each with whether it shows (its opacity is not 0).

    The shapes are hidden from screen readers (each cell names its status); every symbol of a status has that
    status's shape, and no two statuses share one.
    """
    group = re.search(r'<g class="mark-symbol role-mark [^"]*" [^>]*aria-hidden="true">(.*?)</g>', svg).group(1)
    drawn = re.findall(r'<path transform="translate\(([\d.]+),[\d.]+\)" d="([^"]+)"[^>]*opacity="([\d.]+)"', group)
    cells = _cells(svg)
    assert len(drawn) == len(cells)
    status_of = [next(s for x, w, s in cells if x <= float(mid) <= x + w) for mid, _, _ in drawn]
    shapes = {(status, d) for status, (_, d, _) in zip(status_of, drawn, strict=True)}
    assert len(shapes) == len({d for _, d in shapes}) == len(set(status_of))  # one shape per status, each its own
    return [(charts.STATUS_SYMBOLS[s], float(opacity) > 0) for s, (_, _, opacity) in zip(status_of, drawn, strict=True)]


FOUR = _status_weeks(
    [pain.STATUS_WITHIN, pain.STATUS_OVER, pain.STATUS_NO_RUNS, pain.STATUS_NONE, pain.STATUS_OVER],
    ["", "pain during a run reached 6/10 (limit 5)", "", "", "weekly pain rose from 1.0 to 2.5"],
)


def test_each_status_has_its_own_symbol_and_lightness():
    symbols = list(charts.STATUS_SYMBOLS.values())
    assert set(charts.STATUS_SYMBOLS) == {pain.STATUS_WITHIN, pain.STATUS_OVER, pain.STATUS_NO_RUNS, pain.STATUS_NONE}
    assert len(set(symbols)) == 4 and all(s.strip() for s in symbols)
    assert charts.STATUS_SYMBOLS[pain.STATUS_OVER] == "!"
    assert set(charts.STATUS_SHAPES) == set(charts.STATUS_SYMBOLS)  # each drawn as a shape of its own in the strip
    assert len(set(charts.STATUS_SHAPES.values())) == 4


def test_the_strip_draws_a_symbol_in_each_week_and_names_the_statuses_in_its_legend():
    svg = _strip(FOUR, LAPTOP)
    assert _symbols(svg) == [("✓", True), ("!", True), ("○", True), ("–", True), ("!", True)]  # by week
    legend = [text for text, _ in _texts(svg, "role-legend-label")]
    assert legend == [
        "Knee pain, mean of the day",
        "Next morning",
        "!  over a limit",
        "✓  within limits",
        "○  no runs",
        "–  no pain data",
    ]


def test_a_screen_reader_hears_each_week_in_words_not_the_charts_field_names():
    svg = _strip(FOUR.assign(runs=[2, 1, 0, 2, 3], distance_m=[20_000.0, 8_000.0, 0.0, 12_340.0, 30_000.0]), LAPTOP)
    marks = re.findall(r'<path aria-label="([^"]+)" role="graphics-symbol"', svg)
    assert marks[:5] == [  # the bars
        "Week of 02 Mar 2026: 20.0 km in 2 runs",
        "Week of 09 Mar 2026: 8.0 km in 1 run",
        "Week of 16 Mar 2026: 0.0 km in 0 runs",
        "Week of 23 Mar 2026: 12.3 km in 2 runs",
        "Week of 30 Mar 2026: 30.0 km in 3 runs (so far: 7 of 7 days)",
    ]
    assert "Week of 16 Mar 2026: Next morning: 1.0 of 10" in marks  # a point of a pain line
    assert marks[-5:] == [  # the strip's cells (their symbols are hidden: the cell says the status)
        "Week of 02 Mar 2026: within limits",
        "Week of 09 Mar 2026: over a limit: pain during a run reached 6/10 (limit 5)",
        "Week of 16 Mar 2026: no runs: only weekly pain checked",
        "Week of 23 Mar 2026: no pain data",
        "Week of 30 Mar 2026: over a limit: weekly pain rose from 1.0 to 2.5",
    ]
    assert all(mark.startswith("Week of ") for mark in marks)  # none lists fields such as "mid: ..." or "strip: ..."


def test_at_phone_width_many_weeks_keep_only_the_narrow_over_the_limit_mark():
    # 52 weeks in a 358 px column: cells about 6 px wide, room for "!" (over a limit) but not for "✓"
    statuses = [pain.STATUS_WITHIN, pain.STATUS_OVER] * 26
    drawn = _symbols(_strip(_status_weeks(statuses, [""] * 52), PHONE))
    assert len(drawn) == 52
    assert {text for text, shows in drawn if shows} == {"!"}
    assert sum(shows for _, shows in drawn) == 26


def test_a_ten_year_strip_lines_up_with_the_other_weekly_charts_at_phone_width():
    # 520 weeks in a 358 px column: cells under a pixel wide, so no symbol shows, and none pushes the plot narrower
    weeks = _status_weeks([pain.STATUS_WITHIN, pain.STATUS_NONE] * 260, [""] * 520)
    strip = _plot(_strip(weeks, PHONE))
    during = _plot(_in_the_browser(charts.pain_during(weeks).chart.to_dict(), PHONE))
    assert strip == during


def test_weeks_over_a_limit_are_listed_in_words_newest_first_for_the_page_to_show():
    figure = charts.weeks_overview(FOUR, "km")
    assert figure.notes == (
        "Week of 30 Mar 2026 (so far: 7 of 7 days): weekly pain rose from 1.0 to 2.5.",
        "Week of 09 Mar 2026: pain during a run reached 6/10 (limit 5).",
    )
    assert figure.notes_title == "Which limit was broken (2 weeks over a limit)"


def test_no_week_over_a_limit_gives_no_notes():
    figure = charts.weeks_overview(_status_weeks([pain.STATUS_WITHIN, pain.STATUS_NO_RUNS], ["", ""]), "km")
    assert figure.notes == () and figure.notes_title == ""
