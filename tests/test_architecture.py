"""The shape of the code: a UI-free core, and every page reachable from app.py."""

import ast
import pkgutil
import subprocess
import sys

import kneelog
from tests.conftest import REPO


def test_no_kneelog_module_loads_streamlit():
    modules = [
        m.name
        for m in pkgutil.walk_packages(kneelog.__path__, "kneelog.")
        if ".migrations" not in m.name and not m.name.endswith("__main__")
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert len(modules) > 8
    assert result.stdout.strip() == "[]"


def _modules_loaded_by(packages: list[str]) -> set[str]:
    """Every module a fresh interpreter holds after importing each module of ``packages`` (nothing else)."""
    names = [m.name for p in packages for m in pkgutil.walk_packages([str(REPO / p.replace(".", "/"))], f"{p}.")]
    code = (
        "import importlib, sys\n"
        f"for name in {[*packages, *names]!r}: importlib.import_module(name)\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return set(result.stdout.split())


def test_analysis_and_views_are_data_in_data_out():
    """No database in the computing core: analysis/ and views/ take frames in and give frames and charts out."""
    loaded = _modules_loaded_by(["kneelog.analysis", "kneelog.views"])
    assert "kneelog.views.dashboard" in loaded and "kneelog.analysis.weekly" in loaded  # the check checks something
    assert sorted(m for m in loaded if m.split(".")[0] == "sqlalchemy" or m.startswith("kneelog.store")) == []


def test_kneelog_reads_as_its_architecture():
    """``ls kneelog``: the nouns every part shares, then one package per concern (README, Layout)."""
    top = {p.name for p in (REPO / "kneelog").iterdir() if p.name != "__pycache__"}
    assert top == {
        "__init__.py", "models.py", "errors.py", "units.py", "clock.py", "limits.py", "stretches.py", "demo.py",
        "store", "importers", "analysis", "views", "report", "cli",
    }  # fmt: skip


def test_every_page_file_is_in_the_navigation():
    tree = ast.parse((REPO / "app.py").read_text())
    listed = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
    }
    on_disk = {f"pages/{p.name}" for p in (REPO / "pages").glob("*.py") if not p.name.startswith("_")}
    assert listed == on_disk


def test_every_page_imports_the_ui_glue_so_direct_links_work():
    """pages/_ui.py switches Streamlit out of its legacy pages/-folder mode; a page that skips it breaks /page links."""
    for page in (REPO / "pages").glob("[!_]*.py"):
        imports = [line for line in page.read_text().splitlines() if line.startswith("from pages import")]
        assert imports and any("_ui" in line or "_forms" in line for line in imports), page.name  # _forms imports _ui


def test_the_server_process_freezes_its_modules_once_and_still_collects_what_runs_create():
    # the modules' objects leave the full collections (a pause of 0.2-0.3 s each, bench/dashboard.py); garbage made
    # after the import, a cycle as a run might leave, is collected as before; a second import freezes nothing more
    code = (
        "import gc, weakref\n"
        "import pages._process\n"
        "frozen = gc.get_freeze_count()\n"
        "class Entry: pass\n"
        "a, b = Entry(), Entry(); a.other, b.other = b, a; gone = weakref.ref(a); del a, b\n"
        "gc.collect()\n"
        "import pages._process\n"
        "print(frozen, gone() is None, gc.get_freeze_count() == frozen)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    frozen, collected, once = result.stdout.split()
    assert int(frozen) > 100_000  # Streamlit, pandas, Altair and SQLAlchemy hold some 300,000
    assert collected == "True" and once == "True"
