"""Installing kneelog: where the database goes by default, and a real (non-editable) install that runs the CLI.

The install test builds a wheel from a clean copy of the working tree (the files git knows about, tracked or new,
never ignored ones such as a runner's data/kneelog.db) and installs it (``--no-deps``) into a fresh venv in tmp_path.
That venv reuses the dependencies installed in the environment running the tests through a ``.pth`` file listing
its site-packages folders (like ``--system-site-packages``, but right when the tests run in a venv too, and without
that environment's editable kneelog): nothing is downloaded for them. The wheel is built offline
(``--no-build-isolation --no-index``) when this environment's setuptools can build one itself (70.1 and later, or 68
and later beside the ``wheel`` package); otherwise pip builds it in its usual isolated environment from
``[build-system]``, as ``pip install -e .`` does.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import platformdirs
import pytest

from kneelog.store import Store, location
from kneelog.store.location import ENV_VAR, locate
from tests.conftest import REPO
from tests.test_hostile_text import escape_free

# --- where the database goes -----------------------------------------------------------------------------------


def test_the_environment_variable_wins_over_a_legacy_database(tmp_path):
    legacy = tmp_path / "data" / "kneelog.db"
    legacy.parent.mkdir()
    legacy.touch()
    found = locate({ENV_VAR: "sqlite:////elsewhere/k.db"}, legacy=legacy)
    assert (found.url, found.why) == ("sqlite:////elsewhere/k.db", "env")
    assert ENV_VAR in found.describe()


def test_an_empty_environment_variable_counts_as_unset(tmp_path):
    assert locate({ENV_VAR: ""}, legacy=tmp_path / "kneelog.db").why == "default"


def test_a_database_at_the_old_default_place_keeps_being_used(tmp_path):
    legacy = tmp_path / "data" / "kneelog.db"
    legacy.parent.mkdir()
    legacy.touch()
    found = locate({}, legacy=legacy)
    assert (found.url, found.why) == (f"sqlite:///{legacy}", "legacy")
    text = found.describe()
    assert "keeps using it" in text and str(location.user_db_path()) in text  # and where the new default is


def test_without_either_the_database_goes_to_the_runners_data_folder(tmp_path):
    found = locate({}, legacy=tmp_path / "data" / "kneelog.db")  # no file there
    expected = Path(platformdirs.user_data_dir("kneelog", appauthor=False)) / "kneelog.db"
    assert (found.url, found.why) == (f"sqlite:///{expected}", "default")
    assert "default place" in found.describe()


def test_the_legacy_place_is_data_kneelog_db_beside_app_py():
    assert location.LEGACY_DB_PATH == REPO / "data" / "kneelog.db"


def test_the_db_option_names_every_default_and_the_one_in_force(monkeypatch, capsys):
    from kneelog.cli import main

    monkeypatch.setenv(ENV_VAR, "sqlite:////somewhere/k.db")
    with pytest.raises(SystemExit):
        main(["weekly", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert ENV_VAR in help_text and "data/kneelog.db" in help_text
    assert str(location.user_db_path()) in help_text and "now: sqlite:////somewhere/k.db" in help_text


def test_settings_says_where_the_data_is_and_why(app, db_url):
    app.run()
    app.switch_page("pages/settings.py").run()
    assert not app.exception
    shown = " ".join(escape_free(m.value) for m in app.markdown)  # a path is escaped where it meets markdown
    assert f"The database is {db_url}, set by {ENV_VAR}." in shown


def test_settings_tells_a_runner_with_a_legacy_database_that_it_is_still_used(app, tmp_path, monkeypatch):
    legacy = tmp_path / "data" / "kneelog.db"
    legacy.parent.mkdir()
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setattr(location.locate, "__defaults__", (None, legacy))  # as if this checkout were the old one
    Store(f"sqlite:///{legacy}").dispose()  # kneelog 0.1 left a database there
    app.run()
    app.switch_page("pages/settings.py").run()
    assert not app.exception
    [info] = app.info
    shown = escape_free(info.value)
    assert str(legacy) in shown and "keeps using it" in shown
    assert str(location.user_db_path()) in shown


# --- what is packaged --------------------------------------------------------------------------------------------


def _setuptools_config() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_folder_of_kneelog_is_a_listed_package():
    """The package list in pyproject.toml is kept by hand (kneelog.data lives outside kneelog/): miss none."""
    on_disk = {
        ".".join(folder.relative_to(REPO).parts)
        for folder in [REPO / "kneelog", *(REPO / "kneelog").rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py"))
    }
    packages = set(_setuptools_config()["packages"])
    assert on_disk <= packages, sorted(on_disk - packages)
    assert packages - on_disk == {"kneelog.data"}


def test_the_stretch_library_ships_from_the_top_level_data_folder():
    config = _setuptools_config()
    assert config["package-dir"] == {"kneelog.data": "data"}
    assert config["package-data"]["kneelog.data"] == ["*.toml", "fonts/*.ttf", "fonts/LICENSE"]
    from kneelog.stretches import DEFAULT_LIBRARY_PATH

    assert Path(str(DEFAULT_LIBRARY_PATH)) == REPO / "data" / "stretches.toml"  # editable: read in place


# --- a real install ----------------------------------------------------------------------------------------------


def _setuptools_builds_wheels_offline() -> bool:
    try:
        major, minor = (int(part) for part in importlib.metadata.version("setuptools").split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (70, 1) or ((major, minor) >= (68, 0) and importlib.util.find_spec("wheel") is not None)


def _site_packages_here() -> list[str]:
    """The folders this environment installs packages into (a venv's and, if it sees them, the system's)."""
    return [entry for entry in sys.path if Path(entry).name in {"site-packages", "dist-packages"}]


def _clean_copy(destination: Path) -> None:
    """The working tree as git sees it: tracked and new files, never ignored ones."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = REPO / os.fsdecode(name)
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            target = destination / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def test_a_normal_install_runs_the_demo_and_the_weekly_table(tmp_path):
    started = time.monotonic()
    source, venv, work = tmp_path / "src", tmp_path / "venv", tmp_path / "work"
    env = {k: v for k, v in os.environ.items() if k not in {ENV_VAR, "PYTHONPATH", "PYTHONHOME"}}
    env |= {"XDG_DATA_HOME": str(tmp_path / "xdg"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def run(*args: str) -> str:
        result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=work, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    _clean_copy(source)
    for name in ["kneelog.db", "kneelog.db-wal"]:  # a runner's database beside the checkout never goes in the wheel
        (source / "data" / name).write_text("not packaged")
    work.mkdir()
    # A venv of its own that also sees this environment's packages, after its own ones and without running their
    # .pth files (so not the editable kneelog installed here); pip and setuptools come from here too.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    (site_packages / "_reuse_the_tests_packages.pth").write_text("\n".join(_site_packages_here()) + "\n")
    offline = ["--no-build-isolation", "--no-index"] if _setuptools_builds_wheels_offline() else []
    run(str(python), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", *offline, str(source))
    installed = time.monotonic()

    # The venv's own copy of kneelog, not the editable one of the environment running these tests.
    package = Path(run(str(python), "-c", "import kneelog; print(kneelog.__file__)").strip())
    assert package == site_packages / "kneelog" / "__init__.py"
    assert venv in package.parents and REPO not in package.parents
    assert (site_packages / "kneelog" / "data" / "stretches.toml").is_file()
    assert not list((site_packages / "kneelog" / "data").glob("*.db*"))
    assert not (site_packages / "data").exists()
    library = "from kneelog.stretches import DEFAULT_LIBRARY_PATH as p, load_library as l; print(len(l().stretches), p)"
    count, path = run(str(python), "-c", library).split(maxsplit=1)
    assert count == "5" and Path(path.strip()) == site_packages / "kneelog" / "data" / "stretches.toml"

    kneelog = str(venv / "bin" / "kneelog")
    db = f"sqlite:///{tmp_path / 'k.db'}"
    assert "28 days" in run(kneelog, "demo", "--db", db, "--days", "28")
    rows = list(csv.DictReader(io.StringIO(run(kneelog, "weekly", "--db", db))))
    assert rows and "week" in rows[0]
    assert len(rows) >= 4
    pdf = tmp_path / "report.pdf"  # the report's font ships in the wheel: a PDF of the four weeks comes out
    run(kneelog, "report", "--db", db, "--weeks", "4", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF") and (site_packages / "kneelog" / "data" / "fonts" / "LICENSE").is_file()
    assert not (tmp_path / "xdg").exists()  # --db said where: nothing was made in the runner's data folder
    took = time.monotonic() - started
    print(f"install {installed - started:.1f}s (offline build: {bool(offline)}), in all {took:.1f}s")
