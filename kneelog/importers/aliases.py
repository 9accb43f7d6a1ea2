"""Alias tables: canonical column -> the header variants that carry it, in every language -> converter.

Every importer declares its columns as :class:`Column` entries. A file's format is found by matching its header
against these tables (never by column position): a format fits when each of its required columns is present under
one of its names. Names are compared after :func:`normalise` (case, spacing, ``®``, typographic apostrophes); the
second column of a repeated name is written ``Name#2`` (Strava has two ``Distance`` columns: the second is metres).
A name repeated more often than its format declares it makes the file ambiguous (:meth:`Format.ambiguous`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from kneelog.importers.values import Context, Converter, Field

LANGUAGES = {"en": "English", "de": "German", "fr": "French", "da": "Danish", "sv": "Swedish"}


def normalise(header: str) -> str:
    """A header as compared: NFC, case-folded, ``®``/``™`` dropped, apostrophes and spacing made uniform."""
    text = unicodedata.normalize("NFC", header).replace("\ufeff", "").replace("®", "").replace("™", "")
    text = text.replace("’", "'").replace("`", "'").casefold()
    text = re.sub(r"\s*([()\[\]])\s*", r"\1", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Column:
    """One canonical column of an importer: its header variants by language, and how to read its values.

    Args:
        name: the canonical name (``distance_m``, ``start``, ...).
        convert: the converter for its values.
        headers: language code -> header variants, preferred first (``Name#2`` is the second column so named).
        required: the format does not fit a file without this column.
        by_header: converters for particular variants, where the unit is part of the name (``Distance(mi)``).
    """

    name: str
    convert: Converter
    headers: Mapping[str, tuple[str, ...]]
    required: bool = False
    by_header: Mapping[str, Converter] = field(default_factory=dict)


def column(
    name: str,
    convert: Converter,
    *,
    required: bool = False,
    by_header: Mapping[str, Converter] | None = None,
    **headers: str | tuple[str, ...],
) -> Column:
    """A :class:`Column` with header variants given per language: ``column("start", dates, en="Date", da="Dato")``."""
    unknown = set(headers) - set(LANGUAGES) - {"any"}
    if unknown:
        raise ValueError(f"unknown language codes {sorted(unknown)}")
    variants = {lang: (v,) if isinstance(v, str) else tuple(v) for lang, v in headers.items()}
    return Column(name, convert, variants, required, dict(by_header or {}))


@dataclass(frozen=True)
class Found:
    """Where a canonical column is in a file: its position, the header as written, its converter, languages."""

    position: int
    header: str
    convert: Converter
    languages: frozenset[str]


def header_keys(header: Sequence[str]) -> dict[str, int]:
    """Normalised header name -> position; a name's second occurrence is ``name#2``, and so on."""
    seen: Counter[str] = Counter()
    keys: dict[str, int] = {}
    for position, name in enumerate(header):
        key = normalise(name)
        seen[key] += 1
        keys[key if seen[key] == 1 else f"{key}#{seen[key]}"] = position
    return keys


def find(columns: Sequence[Column], header: Sequence[str]) -> dict[str, Found]:
    """Each canonical column found in ``header``, under its first variant present (in the order declared)."""
    keys = header_keys(header)
    found: dict[str, Found] = {}
    for col in columns:
        for variant in dict.fromkeys(v for variants in col.headers.values() for v in variants):
            key = normalise(variant)
            if key in keys:
                languages = frozenset(lang for lang, vs in col.headers.items() if any(normalise(v) == key for v in vs))
                convert = next((c for h, c in col.by_header.items() if normalise(h) == key), col.convert)
                found[col.name] = Found(keys[key], header[keys[key]], convert, languages)
                break
    return found


def language_of(found: Mapping[str, Found]) -> str:
    """The language most of the found headers are in (a name shared by languages counts for each); '' for none."""
    votes = Counter(lang for f in found.values() for lang in f.languages if lang != "any")
    if not votes:
        return ""
    best = max(votes.values())
    return LANGUAGES[next(lang for lang in LANGUAGES if votes[lang] == best)]


Read = dict[str, Field]
#: Turns the fields read from a file into canonical fields, given each row's kind and the context; also returns
#: the distance unit it assumed where the file does not state one (None when distances are stated).
Builder = Callable[[Read, pd.Series, Context], tuple[Read, str | None]]
#: Decides each row's kind (run, gym, other) and the label it is counted under when left out.
Kinder = Callable[[Read], tuple[pd.Series, pd.Series]]


@dataclass(frozen=True)
class Format:
    """An export format: how to recognise it, read it, and turn it into the canonical frame.

    Args:
        name: the key used by ``--format`` (``strava``); also the ``source`` stored with each entry, unless
            ``source`` says otherwise.
        label: what the runner reads ("Strava export").
        columns: the alias table.
        build: vendor rules from fields read to canonical fields (time zones, units, ids).
        how_to_export: where on the platform the runner gets the file.
        kinds: vendor rules for which rows are runs, gym sessions or left out (default: by activity type).
    """

    name: str
    label: str
    columns: tuple[Column, ...]
    build: Builder
    how_to_export: str = ""
    kinds: Kinder | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if not self.source:
            object.__setattr__(self, "source", self.name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def fits(self, header: Sequence[str]) -> dict[str, Found] | None:
        """The columns found when every required one is present, else None."""
        found = find(self.columns, header)
        return found if all(c.name in found for c in self.required) else None

    def ambiguous(self, header: Sequence[str], found: Mapping[str, Found]) -> str | None:
        """The first column read from ``header`` whose name appears more often than this format declares it (Strava
        declares two ``Distance`` columns; a third, or a second ``Activity Type``, cannot be told apart), else None.
        """
        declared: Counter[str] = Counter()
        for col in self.columns:
            for variant in (v for variants in col.headers.values() for v in variants):
                name, _, copy = normalise(variant).partition("#")
                declared[name] = max(declared[name], int(copy) if copy.isdigit() else 1)
        present = Counter(normalise(h) for h in header)
        for f in sorted(found.values(), key=lambda f: f.position):
            if present[normalise(f.header)] > declared[normalise(f.header)]:
                return f.header
        return None
