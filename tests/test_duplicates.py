"""Matching incoming activities with the log: the same activity, a possible duplicate, or new."""

from __future__ import annotations

import pandas as pd
import pytest

from kneelog.importers import duplicates, session
from kneelog.models import Settings
from kneelog.store import Store
from tests.import_fixtures import data_of, fixture

STRAVA = session.Upload("strava_en_us.csv", data_of(fixture("strava_en_us.csv")))


@pytest.mark.parametrize(
    ("existing", "status"),
    [
        ({"source": "garmin", "start": "2024-03-02 07:14:00", "distance_m": 5100.0}, "already"),  # 2 min, 1.6%
        ({"source": "garmin", "start": "2024-03-02 07:20:00", "distance_m": 5021.0}, "new"),  # 8 minutes apart
        ({"source": "garmin", "start": "2024-03-02 07:12:05", "distance_m": 5400.0}, "new"),  # 7.5% longer
        ({"source": "garmin", "start": None, "distance_m": 5050.0}, "already"),  # same day, no time
        ({"source": "manual", "start": "2024-03-02 08:30:00", "distance_m": 5400.0}, "duplicate"),  # typed later
        ({"source": "manual", "start": None, "distance_m": 6000.0}, "new"),  # 19% longer: another run
        ({"source": "manual", "start": "2024-03-02 18:00:00", "distance_m": 5021.0}, "new"),  # the evening
        ({"source": "strava", "start": "2024-01-01 07:00:00", "distance_m": 1.0, "source_id": "1001"}, "already"),
    ],
)
def test_matching_bounds(existing, status):
    """The Strava run 1001 (2 March 2024, 07:12:05, 5,021.3 m) against one stored run."""
    store = Store("sqlite://")
    store.save_settings(Settings(timezone="UTC"))
    candidates = session.preview(store, [STRAVA]).candidates
    candidates = candidates[candidates["source_id"] == "1001"]
    start = pd.Timestamp(existing["start"]) if existing["start"] else pd.NaT
    stored = pd.DataFrame(
        [{"id": 9, "kind": "run", "source": existing["source"], "source_id": existing.get("source_id"),
          "date": (start if existing["start"] else pd.Timestamp("2024-03-02")).normalize(), "start": start,
          "distance_m": existing["distance_m"], "duration_s": 1800.0}]
    ).astype({"date": "datetime64[us]", "start": "datetime64[us]"})  # fmt: skip
    assert duplicates.match(candidates, stored)["status"].tolist() == [status]
