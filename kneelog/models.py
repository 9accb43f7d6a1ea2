"""The entries a runner logs, as pydantic models with the bounds a real runner can reach.

Every distance is stored in metres and every duration in seconds; the runner's unit (km or miles) is only a
matter of display (see :mod:`kneelog.units`). A model that fails validation never reaches the store:
:func:`parse_entry` turns pydantic's errors into one :class:`~kneelog.errors.EntryInvalid` whose ``problems`` map
each field to a sentence a runner can act on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kneelog import clock, limits
from kneelog.analysis.outcomes import QUESTIONNAIRES, SCALES, TESTS
from kneelog.errors import EntryInvalid
from kneelog.limits import Limit

#: The side a stretch is done on; "both" for a stretch that works both legs at once (the wide-legged forward fold).
Side = Literal["left", "right", "both"]
Knee = Literal["left", "right", "both"]
Unit = Literal["km", "mi"]
#: The curve a heart-rate load weights each minute by (:mod:`kneelog.analysis.hrload`): Edwards' zones, or Banister's
#: exponential with the coefficients from men's or from women's blood lactate.
HrWeighting = Literal["edwards", "banister_men", "banister_women"]

#: Where an entry came from: typed in by the runner, or made by the demo athlete. An imported entry carries the
#: name of its platform instead (``strava``, ``garmin``, ...: :attr:`kneelog.importers.aliases.Format.source`).
MANUAL = "manual"
DEMO = "demo"


def _within(limit: Limit) -> AfterValidator:
    """A pydantic check of ``limit`` (:mod:`kneelog.limits`); a missing value is left to the field's type."""

    def check(value: float | None) -> float | None:
        if value is not None and (problem := limit.problem(value)):
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def _today(info: ValidationInfo) -> dt.date:
    """The runner's today, passed in the validation context (:func:`parse_entry`), or else the latest date on Earth."""
    return (info.context or {}).get("today") or clock.today_anywhere()


def _bpm_seconds(text: str | None) -> str | None:
    """Seconds at each bpm as :func:`kneelog.importers.files.summary.encode` writes them: ``{"141":12,...}``."""
    if text is None:
        return None
    try:
        pairs = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise ValueError("is not the seconds at each heart rate that kneelog writes") from e
    if not isinstance(pairs, dict) or not all(
        b.isdigit() and limits.LOWEST_BPM <= int(b) <= limits.HIGHEST_BPM and type(s) is int and s >= 0
        for b, s in pairs.items()
    ):
        raise ValueError("is not the seconds at each heart rate that kneelog writes")
    if sum(pairs.values()) > limits.MAX_DURATION_S:
        raise ValueError("holds more than 72 hours of heart rate")
    return text


