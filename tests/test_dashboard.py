"""The dashboard one section at a time: the range and its presets, the lag, empty states, what each section computes,
and figures computed over the whole history."""

import datetime as dt

import pandas as pd
import pytest

from kneelog import demo
from kneelog.analysis import findings, weekly
from kneelog.models import Settings
from kneelog.store import Store
from kneelog.views import dashboard
from tests.test_weekly import MONDAY, day, frames_of

SIDES = 10  # stretch-sides in one routine, a test input for hand-worked numbers (the shipped library has 9)

END = dt.date(2026, 6, 28)  # a Sunday: the demo's 182 days run from Monday 29 Dec 2025 to here, 26 weeks
KM = Settings(unit="km", timezone="UTC")


def _demo_frames(tmp_path_factory, days: int) -> dict[str, pd.DataFrame]:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'k.db'}")
    store.add_many(demo.generate(days=days, end=END))
    frames = {kind: store.frame(kind) for kind in (*weekly.KINDS, "gym_exercise")}  # with the gym programme
    store.dispose()
    return frames


@pytest.fixture(scope="module")
def demo_frames(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return _demo_frames(tmp_path_factory, 182)


@pytest.fixture(scope="module")
def history(demo_frames) -> dashboard.History:
    """26 weeks with today on END, a Sunday: its week is still going on, so 25 complete weeks."""
    return dashboard.history(demo_frames, KM, today=END, routine_sides=SIDES)


def _mondays(count: int) -> list[dt.date]:
    return [MONDAY + dt.timedelta(weeks=w) for w in range(count)]


@pytest.mark.parametrize("name", dashboard.SECTIONS)
def test_nothing_logged_gives_every_section_empty_states(name):
    empty = dashboard.history(frames_of(), KM, today=MONDAY, routine_sides=SIDES)
    shown = dashboard.section(name, empty)
    assert empty.empty and shown.empty
    assert all(f.chart is None and f.empty for f in [*shown.figures.values(), *shown.scatters])
    assert shown.summary == [] and shown.metrics == [] and not shown.too_short
    assert all("not shown yet" in line for line in shown.findings)
    assert not any("looks at the same weeks" in line for line in shown.findings)  # no look taken yet
    assert dashboard.weeks_available(frames_of(), MONDAY) == []


def test_an_unknown_section_is_an_error(history):
    with pytest.raises(ValueError, match="no dashboard section called 'Weather'"):
        dashboard.section("Weather", history)


def test_the_history_is_the_weekly_table_of_every_week(demo_frames, history):
    pd.testing.assert_frame_equal(history.weekly, weekly.weekly_table(demo_frames, KM, END, routine_sides=SIDES))
    assert history.weeks == dashboard.weeks_available(demo_frames, END)
    assert history.weeks[0] == dt.date(2025, 12, 29) and history.weeks[-1] == dt.date(2026, 6, 22)
    assert history.latest == END


def test_a_section_as_the_page_caches_it_keeps_what_is_drawn_and_drops_the_tables(history):
    frozen = dashboard.section(dashboard.LOAD, history).frozen()
    assert frozen.weekly.empty and frozen.daily.empty
    assert all(
        f.chart is None and f.spec["$schema"].startswith("https://vega.github.io") for f in frozen.figures.values()
    )
    assert len(frozen.table) == 26 and frozen.summary


def test_weeks_available_are_the_mondays_from_the_first_entry_to_today():
    frames = frames_of(runs=[(2, 5000, 1800, 5, None)])
    assert dashboard.weeks_available(frames, day(15)) == [MONDAY, day(7), day(14)]


@pytest.mark.parametrize(("weeks", "first"), [(3, 0), (52, 0), (60, 8)])
def test_the_default_range_is_the_last_52_weeks(weeks, first):
    mondays = _mondays(weeks)
    assert dashboard.default_range(mondays) == (mondays[first], mondays[-1])


def test_the_default_range_of_no_weeks_is_an_error():
    with pytest.raises(ValueError, match="no weeks"):
        dashboard.default_range([])


@pytest.mark.parametrize(("latest_week", "first"), [(30, 0), (55, 4)])
def test_the_default_range_ends_at_the_week_of_the_latest_entry(latest_week, first):
    mondays = _mondays(60)  # the calendar reaches today, long after the data
    latest = mondays[latest_week] + dt.timedelta(days=3)  # a Thursday
    assert dashboard.default_range(mondays, latest=latest) == (mondays[first], mondays[latest_week])  # 55 - 51 = 4


W = _mondays(60)


@pytest.mark.parametrize(
    ("weeks", "latest", "expected"),
    [
        # 10 weeks, the latest entry in the last: 4 and 8 weeks end there; 12 or more would start at the first week
        (W[:10], W[9], {"4 weeks": (W[6], W[9]), "8 weeks": (W[2], W[9]), "All": (W[0], W[9])}),
        # 60 weeks: every preset, each ending at the latest week (59 - 3 = 56, 59 - 51 = 8)
        (
            W,
            W[59] + dt.timedelta(days=2),
            {
                "4 weeks": (W[56], W[59]),
                "8 weeks": (W[52], W[59]),
                "12 weeks": (W[48], W[59]),
                "26 weeks": (W[34], W[59]),
                "52 weeks": (W[8], W[59]),
                "All": (W[0], W[59]),
            },
        ),  # fmt: skip
        # an old export: the last entry in week 7 of 10, so "All" is weeks 0-7 and 8 weeks (0-7) is the same as "All"
        (W[:10], W[7] + dt.timedelta(days=6), {"4 weeks": (W[4], W[7]), "All": (W[0], W[7])}),
        ([], None, {}),
    ],
)
def test_presets_end_at_the_latest_entry_and_longer_ones_collapse_into_all(weeks, latest, expected):
    assert dashboard.presets(weeks, latest) == expected


def test_the_preset_of_a_range_is_found_and_a_range_set_by_hand_has_none():
    choices = dashboard.presets(W[:10], W[9])
    assert dashboard.preset_of((W[6], W[9]), choices) == "4 weeks"
    assert dashboard.preset_of((W[5], W[9]), choices) is None
    assert [dashboard.preset_short(label) for label in choices] == ["4", "8", "All"]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ((W[3], W[5]), (W[3], W[5])),  # still there: kept
        ((W[3], W[12]), (W[0], W[9])),  # a week that is gone (entries deleted): the default
        ((W[5], W[3]), (W[0], W[9])),  # back to front
        (None, (W[0], W[9])),  # nothing chosen yet
    ],
)
def test_a_chosen_range_is_kept_while_its_weeks_exist(chosen, expected):
    assert dashboard.kept_range(chosen, W[:10], W[9]) == expected


