"""The week-by-week table: ISO weeks, rest days, totals, stretching, pain, and the `kneelog weekly` command."""

import datetime as dt
import json
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneelog import clock
from kneelog.analysis import weekly
from kneelog.cli import main
from kneelog.models import GymSession, KneeCheckin, Race, Run, Settings, StretchDone, StretchSession
from kneelog.store import FRAME_COLUMNS, Store
from kneelog.stretches import load_library, routine_items, routine_size

SIDES = 10  # stretch-sides in one routine, as a test input (the shipped library's routine is 9: see below)

MONDAY = dt.date(2026, 1, 5)  # an ISO week starts on this Monday


def day(n: int) -> dt.date:
    """The n-th day after MONDAY (0 = MONDAY)."""
    return MONDAY + dt.timedelta(days=n)


def frames_of(runs=(), gym=(), stretches=(), checkins=(), races=()) -> dict[str, pd.DataFrame]:
    """Frames shaped like :meth:`Store.frame` from short dicts (tests that need no database).

    runs: (day, metres, seconds, rpe, pain_during); gym: (day, seconds, rpe); stretches: (day, sides done);
    checkins: dicts with ``day`` and any of knee, stairs, squat, sitting, morning_after; races: (day, name).
    """

    def frame(kind: str, rows: list[dict]) -> pd.DataFrame:
        out = pd.DataFrame(rows, columns=FRAME_COLUMNS[kind])
        out["date"] = pd.to_datetime(out["date"])
        for column in ("rpe", "pain_during", "stairs", "squat", "sitting", "morning_after"):
            if column in out:
                out[column] = out[column].astype("float64")
        return out

    run_rows = [
        {"id": i, "date": day(d), "distance_m": float(m), "duration_s": float(s), "rpe": r, "pain_during": p}
        for i, (d, m, s, r, p) in enumerate(runs)
    ]
    gym_rows = [{"id": i, "date": day(d), "duration_s": float(s), "rpe": r} for i, (d, s, r) in enumerate(gym)]
    sides = [("half_kneel_quad", "left"), ("half_kneel_quad", "right"), ("low_lunge_reach", "left")] * 4
    item_rows = [
        {"session_id": i, "date": day(d), "stretch_id": f"{sid}{k // 6}", "side": side}
        for i, (d, count) in enumerate(stretches)
        for k, (sid, side) in enumerate(sides[:count])
    ]
    checkin_rows = [
        {"id": i, "date": day(c["day"]), "knee": c.get("knee", "both"), **{k: v for k, v in c.items() if k != "day"}}
        for i, c in enumerate(checkins)
    ]
    race_rows = [{"id": i, "date": day(d), "name": name, "distance_m": 10_000.0} for i, (d, name) in enumerate(races)]
    return {
        "run": frame("run", run_rows),
        "gym": frame("gym", gym_rows),
        "stretch_item": frame("stretch_item", item_rows),
        "checkin": frame("checkin", checkin_rows),
        "race": frame("race", race_rows),
    }


KM = Settings(unit="km", timezone="UTC", routines_per_week=5)


def test_weeks_run_monday_to_sunday():
    table = weekly.weekly_table(
        frames_of(runs=[(0, 5000, 1800, 5, 0), (6, 7000, 2400, 5, 0), (7, 3000, 900, 5, 0)]), KM, routine_sides=SIDES
    )
    assert table["week"].dt.date.tolist() == [MONDAY, day(7)]
    assert table["distance_m"].tolist() == [12_000.0, 3_000.0]
    assert table["runs"].tolist() == [2, 1]


def test_weekly_counts_rest_days_as_zero_load():
    table = weekly.weekly_table(
        frames_of(runs=[(0, 5000, 1800, 5, None), (14, 5000, 1800, 5, None)]), KM, routine_sides=SIDES
    )
    assert len(table) == 3
    middle = table.iloc[1]
    assert (middle["distance_m"], middle["runs"], middle["load"], middle["sessions"]) == (0.0, 0, 0.0, 0)
    assert middle["days"] == 7


def test_session_load_adds_runs_and_gym_sessions():
    # run 30 min at RPE 6 = 180; gym 45 min at RPE 4 = 180
    table = weekly.weekly_table(frames_of(runs=[(0, 6000, 1800, 6, None)], gym=[(2, 2700, 4)]), KM, routine_sides=SIDES)
    row = table.iloc[0]
    assert (row["run_load"], row["gym_load"], row["load"]) == (180.0, 180.0, 360.0)
    assert row["load_estimated"] == 0


