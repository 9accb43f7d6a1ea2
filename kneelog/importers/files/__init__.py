"""Device files and export archives into kneelog's canonical frame: FIT, GPX and TCX, alone, gzipped or zipped.

:func:`read` takes what a runner uploads or names on the command line -- a Strava bulk export, a Garmin Connect
export, a zip of activity files, or one ``.fit``, ``.gpx`` or ``.tcx`` file (each also as ``.gz``) -- tells which
it is from its content, and returns a :class:`~kneelog.importers.files.frame.FilesRead`: the canonical frame of the
runs and gym sessions (with elapsed time, ascent, heart rate and the seconds at each bpm a heart-rate load needs),
what was left out by sport, and each file or activity refused with its reason. Nothing here touches the database or
the disk. The modules, one per noun: :mod:`.detect` (what a file is), :mod:`.fit`, :mod:`.gpx`, :mod:`.tcx` (the
readers), :mod:`.summary` (one activity, its heart rate), :mod:`.frame` (into the canonical frame), :mod:`.zips`
(archives read safely) and :mod:`.archive` (Strava's and Garmin's layouts).
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import BinaryIO

from kneelog import clock
from kneelog.errors import FileRejected
from kneelog.importers.files.archive import read_upload
from kneelog.importers.files.detect import FIT, GPX, GZIP, TCX, ZIP, sniff
from kneelog.importers.files.frame import COLUMNS, EXTRA_COLUMNS, REJECTED_COLUMNS, FilesRead, details
from kneelog.importers.files.summary import decode
from kneelog.importers.files.zips import Progress
from kneelog.importers.values import Context
from kneelog.models import Unit

__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "REJECTED_COLUMNS",
    "FilesRead",
    "decode",
    "details",
    "is_activity_upload",
    "read",
]


def is_activity_upload(head: bytes) -> bool:
    """Whether an upload is for this reader (a zip, or a FIT, GPX or TCX file, gzipped or not), from its first
    64 kB; anything else is a CSV for :func:`kneelog.importers.parse`."""
    kind = sniff(head)
    if kind == GZIP:
        try:
            kind = sniff(zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(head[:65536], 8192))
        except zlib.error:
            return False
    return kind in (ZIP, FIT, GPX, TCX)


def read(
    file: str,
    data: bytes | BinaryIO,
    *,
    timezone: str = "UTC",
    today: dt.date | None = None,
    units: Unit | None = None,
    progress: Progress | None = None,
) -> FilesRead:
    """Read an activity file or an export archive into the canonical frame.

    Args:
        file: the upload's name, for messages.
        data: its bytes, or a binary file open for reading (read one member at a time, never whole).
        timezone: the runner's zone: UTC times become local before a date is taken.
        today: the runner's today (default: :func:`kneelog.clock.local_today` in ``timezone``); activities after it
            are refused as in the future.
        units: ``km`` or ``mi``, passed to a Strava activities.csv that needs it.
        progress: called with the share read (0-1) and the file being read.

    Raises:
        FileRejected: (a subclass of it) when the upload as a whole cannot be read; the message names the file (or
            the archive) and says what to do. A file inside an archive that cannot be read is listed in
            :attr:`FilesRead.rejected` instead.
    """
    ctx = Context(file=file, timezone=timezone, today=today or clock.local_today(timezone), units=units)
    try:
        return read_upload(file, data, ctx, progress)
    except FileRejected as refused:  # a file inside the archive stopped it all (a Strava activities.csv): say where
        if refused.file == file or refused.file.endswith(f" in {file}"):
            raise
        raise refused.inside(file) from refused
