"""Text cells that are safe to open in a spreadsheet, and exactly reversible.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return as a formula, so a note
such as ``=HYPERLINK(...)`` in an exported CSV could act when a physio opens the file. Following OWASP's advice on
CSV injection (https://owasp.org/www-community/attacks/CSV_Injection), :func:`neutralise` gives such text a leading
apostrophe. Only text is passed through it: numbers, dates and times are never touched.

So that reading the file back gives exactly what was written, text that already starts with apostrophes followed by
one of those characters gets one more, and :func:`unneutralise` strips exactly one apostrophe from text that starts
with apostrophes followed by one of them: the mapping is one-to-one. In a column that may hold no value, an empty
cell means "no value", so empty text is written as a lone apostrophe by the same rule (``nullable=True``).
"""

from __future__ import annotations

import re

import pandas as pd

#: Characters that make a spreadsheet treat a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PREFIX = "'"

_TRIGGERS = re.escape("".join(FORMULA_TRIGGERS))
_NEEDS_PREFIX = re.compile(f"'*[{_TRIGGERS}]")
_PREFIXED = re.compile(f"'+[{_TRIGGERS}]")
_NEEDS_PREFIX_NULLABLE = re.compile(f"'*(?:[{_TRIGGERS}]|\\Z)")
_PREFIXED_NULLABLE = re.compile(f"'+(?:[{_TRIGGERS}]|\\Z)")


def neutralise(text: str, nullable: bool = False) -> str:
    """The text as written to a CSV: with a leading apostrophe where a spreadsheet would run it as a formula.

    Args:
        text: a text cell.
        nullable: whether its column may hold no value; then empty text becomes ``'`` (an empty cell means none).
    """
    pattern = _NEEDS_PREFIX_NULLABLE if nullable else _NEEDS_PREFIX
    return FORMULA_PREFIX + text if pattern.match(text) else text


def unneutralise(text: str, nullable: bool = False) -> str:
    """Undo :func:`neutralise`: strip the one apostrophe it added, and only that."""
    pattern = _PREFIXED_NULLABLE if nullable else _PREFIXED
    return text[1:] if pattern.match(text) else text


def frame_csv(frame: pd.DataFrame) -> str:
    """A table as CSV text for a spreadsheet: every text cell through :func:`neutralise`, other cells as they are."""
    return frame.map(lambda v: neutralise(v) if isinstance(v, str) else v).to_csv(index=False)
