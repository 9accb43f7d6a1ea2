"""Zip archives read safely: in memory, one member at a time, within limits, entry names never used as paths.

Nothing is extracted to disk: a member is read into memory, handed on, and let go before the next. Entry names are
only compared and shown (control characters replaced); ``../`` in a name means nothing here. The limits are checked on
the sizes the archive's directory declares before a byte is unpacked, and they hold: Python's ``zipfile`` never
unpacks a member beyond its declared size (it cuts there and then fails the member's CRC check), and only stored and
deflated members are read (deflate unpacks in bounded steps). A member that breaks a limit, is encrypted or damaged
is listed with its reason and the others are read; an archive whose activity files would unpack to more than
:data:`MAX_TOTAL_BYTES`, or that lists more than :data:`MAX_ENTRIES` entries, is refused whole.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from kneelog.errors import FileMalformed, FileRejected, FileTooLarge
from kneelog.importers.files.detect import MAX_FILE_BYTES, MAX_RATIO, RATIO_FLOOR, too_large

#: Zips inside the upload are opened this many levels deep, counting the upload: Garmin's export (level 1) holds
#: ``UploadedFiles_*.zip`` (level 2) holding the FIT files. A zip at level 3 is listed, not opened.
MAX_DEPTH = 2
#: The most activity-file bytes one upload may unpack to. Twenty years of an hour's run every day recorded each
#: second in TCX, the most verbose format (1.1 MB an hour: tests/data/devices runpandas__run.tcx, 445 kB for
#: 23:43), come to 20 x 365 x 1.1 MB = 8.0 GB; the same history in FIT is a seventh of it.
MAX_TOTAL_BYTES = 10 * 2**30
#: The most entries an archive may list (each costs memory before anything is read). Garmin's account export holds
#: one file per activity plus a few hundred others: twenty years of three recordings a day is 22,000.
MAX_ENTRIES = 100_000
#: Names of the members read: activity files (gzip-compressed or not) and, below :data:`MAX_DEPTH`, nested zips.
#: Anything else (Garmin's JSON, Strava's media) is skipped unread; what a member holds is then told by its content.
ACTIVITY_NAME = re.compile(r"\.(?:fit|gpx|tcx)(?:\.gz)?$", re.IGNORECASE)
NESTED_NAME = re.compile(r"\.zip$", re.IGNORECASE)
_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)
_EXPORT_AGAIN = "Download the export again; if it keeps failing, upload the activity files one by one."

#: Called with the share of the archive read (0-1) and the name of the file being read.
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Member:
    """One activity file out of an archive: its name as shown, and its bytes or why it was not read."""

    name: str
    data: bytes | None = None
    error: FileRejected | None = None


class Budget:
    """The activity-file bytes an upload has unpacked so far, against :data:`MAX_TOTAL_BYTES`."""

    def __init__(self, archive: str) -> None:
        self.archive = archive
        self.unpacked = 0

    def take(self, size: int) -> None:
        """Count ``size`` more bytes.

        Raises:
            FileTooLarge: (for the whole archive) when the total would pass :data:`MAX_TOTAL_BYTES`.
        """
        if self.unpacked + size > MAX_TOTAL_BYTES:
            raise FileTooLarge(
                self.archive,
                f"its activity files unpack to more than {MAX_TOTAL_BYTES // 2**30} GB",
                "Export a shorter period, or split the archive and import the parts one after another.",
            )
        self.unpacked += size


def shown(name: str) -> str:
    """An entry name as a runner reads it: slashes forward, control characters as ``?``. Never used as a path."""
    return _CONTROL.sub("?", name.replace("\\", "/"))[:300]


def open_zip(name: str, source: BinaryIO) -> zipfile.ZipFile:
    """The upload as a zip archive (read from ``source``, never unpacked to disk).

    Raises:
        FileMalformed: when it is not a readable zip archive.
        FileTooLarge: when it lists more than :data:`MAX_ENTRIES` entries.
    """
    try:
        archive = zipfile.ZipFile(source)
    except _DAMAGE as e:
        raise FileMalformed(name, f"the zip archive is damaged or cut off ({e})", _EXPORT_AGAIN) from e
    crowded = _crowded(name, archive)
    if crowded is not None:
        archive.close()
        raise crowded
    return archive


def _crowded(name: str, archive: zipfile.ZipFile) -> FileTooLarge | None:
    """The refusal of an archive listing more than :data:`MAX_ENTRIES` entries, or None."""
    if len(archive.infolist()) <= MAX_ENTRIES:
        return None
    return FileTooLarge(
        name,
        f"the archive lists {len(archive.infolist()):,} entries, more than the {MAX_ENTRIES:,} kneelog reads",
        "Export a shorter period, or zip only the activity files.",
    )


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One member's bytes (its limits checked by :func:`check` and counted in a :class:`Budget` first).

    Raises:
        FileMalformed: when the member is damaged (a CRC or length error).
    """
    try:
        with archive.open(info) as member:
            return member.read()
    except _DAMAGE as e:
        raise FileMalformed(name, f"the file is damaged inside the archive ({e})", _EXPORT_AGAIN) from e


