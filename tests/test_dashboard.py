"""The dashboard in one call: date range, lag, empty states, and figures computed over the whole history."""

import datetime as dt

import pandas as pd
import pytest

from kneelog import demo
from kneelog.analysis import weekly
from kneelog.models import Settings
from kneelog.store import Store
from kneelog.views import dashboard
from tests.test_weekly import MONDAY, day, frames_of

SIDES = 10  # stretch-sides in one routine, a test input for hand-worked numbers (the shipped library has 9)

END = dt.date(2026, 6, 28)
KM = Settings(unit="km", timezone="UTC")


@pytest.fixture(scope="module")
def demo_frames(tmp_path_factory) -> dict[str, pd.DataFrame]:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'k.db'}")
    store.add_many(demo.generate(days=182, end=END))
    yield {kind: store.frame(kind) for kind in weekly.KINDS}
    store.dispose()


def test_nothing_logged_gives_an_empty_dashboard_of_empty_states():
    dash = dashboard.build(frames_of(), KM, today=MONDAY, routine_sides=SIDES)
    assert dash.empty
    assert all(f.chart is None and f.empty for f in [*dash.figures.values(), *dash.scatters])
    assert dash.summary == []
    assert all("not shown yet" in line for line in dash.findings)
    assert not any("looks at the same weeks" in line for line in dash.findings)  # no look taken yet
    assert dashboard.weeks_available(frames_of(), MONDAY) == []


def test_weeks_available_are_the_mondays_from_the_first_entry_to_today():
    frames = frames_of(runs=[(2, 5000, 1800, 5, None)])
    assert dashboard.weeks_available(frames, day(15)) == [MONDAY, day(7), day(14)]


@pytest.mark.parametrize(("weeks", "first"), [(3, 0), (52, 0), (60, 8)])
def test_the_default_range_is_the_last_52_weeks(weeks, first):
    mondays = [MONDAY + dt.timedelta(weeks=w) for w in range(weeks)]
    assert dashboard.default_range(mondays) == (mondays[first], mondays[-1])


def test_the_default_range_of_no_weeks_is_an_error():
    with pytest.raises(ValueError, match="no weeks"):
        dashboard.default_range([])


def test_the_range_keeps_its_weeks_but_load_figures_look_back_over_all_history(demo_frames):
    full = dashboard.build(demo_frames, KM, today=END, routine_sides=SIDES)
    start, end = full.weekly["week"].iloc[10].date(), full.weekly["week"].iloc[15].date()
    part = dashboard.build(demo_frames, KM, today=END, start=start, end=end, routine_sides=SIDES)
    assert part.weekly["week"].dt.date.tolist() == [d.date() for d in full.weekly["week"].iloc[10:16]]
    pd.testing.assert_frame_equal(part.weekly, full.weekly.iloc[10:16].reset_index(drop=True))
    assert part.weekly["acwr"].notna().all()  # not warming up again at the first week shown
    assert part.daily["week"].min() == pd.Timestamp(start)


def test_relationships_use_only_the_weeks_shown(demo_frames):
    full = dashboard.build(demo_frames, KM, today=END, routine_sides=SIDES)
    first = full.weekly["week"].iloc[-14].date()
    part = dashboard.build(demo_frames, KM, today=END, start=first, routine_sides=SIDES)
    # 14 weeks shown; the last is today's week, in progress, so 13 complete weeks: 13 pairs at lag 0, and at lag 3
    # the pairs of complete weeks t and t + 3 for t = 1..10 of 13: 10
    assert part.relationships.set_index(["driver", "lag"]).loc[("load", 0), "n"] == 13
    assert part.relationships.set_index(["driver", "lag"]).loc[("load", 3), "n"] == 10
    assert "first look (under 26 weeks)" in part.scatters[1].subtitle
    assert part.scatters[1].chart is not None


