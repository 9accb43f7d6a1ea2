"""Matching incoming activities with the log: the same activity, a possible duplicate, or new."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- hand-worked cases on frames ------------------------------------------------------------------------------------

DAY = "2024-03-02"


def incoming(*rows: tuple) -> pd.DataFrame:
    """Candidates as :func:`session.preview` makes them: (file, kind, source, id, start or day, metres, seconds)."""
    frame = pd.DataFrame(
        [
            {"file": f, "row": i + 2, "kind": k, "source": s, "source_id": sid, "when": w, "distance_m": m,
             "duration_s": d}
            for i, (f, k, s, sid, w, m, d) in enumerate(rows)
        ]
    )  # fmt: skip
    timed = frame["when"].str.len() > 10
    start = pd.to_datetime(frame["when"].where(timed)).astype("datetime64[us]")
    return frame.drop(columns="when").assign(
        start=start.dt.tz_localize("UTC"),
        date=pd.to_datetime(frame["when"].str.slice(0, 10)).astype("datetime64[us]"),
    )


def stored(*rows: tuple) -> pd.DataFrame:
    """The log as :meth:`Store.existing_activities` reads it: (id, kind, source, id, start or day, metres, seconds)."""
    frame = pd.DataFrame(
        [
            {"id": i, "kind": k, "source": s, "source_id": sid, "when": w, "distance_m": m, "duration_s": d}
            for i, k, s, sid, w, m, d in rows
        ],
        columns=["id", "kind", "source", "source_id", "when", "distance_m", "duration_s"],
    )
    timed = frame["when"].str.len() > 10
    return frame.drop(columns="when").assign(
        start=pd.to_datetime(frame["when"].where(timed)).astype("datetime64[us]"),
        date=pd.to_datetime(frame["when"].str.slice(0, 10)).astype("datetime64[us]"),
    )


NOTHING = stored()


@pytest.mark.parametrize(
    ("start", "metres", "status"),
    [
        (f"{DAY} 07:05:00", 5000.0, "already"),  # exactly 300 s after the stored 07:00:00: within
        (f"{DAY} 07:05:01", 5000.0, "new"),  # 301 s
        (f"{DAY} 06:55:00", 5000.0, "already"),  # 300 s before
        (f"{DAY} 07:00:00", 5150.0, "already"),  # 150 m apart; 3% of 5,150 m is 154.5 m
        (f"{DAY} 07:00:00", 5160.0, "new"),  # 160 m apart; 3% of 5,160 m is 154.8 m
        (f"{DAY} 07:00:00", 4850.0, "already"),  # 150 m apart; 3% of the larger, 5,000 m, is 150 m
        (DAY, 5000.0, "already"),  # no time of day: the same day is enough
        ("2024-03-03", 5000.0, "new"),  # the next day
    ],
)
def test_an_imported_run_is_already_there_within_five_minutes_and_three_percent(start, metres, status):
    log = stored((7, "run", "garmin", "g1", f"{DAY} 07:00:00", 5000.0, 1800.0))
    got = duplicates.match(incoming(("a.csv", "run", "strava", "s1", start, metres, 1790.0)), log)
    assert got["status"].tolist() == [status]
    assert got["match_id"].tolist() == ([7.0] if status == "already" else [pytest.approx(float("nan"), nan_ok=True)])


@pytest.mark.parametrize(
    ("metres", "status"),
    [(1100.0, "already"), (1101.0, "new")],  # short runs: 100 m apart is within (3% of 1,100 m is only 33 m)
)
def test_short_runs_match_within_a_hundred_metres(metres, status):
    log = stored((7, "run", "garmin", "g1", f"{DAY} 07:00:00", 1000.0, 400.0))
    got = duplicates.match(incoming(("a.csv", "run", "strava", "s1", f"{DAY} 07:00:00", metres, 400.0)), log)
    assert got["status"].tolist() == [status]


@pytest.mark.parametrize(
    ("start", "status"),
    [(f"{DAY} 09:00:00", "duplicate"), (f"{DAY} 09:00:01", "new"), (DAY, "duplicate")],  # 2 h after 07:00, and 1 s more
)
def test_a_hand_logged_run_is_a_possible_duplicate_within_two_hours(start, status):
    log = stored((3, "run", "manual", None, f"{DAY} 07:00:00", 5000.0, 1800.0))
    got = duplicates.match(incoming(("a.csv", "run", "strava", "s1", start, 5400.0, 1800.0)), log)  # 8% longer
    assert got["status"].tolist() == [status]


def test_day_only_dates_match_every_entry_of_their_day_the_first_listed_on_a_tie():
    """TrainingPeaks gives days without times: each matches any run of its day close in distance."""
    log = stored(
        (1, "run", "garmin", "g1", f"{DAY} 18:00:00", 8000.0, 2900.0),
        (2, "run", "garmin", "g2", f"{DAY} 07:00:00", 5000.0, 1800.0),
        (3, "run", "garmin", "g3", DAY, 5050.0, 1800.0),
        (4, "gym", "garmin", "g4", DAY, float("nan"), 3600.0),
    )
    got = duplicates.match(
        incoming(
            ("tp.csv", "run", "trainingpeaks", "t1", DAY, 5020.0, 1800.0),  # runs 2 and 3 match, gap 0 for both
            ("tp.csv", "run", "trainingpeaks", "t2", DAY, 8100.0, 2900.0),  # run 1 (100 m apart)
            ("tp.csv", "gym", "trainingpeaks", "t3", DAY, float("nan"), 3400.0),  # 200 s apart
            ("tp.csv", "run", "trainingpeaks", "t4", "2024-03-01", 5000.0, 1800.0),  # the day before: nothing
        ),
        log,
    )
    assert got["status"].tolist() == ["already", "already", "already", "new"]
    assert got["match_id"].tolist()[:3] == [2.0, 1.0, 4.0]


def test_many_copies_of_one_run_on_one_day_are_one_run():
    """2,000 rows of the same run (distinct ids, the same start and distance): the first is added."""
    rows = [("a.csv", "run", "intervals", f"i{i}", f"{DAY} 07:00:00", 5000.0, 1800.0) for i in range(2000)]
    got = duplicates.match(incoming(*rows), NOTHING)
    assert got["status"].value_counts().to_dict() == {"already": 1999, "new": 1}
    assert got["status"].iloc[0] == "new"
    assert set(got["match"].iloc[1:]) == {"row 2 of a.csv (same activity)"}
    logged = stored((5, "run", "garmin", "g1", f"{DAY} 07:01:00", 5000.0, 1800.0))
    assert set(duplicates.match(incoming(*rows), logged)["match_id"]) == {5.0}


def test_a_day_of_runs_two_minutes_apart_keeps_those_that_repeat_no_kept_run():
    """720 runs on one day, one every 2 minutes, 5 km and 10 km in turn. Run k (0-based) matches only runs k-2 and
    k+2 (4 minutes apart, same distance; 2 minutes apart the distance differs, 6 minutes is too far). Run 0 is added,
    2 repeats it, 4 only repeats 2 (a repeat) so it is added, 6 repeats 4, ...: runs with k % 4 of 0 or 1 are added."""
    start = pd.Timestamp(DAY)
    rows = [
        ("a.csv", "run", "intervals", f"i{k}", f"{start + pd.Timedelta(minutes=2 * k)}", 5000.0 * (1 + k % 2), 1800.0)
        for k in range(720)
    ]  # fmt: skip
    got = duplicates.match(incoming(*rows), NOTHING)
    assert got["status"].tolist() == ["new" if k % 4 in (0, 1) else "already" for k in range(720)]
    assert got["match"].iloc[6] == "row 6 of a.csv (same activity)"  # run 6 repeats run 4, which is row 6


def test_one_run_from_three_platforms_uploaded_together_is_added_once():
    """Garmin's record repeats Strava's; intervals.icu's is closest to Garmin's (1 minute) but Garmin's is not being
    added, so it repeats Strava's (3 minutes)."""
    got = duplicates.match(
        incoming(
            ("strava.csv", "run", "strava", "s1", f"{DAY} 07:00:00", 5000.0, 1800.0),
            ("garmin.csv", "run", "garmin", "g1", f"{DAY} 07:02:00", 5050.0, 1800.0),
            ("intervals.csv", "run", "intervals", "i1", f"{DAY} 07:03:00", 5020.0, 1800.0),
        ),
        NOTHING,
    )
    assert got["status"].tolist() == ["new", "already", "already"]
    assert got["match"].tolist()[1:] == ["row 2 of strava.csv (same activity)"] * 2


