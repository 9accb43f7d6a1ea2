"""Real storage faults for tests: a full database or disk, an immutable file, a damaged page.

Nothing here is a mock: SQLite's own ``max_page_count`` makes a database full, ``chattr +i`` makes a file immutable
(root ignores ``chmod``, not that), a page of the file is overwritten with garbage, and a tiny tmpfs is a disk that
fills up. What the machine cannot do (no root, no ``chattr`` on this filesystem) skips the test and says why.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from kneelog.store import Store


def cap_pages(store: Store, spare: int = 2) -> None:
    """Let ``store``'s database grow by at most ``spare`` pages: SQLite then says "database or disk is full".

    ``max_page_count`` holds per connection, so it is set on each new one (the pool is emptied first).
    """
    with sqlite3.connect(store.engine.url.database) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    sa.event.listen(store.engine, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count={pages + spare}"))
    store.dispose()


def damage(path: Path, table: str) -> int:
    """Overwrite one page of ``table`` in the database file with garbage and return its number.

    A leaf page from the middle of the table when SQLite's ``dbstat`` table can say which pages those are (so rows on
    both sides of it can still be read), else the table's root page.
    """
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        try:
            leaves = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                                                   "ORDER BY pageno", (table,))]  # fmt: skip
        except sqlite3.OperationalError:  # SQLite built without dbstat
            leaves = []
        page = leaves[len(leaves) // 2] if len(leaves) > 2 else conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]  # fmt: skip
    with path.open("r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\xde\xad\xbe\xef" * (size // 4))
    return page


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``path`` made immutable (``chattr +i``) for the block: even root cannot write it."""
    if shutil.which("chattr") is None or os.geteuid() != 0:
        pytest.skip("needs root and chattr to make a file immutable (root ignores chmod)")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip(f"this filesystem cannot make {path} immutable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@contextmanager
def tiny_disk(folder: Path, size: str = "512k") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` for the block: a real disk that fills up ("No space left")."""
    folder.mkdir(parents=True, exist_ok=True)
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("needs root to mount a small tmpfs (a disk that fills up)")
    try:
        yield folder
    finally:  # a file still open in this process keeps it busy: then detach it now and free it when closed
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)
