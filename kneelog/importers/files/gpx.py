"""GPX tracks (Strava's GPX export, phone apps, TomTom and older watches), read with ``gpxpy``.

A GPX file carries points, not totals, so everything is worked out from the track: the start and elapsed time from
the first and last point times, the distance as the sum of great-circle steps within each track segment (a new
segment starts where reception was lost or the recording paused, so the gap between segments is not counted) by the
haversine formula (R. W. Sinnott, "Virtues of the haversine", Sky and Telescope 68(2):159, 1984) as ``gpxpy``
computes it, with an Earth radius of 6,378.137 km (0.1 % longer than with the mean radius), the moving time and
ascent as ``gpxpy`` works them out, and heart rate from the Garmin track-point extension (``gpxtpx:hr``, whatever
its prefix). The sport is the track's ``<type>`` (Strava's numeric codes read as their names), else its name where
that names one ("Running"); a track with neither is left out for want of a sport.

GPX is untrusted XML: a file with a document type declaration (where entities would be defined) is refused before
parsing, so no entity is ever expanded and nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import re

import gpxpy
import gpxpy.geo
import gpxpy.gpx

from kneelog.errors import FileEmpty, FileMalformed, FileRejected
from kneelog.importers.files.summary import Activity, heart_rate
from kneelog.importers.kinds import OTHER, kind_of_type

#: Strava's GPX exports write the activity type as a number; those seen in real exports (tests/data/devices).
STRAVA_TYPES = {"1": "Ride", "9": "Run"}
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([\w.-]+)[\"']")
_EXPORT_AGAIN = "Export the activity again from the app or the platform and upload the new copy."


def read(member: str, data: bytes) -> list[Activity]:
    """The activity of a GPX file (all its tracks together).

    Raises:
        FileMalformed: when it is not well-formed GPX, declares a document type, or a point is off the globe.
        FileEmpty: when it holds no track points.
        FileRejected: when its points carry no times.
    """
    track = _parse(member, data)
    points = [(p, s) for s, segment in enumerate(_segments(track)) for p in segment.points]
    if not points:
        raise FileEmpty(member, "the GPX file holds no track points (a route or waypoints only)", _EXPORT_AGAIN)
    if not all(-90 <= p.latitude <= 90 and -180 <= p.longitude <= 180 for p, _ in points):
        raise FileMalformed(member, "a track point lies outside the Earth's latitudes or longitudes", _EXPORT_AGAIN)
    timed = [p for p, _ in points if p.time is not None]
    if not timed:
        raise FileRejected(
            member,
            "the GPX track has no times, so kneelog cannot tell when the activity was or how long it took",
            "Export the activity itself (not a route or a planned course) from the app or the platform.",
        )
    bounds = track.get_time_bounds()
    start, end = _utc(bounds.start_time), _utc(bounds.end_time)
    seconds = [_utc(p.time).timestamp() for p in timed]
    bpm = [_bpm(p) for p in timed]
    hr_seconds, hr_avg, hr_max = heart_rate(seconds, bpm)
    moving = track.get_moving_data()
    elevations = [p.elevation for p, _ in points if p.elevation is not None]
    kind, name = _sport(track)
    return [
        Activity(
            member=member,
            format="gpx",
            activity_type=kind,
            start_utc=start,
            local_start=_local(bounds.start_time),
            elapsed_s=(end - start).total_seconds(),
            moving_s=float(moving.moving_time) if moving is not None else None,
            distance_m=_distance(points),
            elevation_gain_m=track.get_uphill_downhill().uphill if elevations else None,
            hr_avg=hr_avg,
            hr_max=hr_max,
            hr_seconds=hr_seconds,
            name=name,
        )
    ]


def _parse(member: str, data: bytes) -> gpxpy.gpx.GPX:
    if _DTD.search(data):
        raise FileMalformed(
            member, "the GPX file declares a document type, which no GPS device writes; it is not read", _EXPORT_AGAIN
        )
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    declared = _DECLARED.match(data)
    try:
        text = data.decode(declared.group(1).decode("ascii") if declared else "utf-8")
    except (LookupError, UnicodeDecodeError) as e:
        raise FileMalformed(member, "the GPX file's text is not in the encoding it declares", _EXPORT_AGAIN) from e
    try:
        return gpxpy.parse(text)
    except (gpxpy.gpx.GPXException, ValueError) as e:
        raise FileMalformed(member, f"the GPX file is not well-formed ({_first_line(e)})", _EXPORT_AGAIN) from e


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:120] if str(error) else type(error).__name__


def _segments(track: gpxpy.gpx.GPX) -> list[gpxpy.gpx.GPXTrackSegment]:
    return [segment for t in track.tracks for segment in t.segments]


def _utc(moment: dt.datetime) -> dt.datetime:
    """A GPX time in UTC; one written without a zone is UTC, as the GPX schema says."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _local(moment: dt.datetime) -> dt.datetime | None:
    """The device's wall-clock time when the file writes its times with a non-zero UTC offset, else None."""
    offset = moment.utcoffset()
    return moment.replace(tzinfo=None) if offset else None


def _bpm(point: gpxpy.gpx.GPXTrackPoint) -> float:
    """The heart rate of a track point from its extensions (``<gpxtpx:hr>``, any prefix), else NaN."""
    for extension in point.extensions:
        for element in extension.iter():
            if element.tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1] in ("hr", "heartrate") and element.text:
                try:
                    return float(element.text)
                except ValueError:
                    return float("nan")
    return float("nan")


def _distance(points: list[tuple[gpxpy.gpx.GPXTrackPoint, int]]) -> float:
    """Metres along the track: haversine steps between consecutive points of the same segment."""
    total = 0.0
    for (a, sa), (b, sb) in zip(points, points[1:], strict=False):
        if sa == sb:
            total += gpxpy.geo.haversine_distance(a.latitude, a.longitude, b.latitude, b.longitude)
    return total


def _sport(track: gpxpy.gpx.GPX) -> tuple[str, str]:
    """The activity type and the activity's name: ``<type>`` (Strava's codes named), else the track's name where it
    names a sport ("Running", "Morning Run"), else '' (no sport)."""
    names = [t.name.strip() for t in track.tracks if t.name and t.name.strip()]
    name = names[0] if names else (track.name or "").strip()
    types = [t.type.strip() for t in track.tracks if t.type and t.type.strip()]
    if types:
        code = types[0]
        return (STRAVA_TYPES.get(code, f"Strava type {code}") if code.isdigit() else code), name
    return (name if kind_of_type(name) != OTHER else ""), name
