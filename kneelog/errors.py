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


class DatabaseDamaged(DatabaseError):
    """The database file is damaged ("database disk image is malformed"); nothing was changed.

    What can still be read is saved by a salvage export (:func:`kneelog.store.backup.salvage_backup`).
    """


class WriteFailed(KneelogError):
    """A database or file could not be written (the disk is full, the file is read-only or immutable); nothing of
    that write was kept."""


class DemoRefused(KneelogError):
    """The demo athlete would mix into a database that already holds the runner's own data."""


class BackupInvalid(KneelogError):
    """A file offered for restore is not a usable kneelog backup (corrupt, foreign, edited or from a newer kneelog).

    The message names the file, and where it applies the table file, row, column and value; nothing was changed.
    """


class RestoreRefused(KneelogError):
    """A restore would mix a backup into a database that already holds entries; nothing was changed."""


def _clip(value: str, width: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class FileRejected(KneelogError):
    """A file that cannot be imported; nothing from it is written.

    The message names the file and, when known, the row (the header is row 1), the column and the value, then says
    what to do. The parts are kept as attributes so a page can show them in a table.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        fix: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ):
        self.file, self.problem, self.fix, self.row, self.column, self.value = file, problem, fix, row, column, value
        where = ", ".join(p for p in (f"row {row}" if row else "", f"column '{column}'" if column else "") if p)
        shown = f" (value '{_clip(value)}')" if value is not None else ""
        super().__init__(f"{file}{', ' + where if where else ''}{shown}: {problem}. {fix}".strip())

    def inside(self, upload: str) -> FileRejected:
        """The same refusal of a file inside an archive, naming the upload too (``activities.csv in export.zip``)."""
        moved = type(self).__new__(type(self))  # copy.copy would call the class with the message alone
        moved.__dict__.update(self.__dict__)
        FileRejected.__init__(
            moved,
            f"{self.file} in {upload}",
            self.problem,
            self.fix,
            row=self.row,
            column=self.column,
            value=self.value,
        )
        return moved


class FileEmpty(FileRejected):
    """The file is empty, or holds a header and no activities."""


class FileNotText(FileRejected):
    """The file is not a text table (binary data, a ZIP archive, an Excel workbook, ...)."""


class FileMalformed(FileRejected):
    """The file is text but not a well-formed table (a cut-off last line, a row with too many values, ...)."""


class FileTooLarge(FileRejected):
    """The file is larger than the upload limit."""


class CellTooLong(FileRejected):
    """A cell of the file holds more text than kneelog keeps in a note (:data:`kneelog.limits.MAX_NOTES_CHARS`)."""


class HeaderAmbiguous(FileRejected):
    """The header names a column the import reads more than once, and nothing says which copy is which."""


class FormatUnknown(FileRejected):
    """The header matches no known export; its columns can be mapped by hand (``header`` lists them)."""

    def __init__(self, file: str, header: tuple[str, ...], problem: str, fix: str):
        self.header = header
        super().__init__(file, problem, fix)


class FormatMismatch(FileRejected):
    """The format chosen by the runner lacks a column it needs in this file."""


class UnitsNeeded(FileRejected):
    """The file does not say whether distances are kilometres or miles, and nothing in it makes that certain."""


class ValuesAmbiguous(FileRejected):
    """Numbers or dates that read two ways (``1,234``; ``03/04/2025``) with nothing in the file to settle it."""


class ColumnUnreadable(FileRejected):
    """Most values of a column the import needs cannot be read (a column of garbage, dates in an unknown style)."""


class ImportRefused(KneelogError):
    """An import was asked to write while one of its files is refused; nothing was written."""


class ReadOnly(KneelogError):
    """A write was asked of a log opened read-only (a clinician reading an athlete's shared log); nothing changed."""

    def __init__(self, athlete_id: int):
        self.athlete_id = athlete_id
        super().__init__(
            "This log is open to read only (it was shared with you), so nothing was changed: only the athlete "
            "writes their entries."
        )


class InvalidCode(KneelogError):
    """A share code that is unknown, already used or expired (:mod:`kneelog.store.accounts`); nothing was shared."""


class NotShared(KneelogError):
    """A clinician asked to read or write a note on an athlete's log that is not (or no longer) shared with them."""


class AccountRefused(KneelogError):
    """An account asked for what its role does not allow (a clinician sharing a log, an athlete redeeming a code),
    or for deleting the local athlete of single-user mode; nothing was changed."""
