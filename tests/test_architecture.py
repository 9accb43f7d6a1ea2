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
