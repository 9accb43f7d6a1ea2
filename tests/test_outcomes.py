"""Outcome measures: change against the minimal important change, scales that refuse what they cannot hold, the
store's scores frame, the demo's series and a backup round trip (the page and the chart: test_outcomes_page.py)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from kneelog.analysis import outcomes
from kneelog.demo import generate
from kneelog.errors import BackupInvalid, DuplicateEntry, EntryInvalid
from kneelog.models import FunctionTest, QuestionnaireScore, Run, WeeklyPain, parse_entry
from kneelog.store import Store, backup, tables

START, END = dt.date(2026, 10, 5), dt.date(2026, 11, 29)  # eight weeks, Monday to Sunday


def scores(*rows: tuple) -> pd.DataFrame:
    """A scores frame from (date, measure, value[, side, quality]) rows."""
    full = [(*r, None, None)[:5] for r in rows]
    return pd.DataFrame(
        {
            "id": range(1, len(full) + 1),
            "date": pd.to_datetime([r[0] for r in full]),
            "measure": [r[1] for r in full],
            "value": [float("nan") if r[2] is None else float(r[2]) for r in full],
            "side": [r[3] for r in full],
            "quality": [r[4] for r in full],
            "note": "",
            "source": "manual",
        }
    )


# -- change against the MIC, worked by hand ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "first", "last", "change", "beyond", "direction"),
    [
        ("akps", 62, 75, 13.0, True, "better"),  # +13 >= 10 (Crossley 2004), higher is better
        ("akps", 70, 80, 10.0, True, "better"),  # exactly the MIC counts
        ("akps", 70, 79, 9.0, False, "no clear change"),
        ("akps", 80, 68, -12.0, True, "worse"),
        ("koos_pf", 55.0, 71.4, 16.4, True, "better"),  # 71.4 - 55.0 = 16.4, the MIC (Crossley 2018)
        ("koos_pf", 55.0, 71.3, 16.3, False, "no clear change"),
        ("nprs_usual", 5, 3, -2.0, True, "better"),  # pain: lower is better, MIC 2 points
        ("nprs_worst", 6, 7, 1.0, False, "no clear change"),
        ("nprs_worst", 4, 7, 3.0, True, "worse"),
    ],
)
def test_change_is_last_minus_first_judged_against_the_scales_mic(measure, first, last, change, beyond, direction):
    frame = scores(("2026-10-08", measure, first), ("2026-11-26", measure, last))
    row = outcomes.changes(frame, START, END).iloc[0]
    assert row["measure"] == measure and row["first"] == first and row["last"] == last
    assert row["change"] == pytest.approx(change)
    assert bool(row["beyond_mic"]) is beyond and row["direction"] == direction


def test_the_first_score_is_the_last_one_before_the_period_and_later_scores_are_ignored():
    frame = scores(
        ("2026-08-01", "akps", 50),
        ("2026-09-20", "akps", 60),  # the level the period began at
        ("2026-10-20", "akps", 64),
        ("2026-11-15", "akps", 71),  # the latest in the period
        ("2026-12-10", "akps", 95),  # after the period
    )
    row = outcomes.changes(frame, START, END).iloc[0]
    assert (row["first_date"], row["first"]) == (dt.date(2026, 9, 20), 60.0)
    assert (row["last_date"], row["last"]) == (dt.date(2026, 11, 15), 71.0)
    assert row["change"] == 11.0 and row["direction"] == "better"


def test_a_single_score_has_no_change_and_scales_without_scores_are_left_out():
    frame = scores(("2026-09-01", "koos_pf", 62.5), ("2026-10-10", "step_down", 3, "left", "fair"))
    table = outcomes.changes(frame, START, END)
    assert table["measure"].tolist() == ["koos_pf"]  # the functional test is not a scale; nothing else was scored
    row = table.iloc[0]
    assert pd.isna(row["change"]) and not row["beyond_mic"] and row["direction"] == "no clear change"
    assert list(table.columns) == outcomes.CHANGE_COLUMNS
    assert "Crossley et al. 2018" in row["citation"] and row["mic"] == 16.4 and row["better"] == "higher"


def test_no_scores_give_an_empty_table_with_its_columns():
    table = outcomes.changes(outcomes.empty_scores(), START, END)
    assert table.empty and list(table.columns) == outcomes.CHANGE_COLUMNS


def test_functional_tests_show_first_and_last_per_test_and_knee_without_a_verdict():
    frame = scores(
        ("2026-10-08", "step_down", 4, "right", "poor"),
        ("2026-11-19", "step_down", 2, "right", "fair"),
        ("2026-11-19", "single_leg_squat", None, "left", "good"),  # quality only
    )
    table = outcomes.function_test_changes(frame, START, END)
    assert table[["test", "side"]].values.tolist() == [["single_leg_squat", "left"], ["step_down", "right"]]
    squat, step = table.iloc[0], table.iloc[1]
    assert pd.isna(squat["first_pain"]) and squat["last_quality"] == "good"
    assert (step["first_pain"], step["first_quality"], step["last_pain"], step["last_quality"]) == (
        4,
        "poor",
        2,
        "fair",
    )


def test_pain_during_running_is_each_weeks_highest_dated_on_its_last_rated_run():
    runs = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-06", "2026-10-08", "2026-10-11", "2026-10-13", "2026-10-15"]),
            "pain_during": [2.0, 5.0, None, 1.0, 3.0],
        }
    )
    weekly = outcomes.running_pain(runs)
    assert weekly[["date", "value"]].values.tolist() == [
        [pd.Timestamp("2026-10-08"), 5.0],  # week of 5 Oct: max(2, 5); the unrated Sunday run does not date it
        [pd.Timestamp("2026-10-15"), 3.0],  # week of 12 Oct: max(1, 3)
    ]
    both = outcomes.with_running_pain(scores(("2026-10-09", "akps", 70)), runs)
    assert both["measure"].tolist() == ["nprs_running", "akps", "nprs_running"]


# -- out-of-range scores are refused, naming the scale and its range ---------------------------------------------

DAY = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("model", "data", "field", "words"),
    [
        (QuestionnaireScore, {"scale": "akps", "score": 101}, "score", r"101 is not a score on the Anterior Knee Pain "
         r"Scale \(Kujala\), which runs from 0 to 100 in whole points"),
        (QuestionnaireScore, {"scale": "akps", "score": -5}, "score", r"Anterior Knee Pain Scale \(Kujala\)"),
        (QuestionnaireScore, {"scale": "akps", "score": 72.5}, "score", r"72\.5 is not a score .* in whole points"),
        (QuestionnaireScore, {"scale": "koos_pf", "score": 100.5}, "score", r"100\.5 is not a score on the KOOS "
         r"patellofemoral subscale \(KOOS-PF\), which runs from 0 to 100$"),
        (QuestionnaireScore, {"scale": "koos_pf", "score": float("nan")}, "score", r"KOOS-PF"),
        (QuestionnaireScore, {"scale": "womac", "score": 50}, "scale", r"must be one of 'akps' or 'koos_pf'"),
        (WeeklyPain, {"usual": 11, "worst": 11}, "usual", r"11 is not a score on the numeric pain rating scale "
         r"\(NPRS\), which runs from 0 to 10 in whole points"),
        (WeeklyPain, {"usual": 2, "worst": -1}, "worst", r"numeric pain rating scale \(NPRS\)"),
        (WeeklyPain, {"usual": 5, "worst": 3}, "entry", r"worst pain of the week cannot be lower than the usual"),
        (FunctionTest, {"test": "step_down", "side": "left", "pain": 12}, "pain", r"whole number from 0 to 10"),
        (FunctionTest, {"test": "step_down", "side": "left", "quality": "great"}, "quality", r"'good', 'fair'"),
        (FunctionTest, {"test": "step_down", "side": "both", "pain": 1}, "side", r"'left' or 'right'"),
        (FunctionTest, {"test": "step_down", "side": "left"}, "entry", r"give the pain .* the quality .* or both"),
    ],
)  # fmt: skip
def test_a_score_outside_its_scale_is_refused_in_words_naming_the_scale(model, data, field, words):
    with pytest.raises(EntryInvalid, match=r"was not saved") as refused:
        parse_entry(model, {"date": DAY, **data})
    assert field in refused.value.problems
    assert re.search(words, refused.value.problems[field])


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (QuestionnaireScore, {"scale": "akps", "score": 0}),
        (QuestionnaireScore, {"scale": "akps", "score": 100}),
        (QuestionnaireScore, {"scale": "koos_pf", "score": 63.6}),
        (WeeklyPain, {"usual": 0, "worst": 10}),
        (FunctionTest, {"test": "single_leg_squat", "side": "right", "quality": "poor"}),
    ],
)
def test_scores_at_the_ends_of_a_scale_are_kept(model, data):
    assert parse_entry(model, {"date": DAY, **data}).date == DAY


# -- the store ----------------------------------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgresql")
def test_outcome_entries_are_stored_edited_deleted_and_read_as_one_long_frame(store: Store):
    pain = store.add(WeeklyPain(date=DAY, usual=3, worst=6, note="<b>stairs</b>"))
    akps = store.add(QuestionnaireScore(date=DAY, scale="akps", score=72))
    test = store.add(FunctionTest(date=DAY, test="step_down", side="right", pain=4, quality="fair"))
    store.update(QuestionnaireScore(id=akps, date=DAY, scale="akps", score=74))
    frame = store.outcome_scores()
    assert list(frame.columns) == outcomes.SCORE_COLUMNS
    assert frame[["id", "measure", "value"]].values.tolist() == [
        [akps, "akps", 74.0], [pain, "nprs_usual", 3.0], [pain, "nprs_worst", 6.0], [test, "step_down", 4.0]
    ]  # fmt: skip
    assert (
        frame.loc[3, "side"] == "right"
        and frame.loc[3, "quality"] == "fair"
        and frame.loc[1, "note"] == "<b>stairs</b>"
    )
    store.delete("weekly_pain", pain)
    assert store.outcome_scores()["measure"].tolist() == ["akps", "step_down"]


@pytest.mark.backends("sqlite", "postgresql")
@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (WeeklyPain(date=DAY, usual=1, worst=2), r"already a weekly pain rating on 2026-11-01"),
        (QuestionnaireScore(date=DAY, scale="akps", score=80), r"already a AKPS \(Kujala\) score on 2026-11-01"),
        (FunctionTest(date=DAY, test="step_down", side="left", pain=0), r"already a step-down of the left knee"),
    ],
)
def test_a_second_score_for_the_same_day_is_refused_and_nothing_is_kept(store: Store, entry, words):
    store.add(entry)
    with pytest.raises(DuplicateEntry, match=words):
        store.add_many([Run(date=DAY, distance_m=5000, duration_s=1800), entry])
    assert store.counts()["run"] == 0  # all or nothing


@pytest.mark.backends("sqlite", "postgresql")
def test_an_empty_store_gives_an_empty_scores_frame(store: Store):
    frame = store.outcome_scores()
    assert frame.empty and list(frame.columns) == outcomes.SCORE_COLUMNS


def test_outcome_scores_survive_a_backup_round_trip(store: Store, tmp_path):
    store.add_many(
        [
            WeeklyPain(date=DAY, usual=2, worst=5, note="=SUM(A1)"),  # a formula-like note comes back as typed
            QuestionnaireScore(date=DAY, scale="koos_pf", score=63.6),
            FunctionTest(date=DAY, test="single_leg_squat", side="left", quality="good"),
        ]
    )
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    restored = backup.restore(other, backup.export_backup(store), name="k.zip")
    assert restored.counts["weekly_pain"] == 1 and restored.counts["function_test"] == 1
    pd.testing.assert_frame_equal(other.outcome_scores(), store.outcome_scores())
    other.dispose()


def test_a_backup_holding_an_out_of_range_score_is_refused_naming_file_row_and_scale(store: Store, tmp_path):
    store.add(QuestionnaireScore(date=DAY, scale="akps", score=70))
    with store.transaction() as tx:  # a score no form could save, as an edited file would bring it
        tx._conn.execute(tables.questionnaire_scores.update().values(score=170))
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    with pytest.raises(
        BackupInvalid, match=r"questionnaire_scores\.csv row 2: .*170 is not a score on the Anterior Knee"
    ):
        backup.restore(other, backup.export_backup(store), name="k.zip")
    assert other.outcome_scores().empty
    other.dispose()


# -- the demo athlete ---------------------------------------------------------------------------------------------


def test_the_demo_athlete_has_outcome_scores_that_eight_weeks_can_be_judged_on():
    entries = generate(days=365, end=END)
    kinds = pd.Series([e.kind for e in entries]).value_counts()
    assert kinds["weekly_pain"] >= 40 and kinds["questionnaire"] >= 20 and kinds["function_test"] >= 40
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    store_rows = [
        (e.date, m, float(getattr(e, f)))
        for e in entries
        if e.kind in ("weekly_pain", "questionnaire")
        for m, f in (
            [("nprs_usual", "usual"), ("nprs_worst", "worst")] if e.kind == "weekly_pain" else [(e.scale, "score")]
        )
    ]
    table = outcomes.changes(scores(*[(d.isoformat(), m, v) for d, m, v in store_rows]), START, END)
    assert table["measure"].tolist() == ["nprs_usual", "nprs_worst", "akps", "koos_pf"]
    assert table["change"].notna().all()  # a first and a later score for each


# -- the schema ---------------------------------------------------------------------------------------------------


def test_migration_0004_builds_the_tables_as_tables_py_declares_them(store: Store):
    inspector = sa.inspect(store.engine)
    for table in (tables.weekly_pain, tables.questionnaire_scores, tables.function_tests):
        built = [(c["name"], c["nullable"]) for c in inspector.get_columns(table.name)]
        assert built == [(c.name, c.nullable) for c in table.columns]
        (unique,) = inspector.get_unique_constraints(table.name)
        assert (
            unique["column_names"]
            == next(c for c in table.constraints if isinstance(c, sa.UniqueConstraint)).columns.keys()
        )


def test_a_database_from_before_the_outcome_measures_keeps_its_rows_and_gains_empty_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(url, upgrade="0003")  # a store at an old schema is written with plain SQL: its API is today's
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO runs (date, distance_m, duration_s, source, created_at, updated_at) "
            "VALUES ('2026-11-01', 5000, 1800, 'manual', '2026-11-01T08:00:00', '2026-11-01T08:00:00')"
        )
    old.dispose()
    upgraded = Store(url)
    assert upgraded.counts()["run"] == 1 and upgraded.outcome_scores().empty
    upgraded.add(WeeklyPain(date=DAY, usual=1, worst=3))
    assert upgraded.outcome_scores()["value"].tolist() == [1.0, 3.0]
    upgraded.dispose()
