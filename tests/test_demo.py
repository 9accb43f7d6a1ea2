"""The demo athlete: realistic, reproducible, and its knee really does respond to spikes and skipped stretching."""

import datetime as dt

import pandas as pd
import pytest
from scipy.stats import spearmanr

from kneelog.demo import generate, load_demo
from kneelog.errors import DemoRefused
from kneelog.models import Run

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


def test_six_months_look_like_a_real_runner():
    entries = generate(end=END)
    kinds = pd.Series([e.kind for e in entries]).value_counts()
    weeks = 182 / 7
    assert 3.3 <= kinds["run"] / weeks <= 4.7
    assert 0.8 <= kinds["gym"] / weeks <= 3.0
    assert kinds["checkin"] >= 160 and kinds["stretch"] >= 80
    assert all(e.source == "demo" for e in entries)
    assert min(e.date for e in entries) == END - dt.timedelta(days=181)
    paces = [e.duration_s / (e.distance_m / 1000) for e in entries if isinstance(e, Run)]
    assert min(paces) > 270 and max(paces) < 420


def test_demo_knee_pain_follows_mileage_a_week_later(weeks):
    rho, p = spearmanr(weeks["km"], weeks["pain"].shift(-1), nan_policy="omit")
    assert rho > 0.2 and p < 0.01


def test_demo_knee_pain_is_lower_in_weeks_with_more_stretching(weeks):
    rho, p = spearmanr(weeks["stretch"], weeks["pain"], nan_policy="omit")
    assert rho < -0.1 and p < 0.01


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