def test_the_lag_choices_read_in_one_form():
    assert [findings.when(lag) for lag in range(4)] == [
        "the same week", "one week later", "two weeks later", "three weeks later"
    ]  # fmt: skip


def test_the_range_keeps_its_weeks_but_load_figures_look_back_over_all_history(history):
    start, end = history.weekly["week"].iloc[10].date(), history.weekly["week"].iloc[15].date()
    part = dashboard.section(dashboard.LOAD, history, start=start, end=end)
    assert part.weekly["week"].dt.date.tolist() == [d.date() for d in history.weekly["week"].iloc[10:16]]
    pd.testing.assert_frame_equal(part.weekly, history.weekly.iloc[10:16].reset_index(drop=True))
    assert part.weekly["acwr"].notna().all()  # not warming up again at the first week shown
    assert part.daily["week"].min() == pd.Timestamp(start)


@pytest.mark.parametrize(
    ("name", "charts"),
    [
        (dashboard.OVERVIEW, ["weeks"]),
        (dashboard.LOAD, ["change", "ratio", "fitness", "pain_during"]),
        (dashboard.GYM, ["gym", "progression_load", "progression_count", "stretch", "calendar"]),
        (dashboard.RELATIONSHIPS, []),
    ],
)
def test_each_section_draws_its_own_charts_for_the_demo_athlete(history, name, charts):
    shown = dashboard.section(name, history)
    assert list(shown.figures) == charts
    assert all(f.drawn for f in [*shown.figures.values(), *shown.scatters])
    assert len(shown.figures) + len(shown.scatters) <= (4 if name == dashboard.OVERVIEW else 5)  # the first view: 4


def test_relationships_show_a_scatter_per_factor_and_every_factor_at_every_lag(history):
    shown = dashboard.section(dashboard.RELATIONSHIPS, history)
    assert len(shown.scatters) == 5 and all(f.chart is not None for f in shown.scatters)
    assert len(shown.relationship_table) == 20  # 5 factors × 4 lags


def test_the_overview_computes_no_statistics(history):
    overview = dashboard.section(dashboard.OVERVIEW, history)
    assert overview.relationships.empty and overview.run_day is None and overview.regression is None
    assert overview.findings == [] and overview.scatters == []


