"""The stretch library: the shipped file, malformed files, own wording, and today's routine."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from kneelog.errors import EntryInvalid, LibraryInvalid
from kneelog.stretches import (
    DEFAULT_LIBRARY_PATH,
    as_day_routine,
    done_on,
    load_library,
    routine_items,
    routine_size,
    session_from_checked,
    session_on,
    stretch_dose,
    suggested_dose,
)

#: Hashes of every 8-word run of the source article (the file's header says how they were made).
ARTICLE_RUNS = Path(__file__).parent / "data" / "article_8word_runs.txt"
RUN_LENGTH = 8

EXPECTED_IDS = [
    "half_kneel_quad",
    "low_lunge_reach",
    "ninety_ninety_reach",
    "ankle_mobilization",
    "wide_leg_forward_fold",
]

SOURCE = """
[source]
title = "T"
author = "A"
publisher = "P"
physiotherapist = "Ph"
clinic = "C"
dose_note = "D"
gym_advice = "G"
caveat = "Cv"
"""

GOOD = (
    SOURCE
    + """
[[stretches]]
id = "quad"
name = "Quad"
muscles = ["quadriceps"]
why = "W"
start = "S"
steps = ["one", "two"]
sides = ["left", "right"]

[[stretches]]
id = "calf"
name = "Calf"
muscles = ["soleus"]
why = "W"
start = "S"
steps = ["one"]
sides = ["left", "right"]
cues = ["c"]
"""
)


def _words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept inside a word, curly quotes made straight."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'"))


def _strings(value: object) -> list[str]:
    """Every string value in a parsed TOML document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _run_hash(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def _article_runs() -> set[str]:
    lines = ARTICLE_RUNS.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def _copied_runs(text: str) -> set[str]:
    """The runs of 8 words of ``text`` that also appear in the article."""
    article, words = _article_runs(), _words(text)
    runs = (words[i : i + RUN_LENGTH] for i in range(len(words) - RUN_LENGTH + 1))
    return {" ".join(run) for run in runs if _run_hash(run) in article}


def test_shipped_library_has_the_five_stretches_in_article_order():
    library = load_library()
    assert [s.id for s in library.stretches] == EXPECTED_IDS
    for stretch in library.stretches:
        assert stretch.name and stretch.why and stretch.start, stretch.id
        assert stretch.muscles and stretch.steps and stretch.cues, stretch.id
        # the fold works both legs at once (the article says one fold counts for both sides): one tick, not two
        expected_sides = ("both",) if stretch.id == "wide_leg_forward_fold" else ("left", "right")
        assert stretch.sides == expected_sides, stretch.id


def test_ankle_mobilization_is_a_drill_of_repetitions_and_the_rest_are_holds():
    doses = {s.id: (s.dose, s.reps) for s in load_library().stretches}
    assert doses.pop("ankle_mobilization") == ("reps", 10)
    assert set(doses.values()) == {("hold", None)}


@pytest.mark.parametrize(
    ("stretch_id", "expected"),
    [
        ("half_kneel_quad", "hold 30 s, 2 times on each side"),
        ("ankle_mobilization", "10 slow repetitions on each side"),
        ("wide_leg_forward_fold", "hold 30 s, 2 times"),
    ],
)
def test_each_stretch_has_its_own_dose_in_words(stretch_id, expected):
    stretch = next(s for s in load_library().stretches if s.id == stretch_id)
    assert stretch_dose(stretch, 30, 2) == expected


@pytest.mark.parametrize(
    ("stretch_id", "muscle"),
    [
        ("half_kneel_quad", "Quadriceps"),
        ("low_lunge_reach", "Iliopsoas"),
        ("low_lunge_reach", "Rectus femoris"),
        ("ninety_ninety_reach", "Gluteus medius"),
        ("ninety_ninety_reach", "TFL"),
        ("ankle_mobilization", "Soleus"),
        ("ankle_mobilization", "Gastrocnemius"),
        ("wide_leg_forward_fold", "Hamstrings"),
    ],
)
def test_each_stretch_names_the_muscles_the_article_gives(stretch_id, muscle):
    stretch = next(s for s in load_library().stretches if s.id == stretch_id)
    assert any(muscle in m for m in stretch.muscles)


def test_source_credits_article_author_and_physiotherapist():
    source = load_library().source
    assert source.title == "5 Stretches for Runner's Knee Pain"
    assert (source.author, source.publisher, source.physiotherapist) == (
        "Phil White",
        "TrainingPeaks",
        "Dereck Steffe, DPT",
    )
    assert "Evergreen, Colorado" in source.clinic
    assert "kneelog" in source.dose_note and "suggestion" in source.dose_note
    assert "one to three gym sessions" in source.gym_advice


def test_article_fingerprint_covers_the_whole_article():
    assert len(_article_runs()) > 700


def test_no_eight_word_run_of_the_article_is_copied_into_the_library():
    library_text = DEFAULT_LIBRARY_PATH.read_text(encoding="utf-8")
    copied = {run for text in _strings(tomllib.loads(library_text)) for run in _copied_runs(text)}
    assert copied == set()


@pytest.mark.parametrize(
    ("lifted", "run"),
    [
        (
            "Then bend forward at the waist, keeping your back straight.",
            "forward at the waist keeping your back straight",
        ),
        (
            "Move your left knee forward, keeping it aligned with your left big toe!",
            "keeping it aligned with your left big toe",
        ),
    ],
)
def test_copy_check_finds_a_sentence_lifted_from_the_article(lifted, run):
    assert run in _copied_runs(lifted)


def test_good_minimal_library_loads(tmp_path):
    path = tmp_path / "stretches.toml"
    path.write_text(GOOD)
    assert [s.id for s in load_library(path).stretches] == ["quad", "calf"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('steps = ["one"]\n', "", r"stretch 2 \('calf'\), field 'steps': is missing"),
        ('steps = ["one"]', "steps = []", r"stretch 2 \('calf'\), field 'steps': is empty"),
        ('steps = ["one"]', 'steps = "one"', r"stretch 2 \('calf'\), field 'steps': must be a list"),
        ('steps = ["one"]', 'steps = [""]', r"stretch 2 \('calf'\), field 'steps' \(item 1\): is empty"),
        ('muscles = ["soleus"]', "muscles = []", r"stretch 2 \('calf'\), field 'muscles': is empty"),
        (
            'why = "W"\nstart = "S"\nsteps = ["one", "two"]',
            'start = "S"\nsteps = ["one", "two"]',
            r"stretch 1 \('quad'\), field 'why': is missing",
        ),
        ('id = "calf"', 'id = "Calf Raise"', r"stretch 2 \('Calf Raise'\), field 'id': must use only lower-case"),
        ('id = "calf"', 'id = "quad"', r"stretch 2, field 'id': 'quad' is already the id of stretch 1"),
        ('id = "calf"\n', "", r"stretch 2, field 'id': is missing"),
        ('cues = ["c"]', 'cues = ["c"]\nstpes = ["x"]', r"stretch 2 \('calf'\), field 'stpes': is not a known field"),
        (
            'sides = ["left", "right"]\ncues',
            'sides = ["left", "middle"]\ncues',
            r"stretch 2 \('calf'\), field 'sides' \(item 2\): must be one of 'left', 'right' or 'both'",
        ),
        (
            'sides = ["left", "right"]\ncues',
            'sides = ["left", "left"]\ncues',
            r"stretch 2 \('calf'\), field 'sides': lists left more than once",
        ),
        ('name = "Quad"', "name = 3", r"stretch 1 \('quad'\), field 'name': must be text in quotes"),
        ('title = "T"\n', "", r"the \[source\] table, field 'title': is missing"),
        ('caveat = "Cv"', 'caveat = ""', r"the \[source\] table, field 'caveat': is empty"),
    ],
)
def test_malformed_library_names_the_entry_and_field(tmp_path, old, new, message):
    assert old in GOOD
    path = tmp_path / "stretches.toml"
    path.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(LibraryInvalid, match=message):
        load_library(path)


