"""Converters from the text of one column to numbers, durations and times, vectorised and locale-aware.

Each converter takes the column's strings and a :class:`Context` and returns a :class:`Field`: the values, and a
mask of the values that were present but could not be read (never a silent NaN). Empty cells and the usual
placeholders (``--``, ``NaN``, ``N/A``) are missing, not bad.

Numbers follow the file's locale: ``3,40`` with ``2.932`` (decimal comma, dot thousands) or ``5.85`` with
``1,976`` (the reverse). Which one is decided per column where its values settle it (``3,40``: two digits after the
comma can only be decimals), else per file from every column read, else the format's rule; a lone ``1,234`` with
nothing to settle it is refused (:class:`~kneelog.errors.ValuesAmbiguous`) rather than guessed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from kneelog import clock
from kneelog.errors import ValuesAmbiguous
from kneelog.models import Unit
from kneelog.units import METRES_PER_UNIT

MISSING = frozenset({"", "--", "-", "nan", "n/a", "na", "null", "none"})


# Decisive shapes: a separator followed by other than three digits, a leading zero, or both separators in order.
_COMMA_DECIMAL = r"[+-]?(?:\d+,(?:\d{1,2}|\d{4,})|0,\d+|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,})"
_DOT_DECIMAL = (
    r"[+-]?(?:\d+\.(?:\d{1,2}|\d{4,})|0\.\d+|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}|\d+(?:\.\d+)?[eE][+-]?\d+)"
)
_SHAPE = {
    ",": r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?",
    ".": r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?",
}
_PLAIN = r"[+-]?\d+"
_AMBIGUOUS = r"[+-]?\d{1,3}[.,]\d{3}"
#: Characters that group thousands in some locales (space, no-break spaces, the Swiss apostrophe).
_GROUPING = (" ", "\u00a0", "\u202f", "'")
_VOTER = re.compile(r"[.,eE]")
_NUMBER_START = re.compile(r"[+-]?\d", re.ASCII)
_COMMA_DECIMAL_RE = re.compile(_COMMA_DECIMAL, re.ASCII)
_DOT_DECIMAL_RE = re.compile(_DOT_DECIMAL, re.ASCII)
_CLOCK3 = r"^(\d+):(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$"
_CLOCK2 = r"^(\d+):(\d{1,2}(?:[.,]\d+)?)$"


@dataclass(frozen=True)
class Context:
    """What a converter may need beyond the column: the file (for messages), the runner's choices, the locale."""

    file: str
    timezone: str = "UTC"
    today: dt.date = dataclasses.field(default_factory=clock.today_anywhere)  # the runner's today, for date limits
    units: Unit | None = None  # the runner's answer for distances the file gives in unstated units
    decimal: str | None = None  # the file's decimal separator, where its columns settle it
    date_order: str | None = None  # "dmy", "mdy" or "ymd" for numeric dates a column cannot settle


@dataclass(frozen=True)
class Field:
    """One canonical column read from the file: values, bad-value mask, the raw text and the header it came from."""

    values: pd.Series
    bad: pd.Series
    raw: pd.Series
    header: str
    reason: str = "cannot be read"

    def derive(self, values: pd.Series, bad: pd.Series | None = None) -> Field:
        """The same provenance (header, raw text) with new values, e.g. after a unit conversion."""
        return replace(self, values=values, bad=self.bad if bad is None else (self.bad | bad))


Converter = Callable[[pd.Series, Context, str], Field]


def _missing(raw: pd.Series) -> pd.Series:
    return raw.str.strip().str.lower().isin(MISSING)


def text(raw: pd.Series, ctx: Context, header: str) -> Field:
    """Text as written, trimmed; missing placeholders become ''."""
    values = raw.str.strip().where(~_missing(raw), "")
    return Field(values, pd.Series(False, index=raw.index), raw, header)


def _ungrouped(values: pd.Series) -> pd.Series:
    for mark in _GROUPING:
        values = values.str.replace(mark, "", regex=False)
    return values


def decimal_votes(raw: pd.Series) -> tuple[int, int]:
    """How many distinct values of a column can only be decimal-comma, and how many only decimal-point numbers."""
    comma = dot = 0
    for value in set(raw.tolist()):  # a loop over the distinct values: far quicker than a dozen pandas calls
        if not isinstance(value, str):
            continue
        value = value.strip()
        if len(value) >= 40 or not _NUMBER_START.match(value) or not _VOTER.search(value):
            continue  # only what may be a number with a separator (or an exponent) can vote
        for mark in _GROUPING:
            value = value.replace(mark, "")
        comma += _COMMA_DECIMAL_RE.fullmatch(value) is not None
        dot += _DOT_DECIMAL_RE.fullmatch(value) is not None
    return comma, dot