Pain = Annotated[int, _within(limits.PAIN)]
#: What a device file adds to an imported run or gym session (:mod:`kneelog.importers.files`); no form types them.
Elapsed = Annotated[float, _within(limits.ELAPSED)]
Ascent = Annotated[float, _within(limits.ASCENT)]
HeartRate = Annotated[float, _within(limits.HEART_RATE)]
BpmSeconds = Annotated[str, Field(max_length=limits.MAX_HR_SECONDS_CHARS), AfterValidator(_bpm_seconds)]
#: The fields of :data:`Elapsed` and the rest, as Run and GymSession name them.
DEVICE_FIELDS = ("elapsed_s", "elevation_gain_m", "hr_avg", "hr_max", "hr_seconds")
Effort = Annotated[int, _within(limits.EFFORT)]
Notes = Annotated[str, Field(max_length=limits.MAX_NOTES_CHARS)]
#: Characters no text of an entry may hold: C0 controls other than tab, line feed and carriage return, and DEL. An
#: import refuses a file holding them and a restore a backup holding them, so a form refuses them too.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Entry(BaseModel):
    """Common behaviour of everything a runner logs."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    kind: ClassVar[str]
    label: ClassVar[str]

    id: int | None = None
    date: dt.date
    source: str = Field(default=MANUAL, max_length=40)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and (control := CONTROL_CHARACTERS.search(value)):
            raise ValueError(
                f"holds an invisible control character (U+{ord(control.group()):04X}) at character "
                f"{control.start() + 1}: delete it and save again"
            )
        return value

    @field_validator("date")
    @classmethod
    def _check_date(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        if problem := limits.date_problem(value, _today(info)):
            raise ValueError(f"{value.isoformat()} {problem}")
        return value


class Run(Entry):
    """One run: when, how far, how long, how hard, and how the knee felt during it."""

    kind: ClassVar[str] = "run"
    label: ClassVar[str] = "run"

    start_time: dt.time | None = None
    distance_m: Annotated[float, _within(limits.RUN_DISTANCE)]
    duration_s: Annotated[float, _within(limits.RUN_DURATION)]
    rpe: Effort | None = None
    pain_during: Pain | None = None
    notes: Notes = ""
    activity_type: str = Field(default="Run", max_length=100)
    source_id: str | None = Field(default=None, max_length=limits.MAX_SOURCE_ID)
    elapsed_s: Elapsed | None = None
    elevation_gain_m: Ascent | None = None
    hr_avg: HeartRate | None = None
    hr_max: HeartRate | None = None
    hr_seconds: BpmSeconds | None = None

    @model_validator(mode="after")
    def _plausible_speed(self) -> Run:
        if limits.too_fast(self.distance_m, self.duration_s):
            raise ValueError(limits.TOO_FAST)
        return self


#: What an exercise of the programme strengthens: the categories of the 2019 JOSPT guideline for patellofemoral pain
#: (Willy et al. 2019: hip-targeted, knee-targeted, and combined hip and knee, which it prefers), or something else.
ExerciseCategory = Literal["hip", "knee", "hip_and_knee", "other"]
CATEGORY_NAMES: dict[str, str] = {
    "hip_and_knee": "Hip and knee together",
    "hip": "Hip-targeted",
    "knee": "Knee-targeted",
    "other": "Other",
}


class ExerciseDose(BaseModel):
    """An exercise and how much of it: sets of repetitions or of seconds (a hold), a load in kg (None for body
    weight; 0 is read as body weight), and whether the dose is per side (each leg in turn) or for both legs at once."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=limits.MAX_EXERCISE_NAME_CHARS)
    sets: Annotated[int, _within(limits.SETS)]
    reps: Annotated[int, _within(limits.REPS)] | None = None
    seconds: Annotated[int, _within(limits.SET_SECONDS)] | None = None
    load_kg: Annotated[float, _within(limits.LOAD_KG)] | None = None
    per_side: bool = False

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if control := CONTROL_CHARACTERS.search(value):
            raise ValueError(f"holds an invisible control character (U+{ord(control.group()):04X}): delete it")
        return value

    @field_validator("load_kg")
    @classmethod
    def _zero_is_body_weight(cls, value: float | None) -> float | None:
        return None if value == 0 else value

    @model_validator(mode="after")
    def _reps_or_seconds(self) -> ExerciseDose:
        if (self.reps is None) == (self.seconds is None):
            raise ValueError("give repetitions or seconds per set, one of the two")
        return self


class Exercise(ExerciseDose):
    """An exercise of the runner's gym programme, at its place in the order.

    ``archived`` is set when the runner removes an exercise that logged sessions refer to: it leaves the programme
    but keeps its id, so its history stays readable.
    """

    label: ClassVar[str] = "exercise"

    id: int | None = None
    category: ExerciseCategory = "other"
    position: int = Field(default=0, ge=0)
    archived: bool = False
    source: str = Field(default=MANUAL, max_length=40)


class ExerciseLog(ExerciseDose):
    """What a gym session did of one exercise: the programme's exercise (None once deleted) with its name at the
    time, the dose done, knee pain during it (0-10) and whether it was done at all."""

    exercise_id: int | None = None
    pain_during: Pain | None = None
    done: bool = True