def test_a_run_that_only_matches_a_repeat_is_added():
    """07:00, 07:04 and 07:08, 5 km each: the second repeats the first; the third is 8 minutes from the first."""
    got = duplicates.match(
        incoming(*[("a.csv", "run", "strava", f"s{i}", f"{DAY} 07:0{4 * i}:00", 5000.0, 1800.0) for i in range(3)]),
        NOTHING,
    )
    assert got["status"].tolist() == ["new", "already", "new"]


def test_the_same_id_twice_in_one_import_is_one_activity():
    got = duplicates.match(
        incoming(
            ("old.csv", "run", "strava", "s1", f"{DAY} 07:00:00", 5000.0, 1800.0),
            ("new.csv", "run", "strava", "s1", f"{DAY} 07:00:00", 5000.0, 1800.0),
        ),
        NOTHING,
    )
    assert got["status"].tolist() == ["new", "already"]
    assert got["match"].iloc[1] == "an earlier row of this import (same id)"


# -- against the plain definition -----------------------------------------------------------------------------------


def _agree(a, b, bounds) -> bool:
    absolute, share = bounds
    return abs(a - b) <= max(absolute, share * max(a, b))


def _reference(cands: pd.DataFrame, log: pd.DataFrame) -> list[tuple[str, float]]:
    """Every candidate against every entry and every earlier candidate, as the docstring of :func:`match` says."""

    def close(c, e, bounds: duplicates.Bounds) -> float | None:
        if c["kind"] != e["kind"] or c["date"] != e["date"]:
            return None
        both = not pd.isna(c["wall"]) and not pd.isna(e["start"])
        gap = abs((c["wall"] - e["start"]).total_seconds()) if both else 0.0
        if gap > bounds.start_s:
            return None
        if c["kind"] == "run" and not _agree(c["distance_m"], e["distance_m"], bounds.distance):
            return None
        if c["kind"] == "gym" and bounds.duration and not _agree(c["duration_s"], e["duration_s"], bounds.duration):
            return None
        return gap

    def key(activity: dict) -> tuple:
        return activity["kind"], activity["source"], activity["source_id"]

    def closest(c, entries: list, bounds) -> dict | None:
        found = [(gap, i, e) for i, e in enumerate(entries) if (gap := close(c, e, bounds)) is not None]
        return min(found, key=lambda f: f[:2])[2] if found else None

    rows = cands.assign(wall=duplicates.wall_clock(cands["start"])).to_dict("records")
    imported = [e for e in log.to_dict("records") if e["source"] != "manual"]
    hand = [e for e in log.to_dict("records") if e["source"] == "manual"]
    out: list[tuple[str, float]] = []
    for c in rows:  # against the log
        same = [e for e in imported if key(e) == key(c)]
        if same:
            out.append(("already", float(same[0]["id"])))
        elif (e := closest(c, imported, duplicates.SAME)) is not None:
            out.append(("already", float(e["id"])))
        elif (e := closest(c, hand, duplicates.HAND_LOGGED)) is not None:
            out.append(("duplicate", float(e["id"])))
        else:
            out.append(("new", float("nan")))
    new = [i for i, (status, _) in enumerate(out) if status == "new"]
    for n, i in enumerate(new):  # the same id as an earlier row still new
        if any(key(rows[j]) == key(rows[i]) for j in new[:n]):
            out[i] = ("already", float("nan"))
    kept: list[dict] = []
    for i in new:  # the same activity as an earlier row being added
        if out[i][0] == "new":
            if closest(rows[i], [{**k, "start": k["wall"]} for k in kept], duplicates.SAME) is None:
                kept.append(rows[i])
            else:
                out[i] = ("already", float("nan"))
    return out


