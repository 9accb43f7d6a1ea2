"""Reminders: the stretch routine and the gym plan as an iCalendar file (RFC 5545) a runner adds to their calendar.

Data in, ``.ics`` bytes out; nothing here knows a UI. The choices, and why:

- **The routine is one recurring event** (``RRULE:FREQ=WEEKLY;BYDAY=...``) at the chosen local time in the runner's
  time zone (``DTSTART;TZID=`` with its ``VTIMEZONE``), :data:`ROUTINE_MINUTES` long, with a display alarm at its
  start, and no end date. Its UID is the same in every download, so importing a new file after changing the days or
  the time replaces the series instead of adding a second one.
- **Gym sessions are all-day events** (``DTSTART;VALUE=DATE``, shown as free time), one per recommended session:
  the plan says how many a week, not at what hour, so the runner's calendar is not blocked at a guessed time. Each
  UID names the ISO week and the session's number in that week (``gym-2026-W49-2@...``): a new download moves the
  same sessions to their new days rather than adding more. Sessions already logged this week keep their numbers
  (a week of 3 with 1 done offers sessions 2 and 3), so a download in mid-week never leaves an old session 3 behind.
- **No cancellations.** A session the plan drops (3 a week becoming 2) stays in a calendar that imported it earlier:
  an ``.ics`` file offered for download is published (``METHOD:PUBLISH``), and RFC 5546 removes events only through
  a separate ``METHOD:CANCEL`` message, which phone calendars do not act on when a file is imported. The page says
  so. ``SEQUENCE`` stays 0 and ``DTSTAMP`` is the download's time, so a later file is the newer version.
- **This week** keeps the plan the Today page shows (:func:`kneelog.analysis.weekly.weekly_table`), less the sessions
  already logged, on the days left. **Coming weeks** have no running yet: each repeats the plan this week's running
  and pain gave (the running rule of :func:`kneelog.analysis.gymplan.recommended_sessions`, without this week's
  races) and takes the race calendar's caps for its own dates; each event's description says so.
- **Which days** (:func:`spread`): sessions go on the week's free days (not already past, not a race day, not the
  day before a race), as evenly as the free days allow: of every choice of days, the one whose smallest gap
  (counted round the week, so Sunday to Monday is one day) is largest, the earliest such choice on a tie. With the
  whole week free that is Monday for one, Monday and Thursday for two, Monday, Wednesday and Friday for three: a day
  between sessions whenever the free days allow it. A week with fewer free days than sessions gets one on each.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import icalendar
import pandas as pd

from kneelog.analysis import gymplan, pain, weekly
from kneelog.models import Settings

#: Minutes the routine's event lasts: the five stretches, both sides, with kneelog's suggested holds.
ROUTINE_MINUTES = 15
#: Weeks of gym sessions a download may hold (this week and the coming ones).
MOST_WEEKS = 12
#: The right-hand side of every UID (RFC 5545 3.8.4.7 asks for a globally unique identifier, domain-style).
UID_DOMAIN = "kneelog"
PRODID = "-//kneelog//reminders//EN"
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Choice:
    """What the runner chose: the routine's weekdays (0 = Monday) and local time, and weeks of gym sessions."""

    weekdays: tuple[int, ...]
    at: dt.time
    weeks: int

    def __post_init__(self) -> None:
        if not set(self.weekdays) <= set(range(7)):
            raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday), not {self.weekdays}")
        if not 1 <= self.weeks <= MOST_WEEKS:
            raise ValueError(f"weeks ahead is 1 to {MOST_WEEKS}, not {self.weeks}")


@dataclass(frozen=True)
class GymWeek:
    """The gym sessions one week gets in the calendar.

    ``monday`` starts the ISO week; ``recommended`` is the plan's number for it; ``first_slot`` the number of the
    first session offered (sessions already logged this week take the numbers before it); ``days`` the days chosen
    for the offered sessions; ``why`` the plan's words, said in each event's description.
    """

    monday: dt.date
    recommended: int
    first_slot: int
    days: tuple[dt.date, ...]
    why: str


