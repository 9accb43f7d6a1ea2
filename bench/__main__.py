"""``python -m bench``: make the data, take every measurement in one run, write ``bench/RESULTS.md``.

The Chromium measurement needs /usr/bin/chromium and playwright; without Chromium it is reported as not measured.
Generated data goes to ``bench/out/`` (not committed). It takes a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import archive_import, browser, dashboard, import_memory, importing, memory, physio_report, report
from bench.athlete import athlete, strava_export
from kneelog.models import Settings
from kneelog.store import Store
from kneelog.store.backup import describe_counts

HERE = Path(__file__).resolve().parent


def _say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def _database(path: Path, days: int) -> tuple[str, str]:
    """A database holding ``days`` days of the athlete; its URL and what it holds."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(f"sqlite:///{path}")
    store.add_many(athlete(days))
    store.save_settings(Settings(timezone="UTC"))
    held = describe_counts(store.counts())
    store.dispose()
    return f"sqlite:///{path}", held


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0]).parse_args(argv)
    started, clock, load_start = dt.datetime.now(dt.UTC), time.perf_counter(), os.getloadavg()[0]
    out = HERE / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    _say("making the ten-year and three-month athletes and the Strava export")
    ten, ten_held = _database(out / "ten_years.db", 3650)
    three, three_held = _database(out / "three_months.db", 91)
    export = out / "activities.csv"
    export.write_bytes(strava_export(athlete(3650)))

    results: dict = {"started": started, "ten_years": ten_held, "three_months": three_held}
    _say("import against read_csv")
    results["import"] = importing.measure(export, out)
    _say("peak memory of the import and of a dashboard run")
    results["memory"] = {
        "import": memory.measure("import", str(export), f"sqlite:///{out / 'memory.db'}"),
        "dashboard": memory.measure("dashboard", ten),
    }
    _say("peak memory of a 100,000-activity import and of thousands of activities on one day")
    results["import_memory"] = import_memory.measure(out)
    _say("an archive of 3,000 FIT files: peak memory, and time against fitdecode alone")
    results["archive_import"] = archive_import.measure(out)
    _say("the dashboard page through AppTest")
    results["dashboard"] = dashboard.measure(ten, three)
    results["section_profile"] = dashboard.section_profile(ten)
    _say("the physio report of the last 52 weeks at ten years")
    results["physio_report"] = physio_report.measure(ten)
    if Path(browser.CHROMIUM).exists():
        _say("the dashboard in Chromium")
        results["chromium"] = subprocess.run(
            [browser.CHROMIUM, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        charts = {name: sent["charts"] for name, sent in results["dashboard"]["sections"].items()}
        results["browser"] = browser.measure(ten, charts, out / "dashboard.png")
    else:
        results["browser_skipped"] = f"no Chromium at {browser.CHROMIUM}"
    results["seconds"] = time.perf_counter() - clock
    results["load"] = (load_start, os.getloadavg()[0])
    report.write(results, HERE / "RESULTS.md")
    with (HERE / "RESULTS.md").open("a", encoding="utf-8") as written:  # its section, after the writer's own
        written.write("\n".join(["", *physio_report.lines(results["physio_report"])]))
    _say(f"wrote {HERE / 'RESULTS.md'}")
    import_memory.check(results["import_memory"])  # memory is asserted here, in the bench, not in tests
    archive_import.check(results["archive_import"])
    physio_report.check(results["physio_report"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
