"""Regenerate the README's screenshots: every page wired in app.py, on the demo athlete, on a laptop and a phone.

    python -m tests.e2e.screenshots            # writes docs/screenshots/<page>.png and <page>-phone.png

Uses the browser machinery of the e2e journeys (:mod:`tests.e2e.harness`): ``streamlit run app.py`` on a
temporary database holding the demo athlete, and Debian's Chromium. A page that shows a Streamlit exception stops
the script with that exception, so a broken page never becomes a README picture. Look at every picture afterwards.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from kneelog.demo import load_demo
from kneelog.store import Store
from tests.e2e.harness import (
    DESKTOP,
    PHONE,
    REPO,
    SAMPLES,
    AppServer,
    assert_no_exception,
    browser_problem,
    chromium,
    expect,
    full_height_screenshot,
    go_to,
    new_page,
    open_path,
    page_titles,
    rerun,
)

OUT = REPO / "docs" / "screenshots"
VIEWPORTS = {"": DESKTOP, "-phone": PHONE}


def _import_preview(page) -> None:
    """The Import page is empty until a file is chosen: show the preview of two real exports (nothing imported)."""
    files = [
        SAMPLES / "strava" / "JoBoSo_Strava-Activity-Map__export_08_25_2025_activities_RUN_ROWS.csv",
        SAMPLES / "garmin" / "Romain-Thomas-Shef_grunt__Activities.csv",
    ]
    uploader = page.get_by_test_id("stFileUploader")
    rerun(page, lambda: uploader.locator("input[type='file']").set_input_files([str(f) for f in files]))
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()


def _first_stretch_open(page) -> None:
    """The Stretches page with the first stretch open (as the page opens it), with its still figures."""
    rerun(page, lambda: page.get_by_text("Move the figures").click())  # still figures: one picture every run
    expect(page.get_by_test_id("stExpander").first.get_by_text("Why it matters for the knee")).to_be_visible()


SET_UP: dict[str, Callable[..., None]] = {"import_data": _import_preview, "stretches": _first_stretch_open}


def take(out: Path = OUT) -> list[Path]:
    """Start the app on the demo athlete and write one PNG per page and screen size into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="kneelog-screenshots-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'kneelog.db'}"
        store = Store(url)
        load_demo(store)
        store.dispose()
        with AppServer(url, Path(tmp) / "streamlit.log") as server, chromium() as browser:
            for script, title in page_titles().items():
                name = Path(script).stem
                for suffix, viewport in VIEWPORTS.items():
                    page = new_page(browser, viewport)
                    open_path(page, server.url)
                    if name != "home":
                        go_to(page, title)
                    SET_UP.get(name, lambda _page: None)(page)
                    assert_no_exception(page)
                    path = out / f"{name}{suffix}.png"
                    full_height_screenshot(page, path)
                    assert_no_exception(page)
                    assert not page.js_errors, f"script errors in the browser on {title}: {page.js_errors}"
                    page.context.close()
                    written.append(path)
                    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path  # --out may be elsewhere
                    print(f"{title:<20} {viewport['width']:>4} px  {shown}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNGs (default {OUT.relative_to(REPO)})")
    args = parser.parse_args(argv)
    problem = browser_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    take(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
