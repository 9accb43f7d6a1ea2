"""One activity as a device file describes it: the summary kneelog keeps, and its heart rate reduced for a load.

A FIT, GPX or TCX reader turns a recording into :class:`Activity` summaries (one per activity or, in a multisport
FIT file, per sport). Nothing of the GPS track is kept (privacy and size): only the totals and, for a heart-rate load
(Banister's TRIMP, Edwards' zones), the seconds spent at each whole beat per minute (:func:`time_at_bpm`), which gives
either load exactly as the samples would.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kneelog.limits import HIGHEST_BPM, LOWEST_BPM  # readings outside are sensor noise, not a heart rate

#: Two heart-rate samples further apart than this (seconds) bound a pause or a lost signal, and the time between
#: them counts at no heart rate. Smart recording writes a sample only when something changes: the longest gap
#: without a pause in the samples is 52 s (a Forerunner 110, tests/data/devices 2013-02-06-12-11-14.fit, whose timer
#: and elapsed times agree), while an auto-pause leaves 115 s (compressed-speed-distance.fit).
MAX_GAP_S = 60.0


@dataclass(frozen=True)
class Activity:
    """The summary of one recorded activity; ``None`` where the file does not say.

    Args:
        member: the file it came from (inside an archive, its name there), for messages.
        format: ``fit``, ``gpx`` or ``tcx``: also the ``source`` stored with the entry.
        activity_type: the sport as the file names it (``Running``, ``Training (strength training)``), '' when none.
        start_utc: the start, aware and in UTC; None when the file gives only the local time of day.
        local_start: the start as the device's clock showed it (naive), when the file gives its time zone offset
            (FIT ``local_timestamp``, an ISO time with an offset); None otherwise.
        elapsed_s: from start to finish, pauses included.
        moving_s: the timer (or moving) time: pauses left out.
        distance_m: the file's total, else the sum of great-circle steps along the track.
        elevation_gain_m: total ascent.
        hr_avg, hr_max: beats per minute, from the file's summary where it has one, else from the samples.
        hr_seconds: seconds spent at each whole bpm (:func:`time_at_bpm`); empty without heart-rate samples.
        name: the title the file gives the activity, if any.
    """

    member: str
    format: str
    activity_type: str
    start_utc: dt.datetime | None
    local_start: dt.datetime | None = None
    elapsed_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    hr_avg: float | None = None
    hr_max: float | None = None
    hr_seconds: Mapping[int, int] = field(default_factory=dict)
    name: str = ""

    @property
    def source_id(self) -> str:
        """The start as an id: ``2019-09-14T15:22:05Z`` (UTC), or the device's local time without the ``Z``.

        The same recording gives the same id in every later export, and each sport of a multisport file its own.
        """
        if self.start_utc is not None:
            return self.start_utc.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert self.local_start is not None, "a reader refuses an activity without a start"
        return self.local_start.strftime("%Y-%m-%dT%H:%M:%S")


def time_at_bpm(seconds: Sequence[float] | np.ndarray, bpm: Sequence[float] | np.ndarray) -> dict[int, int]:
    """Whole seconds spent at each whole heart rate: each sample holds until the next, gaps over :data:`MAX_GAP_S`
    count at none, and the last sample closes the recording.

    Args:
        seconds: when each sample was taken (any origin), in seconds.
        bpm: the heart rate of each sample; missing (NaN) and implausible readings are dropped first.

    Returns:
        bpm -> seconds, in rising bpm, without zero entries.
    """
    t = np.asarray(seconds, dtype="float64")
    h = np.asarray(bpm, dtype="float64")
    keep = np.isfinite(t) & np.isfinite(h) & (h >= LOWEST_BPM) & (h <= HIGHEST_BPM)
    t, h = t[keep], np.rint(h[keep]).astype("int64")
    if t.size < 2:
        return {}
    order = np.argsort(t, kind="stable")
    t, h = t[order], h[order]
    held = np.diff(t, append=t[-1])
    held[held > MAX_GAP_S] = 0.0
    totals = np.rint(np.bincount(h, weights=held))
    return {int(b): int(totals[b]) for b in np.flatnonzero(totals)}


def mean_bpm(hr_seconds: Mapping[int, int]) -> float | None:
    """The time-weighted mean heart rate of :func:`time_at_bpm`'s result (None without samples)."""
    total = sum(hr_seconds.values())
    return sum(b * s for b, s in hr_seconds.items()) / total if total else None


def encode(hr_seconds: Mapping[int, int]) -> str:
    """``{"141":12,"142":30}``: the compact text kept with an entry ('' without samples)."""
    return json.dumps({str(b): s for b, s in sorted(hr_seconds.items())}, separators=(",", ":")) if hr_seconds else ""


def decode(text: str) -> dict[int, int]:
    """The seconds at each bpm from :func:`encode`'s text."""
    return {int(b): int(s) for b, s in json.loads(text).items()} if text else {}


def number(value: object) -> float | None:
    """A finite float from a file's value, else None (missing, invalid or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def utc_offset(local: dt.datetime, utc: dt.datetime) -> dt.timedelta | None:
    """The device's offset from UTC, from one moment written both ways, to the quarter hour; None if implausible."""
    quarters = round((local.replace(tzinfo=None) - utc.replace(tzinfo=None)).total_seconds() / 900)
    return dt.timedelta(minutes=15 * quarters) if abs(quarters) <= 14 * 4 else None


def heart_rate(
    seconds: Sequence[float] | np.ndarray,
    bpm: Sequence[float] | np.ndarray,
    avg: float | None = None,
    top: float | None = None,
) -> tuple[dict[int, int], float | None, float | None]:
    """Seconds at each bpm, and the average and maximum: the file's summary values where given, else the samples'.

    Args:
        seconds, bpm: the samples (see :func:`time_at_bpm`).
        avg, top: the average and maximum heart rate the file's summary states, if it does.
    """
    hr_seconds = time_at_bpm(seconds, bpm)
    h = np.asarray(bpm, dtype="float64")
    plausible = h[np.isfinite(h) & (h >= LOWEST_BPM) & (h <= HIGHEST_BPM)]
    if not _plausible(avg):
        avg = mean_bpm(hr_seconds)
    if not _plausible(top):
        top = float(plausible.max()) if plausible.size else None
    return hr_seconds, avg, top


def _plausible(value: float | None) -> bool:
    return value is not None and LOWEST_BPM <= value <= HIGHEST_BPM