def _decide_decimal(present: pd.Series, ctx: Context, header: str) -> str:
    comma, dot = decimal_votes(present)
    if comma or dot:
        return "," if comma > dot else "."
    if ctx.decimal is not None:
        return ctx.decimal
    ambiguous = present[present.str.fullmatch(_AMBIGUOUS)]
    if ambiguous.empty:
        return "."  # whole numbers (or unreadable text): the separator does not matter
    raise ValuesAmbiguous(
        ctx.file,
        f"'{ambiguous.iloc[0]}' could be a decimal number or a whole number with a thousands separator, and nothing "
        "in the file settles which",
        "Map the columns on the Import page and choose the decimal separator.",
        row=int(ambiguous.index[0]),
        column=header,
        value=str(ambiguous.iloc[0]),
    )


def number(raw: pd.Series, ctx: Context, header: str) -> Field:
    """A number in the file's locale (decimal comma or point, with or without thousands separators)."""
    return _number(raw, ctx, header, None)


def number_with(decimal: str) -> Converter:
    """Numbers whose decimal separator the runner chose (``,`` or ``.``), whatever the column suggests."""

    def convert(raw: pd.Series, ctx: Context, header: str) -> Field:
        return _number(raw, ctx, header, decimal)

    return convert


def _number(raw: pd.Series, ctx: Context, header: str, decimal: str | None) -> Field:
    missing = _missing(raw)
    cleaned = _ungrouped(raw.str.strip()).where(~missing, "")
    present = cleaned[~missing]
    if present.str.fullmatch(_PLAIN).all():
        values = pd.to_numeric(cleaned.where(~missing), errors="coerce").astype("float64")
        return Field(values, ~missing & values.isna(), raw, header, "is not a number")
    decimal = decimal or _decide_decimal(present, ctx, header)
    shaped = cleaned.str.fullmatch(_SHAPE[decimal])
    thousands = "." if decimal == "," else ","
    plain = cleaned.str.replace(thousands, "", regex=False).str.replace(",", ".", regex=False)
    values = pd.to_numeric(plain.where(shaped & ~missing), errors="coerce").astype("float64")
    return Field(values, ~missing & values.isna(), raw, header, "is not a number")


def scaled(factor: float) -> Converter:
    """A number multiplied by ``factor`` (hours to seconds, kilometres to metres, ...)."""

    def convert(raw: pd.Series, ctx: Context, header: str) -> Field:
        field = number(raw, ctx, header)
        return field.derive(field.values * factor)

    return convert


def in_units(unit: Unit) -> Converter:
    """A distance in kilometres or miles, as metres."""
    return scaled(METRES_PER_UNIT[unit])


def clock(two_parts: str = "m:ss") -> Converter:
    """A duration written ``h:mm:ss`` (a fraction of a second after ``.`` or ``,``), or a bare number of seconds.

    Args:
        two_parts: what ``a:bb`` means in this column: ``"m:ss"`` or ``"h:mm"`` (Garmin's long ``Time`` values).
    """

    def convert(raw: pd.Series, ctx: Context, header: str) -> Field:
        missing = _missing(raw)
        cleaned = raw.str.strip()
        three = cleaned.str.extract(_CLOCK3).apply(lambda c: pd.to_numeric(c.str.replace(",", "."), errors="coerce"))
        two = cleaned.str.extract(_CLOCK2).apply(lambda c: pd.to_numeric(c.str.replace(",", "."), errors="coerce"))
        long = (three[0] * 3600 + three[1] * 60 + three[2]).where(three[1].lt(60) & three[2].lt(60))
        if two_parts == "h:mm":
            short = (two[0] * 3600 + two[1] * 60).where(two[1].lt(60) & two[1].eq(two[1].round()))
        else:
            short = (two[0] * 60 + two[1]).where(two[1].lt(60))
        has_colon = cleaned.str.contains(":", regex=False)
        bare = number(raw.where(~has_colon, ""), ctx, header).values
        values = long.fillna(short).fillna(bare).astype("float64")
        return Field(values, ~missing & values.isna(), raw, header, "is not a duration such as 1:02:03")

    return convert


# -- dates --------------------------------------------------------------------------------------------------------

