"""Garmin Connect: ``Activities.csv``, the export of the activities list (Activities > All Activities > Export CSV).

Facts this follows (see ``docs/formats.md``): English, Danish, German and Swedish headers; numbers in the
account's locale (``3,40`` km with ``2.932`` steps, or ``5.85`` with ``1,976`` kcal); ``--`` or ``NaN`` for missing;
``Date`` is local ``YYYY-MM-DD HH:MM:SS``; ``Time`` is ``hh:mm:ss``, ``hh:mm:ss.s`` or ``h:mm``; no activity id.
A run is timed by its ``Moving Time`` where the file has one (strength sessions write ``00:00:00`` there), else by
``Time``.
Distances are in the profile's unit, kilometres or miles, which the file does not name. kneelog decides only where
the file makes it certain -- steps times average stride length matches the distance in one unit only, or a distance
read as miles would beat the world record -- and otherwise asks the runner (:class:`~kneelog.errors.UnitsNeeded`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kneelog.errors import UnitsNeeded
from kneelog.importers.aliases import Format, Read, column
from kneelog.importers.canonical import iso, moving_for_runs, passed_through, synthetic_ids, wall_clock
from kneelog.importers.kinds import RUN
from kneelog.importers.values import Context, clock, datetimes, first_present, number, text
from kneelog.limits import MAX_SPEED_MS
from kneelog.units import METRES_PER_UNIT

DATE_STYLES = {"iso": ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "ISO8601")}
#: Steps x average stride length per unit of distance: stride in metres or feet, distance in km or miles.
STRIDE_PER_UNIT = {"km": (1000.0, 1000.0 / 0.3048), "mi": (1609.344, 5280.0)}
#: How close steps x stride must come to one of those, and in what share of runs, to be certain.
STRIDE_TOLERANCE = 0.12
STRIDE_AGREEMENT = 0.8

COLUMNS = (
    column(
        "activity_type",
        text,
        required=True,
        en="Activity Type",
        da="Aktivitetstype",
        de="Aktivitätstyp",
        sv="Aktivitetstyp",
    ),
    column("start", datetimes(DATE_STYLES), required=True, en="Date", da="Dato", de="Datum", sv="Datum"),
    column("favorite", text, required=True, en="Favorite", da="Favorit", de="Favorit", sv="Favorit"),
    column("name", text, en="Title", da="Titel", de="Titel", sv="Namn"),
    column("distance", number, required=True, en="Distance", da="Distance", de="Distanz", sv="Distans"),
    column("time", clock("h:mm"), required=True, en="Time", da="Tid", de="Zeit", sv="Tid"),
    column(
        "elapsed",
        clock("h:mm"),
        en="Elapsed Time",
        da="Forløbet tid",
        de=("Verstrichene Zeit", "Gesamtzeit"),
        sv="Förfluten tid",
    ),
    column("moving", clock("h:mm"), en="Moving Time", da="Tid i bevægelse"),
    column("steps", number, en="Steps", da="Skridt", de="Schritte", sv="Steg"),
    column(
        "stride",
        number,
        en="Avg Stride Length",
        da=("Gns. skridtlængde", "Gennemsnitlig skridtlængde"),
        de=("Ø Schrittlänge", "Durchschnittliche Schrittlänge"),
        sv=("Genomsnittlig steglängd", "Medelsteglängd"),
    ),
)


def infer_units(distance: pd.Series, duration: pd.Series, steps: pd.Series, stride: pd.Series) -> str | None:
    """The distance unit where the file makes it certain, else None.

    Certain means: in at least 80% of runs with steps and stride length, steps x stride lies within 12% of the
    distance in one unit (stride in metres or feet) and of no other; or some run read as miles would be faster
    than :data:`~kneelog.limits.MAX_SPEED_MS`, so the file cannot be in miles.
    """
    usable = distance.gt(0) & steps.gt(0) & stride.gt(0)
    if usable.any():
        ratio = (steps * stride / distance)[usable]
        close = {
            unit: np.logical_or.reduce([((ratio / t) - 1).abs().le(STRIDE_TOLERANCE) for t in targets])
            for unit, targets in STRIDE_PER_UNIT.items()
        }
        agreeing = [unit for unit, hits in close.items() if hits.mean() >= STRIDE_AGREEMENT]
        if len(agreeing) == 1:
            return agreeing[0]
    as_miles = distance * METRES_PER_UNIT["mi"] / duration
    if as_miles.gt(MAX_SPEED_MS).any():
        return "km"
    return None


def build(read: Read, kinds: pd.Series, ctx: Context) -> tuple[Read, str | None]:
    """Canonical fields: local dates, the distance unit (certain or the runner's), ids from the start time, and
    seconds: a run's Moving Time where it is given and fits (:func:`~kneelog.importers.canonical.moving_for_runs`),
    else Time (else Elapsed Time), which gym sessions keep.

    Raises:
        UnitsNeeded: when runs have distances and the unit is neither certain nor chosen, or the choice contradicts
            what the file makes certain.
    """
    start, date = wall_clock(read["start"], ctx)
    duration = first_present(read["time"], read.get("elapsed"))
    distance = read["distance"]
    fields = passed_through(read)
    fields |= {"start": start, "date": date, "duration_s": duration}
    fields["source_id"] = synthetic_ids(read["start"], iso(read["start"]))
    runs = (kinds == RUN) & distance.values.gt(0)
    if not runs.any():
        return fields | {"distance_m": distance.derive(distance.values * 1000.0)}, None
    unknown = pd.Series(np.nan, index=kinds.index)
    certain = infer_units(
        distance.values[runs],
        duration.values[runs],
        read["steps"].values[runs] if "steps" in read else unknown[runs],
        read["stride"].values[runs] if "stride" in read else unknown[runs],
    )
    names = {"km": "kilometres", "mi": "miles"}
    if certain and ctx.units and certain != ctx.units:
        raise UnitsNeeded(
            ctx.file,
            f"you chose {names[ctx.units]}, but the steps, stride lengths and paces in this file show {names[certain]}",
            f"Choose {names[certain]} (or let kneelog decide).",
            column=distance.header,
        )
    units = certain or ctx.units
    if units is None:
        raise UnitsNeeded(
            ctx.file,
            "Garmin Connect writes distances in your profile's unit without naming it, and nothing in this file "
            "settles whether that is kilometres or miles",
            "Choose kilometres or miles (Units on the Import page, or --units km|mi).",
            column=distance.header,
        )
    metres = distance.derive(distance.values * METRES_PER_UNIT[units])
    duration = moving_for_runs(duration, read.get("moving"), kinds, metres)
    return fields | {"distance_m": metres, "duration_s": duration}, units


HOW_TO_EXPORT = (
    "Garmin Connect website: Activities > All Activities, scroll to load the whole list, then Export CSV "
    "(top right). Upload Activities.csv."
)
FORMAT = Format("garmin", "Garmin Connect export", COLUMNS, build, HOW_TO_EXPORT)