def test_library_without_stretches_is_refused(tmp_path):
    path = tmp_path / "stretches.toml"
    path.write_text(SOURCE)
    with pytest.raises(LibraryInvalid, match=r"the \[\[stretches\]\] list: is missing"):
        load_library(path)


def test_library_that_is_not_toml_names_the_file_and_line(tmp_path):
    path = tmp_path / "stretches.toml"
    path.write_text(GOOD.replace('name = "Calf"', 'name = "Calf'))
    with pytest.raises(LibraryInvalid, match=rf"{re.escape(str(path))} is not valid TOML: .*line 2[0-9]"):
        load_library(path)


def test_missing_library_file_is_reported(tmp_path):
    with pytest.raises(LibraryInvalid, match=r"nothere\.toml is missing"):
        load_library(tmp_path / "nothere.toml")


def test_routine_is_every_stretch_on_each_side_in_library_order_and_the_fold_once():
    items = routine_items(load_library())
    assert len(items) == routine_size(load_library()) == 9  # four stretches x two sides + one fold
    assert items[:2] == [("half_kneel_quad", "left"), ("half_kneel_quad", "right")]
    assert items[-1] == ("wide_leg_forward_fold", "both")
    assert ("wide_leg_forward_fold", "left") not in items


def test_checked_items_become_one_stretch_session():
    day = dt.date(2026, 3, 2)
    checked = [("low_lunge_reach", "right"), ("half_kneel_quad", "left"), ("low_lunge_reach", "left")]
    session = session_from_checked(load_library(), checked, day, notes="tight calf")
    assert session.date == day and session.notes == "tight calf" and session.source == "manual"
    assert {(i.stretch_id, i.side) for i in session.items} == set(checked)
    assert len(session.items) == 3


