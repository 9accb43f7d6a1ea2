"""FIT activity files (Garmin, Coros, Wahoo, Stryd, Strava's app and most watches), read with ``fitdecode``.

One :class:`~kneelog.importers.files.summary.Activity` per ``session`` message: a run is one session, a triathlon
one per sport, so the run of a multisport file is kept and its swim and ride are left out by type. Totals come from
the session (``total_distance``, ``total_elapsed_time``, ``total_timer_time``, ``total_ascent``, heart rates), the
heart-rate samples from the ``record`` messages inside the session's time. Quirks handled (see
``tests/data/devices/SOURCES.md``):

- chained FIT files (several FIT headers in one file) are read whole;
- developer fields (Stryd's power, Strava's device fields) are decoded or skipped, never fatal;
- times below ``0x10000000`` count seconds from when the device was switched on, not dates: the start is then
  taken from the ``activity`` message's ``local_timestamp`` (the device's clock at the end), less the time between;
- ``activity.local_timestamp`` against ``activity.timestamp`` gives the device's UTC offset, so the day and time of
  day are the ones the runner's watch showed;
- a file cut off, with a wrong checksum or damaged on the way is refused with the byte where reading stopped
  (summaries read before the damage are not trusted either).
"""

from __future__ import annotations

import datetime as dt
import io
import struct

import fitdecode
import numpy as np

from kneelog.errors import FileEmpty, FileMalformed, FileRejected
from kneelog.importers.files.summary import Activity, heart_rate, number, utc_offset

#: FIT ``date_time`` values below this are seconds since the device was switched on (FIT SDK profile, date_time).
SYSTEM_TIME = 0x10000000
#: FIT file types that are not recorded activities, with the words a runner knows them by.
_NOT_ACTIVITY = {
    "course": "a course",
    "workout": "a planned workout",
    "settings": "device settings",
    "sport": "a sport profile",
    "monitoring_a": "all-day monitoring",
    "monitoring_b": "all-day monitoring",
    "monitoring_daily": "all-day monitoring",
    "totals": "lifetime totals",
    "goals": "goals",
    "schedules": "a training plan",
    "segment": "a segment",
}
_EXPORT_AGAIN = "Export the activity again from the watch's app or the platform and upload the new copy."
#: Errors fitdecode and the struct module raise on damaged bytes (fitdecode reads with struct).
_DAMAGE = (fitdecode.FitError, struct.error, EOFError, ValueError, OverflowError)


class _Messages:
    """What kneelog needs of a FIT file: sessions, the activity message, and records as columns."""

    def __init__(self) -> None:
        self.file_type: object = None
        self.sessions: list[dict[str, object]] = []
        self.activity: dict[str, object] = {}
        self.times: list[float] = []
        self.bpm: list[float] = []
        self.distance: list[float] = []


def read(member: str, data: bytes) -> list[Activity]:
    """The activities of a FIT file, one per session.

    Raises:
        FileMalformed: when the file is cut off, its checksum is wrong or its bytes are damaged.
        FileEmpty: when it is not a recorded activity (a course, settings) or holds no session.
        FileRejected: when it gives no date for its start.
    """
    messages = _messages(member, data)
    if messages.file_type in _NOT_ACTIVITY:
        raise FileEmpty(
            member,
            f"this FIT file holds {_NOT_ACTIVITY[str(messages.file_type)]}, not a recorded activity",
            "Upload the activity's own file.",
        )
    if not messages.sessions:
        raise FileEmpty(member, "the FIT file has no session: it holds no finished activity", _EXPORT_AGAIN)
    times = np.asarray(messages.times, dtype="float64")
    bpm = np.asarray(messages.bpm, dtype="float64")
    distance = np.asarray(messages.distance, dtype="float64")
    return [_activity(member, session, messages.activity, times, bpm, distance) for session in messages.sessions]


def _messages(member: str, data: bytes) -> _Messages:
    out = _Messages()
    reader = fitdecode.FitReader(
        io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.IGNORE
    )
    try:
        with reader as fit:
            for frame in fit:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                name = frame.name
                if name == "record":
                    _record(out, frame)
                elif name == "session":
                    out.sessions.append({f.name: f.value for f in frame.fields})
                elif name == "activity":
                    out.activity = {f.name: f.value for f in frame.fields}
                elif name == "file_id" and out.file_type is None:
                    out.file_type = frame.get_value("type", fallback=None)
    except fitdecode.FitHeaderError as e:
        raise FileMalformed(member, f"the FIT header is damaged ({e})", _EXPORT_AGAIN) from e
    except fitdecode.FitCRCError as e:
        raise FileMalformed(member, "the file's checksum does not match its content", _EXPORT_AGAIN) from e
    except fitdecode.FitEOFError as e:
        raise FileMalformed(member, f"the file is cut off: it ends at byte {e.offset + e.got:,}", _EXPORT_AGAIN) from e
    except fitdecode.FitParseError as e:
        raise FileMalformed(member, f"the file is damaged at byte {e.offset:,}", _EXPORT_AGAIN) from e
    except _DAMAGE as e:
        raise FileMalformed(member, f"the file is damaged ({type(e).__name__})", _EXPORT_AGAIN) from e
    return out


