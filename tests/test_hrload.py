"""Heart-rate load (TRIMP): Edwards' zones and Banister's curve worked by hand, which runs count, the weekly series,
and the dashboard's Load section with and without heart-rate data."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from kneelog.analysis import hrload
from kneelog.importers.files.summary import encode
from kneelog.models import Settings
from kneelog.stretches import load_library, routine_size
from kneelog.views import dashboard, hr_charts

EDWARDS = hrload.Scale("edwards", max_hr=190.0)
MEN = hrload.Scale("banister_men", max_hr=190.0, resting_hr=50.0)
WOMEN = hrload.Scale("banister_women", max_hr=190.0, resting_hr=50.0)


def _runs(*rows: tuple[str, float, float | None, dict[int, int] | None]) -> pd.DataFrame:
    """A run frame from (date, minutes, rpe, seconds at each bpm) rows."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]),
            "duration_s": [r[1] * 60.0 for r in rows],
            "rpe": pd.Series([r[2] for r in rows], dtype="float64"),
            "hr_seconds": [encode(r[3]) if r[3] else None for r in rows],
            "hr_max": pd.Series([max(r[3]) if r[3] else None for r in rows], dtype="float64"),
        }
    )


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        # 30 minutes at 148 bpm, resting 50, maximum 190: ΔHRr = (148 − 50) ÷ (190 − 50) = 98 ÷ 140 = 0.7.
        # Men's: 30 × 0.7 × 0.64 × e^(1.92 × 0.7) = 13.44 × e^1.344 = 13.44 × 3.83436 = 51.53.
        (MEN, 51.53),
        # Women's: 30 × 0.7 × 0.86 × e^(1.67 × 0.7) = 18.06 × e^1.169 = 18.06 × 3.21877 = 58.13.
        (WOMEN, 58.13),
        # Edwards: 148 ÷ 190 = 77.9% of the maximum, zone 3 (70-80%): 30 minutes × 3 = 90.
        (EDWARDS, 90.0),
    ],
)
def test_thirty_minutes_at_one_heart_rate_gives_the_hand_worked_trimp(scale, expected):
    runs = _runs(("2026-11-02", 30, None, {148: 1800}))
    assert hrload.run_trimp(runs, scale).iloc[0] == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize(
    ("bpm", "maximum", "zone"),
    [
        (99, 200, 0),  # 49.5%: below zone 1
        (100, 200, 1),  # 50%: zone 1 starts here
        (119, 200, 1),
        (120, 200, 2),
        (140, 200, 3),
        (179, 200, 4),  # 89.5%
        (180, 200, 5),
        (200, 200, 5),
        (215, 200, 5),  # above the maximum: still the top zone
        (114, 190, 2),  # exactly 60% (114 × 10 ÷ 190 = 6), which floating point could put just under
        (133, 190, 3),  # exactly 70%
    ],
)
def test_edwards_zones_are_tenths_of_the_maximum_from_half_of_it(bpm, maximum, zone):
    assert hrload.edwards_zone(np.array([bpm]), maximum)[0] == zone


def test_edwards_adds_minutes_in_each_zone_times_the_zone():
    # 10 min at 120 of 200 (60%, zone 2) + 20 min at 170 (85%, zone 4) + 5 min at 90 (45%, none) = 20 + 80 + 0 = 100
    runs = _runs(("2026-11-02", 35, None, {120: 600, 170: 1200, 90: 300}))
    assert hrload.run_trimp(runs, hrload.Scale("edwards", max_hr=200.0)).iloc[0] == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("bpm", "weight"),
    [
        (40, 0.0),  # below resting: the reserve used is held at 0, not negative
        (50, 0.0),
        # at or above the maximum the reserve is held at 1: 1 × 0.64 × e^1.92 = 0.64 × 6.82096 = 4.3654
        (190, 4.3654),
        (200, 4.3654),
    ],
)
def test_banister_holds_the_heart_rate_reserve_between_zero_and_one(bpm, weight):
    assert hrload.banister_weight(np.array([bpm]), 50, 190, "banister_men")[0] == pytest.approx(weight, abs=1e-3)


def test_samples_read_what_the_importer_writes():
    held = hrload.samples(pd.Series([encode({141: 12, 142: 30}), "", None], index=[7, 8, 9]))
    assert held.to_dict("list") == {"run": [7, 7], "bpm": [141.0, 142.0], "seconds": [12.0, 30.0]}