def test_each_section_says_its_part_of_the_latest_weeks(history):
    # today is Sunday 28 Jun, so the week of 22 Jun is still going on and the latest full week is that of 15 Jun
    overview = dashboard.section(dashboard.OVERVIEW, history)
    assert overview.heading == "Week of 22 Jun (so far)"
    assert len(overview.summary) == 2
    assert overview.summary[0].startswith("In the week of 15 Jun you ran ")
    assert overview.summary[1].startswith("Pain-monitoring model, week of 15 Jun: ")
    (ratio,) = dashboard.section(dashboard.LOAD, history).summary
    assert ratio.startswith("Your running load, weighted towards the last 7 days")
    gym = dashboard.section(dashboard.GYM, history).summary
    assert gym[0].startswith("Gym plan for the week of 22 Jun: ")
    assert gym[1].startswith("You did at least the planned gym sessions in ") and gym[1].endswith(
        " of the 25 full weeks shown."
    )
    assert dashboard.section(dashboard.RELATIONSHIPS, history).summary == []


def _week(**values) -> pd.Series:
    row = {"distance_m": 23_400.0, "gym_sessions": 2, "gym_recommended": 3, "stretch_compliance": 0.5}
    return pd.Series(row | {"pain_mean": 2.3, "pain_status": "within limits"} | values)


@pytest.mark.parametrize(
    ("row", "values"),
    [
        (_week(), ["23.4 km", "2 of 3", "50%", "2.3 / 10"]),
        (_week(gym_sessions=4), ["23.4 km", "4, plan 3", "50%", "2.3 / 10"]),  # above the plan: not "4 of 3"
        (_week(stretch_compliance=float("nan"), pain_mean=float("nan")), ["23.4 km", "2 of 3", "—", "—"]),
    ],
)
def test_the_week_in_numbers_says_what_each_count_is_of(row, values):
    metrics = dashboard.week_metrics(row, "km")
    assert [m.label for m in metrics] == ["Distance", "Gym sessions done", "Stretching done", "Knee pain"]
    assert [m.value for m in metrics] == values
    assert metrics[0].meaning == ""  # "Distance" says it all
    assert metrics[1].meaning.startswith(f"Gym: {row['gym_sessions']} done; the gym plan sets 3 sessions for this week")
    assert metrics[3].meaning.endswith("pain-monitoring model: within limits.")


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (dt.date(2025, 12, 29), dt.date(2026, 6, 22), "Weeks of 29 Dec 2025 to 22 Jun 2026 (26 weeks)."),
        (dt.date(2026, 6, 1), dt.date(2026, 6, 22), "Weeks of 01 Jun 2026 to 22 Jun 2026 (4 weeks)."),
        (dt.date(2026, 6, 22), dt.date(2026, 6, 22), "Week of 22 Jun 2026."),
    ],
)
def test_the_range_in_words_counts_both_end_weeks(start, end, words):
    assert dashboard.range_words(start, end) == words


def test_relationships_use_only_the_weeks_shown(history):
    first = history.weekly["week"].iloc[-14].date()
    part = dashboard.section(dashboard.RELATIONSHIPS, history, start=first)
    # 14 weeks shown; the last is today's week, in progress, so 13 complete weeks: 13 pairs at lag 0, and at lag 3
    # the pairs of complete weeks t and t + 3 for t = 1..10 of 13: 10
    assert part.relationships.set_index(["driver", "lag"]).loc[("load", 0), "n"] == 13
    assert part.relationships.set_index(["driver", "lag"]).loc[("load", 3), "n"] == 10
    assert "first look (under 26 weeks)" in part.scatters[1].subtitle
    assert part.scatters[1].chart is not None
    # at lag 3 the 13 weeks give 10 pairs, below 12, while all 25 would give 22: the range is short, not the log
    statuses = part.relationship_table.set_index(["Factor", "Knee pain"])["Status"]
    assert statuses[("Session load", "three weeks later")] == "too few weeks in this range: widen it"


def test_a_range_too_short_for_the_comparisons_says_so_when_all_the_weeks_are_enough(history):
    # a range of 12 weeks ending in today's week: 11 complete weeks, all with check-ins; the history holds 25
    part = dashboard.section(dashboard.RELATIONSHIPS, history, start=history.weekly["week"].iloc[-12].date(), lag=1)
    assert part.too_short == (
        "This range holds 11 complete weeks with check-ins: too few to compare with knee pain one week later, which "
        "needs 13. All your weeks hold 25: widen the range to see the comparisons."
    )
    assert part.findings == [] and part.scatters == [] and part.relationship_table.empty
    assert "keep logging" not in part.too_short.lower()