def _activity(prefix: str):
    return st.tuples(
        st.sampled_from(["run", "run", "gym"]),
        st.sampled_from(["strava", "garmin", "manual"] if prefix == "e" else ["strava", "garmin"]),
        st.integers(0, 6).map(lambda i: f"{prefix}{i}"),
        st.integers(1, 2),  # day
        st.one_of(st.none(), st.integers(0, 40).map(lambda m: m * 30)),  # seconds after 07:00, or no time
        st.sampled_from([1000.0, 1090.0, 5000.0, 5140.0, 5200.0]),
        st.sampled_from([1800.0, 2000.0, 2150.0]),
    )


def _when(day: int, seconds: int | None) -> str:
    date = f"2024-03-0{day}"
    return date if seconds is None else f"{pd.Timestamp(date) + pd.Timedelta(hours=7, seconds=seconds)}"


@settings(max_examples=100, deadline=None)
@given(
    cands=st.lists(_activity("c"), min_size=1, max_size=14),
    log=st.lists(_activity("e"), max_size=10),
    chunk=st.sampled_from([1, 3, 250_000]),
)
def test_matching_agrees_with_comparing_every_pair(cands, log, chunk):
    """The sorted, windowed, chunked matcher says what comparing every pair says (small chunks included)."""
    frame = incoming(
        *[("a.csv", k, s, i, _when(d, t), m if k == "run" else float("nan"), u) for k, s, i, d, t, m, u in cands]
    )
    entries = stored(
        *[
            (n, k, s, None if s == "manual" else i, _when(d, t), m if k == "run" else float("nan"), u)
            for n, (k, s, i, d, t, m, u) in enumerate(log)
        ]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duplicates, "CHUNK_PAIRS", chunk)
        got = duplicates.match(frame, entries)
    expected = _reference(frame, entries)
    assert got["status"].tolist() == [status for status, _ in expected]
    assert got["match_id"].fillna(-1).tolist() == [-1 if pd.isna(i) else i for _, i in expected]
