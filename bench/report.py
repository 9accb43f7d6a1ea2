"""``bench/RESULTS.md``: every figure of one ``python -m bench`` run, each against its target, with profiles."""

from __future__ import annotations

import datetime as dt
import os
import platform
from importlib import metadata
from pathlib import Path

from bench import archive_import, import_memory
from bench.timing import by_file

TARGETS = {
    "import": 4.0,  # the import within 4x of pandas.read_csv of the same file (the layout issue's target)
    "dashboard": 1.2,  # the dashboard at ten years within 1.2x of three months (warm)
    "chart_kb": 150.0,  # chart data under 150 KB at ten years
    "browser": 1.3,  # the dashboard's first view drawn within 1.3x of the one-chart page
    "after_write": 2.0,  # the first run after a write within 2x of a warm run plus the database read
}


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _by_file_table(rows: list[tuple[str, float, float]]) -> list[str]:
    lines = ["| source file | own s |", "| --- | ---: |"]
    return lines + [f"| `{file}` | {own:.3f} |" for file, own in by_file(rows)]


def _profile_table(rows: list[tuple[str, float, float]]) -> list[str]:
    lines = ["| function | own s | cumulative s |", "| --- | ---: | ---: |"]
    lines += [f"| `{name}` | {own:.3f} | {cumulative:.3f} |" for name, own, cumulative in rows]
    return lines


