"""The stretch library: five mobility stretches for runner's knee, kept as data in ``data/stretches.toml``.

The library is loaded with :mod:`tomllib` and checked by pydantic models, so a malformed file fails at once with
:class:`~kneelog.errors.LibraryInvalid` naming the stretch (its position and id) and the field. The stretches come
from "5 Stretches for Runner's Knee Pain" by Phil White (TrainingPeaks), with physiotherapist Dereck Steffe, DPT;
the file credits them in its ``[source]`` table. The article gives no hold time or repetitions: kneelog's
suggestion lives in :class:`~kneelog.models.Settings` (``hold_seconds``, ``reps_per_side``).

"Today's routine" is every stretch on every side (:func:`routine_items`); the ones a runner ticks become one
:class:`~kneelog.models.StretchSession` (:func:`session_from_checked`), one a day (:func:`as_day_routine`).
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import tomllib
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kneelog.errors import EntryInvalid, LibraryInvalid
from kneelog.models import FIELD_LABELS, MANUAL, Side, StretchSession, parse_entry

#: The library shipped with kneelog: the top-level ``data/`` folder, installed as the package ``kneelog.data``.
DEFAULT_LIBRARY_PATH = importlib.resources.files("kneelog.data") / "stretches.toml"

Text = Annotated[str, Field(min_length=1, max_length=2000)]
StretchId = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Strict):
    """Where the stretches come from, and the article's advice around them, in kneelog's words."""

    title: Text
    author: Text
    publisher: Text
    physiotherapist: Text
    clinic: Text
    dose_note: Text
    gym_advice: Text
    caveat: Text


class Stretch(_Strict):
    """One stretch: what it mobilises, why that matters for the knee, and how to do it."""

    id: StretchId
    name: Text
    muscles: tuple[Text, ...] = Field(min_length=1)
    why: Text
    start: Text
    steps: tuple[Text, ...] = Field(min_length=1)
    sides: tuple[Side, ...] = Field(min_length=1)
    cues: tuple[Text, ...] = ()
    sides_note: str = ""
    #: ``hold``: held for kneelog's suggested time (Settings); ``reps``: a moving drill done ``reps`` times a side.
    dose: Literal["hold", "reps"] = "hold"
    reps: int | None = Field(default=None, ge=1, le=100)

    @field_validator("sides")
    @classmethod
    def _each_side_once(cls, sides: tuple[Side, ...]) -> tuple[Side, ...]:
        repeated = sorted({s for s in sides if sides.count(s) > 1})
        if repeated:
            raise ValueError(f"lists {', '.join(repeated)} more than once")
        if "both" in sides and len(sides) > 1:
            raise ValueError('"both" (one stretch for both legs at once) cannot be listed with another side')
        return sides

    @model_validator(mode="after")
    def _reps_with_a_drill(self) -> Stretch:
        if (self.dose == "reps") != (self.reps is not None):
            raise ValueError('give reps (a number) exactly when dose = "reps"')
        return self

    @property
    def one_for_both(self) -> bool:
        """Whether one go works both legs at once (``sides = ["both"]``): one tick, not one per side."""
        return self.sides == ("both",)


class StretchLibrary(_Strict):
    """The credited source and the stretches, in the order the page shows them."""

    source: Source
    stretches: tuple[Stretch, ...] = Field(min_length=1)

    @field_validator("stretches")
    @classmethod
    def _unique_ids(cls, stretches: tuple[Stretch, ...]) -> tuple[Stretch, ...]:
        first: dict[str, int] = {}
        for position, stretch in enumerate(stretches, start=1):
            if stretch.id in first:
                raise ValueError(
                    f"stretch {position}, field 'id': {stretch.id!r} is already the id of stretch "
                    f"{first[stretch.id]}; give each stretch its own id"
                )
            first[stretch.id] = position
        return stretches


_REASONS = {
    "missing": "is missing",
    "too_short": "is empty",
    "string_too_short": "is empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "string_type": "must be text in quotes",
    "tuple_type": 'must be a list such as ["..."]',
    "model_type": "must be a table",
    "extra_forbidden": "is not a known field (a typo?)",
    "literal_error": "must be one of {expected}",
    "string_pattern_mismatch": "must use only lower-case letters, digits and _",
}


def _reason(err: dict[str, Any]) -> str:
    if err["type"] == "value_error":
        return str(err["ctx"]["error"])
    template = _REASONS.get(err["type"], err["msg"])
    try:
        return template.format(**err.get("ctx", {}))
    except (KeyError, IndexError):
        return err["msg"]


def _where(loc: tuple[Any, ...], raw: dict[str, Any]) -> str:
    """Name the entry and field of an error location, e.g. ``stretch 2 ('low_lunge_reach'), field 'steps'``."""
    if not loc:
        return "the file"
    if loc[0] == "source":
        return f"the [source] table, field {loc[1]!r}" if len(loc) > 1 else "the [source] table"
    if loc[0] == "stretches" and len(loc) > 1 and isinstance(loc[1], int):
        position = loc[1] + 1
        entries = raw.get("stretches")
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
        stretch_id = entry.get("id") if isinstance(entry, dict) else None
        named = f"stretch {position} ({stretch_id!r})" if isinstance(stretch_id, str) else f"stretch {position}"
        if len(loc) == 2:
            return named
        item = f" (item {loc[3] + 1})" if len(loc) > 3 and isinstance(loc[3], int) else ""
        return f"{named}, field {loc[2]!r}{item}"
    if loc[0] == "stretches":
        return "the [[stretches]] list"
    return f"field {loc[0]!r}"


def read_toml(path: Path, what: str, pronoun: str) -> dict:
    """The shipped data file at ``path`` as a dict; ``what`` names it in the message ("The stretch library").

    Raises:
        LibraryInvalid: when the file is missing or is not valid UTF-8 TOML (the message gives the line).
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise LibraryInvalid(f"{what} {path} is missing; reinstall kneelog to restore {pronoun}.") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise LibraryInvalid(f"{what} {path} is not valid TOML: {e}.") from e


