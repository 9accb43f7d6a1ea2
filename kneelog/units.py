"""Distances and durations between storage (metres, seconds) and what the runner reads and types."""

from __future__ import annotations

import math

from kneelog.models import Unit

#: Metres in one international mile (exact, by the 1959 international yard and pound agreement).
METRES_PER_MILE = 1609.344
METRES_PER_UNIT: dict[str, float] = {"km": 1000.0, "mi": METRES_PER_MILE}
UNIT_NAMES: dict[str, str] = {"km": "km", "mi": "mi"}


def to_unit(metres: float, unit: Unit) -> float:
    """Metres as kilometres or miles."""
    return metres / METRES_PER_UNIT[unit]


def from_unit(value: float, unit: Unit) -> float:
    """Kilometres or miles as metres."""
    return value * METRES_PER_UNIT[unit]


def format_distance(metres: float | None, unit: Unit, digits: int = 2) -> str:
    """``12.35 km`` or ``7.67 mi``; an em dash for a missing value."""
    if metres is None or (isinstance(metres, float) and math.isnan(metres)):
        return "—"
    return f"{to_unit(metres, unit):,.{digits}f} {UNIT_NAMES[unit]}"


def format_duration(seconds: float | None) -> str:
    """``1:02:03`` for an hour or more, ``45:10`` below; an em dash for a missing value."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_duration(text: str) -> float:
    """Seconds from what a runner types: ``45`` (minutes), ``45:30`` (minutes:seconds) or ``1:05:30``.

    Raises:
        ValueError: with a sentence saying what was expected.
    """
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        raise ValueError("is required, e.g. 45:30 or 1:05:00")
    parts = cleaned.split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError as e:
        raise ValueError(f"{text!r} is not a time; type minutes (45), mm:ss (45:30) or h:mm:ss (1:05:00)") from e
    if len(numbers) > 3 or any(n < 0 for n in numbers) or any(n >= 60 for n in numbers[1:]):
        raise ValueError(f"{text!r} is not a time; type minutes (45), mm:ss (45:30) or h:mm:ss (1:05:00)")
    if len(numbers) == 1:
        return numbers[0] * 60
    seconds = 0.0
    for n in numbers:
        seconds = seconds * 60 + n
    return seconds
