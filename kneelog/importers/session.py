"""Imports: files in, a preview the runner can read, then one all-or-nothing write.

:func:`preview` reads every file (:mod:`kneelog.importers`), then compares what it found with the log: what will be
added, what is already there (the same source and id, or an imported activity with the same start and distance),
what may duplicate a session the runner logged by hand, what is left out by type and what is rejected, with row,
column, value and reason. :func:`commit` writes it in one transaction -- everything or nothing -- after matching
once more inside the write lock, so importing the same file twice, or a newer export that overlaps an older one,
adds only what is new. Sessions that may duplicate a hand-logged one are not added unless the runner says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kneelog import importers
from kneelog.errors import FileRejected, FileTooLarge, FormatUnknown, ImportRefused
from kneelog.importers import ColumnMapping, Parsed, canonical, duplicates, files, header_key
from kneelog.importers.files import FilesRead
from kneelog.importers.kinds import GYM, RUN
from kneelog.models import DEMO, Unit
from kneelog.store import Store
from kneelog.units import format_distance, format_duration

#: Called with the share done (0-1) and what is being done.
Progress = Callable[[float, str], None]

#: Entries written per call of :meth:`Store.add_many`, between progress reports.
CHUNK = 1000
#: The bytes of an upload looked at to tell an activity file or archive from a CSV export.
HEAD_BYTES = 65536
#: Columns of :attr:`Preview.rejected`: the upload, the file inside it (for an archive), and where and why.
REJECTED_COLUMNS = ["file", "member", "row", "column", "value", "reason"]


def _noop(_share: float, _what: str) -> None:
    return None


@dataclass(frozen=True)
class Upload:
    """One file to import, with the runner's choices for it (all optional).

    ``path`` is set instead of ``data`` for an activity file or archive named on the command line: it is read from
    disk one member at a time, never whole (an account's archive can hold gigabytes).
    """

    name: str
    data: bytes
    format: str | None = None
    units: Unit | None = None
    mapping: ColumnMapping | None = None
    path: Path | None = None

    @classmethod
    def from_path(cls, path: str | Path, *, format: str | None = None, units: Unit | None = None) -> Upload:
        """A file on disk: a CSV export is read whole, an activity file or archive later, as it is imported.

        Raises:
            FileRejected: when the file cannot be opened.
        """
        path = Path(path)
        try:
            with path.open("rb") as f:
                if files.is_activity_upload(f.read(HEAD_BYTES)):
                    return cls(path.name, b"", format, units, path=path)
            return cls(path.name, path.read_bytes(), format, units)
        except OSError as e:
            raise FileRejected(str(path), f"the file cannot be opened ({e.strerror})", "Check the path.") from e

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return self.path.stat().st_size if self.path is not None else len(self.data)

    @property
    def is_activity_files(self) -> bool:
        """Whether this is an activity file or an archive of them (FIT, GPX, TCX, zip; gzipped or not), not a CSV."""
        return self.path is not None or files.is_activity_upload(self.data[:HEAD_BYTES])


@dataclass(frozen=True)
class FileOutcome:
    """How one file read: its parse (a CSV export's :class:`Parsed`, or the :class:`FilesRead` of an activity file
    or archive), or why it was refused; and the column mapping used, if any."""

    name: str
    parsed: Parsed | FilesRead | None = None
    error: FileRejected | None = None
    mapping: ColumnMapping | None = None
    header: tuple[str, ...] = ()  # the file's columns, when a mapping is needed or used

    @property
    def needs_mapping(self) -> bool:
        """The file's columns are unknown and can be mapped by hand."""
        return isinstance(self.error, FormatUnknown) and bool(self.error.header)


@dataclass(frozen=True)
class Preview:
    """Everything an import would do, before it does it.

    ``candidates`` holds every run and gym session the files give (canonical columns plus ``file``, ``status``
    -- ``new``, ``already`` or ``duplicate`` -- and ``match``: what it matched); :func:`commit` makes store entries of
    the rows it writes. ``demo_entries`` counts the demo athlete's entries that importing removes.
    """

    files: tuple[FileOutcome, ...]
    candidates: pd.DataFrame
    demo_entries: int = 0

    @property
    def refused(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.error is not None)

    def rows(self, status: str) -> pd.DataFrame:
        """Candidates with this status (``new``, ``already``, ``duplicate``)."""
        return self.candidates[self.candidates["status"] == status]

    @property
    def left_out(self) -> dict[str, int]:
        """Rows not imported because of their type, by type, over all files."""
        total: dict[str, int] = {}
        for outcome in self.files:
            for label, n in (outcome.parsed.left_out if outcome.parsed else {}).items():
                total[label] = total.get(label, 0) + n
        return dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def rejected(self) -> pd.DataFrame:
        """Rejected rows of every file: file, member (the file inside an archive, else ''), row (missing for a whole
        file inside an archive), column, value, reason."""
        frames = [
            f.parsed.rejected.assign(file=f.name, **({} if "member" in f.parsed.rejected else {"member": ""}))
            for f in self.files
            if f.parsed is not None and len(f.parsed.rejected)
        ]
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str") for c in REJECTED_COLUMNS})
        every = pd.concat(frames, ignore_index=True)[REJECTED_COLUMNS]
        return every.astype({"row": "Int64", "member": "str"})

    @property
    def rejected_count(self) -> int:
        """Rows and files refused: each row of a file (or of a file in an archive) once, and each whole file."""
        return len(self.rejected.drop_duplicates(["file", "member", "row"]))

    def summary(self, *, add_duplicates: bool = False) -> Summary:
        """What :func:`commit` would report, without writing (``--dry-run``)."""
        written = self.candidates["status"].eq("new") | (add_duplicates & self.candidates["status"].eq("duplicate"))
        return _summary(self, self.candidates[written], dry_run=True, demo_removed=self.demo_entries)


@dataclass(frozen=True)
class Summary:
    """The outcome of an import (or of a dry run): counts a runner reads and a script parses (:meth:`as_dict`)."""

    files: list[dict]
    read: int
    added: dict[str, int]
    distance_added_m: float
    already_there: int
    possible_duplicates: int
    left_out: dict[str, int]
    rejected: list[dict]
    demo_removed: int = 0
    dry_run: bool = False
    refused_files: list[dict] = field(default_factory=list)

    def lines(self, unit: Unit = "km") -> list[str]:
        """The summary as sentences, distances in the runner's unit (the CLI prints these)."""
        added = sum(self.added.values())
        verb = "Would add" if self.dry_run else "Added"
        out = [
            line
            for f in self.files
            for line in (
                f.get("summary") or f"{f['file']}: refused",
                *(f"{f['file']}: {w}." for w in f.get("warnings", ())),
            )
        ]
        out.append(f"Read {_plural(self.read, 'row')} from {_plural(len(self.files), 'file')}.")
        if self.refused_files:
            out.append("Nothing was imported: a file was refused (the reason follows). Fix it or leave it out.")
        else:
            kinds = f"{_plural(self.added[RUN], 'run')} and {_plural(self.added[GYM], 'gym session')}"
            out.append(
                f"{verb} {kinds} ({format_distance(self.distance_added_m, unit, 1)})."
                if added
                else (f"{verb} nothing new.")
            )
        if self.already_there or not added:
            out.append(f"Already there: {self.already_there:,}.")
        if self.possible_duplicates:
            out.append(f"Possible duplicates of sessions you logged by hand, not added: {self.possible_duplicates:,}.")
        if self.demo_removed:
            were = "would be" if self.dry_run else "were"
            out.append(f"The demo athlete's {self.demo_removed:,} entries {were} removed.")
        if self.left_out:
            shown = ", ".join(f"{label} {n:,}" for label, n in self.left_out.items())
            out.append(f"Left out by type: {shown}.")
        if self.rejected:
            out.append(f"Rejected ({_rejected_count(self.rejected):,}):")
            out += [f"  {_where(r)}: {r['reason']}" for r in self.rejected]
        return out

    def as_dict(self) -> dict:
        """Plain JSON-ready data."""
        return {
            "dry_run": self.dry_run,
            "read": self.read,
            "added": self.added,
            "added_total": sum(self.added.values()),
            "distance_added_m": round(self.distance_added_m, 1),
            "already_there": self.already_there,
            "possible_duplicates": self.possible_duplicates,
            "left_out": self.left_out,
            "rejected_rows": _rejected_count(self.rejected),
            "rejected": self.rejected,
            "refused_files": self.refused_files,
            "demo_removed": self.demo_removed,
            "files": self.files,
        }


def _rejected_count(rejected: list[dict]) -> int:
    return len({(r["file"], r.get("member", ""), r["row"]) for r in rejected})


def _where(r: dict) -> str:
    """``export.zip, activities/12.fit.gz, row 3, column 'Distance' (value '-5')``: as much as is known."""
    parts = [r["file"], *([r["member"]] if r.get("member") and r["member"] != r["file"] else [])]
    in_csv = not r.get("member") or r["member"].lower().endswith(".csv")  # else the row is an activity's number
    parts += [f"row {r['row']}"] if r.get("row") is not None and in_csv else []
    parts += [f"column '{r['column']}' (value '{r['value']}')"] if r.get("column") else []
    return ", ".join(parts)


# -- reading --------------------------------------------------------------------------------------------------------


def preview(
    store: Store,
    uploads: Sequence[Upload],
    *,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> Preview:
    """Read every upload and compare it with the log; writes nothing.

    A file that cannot be imported is kept as a :class:`FileOutcome` with its error (the others still preview);
    :func:`commit` refuses while any is. A file whose columns kneelog does not know is read with the mapping
    remembered for its header, if there is one.

    Args:
        store: the runner's store (settings for the time zone; entries to compare with).
        uploads: the files and the runner's choices for each.
        max_bytes: refuse files larger than this (the upload limit), with a message saying so.
        progress: called as files are read and matched.
    """
    report = progress or _noop
    timezone = store.settings().timezone
    outcomes: list[FileOutcome] = []
    for i, upload in enumerate(uploads):
        report(0.9 * i / max(len(uploads), 1), f"Reading {upload.name}")
        within = _within(report, upload.name, 0.9 * i / len(uploads), 0.9 / len(uploads))
        outcomes.append(_read(store, upload, timezone, max_bytes, within))
    report(0.9, "Comparing with your log")
    parsed = [(o.name, o.parsed) for o in outcomes if o.parsed is not None]
    frames = [p.activities.reset_index().assign(file=name) for name, p in parsed]
    candidates = pd.concat(frames, ignore_index=True) if frames else _empty_candidates(timezone)
    existing = store.existing_activities()
    matched = duplicates.match(candidates, existing[existing["source"] != DEMO])
    report(1.0, "Done")
    return Preview(tuple(outcomes), matched, store.count_source(DEMO))


def _within(report: Progress, name: str, start: float, width: float) -> Progress:
    """Progress inside one upload, counting the files of an archive: ``Reading export.zip: 120 files (...)``."""
    read = 0

    def within(share: float, member: str) -> None:
        nonlocal read
        read += not member.lower().endswith(".zip")  # a nested zip is told when done: its files were counted
        report(start + width * share, f"Reading {name}: {read:,} {'file' if read == 1 else 'files'} ({member})")

    return within


def _read(
    store: Store, upload: Upload, timezone: str, max_bytes: int | None, progress: Progress = _noop
) -> FileOutcome:
    size = upload.size
    if max_bytes is not None and size > max_bytes:
        error = FileTooLarge(
            upload.name,
            f"the file is {_size(size)}, more than the {_size(max_bytes)} upload limit",
            "Export a shorter date range, or import it from the command line: kneelog import FILE.",
        )
        return FileOutcome(upload.name, error=error)
    if upload.is_activity_files:  # FIT, GPX, TCX or an archive: the format and mapping of a CSV do not apply
        return _read_files(upload, timezone, progress)
    mapping = upload.mapping
    header: tuple[str, ...] = ()
    try:
        if mapping is None and upload.format is None:
            try:
                parsed = importers.parse(upload.name, upload.data, timezone=timezone, units=upload.units)
                return FileOutcome(upload.name, parsed)
            except FormatUnknown as unknown:
                header = unknown.header
                mapping = remembered_mapping(store, header)
                if mapping is None:
                    raise
        else:
            header = importers.read_header(upload.name, upload.data) if mapping else ()
        parsed = importers.parse(
            upload.name, upload.data, timezone=timezone, format=upload.format, units=upload.units, mapping=mapping
        )
        return FileOutcome(upload.name, parsed, mapping=mapping, header=header)
    except FileRejected as e:
        return FileOutcome(upload.name, error=e, mapping=mapping, header=header)


def _read_files(upload: Upload, timezone: str, progress: Progress) -> FileOutcome:
    """An activity file or archive, read from memory or (from the command line) from disk one member at a time."""
    try:
        with upload.path.open("rb") if upload.path is not None else nullcontext(upload.data) as source:
            read = files.read(upload.name, source, timezone=timezone, units=upload.units, progress=progress)
        return FileOutcome(upload.name, read)
    except FileRejected as e:
        return FileOutcome(upload.name, error=e)
    except OSError as e:
        problem = f"the file cannot be read ({e.strerror})"
        return FileOutcome(upload.name, error=FileRejected(upload.name, problem, "Check the file and try again."))


def _size(n: int) -> str:
    """Bytes as the runner reads them (binary megabytes, as Streamlit counts its upload limit)."""
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n / 2**10:,.1f} kB"


def _empty_candidates(timezone: str) -> pd.DataFrame:
    columns = ["row", *importers.canonical.COLUMNS, "file"]
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    dtypes = {"date": "datetime64[us]", "start": f"datetime64[us, {timezone}]", "distance_m": "float64"}
    return frame.astype(dtypes | {"duration_s": "float64", "rpe": "float64"})


# -- writing --------------------------------------------------------------------------------------------------------


def commit(
    store: Store,
    plan: Preview,
    *,
    add_duplicates: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Write a previewed import in one transaction: every new entry or, on any error, none.

    Matching runs again inside the write lock, so a second click, or the same file imported meanwhile, adds
    nothing twice. The demo athlete's entries are removed in the same transaction, and column mappings the runner
    made are remembered for the next file with the same header.

    Args:
        add_duplicates: also add sessions that may duplicate one logged by hand.

    Raises:
        ImportRefused: when a file of the preview was refused (nothing is written).
        DuplicateEntry: when the database refuses a row (nothing is written).
    """
    if plan.refused:
        names = ", ".join(f.name for f in plan.refused)
        raise ImportRefused(
            f"Nothing was imported: {names} cannot be imported (see above). Fix or remove it and import again."
        )
    report = progress or _noop
    with store.transaction() as tx:
        existing = tx.existing_activities()
        demo = tx.delete_source(DEMO)  # every kind of demo entry, not only the runs and gym sessions
        matched = duplicates.match(plan.candidates, existing[existing["source"] != DEMO])
        write = matched["status"].eq("new") | (add_duplicates & matched["status"].eq("duplicate"))
        chosen = matched[write]
        for start in range(0, len(chosen), CHUNK):  # entries made a chunk at a time: memory stays flat
            report(start / max(len(chosen), 1), f"Saving {start:,} of {len(chosen):,}")
            tx.add_many(_entries(chosen.iloc[start : start + CHUNK]))
        for outcome in plan.files:
            if outcome.mapping is not None and outcome.header:
                tx.save_column_mapping(header_key(outcome.header), outcome.header, outcome.mapping.model_dump_json())
    report(1.0, f"Saved {len(chosen):,}")
    return _summary(plan, matched[write], dry_run=False, demo_removed=demo, matched=matched)


def _entries(rows: pd.DataFrame) -> list:
    """Store entries of candidate rows, with what an activity file adds (heart rate, elapsed time, ascent)."""
    made = canonical.entries(rows)
    if "hr_seconds" not in rows:
        return made
    return [
        entry.model_copy(update=extra) if any(v is not None for v in extra.values()) else entry
        for entry, extra in zip(made, files.details(rows), strict=True)
    ]


def _summary(
    plan: Preview, written: pd.DataFrame, *, dry_run: bool, demo_removed: int, matched: pd.DataFrame | None = None
) -> Summary:
    matched = plan.candidates if matched is None else matched
    counts = written["kind"].value_counts()
    files = [_file_summary(o) for o in plan.files]
    return Summary(
        files=files,
        read=sum(o.parsed.read for o in plan.files if o.parsed is not None),
        added={RUN: int(counts.get(RUN, 0)), GYM: int(counts.get(GYM, 0))},
        distance_added_m=float(written["distance_m"].sum(skipna=True)),
        already_there=int(matched["status"].eq("already").sum()),
        possible_duplicates=int(matched["status"].eq("duplicate").sum()),
        left_out=plan.left_out,
        rejected=[_rejected_line(r) for r in plan.rejected.to_dict("records")],
        demo_removed=demo_removed,
        dry_run=dry_run,
        refused_files=[{"file": f.name, "error": str(f.error)} for f in plan.refused],
    )


def _file_summary(outcome: FileOutcome) -> dict:
    if outcome.parsed is None:
        return {"file": outcome.name, "error": str(outcome.error)}
    p = outcome.parsed
    counts = {"read": p.read, "runs": p.counts[RUN], "gym": p.counts[GYM], "left_out": p.left_out}
    if isinstance(p, FilesRead):  # an archive or activity file: no format, language, units or encoding to report
        return {"file": outcome.name, "label": p.label, "summary": p.summary(), **counts} | {
            "rejected_rows": p.rejected_rows,
            "warnings": [],
        }
    return {
        "file": outcome.name,
        "format": p.format.name,
        "label": p.format.label,
        "language": p.language,
        "summary": p.summary(),
        **counts,
        "rejected_rows": p.rejected_rows,
        "units": p.units,
        "encoding": p.encoding,
        "warnings": list(p.warnings),
    }


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _plain(value: object) -> object:
    return None if value is pd.NA else value.item() if hasattr(value, "item") else value


def _rejected_line(line: dict) -> dict:
    """One rejected line as plain data; ``member`` only for a file inside an archive, ``row`` None without one."""
    return {k: _plain(v) for k, v in line.items() if k != "member" or line[k]}


# -- remembered column mappings -------------------------------------------------------------------------------------


def remembered_mapping(store: Store, header: Sequence[str]) -> ColumnMapping | None:
    """The mapping the runner made for files with this header, if any."""
    saved = store.column_mapping(header_key(header))
    return ColumnMapping.model_validate_json(saved) if saved else None


# -- for reading ----------------------------------------------------------------------------------------------------


def display(rows: pd.DataFrame, unit: Unit, *, limit: int = 1000) -> pd.DataFrame:
    """The first ``limit`` rows of a preview as the runner reads them: day, time, kind, type, distance in their
    unit, duration, effort, name, and the file and row they come from (and what they matched, if anything)."""
    shown = rows.sort_values(["date", "start"], kind="stable").head(limit)
    wall = duplicates.wall_clock(shown["start"]) if len(shown) else shown["start"]
    table = pd.DataFrame(
        {
            "Date": shown["date"].dt.strftime("%Y-%m-%d"),
            "Time": wall.dt.strftime("%H:%M").fillna("") if len(shown) else "",
            "Kind": shown["kind"].map({RUN: "Run", GYM: "Gym"}),
            "Type": shown["activity_type"],
            "Distance": [format_distance(m, unit) if not math.isnan(m) else "" for m in shown["distance_m"]],
            "Duration": [format_duration(s) for s in shown["duration_s"]],
            "Effort": shown["rpe"].map(lambda v: "" if math.isnan(v) else f"{v:.0f}"),
            "Name": shown["name"].str.split("\n").str[0],
            "File": [_in_file(f, m) for f, m in zip(shown["file"], _members(shown), strict=True)],
            "Row": shown["row"],
        }
    )
    if "match" in shown and shown["match"].ne("").any():
        table["Matches"] = [
            _matched(row, unit) if row.status == "duplicate" else row.match for row in shown.itertuples()
        ]
    return table.reset_index(drop=True)


def _members(rows: pd.DataFrame) -> pd.Series:
    return rows["member"].fillna("").astype("str") if "member" in rows else pd.Series("", index=rows.index)


def _in_file(file: str, member: str) -> str:
    """``export.zip › activities/12.fit.gz`` for a file inside an archive, else the file."""
    return f"{file} › {member}" if member and member != file else file


def _matched(row, unit: Unit) -> str:
    """``your run of 2024-03-02: 5.00 km in 29:50``: the hand-logged entry a possible duplicate matches."""
    what = "run" if row.kind == RUN else "gym session"
    distance = f"{format_distance(row.match_distance_m, unit)} in " if row.kind == RUN else ""
    return f"your {what} of {row.match_date:%Y-%m-%d}: {distance}{format_duration(row.match_duration_s)}"