def load_library(path: Path | str | Traversable = DEFAULT_LIBRARY_PATH) -> StretchLibrary:
    """Read and check the stretch library TOML file.

    Args:
        path: the TOML file; default the library shipped in ``data/stretches.toml``.

    Returns:
        The library, stretches in file order.

    Raises:
        LibraryInvalid: when the file is missing, is not valid TOML (the message gives the line), or breaks a rule
            of :class:`StretchLibrary` (the message names each stretch by position and id, the field, and why).
    """
    path = Path(path) if isinstance(path, str) else path
    raw = read_toml(path, "The stretch library", "it")
    try:
        return StretchLibrary.model_validate(raw)
    except ValidationError as e:
        problems = "; ".join(f"{_where(err['loc'], raw)}: {_reason(err)}" for err in e.errors())
        raise LibraryInvalid(f"The stretch library {path} is malformed. {problems}.") from e


def routine_items(library: StretchLibrary) -> list[tuple[str, Side]]:
    """Every (stretch id, side) of "today's routine", in library order: the checklist a runner ticks."""
    return [(stretch.id, side) for stretch in library.stretches for side in stretch.sides]


def routine_size(library: StretchLibrary) -> int:
    """Stretch-sides in one full routine (nine for the shipped library: four stretches on each side and the
    wide-legged fold once): what the weekly stretch plan counts."""
    return len(routine_items(library))