def test_part_weeks_are_left_out_of_every_relationship(tmp_path_factory):
    # 84 days ending on a Sunday that is today: 12 weeks, the last in progress, so 11 complete weeks in all: too
    # few for the 12-week gate, and as the whole history is that short, the runner is asked for more weeks
    short = dashboard.history(_demo_frames(tmp_path_factory, 84), KM, today=END, routine_sides=SIDES)
    part = dashboard.section(dashboard.RELATIONSHIPS, short)
    assert not part.weekly["complete"].iloc[-1] and part.weekly["complete"].iloc[:-1].all()
    assert not part.too_short
    assert set(part.relationships["gate"]) == {"too few"}
    assert part.regression.gate == "too few"
    assert all(f.chart is None for f in part.scatters)
    assert part.relationship_table["Complete weeks (n)"].max() == 11
    same_week = part.relationship_table[part.relationship_table["Knee pain"] == "the same week"]
    # 11 pairs for each factor but the change, which the first week (nothing before it) has not: 10
    assert dict(zip(same_week["Factor"], same_week["Status"], strict=True)) == {
        "Week-over-week distance change": "needs 2 more paired weeks",
        "Stretch compliance": "needs 1 more paired weeks",
        "Gym sessions": "needs 1 more paired weeks",
        "Weekly distance": "needs 1 more paired weeks",
        "Session load": "needs 1 more paired weeks",
    }


def test_the_relationship_table_marks_the_comparisons_chosen_in_advance_at_the_chosen_lag(history):
    table = dashboard.section(dashboard.RELATIONSHIPS, history, lag=1).relationship_table
    chosen = table[table["Comparison"].str.startswith("chosen in advance, Holm p = ")]
    assert list(chosen["Factor"]) == ["Week-over-week distance change", "Stretch compliance", "Gym sessions"]
    assert set(chosen["Knee pain"]) == {"one week later"}
    assert (table["Comparison"] == "exploratory").sum() == 20 - 3


@pytest.mark.parametrize(("lag", "words"), [(0, "the same week"), (2, "two weeks later")])
def test_the_scatters_follow_the_chosen_lag(history, lag, words):
    shown = dashboard.section(dashboard.RELATIONSHIPS, history, lag=lag)
    assert [f.title.endswith(words) for f in shown.scatters] == [True] * 5  # a scatter per factor
    assert words in shown.findings[0]


def test_the_weekly_table_reads_newest_first_in_the_runners_unit(demo_frames):
    miles = dashboard.history(demo_frames, Settings(unit="mi"), today=END, routine_sides=SIDES)
    load = dashboard.section(dashboard.LOAD, miles)
    assert list(load.table.columns[:3]) == ["Week of", "Part week", "Distance (mi)"]
    assert load.table["Week of"].iloc[0] == load.weekly["week"].iloc[-1].date()
    assert load.table["Distance (mi)"].iloc[0] == round(load.weekly["distance"].iloc[-1], 1)


def test_estimated_load_is_explained_when_effort_is_missing():
    frames = frames_of(runs=[(0, 5000, 1800, 6, None), (1, 5000, 1800, None, None)], gym=[(2, 2400, None)])
    note = dashboard.section(dashboard.LOAD, dashboard.history(frames, KM, routine_sides=SIDES)).load_note
    assert note.startswith("2 of 3 sessions in these weeks have no effort rating")
    assert "6 for runs, 5 for gym sessions" in note
    rated = dashboard.history(frames_of(runs=[(0, 5000, 1800, 6, None)]), KM, routine_sides=SIDES)
    assert dashboard.section(dashboard.LOAD, rated).load_note == ""


def test_the_weekly_table_shows_a_dash_where_a_value_is_missing():
    one_week = dashboard.history(frames_of(runs=[(0, 5000, 1800, 6, None)]), KM, today=day(6), routine_sides=SIDES)
    table = dashboard.section(dashboard.LOAD, one_week).table
    assert table["Change (%)"].tolist() == ["—"]  # a first week has nothing to change from
    text = {str(v) for v in table.to_numpy().ravel()}
    assert not text & {"None", "nan", "NaN", "<NA>"}, text
