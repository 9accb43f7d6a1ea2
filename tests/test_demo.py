"""The demo athlete: realistic, reproducible, and its knee really does respond to week-over-week jumps and skipped
stretching, clearly enough that the app's own analysis of the default year finds it."""

import datetime as dt

import pandas as pd
import pytest
from scipy.stats import spearmanr

from kneelog.analysis import stats, weekly
from kneelog.demo import generate, load_demo
from kneelog.errors import DemoRefused
from kneelog.models import Run, Settings

END = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def weeks() -> pd.DataFrame:
    """Ten years of the demo runner, week by week: km, stretch-sides, mean daily pain."""
    entries = generate(days=3640, end=END)
    frame = pd.DataFrame(
        [
            {
                "date": pd.Timestamp(e.date),
                "km": e.distance_m / 1000 if e.kind == "run" else 0.0,
                "stretch": len(e.items) if e.kind == "stretch" else 0,
                "pain": (e.stairs + e.squat) / 2 if e.kind == "checkin" else None,
            }
            for e in entries
        ]
    )
    weekly = frame.set_index("date").resample("W-SUN")
    return pd.DataFrame({"km": weekly["km"].sum(), "stretch": weekly["stretch"].sum(), "pain": weekly["pain"].mean()})


def test_same_seed_gives_the_same_athlete():
    assert generate(days=60, end=END) == generate(days=60, end=END)
    assert generate(days=60, end=END) != generate(days=60, end=END, seed=1)


def test_a_year_by_default_looks_like_a_real_runner():
    entries = generate(end=END)
    kinds = pd.Series([e.kind for e in entries]).value_counts()
    weeks = 365 / 7
    assert min(e.date for e in entries) == END - dt.timedelta(days=364)
    assert 3.3 <= kinds["run"] / weeks <= 4.7
    assert 0.8 <= kinds["gym"] / weeks <= 3.0
    assert kinds["checkin"] >= 330 and kinds["stretch"] >= 150  # check-ins on most days; stretching lapses at times
    assert all(e.source == "demo" for e in entries)
    paces = [e.duration_s / (e.distance_m / 1000) for e in entries if isinstance(e, Run)]
    assert min(paces) > 270 and max(paces) < 420
    runs = [e for e in entries if isinstance(e, Run)]
    km = pd.Series([e.distance_m / 1000 for e in runs], pd.to_datetime([e.date for e in runs]))
    weekly_km = km.groupby(km.index.to_period("W")).sum()  # Monday-to-Sunday weeks
    assert 25 <= weekly_km.median() <= 50 and weekly_km.max() <= 90
    scores = [s for e in entries if e.kind == "checkin" for s in (e.stairs, e.squat, e.sitting) if s is not None]
    assert 1 <= pd.Series(scores).median() <= 3 and max(scores) <= 9  # mostly mild, flares short of the worst pain


def test_demo_knee_pain_goes_with_the_week_over_week_change(weeks):
    change = weeks["km"].pct_change().where(weeks["km"].shift(1) > 0)
    rho, p = spearmanr(change, weeks["pain"], nan_policy="omit")
    assert rho > 0.3 and p < 0.01


def test_demo_knee_pain_is_lower_in_weeks_with_more_stretching(weeks):
    rho, p = spearmanr(weeks["stretch"], weeks["pain"], nan_policy="omit")
    assert rho < -0.3 and p < 0.01


@pytest.mark.parametrize("end", [END + dt.timedelta(days=d) for d in range(7)])  # the runner's today, any weekday
def test_the_apps_own_analysis_of_the_default_demo_finds_what_it_was_built_with(store, end):
    load_demo(store, end=end)
    frames = {kind: store.frame(kind) for kind in weekly.KINDS}
    weeks = weekly.weekly_table(frames, Settings(timezone="UTC"), end, routine_sides=10)
    rels = stats.relationships(weeks, primary_lag=0).set_index(["driver", "lag"])
    change, stretch = rels.loc[("change_pct", 0)], rels.loc[("stretch_compliance", 0)]
    assert change["gate"] == stretch["gate"] == stats.ENOUGH  # a year: about 51 complete weeks
    assert change["rho"] > 0 and change["low"] > 0  # more knee pain in weeks whose distance jumped
    assert stretch["rho"] < 0 and stretch["high"] < 0  # less in weeks with more stretching
    assert change["p_holm"] < 0.05 and stretch["p_holm"] < 0.05  # and both hold up after Holm's correction


def test_load_demo_fills_an_empty_database_and_replaces_an_earlier_demo(store):
    added = load_demo(store, days=28, end=END)
    assert sum(store.counts().values()) == added
    assert load_demo(store, days=28, end=END) == added
    assert sum(store.counts().values()) == added


def test_load_demo_refuses_to_mix_with_the_runners_own_data(store):
    store.add(Run(date=END, distance_m=5000, duration_s=1500))
    with pytest.raises(DemoRefused, match="already holds your own entries"):
        load_demo(store, days=28, end=END)
    assert store.counts()["run"] == 1 and store.counts()["checkin"] == 0
