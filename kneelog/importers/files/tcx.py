"""TCX activities (Garmin Connect's and Strava's TCX exports, TomTom, Polar), read as untrusted XML with defusedxml.

One :class:`~kneelog.importers.files.summary.Activity` per ``<Activity>``: its ``Sport`` attribute (``Running``,
``Biking``, ``Other``), its ``<Id>`` as the start, the laps' totals (timer time, distance, heart rates) and the track
points' times, heart rates and altitudes. Elements are matched by local name, so any namespace prefix works
(``ns3:TPX``, ``x:TPX``); the file is read as a stream (each track point is dropped once read), leading whitespace
before the XML declaration (Strava) is skipped, and a document type declaration is refused (defusedxml): no entity
is expanded and nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree as SafeET
import gpxpy.geo

from kneelog.errors import FileEmpty, FileMalformed, FileRejected
from kneelog.importers.files.summary import Activity, heart_rate

_EXPORT_AGAIN = "Export the activity again from the app or the platform and upload the new copy."


@dataclass
class _Lap:
    start: dt.datetime | None = None
    seconds: float | None = None
    metres: float | None = None
    hr_avg: float | None = None
    hr_max: float | None = None


@dataclass
class _Recording:
    """One ``<Activity>`` as it is read: its laps and track-point columns."""

    sport: str = ""
    start: dt.datetime | None = None
    laps: list[_Lap] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    bpm: list[float] = field(default_factory=list)
    altitude: list[float] = field(default_factory=list)
    metres: list[float] = field(default_factory=list)
    positions: list[tuple[float, float]] = field(default_factory=list)
    last: dt.datetime | None = None


def read(member: str, data: bytes) -> list[Activity]:
    """The activities of a TCX file.

    Raises:
        FileMalformed: when it is not well-formed XML, declares a document type, or a value is not a number or time.
        FileEmpty: when it holds no activity (a course or a workout plan).
        FileRejected: when an activity has no time at all.
    """
    recordings = _recordings(member, data)
    if not recordings:
        raise FileEmpty(member, "the TCX file holds no activity (a course or a workout plan only)", _EXPORT_AGAIN)
    return [_activity(member, r) for r in recordings]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _recordings(member: str, data: bytes) -> list[_Recording]:
    stream = io.BytesIO(data.removeprefix(b"\xef\xbb\xbf").lstrip())
    found: list[_Recording] = []
    current = _Recording()
    try:
        for event, element in SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True):
            name = _local(element.tag)
            if event == "start":
                if name == "Activity":
                    current = _Recording(sport=element.get("Sport", "").strip())
                continue
            if name == "Trackpoint":
                _trackpoint(current, element)
                element.clear()
            elif name == "Lap":
                current.laps.append(_lap(element))
                element.clear()
            elif name == "Id" and current.start is None:
                current.start = _time(element.text)
            elif name == "Activity":
                found.append(current)
                element.clear()
    except defusedxml.DefusedXmlException as e:
        raise FileMalformed(
            member,
            "the TCX file declares a document type or entities, which no device writes; it is not read",
            _EXPORT_AGAIN,
        ) from e
    except ET.ParseError as e:
        raise FileMalformed(member, f"the TCX file is not well-formed XML ({e})", _EXPORT_AGAIN) from e
    except ValueError as e:
        raise FileMalformed(member, f"the TCX file holds a value that cannot be read ({e})", _EXPORT_AGAIN) from e
    return found


def _time(text: str | None) -> dt.datetime | None:
    """An ISO time (``2018-11-25T07:20:49.000Z``); one without a zone is UTC, as TCX times are."""
    if not text or not text.strip():
        return None
    moment = dt.datetime.fromisoformat(text.strip())
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _number(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _value(element: ET.Element) -> float | None:
    """The number in ``<HeartRateBpm><Value>141</Value></HeartRateBpm>``."""
    return next((_number(child.text) for child in element if _local(child.tag) == "Value"), None)


def _trackpoint(recording: _Recording, point: ET.Element) -> None:
    moment = bpm = altitude = metres = lat = lon = None
    for child in point:
        name = _local(child.tag)
        if name == "Time":
            moment = _time(child.text)
        elif name == "HeartRateBpm":
            bpm = _value(child)
        elif name == "AltitudeMeters":
            altitude = _number(child.text)
        elif name == "DistanceMeters":
            metres = _number(child.text)
        elif name == "Position":
            degrees = {_local(c.tag): _number(c.text) for c in child}
            lat, lon = degrees.get("LatitudeDegrees"), degrees.get("LongitudeDegrees")
    if altitude is not None:
        recording.altitude.append(altitude)
    if metres is not None:
        recording.metres.append(metres)
    if lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180:
        recording.positions.append((lat, lon))
    if moment is not None:
        recording.times.append(moment.timestamp())
        recording.bpm.append(bpm if bpm is not None else math.nan)
        recording.last = moment if recording.last is None else max(recording.last, moment)


def _lap(lap: ET.Element) -> _Lap:
    out = _Lap(start=_time(lap.get("StartTime")))
    for child in lap:
        name = _local(child.tag)
        if name == "TotalTimeSeconds":
            out.seconds = _number(child.text)
        elif name == "DistanceMeters":
            out.metres = _number(child.text)
        elif name == "AverageHeartRateBpm":
            out.hr_avg = _value(child)
        elif name == "MaximumHeartRateBpm":
            out.hr_max = _value(child)
    return out


def _activity(member: str, r: _Recording) -> Activity:
    starts = [t for t in (r.start, *(lap.start for lap in r.laps)) if t is not None]
    start = starts[0] if starts else (dt.datetime.fromtimestamp(min(r.times), dt.UTC) if r.times else None)
    if start is None:
        raise FileRejected(member, "the TCX activity has no start time", _EXPORT_AGAIN)
    ends = [lap.start + dt.timedelta(seconds=lap.seconds) for lap in r.laps if lap.start and lap.seconds is not None]
    ends += [r.last] if r.last is not None else []
    timed = [lap for lap in r.laps if lap.seconds is not None]
    hr_seconds, hr_avg, hr_max = heart_rate(r.times, r.bpm, _lap_average(r.laps), _lap_maximum(r.laps))
    offset = start.utcoffset()
    return Activity(
        member=member,
        format="tcx",
        activity_type=r.sport,
        start_utc=start.astimezone(dt.UTC),
        local_start=start.replace(tzinfo=None) if offset else None,
        elapsed_s=(max(ends) - start).total_seconds() if ends else None,
        moving_s=sum(lap.seconds for lap in timed) if timed else None,
        distance_m=_distance(r),
        elevation_gain_m=gpxpy.geo.calculate_uphill_downhill(r.altitude)[0] if r.altitude else None,
        hr_avg=hr_avg,
        hr_max=hr_max,
        hr_seconds=hr_seconds,
    )


def _lap_average(laps: list[_Lap]) -> float | None:
    """The laps' average heart rates weighted by their times, when every lap gives both."""
    if not laps or any(lap.hr_avg is None or not lap.seconds for lap in laps):
        return None
    return sum(lap.hr_avg * lap.seconds for lap in laps) / sum(lap.seconds for lap in laps)


def _lap_maximum(laps: list[_Lap]) -> float | None:
    tops = [lap.hr_max for lap in laps if lap.hr_max is not None]
    return max(tops) if tops else None


def _distance(r: _Recording) -> float | None:
    """The laps' distances added up, else the last track-point distance, else haversine steps between positions."""
    laps = [lap.metres for lap in r.laps if lap.metres is not None]
    if laps and sum(laps) > 0:
        return sum(laps)
    if r.metres:
        return max(r.metres)
    if len(r.positions) > 1:
        return sum(gpxpy.geo.haversine_distance(*a, *b) for a, b in zip(r.positions, r.positions[1:], strict=False))
    return None
