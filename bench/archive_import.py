"""An archive of thousands of FIT files: peak memory of its import, and its time against fitdecode alone.

The archive is built in memory from the real FIT runs in tests/data/devices (the Forerunner 110 run of 2013 and the
compressed-speed-distance run of 2012, the two small ones), each copy moved on by whole days so every activity is a
new one: every timestamp in the file is shifted (a day is 2,700 x 32 s, so the 5-bit compressed timestamps stay
right) and the file's CRC is written again. Each copy is a separate ``.fit`` member of a plain zip, as in Garmin's
export.

Two fresh interpreters, in one run: one reads every member with ``fitdecode`` alone (the floor: kneelog reads FIT
with it), the other imports the archive from disk as ``kneelog import`` does (preview, then one commit into an empty
SQLite file). The ratio of their CPU seconds (``time.process_time``: what each process itself spent, so the other
work of a shared machine does not land on one side of the ratio, as it does on wall-clock seconds measured minutes
apart) is the figure (target :data:`TIME_RATIO`); wall-clock seconds are reported beside it. The import's process peak
(``VmHWM``, /proc/self/status) must stay under :data:`BUDGET_MB`. ``python -m bench.archive_import [--files N]``
runs this case alone, prints its row and exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DEVICES = REPO / "tests" / "data" / "devices"
SAMPLES = ("python-fitparse__2013-02-06-12-11-14.fit", "python-fitparse__compressed-speed-distance.fit")
FILES = 3000
BUDGET_MB = 500.0
TIME_RATIO = 1.5
DAY_S = 86_400
#: Date and time fields besides every message's ``timestamp`` (253): (global message, field number).
TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5)}  # file_id.time_created, session/lap.start_time, local_timestamp
#: FIT's CRC-16 nibble table (the FIT SDK's ``FitCRC_Get16``; fitdecode.utils.CRC_TABLE).
CRC_TABLE = np.array(
    [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
     0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400],
    dtype=np.uint16,
)  # fmt: skip


def time_offsets(data: bytes) -> list[tuple[int, str]]:
    """Where each date-time value sits in a FIT file (byte offset, struct byte order), chained files included."""
    found: list[tuple[int, str]] = []
    start = 0
    while start + 12 <= len(data):
        header = data[start]
        end = start + header + struct.unpack_from("<I", data, start + 4)[0]
        pos, local = start + header, {}
        while pos < end:
            h = data[pos]
            pos += 1
            if h & 0x80:  # a compressed-timestamp data message: its local type in bits 5-6
                pos = _fields(local[(h >> 5) & 0x3], pos, found)
            elif h & 0x40:  # a definition message
                order = ">" if data[pos + 1] else "<"
                number, count = struct.unpack_from(order + "H", data, pos + 2)[0], data[pos + 4]
                pos += 5
                fields = [(data[pos + 3 * i], data[pos + 3 * i + 1]) for i in range(count)]
                pos += 3 * count
                developer = 0
                if h & 0x20:
                    developer = sum(data[pos + 1 + 3 * i + 1] for i in range(data[pos]))
                    pos += 1 + 3 * data[pos]
                local[h & 0x0F] = (number, order, fields, developer)
            else:
                pos = _fields(local[h & 0x0F], pos, found)
        start = end + 2
    return found


def _fields(definition: tuple, pos: int, found: list[tuple[int, str]]) -> int:
    number, order, fields, developer = definition
    for field, size in fields:
        if size == 4 and (field == 253 or (number, field) in TIME_FIELDS):
            found.append((pos, order))
        pos += size
    return pos + developer


def crc(copies: np.ndarray, upto: int) -> np.ndarray:
    """FIT's CRC-16 of each row's first ``upto`` bytes, all rows at once."""
    value = np.zeros(len(copies), dtype=np.uint16)
    for column in range(upto):
        byte = copies[:, column]
        for nibble in (byte & 0xF, byte >> 4):
            value = (value >> 4) ^ CRC_TABLE[value & 0xF] ^ CRC_TABLE[nibble]
    return value


def shifted_copies(data: bytes, days: np.ndarray) -> np.ndarray:
    """Copies of a one-segment FIT file, row k moved on by ``days[k]`` days, each with its CRC written again."""
    copies = np.tile(np.frombuffer(data, dtype=np.uint8), (len(days), 1))
    seconds = days.astype(np.uint64) * DAY_S
    for pos, order in time_offsets(data):
        value = struct.unpack_from(order + "I", data, pos)[0]
        if value == 0xFFFFFFFF or value < 0x10000000:  # invalid, or a relative time (seconds since power-up)
            continue
        moved = (value + seconds).astype(f"{order}u4")
        copies[:, pos : pos + 4] = moved.view(np.uint8).reshape(-1, 4)
    end = len(data) - 2
    copies[:, end:] = crc(copies, end).astype("<u2").view(np.uint8).reshape(-1, 2)
    return copies


def archive(files: int = FILES) -> bytes:
    """A zip of ``files`` FIT runs, every one a different activity."""
    per = -(-files // len(SAMPLES))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        written = 0
        for n, sample in enumerate(SAMPLES):
            copies = shifted_copies((DEVICES / sample).read_bytes(), np.arange(1, per + 1))
            for k, row in enumerate(copies[: files - written]):
                out.writestr(f"activities/{n}-{k:05d}.fit", row.tobytes())
            written += min(per, files - written)
    return buffer.getvalue()


def measure(folder: Path, files: int = FILES) -> dict:
    """Build the archive into ``folder`` and time fitdecode alone and kneelog's import, one fresh process each."""
    path = folder / "archive_import.zip"
    data = archive(files)
    path.write_bytes(data)
    floor = _child("fitdecode", path, folder / "archive_import.db")
    work = _child("import", path, folder / "archive_import.db")
    floor = {"fitdecode_s": floor["seconds"], "fitdecode_cpu_s": floor["cpu_s"]}
    return {"files": files, "zip_mb": len(data) / 2**20} | floor | work