def session_from_checked(
    library: StretchLibrary,
    checked: Iterable[tuple[str, str]],
    day: dt.date,
    notes: str = "",
    source: str = MANUAL,
    today: dt.date | None = None,
) -> StretchSession:
    """The stretch session made of the ticked (stretch id, side) pairs, validated like any other entry.

    Raises:
        EntryInvalid: when nothing is ticked, a pair is not in the library's routine, or the session breaks a rule
            of :class:`~kneelog.models.StretchSession` (for example a date in the future).
    """
    checked = list(checked)
    if not checked:
        raise EntryInvalid(
            StretchSession.label, {"items": "tick at least one stretch and side that you did"}, FIELD_LABELS
        )
    known = set(routine_items(library))
    unknown = [f"{stretch_id} ({side})" for stretch_id, side in checked if (stretch_id, side) not in known]
    if unknown:
        raise EntryInvalid(
            StretchSession.label, {"items": f"not in the stretch library: {', '.join(unknown)}"}, FIELD_LABELS
        )
    items = [{"stretch_id": stretch_id, "side": side} for stretch_id, side in checked]
    return parse_entry(StretchSession, {"date": day, "items": items, "notes": notes, "source": source}, today=today)


def done_on(
    stretch_items: pd.DataFrame, day: dt.date, library: StretchLibrary | None = None, session_id: int | None = None
) -> set[tuple[str, str]]:
    """The (stretch id, side) pairs already saved for ``day`` (only in session ``session_id`` when given), from a
    ``Store.frame("stretch_item")`` frame.

    With ``library``, a stretch the library does once for both legs (:attr:`Stretch.one_for_both`) saved on the left
    or the right (sessions saved before it was one fold) reads as ``(id, "both")``: done on either side, it is done.
    """
    on_day = stretch_items[stretch_items["date"].dt.date == day]
    if session_id is not None:
        on_day = on_day[on_day["session_id"] == session_id]
    both = {stretch.id for stretch in library.stretches if stretch.one_for_both} if library else set()
    return {(i, "both" if i in both else side) for i, side in zip(on_day["stretch_id"], on_day["side"], strict=True)}


def session_on(stretch_items: pd.DataFrame, day: dt.date) -> tuple[int | None, int]:
    """The stretch session that holds ``day``'s routine, and how many sessions that day has.

    One routine per day: saving again edits this session. When a day has several (saved before that rule), the
    newest (highest id) is the one to edit.

    Returns:
        ``(session id, sessions on the day)``; ``(None, 0)`` when nothing is saved for ``day``.
    """
    ids = stretch_items.loc[stretch_items["date"].dt.date == day, "session_id"].unique()
    if len(ids) == 0:
        return None, 0
    return int(max(ids)), len(ids)


def as_day_routine(session: StretchSession, stretch_items: pd.DataFrame) -> StretchSession:
    """``session`` as the routine of its day: one routine a day, so when the day already has a stretch session
    (:func:`session_on`: the newest), the same ticks and note as an edit of that session (its id); else ``session``.

    Args:
        session: the routine as ticked (:func:`session_from_checked`), without an id.
        stretch_items: a ``Store.frame("stretch_item")`` frame.

    Returns:
        A session to add (``id`` None) or to update (``id`` of the day's session).
    """
    session_id, _ = session_on(stretch_items, session.date)
    return session if session_id is None else session.model_copy(update={"id": session_id})


def suggested_dose(hold_seconds: int, reps_per_side: int) -> str:
    """The hold and repetitions of kneelog's suggestion in words, e.g. ``hold 30 s, 2 times on each side``."""
    times = "once" if reps_per_side == 1 else f"{reps_per_side} times"
    return f"hold {hold_seconds} s, {times} on each side"


def stretch_dose(stretch: Stretch, hold_seconds: int, reps_per_side: int) -> str:
    """kneelog's suggested dose for one stretch, in words: a hold (:func:`suggested_dose`, "on each side" dropped
    for a stretch done once for both legs) or, for a moving drill, its repetitions, e.g. ``10 slow repetitions on
    each side``."""
    if stretch.dose == "reps":
        each = "" if stretch.one_for_both else " on each side"
        return f"{stretch.reps} slow repetitions{each}"
    dose = suggested_dose(hold_seconds, reps_per_side)
    return dose.removesuffix(" on each side") if stretch.one_for_both else dose