def test_part_weeks_are_left_out_of_every_relationship(demo_frames):
    # a range of 12 weeks ending in today's week: 11 complete weeks, so the 12-week gate is not passed
    full = dashboard.build(demo_frames, KM, today=END, routine_sides=SIDES)
    part = dashboard.build(demo_frames, KM, today=END, start=full.weekly["week"].iloc[-12].date(), routine_sides=SIDES)
    assert not part.weekly["complete"].iloc[-1] and part.weekly["complete"].iloc[:-1].all()
    assert set(part.relationships["gate"]) == {"too few"}
    assert part.regression.gate == "too few"
    assert all(f.chart is None for f in part.scatters)
    assert part.relationship_table["Complete weeks (n)"].max() == 11


def test_the_relationship_table_marks_the_comparisons_chosen_in_advance_at_the_chosen_lag(demo_frames):
    table = dashboard.build(demo_frames, KM, today=END, lag=1, routine_sides=SIDES).relationship_table
    chosen = table[table["Comparison"].str.startswith("chosen in advance, Holm p = ")]
    assert list(chosen["Factor"]) == ["Week-over-week distance change", "Stretch compliance", "Gym sessions"]
    assert set(chosen["Knee pain"]) == {"the week after"}
    assert (table["Comparison"] == "exploratory").sum() == 20 - 3


@pytest.mark.parametrize(("lag", "words"), [(0, "the same week"), (2, "2 weeks later")])
def test_the_scatters_follow_the_chosen_lag(demo_frames, lag, words):
    dash = dashboard.build(demo_frames, KM, today=END, lag=lag, routine_sides=SIDES)
    assert [f.title.endswith(words) for f in dash.scatters] == [True] * 5  # a scatter per factor
    assert words in dash.findings[0]


def test_every_figure_is_drawn_for_the_demo_athlete(demo_frames):
    dash = dashboard.build(demo_frames, KM, today=END, routine_sides=SIDES)
    assert set(dash.figures) == {
        "mileage", "status", "pain_during", "gym", "stretch", "calendar", "change", "ratio", "fitness"
    }  # fmt: skip
    assert all(f.chart is not None for f in [*dash.figures.values(), *dash.scatters])
    assert len(dash.relationship_table) == 20  # 5 factors × 4 lags


def test_the_weekly_table_reads_newest_first_in_the_runners_unit(demo_frames):
    dash = dashboard.build(demo_frames, Settings(unit="mi"), today=END, routine_sides=SIDES)
    assert list(dash.table.columns[:3]) == ["Week of", "Part week", "Distance (mi)"]
    assert dash.table["Week of"].iloc[0] == dash.weekly["week"].iloc[-1].date()
    assert dash.table["Distance (mi)"].iloc[0] == round(dash.weekly["distance"].iloc[-1], 1)


def test_estimated_load_is_explained_when_effort_is_missing():
    frames = frames_of(runs=[(0, 5000, 1800, 6, None), (1, 5000, 1800, None, None)], gym=[(2, 2400, None)])
    note = dashboard.build(frames, KM, routine_sides=SIDES).load_note
    assert note.startswith("2 of 3 sessions in these weeks have no effort rating")
    assert "6 for runs, 5 for gym sessions" in note
    assert dashboard.build(frames_of(runs=[(0, 5000, 1800, 6, None)]), KM, routine_sides=SIDES).load_note == ""


@pytest.mark.parametrize(("latest_week", "first"), [(30, 0), (55, 4)])
def test_the_default_range_ends_at_the_week_of_the_latest_entry(latest_week, first):
    mondays = [MONDAY + dt.timedelta(weeks=w) for w in range(60)]  # the calendar reaches today, long after the data
    latest = mondays[latest_week] + dt.timedelta(days=3)  # a Thursday
    assert dashboard.default_range(mondays, latest=latest) == (mondays[first], mondays[latest_week])  # 55 - 51 = 4


def test_the_weekly_table_shows_a_dash_where_a_value_is_missing():
    dash = dashboard.build(frames_of(runs=[(0, 5000, 1800, 6, None)]), KM, today=day(6), routine_sides=SIDES)
    assert dash.table["Change (%)"].tolist() == ["—"]  # a first week has nothing to change from
    text = {str(v) for v in dash.table.to_numpy().ravel()}
    assert not text & {"None", "nan", "NaN", "<NA>"}, text
