"""History tables: entries as the runner reads them, newest first, in their unit."""

import datetime as dt

import pytest

from kneelog.models import KneeCheckin, Run, StretchDone, StretchSession
from kneelog.views.history import HEADER_HELP, ago, default_dates, history_table, latest_entry_sentence, selected_entry


def test_runs_are_shown_newest_first_in_the_runners_unit(store):
    store.add(Run(date=dt.date(2026, 10, 1), distance_m=1609.344 * 5, duration_s=2400, rpe=5))
    store.add(Run(date=dt.date(2026, 10, 3), distance_m=10000, duration_s=3000, pain_during=2, notes="<b>hi</b>"))
    table = history_table("run", store.frame("run"), "mi")
    assert table["Date"].tolist() == [dt.date(2026, 10, 3), dt.date(2026, 10, 1)]
    assert table["Distance (mi)"].tolist() == [6.21, 5.0]
    assert table["Duration"].tolist() == ["50:00", "40:00"]
    assert table["Pace (/mi)"].tolist()[1] == "8:00"
    assert table["Notes"].tolist()[0] == "<b>hi</b>"
    assert list(table.columns[:4]) == ["Date", "Distance (mi)", "Pain during", "Effort"]  # what fits a phone


def test_stretch_sessions_count_their_sides(store):
    items = (
        StretchDone(stretch_id="half_kneel_quad", side="left"),
        StretchDone(stretch_id="half_kneel_quad", side="right"),
    )
    store.add(StretchSession(date=dt.date(2026, 10, 1), items=items))
    table = history_table("stretch", store.frame("stretch"), "km", store.frame("stretch_item"))
    assert table["Stretch-sides done"].tolist() == [2]


def test_checkins_show_the_four_scores_first_under_short_headers_with_missing_ones_empty(store):
    store.add(KneeCheckin(date=dt.date(2026, 10, 1), knee="left", stairs=3, sitting=0, note="after the hills"))
    table = history_table("checkin", store.frame("checkin"), "km")
    assert list(table.columns) == ["Date", "Stairs", "Squat", "Sitting", "Morning", "Knee", "Note"]
    assert table.loc[1].tolist() == [dt.date(2026, 10, 1), "3", "—", "0", "—", "Left", "after the hills"]


@pytest.mark.parametrize(
    ("header", "meaning"),
    [
        ("Stairs", "Going up or down stairs"),
        ("Squat", "Squatting"),
        ("Sitting", "Sitting for a long time"),
        ("Morning", "The morning after a run"),
        ("Pain during", "Knee pain during the run"),
        ("Effort", "Rate of perceived exertion"),
    ],
)
def test_every_short_header_says_what_it_means(header, meaning):
    assert HEADER_HELP[header].startswith(meaning)


def test_missing_effort_pain_and_notes_read_as_a_dash_or_blank(store):
    store.add(Run(date=dt.date(2026, 10, 1), distance_m=5000, duration_s=1500))
    store.add(Run(date=dt.date(2026, 10, 2), distance_m=5000, duration_s=1500, rpe=10, pain_during=0))
    table = history_table("run", store.frame("run"), "km")
    assert table["Effort"].tolist() == ["10", "—"]
    assert table["Pain during"].tolist() == ["0", "—"]  # a zero is a score, not a missing one
    assert table["Notes"].tolist() == ["", ""]


def test_how_long_ago_in_words():
    today = dt.date(2025, 11, 20)
    assert ago(today, today) == "today"
    assert ago(dt.date(2025, 11, 19), today) == "yesterday"
    assert ago(dt.date(2025, 11, 7), today) == "13 days ago"
    assert ago(dt.date(2025, 11, 6), today) == "2 weeks ago"  # 14 days
    assert ago(dt.date(2025, 8, 12), today) == "3 months ago"  # 100 days / 30.44 = 3.3
    assert ago(dt.date(2023, 11, 20), today) == "2 years ago"  # 731 days
    assert latest_entry_sentence(dt.date(2025, 8, 12), today) == "Your latest entry is from 12 Aug 2025, 3 months ago."
    assert latest_entry_sentence(dt.date(2025, 11, 1), today) == ""  # 19 days: recent, nothing to say


def test_the_default_dates_end_at_the_latest_entry_when_it_is_old():
    today, first = dt.date(2025, 11, 20), dt.date(2024, 1, 1)
    assert default_dates(first, dt.date(2025, 11, 18), today) == (dt.date(2025, 5, 22), today)  # 182 days back
    assert default_dates(first, dt.date(2025, 8, 12), today) == (dt.date(2025, 2, 11), dt.date(2025, 8, 12))
    assert default_dates(dt.date(2025, 8, 1), dt.date(2025, 8, 12), today) == (
        dt.date(2025, 8, 1),
        dt.date(2025, 8, 12),
    )


def test_a_selected_row_names_the_entry_shown_there():
    assert selected_entry([1], [7, 4, 2]) == 4
    assert selected_entry([], [7, 4, 2]) is None
    assert selected_entry([3], [7, 4, 2]) is None  # the table has shrunk since
