"""History tables: entries as the runner reads them, newest first, in their unit."""

import datetime as dt

from kneelog.models import KneeCheckin, Run, StretchDone, StretchSession
from kneelog.views.history import entry_label, history_table


def test_runs_are_shown_newest_first_in_the_runners_unit(store):
    store.add(Run(date=dt.date(2026, 10, 1), distance_m=1609.344 * 5, duration_s=2400, rpe=5))
    store.add(Run(date=dt.date(2026, 10, 3), distance_m=10000, duration_s=3000, pain_during=2, notes="<b>hi</b>"))
    table = history_table("run", store.frame("run"), "mi")
    assert table["Date"].tolist() == [dt.date(2026, 10, 3), dt.date(2026, 10, 1)]
    assert table["Distance (mi)"].tolist() == [6.21, 5.0]
    assert table["Duration"].tolist() == ["50:00", "40:00"]
    assert table["Pace (/mi)"].tolist()[1] == "8:00"
    assert table["Notes"].tolist()[0] == "<b>hi</b>"
    assert entry_label("run", table.iloc[0]) == "Sat 03 Oct 2026 · 6.21 · 50:00 · 8:03"


def test_stretch_sessions_count_their_sides(store):
    items = (
        StretchDone(stretch_id="half_kneel_quad", side="left"),
        StretchDone(stretch_id="half_kneel_quad", side="right"),
    )
    store.add(StretchSession(date=dt.date(2026, 10, 1), items=items))
    table = history_table("stretch", store.frame("stretch"), "km", store.frame("stretch_item"))
    assert table["Stretch-sides done"].tolist() == [2]


def test_checkins_show_each_moment_with_missing_ones_empty(store):
    store.add(KneeCheckin(date=dt.date(2026, 10, 1), knee="left", stairs=3))
    table = history_table("checkin", store.frame("checkin"), "km")
    assert table.loc[1, "Going up or down stairs"] == 3
    assert table["The morning after a run"].isna().all()
    assert table.loc[1, "Knee"] == "Left"