def test_sessions_without_effort_are_counted_as_estimated():
    table = weekly.weekly_table(
        frames_of(runs=[(0, 6000, 1800, 6, None), (1, 6000, 1800, None, None)]), KM, routine_sides=SIDES
    )
    assert table.iloc[0]["load_estimated"] == 1
    assert table.iloc[0]["run_load"] == 360.0  # the missing effort takes the median of the rated runs (6)


@pytest.mark.parametrize(("unit", "expected"), [("km", 10.0), ("mi", 10_000 / 1609.344)])
def test_distance_is_given_in_metres_and_in_the_runners_unit(unit, expected):
    table = weekly.weekly_table(frames_of(runs=[(0, 10_000, 3000, 5, None)]), Settings(unit=unit), routine_sides=SIDES)
    assert table.iloc[0]["distance_m"] == 10_000.0
    assert table.iloc[0]["distance"] == pytest.approx(expected)


def test_stretch_compliance_is_sides_done_over_the_planned_routines():
    # 5 routines of 10 sides planned a week; 25 sides done in a full week = 50%
    stretched = frames_of(stretches=[(0, 10), (1, 10), (2, 5)], checkins=[{"day": 6, "stairs": 1}])
    row = weekly.weekly_table(stretched, KM, routine_sides=SIDES).iloc[0]
    assert (row["stretch_sides"], row["stretch_planned"], row["stretch_sessions"]) == (25, 50.0, 3)
    assert row["stretch_compliance"] == pytest.approx(0.5)


def test_stretch_plan_follows_the_setting_and_is_pro_rated_in_a_partial_week():
    # history starts on Thursday: 4 days of week 1 -> 3 routines a week x 10 sides x 4/7 = 17.1 sides planned;
    # one routine (10 sides) done = 58%
    stretched = frames_of(stretches=[(3, 10)], checkins=[{"day": 6, "stairs": 1}])
    row = weekly.weekly_table(stretched, Settings(routines_per_week=3), routine_sides=SIDES).iloc[0]
    assert row["days"] == 4
    assert row["stretch_planned"] == pytest.approx(30 * 4 / 7)
    assert row["stretch_compliance"] == pytest.approx(10 / (30 * 4 / 7))


@pytest.mark.parametrize(
    ("stretches", "per_week", "sides"),
    [
        # a new user's first day: the plan is 5 routines x 10 sides x 1/7 = 7.1 sides; one routine is 10 (140%)
        ([(6, 10)], 5, 10),
        # a full week of 6 routines against a plan of 5: 60 of 50 sides (120%)
        ([(d, 10) for d in range(6)], 5, 60),
    ],
    ids=["one-routine-on-the-first-day", "a-day-beyond-the-plan"],
)
def test_more_stretching_than_the_plan_is_one_hundred_percent(stretches, per_week, sides):
    stretched = frames_of(stretches=stretches, checkins=[{"day": 6, "stairs": 1}])  # the check-in ends the week
    row = weekly.weekly_table(stretched, Settings(routines_per_week=per_week), routine_sides=SIDES).iloc[0]
    assert row["stretch_sides"] == sides
    assert row["stretch_compliance"] == 1.0


def test_the_default_routine_matches_the_stretch_library():
    # four stretches on each side and the wide-legged fold once (it works both legs at the same time)
    assert len(routine_items(load_library())) == routine_size(load_library()) == 9


def test_a_day_counts_at_most_one_routine():
    # plan: 5 routines/week x 10 sides = 50 over a full week (the check-in on Sunday fills the week).
    # Monday: two full routines (20 sides) count as one (10); Tuesday 10; Wednesday 5 -> 25 of 50 = 50%,
    # not the 35 of 50 = 70% that adding the second Monday routine would give.
    stretched = frames_of(stretches=[(0, 10), (0, 10), (1, 10), (2, 5)], checkins=[{"day": 6, "stairs": 1}])
    row = weekly.weekly_table(stretched, KM, routine_sides=SIDES).iloc[0]
    assert (row["stretch_sides"], row["stretch_planned"], row["stretch_sessions"]) == (25, 50.0, 4)
    assert row["stretch_compliance"] == pytest.approx(0.5)


