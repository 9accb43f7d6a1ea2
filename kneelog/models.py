"""The entries a runner logs, as pydantic models with the bounds a real runner can reach.

Every distance is stored in metres and every duration in seconds; the runner's unit (km or miles) is only a
matter of display (see :mod:`kneelog.units`). A model that fails validation never reaches the store:
:func:`parse_entry` turns pydantic's errors into one :class:`~kneelog.errors.EntryInvalid` whose ``problems`` map
each field to a sentence a runner can act on.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kneelog.errors import EntryInvalid

Side = Literal["left", "right"]
Knee = Literal["left", "right", "both"]
Unit = Literal["km", "mi"]

#: Where an entry came from: typed in by the runner, or made by the demo athlete. An imported entry carries the
#: name of its platform instead (``strava``, ``garmin``, ...: :attr:`kneelog.importers.aliases.Format.source`).
MANUAL = "manual"
DEMO = "demo"

Pain = Annotated[int, Field(ge=0, le=10)]
Effort = Annotated[int, Field(ge=1, le=10)]
Notes = Annotated[str, Field(max_length=200_000)]

#: The longest single run kneelog accepts (metres). Multi-day races beyond this are not single runs.
MAX_RUN_M = 300_000.0
#: The longest single activity (seconds): 72 hours.
MAX_DURATION_S = 72 * 3600.0
#: The longest gym session (seconds).
MAX_GYM_S = 6 * 3600.0
#: Faster than this average speed (m/s, about 2:23 per km) is faster than any road world record: a typo.
MAX_SPEED_MS = 7.0
#: The earliest date kneelog accepts.
EARLIEST = dt.date(1970, 1, 1)
#: Days past today that a logged session may carry (time zones, a late-night entry).
FUTURE_GRACE_DAYS = 1


def _check_logged_date(value: dt.date) -> dt.date:
    """Reject a session date in the future (beyond one day of time-zone grace) or before 1970."""
    latest = dt.date.today() + dt.timedelta(days=FUTURE_GRACE_DAYS)
    if value > latest:
        raise ValueError(f"{value.isoformat()} is in the future; log sessions on or before today")
    if value < EARLIEST:
        raise ValueError(f"{value.isoformat()} is before 1970; check the year")
    return value


def _check_distance(value: float, *, allow_zero: bool) -> float:
    """Reject a negative, missing or implausibly long distance (metres)."""
    if value != value or value < 0 or (value == 0 and not allow_zero):
        raise ValueError("must be more than zero" if not allow_zero else "cannot be negative")
    if value > MAX_RUN_M:
        raise ValueError(f"{value / 1000:,.0f} km is longer than any single run kneelog accepts (300 km)")
    return value


def _check_duration(value: float, longest_s: float) -> float:
    """Reject a zero, negative or implausibly long duration (seconds)."""
    if value != value or value <= 0:
        raise ValueError("must be longer than zero")
    if value > longest_s:
        raise ValueError(f"must be at most {longest_s / 3600:g} hours")
    return value


class Entry(BaseModel):
    """Common behaviour of everything a runner logs."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    kind: ClassVar[str]
    label: ClassVar[str]

    id: int | None = None
    date: dt.date
    source: str = Field(default=MANUAL, max_length=40)

    @field_validator("date")
    @classmethod
    def _check_date(cls, value: dt.date) -> dt.date:
        return _check_logged_date(value)


class Run(Entry):
    """One run: when, how far, how long, how hard, and how the knee felt during it."""

    kind: ClassVar[str] = "run"
    label: ClassVar[str] = "run"

    start_time: dt.time | None = None
    distance_m: float
    duration_s: float
    rpe: Effort | None = None
    pain_during: Pain | None = None
    notes: Notes = ""
    activity_type: str = Field(default="Run", max_length=100)
    source_id: str | None = Field(default=None, max_length=200)

    @field_validator("distance_m")
    @classmethod
    def _plausible_distance(cls, value: float) -> float:
        return _check_distance(value, allow_zero=True)

    @field_validator("duration_s")
    @classmethod
    def _plausible_duration(cls, value: float) -> float:
        return _check_duration(value, MAX_DURATION_S)

    @model_validator(mode="after")
    def _plausible_speed(self) -> Run:
        if self.distance_m > 0 and self.distance_m / self.duration_s > MAX_SPEED_MS:
            raise ValueError(
                "distance and duration give a pace faster than any world record; check both (is the duration "
                "in minutes, not hours?)"
            )
        return self


class GymSession(Entry):
    """A strength session in the gym (the plan is one to three a week)."""

    kind: ClassVar[str] = "gym"
    label: ClassVar[str] = "gym session"

    start_time: dt.time | None = None
    duration_s: float
    rpe: Effort | None = None
    notes: Notes = ""
    source_id: str | None = Field(default=None, max_length=200)

    @field_validator("duration_s")
    @classmethod
    def _plausible_duration(cls, value: float) -> float:
        return _check_duration(value, MAX_GYM_S)


