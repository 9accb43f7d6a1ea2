"""One clock: "today" is the runner's calendar day in their time zone, and a week runs Monday to Sunday (ISO).

Every page, command and check that needs today asks :func:`local_today` with the runner's zone (a setting) and
passes the date on; nothing in kneelog reads the server's own date, so a runner whose zone differs from the
server's sees the same week everywhere.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pandas as pd

#: The zone whose calendar is ahead of every other (UTC+14, Kiribati's Line Islands).
_FURTHEST_AHEAD = dt.timezone(dt.timedelta(hours=14))


def local_today(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the runner's time zone.

    Args:
        timezone: an IANA zone name such as ``Europe/Berlin`` (the runner's setting).
        now: the moment to read (tz-aware; tests pass one); default the clock.
    """
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def today_anywhere(now: dt.datetime | None = None) -> dt.date:
    """The latest calendar date on Earth at ``now``: a date after it is in the future in every time zone.

    What a check uses when it is not told the runner's today (a backup being restored, a model built in a test).
    """
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(_FURTHEST_AHEAD).date()


def monday(day: dt.date) -> dt.date:
    """The Monday that starts ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def monday_of(dates: pd.Series) -> pd.Series:
    """The Monday (ISO week start) of each date, as ``datetime64``."""
    dates = pd.to_datetime(dates).dt.normalize()
    return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
