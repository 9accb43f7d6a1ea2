"""A real PostgreSQL 15 server for the test session, in a temporary folder, and a fresh database for each test.

The server is Debian's ``postgresql`` package (``initdb`` and ``pg_ctl`` in ``/usr/lib/postgresql/15/bin``, or
wherever ``KNEELOG_PG_BINDIR`` says). It listens on 127.0.0.1 on a free port with ``trust`` authentication (no
password: nothing but this machine reaches it) and ``fsync`` off (a test server's data need not survive a power
cut). PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user.

Without PostgreSQL the tests that need it are skipped, with the reason; in CI (``CI=true``) they fail instead, so a
CI machine without the server never passes the PostgreSQL half of the suite unnoticed.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _bindir() -> Path:
    """Where initdb and pg_ctl are: ``KNEELOG_PG_BINDIR``, else Debian's newest installed PostgreSQL (15 here)."""
    if "KNEELOG_PG_BINDIR" in os.environ:
        return Path(os.environ["KNEELOG_PG_BINDIR"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


BINDIR = _bindir()
#: The superuser initdb makes, which the tests connect as.
SUPERUSER = "kneelog"


class Server:
    """A running PostgreSQL cluster; :meth:`new_database` makes an empty database on it and returns its URL."""

    def __init__(self, port: int):
        self.port = port
        self._numbers = itertools.count(1)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3, as kneelog speaks it)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self):
        import psycopg

        return psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True)

    def new_database(self) -> str:
        """Make a new, empty database and return its URL."""
        name = f"kneelog_test_{next(self._numbers)}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`new_database`, closing whatever is still connected to it."""
        name = url.rsplit("/", 1)[1]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _missing(reason: str) -> None:
    message = f"PostgreSQL 15 is needed for these tests: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI must run them: install Debian's postgresql package, as .ci/run does)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(argv: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


@contextmanager
def running_server() -> Iterator[Server]:
    """Start a PostgreSQL cluster in a temporary folder for as long as the block runs; stop it and remove the folder.

    Skips (or, in CI, fails) when PostgreSQL or psycopg is not installed.
    """
    initdb, pg_ctl = BINDIR / "initdb", BINDIR / "pg_ctl"
    if not initdb.is_file():
        _missing(f"{initdb} is not there (Debian: apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed (pip install -e .)")
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _missing("running as root, and there is no postgres user to run the server as")
    folder = Path(tempfile.mkdtemp(prefix="kneelog-pg-"))
    data, log = folder / "data", folder / "server.log"
    name = owner.pw_name if owner else None
    if owner:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    try:
        make = [str(initdb), "-D", str(data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]
        subprocess.run(_as_owner([*make, "--no-sync"], name), check=True, capture_output=True)
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(
            _as_owner([str(pg_ctl), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"], name),
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as e:
        said = (e.stderr or b"").decode(errors="replace") + (log.read_text(errors="replace") if log.exists() else "")
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL is installed but did not start: {said.strip()}")
    try:
        yield Server(port)
    finally:
        subprocess.run(_as_owner([str(pg_ctl), "-D", str(data), "-m", "immediate", "stop"], name), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
