"""The rule table: one limit, one message, whether a runner types the value or an export brings it."""

import datetime as dt

import pandas as pd
import pytest

from kneelog import importers, limits
from kneelog.errors import EntryInvalid
from kneelog.models import GymSession, Run, parse_entry

TODAY = dt.date(2026, 6, 10)
HEADER = "id,start_date_local,name,type,moving_time,distance,elapsed_time,icu_rpe\n"


@pytest.mark.parametrize(
    ("limit", "value", "expected"),
    [
        (limits.RUN_DISTANCE, 0.0, None),  # a treadmill run without distance is kept
        (limits.RUN_DISTANCE, -0.5, "cannot be negative"),
        (limits.RUN_DISTANCE, 300_000.0, None),
        (limits.RUN_DISTANCE, 300_000.5, "is longer than any single run kneelog accepts (300 km)"),
        (limits.RACE_DISTANCE, 0.0, "must be more than zero"),
        (limits.RUN_DURATION, 0.0, "must be longer than zero"),
        (limits.RUN_DURATION, 72 * 3600.0, None),
        (limits.RUN_DURATION, 72 * 3600.0 + 1, "must be at most 72 hours"),
        (limits.GYM_DURATION, 6 * 3600.0 + 1, "must be at most 6 hours"),
        (limits.EFFORT, 1, None),
        (limits.EFFORT, 0, "must be a whole number from 1 to 10"),
        (limits.EFFORT, 6.5, "must be a whole number from 1 to 10"),
        (limits.PAIN, 0, None),
        (limits.PAIN, 11, "must be a whole number from 0 to 10"),
    ],
)
def test_a_limit_gives_the_same_answer_for_one_value_and_for_a_column(limit, value, expected):
    assert limit.problem(value) == expected
    column = pd.Series([value, float("nan")])
    assert column.pipe(limit.broken).tolist() == [expected, None]  # a missing value is not this limit's question


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(1969, 12, 31), "is before 1970; check the year"),
        (dt.date(1970, 1, 1), None),
        (TODAY + dt.timedelta(days=1), None),  # one day of grace for a late-night entry
        (TODAY + dt.timedelta(days=2), "is in the future; log sessions on or before today"),
    ],
)
def test_a_date_is_checked_against_the_runners_today(day, expected):
    assert limits.date_problem(day, TODAY) == expected
    assert limits.dates_broken(pd.Series(pd.to_datetime([day])), TODAY).tolist() == [expected]


def _imported_reason(row: str) -> str:
    parsed = importers.parse("activities.csv", (HEADER + row + "\n").encode(), today=TODAY)
    assert parsed.activities.empty
    return parsed.rejected["reason"].iloc[0]


def _typed_reason(model, data: dict) -> str:
    with pytest.raises(EntryInvalid) as refused:
        parse_entry(model, data, today=TODAY)
    return next(iter(refused.value.problems.values()))


@pytest.mark.parametrize(
    ("row", "model", "data"),
    [
        ("i1,2026-06-01T07:00:00,Long,Run,3600,400000,3600,", Run,
         {"date": dt.date(2026, 6, 1), "distance_m": 400_000.0, "duration_s": 86_400.0}),
        ("i1,2026-06-01T07:00:00,Easy,Run,0,5000,0,", Run,
         {"date": dt.date(2026, 6, 1), "distance_m": 5000.0, "duration_s": 0.0}),
        ("i1,2026-06-01T07:00:00,Easy,Run,1800,5000,1800,11", Run,
         {"date": dt.date(2026, 6, 1), "distance_m": 5000.0, "duration_s": 1800.0, "rpe": 11}),
        ("i1,2026-06-01T07:00:00,Fast,Run,600,10000,600,", Run,
         {"date": dt.date(2026, 6, 1), "distance_m": 10_000.0, "duration_s": 600.0}),
        ("i1,2026-06-20T07:00:00,Later,Run,1800,5000,1800,", Run,
         {"date": dt.date(2026, 6, 20), "distance_m": 5000.0, "duration_s": 1800.0}),
        ("i1,2026-06-01T07:00:00,Legs,WeightTraining,25200,,25200,", GymSession,
         {"date": dt.date(2026, 6, 1), "duration_s": 25_200.0}),
    ],
)  # fmt: skip
def test_an_import_and_a_form_refuse_the_same_value_in_the_same_words(row, model, data):
    imported, typed = _imported_reason(row), _typed_reason(model, data)
    assert imported == typed.removeprefix(f"{data['date'].isoformat()} ")  # the form names the date it refuses