def check(info: zipfile.ZipInfo, name: str, *, limit: int) -> None:
    """Refuse a member by what the archive's directory declares of it (nothing is unpacked).

    Raises:
        FileTooLarge: when it unpacks to more than ``limit`` bytes, or to more than :data:`MAX_RATIO` times its
            packed size (above :data:`RATIO_FLOOR`).
        FileMalformed: when it is encrypted or packed by a method other than store or deflate.
    """
    if info.flag_bits & 0x1:
        raise FileMalformed(name, "the file is encrypted in the archive", "Zip the files again without a password.")
    if info.compress_type not in _READABLE:
        raise FileMalformed(
            name,
            "the file is packed with a method kneelog does not read (only store and deflate)",
            "Zip the files again with your system's standard zip tool.",
        )
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise too_large(name, packed=info.compress_size, ratio=True)
    if info.file_size > limit:
        raise too_large(name, packed=info.compress_size, ratio=False)


def candidates(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The activity files and nested zips of an archive, in the order they lie in it (the quickest to read)."""
    found = [i for i in archive.infolist() if not i.is_dir() and (_activity(i) or NESTED_NAME.search(i.filename))]
    return sorted(found, key=lambda i: i.header_offset)


def _activity(info: zipfile.ZipInfo) -> bool:
    return ACTIVITY_NAME.search(info.filename) is not None


def walk(
    archive: zipfile.ZipFile,
    budget: Budget,
    *,
    prefix: str = "",
    depth: int = 1,
    skip: Callable[[str], bool] | None = None,
    progress: Progress | None = None,
    share: tuple[float, float] = (0.0, 1.0),
) -> Iterator[Member]:
    """Every activity file of an archive and of the zips inside it (to :data:`MAX_DEPTH`), one at a time.

    Args:
        archive: the open archive.
        budget: the bytes unpacked so far, shared by every level.
        prefix: how the archive's own name is shown before its members' (``UploadedFiles_0.zip/``).
        depth: the archive's level (the upload is 1).
        skip: called with a member's name: True leaves it unread and unlisted (Strava files the CSV says to skip).
        progress: told the share read after each file; ``share`` is this archive's (start, width) of the whole.

    Raises:
        FileTooLarge: when the activity files of the upload pass :data:`MAX_TOTAL_BYTES`.
    """
    entries = candidates(archive)
    weights = [max(i.compress_size, 1) for i in entries]
    total, done = float(sum(weights)), 0.0
    for info, weight in zip(entries, weights, strict=True):
        name = prefix + shown(info.filename)
        start = share[0] + share[1] * done / total
        done += weight
        if skip is not None and skip(shown(info.filename)):
            continue
        if _activity(info):
            yield _member(archive, info, name, budget)
        elif depth >= MAX_DEPTH:
            yield Member(name, error=_too_deep(name))
        else:
            yield from _nested(archive, info, name, budget, depth, progress, (start, share[1] * weight / total))
        if progress is not None:
            progress(share[0] + share[1] * done / total, name)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: Budget) -> Member:
    """An activity file, or why it is not read; past the upload's total the whole archive is refused."""
    try:
        check(info, name, limit=MAX_FILE_BYTES)
    except FileRejected as e:
        return Member(name, error=e)
    budget.take(info.file_size)
    try:
        return Member(name, read_member(archive, info, name))
    except FileRejected as e:
        return Member(name, error=e)


def _too_deep(name: str) -> FileRejected:
    return FileRejected(
        name,
        f"a zip inside a zip inside a zip: kneelog opens archives {MAX_DEPTH} levels deep, as Garmin's export is",
        "Unzip it and upload the activity files (or the inner zip) directly.",
    )


def _nested(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    budget: Budget,
    depth: int,
    progress: Progress | None,
    share: tuple[float, float],
) -> Iterator[Member]:
    """The members of a zip inside the archive, read as a stream from the outer one (never held whole).

    The inner zip's directory is read by seeking in the stream: its members then come in the order they lie in it,
    so the stream is unpacked about twice, never into memory.
    """
    try:
        check(info, name, limit=MAX_TOTAL_BYTES)
    except FileRejected as e:
        yield Member(name, error=e)
        return
    try:
        with archive.open(info) as stream, zipfile.ZipFile(stream) as inner:
            crowded = _crowded(name, inner)
            if crowded is not None:
                yield Member(name, error=crowded)
                return
            yield from walk(inner, budget, prefix=name + "/", depth=depth + 1, progress=progress, share=share)
    except _DAMAGE as e:
        yield Member(name, error=FileMalformed(name, f"the zip inside the archive is damaged ({e})", _EXPORT_AGAIN))