#: Month names as Strava and Garmin write them in French and German, to English abbreviations.
_MONTHS = {
    "janv": "Jan",
    "janvier": "Jan",
    "févr": "Feb",
    "février": "Feb",
    "mars": "Mar",
    "avr": "Apr",
    "avril": "Apr",
    "mai": "May",
    "juin": "Jun",
    "juil": "Jul",
    "juillet": "Jul",
    "août": "Aug",
    "sept": "Sep",
    "septembre": "Sep",
    "oct": "Oct",
    "octobre": "Oct",
    "nov": "Nov",
    "novembre": "Nov",
    "déc": "Dec",
    "décembre": "Dec",
    "januar": "Jan",
    "jänner": "Jan",
    "februar": "Feb",
    "märz": "Mar",
    "april": "Apr",
    "juni": "Jun",
    "juli": "Jul",
    "august": "Aug",
    "september": "Sep",
    "okt": "Oct",
    "oktober": "Oct",
    "dez": "Dec",
    "dezember": "Dec",
    "january": "Jan",
    "february": "Feb",
    "march": "Mar",
    "july": "Jul",
    "october": "Oct",
    "november": "Nov",
    "december": "Dec",
}
_ORDER_NAMES = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}
_OFFSET = r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d\d(?::?\d\d)?)$"
_ISO_NAIVE = tuple(f"%Y-%m-%d{sep}{clock}" for sep in ("T", " ") for clock in ("%H:%M:%S", "%H:%M:%S.%f", "%H:%M")) + (
    "%Y-%m-%d",
)
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_WORD = re.compile(rf"(?<![^\W\d_])({_MONTH_NAMES})\.?(?![^\W\d_])", re.IGNORECASE)

#: Distinct values of a date column the styles are first tried on.
SAMPLE = 200
#: A date style: one or more strptime formats tried in order (with and without seconds, for example).
Style = tuple[str, ...]

