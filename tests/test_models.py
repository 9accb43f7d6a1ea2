"""Entry models: every bound a runner can break is rejected with a sentence, and valid entries pass."""

import datetime as dt

import pytest

from kneelog.errors import EntryInvalid
from kneelog.models import GymSession, KneeCheckin, Race, Run, Settings, StretchSession, knee_words, parse_entry

TODAY = dt.date.today()
RUN = {"date": TODAY, "distance_m": 8000.0, "duration_s": 2700.0}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"pain_during": 11}, "pain_during", "a whole number from 0 to 10"),
        ({"pain_during": -1}, "pain_during", "a whole number from 0 to 10"),
        ({"rpe": 0}, "rpe", "a whole number from 1 to 10"),
        ({"distance_m": -5.0}, "distance_m", "cannot be negative"),
        ({"distance_m": 500_000.0}, "distance_m", r"longer than any single run kneelog accepts \(300 km\)"),
        ({"duration_s": 0.0}, "duration_s", "longer than zero"),
        ({"duration_s": 80 * 3600.0}, "duration_s", "at most 72 hours"),
        ({"date": TODAY + dt.timedelta(days=30)}, "date", "in the future"),
        ({"date": dt.date(1960, 5, 1)}, "date", "before 1970"),
        ({"distance_m": 10_000.0, "duration_s": 600.0}, "entry", "faster than any world record"),
        ({"distance_m": None}, "distance_m", "must be a number"),
    ],
)
def test_run_rejects_out_of_bounds_values_with_a_reason(change, field, message):
    with pytest.raises(EntryInvalid, match=message) as info:
        parse_entry(Run, RUN | change)
    assert field in info.value.problems


def test_run_error_names_the_field_as_the_runner_sees_it():
    with pytest.raises(EntryInvalid, match=r"Knee pain during the run: must be a whole number from 0 to 10"):
        parse_entry(Run, RUN | {"pain_during": 12})


def test_run_accepts_a_plausible_run_and_tomorrow_for_time_zones():
    run = parse_entry(Run, RUN | {"date": TODAY + dt.timedelta(days=1), "rpe": 6, "pain_during": 3})
    assert run.distance_m == 8000.0 and run.source == "manual"


def test_run_without_distance_is_kept_for_treadmill_or_watchless_runs():
    assert parse_entry(Run, RUN | {"distance_m": 0.0}).distance_m == 0.0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": TODAY, "duration_s": 0.0}, "duration_s"),
        ({"date": TODAY, "duration_s": 7 * 3600.0}, "duration_s"),
        ({"date": TODAY, "duration_s": 3000.0, "rpe": 11}, "rpe"),
    ],
)
def test_gym_session_bounds(data, field):
    with pytest.raises(EntryInvalid) as info:
        parse_entry(GymSession, data)
    assert field in info.value.problems


def test_checkin_needs_at_least_one_pain_score():
    with pytest.raises(EntryInvalid, match="at least one moment"):
        parse_entry(KneeCheckin, {"date": TODAY, "knee": "left"})


def test_checkin_accepts_zero_pain_and_rejects_eleven():
    assert parse_entry(KneeCheckin, {"date": TODAY, "stairs": 0}).stairs == 0
    with pytest.raises(EntryInvalid, match="Going up or down stairs: must be a whole number from 0 to 10"):
        parse_entry(KneeCheckin, {"date": TODAY, "stairs": 11})


def test_checkin_rejects_an_unknown_knee():
    with pytest.raises(EntryInvalid, match="must be one of"):
        parse_entry(KneeCheckin, {"date": TODAY, "knee": "elbow", "stairs": 2})


def test_stretch_session_needs_items_and_refuses_repeats():
    with pytest.raises(EntryInvalid, match="cannot be empty"):
        parse_entry(StretchSession, {"date": TODAY, "items": []})
    item = {"stretch_id": "half_kneel_quad", "side": "left"}
    with pytest.raises(EntryInvalid, match="listed twice"):
        parse_entry(StretchSession, {"date": TODAY, "items": [item, item]})


def test_race_may_be_in_the_future_but_not_absurdly():
    race = parse_entry(Race, {"date": TODAY + dt.timedelta(days=90), "name": "City 10K", "distance_m": 10_000})
    assert race.name == "City 10K"
    with pytest.raises(EntryInvalid, match="more than five years ahead"):
        parse_entry(Race, {"date": TODAY.replace(year=TODAY.year + 7), "name": "x", "distance_m": 10_000})
    with pytest.raises(EntryInvalid, match="Name: cannot be empty"):
        parse_entry(Race, {"date": TODAY, "name": "  ", "distance_m": 10_000})


def test_settings_reject_an_unknown_time_zone():
    with pytest.raises(EntryInvalid, match="not a time zone name"):
        parse_entry(Settings, {"timezone": "Mars/Olympus"})
    assert parse_entry(Settings, {"timezone": "America/New_York", "unit": "mi"}).unit == "mi"


@pytest.mark.parametrize(
    ("knee", "words"), [("both", "both knees"), ("left", "the left knee"), ("right", "the right knee")]
)
def test_a_checkins_knee_reads_as_a_runner_says_it(knee, words):
    assert knee_words(knee) == words


@pytest.mark.parametrize(
    ("model", "fields", "field"),
    [
        (Run, {"distance_m": 5000, "duration_s": 1800, "notes": "felt\x1b[31m fine"}, "notes"),
        (KneeCheckin, {"stairs": 1, "note": "nul\x00here"}, "note"),
        (Race, {"name": "Parkrun\x7f", "distance_m": 5000}, "name"),
    ],
)
def test_text_with_a_control_character_is_refused_as_a_restore_would(model, fields, field):
    with pytest.raises(EntryInvalid) as refused:
        parse_entry(model, {"date": dt.date(2026, 3, 2), **fields}, today=dt.date(2026, 3, 2))
    assert "invisible control character" in refused.value.problems[field]


def test_tabs_and_line_breaks_in_a_note_are_kept():
    run = parse_entry(Run, {"date": dt.date(2026, 3, 2), "distance_m": 5000, "duration_s": 1800, "notes": "a\tb\r\nc"})
    assert run.notes == "a\tb\r\nc"