def render(r: dict) -> str:
    """The Markdown of RESULTS.md for the results ``r`` of one run (see :mod:`bench.__main__`)."""
    imp, dash, mem = r["import"], r["dashboard"], r["memory"]
    browser = r.get("browser")
    chart_kb = dash["chart_bytes"] / 1000
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("streamlit", "pandas", "altair", "SQLAlchemy"))
    lines = [
        "# kneelog benchmarks",
        "",
        f"Written by `python -m bench` on {r['started']:%Y-%m-%d %H:%M} UTC in {r['seconds']:.0f} s: every figure",
        "below comes from that one run. Times are medians of repeated runs; ratios divide two medians of the same run.",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}, {versions};",
        f"{r.get('chromium', 'Chromium ?')}. Load average at the start {r['load'][0]:.1f}, at the end "
        f"{r['load'][1]:.1f} (the machine is shared: absolute times vary from run to run, ratios much less).",
        "",
        "## Data",
        "",
        f"- Ten years: the synthetic athlete of `bench/athlete.py` over 3,650 days: {r['ten_years']}.",
        f"- Three months: the same athlete over 91 days: {r['three_months']}.",
        f"- The Strava export of the ten years: {imp['activities']:,} activities ({imp['runs']:,} runs, "
        f"{imp['gym']:,} gym sessions, the rest rides and walks that kneelog leaves out), {imp['file_mb']:.1f} MB.",
        "",
        "## Results",
        "",
        "| measurement | figure | target | |",
        "| --- | --- | --- | --- |",
        f"| import of the ten-year export (read, preview, write) vs `pandas.read_csv` | {imp['import_ratio']:.1f}x "
        f"({imp['import_s']:.2f} s vs {imp['read_csv_s']:.3f} s) | within {TARGETS['import']:g}x | "
        f"{_met(imp['import_ratio'] <= TARGETS['import'])} |",
        f"| parsing alone (`kneelog.importers.parse`) vs `pandas.read_csv` | {imp['parse_ratio']:.1f}x "
        f"({imp['parse_s']:.2f} s) | — | |",
        f"| dashboard page (AppTest, warm): ten years vs three months | {dash['warm_ratio']:.2f}x "
        f"({dash['ten_years_warm_s']:.2f} s vs {dash['three_months_warm_s']:.2f} s) | within 1.2x | "
        f"{_met(dash['warm_ratio'] <= TARGETS['dashboard'])} |",
        f"| dashboard page, first run after a write (ten years) vs its warm run + the database read | "
        f"{dash['after_write_ratio']:.2f}x ({dash['after_write_s']:.2f} s vs {dash['after_write_warm_s']:.2f} s + "
        f"{dash['read_s']:.2f} s) | within {TARGETS['after_write']:g}x | "
        f"{_met(dash['after_write_ratio'] <= TARGETS['after_write'])} |",
        f"| dashboard page, first run of a fresh process (ten years / three months) | {dash['ten_years_cold_s']:.2f} s"
        f" / {dash['three_months_cold_s']:.2f} s | — | |",
        f"| chart data sent to the browser at ten years, first view | {chart_kb:.1f} KB in {dash['charts']} charts "
        f"(tables: {dash['table_bytes'] / 1000:.1f} KB in {dash['tables']}) | under 150 KB | "
        f"{_met(chart_kb < TARGETS['chart_kb'])} |",
        "| chart data of each section at ten years (the default 52 weeks) | "
        + "; ".join(
            f"{name}: {sent['chart_bytes'] / 1000:.1f} KB in {sent['charts']} charts"
            for name, sent in dash["sections"].items()
        )
        + " | — | |",
    ]
    if browser:
        lines.append(
            "| Chromium: open the dashboard at ten years until every chart of its first view "
            f"({browser['first_view']}) is drawn, vs a one-chart page | {browser['ratio']:.2f}x median of "
            f"{browser['trials']} bracketed trials (quartiles {browser['ratio_quartiles'][0]:.2f}-"
            f"{browser['ratio_quartiles'][1]:.2f}x, range {browser['ratio_range'][0]:.2f}-"
            f"{browser['ratio_range'][1]:.2f}x; {browser['dashboard_s']:.2f} s vs "
            f"{browser['one_chart_s']:.2f} s; first visits {browser['dashboard_first_s']:.2f} s vs "
            f"{browser['one_chart_first_s']:.2f} s) | within {TARGETS['browser']:g}x | "
            f"{_met(browser['ratio'] <= TARGETS['browser'])} |"
        )
        lines.append(
            "| Chromium: each other section opened by its link until its charts are drawn, vs the one-chart page | "
            + "; ".join(
                f"{name}: {m['ratio']:.2f}x ({m['s']:.2f} s, {m['charts']} charts)"
                for name, m in browser["sections"].items()
            )
            + " | — | |"
        )
    else:
        lines.append(f"| Chromium: dashboard vs one-chart page | not measured: {r.get('browser_skipped')} | 1.3x | |")
    lines += import_memory.rows(r["import_memory"]) if "import_memory" in r else []
    lines += archive_import.rows(r["archive_import"]) if "archive_import" in r else []
    for label, m in (("import", mem["import"]), ("dashboard run (first, ten years)", mem["dashboard"])):
        lines.append(
            f"| peak memory of the {label} | Python heap {m['heap_peak_mb']:.0f} MB; process {m['rss_before_mb']:.0f}"
            f" MB before, {m['rss_peak_mb']:.0f} MB at peak | — | |"
        )
    lines += ["", "## Where the time goes", ""]
    lines += [
        f"### The import ({'target missed' if imp['import_ratio'] > TARGETS['import'] else 'for reference'})",
        "",
        "Besides what `read_csv` does, an import decodes the file and counts every row's values with the csv module "
        "(a cut-off or shifted row is refused by number), works out the decimal separator and the date style of each "
        "column, checks every column against the rule table of `kneelog/limits.py` (vectorised; no row is validated "
        "one by one), compares the activities with the log twice (in the preview, then again inside the write lock), "
        "builds the store's entries of the rows it writes (pydantic's `model_construct`, no validation) and writes "
        "them in one transaction. A profile of one whole import of the ten-year export (profiling slows "
        "Python-level loops more than pandas calls). The time spent in each source file's own code:",
        "",
        *_by_file_table(imp["profile"]),
        "",
        "and the functions with the largest cumulative time:",
        "",
        *_profile_table(imp["profile"][:15]),
        "",
    ]
    built = r["section_profile"]
    sections = "; ".join(f"{name} {built[f'{name}_s']:.2f} s" for name in dash["sections"])
    lines += [
        "### The dashboard page",
        "",
        "The page shows one section at a time (`st.tabs` bound to the `section` query parameter: only the chosen "
        "section runs and is sent). It caches the tables of the whole history once per data change "
        f"(`dashboard.history`, {built['history_s']:.2f} s at ten years) and each section, with its charts as "
        "Vega-Lite JSON, by data version, range, lag and section. Outside Streamlit, a section with its charts "
        f"takes: {sections}; reading the database takes {built['read_s']:.2f} s. A first run after a write reads the "
        "database, builds the history (daily sums by NumPy bin counts, weekly ones on a weeks × 7 grid) and the "
        "Overview, whose chart Altair builds once per unit and weeks shown: a write on the same weeks gets the kept "
        "Vega-Lite JSON with new rows (`chart_kit.shaped`). A warm run converts nothing. The server imports its heavy "
        "modules once and freezes them out of the garbage collector's full collections (`pages/_process.py`), which "
        "took 0.2-0.3 s each and fell in about half of the first runs after a write. A profile of the history and "
        "the Overview (profiling slows Python-level code, Altair's most):",
        "",
        *_profile_table(built["profile"]),
        "",
    ]
    return "\n".join(lines) + "\n"


def write(results: dict, path: Path) -> None:
    """Write RESULTS.md."""
    results.setdefault("started", dt.datetime.now(dt.UTC))
    path.write_text(render(results))