class StretchDone(BaseModel):
    """One stretch done on one side."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stretch_id: str = Field(pattern=r"^[a-z0-9_]{1,60}$")
    side: Side


class StretchSession(Entry):
    """A stretch session: which stretches were done, on which sides."""

    kind: ClassVar[str] = "stretch"
    label: ClassVar[str] = "stretch session"

    items: tuple[StretchDone, ...] = Field(min_length=1)
    notes: Notes = ""

    @field_validator("items")
    @classmethod
    def _no_repeats(cls, items: tuple[StretchDone, ...]) -> tuple[StretchDone, ...]:
        seen = {(i.stretch_id, i.side) for i in items}
        if len(seen) != len(items):
            raise ValueError("the same stretch and side is listed twice")
        return tuple(sorted(items, key=lambda i: (i.stretch_id, i.side)))


class KneeCheckin(Entry):
    """The daily knee check-in: pain 0-10 in everyday knee-loading moments."""

    kind: ClassVar[str] = "checkin"
    label: ClassVar[str] = "knee check-in"
    #: The moments asked about, in form order, with the question shown to the runner.
    MOMENTS: ClassVar[dict[str, str]] = {
        "stairs": "Going up or down stairs",
        "squat": "Squatting",
        "sitting": "Sitting for a long time",
        "morning_after": "The morning after a run",
    }

    knee: Knee = "both"
    stairs: Pain | None = None
    squat: Pain | None = None
    sitting: Pain | None = None
    morning_after: Pain | None = None
    note: Notes = ""

    @model_validator(mode="after")
    def _some_pain_given(self) -> KneeCheckin:
        if all(getattr(self, m) is None for m in self.MOMENTS):
            raise ValueError("give a pain score (0 for none) for at least one moment")
        return self


class Race(Entry):
    """A race on the calendar; the gym plan eases off in race weeks. Races may lie in the future."""

    kind: ClassVar[str] = "race"
    label: ClassVar[str] = "race"

    name: str = Field(min_length=1, max_length=200)
    distance_m: float

    @field_validator("distance_m")
    @classmethod
    def _plausible_distance(cls, value: float) -> float:
        return _check_distance(value, allow_zero=False)

    @field_validator("date")
    @classmethod
    def _check_date(cls, value: dt.date) -> dt.date:  # races are planned ahead: up to five years out
        if value > dt.date.today() + dt.timedelta(days=5 * 366):
            raise ValueError(f"{value.isoformat()} is more than five years ahead; check the year")
        if value < EARLIEST:
            raise ValueError(f"{value.isoformat()} is before 1970; check the year")
        return value


class Settings(BaseModel):
    """The runner's preferences."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Unit = "km"
    timezone: str = "UTC"
    routines_per_week: int = Field(default=5, ge=1, le=14)
    hold_seconds: int = Field(default=30, ge=5, le=180)
    reps_per_side: int = Field(default=2, ge=1, le=10)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"{value!r} is not a time zone name such as Europe/Berlin") from e
        return value


#: The name a runner sees for each field, where it differs from the field name.
FIELD_LABELS: dict[str, str] = {
    "date": "Date",
    "start_time": "Start time",
    "distance_m": "Distance",
    "duration_s": "Duration",
    "rpe": "Effort (RPE 1-10)",
    "pain_during": "Knee pain during the run",
    "items": "Stretches done",
    "name": "Name",
    "knee": "Knee",
    "notes": "Notes",
    "note": "Note",
    "entry": "Entry",
    **KneeCheckin.MOMENTS,
}

#: Every kind of entry, by its ``kind`` name.
ENTRY_TYPES: dict[str, type[Entry]] = {m.kind: m for m in (Run, GymSession, StretchSession, KneeCheckin, Race)}

_FRIENDLY = {
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "greater_than": "must be more than {gt}",
    "less_than": "must be less than {lt}",
    "too_short": "cannot be empty",
    "string_too_short": "cannot be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "date_type": "must be a date such as 2026-05-17",
    "date_from_datetime_parsing": "must be a date such as 2026-05-17",
    "date_parsing": "must be a date such as 2026-05-17",
    "time_parsing": "must be a time such as 07:30",
    "literal_error": "must be one of {expected}",
    "extra_forbidden": "is not a field of this entry",
    "string_pattern_mismatch": "is not a known name",
}

E = TypeVar("E", bound=BaseModel)


def _reason(err: dict[str, Any]) -> str:
    if err["type"] == "value_error":
        return str(err["ctx"]["error"])
    template = _FRIENDLY.get(err["type"])
    if template is None:
        return err["msg"]
    try:
        return template.format(**err.get("ctx", {}))
    except (KeyError, IndexError):
        return err["msg"]


def problems_of(error: ValidationError) -> dict[str, str]:
    """Map each failing field of a pydantic error to one plain sentence (``"entry"`` for whole-entry rules)."""
    problems: dict[str, str] = {}
    for err in error.errors():
        field = str(err["loc"][0]) if err["loc"] else "entry"
        problems.setdefault(field, _reason(err))
    return problems


def parse_entry(model: type[E], data: dict[str, Any]) -> E:
    """Validate ``data`` as ``model``.

    Raises:
        EntryInvalid: with one reason per failing field, when any bound is broken.
    """
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise EntryInvalid(getattr(model, "label", model.__name__.lower()), problems_of(e), FIELD_LABELS) from e
