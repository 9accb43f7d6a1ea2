"""The Today summary counts only this ISO week up to today."""

import datetime as dt

from kneelog.models import GymSession, KneeCheckin, Run, StretchDone, StretchSession
from kneelog.views.today import week_so_far

WEDNESDAY = dt.date(2026, 11, 25)


def test_week_so_far_counts_monday_to_today_only(store):
    item = (StretchDone(stretch_id="half_kneel_quad", side="left"),)
    store.add_many(
        [
            Run(date=dt.date(2026, 11, 22), distance_m=20000, duration_s=7000),  # last Sunday
            Run(date=dt.date(2026, 11, 23), distance_m=8000, duration_s=2800),
            Run(date=dt.date(2026, 11, 25), distance_m=6000, duration_s=2000),
            GymSession(date=dt.date(2026, 11, 24), duration_s=3000),
            StretchSession(date=dt.date(2026, 11, 24), items=item),
            StretchSession(date=dt.date(2026, 11, 24), items=item, notes="evening"),
            KneeCheckin(date=dt.date(2026, 11, 24), stairs=2),
        ]
    )
    week = week_so_far(
        store.frame("run"), store.frame("gym"), store.frame("stretch"), store.frame("checkin"), WEDNESDAY
    )
    assert week.monday == dt.date(2026, 11, 23)
    assert (week.distance_m, week.runs, week.gym_sessions, week.stretch_days) == (14000, 2, 1, 1)
    assert not week.checked_in_today
    assert week.latest_checkin["stairs"] == 2