def spread(count: int, free: Iterable[int]) -> tuple[int, ...]:
    """``count`` of the ``free`` weekdays (0 = Monday), spread as evenly as they allow (see the module text).

    Of every choice of days, the one whose smallest gap, counted round the week, is largest; the earliest on a tie.
    Fewer free days than ``count`` gives all of them; a ``count`` of 0 or less gives none.
    """
    days = sorted(set(free))
    if count <= 0:
        return ()
    if count >= len(days):
        return tuple(days)

    def smallest_gap(chosen: tuple[int, ...]) -> int:
        if len(chosen) == 1:
            return 7
        return min((b - a) % 7 for a, b in zip(chosen, chosen[1:] + chosen[:1], strict=True))

    best = max(smallest_gap(c) for c in itertools.combinations(days, count))
    return next(c for c in itertools.combinations(days, count) if smallest_gap(c) == best)


def default_weekdays(routines_per_week: int) -> tuple[int, ...]:
    """The weekdays the routine's reminder first offers: the plan's routines a week, spread over the week."""
    return spread(min(routines_per_week, 7), range(7))


def _blocked(monday: dt.date, races: pd.DataFrame) -> set[dt.date]:
    """The race days and the days before them that fall in the week from ``monday``."""
    sunday = monday + dt.timedelta(days=6)
    out = set()
    for when in pd.to_datetime(races["date"]).dt.date:
        out |= {day for day in (when, when - dt.timedelta(days=1)) if monday <= day <= sunday}
    return out


def _race_caps(monday: dt.date, races: pd.DataFrame) -> tuple[int | None, list[str]]:
    """The cap the race calendar puts on the week from ``monday`` (None: no cap) and its words.

    Reads :mod:`kneelog.analysis.gymplan`'s own race rule, so the calendar and the Today page cannot disagree.
    """
    caps, notes = gymplan.race_caps(monday, races)
    cap = min((n for n, _ in caps), default=None)
    return cap, [text for _, text in caps] + notes


def plan_ahead(
    weeks: pd.DataFrame, races: pd.DataFrame, settings: Settings, today: dt.date, count: int
) -> list[GymWeek]:
    """This week's gym sessions still to do and the plan of the ``count - 1`` weeks after it.

    Args:
        weeks: :func:`kneelog.analysis.weekly.weekly_table` with ``today`` given (its last row is this week).
        races: the race calendar (``date``, ``name``, ``distance_m``).
        settings: the runner's unit, for the plan's words.
        today: the runner's today.
        count: weeks in all, this one included.
    """
    monday = today - dt.timedelta(days=today.weekday())
    history = weeks[pd.to_datetime(weeks["week"]).dt.date <= monday] if not weeks.empty else weeks
    if history.empty or pd.Timestamp(history["week"].iloc[-1]).date() != monday:  # nothing logged: a part week
        history = pd.DataFrame(
            {"week": [pd.Timestamp(monday)], "distance_m": [float("nan")], "days": [0], "pain_status": [""]}
        )
    distance = history.set_index("week")["distance_m"]
    days = history.set_index("week")["days"]
    over = history.set_index("week")["pain_status"] == pain.STATUS_OVER
    with_races = gymplan.recommended_sessions(distance, days, races, over, settings.unit).iloc[-1]
    no_races = races.iloc[0:0]
    running = gymplan.recommended_sessions(distance, days, no_races, over, settings.unit).iloc[-1]
    done = int(history["gym_sessions"].iloc[-1]) if "gym_sessions" in history else 0

    plan: list[GymWeek] = []
    this_week = int(with_races["gym_recommended"])
    free = [d for d in range(today.weekday(), 7) if monday + dt.timedelta(days=d) not in _blocked(monday, races)]
    chosen = spread(this_week - done, free)
    plan.append(
        GymWeek(
            monday, this_week, done + 1, tuple(monday + dt.timedelta(days=d) for d in chosen), with_races["gym_reason"]
        )
    )
    base = int(running["gym_recommended"])
    latest = f"this week's plan from your running and pain ({base} a week; {running['gym_reason']})"
    for k in range(1, count):
        week = monday + dt.timedelta(weeks=k)
        cap, words = _race_caps(week, races)
        recommended = base if cap is None else min(base, cap)
        free = [d for d in range(7) if week + dt.timedelta(days=d) not in _blocked(week, races)]
        chosen = spread(recommended, free)
        why = f"a week still to come has no running logged, so kneelog repeats {latest}"
        if words:
            why += "; race calendar: " + "; ".join(words)
        plan.append(GymWeek(week, recommended, 1, tuple(week + dt.timedelta(days=d) for d in chosen), why))
    return plan


