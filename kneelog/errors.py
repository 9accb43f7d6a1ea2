"""kneelog's own exceptions: small, named, and worded so a runner can act on them.

Pages and the CLI catch only these and show their message; anything else is a bug and propagates.
"""

from __future__ import annotations


class KneelogError(Exception):
    """Base of every error a runner is meant to read."""


class EntryInvalid(KneelogError):
    """An entry (run, gym session, check-in, ...) failed validation; nothing was stored.

    ``problems`` maps a field name to a plain-language reason, so a form can show each one next to its field.
    """

    def __init__(self, kind: str, problems: dict[str, str], labels: dict[str, str] | None = None):
        self.kind = kind
        self.problems = dict(problems)
        labels = labels or {}
        lines = "; ".join(f"{labels.get(f, f)}: {reason}" for f, reason in self.problems.items())
        super().__init__(f"The {kind} was not saved. {lines}")


class EntryNotFound(KneelogError):
    """An entry asked for by id is not (or no longer) in the database."""

    def __init__(self, kind: str, entry_id: int):
        self.kind = kind
        self.entry_id = entry_id
        super().__init__(f"No {kind} with id {entry_id}: it may have been deleted already.")


class DuplicateEntry(KneelogError):
    """A write would break a uniqueness rule (for example two check-ins for the same knee on one day)."""


class LibraryInvalid(KneelogError):
    """The shipped stretch library file is malformed; the message names the entry and field."""


class DatabaseError(KneelogError):
    """The database cannot be opened or upgraded (wrong file, newer schema than this kneelog knows)."""


class DemoRefused(KneelogError):
    """The demo athlete would mix into a database that already holds the runner's own data."""