def test_runs_without_heart_rate_have_no_trimp():
    runs = _runs(("2026-11-02", 30, None, None), ("2026-11-03", 30, None, {148: 1800}))
    trimp = hrload.run_trimp(runs, EDWARDS)
    assert math.isnan(trimp.iloc[0]) and trimp.iloc[1] == pytest.approx(90.0)
    assert hrload.run_trimp(runs.drop(columns="hr_seconds"), EDWARDS).isna().all()  # a store without the column


def test_a_rated_run_keeps_its_effort_load_and_is_not_in_the_heart_rate_load():
    runs = _runs(
        ("2026-11-02", 30, None, {148: 1800}),  # Edwards 90, counted
        ("2026-11-04", 30, 6, {148: 1800}),  # rated: keeps RPE × minutes, no TRIMP
        ("2026-11-05", 20, None, {160: 1200}),  # 160 ÷ 190 = 84%, zone 4: 20 × 4 = 80, counted
        ("2026-11-10", 40, None, None),  # no heart rate: nothing
    )
    weeks = pd.Series(pd.to_datetime(["2026-10-26", "2026-11-02", "2026-11-09"]))
    out = hrload.weekly_trimp(runs, EDWARDS, weeks)
    assert out["trimp"].tolist() == pytest.approx([0.0, 170.0, 0.0])  # 90 + 80; the rated run adds nothing
    assert out["trimp_runs"].tolist() == [0, 2, 0]
    assert out["trimp_minutes"].tolist() == pytest.approx([0.0, 50.0, 0.0])


def test_a_scale_missing_a_heart_rate_gives_no_number_and_says_what_to_set():
    runs = _runs(("2026-11-02", 30, None, {148: 1800}))
    scale = hrload.Scale("banister_women", max_hr=190.0)  # no resting heart rate
    assert scale.missing == "resting heart rate"
    assert hrload.weekly_trimp(runs, scale, pd.Series(pd.to_datetime(["2026-11-02"])))["trimp"].isna().all()
    assert hrload.Scale("banister_men").missing == "resting heart rate and maximum heart rate"


def test_an_unset_maximum_is_estimated_from_the_highest_recorded_heart_rate():
    runs = _runs(("2026-11-02", 30, 5, {150: 600, 183: 60}), ("2026-11-03", 30, None, {148: 1800}))
    estimated = hrload.scale_for(Settings(), runs)
    assert (estimated.max_hr, estimated.max_estimated) == (183.0, True)
    assert "an estimate" in estimated.heart_rates
    assert hrload.scale_for(Settings(), runs.drop(columns="hr_max")).max_hr == 183.0  # from the samples' top
    chosen = hrload.scale_for(Settings(max_hr=195, resting_hr=48, hr_weighting="banister_men"), runs)
    assert (chosen.max_hr, chosen.resting_hr, chosen.max_estimated) == (195.0, 48.0, False)
    assert hrload.scale_for(Settings(), runs.drop(columns=["hr_max", "hr_seconds"])).max_hr is None


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"resting_hr": 29}, "Resting heart rate: must be at least 30"),
        ({"max_hr": 231}, "Maximum heart rate: must be at most 230"),
        ({"resting_hr": 120, "max_hr": 120}, "resting heart rate must be below the maximum"),
    ],
)
def test_heart_rate_settings_out_of_bounds_are_refused_with_their_name(settings, problem):
    from kneelog.errors import EntryInvalid
    from kneelog.models import parse_entry

    with pytest.raises(EntryInvalid, match=problem):
        parse_entry(Settings, settings)


# The dashboard: the Load section's chart, from a real store.


def _history(store, today: dt.date, settings: Settings | None = None) -> dashboard.History:
    from kneelog.analysis import weekly

    frames = {kind: store.frame(kind) for kind in weekly.KINDS}
    return dashboard.history(frames, settings or Settings(), today=today, routine_sides=routine_size(load_library()))


def _add_runs(store, today: dt.date, with_heart_rate: bool) -> None:
    from kneelog.models import Run

    monday = today - dt.timedelta(days=today.weekday())
    heart = {"hr_seconds": encode({148: 1800}), "hr_max": 190.0} if with_heart_rate else {}
    store.add_many(
        [
            Run(date=monday - dt.timedelta(days=7), distance_m=5000, duration_s=1800, rpe=4, **heart),
            Run(date=monday, distance_m=5000, duration_s=1800, **heart),
        ]
    )


