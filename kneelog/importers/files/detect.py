"""What a file is, from its first bytes (never only its name), and reading one activity file of any format.

FIT files carry ``.FIT`` at bytes 8-11 of their header, gzip starts ``1f 8b``, a zip archive ``PK``, and GPX and TCX
are XML whose root element is ``gpx`` or ``TrainingCenterDatabase`` (after any whitespace, byte-order mark, XML
declaration or comment: Strava writes TCX files with whitespace before the declaration). A ``.gz`` file is
unpacked within the limits below and looked at again.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from kneelog.errors import FileEmpty, FileMalformed, FileRejected, FileTooLarge
from kneelog.importers.files import fit, gpx, tcx
from kneelog.importers.files.summary import Activity

#: The largest activity file read (bytes, unpacked). The most verbose format, TCX at one sample a second, takes
#: 1.1 MB an hour (tests/data/devices runpandas__run.tcx: 445 kB for 23:43), so 64 MiB holds more than two days
#: of non-stop recording; FIT takes a seventh of that. Only one file is held in memory at a time.
MAX_FILE_BYTES = 64 * 2**20
#: Unpacked bytes per packed byte beyond which a file is a decompression bomb. Real activity files pack 1.1:1 (FIT)
#: to 23:1 (a Strava GPX), measured on every file in tests/data/devices at zlib's strongest level; deflate reaches
#: 1032:1 on repeated bytes. 100:1 is four times the most a real file reaches.
MAX_RATIO = 100
#: Below this size (bytes, unpacked) the ratio is not checked: a small file is no bomb, and a short GPX of repeated
#: points may pack tightly.
RATIO_FLOOR = 2**20

ZIP, GZIP, FIT, GPX, TCX = "zip", "gzip", "fit", "gpx", "tcx"
#: The label a runner reads for each kind of file.
LABELS = {ZIP: "zip archive", GZIP: "gzip file", FIT: "FIT file", GPX: "GPX file", TCX: "TCX file"}
READERS: dict[str, Callable[[str, bytes], list[Activity]]] = {FIT: fit.read, GPX: gpx.read, TCX: tcx.read}

_BOM = b"\xef\xbb\xbf"
#: What may precede an XML root element: whitespace, the declaration, comments, a document type; then the root's name.
#: The repeats are possessive (``*+``, ``++``): a plain ``(?:\s+|...)*`` backtracks exponentially through a run of
#: whitespace that ends in no element (40 blanks took minutes), so a hostile upload could hang the page.
_XML_ROOT = re.compile(
    rb"(?:\s++|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^>\[]++|\[.*?\])*+>)*+<(?:[\w.-]+:)?([\w.-]+)",
    re.DOTALL | re.ASCII,
)
_XML_ROOTS = {b"gpx": GPX, b"TrainingCenterDatabase": TCX}
_EXPORT_AGAIN = "Export the activity again (from the watch's app or the platform) and upload the new copy."


def sniff(data: bytes) -> str | None:
    """``zip``, ``gzip``, ``fit``, ``gpx`` or ``tcx`` from the content; None for anything else."""
    if data[:2] == b"PK":
        return ZIP
    if data[:2] == b"\x1f\x8b":
        return GZIP
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT":
        return FIT
    head = data[:8192]
    found = _XML_ROOT.match(head[3:] if head.startswith(_BOM) else head)
    return _XML_ROOTS.get(found.group(1)) if found else None


def gunzip(member: str, data: bytes) -> bytes:
    """The unpacked content of a gzip file, within :data:`MAX_FILE_BYTES` and :data:`MAX_RATIO`.

    Raises:
        FileTooLarge: when it unpacks to more than the limits allow (nothing beyond them is unpacked).
        FileMalformed: when the gzip data is damaged or cut off.
    """
    ratio_bound = max(RATIO_FLOOR, MAX_RATIO * len(data))
    limit = min(MAX_FILE_BYTES, ratio_bound)
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = unpacker.decompress(data, limit + 1)
    except zlib.error as e:
        raise FileMalformed(member, f"the gzip data is damaged ({e})", _EXPORT_AGAIN) from e
    if len(out) > limit:
        raise too_large(member, packed=len(data), ratio=limit == ratio_bound and limit < MAX_FILE_BYTES)
    if not unpacker.eof:
        raise FileMalformed(member, "the gzip file is cut off before its end", _EXPORT_AGAIN)
    return out


def too_large(member: str, *, packed: int, ratio: bool) -> FileTooLarge:
    """The refusal of a file that unpacks beyond a limit: the ratio (a bomb) or the size."""
    if ratio:
        problem = f"it unpacks to more than {MAX_RATIO} times its packed size ({packed:,} bytes): no real activity "
        problem += "file packs that tightly, so it is not read"
    else:
        problem = f"it unpacks to more than {MAX_FILE_BYTES // 2**20} MB, more than any activity file kneelog reads"
    return FileTooLarge(member, problem, "Leave this file out; if it is a real recording, export it again.")


def read_file(member: str, data: bytes) -> list[Activity]:
    """The activities in one FIT, GPX or TCX file, gzip-compressed or not.

    Raises:
        FileRejected: (a subclass of it) naming the file, when it is not an activity file or cannot be read.
    """
    if not data:
        raise FileEmpty(member, "the file is empty", _EXPORT_AGAIN)
    kind = sniff(data)
    if kind == GZIP:
        data = gunzip(member, data)
        kind = sniff(data)
    reader = READERS.get(kind or "")
    if reader is None:
        what = f"a {LABELS[kind]} inside a gzip file" if kind else "not a FIT, GPX or TCX activity file"
        raise FileRejected(member, f"this is {what}", "Upload the activity files (.fit, .gpx, .tcx, or .gz of them).")
    return reader(member, data)
