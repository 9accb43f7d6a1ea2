"""The heart-rate load on the pages, through AppTest against a real SQLite file: the dashboard's Load tab draws the
TRIMP chart only when a run has heart rate and no effort rating, and Settings keeps the heart rates."""

from __future__ import annotations

import datetime as dt
import json

from kneelog import clock
from kneelog.importers.files.summary import encode
from kneelog.models import Run, Settings
from kneelog.views import dashboard, hr_charts


def _load_tab(app):
    app.run()
    app.switch_page("pages/dashboard.py").run()
    app.session_state["section"] = dashboard.LOAD
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _y_titles(app) -> list[str]:
    """The y-axis title of each chart drawn (the first layer that has one)."""
    titles = []
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        layers = spec.get("layer", [spec])
        titles.append(
            next(
                (
                    str(layer["encoding"]["y"].get("title"))
                    for layer in _flat(layers)
                    if "y" in layer.get("encoding", {})
                ),
                "",
            )
        )
    return titles


def _flat(layers: list[dict]) -> list[dict]:
    return [leaf for layer in layers for leaf in (_flat(layer["layer"]) if "layer" in layer else [layer])]


def _runs(store, heart: dict) -> None:
    today = clock.local_today(store.settings().timezone)
    store.add_many(
        [Run(date=today - dt.timedelta(days=days), distance_m=5000, duration_s=1800, **heart) for days in (0, 3, 9)]
    )


def test_the_load_tab_draws_trimp_for_unrated_runs_with_heart_rate(app, store):
    store.save_settings(Settings(max_hr=190))
    _runs(store, {"hr_seconds": encode({148: 1800}), "hr_max": 171.0})
    _load_tab(app)
    titles = _y_titles(app)
    assert titles.count("TRIMP (Edwards)") == 1
    assert any(m.value == f"**{hr_charts.TITLE}**" for m in app.markdown)
    shown = " ".join(c.value for c in app.caption)
    assert "Edwards 1993" in shown and "maximum 190 bpm" in shown and "an estimate" not in shown


def test_the_load_tab_shows_nothing_new_without_heart_rate(app, store):
    _runs(store, {})
    _load_tab(app)
    assert _y_titles(app) and "TRIMP (Edwards)" not in _y_titles(app)  # the other charts are there
    page_text = " ".join(e.value for e in [*app.markdown, *app.caption, *app.info])
    assert "TRIMP" not in page_text and "Heart-rate load" not in page_text


def test_settings_saves_the_heart_rates_and_refuses_a_resting_rate_above_the_maximum(app, store):
    app.run()
    app.switch_page("pages/settings.py").run()
    app.number_input(key="set_resting_hr").set_value(52)
    app.number_input(key="set_max_hr").set_value(188)
    app.radio(key="set_hr_weighting").set_value("banister_women")
    app.button(key="settings_save").click().run()
    assert not app.exception
    saved = store.settings()
    assert (saved.resting_hr, saved.max_hr, saved.hr_weighting) == (52, 188, "banister_women")

    app.number_input(key="set_resting_hr").set_value(120)
    app.number_input(key="set_max_hr").set_value(120)
    app.button(key="settings_save").click().run()
    assert any("resting heart rate must be below the maximum" in e.value for e in app.error)
    assert store.settings().max_hr == 188  # nothing saved