def _record(out: _Messages, frame: fitdecode.FitDataMessage) -> None:
    """One sample: its time, heart rate and distance so far (NaN where absent)."""
    t = hr = metres = None
    for f in frame.fields:
        name = f.name
        if name == "timestamp":
            t = f.value
        elif name == "heart_rate":
            hr = f.value
        elif name == "distance":
            metres = f.value
    seconds = _seconds(t)
    if seconds is None:
        return
    out.times.append(seconds)
    out.bpm.append(number(hr) if number(hr) is not None else np.nan)
    out.distance.append(number(metres) if number(metres) is not None else np.nan)


def _seconds(value: object) -> float | None:
    """A FIT time as seconds: since 1970 for dates, since power-on for device times (both only compared)."""
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return None


def _activity(
    member: str,
    session: dict[str, object],
    activity: dict[str, object],
    times: np.ndarray,
    bpm: np.ndarray,
    distance: np.ndarray,
) -> Activity:
    start, start_utc, local_start = _start(member, session, activity)
    elapsed = number(session.get("total_elapsed_time"))
    if elapsed is None and _seconds(session.get("timestamp")) is not None:
        elapsed = _seconds(session.get("timestamp")) - start
    moving = number(session.get("total_moving_time")) or number(session.get("total_timer_time"))
    inside = (times >= start) & (times <= start + (elapsed or 0.0))
    metres = number(session.get("total_distance"))
    if metres is None and np.isfinite(distance[inside]).any():
        metres = float(np.nanmax(distance[inside]) - np.nanmin(distance[inside]))
    hr_seconds, hr_avg, hr_max = heart_rate(
        times[inside], bpm[inside], number(session.get("avg_heart_rate")), number(session.get("max_heart_rate"))
    )
    return Activity(
        member=member,
        format="fit",
        activity_type=sport_label(session.get("sport"), session.get("sub_sport")),
        start_utc=start_utc,
        local_start=local_start,
        elapsed_s=elapsed,
        moving_s=moving,
        distance_m=metres,
        elevation_gain_m=number(session.get("total_ascent")),
        hr_avg=hr_avg,
        hr_max=hr_max,
        hr_seconds=hr_seconds,
    )


def _start(
    member: str, session: dict[str, object], activity: dict[str, object]
) -> tuple[float, dt.datetime | None, dt.datetime | None]:
    """The session's start as compared with record times, in UTC where the file says, and on the device's clock.

    Raises:
        FileRejected: when the session has no start, or counts from power-on and no local time gives the date.
    """
    start = session.get("start_time")
    local_end, end = activity.get("local_timestamp"), activity.get("timestamp")
    seconds = _seconds(start)
    if seconds is None:
        raise FileRejected(member, "the FIT session has no start time", _EXPORT_AGAIN)
    if isinstance(start, dt.datetime):
        both = isinstance(local_end, dt.datetime) and isinstance(end, dt.datetime)
        offset = utc_offset(local_end, end) if both else None
        local = (start + offset).replace(tzinfo=None) if offset is not None else None
        return seconds, start.astimezone(dt.UTC), local
    # Device time (below SYSTEM_TIME: seconds since power-on): only the activity's local end time carries a date.
    if seconds < SYSTEM_TIME and isinstance(local_end, dt.datetime) and _seconds(end) is not None:
        local = local_end.replace(tzinfo=None) - dt.timedelta(seconds=_seconds(end) - seconds)
        return seconds, None, local
    raise FileRejected(
        member,
        "the FIT file counts time from when the watch was switched on and gives no date",
        "Export the activity from the platform (Garmin Connect, Strava) instead of copying it from the watch.",
    )


def sport_label(sport: object, sub_sport: object) -> str:
    """``Running``, ``Running (treadmill)``, ``Training (strength training)`` from FIT's sport and sub-sport."""
    if sport is None:
        return ""
    label = str(sport).replace("_", " ").capitalize()
    if sub_sport is not None and sub_sport != "generic" and sub_sport != sport:
        label += f" ({str(sub_sport).replace('_', ' ')})"
    return label
