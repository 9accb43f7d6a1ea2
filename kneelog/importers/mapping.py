"""Any other CSV, through a column mapping the runner makes once: which column holds the date, distance (and its
unit), duration (and its form) and type. The mapping is stored keyed by the file's header (:func:`header_key`), so
the next file with the same columns is read without asking.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from kneelog.importers.aliases import Format, Read, column, normalise
from kneelog.importers.canonical import constant, default_kinds, iso, passed_through, synthetic_ids, wall_clock
from kneelog.importers.kinds import GYM, RUN
from kneelog.importers.values import GENERIC_STYLES, Context, Converter, clock, datetimes, number, number_with, text
from kneelog.units import METRES_PER_UNIT

DISTANCE_UNITS = {"km": "kilometres", "mi": "miles", "m": "metres"}
DURATION_FORMS = {"clock": "h:mm:ss or mm:ss", "s": "seconds", "min": "minutes", "h": "hours"}
DATE_ORDERS = {
    "auto": "decide from the file",
    "dmy": "day/month/year",
    "mdy": "month/day/year",
    "ymd": "year/month/day",
}
DECIMALS = {"auto": "decide from the file", ",": "comma (3,40)", ".": "point (3.40)"}
#: What every row is, in a file without a type column.
EVERY_ROW = {RUN: "Run", GYM: "Strength"}


class ColumnMapping(BaseModel):
    """Which header holds what, and how to read it. Column names are as written in the file's header."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    label: ClassVar[str] = "column mapping"

    date: str
    time: str | None = None
    distance: str | None = None
    distance_unit: Literal["km", "mi", "m"] = "km"
    duration: str
    duration_unit: Literal["clock", "s", "min", "h"] = "clock"
    activity_type: str | None = None
    every_row: Literal["run", "gym"] = RUN
    rpe: str | None = None
    name: str | None = None
    date_order: Literal["auto", "dmy", "mdy", "ymd"] = "auto"
    decimal: Literal["auto", ",", "."] = "auto"

    @model_validator(mode="after")
    def _runs_need_distance(self) -> ColumnMapping:
        if self.distance is None and (self.activity_type is not None or self.every_row == RUN):
            raise ValueError("choose the distance column: runs need a distance")
        return self

    def columns(self) -> list[str]:
        """The header names this mapping uses."""
        names = (self.date, self.time, self.distance, self.duration, self.activity_type, self.rpe, self.name)
        return [n for n in names if n]


def header_key(header: Sequence[str]) -> str:
    """A stable key of a header (names normalised, order kept): files with the same columns share a mapping."""
    return hashlib.sha256("\x1f".join(normalise(h) for h in header).encode()).hexdigest()


def format_for(mapping: ColumnMapping) -> Format:
    """A :class:`~kneelog.importers.aliases.Format` that reads a file by this mapping."""
    order = mapping.date_order
    styles = GENERIC_STYLES if order == "auto" else {order: GENERIC_STYLES[order]}
    amount = number if mapping.decimal == "auto" else number_with(mapping.decimal)
    durations: dict[str, Converter] = {"clock": clock("m:ss"), "s": amount, "min": amount, "h": amount}
    factor = {"clock": 1.0, "s": 1.0, "min": 60.0, "h": 3600.0}[mapping.duration_unit]
    columns = [
        column("start", datetimes(styles), required=True, any=mapping.date),
        column("duration_raw", durations[mapping.duration_unit], required=True, any=mapping.duration),
    ]
    optional = {
        "time": (mapping.time, text),
        "distance_raw": (mapping.distance, amount),
        "activity_type": (mapping.activity_type, text),
        "rpe": (mapping.rpe, amount),
        "name": (mapping.name, text),
    }
    for name, (header, convert) in optional.items():
        if header:
            columns.append(column(name, convert, required=True, any=header))

    def build(read: Read, kinds: pd.Series, ctx: Context) -> tuple[Read, str | None]:
        naive = read["start"]
        if "time" in read:
            combined = naive.raw.str.strip() + " " + read["time"].values
            naive = datetimes(styles)(combined, ctx, naive.header)
        start, date = wall_clock(naive, ctx)
        fields = passed_through(read)
        if "activity_type" not in fields:
            fields["activity_type"] = constant(naive, EVERY_ROW[mapping.every_row])
        duration = read["duration_raw"]
        fields["duration_s"] = duration.derive(duration.values * factor)
        if "distance_raw" in read:
            distance = read["distance_raw"]
            fields["distance_m"] = distance.derive(distance.values * _metres(mapping.distance_unit))
        ids = synthetic_ids(naive, iso(naive), fields["activity_type"].values)
        return fields | {"start": start, "date": date, "source_id": ids}, None

    def kinds(read: Read) -> tuple[pd.Series, pd.Series]:
        if "activity_type" in read:
            return default_kinds(read)
        index = read["start"].values.index
        return pd.Series(mapping.every_row, index=index), pd.Series(EVERY_ROW[mapping.every_row], index=index)

    how = "Any CSV with one activity per row: a date, a duration, and for runs a distance."
    return Format("mapping", "CSV file (your column mapping)", tuple(columns), build, how, kinds, source="csv")


def _metres(unit: str) -> float:
    return 1.0 if unit == "m" else METRES_PER_UNIT[unit]


#: Words that suggest what a column holds, for the first guess of a mapping form (the runner confirms it).
HINTS: dict[str, str] = {
    "date": r"date|datum|dato|\bday\b|\btag\b|jour|when",
    "distance": r"distan|strecke|\bkm\b|miles|\bmi\b|meter|metre",
    "duration": r"duration|dauer|durée|\bzeit\b|\btid\b|\btime\b|temps|elapsed|moving|minut|second|hours",
    "activity_type": r"type|\btyp|sport|activit|aktivit|\bart\b|kind",
    "rpe": r"\brpe\b|effort|exertion|anstrengung|borg|intensit",
    "name": r"name|title|titel|titre|namn|note|notiz|comment|kommentar",
}


def suggest(header: Sequence[str]) -> dict[str, str]:
    """A first guess of a mapping from the column names (each column used once); units from the names too."""
    free = list(header)
    guess: dict[str, str] = {}
    for field, pattern in HINTS.items():
        hit = next((h for h in free if re.search(pattern, normalise(h))), None)
        if hit is not None:
            guess[field] = hit
            free.remove(hit)
    distance = normalise(guess.get("distance", ""))
    if re.search(r"\bmi\b|mile", distance):
        guess["distance_unit"] = "mi"
    elif re.search(r"\(m\)|\bmeter|\bmetre", distance):
        guess["distance_unit"] = "m"
    duration = normalise(guess.get("duration", ""))
    for unit, pattern in (("s", r"\(s\)|sec"), ("min", r"\(min\)|minut"), ("h", r"\(h\)|hour|stunde")):
        if re.search(pattern, duration):
            guess["duration_unit"] = unit
    return guess
