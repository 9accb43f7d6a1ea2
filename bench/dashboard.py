"""The dashboard page through AppTest: ten years against three months, the first run after a write, chart bytes."""

from __future__ import annotations

import datetime as dt
import os
import statistics
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


def open_dashboard(url: str) -> DashboardPage:
    """The app on database ``url``, switched to the dashboard (not yet run there)."""
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


def measure(url_ten_years: str, url_three_months: str) -> dict:
    """First and warm run times at both lengths (warm runs in alternating rounds), the first run after a write,
    and the bytes sent at ten years."""
    ten, three = open_dashboard(url_ten_years), open_dashboard(url_three_months)
    result: dict = {"ten_years_cold_s": seconds(ten.run), "three_months_cold_s": seconds(three.run)}
    result |= chart_bytes(ten)
    times = rounds({"ten": ten.run, "three": three.run}, REPEATS)
    result |= {
        "ten_years_warm_s": median(times, "ten"),
        "three_months_warm_s": median(times, "three"),
        "warm_ratio": ratio(times, "ten", "three"),
    }
    store, after = Store(url_ten_years), []
    today = clock.local_today(store.settings().timezone)
    for days_back in range(REPEATS):
        store.add(KneeCheckin(date=today - dt.timedelta(days=days_back), knee="left", stairs=1))
        after.append(seconds(ten.run))
    result["after_write_s"] = statistics.median(after)
    return result


def chart_profile(url: str) -> dict:
    """Where a warm run of the page spends its time: the dashboard (cached by the page) against turning its charts
    into Vega-Lite JSON, which ``st.altair_chart`` does on every run (Altair's ``to_dict``, validated against the
    Vega-Lite JSON schema).
    """
    store = Store(url)
    frames = {kind: store.frame(kind) for kind in weekly.KINDS}
    built = dashboard.build(frames, store.settings(), routine_sides=SIDES)
    charts = [f.chart for f in [*built.figures.values(), *built.scatters] if f.chart is not None]
    conversions = {
        "to_dict": lambda: [c.to_dict() for c in charts],
        "to_dict_unvalidated": lambda: [c.to_dict(validate=False) for c in charts],
    }
    return {
        "build_s": seconds(lambda: dashboard.build(frames, store.settings(), routine_sides=SIDES)),
        **{f"{k}_s": median(t, k) for t in [rounds(conversions, 3)] for k in conversions},
        "charts": len(charts),
        "profile": profile(lambda: [c.to_dict() for c in charts], most=12),
    }