def test_two_routines_every_day_reach_one_hundred_percent_not_two_hundred():
    # 7 days x 2 full routines = 140 sides logged; capped at 10 a day = 70; plan 7 routines/week x 10 = 70 -> 100%
    stretched = frames_of(stretches=[(d, 10) for d in range(7) for _ in range(2)])
    row = weekly.weekly_table(stretched, Settings(routines_per_week=7), routine_sides=SIDES).iloc[0]
    assert (row["stretch_sides"], row["stretch_planned"]) == (70, 70.0)
    assert row["stretch_compliance"] == pytest.approx(1.0)


def test_weekly_pain_is_the_mean_and_worst_of_the_daily_check_ins():
    checkins = [
        {"day": 0, "stairs": 2, "squat": 4, "sitting": 0},  # everyday mean 2
        {"day": 1, "stairs": 1, "squat": 1, "sitting": 1, "morning_after": 6},  # 1, worst moment 6
        {"day": 2, "knee": "left", "stairs": 3},  # two knees: the worse one (3) counts
        {"day": 2, "knee": "right", "stairs": 1},
    ]
    row = weekly.weekly_table(frames_of(checkins=checkins), KM, routine_sides=SIDES).iloc[0]
    assert row["pain_mean"] == pytest.approx((2 + 1 + 3) / 3)
    assert row["pain_worst"] == 6.0
    assert row["checkin_days"] == 3


#: Everyday scores (stairs, squat, sitting) whose means are thirds: 7/3 is (2, 2, 3), and so on.
THIRDS = {1: (1, 0, 0), 2: (1, 1, 0), 3: (1, 1, 1), 4: (1, 1, 2), 5: (2, 2, 1), 6: (2, 2, 2), 7: (2, 2, 3),
          8: (3, 3, 2), 11: (4, 4, 3)}  # fmt: skip


def test_a_drop_of_exactly_one_point_in_weekly_pain_is_meaningful_when_days_score_in_thirds():
    # week 1: 7+6+6+11+5+7+8 = 50 thirds, mean 50/21; week 2: 7+8+4+2+3+1+4 = 29 thirds, mean 29/21. The drop is
    # 21/21 = exactly 1 point and 42% of week 1 (at least 1 point and 30%: Farrar et al. 2001), so "better". Added
    # naively, week 2's sevenths of thirds come to 1.3809523809523812, a drop of 0.9999999999999998: not meaningful.
    thirds = [7, 6, 6, 11, 5, 7, 8, 7, 8, 4, 2, 3, 1, 4]
    checkins = [
        {"day": n, **dict(zip(("stairs", "squat", "sitting"), THIRDS[t], strict=True))} for n, t in enumerate(thirds)
    ]
    table = weekly.weekly_table(frames_of(checkins=checkins), KM, routine_sides=SIDES)
    assert table["pain_mean"].tolist() == [50 / 21, 29 / 21]
    assert table["pain_change"].tolist() == ["", "better"]


def test_next_morning_pain_counts_in_the_week_of_the_run():
    # a Sunday run, its morning-after score on Monday of the next week
    frames = frames_of(
        runs=[(6, 8000, 2700, 5, 4)],
        checkins=[{"day": 5, "stairs": 1}, {"day": 7, "stairs": 1, "morning_after": 2}],
    )
    table = weekly.weekly_table(frames, KM, routine_sides=SIDES)
    assert table["next_morning_mean"].iloc[0] == 2.0
    assert math.isnan(table["next_morning_mean"].iloc[1])
    assert table["pain_during_mean"].iloc[0] == 4.0


def test_week_with_a_race_names_it_and_gets_one_gym_session():
    frames = frames_of(runs=[(0, 5000, 1800, 5, None), (13, 10_000, 2700, 9, None)], races=[(13, "City 10K")])
    table = weekly.weekly_table(frames, KM, routine_sides=SIDES)
    assert table["races"].tolist() == ["", "City 10K"]
    assert table["gym_recommended"].iloc[1] == 1


def test_the_week_of_today_is_in_progress_and_the_calendar_reaches_it():
    frames = frames_of(runs=[(0, 5000, 1800, 5, None)])
    table = weekly.weekly_table(frames, KM, today=day(16), routine_sides=SIDES)
    assert table["week"].dt.date.tolist() == [MONDAY, day(7), day(14)]
    assert table["complete"].tolist() == [True, True, False]
    assert table["days"].iloc[-1] == 3
    assert table["gym_vs_plan"].iloc[-1] == "in progress"


