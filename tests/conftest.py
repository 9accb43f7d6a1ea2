"""Shared fixtures: a real SQLite file per test, and AppTest pointed at it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kneelog.store import Store
from tests.postgres import running_server

REPO = Path(__file__).resolve().parents[1]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``backends("sqlite", "postgresql")`` (on it or its module) runs once per database, via db_url."""
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is not None and "db_url" in metafunc.fixturenames:
        metafunc.parametrize("db_url", marker.args, indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL 15 server for the whole session (tests/postgres.py): skipped without one, failed in CI."""
    with running_server() as server:
        yield server


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh database for this test: an SQLite file, or (marked ``backends``) a new database on the test server."""
    if getattr(request, "param", "sqlite") == "postgresql":
        server = request.getfixturevalue("postgres_server")
        # a server database has no folder: a restore's safety copy goes to the data folder, here the test's own
        request.getfixturevalue("monkeypatch").setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        url = server.new_database()
        yield url
        server.drop_database(url)
    else:
        yield f"sqlite:///{tmp_path / 'kneelog.db'}"


@pytest.fixture
def store(db_url: str):
    """A Store on this test's database file."""
    s = Store(db_url)
    yield s
    s.dispose()


@pytest.fixture
def app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The whole app (app.py and its navigation) on this test's database file; not yet run."""
    monkeypatch.setenv("KNEELOG_DATABASE_URL", db_url)
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