@pytest.mark.parametrize(
    ("checked", "day", "message"),
    [
        ([], dt.date(2026, 3, 2), r"Stretches done: tick at least one stretch"),
        ([("pigeon_pose", "left")], dt.date(2026, 3, 2), r"not in the stretch library: pigeon_pose \(left\)"),
        (
            [("half_kneel_quad", "middle")],
            dt.date(2026, 3, 2),
            r"not in the stretch library: half_kneel_quad \(middle\)",
        ),
        (
            [("half_kneel_quad", "left"), ("half_kneel_quad", "left")],
            dt.date(2026, 3, 2),
            r"Stretches done: the same stretch and side is listed twice",
        ),
        ([("half_kneel_quad", "left")], dt.date.today() + dt.timedelta(days=5), r"Date: .* is in the future"),
    ],
)
def test_invalid_routine_is_refused_with_the_reason(checked, day, message):
    with pytest.raises(EntryInvalid, match=message):
        session_from_checked(load_library(), checked, day)


@pytest.mark.parametrize(
    ("hold", "reps", "expected"),
    [(30, 2, "hold 30 s, 2 times on each side"), (45, 1, "hold 45 s, once on each side")],
)
def test_suggested_dose_reads_as_words(hold, reps, expected):
    assert suggested_dose(hold, reps) == expected


def test_done_on_lists_the_sides_saved_for_that_day_only():
    frame = pd.DataFrame(
        {
            "session_id": [1, 1, 2],
            "date": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-03-02"]),
            "stretch_id": ["half_kneel_quad", "half_kneel_quad", "low_lunge_reach"],
            "side": ["left", "right", "left"],
            "source": ["manual"] * 3,
        }
    )
    assert done_on(frame, dt.date(2026, 3, 1)) == {("half_kneel_quad", "left"), ("half_kneel_quad", "right")}
    assert done_on(frame, dt.date(2026, 3, 3)) == set()
    assert done_on(frame.iloc[0:0], dt.date(2026, 3, 1)) == set()


def test_done_on_reads_an_old_left_or_right_fold_as_the_one_fold():
    frame = pd.DataFrame(
        {
            "session_id": [1, 1, 1],
            "date": pd.to_datetime(["2026-03-01"] * 3),
            "stretch_id": ["wide_leg_forward_fold", "wide_leg_forward_fold", "half_kneel_quad"],
            "side": ["left", "right", "left"],
            "source": ["manual"] * 3,
        }
    )
    expected = {("wide_leg_forward_fold", "both"), ("half_kneel_quad", "left")}
    assert done_on(frame, dt.date(2026, 3, 1), load_library()) == expected


def test_session_on_gives_the_newest_session_of_the_day_and_how_many():
    frame = pd.DataFrame(
        {
            "session_id": [3, 7, 7, 5],
            "date": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-03-01", "2026-03-02"]),
            "stretch_id": ["half_kneel_quad"] * 4,
            "side": ["left", "left", "right", "left"],
            "source": ["manual"] * 4,
        }
    )
    assert session_on(frame, dt.date(2026, 3, 1)) == (7, 2)
    assert session_on(frame, dt.date(2026, 3, 2)) == (5, 1)
    assert session_on(frame, dt.date(2026, 3, 3)) == (None, 0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ('sides = ["both", "left"]', r"field 'sides': \"both\" .* cannot be listed with another side"),
        ('sides = ["left"]\ndose = "reps"', r"give reps \(a number\) exactly when dose = \"reps\""),
    ],
)
def test_library_refuses_both_with_a_side_and_a_drill_without_reps(tmp_path, fields, message):
    path = tmp_path / "stretches.toml"
    path.write_text(GOOD.replace('sides = ["left", "right"]', fields, 1))
    with pytest.raises(LibraryInvalid, match=message):
        load_library(path)


def test_done_on_can_read_one_session_of_the_day():
    frame = pd.DataFrame(
        {
            "session_id": [1, 2],
            "date": pd.to_datetime(["2026-03-01", "2026-03-01"]),
            "stretch_id": ["half_kneel_quad", "low_lunge_reach"],
            "side": ["left", "right"],
            "source": ["manual"] * 2,
        }
    )
    assert done_on(frame, dt.date(2026, 3, 1), session_id=2) == {("low_lunge_reach", "right")}


@pytest.mark.parametrize(
    ("day", "expected_id"), [(dt.date(2026, 3, 1), 7), (dt.date(2026, 3, 2), 5), (dt.date(2026, 3, 3), None)]
)
def test_a_days_routine_edits_the_newest_session_of_that_day_or_is_new(day, expected_id):
    saved = pd.DataFrame(
        {
            "session_id": [3, 7, 5],
            "date": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-03-02"]),
            "stretch_id": ["half_kneel_quad"] * 3,
            "side": ["left", "right", "left"],
            "source": ["manual"] * 3,
        }
    )
    ticked = session_from_checked(load_library(), [("ankle_mobilization", "left")], day, notes="calf", today=day)
    routine = as_day_routine(ticked, saved)
    assert routine.id == expected_id
    assert (routine.date, routine.notes, routine.items) == (day, "calf", ticked.items)  # the new ticks, not the old
