"""Where the runner's database lives when nothing says otherwise.

In order: ``KNEELOG_DATABASE_URL`` (or the CLI's ``--db``, which wins over both); a database already at kneelog 0.1's
default, ``data/kneelog.db`` beside ``app.py`` in a source checkout, so nobody loses data on upgrade; else
``kneelog.db`` in the runner's data folder (``platformdirs.user_data_dir("kneelog")``: on Linux
``~/.local/share/kneelog``, on macOS ``~/Library/Application Support/kneelog``, on Windows
``%LOCALAPPDATA%\\kneelog``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import sqlalchemy as sa

ENV_VAR = "KNEELOG_DATABASE_URL"
#: kneelog 0.1 kept the database here, beside app.py in the checkout it ran from.
LEGACY_DB_PATH = Path(__file__).resolve().parents[2] / "data" / "kneelog.db"


@dataclass(frozen=True)
class Location:
    """The database URL in force and why it is that one (``env``, ``legacy`` or ``default``)."""

    url: str
    why: str

    def describe(self) -> str:
        """One sentence for Settings: where the data is and what chose that place."""
        if self.why == "env":
            return f"The database is {shown(self.url)}, set by {ENV_VAR}."
        if self.why == "legacy":
            return (
                f"The database is {self.url}: a database was already at kneelog's earlier default place "
                "(data/kneelog.db beside the app), so kneelog keeps using it. Move it to "
                f"{user_db_path()} (with kneelog stopped) to use the new default place."
            )
        return f"The database is {self.url}, kneelog's default place in your data folder."


def shown(url: str | sa.URL) -> str:
    """The database URL as it may be shown or printed: its password masked (text that is no URL, as it is)."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return str(url)


def user_db_path() -> Path:
    """The default database file in the runner's data folder."""
    return Path(platformdirs.user_data_dir("kneelog", appauthor=False)) / "kneelog.db"


def locate(environ: dict[str, str] | None = None, legacy: Path = LEGACY_DB_PATH) -> Location:
    """The database in force (see the module docstring).

    Args:
        environ: the environment to read (default ``os.environ``).
        legacy: where an earlier kneelog kept its database.
    """
    environ = os.environ if environ is None else environ
    if environ.get(ENV_VAR):
        return Location(environ[ENV_VAR], "env")
    if legacy.is_file():
        return Location(f"sqlite:///{legacy}", "legacy")
    return Location(f"sqlite:///{user_db_path()}", "default")


def default_url() -> str:
    """The database URL in force: see :func:`locate`."""
    return locate().url
