"""The dashboard page through AppTest: ten years against three months, the first run after a write against its warm
run plus the read of the database, the charts each section sends, and where a first run's time goes."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.timing import median, profile, ratio, rounds, seconds
from kneelog import clock
from kneelog.analysis import weekly
from kneelog.models import KneeCheckin
from kneelog.store import ENV_VAR, Store
from kneelog.stretches import load_library, routine_size
from kneelog.views import dashboard

REPO = Path(__file__).resolve().parent.parent
SIDES = routine_size(load_library())
PAGE = "pages/dashboard.py"
#: The widget key of the page's sections (its tabs); also the query parameter that names the section in the URL.
SECTION_KEY = "section"
REPEATS = 5


@dataclass
class DashboardPage:
    """The app on one database, switched to the dashboard; :meth:`run` runs it once on that database."""

    url: str
    app: AppTest

    def run(self) -> None:
        """One run of the page; an exception on the page stops the benchmark (a broken page has no speed)."""
        os.environ[ENV_VAR] = self.url  # the app reads it on every run, and two pages are measured in turn
        self.app.run()
        if self.app.exception:
            raise RuntimeError(f"the dashboard failed: {self.app.exception[0].value}")

    def show(self, section: str) -> None:
        """Choose ``section`` (a runner's tap on its tab) and run the page."""
        self.app.session_state[SECTION_KEY] = section
        self.run()


def open_dashboard(url: str) -> DashboardPage:
    """The app on database ``url``, switched to the dashboard (not yet run there): it opens on the Overview."""
    os.environ[ENV_VAR] = url
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    app.run()
    app.switch_page(PAGE)
    return DashboardPage(url, app)


def chart_bytes(page: DashboardPage) -> dict[str, int]:
    """What the charts and tables on the page send to the browser: Vega-Lite specs plus their Arrow datasets."""
    charts = [*page.app.get("vega_lite_chart"), *page.app.get("arrow_vega_lite_chart")]
    frames = [*page.app.get("dataframe"), *page.app.get("arrow_data_frame")]
    if not charts:
        raise RuntimeError("the dashboard drew no chart: the benchmark data did not reach it")
    return {
        "charts": len(charts),
        "chart_bytes": sum(
            len(c.proto.spec) + len(c.proto.data.data) + sum(len(d.data.data) for d in c.proto.datasets) for c in charts
        ),
        "tables": len(frames),
        "table_bytes": sum(len(f.proto.arrow_data.data) for f in frames),
    }


def _sections(page: DashboardPage) -> dict[str, dict[str, int]]:
    """:func:`chart_bytes` of every section, each chosen in turn (the page back on the Overview afterwards)."""
    sent = {}
    for name in dashboard.SECTIONS:
        page.show(name)
        sent[name] = chart_bytes(page)
    page.show(dashboard.OVERVIEW)
    return sent


def _read(store: Store) -> None:
    """What the page reads from the database after a write, on a store already open (as the page keeps one): every
    store frame of the weekly tables and the gym exercises (pages/dashboard.py reads both), and the settings."""
    for kind in (*weekly.KINDS, "gym_exercise"):
        store.frame(kind)
    store.settings()


def measure(url_ten_years: str, url_three_months: str) -> dict:
    """First and warm run times at both lengths (warm runs in alternating rounds) on the Overview, the bytes each
    section sends at ten years, and the first run after a write against the warm run plus the database read.

    After each write (a check-in) three things are timed in turn: the page's first run, which reads the database
    and computes the Overview afresh; a warm run of the same page; and the read alone (the store frames and the
    settings). The ratio is the median over rounds of first run ÷ (warm run + read).
    """
    ten, three = open_dashboard(url_ten_years), open_dashboard(url_three_months)
    result: dict = {"ten_years_cold_s": seconds(ten.run), "three_months_cold_s": seconds(three.run)}
    result["sections"] = _sections(ten)
    result |= chart_bytes(ten)  # the first view: the Overview
    times = rounds({"ten": ten.run, "three": three.run}, REPEATS)
    result |= {
        "ten_years_warm_s": median(times, "ten"),
        "three_months_warm_s": median(times, "three"),
        "warm_ratio": ratio(times, "ten", "three"),
    }
    store = Store(url_ten_years)
    today = clock.local_today(store.settings().timezone)
    after: dict[str, list[float]] = {"after_write": [], "warm": [], "read": [], "budget": []}
    for days_back in range(REPEATS):
        store.add(KneeCheckin(date=today - dt.timedelta(days=days_back), knee="left", stairs=1))
        after["after_write"].append(seconds(ten.run))
        after["warm"].append(seconds(ten.run))
        after["read"].append(seconds(lambda: _read(store)))
        after["budget"].append(after["warm"][-1] + after["read"][-1])
    store.dispose()
    result |= {
        "after_write_s": median(after, "after_write"),
        "after_write_warm_s": median(after, "warm"),
        "read_s": median(after, "read"),
        "after_write_ratio": ratio(after, "after_write", "budget"),
    }
    return result


def section_profile(url: str) -> dict:
    """What a first run after a write computes, outside Streamlit (AppTest runs the page in a thread of its own,
    which a profile of the calling thread does not see): the database read, the tables of the whole history
    (:func:`kneelog.views.dashboard.history`, once per write), each section with its charts turned into Vega-Lite
    JSON (:meth:`kneelog.views.dashboard.Section.frozen`, as the page caches them), and a profile of the first view
    (the history and the Overview)."""
    store = Store(url)
    frames = {kind: store.frame(kind) for kind in weekly.KINDS}
    settings = store.settings()
    read_s = seconds(lambda: _read(store))
    store.dispose()
    history = dashboard.history(frames, settings, routine_sides=SIDES)
    works = {"history": lambda: dashboard.history(frames, settings, routine_sides=SIDES)} | {
        name: (lambda name=name: dashboard.section(name, history).frozen()) for name in dashboard.SECTIONS
    }
    times = rounds(works, 3)
    first_view = lambda: dashboard.section(dashboard.OVERVIEW, works["history"]()).frozen()  # noqa: E731
    return {f"{name}_s": median(times, name) for name in works} | {
        "read_s": read_s,
        "profile": profile(first_view, most=15),
    }
