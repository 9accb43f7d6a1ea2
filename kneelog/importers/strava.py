"""Strava bulk export: ``activities.csv`` (Settings > My Account > Download or delete your account > Request archive).

Facts this follows (see ``docs/formats.md``): English, German and French headers; 86 to 103 columns by
export date; ``Activity Date`` is UTC, written in the account's style (``Oct 10, 2016, 8:55:48 PM``,
``22 May 2024, 08:19:26``, ``20.09.2026, 14:12:12``); ``Distance`` and ``Elapsed Time`` appear twice: the second
``Distance`` is metres (the first is in the athlete's display unit) and the first ``Elapsed Time`` is whole seconds.
``Moving Time`` (seconds) times runs where it is given. Localized files write decimal commas. Effort is
``Perceived Exertion`` (1-10, often empty).
"""

from __future__ import annotations

import pandas as pd

from kneelog.errors import UnitsNeeded
from kneelog.importers.aliases import Format, Read, column
from kneelog.importers.canonical import from_utc, moving_for_runs, passed_through
from kneelog.importers.kinds import RUN
from kneelog.importers.values import Context, datetimes, first_present, number, text
from kneelog.units import METRES_PER_UNIT

#: Activity Date styles: as Strava writes them, then after month names are turned into English and commas dropped.
DATE_STYLES = {
    "en-US": ("%b %d, %Y, %I:%M:%S %p", "%b %d %Y %I:%M:%S %p", "%b %d %Y %I:%M %p"),
    "en-GB": ("%d %b %Y, %H:%M:%S", "%d %b %Y %H:%M:%S", "%d %b %Y %H:%M"),
    "de": ("%d.%m.%Y, %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d. %b %Y %H:%M:%S"),
    "iso": ("%Y-%m-%d %H:%M:%S", "ISO8601"),
}

COLUMNS = (
    column("source_id", text, required=True, en="Activity ID", de="Aktivitäts-ID", fr="ID de l'activité"),
    column(
        "start",
        datetimes(DATE_STYLES, tidy=True),
        required=True,
        en="Activity Date",
        de="Aktivitätsdatum",
        fr="Date de l'activité",
    ),
    column("name", text, en="Activity Name", de="Name der Aktivität", fr="Nom de l'activité"),
    column("activity_type", text, required=True, en="Activity Type", de="Aktivitätsart", fr="Type d'activité"),
    column("description", text, en="Activity Description", de="Aktivitätsbeschreibung", fr="Description de l'activité"),
    column("distance_m", number, en="Distance#2", de="Distanz#2", fr="Distance#2"),
    column("distance", number, required=True, en="Distance", de="Distanz", fr="Distance"),
    column(
        "elapsed_s",
        number,
        required=True,
        en=("Elapsed Time", "Elapsed Time#2"),
        de=("Verstrichene Zeit", "Verstrichene Zeit#2"),
        fr=("Temps écoulé", "Temps écoulé#2"),
    ),
    column("moving_s", number, en="Moving Time", de=("Bewegungszeit", "Zeit in Bewegung"), fr="Temps de déplacement"),
    column(
        "rpe",
        number,
        en="Perceived Exertion",
        de=("Empfundene Anstrengung", "Wahrgenommene Anstrengung", "Gefühlte Anstrengung"),
        fr=("Effort perçu", "Effort ressenti"),
    ),
)


def build(read: Read, kinds: pd.Series, ctx: Context) -> tuple[Read, str | None]:
    """Canonical fields: UTC dates to the runner's zone, metres from the second Distance, and seconds: a run's
    Moving Time where it is given and fits (:func:`~kneelog.importers.canonical.moving_for_runs`), else the first
    Elapsed Time, which gym sessions always keep.

    Raises:
        UnitsNeeded: when only the display-unit Distance is there, runs have distances, and no unit was chosen.
    """
    fields, units = _fields(read, kinds, ctx)
    duration = moving_for_runs(fields["duration_s"], read.get("moving_s"), kinds, fields["distance_m"])
    return fields | {"duration_s": duration}, units


def _fields(read: Read, kinds: pd.Series, ctx: Context) -> tuple[Read, str | None]:
    """Canonical fields, durations all elapsed (else moving) seconds; see :func:`build`.

    Of the two Distance columns the second is metres; where both have values the metres are also the larger
    numbers (1000 or 1609 times the display unit), so a file with the columns the other way round reads right too.

    Raises:
        UnitsNeeded: when only the display-unit Distance is there, runs have distances, and no unit was chosen.
    """
    start, date = from_utc(read["start"], ctx)
    fields = passed_through(read)
    fields |= {"start": start, "date": date, "duration_s": first_present(read.get("elapsed_s"), read.get("moving_s"))}
    distance = read["distance"]
    if "distance_m" in read:
        metres = read["distance_m"]
        both = metres.values.gt(0) & distance.values.gt(0)
        if both.any() and (metres.values[both] / distance.values[both]).median() < 1:
            metres = distance  # the two columns come the other way round: metres are the larger numbers
        return fields | {"distance_m": metres}, None
    if ((kinds == RUN) & distance.values.gt(0)).any():
        if ctx.units is None:
            raise UnitsNeeded(
                ctx.file,
                "this Strava export has one Distance column, in your Strava display unit, which the file does not name",
                "Choose kilometres or miles (Units on the Import page, or --units km|mi).",
                column=distance.header,
            )
        return fields | {"distance_m": distance.derive(distance.values * METRES_PER_UNIT[ctx.units])}, ctx.units
    return fields | {"distance_m": distance}, None


HOW_TO_EXPORT = (
    "Strava website: Settings > My Account > Download or delete your account > Request your archive. "
    "Upload the archive (export_....zip) as it is: kneelog reads activities.csv and each activity's file inside it "
    "(its heart rate), or upload activities.csv alone."
)
FORMAT = Format("strava", "Strava export", COLUMNS, build, HOW_TO_EXPORT)
