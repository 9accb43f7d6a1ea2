"""The parts every dashboard chart is built from: colours, the shared weekly time axis, legends, layers and the
finish that makes a chart readable (see :mod:`kneelog.views.charts` for the charts themselves).

Charts a runner can read (:func:`finish`): no text smaller than :data:`FONT_SIZE`; every y axis exactly
:data:`Y_AXIS_EXTENT` pixels wide and titled, and every weekly chart on the same time scale (:func:`time_axis`), so
the plots of the stacked weekly charts start and end at the same x and a week reads straight down the page; no
second y axis; each legend draws the mark it names (a square for bars, a line for lines).

Built cheaply: a layered chart is made in one step with everything on it (:func:`shared`, :func:`finish`), since
each later Altair call on it copies every layer, and outside the tests without Altair's per-part schema check
(:func:`unchecked`).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any

import altair as alt
import pandas as pd
from altair.utils import infer_encoding_types
from altair.utils.schemapi import debug_mode

#: One colour per quantity, everywhere in kneelog (Okabe & Ito's colour-blind-safe palette, then Tol's).
COLOURS: dict[str, str] = {
    "distance": "#0072B2",
    "load": "#E69F00",
    "gym": "#009E73",
    "stretch": "#CC79A7",
    "pain": "#D55E00",
    "next_morning": "#882255",
    "ratio": "#000000",
    "ratio_rolling": "#6F6F6F",
    "ctl": "#332288",
    "atl": "#AA3377",
    "form": "#999933",
    "plan": "#333333",
    "fit": "#333333",
}
#: The height of a chart's plot in pixels (axes and legend come on top of it).
HEIGHT = 180
#: The smallest text in any chart, in pixels: axis labels and titles, legends and text marks.
FONT_SIZE = 12
#: The width in pixels of every y axis's ticks and labels (a longer label is cut short with "…"). Fixed, and every
#: y axis has a title, so the plot of every stacked weekly chart starts at the same x at any width.
Y_AXIS_EXTENT = 48
#: The fewest weeks a time axis spans.
AXIS_WEEKS = 8
#: Lines carry a dot per week, and cells a white border, up to this many weeks.
POINTS_UP_TO = 60


@dataclass(frozen=True)
class Figure:
    """A chart to place (with an optional ``subtitle`` above it and ``caption`` below), or (neither ``chart`` nor
    ``spec``) the ``empty`` message to show instead. A chart comes built by Altair (``chart``) or, :meth:`frozen`
    or made as JSON from the start (:func:`shaped`), as its Vega-Lite JSON (``spec``)."""

    title: str
    chart: alt.TopLevelMixin | None
    empty: str = ""
    caption: str = ""
    subtitle: str = ""
    #: Lines in words that a tooltip would otherwise be the only place for (such as the limit each week over a limit
    #: broke), for a page to show under the chart without hover, under the heading ``notes_title``; newest first.
    notes: tuple[str, ...] = ()
    notes_title: str = ""
    #: The chart as Vega-Lite JSON, once :meth:`frozen`.
    spec: dict[str, Any] | None = None

    def frozen(self) -> Figure:
        """This figure with its chart turned into Vega-Lite JSON once, for a page to cache and draw as it is.

        Altair rebuilds and schema-validates a chart's JSON each time a page draws it; a frozen figure skips that
        on every rerun. The schema is checked in the tests (``to_dict()`` with validation), not at run time.
        """
        if self.chart is None:
            return self
        return replace(self, chart=None, spec=self.chart.to_dict(validate=False))

    @property
    def drawn(self) -> bool:
        """Whether there is a chart to draw (rather than the ``empty`` message)."""
        return self.chart is not None or self.spec is not None

    def vega_lite(self) -> dict[str, Any]:
        """The chart as Vega-Lite JSON: ``spec``, or Altair's JSON of ``chart`` checked against the schema.

        Raises:
            ValueError: for a figure with no chart.
        """
        if self.spec is not None:
            return self.spec
        if self.chart is None:
            raise ValueError(f"{self.title!r} has no chart: {self.empty}")
        return self.chart.to_dict()


def inline_values(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """``rows`` as the JSON records a Vega-Lite spec holds, as Altair writes them (``altair.utils.data.to_values``):
    dates and times as ISO text (``""`` for a missing one), numbers as Python numbers, and a missing or infinite
    value as ``None`` (JSON's null).

    Column by column over plain lists: Altair converts a frame by rewriting each of its columns in pandas first,
    which for a year of weekly rows cost more than the rest of the Overview's spec (:func:`shaped`).
    """
    columns = []
    for _, column in rows.items():
        kind = column.dtype.kind
        if kind == "M":
            values = ["" if pd.isna(when) else when.isoformat() for when in column]
        elif kind == "f":
            values = [x if math.isfinite(x) else None for x in column.to_numpy(dtype="float64").tolist()]
        elif kind in "iub":
            values = column.to_numpy().tolist()
        else:  # text: pandas' missing values (None, NaN) as null
            values = [None if x is None or (isinstance(x, float) and math.isnan(x)) else x for x in column.tolist()]
        columns.append(values)
    names = [str(name) for name in rows.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def dataset_name(values: list[dict[str, Any]]) -> str:
    """The name Altair gives a chart's rows among the spec's ``datasets``: ``data-`` and a hash of their JSON."""
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"data-{digest}"


#: The specs :func:`shaped` keeps, without their rows, by key: the most recently used first out last.
_SHAPES: OrderedDict[Hashable, str] = OrderedDict()
_SHAPES_KEPT = 32
_SHAPES_LOCK = threading.Lock()


def shaped(key: Hashable, build: Callable[[], alt.TopLevelMixin], rows: pd.DataFrame) -> dict[str, Any]:
    """The Vega-Lite JSON of the chart ``build()`` makes, drawing ``rows``: what ``build().to_dict()`` gives, with
    the chart built (and turned into JSON by Altair) only the first time for ``key``.

    A chart whose every part but its rows follows from a few inputs (the unit, the weeks on its time axis) is the
    same spec for new rows on the same weeks: after a runner logs a check-in the Overview's chart gets its new rows
    without Altair building and copying its layers again, which took most of the first view after a write.
    ``key`` must name every input ``build`` reads other than the values of ``rows``, which ``build`` draws as the
    chart's top-level data (rows a layer holds of its own are part of the shape); the tests hold the result against
    a fresh build.
    The specs are kept per process for every runner: they hold no runner's values, only the shape the key names.
    """
    with _SHAPES_LOCK:
        shape = _SHAPES.get(key)
        if shape is not None:
            _SHAPES.move_to_end(key)
    if shape is None:
        spec = build().to_dict(validate=False)
        del spec["datasets"][spec.pop("data")["name"]]
        shape = json.dumps(spec)
        with _SHAPES_LOCK:
            _SHAPES[key] = shape
            while len(_SHAPES) > _SHAPES_KEPT:
                _SHAPES.popitem(last=False)
    values = inline_values(rows)
    name = dataset_name(values)
    spec = json.loads(shape)
    return spec | {"data": {"name": name}, "datasets": spec["datasets"] | {name: values}}


#: Vega expressions for the end (Monday + 6 days 20 hours, leaving a gap between bars) and middle of a week,
#: computed in the browser so the data sent holds only each week's Monday.
WEEK_END = "toDate(datum.week) + 164 * 3600000"
WEEK_MID = "toDate(datum.week) + 84 * 3600000"
WEEK_TIP = alt.Tooltip("week:T", title="Week of", format="%d %b %Y")


#: A Vega expression: "Week of 02 Mar 2026: ", how a screen reader's words for a weekly mark begin (:func:`described`).
WEEK_SAID = "'Week of ' + timeFormat(toDate(datum.week), '%d %b %Y') + ': '"


def said_number(field: str, fmt: str, missing: str = "none") -> str:
    """A Vega expression: the row's ``field`` in the d3 format ``fmt``, or ``missing`` where it has no value."""
    return f"(isValid(datum.{field}) ? format(datum.{field}, '{fmt}') : '{missing}')"


def plural(field: str, noun: str) -> str:
    """A Vega expression: the row's count ``field`` and ``noun``, with an "s" unless the count is 1 ("1 run")."""
    return f"datum.{field} + (datum.{field} == 1 ? ' {noun}' : ' {noun}s')"


def described(layer: alt.Chart, words: str) -> alt.Chart:
    """``layer`` with what a screen reader says of each of its marks: ``words``, a Vega expression over the mark's
    row (for a weekly mark, :data:`WEEK_SAID` and then what the mark shows).

    Without it, Vega-Lite labels each mark with every field it encodes, internal names and all ("mid: ...; strip:
    status; week_end: ..."), and formats them all for every mark the chart draws. A mark that only repeats another
    (a label, a symbol in a cell) is hidden from screen readers instead (``aria=False``), and a background or
    reference line says what it is once (``alt.DescriptionValue``).
    """
    return layer.transform_calculate(said=words).encode(description=alt.Description("said:N"))


def unchecked() -> AbstractContextManager[None]:
    """A context in which Altair does not check each chart part against the Vega-Lite schema as it is made.

    Altair's debug mode validates every object at construction; a chart is checked whole by ``to_dict()`` in the
    tests instead, and the page draws the frozen JSON (:meth:`Figure.frozen`, ``validate=False``).
    """
    return debug_mode(False)


def week_rows(weekly: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``week`` (the Monday) and ``columns`` of the weekly table, numbers rounded: the rows a weekly chart ships."""
    out = weekly[["week", *columns]].reset_index(drop=True)
    return out.round({c: 3 for c in columns if pd.api.types.is_float_dtype(out[c])})


def weekly_base(data: pd.DataFrame | None = None) -> alt.Chart:
    """A chart of weekly rows with ``week_end`` and ``mid`` computed in the browser; without ``data``, a layer whose
    rows the layered chart holds (:func:`shared` with ``data``)."""
    return alt.Chart(alt.Undefined if data is None else data).transform_calculate(week_end=WEEK_END, mid=WEEK_MID)


def axis_ends(weeks: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis of every weekly chart: from the first Monday to the end of the last week, so charts align.

    A short history is drawn on at least :data:`AXIS_WEEKS` weeks, so one week is a bar, not the whole chart.
    """
    last = weeks.max() + pd.Timedelta(days=7)
    return min(weeks.min(), last - pd.Timedelta(weeks=AXIS_WEEKS)), last


def span(weeks: pd.Series) -> list[alt.DateTime]:
    """The domain of the time axis (:func:`axis_ends`) as Vega-Lite dates."""
    return [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in axis_ends(weeks)]


def weeks_on_axis(weeks: pd.Series) -> int:
    """How many weeks the time axis spans (:func:`axis_ends`)."""
    first, last = axis_ends(weeks)
    return (last - first).days // 7


#: The most tick labels on a weekly time axis.
MAX_TICKS = 8


def monday_ticks(weeks: pd.Series) -> list[alt.DateTime]:
    """Ticks on Mondays (weeks start on Monday; Vega's own weekly ticks fall on Sundays), at most :data:`MAX_TICKS`."""
    mondays = pd.date_range(axis_ends(weeks)[0], weeks.max(), freq="7D")
    step = max(1, -(-len(mondays) // MAX_TICKS))
    return [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in mondays[::step]]


def time_axis(weeks: pd.Series, field: str = "week") -> alt.X:
    """The shared time axis (see :func:`span`) on ``field``, ticks on Mondays."""
    return alt.X(
        f"{field}:T",
        title=None,
        scale=alt.Scale(domain=span(weeks)),
        # the first label starts at the axis (flush); one that would overflow an end is left out (bound), as is
        # one closer than 8 px to the label kept before it (greedy): no label is cut off or crowded, at any width
        axis=alt.Axis(
            format="%d %b %y",
            labelAngle=0,
            labelOverlap="greedy",
            labelSeparation=8,
            labelFlush=True,
            labelBound=True,
            values=monday_ticks(weeks),
        ),
    )


def legend_scale(names: dict[str, str]) -> alt.Scale:
    """A colour scale whose legend names each series by what it shows (``names``: shown name -> colour key)."""
    return alt.Scale(domain=list(names), range=[COLOURS[k] for k in names.values()])


def legend_of(symbol: str, **more: Any) -> alt.Legend:
    """A legend under the plot whose symbols draw the legend's mark: ``"square"`` for bars and cells, ``"stroke"``
    for lines and ticks, ``"circle"`` for dots."""
    return alt.Legend(orient="bottom", title=None, symbolLimit=0, columnPadding=12, symbolType=symbol, **more)


def series_colour(scale: alt.Scale, symbol: str) -> alt.Color:
    """The layers' colour by their ``series`` name, in a legend of ``symbol`` (see :func:`legend_of`)."""
    return alt.Color("series:N", scale=scale, legend=legend_of(symbol))


def shared(
    *layers: alt.Chart | alt.LayerChart,
    data: pd.DataFrame | None = None,
    resolve: alt.Resolve | None = None,
    **channels: Any,
) -> alt.LayerChart:
    """The layers, drawn from the same weekly rows, with the ``channels`` they share (the time axis, the tooltip)
    written once on the layer rather than once in each: the spec sent to the browser stays small.

    Built in one step (``data`` and ``resolve``, when given, too): each later Altair call on a layered chart
    (``.encode``, ``.resolve_scale``) would copy every layer again. Layers made without rows (``weekly_base()``) draw
    ``data``; Altair would otherwise lift the rows the layers share to the top itself, hashing each layer's rows on
    the way.
    """
    top = {"data": data} if data is not None else {}
    return alt.LayerChart(
        layer=list(layers),
        encoding=alt.FacetedEncoding(**infer_encoding_types((), channels)),
        **top,
        **({"resolve": resolve} if resolve is not None else {}),
    )


def when(channel: type[alt.SchemaBase], test: str, then: Any, otherwise: Any) -> alt.SchemaBase:
    """``channel`` (a value channel such as :class:`altair.OpacityValue`) worth ``then`` where the Vega expression
    ``test`` holds, else ``otherwise``: what ``alt.condition`` gives, already typed, so ``.encode`` need not look the
    channel's class up in the schema (a costly search on every call)."""
    return channel(condition={"test": test, "value": then}, value=otherwise)


def named(chart: alt.Chart, name: str) -> alt.Chart:
    """The layer as the legend's series ``name``."""
    return chart.transform_calculate(series=f"'{name}'")


def rule(y: float, text: str, dash: list[int] | None = None) -> alt.Chart:
    """A horizontal reference line at ``y`` whose tooltip says what it is."""
    return (
        alt.Chart(pd.DataFrame({"y": [y], "what": [text]}))
        .mark_rule(color=COLOURS["plan"], strokeDash=dash or [4, 3], opacity=0.7, clip=True)
        .encode(y="y:Q", tooltip=[alt.Tooltip("what:N", title="Line")], description=alt.DescriptionValue(text))
    )


def points(data: pd.DataFrame) -> bool:
    """Dots on lines only while they can be told apart (a year of weeks or less)."""
    return len(data) <= POINTS_UP_TO


def finish(chart: alt.TopLevelMixin, height: int = HEIGHT) -> alt.TopLevelMixin:
    """The chart as wide as its column, its plot ``height`` tall, with text of at least :data:`FONT_SIZE` and y axes
    :data:`Y_AXIS_EXTENT` wide (tick 5 + padding 2 + labels), so stacked weekly charts align.

    Only the width fits the column (``fit-x``; Streamlit's theme would fit the height too, so a legend that wraps
    to more rows on a phone would squeeze the plot): the plot keeps its height and the legend adds to it.

    The top-level properties and the configuration are set on ``chart`` itself, just built by the caller, in one
    step: Altair's ``.properties`` and ``.configure_*`` each copy the whole chart, every layer included.
    """
    chart.height = height
    chart.width = "container"
    chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    chart.config = alt.Config(
        axis=alt.AxisConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, titlePadding=6),
        axisY=alt.AxisConfig(minExtent=Y_AXIS_EXTENT, maxExtent=Y_AXIS_EXTENT, labelLimit=Y_AXIS_EXTENT - 7),
        legend=alt.LegendConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE),
        text=alt.MarkConfig(fontSize=FONT_SIZE),
    )
    return chart


def part_weeks(weekly: pd.DataFrame) -> pd.Series:
    """What each week that is not complete is, in words (``so far: 2 of 7 days``, ``first week: 4 of 7 days``);
    empty for a complete week. The last week shown is "so far" when it is not complete (it is still going on, or
    the history ends in it); an earlier one is the first week, which started mid-week."""
    notes = pd.Series("", index=weekly.index, dtype="object")
    part = ~weekly["complete"].astype(bool)
    last = weekly.index == weekly.index[-1] if len(weekly) else part
    days = weekly["days"].astype(int).astype(str) + " of 7 days"
    notes[part & last] = "so far: " + days[part & last]
    notes[part & ~last] = "first week: " + days[part & ~last]
    return notes