#: Styles of a date column in a generic CSV, by the order of day, month and year.
GENERIC_STYLES: dict[str, Style] = {
    "ymd": ("ISO8601", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d %H:%M", "%Y.%m.%d"),
    "dmy": (
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y",
        "%d-%m-%Y %H:%M:%S",
        "%d-%m-%Y %H:%M",
        "%d-%m-%Y",
        "%d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M",
        "%d %b %Y",
    ),
    "mdy": (
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y",
        "%b %d %Y %I:%M:%S %p",
        "%b %d %Y %H:%M:%S",
        "%b %d %Y",
    ),
}


def _tidy_dates(unique: pd.Series) -> pd.Series:
    """Month names to English, commas and French ``à`` out, so one strptime format covers each style."""
    tidy = unique.str.strip().str.replace(_MONTH_WORD, lambda m: _MONTHS[m.group(1).lower()], regex=True)
    return tidy.str.replace(r"\s+à\s+", " ", regex=True).str.replace(",", " ", regex=False).str.split().str.join(" ")


def _parse_style(values: pd.Series, style: Style, timezone: str) -> pd.Series:
    """Values read by the first format of ``style`` that reads each one.

    ``ISO8601`` stands for ISO dates and times: with an offset (``Z``, ``+02:00``) they become the wall-clock time
    in ``timezone``; without one they are read by explicit formats, so no value can come back with a zone of its own.
    """
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    first = _first_characters(values)
    for fmt in style:
        todo = parsed.isna()
        if not todo.any():
            break
        if fmt != "ISO8601":
            todo = todo & _may_read(first, fmt)
            if todo.any():
                parsed[todo] = pd.to_datetime(values[todo], format=fmt, errors="coerce").astype("datetime64[us]")
            continue
        aware = todo & values.str.contains(_OFFSET, regex=True)
        if aware.any():
            local = pd.to_datetime(values[aware], format=fmt, errors="coerce", utc=True)
            parsed[aware] = local.dt.tz_convert(timezone).dt.tz_localize(None).astype("datetime64[us]")
        for naive in _ISO_NAIVE:
            todo = parsed.isna() & ~aware & _may_read(first, naive)
            if todo.any():
                parsed[todo] = pd.to_datetime(values[todo], format=naive, errors="coerce").astype("datetime64[us]")
    return parsed


def _first_characters(values: pd.Series) -> dict[str, pd.Series]:
    """Which values start (after spaces and a sign) with a digit, and which with a letter.

    A strptime format that starts with a number (``%Y``, ``%d``) or a word (``%b``, ``%p``) cannot read a value that
    starts otherwise, and failing values are the slow ones for ``pd.to_datetime``: ranking a column's styles makes
    most values fail most formats. The tests are looser than strptime's (any Unicode digit, any sign), never stricter.
    """
    digit, word = [], []
    for value in values.tolist():
        text = value.lstrip() if isinstance(value, str) else ""
        digit.append(text.lstrip("+-")[:1].isdigit())
        word.append(text[:1].isalpha())
    return {"digit": pd.Series(digit, index=values.index), "word": pd.Series(word, index=values.index)}


def _may_read(first: dict[str, pd.Series], fmt: str) -> pd.Series | bool:
    """False where ``fmt`` cannot read a value because of its first character (see :func:`_first_characters`)."""
    if fmt[:2] in _NUMERIC_FIRST:
        return first["digit"]
    if fmt[:2] in _WORD_FIRST:
        return first["word"]
    return True


_NUMERIC_FIRST = frozenset({"%Y", "%y", "%m", "%d", "%H", "%I", "%M", "%S", "%j"})
_WORD_FIRST = frozenset({"%b", "%B", "%a", "%A", "%p"})


def datetimes(styles: dict[str, Style], *, tidy: bool = False) -> Converter:
    """A date and time as written in one of ``styles``; the column keeps to the style that reads most of it.

    When two styles read the same number of values (``03/04/2025`` as day/month or month/day), the runner's
    ``date_order`` settles it; without one the column is refused as ambiguous. Values come back naive: the wall
    clock of whatever zone the file uses (importers localise them).
    """

    def convert(raw: pd.Series, ctx: Context, header: str) -> Field:
        missing = _missing(raw)
        unique = pd.Series(raw[~missing].unique(), dtype="str")
        if unique.empty:
            return Field(pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]"), missing & False, raw, header)
        key = unique.str.strip()
        sample = key.iloc[:: max(1, len(key) // SAMPLE)]  # rank the styles on a sample, then read with the best
        ranks = {name: int(_parse_style(sample, style, ctx.timezone).notna().sum()) for name, style in styles.items()}
        top = max(ranks.values())
        likely = {name: style for name, style in styles.items() if ranks[name] == top} if top else styles
        results = {name: _parse_style(key, style, ctx.timezone) for name, style in likely.items()}
        unresolved = pd.concat(results.values(), axis=1).isna().all(axis=1)
        if tidy and unresolved.any():  # month names in French or German, commas where the styles have none
            tidied = _tidy_dates(key[unresolved])
            for name, style in styles.items():
                parsed = results.setdefault(name, pd.Series(pd.NaT, index=key.index, dtype="datetime64[us]"))
                parsed[unresolved] = _parse_style(tidied, style, ctx.timezone)
        counts = {name: int(parsed.notna().sum()) for name, parsed in results.items()}
        best = max(counts.values())
        tied = [name for name, count in counts.items() if count == best]
        if len(tied) > 1 and ctx.date_order in tied:
            tied = [ctx.date_order]
        if len(tied) > 1 and best:
            sample = unique[results[tied[0]].notna()].iloc[0]
            raise ValuesAmbiguous(
                ctx.file,
                f"the dates read as {' or '.join(_ORDER_NAMES.get(t, t) for t in tied)} equally well",
                "Choose the date order in the column mapping on the Import page.",
                row=int(raw.index[raw.eq(sample)][0]),
                column=header,
                value=str(sample),
            )
        lookup = pd.Series(results[tied[0]].to_numpy(), index=unique.to_numpy(), dtype="datetime64[us]")
        values = raw.map(lookup).astype("datetime64[us]")
        return Field(values, ~missing & values.isna(), raw, header, "is not a date kneelog can read")

    return convert


def date_range(part: int, styles: dict[str, Style]) -> Converter:
    """One end of a range ``2021-01-02 15:05:17 - 2021-01-02 16:12:32`` (``part`` 0 = start, 1 = end)."""
    inner = datetimes(styles)

    def convert(raw: pd.Series, ctx: Context, header: str) -> Field:
        pieces = raw.str.split(r"\s+[-–]\s+", n=1, regex=True, expand=True).reindex(columns=[0, 1])
        field = inner(pieces[part].fillna(""), ctx, header)
        return replace(field, raw=raw, bad=field.bad | (~_missing(raw) & pieces[part].isna()))

    return convert


def localise(naive: pd.Series, timezone: str, *, utc: bool = False) -> pd.Series:
    """Naive timestamps as aware ones in the runner's zone: from UTC (``utc=True``) or as wall-clock local times.

    A wall-clock time that falls in a daylight-saving gap moves forward; one that occurs twice takes standard
    time. Either way the calendar day is the one written in the file.
    """
    if utc:
        return naive.dt.tz_localize("UTC").dt.tz_convert(timezone)
    return naive.dt.tz_localize(timezone, ambiguous=np.zeros(len(naive), dtype=bool), nonexistent="shift_forward")


def first_present(*fields: Field | None) -> Field | None:
    """The first field given, with its missing values filled from the next ones (e.g. elapsed, else moving time)."""
    present: Sequence[Field] = [f for f in fields if f is not None]
    if not present:
        return None
    result = present[0]
    for other in present[1:]:
        gap = result.values.isna() & ~result.bad
        result = replace(result, values=result.values.where(~gap, other.values), bad=result.bad | (gap & other.bad))
    return result
