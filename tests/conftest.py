"""Shared fixtures: a real SQLite file per test, and AppTest pointed at it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kneelog.store import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for this test."""
    return f"sqlite:///{tmp_path / 'kneelog.db'}"


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