def test_the_load_section_charts_trimp_only_with_heart_rate_and_never_adds_it_to_effort(store):
    today = dt.date(2026, 11, 25)
    _add_runs(store, today, with_heart_rate=True)
    history = _history(store, today)
    section = dashboard.section(dashboard.LOAD, history)
    # this week's unrated run: effort load is the median effort 4 × 30 min = 120, and Edwards 30 × 3 = 90 apart
    assert history.weekly.iloc[-1]["run_load"] == pytest.approx(120.0)
    assert "trimp" not in history.weekly  # the two scales are never in one table
    assert history.trimp["trimp"].tolist()[-2:] == pytest.approx([0.0, 90.0])  # last week's run is rated: none
    figure = section.figures["hr_load"]
    spec = figure.chart.to_dict()  # validated against the Vega-Lite schema
    assert spec["layer"][0]["encoding"]["y"]["title"] == "TRIMP (Edwards)"
    assert "Edwards 1993" in figure.caption and "never added" in figure.caption
    assert "1 of them has heart rate" in section.load_note


def test_without_heart_rate_the_load_section_shows_nothing_new(store):
    today = dt.date(2026, 11, 25)
    _add_runs(store, today, with_heart_rate=False)
    section = dashboard.section(dashboard.LOAD, _history(store, today))
    assert list(section.figures) == ["change", "ratio", "fitness", "pain_during"]
    assert "heart" not in section.load_note


def test_a_banister_scale_without_resting_heart_rate_says_to_set_it(store):
    today = dt.date(2026, 11, 25)
    _add_runs(store, today, with_heart_rate=True)
    history = _history(store, today, Settings(hr_weighting="banister_men", max_hr=190))
    figure = dashboard.section(dashboard.LOAD, history).figures["hr_load"]
    assert figure.chart is None and "set your resting heart rate in Settings" in figure.empty


def test_the_chart_ships_only_weeks_with_counted_runs_and_names_its_scale_in_the_tooltip():
    weeks = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-11-02", "2026-11-09"]),
            "trimp": [51.53, 0.0],
            "trimp_runs": [1, 0],
            "trimp_minutes": [30.0, 0.0],
        }
    )
    spec = hr_charts.hr_load(weeks, MEN).chart.to_dict()
    assert spec["layer"][0]["transform"][-1] == {"filter": "datum.trimp_runs > 0"}
    tips = [t["title"] for t in spec["encoding"]["tooltip"]]
    assert "Heart-rate load (Banister's TRIMP)" in tips
    assert json.dumps(spec).count("TRIMP (Banister)") == 1


def test_heart_rate_settings_and_runs_survive_a_backup_and_an_older_backup_leaves_them_unset(tmp_path):
    from kneelog.models import Run
    from kneelog.store import Store, backup

    source, target = Store(f"sqlite:///{tmp_path / 'a.db'}"), Store(f"sqlite:///{tmp_path / 'b.db'}")
    source.save_settings(Settings(timezone="UTC", resting_hr=48, max_hr=191, hr_weighting="banister_women"))
    source.add(Run(date=dt.date(2026, 11, 2), distance_m=5000, duration_s=1800, hr_seconds=encode({148: 1800})))
    backup.restore(target, backup.export_backup(source))
    restored = target.settings()
    assert (restored.resting_hr, restored.max_hr, restored.hr_weighting) == (48, 191, "banister_women")
    assert target.frame("run")["hr_seconds"].tolist() == ['{"148":1800}']

    def before_heart_rates(members: dict[str, bytes]) -> None:  # a backup from before: no heart-rate keys
        rows = members["settings.csv"].decode().splitlines(keepends=True)
        kept = [r for r in rows if not r.startswith(("resting_hr", "max_hr", "hr_"))]
        members["settings.csv"] = "".join(kept).encode()
        manifest = json.loads(members[backup.MANIFEST])
        manifest["tables"]["settings"]["rows"] = len(kept) - 1  # the header
        members[backup.MANIFEST] = json.dumps(manifest).encode()

    from tests.test_backup import rezip

    older = Store(f"sqlite:///{tmp_path / 'c.db'}")
    backup.restore(older, rezip(backup.export_backup(source), before_heart_rates))
    assert (older.settings().resting_hr, older.settings().max_hr, older.settings().hr_weighting) == (
        None,
        None,
        "edwards",
    )
    assert older.frame("run")["hr_seconds"].tolist() == ['{"148":1800}']
    for store in (source, target, older):
        store.dispose()


def test_a_run_frame_from_before_heart_rate_gives_zero_heart_rate_load_every_week():
    runs = _runs(("2026-11-02", 30, None, None)).drop(columns=["hr_seconds", "hr_max"])
    out = hrload.weekly_trimp(runs, EDWARDS, pd.Series(pd.to_datetime(["2026-11-02"])))
    assert (out["trimp"].tolist(), out["trimp_runs"].tolist()) == ([0.0], [0])