def test_nothing_logged_gives_an_empty_table_with_every_column():
    table = weekly.weekly_table(frames_of(), KM, today=MONDAY, routine_sides=SIDES)
    assert table.empty
    assert list(table.columns) == weekly.WEEKLY_COLUMNS


def test_hand_made_frames_match_the_stores(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.add_many(
        [
            Run(date=day(0), distance_m=5000, duration_s=1800, rpe=5, pain_during=2),
            GymSession(date=day(2), duration_s=2400, rpe=6),
            StretchSession(
                date=day(3),
                items=(StretchDone(stretch_id="a", side="left"), StretchDone(stretch_id="b", side="right")),
            ),
            KneeCheckin(date=day(4), stairs=2, squat=3),
            Race(date=day(6), name="Park run", distance_m=5000),
        ]
    )
    from_store = weekly.weekly_table({kind: store.frame(kind) for kind in weekly.KINDS}, KM, routine_sides=SIDES)
    by_hand = weekly.weekly_table(
        frames_of(
            runs=[(0, 5000, 1800, 5, 2)],
            gym=[(2, 2400, 6)],
            stretches=[(3, 2)],
            checkins=[{"day": 4, "stairs": 2, "squat": 3}],
            races=[(6, "Park run")],
        ),
        KM,
        routine_sides=SIDES,
    )
    pd.testing.assert_frame_equal(from_store, by_hand)
    store.dispose()


# -- properties -------------------------------------------------------------------------------------------------

TOTALS = ["distance_m", "runs", "run_time_s", "run_load", "gym_load", "load", "gym_sessions", "stretch_sides"]

run_rows = st.lists(
    st.tuples(
        st.integers(0, 41),
        st.floats(0, 40_000),
        st.floats(600, 14_000),
        st.one_of(st.none(), st.integers(1, 10)),
        st.one_of(st.none(), st.integers(0, 10)),
    ),
    min_size=1,
    max_size=25,
)
gym_rows = st.lists(st.tuples(st.integers(0, 41), st.floats(600, 7200), st.integers(1, 10)), max_size=8)
stretch_rows = st.lists(st.tuples(st.integers(0, 41), st.integers(1, 10)), max_size=10)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run_rows, gym_rows, stretch_rows, st.randoms(use_true_random=False))
def test_reordering_rows_changes_no_weekly_figure(runs, gym, stretches, rnd):
    frames = frames_of(runs=runs, gym=gym, stretches=stretches)
    shuffled = {k: f.sample(frac=1.0, random_state=rnd.randint(0, 2**31)) for k, f in frames.items()}
    pd.testing.assert_frame_equal(
        weekly.weekly_table(frames, KM, routine_sides=SIDES), weekly.weekly_table(shuffled, KM, routine_sides=SIDES)
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run_rows, gym_rows, st.lists(st.integers(0, 60), min_size=1, max_size=10), st.integers(0, 30))
def test_adding_zero_load_days_changes_no_weekly_total(runs, gym, quiet_days, later):
    frames = frames_of(runs=runs, gym=gym)
    before = weekly.weekly_table(frames, KM, routine_sides=SIDES).set_index("week")[TOTALS]
    last_day = max(d for d, *_ in [*runs, *gym])
    # check-in-only days (no training) inside and after the history, and a "today" further on
    with_rest = frames_of(runs=runs, gym=gym, checkins=[{"day": d, "sitting": 0} for d in set(quiet_days)])
    after = weekly.weekly_table(with_rest, KM, today=day(last_day + later), routine_sides=SIDES).set_index("week")[
        TOTALS
    ]
    shared = before.index.intersection(after.index)
    assert len(shared) == len(before)
    pd.testing.assert_frame_equal(before.loc[shared], after.loc[shared])
    assert (after.drop(index=shared)[["distance_m", "load"]] == 0).all().all()


# -- the command ------------------------------------------------------------------------------------------------