class GymSession(Entry):
    """A strength session in the gym (the plan is one to three a week), with the exercises done when logged.

    Sessions logged before kneelog kept exercises have none (``exercises`` is empty) and read as they always did.
    """

    kind: ClassVar[str] = "gym"
    label: ClassVar[str] = "gym session"

    start_time: dt.time | None = None
    duration_s: Annotated[float, _within(limits.GYM_DURATION)]
    rpe: Effort | None = None
    notes: Notes = ""
    source_id: str | None = Field(default=None, max_length=limits.MAX_SOURCE_ID)
    elapsed_s: Elapsed | None = None
    elevation_gain_m: Ascent | None = None
    hr_avg: HeartRate | None = None
    hr_max: HeartRate | None = None
    hr_seconds: BpmSeconds | None = None
    exercises: tuple[ExerciseLog, ...] = ()

    @field_validator("exercises", mode="before")
    @classmethod
    def _each_exercise(cls, value: Any) -> Any:
        """Check each exercise on its own, so a refusal names the exercise and the field."""
        if not isinstance(value, list | tuple):
            return value
        checked = []
        for position, item in enumerate(value):
            try:
                checked.append(item if isinstance(item, ExerciseLog) else ExerciseLog.model_validate(item))
            except ValidationError as e:
                name = str(item.get("name") or "").strip() if isinstance(item, dict) else ""
                field, reason = next(iter(problems_of(e).items()))
                shown = "" if field == "entry" else f"{FIELD_LABELS.get(field, field)} "
                raise ValueError(f"{name or f'exercise {position + 1}'}: {shown}{reason}") from e
        return tuple(checked)


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

    name: str = Field(min_length=1, max_length=limits.MAX_NAME_CHARS)
    distance_m: Annotated[float, _within(limits.RACE_DISTANCE)]

    @field_validator("date")
    @classmethod
    def _check_date(cls, value: dt.date, info: ValidationInfo) -> dt.date:  # races are planned: up to five years out
        if problem := limits.date_problem(value, _today(info), ahead_days=limits.RACE_AHEAD_DAYS):
            raise ValueError(f"{value.isoformat()} {problem}")
        return value


def _on_scale(scale_id: str) -> AfterValidator:
    """A pydantic check that a score lies on an outcome scale, refused in words naming the scale and its range."""

    def check(value: float | None) -> float | None:
        if value is not None and (problem := SCALES[scale_id].problem(value)):
            raise ValueError(problem)
        return value

    return AfterValidator(check)


class WeeklyPain(Entry):
    """The runner's weekly pain rating on the 0-10 NPRS: usual and worst knee pain in the past 7 days, dated on the
    day rated (:mod:`kneelog.analysis.outcomes`; pain during running comes from the runs)."""

    kind: ClassVar[str] = "weekly_pain"
    label: ClassVar[str] = "weekly pain rating"

    usual: Annotated[int, _on_scale("nprs_usual")]
    worst: Annotated[int, _on_scale("nprs_worst")]
    note: Notes = ""

    @model_validator(mode="after")
    def _worst_at_least_usual(self) -> WeeklyPain:
        if self.worst < self.usual:
            raise ValueError("the worst pain of the week cannot be lower than the usual pain")
        return self

    def clash_words(self) -> str:
        """What a second entry like this one would clash with (:class:`~kneelog.errors.DuplicateEntry`)."""
        return f"a weekly pain rating on {self.date.isoformat()}"


class QuestionnaireScore(Entry):
    """The total of a knee questionnaire (AKPS or KOOS-PF) as the physio's form gave it; kneelog does not reproduce
    the questions (their licences for software are unclear)."""

    kind: ClassVar[str] = "questionnaire"
    label: ClassVar[str] = "questionnaire score"

    scale: Literal["akps", "koos_pf"]
    score: float
    note: Notes = ""

    @field_validator("score")
    @classmethod
    def _on_its_scale(cls, value: float, info: ValidationInfo) -> float:
        scale = info.data.get("scale")
        if scale in QUESTIONNAIRES and (problem := QUESTIONNAIRES[scale].problem(value)):
            raise ValueError(problem)
        return value

    def clash_words(self) -> str:
        """What a second entry like this one would clash with."""
        return f"a {QUESTIONNAIRES[self.scale].short} score on {self.date.isoformat()}"