def check(r: dict) -> None:
    """Fail when the import is over its memory budget or slower than :data:`TIME_RATIO` x fitdecode.

    Raises:
        AssertionError: naming the figure missed.
    """
    assert r["rss_peak_mb"] < BUDGET_MB, f"archive import peaked at {r['rss_peak_mb']:.0f} MB (budget {BUDGET_MB:g})"
    ratio = r["cpu_s"] / r["fitdecode_cpu_s"]
    assert ratio <= TIME_RATIO, f"archive import took {ratio:.2f}x fitdecode's time (target {TIME_RATIO:g}x)"


def rows(r: dict) -> list[str]:
    """RESULTS.md's lines for these figures."""
    ratio = r["cpu_s"] / r["fitdecode_cpu_s"]
    what = f"import of an archive of {r['files']:,} FIT files ({r['zip_mb']:.1f} MB zip; {r['added']:,} added)"
    return [
        f"| {what}, preview and write, vs fitdecode alone reading them (CPU seconds of each process) | "
        f"{r['cpu_s']:.1f} s vs {r['fitdecode_cpu_s']:.1f} s: {ratio:.2f}x (wall clock {r['seconds']:.1f} s vs "
        f"{r['fitdecode_s']:.1f} s) | within {TIME_RATIO:g}x | {_met(ratio <= TIME_RATIO)} |",
        f"| peak memory of that import | process {r['rss_before_mb']:.0f} MB before, {r['rss_peak_mb']:.0f} MB at peak "
        f"| under {BUDGET_MB:g} MB | {_met(r['rss_peak_mb'] < BUDGET_MB)} |",
    ]


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _child(kind: str, path: Path, db: Path) -> dict:
    args = [sys.executable, "-m", "bench.archive_import", "--child", kind, str(path), str(db)]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _fitdecode(path: Path) -> dict:
    """fitdecode alone over every member (unpacked first, outside the clock), as kneelog's reader calls it."""
    import fitdecode

    with zipfile.ZipFile(path) as zf:
        members = [zf.read(name) for name in zf.namelist()]
    started, cpu = time.perf_counter(), time.process_time()
    for data in members:
        reader = fitdecode.FitReader(
            io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.IGNORE
        )
        for _ in reader:
            pass
    return {"seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu}


def _import(path: Path, db: Path) -> dict:
    from kneelog.importers import session
    from kneelog.models import Settings
    from kneelog.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store(f"sqlite:///{db}")
    store.save_settings(Settings(timezone="UTC"))
    before = _status_mb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    plan = session.preview(store, [session.Upload.from_path(path)])
    summary = session.commit(store, plan)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.dispose()
    assert not summary.rejected, summary.rejected[:3]
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "rss_before_mb": before,
        "rss_peak_mb": _status_mb("VmHWM"),
        "added": sum(summary.added.values()),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        kind, path, db = argv[1:4]
        print(json.dumps(_fitdecode(Path(path)) if kind == "fitdecode" else _import(Path(path), Path(db))))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.archive_import", description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=FILES, help=f"FIT files in the archive (default {FILES:,})")
    files = parser.parse_args(argv).files
    with tempfile.TemporaryDirectory() as folder:
        results = measure(Path(folder), files)
    print("\n".join(rows(results)))
    check(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