def _uid(*parts: object) -> str:
    return "-".join(str(p) for p in parts) + "@" + UID_DOMAIN


def routine_event(choice: Choice, zone: str, today: dt.date, stamp: dt.datetime) -> icalendar.Event | None:
    """The routine's recurring event, from the first chosen weekday on or after ``today``; None without weekdays."""
    if not choice.weekdays:
        return None
    first = min(today + dt.timedelta(days=(d - today.weekday()) % 7) for d in choice.weekdays)
    start = dt.datetime.combine(first, choice.at, tzinfo=zoneinfo.ZoneInfo(zone))
    days = ", ".join(WEEKDAY_NAMES[d] for d in sorted(choice.weekdays))
    event = icalendar.Event.new(
        uid=_uid("stretch-routine"),
        summary="Stretch routine (kneelog)",
        description=f"kneelog's stretch routine, each stretch on both sides: every {days} at {choice.at:%H:%M}.",
        start=start,
        stamp=stamp,
        sequence=0,
    )
    event.add("duration", dt.timedelta(minutes=ROUTINE_MINUTES))
    event.add("rrule", {"freq": "weekly", "byday": [_BYDAY[d] for d in sorted(choice.weekdays)]})
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Stretch routine")
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    return event


def gym_events(plan: Sequence[GymWeek], stamp: dt.datetime) -> list[icalendar.Event]:
    """One all-day event per planned gym session, its UID from the ISO week and the session's number."""
    events = []
    for week in plan:
        year, number, _ = week.monday.isocalendar()
        for slot, day in enumerate(week.days, start=week.first_slot):
            event = icalendar.Event.new(
                uid=_uid("gym", f"{year}-W{number:02d}", slot),
                summary=f"Gym session {slot} of {week.recommended} (kneelog plan)",
                description=f"Hip and knee strengthening. This week's plan: {week.why}.",
                start=day,
                end=day + dt.timedelta(days=1),
                stamp=stamp,
                sequence=0,
                transparency="TRANSPARENT",
            )
            events.append(event)
    return events


def calendar(plan: Sequence[GymWeek], choice: Choice, zone: str, today: dt.date, stamp: dt.datetime) -> bytes:
    """The ``.ics`` file: the routine's recurring event, the gym sessions and the routine's time zone.

    Args:
        plan: the gym weeks (:func:`plan_ahead`).
        choice: the routine's weekdays and time.
        zone: the runner's time zone name (``Settings.timezone``).
        today: the runner's today (the routine starts on its first chosen day from here).
        stamp: the download's time (``DTSTAMP``, UTC); the same inputs and stamp give the same bytes.
    """
    stamp = stamp.astimezone(dt.UTC)
    cal = icalendar.Calendar.new(prodid=PRODID, method="PUBLISH", uid=_uid("calendar"))
    routine = routine_event(choice, zone, today, stamp)
    if routine is not None:
        cal.add_component(routine)
    for event in gym_events(plan, stamp):
        cal.add_component(event)
    cal.add_missing_timezones(first_date=dt.date(today.year - 1, 1, 1))
    return cal.to_ical()


def summary(plan: Sequence[GymWeek], choice: Choice, zone: str) -> str:
    """What a file holds, in words, and the one thing a new download cannot do (remove a dropped session)."""
    sessions = sum(len(week.days) for week in plan)
    routine = (
        f"Stretch routine every {', '.join(WEEKDAY_NAMES[d] for d in sorted(choice.weekdays))} at {choice.at:%H:%M} "
        f"({zone})"
        if choice.weekdays
        else "No stretch days chosen: the file holds the gym sessions only"
    )
    weeks = f"{len(plan)} week{'' if len(plan) == 1 else 's'}"
    return (
        f"{routine}; {sessions} gym session{'' if sessions == 1 else 's'} in {weeks}. "
        "A session the plan later drops stays in your calendar: delete it there."
    )


def gym_plan(
    frames: weekly.Frames, settings: Settings, today: dt.date, count: int, *, routine_sides: int
) -> list[GymWeek]:
    """:func:`plan_ahead` from the store's frames (:data:`kneelog.analysis.weekly.KINDS`), ``count`` weeks in all."""
    weeks = weekly.weekly_table(frames, settings, today, routine_sides=routine_sides)
    return plan_ahead(weeks, frames["race"], settings, today, count)