class FunctionTest(Entry):
    """A functional test the physio recorded for one knee: pain 0-10 and quality of movement (at least one)."""

    kind: ClassVar[str] = "function_test"
    label: ClassVar[str] = "functional test"

    test: Literal["single_leg_squat", "step_down"]
    side: Literal["left", "right"]
    pain: Pain | None = None
    quality: Literal["good", "fair", "poor"] | None = None
    note: Notes = ""

    @model_validator(mode="after")
    def _something_recorded(self) -> FunctionTest:
        if self.pain is None and self.quality is None:
            raise ValueError("give the pain (0 for none), the quality of movement, or both")
        return self

    def clash_words(self) -> str:
        """What a second entry like this one would clash with."""
        return f"a {TESTS[self.test].lower()} of the {self.side} knee on {self.date.isoformat()}"


class Settings(BaseModel):
    """The runner's preferences."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Unit = "km"
    timezone: str = "UTC"
    routines_per_week: int = Field(default=5, ge=1, le=14)
    hold_seconds: int = Field(default=30, ge=5, le=180)
    reps_per_side: int = Field(default=2, ge=1, le=10)
    #: The name printed at the top of the physio report (empty: the report leaves the line blank to fill in by hand).
    athlete_name: str = Field(default="", max_length=limits.MAX_NAME_CHARS)
    #: Heart rates (bpm) for the heart-rate load of runs without an effort rating; None until the runner sets them.
    resting_hr: int | None = Field(default=None, ge=30, le=120)
    max_hr: int | None = Field(default=None, ge=120, le=230)
    hr_weighting: HrWeighting = "edwards"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"{value!r} is not a time zone name such as Europe/Berlin") from e
        return value

    @model_validator(mode="after")
    def _rest_below_max(self) -> Settings:
        if self.resting_hr is not None and self.max_hr is not None and self.resting_hr >= self.max_hr:
            raise ValueError("the resting heart rate must be below the maximum heart rate")
        return self


def knee_words(knee: str) -> str:
    """``both knees``, ``the left knee`` or ``the right knee``: a check-in's knee as a runner reads it."""
    return "both knees" if knee == "both" else f"the {knee} knee"


def knee_clash(knees: set[str], knee: str) -> str | None:
    """Of the knees already checked in on a day, the one a check-in for ``knee`` would clash with, or None.

    A day holds one check-in for both knees, or one for each knee: a second check-in for the same knee, or "both"
    beside "left" or "right", would say two different things about one knee on one day.
    """
    if knee in knees:
        return knee
    if knees and (knee == "both" or "both" in knees):
        return "both" if "both" in knees else sorted(knees)[0]
    return None


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
    "exercises": "Exercises",
    "sets": "sets",
    "reps": "repetitions",
    "seconds": "seconds",
    "load_kg": "load",
    "category": "Category",
    "resting_hr": "Resting heart rate",
    "max_hr": "Maximum heart rate",
    **KneeCheckin.MOMENTS,
    "usual": "Usual knee pain, past week (NPRS 0-10)",
    "worst": "Worst knee pain, past week (NPRS 0-10)",
    "scale": "Questionnaire",
    "score": "Total score",
    "test": "Test",
    "side": "Knee",
    "pain": "Pain during the test (0-10)",
    "quality": "Quality of movement",
}

#: Every kind of entry, by its ``kind`` name.
ENTRY_TYPES: dict[str, type[Entry]] = {
    m.kind: m
    for m in (Run, GymSession, StretchSession, KneeCheckin, Race, WeeklyPain, QuestionnaireScore, FunctionTest)
}

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


def parse_entry(model: type[E], data: dict[str, Any], today: dt.date | None = None) -> E:
    """Validate ``data`` as ``model``.

    Args:
        model: the entry (or settings) model.
        data: the values by field name.
        today: the runner's today (:func:`kneelog.clock.local_today`), for the date limits; without it a date is in
            the future only when it is after today everywhere on Earth.

    Raises:
        EntryInvalid: with one reason per failing field, when any bound is broken.
    """
    try:
        return model.model_validate(data, context={"today": today})
    except ValidationError as e:
        raise EntryInvalid(getattr(model, "label", model.__name__.lower()), problems_of(e), FIELD_LABELS) from e