@pytest.fixture
def logged(store) -> Store:
    store.save_settings(Settings(unit="mi", timezone="UTC"))
    store.add_many(
        [
            Run(date=day(0), distance_m=8046.72, duration_s=2400, rpe=5),
            Run(date=day(8), distance_m=16093.44, duration_s=4800, rpe=6, pain_during=3),
            KneeCheckin(date=day(9), stairs=2, morning_after=3),
        ]
    )
    return store


def test_kneelog_weekly_prints_the_dashboard_numbers_as_csv(logged, db_url, capsys):
    assert main(["weekly", "--db", db_url]) == 0
    printed = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    expected = weekly.weekly_table(
        {k: logged.frame(k) for k in weekly.KINDS}, logged.settings(), clock.local_today("UTC"), routine_sides=SIDES
    )
    assert printed["week"].tolist()[:2] == [MONDAY.isoformat(), day(7).isoformat()]
    assert printed["distance_m"].tolist() == pytest.approx(expected["distance_m"].tolist())
    assert printed["distance_mi"].tolist()[:2] == pytest.approx([5.0, 10.0])
    assert printed["load"].tolist() == pytest.approx(expected["load"].tolist(), abs=1e-4)
    assert printed["pain_status"].iloc[1] == "within limits"


def test_kneelog_weekly_prints_json_records(logged, db_url, capsys):
    assert main(["weekly", "--db", db_url, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[0]["week"] == MONDAY.isoformat()
    assert records[0]["distance_mi"] == pytest.approx(5.0)
    assert records[1]["runs"] == 1
    assert records[0]["acwr"] is None  # warming up: less than 28 days of history


def test_kneelog_weekly_on_an_empty_database_prints_only_the_header(db_url, capsys):
    assert main(["weekly", "--db", db_url]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("week,days,complete,distance_m,distance_km")


def test_kneelog_weekly_rejects_an_unknown_format(db_url, capsys):
    with pytest.raises(SystemExit):
        main(["weekly", "--db", db_url, "--format", "xml"])
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_monotony_and_the_load_ratio_are_also_of_running_alone():
    # One week: runs of 30 min at effort 10 (load 300) on Mon, Wed, Fri; gym of 30 min at effort 5 (150) on the other
    # four days. Running load [300, 0, 300, 0, 300, 0, 0]: three equal days of seven, monotony = √(3/4) = 0.8660
    # (mean 3L/7 ÷ population SD L·√12/7); all load [300, 150, 300, 150, 300, 150, 150]: 10/√12 = 2.8868.
    frames = frames_of(runs=[(d, 5000, 1800, 10, None) for d in (0, 2, 4)], gym=[(d, 1800, 5) for d in (1, 3, 5, 6)])
    week = weekly.weekly_table(frames, KM, routine_sides=SIDES).iloc[0]
    assert week["monotony_run"] == pytest.approx(math.sqrt(3 / 4))
    assert week["strain_run"] == pytest.approx(900 * math.sqrt(3 / 4))
    assert week["monotony"] == pytest.approx(10 / math.sqrt(12))
    assert math.isnan(week["acwr_run"]) and bool(week["fitness_warming_up"])  # 7 days of history


def test_monotony_is_worked_out_per_full_week_and_left_out_for_part_weeks_and_flat_weeks():
    # History from Wednesday of week 1 to Tuesday of week 4 (day 2 to day 22). Runs of 30 min at effort 10 (load 300):
    # week 1 (Wed-Sun, 5 days) on day 2: a part week, no monotony; week 2 (days 7-13) on Mon, Wed, Fri (7, 9, 11):
    # [300, 0, 300, 0, 300, 0, 0], monotony √(3/4) = 0.8660 and strain 900 × 0.8660 = 779.4; week 3 (days 14-20)
    # without a run: the same load (0) every day, no monotony; week 4 (Mon-Tue, 2 days) on day 22: a part week.
    frames = frames_of(runs=[(d, 5000, 1800, 10, None) for d in (2, 7, 9, 11, 22)])
    weeks = weekly.weekly_table(frames, KM, routine_sides=SIDES)
    assert list(weeks["days"]) == [5, 7, 7, 2]
    assert weeks["monotony_run"].iloc[1] == pytest.approx(0.8660, abs=1e-4)
    assert weeks["strain_run"].iloc[1] == pytest.approx(779.4, abs=0.1)
    for i in (0, 2, 3):
        assert math.isnan(weeks["monotony_run"].iloc[i]) and math.isnan(weeks["strain_run"].iloc[i]), i
