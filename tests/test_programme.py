"""The gym programme: the checks on exercises and logged sets, the store, progression and backups."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from kneelog.analysis.programme import progression
from kneelog.errors import BackupInvalid, EntryInvalid, LibraryInvalid
from kneelog.models import Exercise, ExerciseLog, GymSession, parse_entry
from kneelog.store import Store, backup, head_revision
from kneelog.views import programme as views
from tests.test_backup import edit_cell, rezip

DAY = dt.date(2026, 11, 24)  # a Tuesday
MONDAY = dt.date(2026, 11, 23)

SPLIT_SQUAT = {"name": "Split squat", "sets": 3, "reps": 8, "load_kg": 20.0, "per_side": True}


@pytest.fixture
def other(tmp_path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'other.db'}")
    yield s
    s.dispose()


# -- bad input --------------------------------------------------------------------------------------------------

#: (change to a good dose, the field as named in the message (None: the whole exercise), why), as a runner reads it.
BAD_DOSES = [
    ({"sets": 0}, "sets", r"must be at least 1$"),
    ({"sets": -3}, "sets", r"must be at least 1"),
    ({"sets": 21}, "sets", r"must be a whole number from 1 to 20"),
    (
        {"load_kg": 501.0},
        "load",
        r"is more than 500 kg, beyond any load kneelog accepts: check the number and the unit",
    ),
    ({"load_kg": -5.0}, "load", r"cannot be negative \(leave it empty for body weight\)"),
    ({"reps": None}, None, r"give repetitions or seconds per set, one of the two"),
    ({"seconds": 30}, None, r"give repetitions or seconds per set, one of the two"),
    ({"reps": 0}, "repetitions", r"must be at least 1"),
    ({"name": "  "}, "Name", r"cannot be empty"),
]
IDS = [str(change) for change, _, _ in BAD_DOSES]


@pytest.mark.parametrize(("change", "field", "reason"), BAD_DOSES, ids=IDS)
def test_a_programme_exercise_with_a_bad_dose_is_refused_in_words(change, field, reason):
    with pytest.raises(EntryInvalid, match=rf"^The exercise was not saved\. {field or 'Entry'}: {reason}"):
        parse_entry(Exercise, SPLIT_SQUAT | change)


@pytest.mark.parametrize(("change", "field", "reason"), BAD_DOSES, ids=IDS)
def test_a_logged_exercise_with_a_bad_dose_refuses_the_gym_session_naming_the_exercise(change, field, reason, store):
    exercises = [{"name": "Step-up", "sets": 3, "reps": 10}, SPLIT_SQUAT | change]
    name = "exercise 2" if change.get("name") == "  " else "Split squat"
    said = f"{field} {reason}" if field else reason
    with pytest.raises(EntryInvalid, match=rf"^The gym session was not saved\. Exercises: {name}: {said}"):
        parse_entry(GymSession, {"date": DAY, "duration_s": 3000, "exercises": exercises}, today=DAY)
    assert store.counts()["gym"] == 0


def test_a_load_of_exactly_500_kg_and_zero_for_body_weight_are_accepted():
    assert parse_entry(Exercise, SPLIT_SQUAT | {"load_kg": 500.0}).load_kg == 500.0
    assert parse_entry(Exercise, SPLIT_SQUAT | {"load_kg": 0.0}).load_kg is None


@pytest.mark.parametrize(
    ("unit", "typed", "kg"),
    [("km", 20.0, 20.0), ("mi", 100.0, 45.359237), ("mi", 0.0, None), ("km", None, None)],
)
def test_a_load_typed_in_pounds_is_stored_in_kilograms(unit, typed, kg):
    stored = views.load_from_unit(typed, unit)
    assert stored == (pytest.approx(kg) if kg is not None else None)


def test_1200_lb_is_refused_as_more_than_500_kg():
    with pytest.raises(EntryInvalid, match="more than 500 kg"):
        parse_entry(Exercise, SPLIT_SQUAT | {"load_kg": views.load_from_unit(1200.0, "mi")})


# -- the store --------------------------------------------------------------------------------------------------


def _session(*logs: ExerciseLog, day: dt.date = DAY) -> GymSession:
    return GymSession(date=day, duration_s=3000, rpe=6, exercises=logs)


@pytest.mark.backends("sqlite", "postgresql")
def test_the_programme_keeps_its_order_and_moves_stop_at_the_ends(store):
    ids = [store.add_exercise(Exercise(name=n, sets=3, reps=10)) for n in ("A", "B", "C")]
    store.move_exercise(ids[2], -1)
    store.move_exercise(ids[0], -5)
    assert [e.name for e in store.exercises()] == ["A", "C", "B"]
    store.move_exercise(ids[0], 1)
    assert [(e.name, e.position) for e in store.exercises()] == [("C", 0), ("A", 1), ("B", 2)]


@pytest.mark.backends("sqlite", "postgresql")
def test_an_exercise_deleted_while_sessions_refer_to_it_is_archived_and_its_history_stays_readable(store):
    squat = store.add_exercise(Exercise(**SPLIT_SQUAT, category="hip_and_knee"))
    clam = store.add_exercise(Exercise(name="Clam", sets=2, reps=15))
    logged = ExerciseLog(exercise_id=squat, **SPLIT_SQUAT, pain_during=3)
    session = store.add(_session(logged))

    assert store.remove_exercise(squat) is True  # archived: a session refers to it
    assert store.remove_exercise(clam) is False  # never logged: deleted

    assert [e.name for e in store.exercises()] == []
    assert [(e.name, e.archived) for e in store.exercises(archived=True)] == [("Split squat", True)]
    assert store.get("gym", session).exercises == (logged,)
    table = progression(store.frame("gym_exercise"))
    assert table[["name", "category", "volume_load_kg"]].to_dict("records") == [
        {"name": "Split squat", "category": "hip_and_knee", "volume_load_kg": 3 * 8 * 20.0 * 2}
    ]


@pytest.mark.backends("sqlite", "postgresql")
def test_removing_the_demo_keeps_a_session_readable_that_logged_a_demo_exercise(store):
    demo = store.add_exercise(Exercise(name="Step-up", sets=3, reps=10, source="demo"))
    session = store.add(_session(ExerciseLog(exercise_id=demo, name="Step-up", sets=3, reps=10)))
    store.delete_source("demo")
    assert store.exercises(archived=True) == []
    assert store.get("gym", session).exercises == (ExerciseLog(name="Step-up", sets=3, reps=10),)


@pytest.mark.backends("sqlite", "postgresql")
def test_editing_a_session_replaces_its_exercises_and_deleting_it_takes_them_along(store):
    first = ExerciseLog(name="Step-up", sets=3, reps=10)
    session_id = store.add(_session(first))
    changed = first.model_copy(update={"sets": 4, "load_kg": 10.0})
    store.update(store.get("gym", session_id).model_copy(update={"exercises": (changed,)}))
    assert store.get("gym", session_id).exercises == (changed,)
    store.delete("gym", session_id)
    assert store.frame("gym_exercise").empty


def test_a_gym_session_logged_before_the_programme_reads_and_edits_as_before(db_url):
    old = Store(db_url, upgrade="0004")  # a store at an old schema is written with plain SQL: its API is today's
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO gym_sessions (id, date, duration_s, rpe, notes, source, created_at, updated_at) "
            "VALUES (7, '2026-11-24', 2700, 5, 'Split squats 3x8', 'manual', '2026-11-24T08:00:00', "
            "'2026-11-24T08:00:00')"
        )
    old.dispose()
    session_id = 7

    store = Store(db_url)
    assert store.schema_version() == head_revision()
    session = store.get("gym", session_id)
    assert (session.duration_s, session.rpe, session.notes, session.exercises) == (2700, 5, "Split squats 3x8", ())
    assert store.frame("gym")[["id", "duration_s", "rpe"]].to_dict("records") == [
        {"id": 7, "duration_s": 2700.0, "rpe": 5.0}
    ]
    store.update(session.model_copy(update={"rpe": 6}))
    assert store.get("gym", session_id).exercises == () and store.frame("gym_exercise").empty
    store.dispose()


# -- progression: volume load worked by hand --------------------------------------------------------------------

VOLUME_LOADS = [
    # (logs of one week as (sets, reps, seconds, load, per side, done), volume load, reps, seconds, measure)
    ([(3, 10, None, 20.0, False, True)], 600.0, 30, None, "volume_load"),  # 3 x 10 x 20
    ([(3, 8, None, 22.5, True, True)], 1080.0, 48, None, "volume_load"),  # 3 x 8 x 22.5 x 2 sides
    ([(3, 10, None, 20.0, False, True), (4, 10, None, 20.0, False, True)], 1400.0, 70, None, "volume_load"),
    ([(3, 10, None, 20.0, False, True), (3, 10, None, None, False, True)], 600.0, 60, None, "volume_load"),
    ([(3, 15, None, None, True, True)], None, 90, None, "reps"),  # body weight: 3 x 15 x 2, no kilograms
    ([(3, None, 30, None, True, True)], None, None, 180, "seconds"),  # a hold: 3 x 30 s x 2
    ([(3, 10, None, 20.0, False, True), (5, 10, None, 40.0, False, False)], 600.0, 30, None, "volume_load"),
]


def _logs(rows: list[tuple], day: dt.date = DAY, exercise_id: int | None = 7) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "session_id": i + 1,
                "date": pd.Timestamp(day),
                "position": 0,
                "exercise_id": exercise_id,
                "name": "Split squat",
                "category": "hip_and_knee",
                "sets": sets,
                "reps": reps,
                "seconds": seconds,
                "load_kg": load,
                "per_side": int(per_side),
                "pain_during": float("nan"),
                "done": int(done),
                "source": "manual",
            }
            for i, (sets, reps, seconds, load, per_side, done) in enumerate(rows)
        ]
    )


def _same(value: float, expected: float | None) -> bool:
    return math.isnan(value) if expected is None else value == pytest.approx(expected)


@pytest.mark.parametrize(("rows", "volume", "reps", "seconds", "measure"), VOLUME_LOADS)
def test_weekly_volume_load_is_sets_times_reps_times_load_over_the_sessions_done(rows, volume, reps, seconds, measure):
    week = progression(_logs(rows)).iloc[0]
    assert week["week"] == pd.Timestamp(MONDAY)
    assert _same(week["volume_load_kg"], volume) and _same(week["reps"], reps) and _same(week["seconds"], seconds)
    assert week["measure"] == measure
    assert _same(week["value"], {"volume_load": volume, "reps": reps, "seconds": seconds}[measure])


def test_a_sunday_and_the_next_monday_fall_in_two_weeks_and_the_range_keeps_whole_weeks():
    sunday, monday = (
        _logs([(3, 10, None, 20.0, False, True)], dt.date(2026, 11, 29)),
        _logs([(3, 10, None, 25.0, False, True)], dt.date(2026, 11, 30)),
    )
    logs = pd.concat([sunday, monday.assign(session_id=9)], ignore_index=True)
    table = progression(logs)
    assert table["week"].tolist() == [pd.Timestamp(MONDAY), pd.Timestamp(2026, 11, 30)]
    assert table["volume_load_kg"].tolist() == [600.0, 750.0]
    only_second = progression(logs, start=dt.date(2026, 12, 2), end=dt.date(2026, 12, 2))
    assert only_second["volume_load_kg"].tolist() == [750.0]


def test_an_exercise_without_a_programme_entry_is_followed_by_its_name_and_nothing_done_is_empty():
    table = progression(_logs([(2, 12, None, None, False, True)], exercise_id=None))
    assert table[["exercise", "name", "reps"]].to_dict("records") == [
        {"exercise": "name: Split squat", "name": "Split squat", "reps": 24.0}
    ]
    assert progression(_logs([(2, 12, None, None, False, False)])).empty


# -- backups ----------------------------------------------------------------------------------------------------


def _filled(store: Store) -> int:
    squat = store.add_exercise(Exercise(**SPLIT_SQUAT, category="hip_and_knee"))
    store.add_exercise(Exercise(name="Side plank", sets=3, seconds=30, per_side=True, category="hip"))
    logs = (
        ExerciseLog(exercise_id=squat, **SPLIT_SQUAT, pain_during=2),
        ExerciseLog(name="Side plank", sets=3, seconds=30, per_side=True, done=False),
    )
    session = store.add(_session(*logs))
    store.add(GymSession(date=DAY, duration_s=1800))  # logged without exercises
    store.remove_exercise(squat)  # archived: the session refers to it
    return session


@pytest.mark.backends("sqlite", "postgresql")
def test_a_backup_with_a_programme_and_logged_sets_restores_them_exactly(store, other):
    session = _filled(store)
    backup.restore(other, backup.export_backup(store))
    assert other.exercises(archived=True) == store.exercises(archived=True)
    assert other.get("gym", session) == store.get("gym", session)
    pd.testing.assert_frame_equal(other.frame("gym_exercise"), store.frame("gym_exercise"))


def test_a_backup_from_before_the_programme_restores_with_no_exercises(store, other):
    session = store.add(GymSession(date=DAY, duration_s=2400, rpe=4))

    def as_schema_0004(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        for name in ("exercises", "gym_exercise_logs"):
            del members[f"{name}.csv"], manifest["tables"][name]
        members["manifest.json"] = json.dumps(manifest | {"schema_version": "0004"}).encode()

    backup.restore(other, rezip(backup.export_backup(store), as_schema_0004))
    assert other.get("gym", session) == store.get("gym", session)
    assert other.exercises(archived=True) == [] and other.frame("gym_exercise").empty


def _edit(member: str, column: str, value: str):
    return lambda data: rezip(data, edit_cell(member, 2, column, value))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_edit("gym_exercise_logs.csv", "sets", "0"), r"gym_exercise_logs\.csv row 2: sets must be at least 1"),
        (_edit("exercises.csv", "load_kg", "501.0"), r"exercises\.csv row 2: load is more than 500 kg"),
        (_edit("gym_exercise_logs.csv", "exercise_id", "99"), r"exercise_id 99 is not in exercises\.csv"),
        (_edit("gym_exercise_logs.csv", "done", "7"), r"a flag \(per_side, archived, done\) is not 0 or 1"),
    ],
    ids=["zero sets", "501 kg", "missing exercise", "bad flag"],
)
def test_a_backup_with_a_bad_programme_row_is_refused_by_file_and_row(store, other, edit, message):
    _filled(store)
    with pytest.raises(BackupInvalid, match=message):
        backup.restore(other, edit(backup.export_backup(store)))
    assert other.counts()["gym"] == 0


# -- the starter list ----------------------------------------------------------------------------------------------


def test_the_starter_list_offers_each_guideline_category_and_cites_the_guideline():
    starters = views.load_starter_list()
    assert {e.category for e in starters.exercises} == {"hip", "knee", "hip_and_knee"}
    assert "J Orthop Sports Phys Ther. 2019;49(9):CPG1-CPG95" in starters.source.citation
    assert "not a prescription" in starters.source.caveat
    assert all(e.load_kg is None for e in starters.exercises)


def test_a_starter_list_with_zero_sets_is_refused_naming_the_exercise(tmp_path):
    text = views.DEFAULT_STARTER_PATH.read_text(encoding="utf-8").replace("sets = 3", "sets = 0", 1)
    path = tmp_path / "exercises.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        LibraryInvalid, match=r"exercises\.toml: exercise 1 \('side_lying_hip_abduction'\), sets: must be at least 1"
    ):
        views.load_starter_list(path)


@pytest.mark.parametrize(
    ("dose", "unit", "words"),
    [
        (Exercise(**SPLIT_SQUAT), "km", "3 × 8 per side · 20 kg"),
        (Exercise(**SPLIT_SQUAT), "mi", "3 × 8 per side · 44.1 lb"),  # 20 / 0.45359237 = 44.09
        (Exercise(name="Wall sit", sets=3, seconds=30), "km", "3 × 30 s · body weight"),
    ],
)
def test_a_dose_reads_in_the_runners_unit(dose, unit, words):
    assert views.dose_words(dose, unit) == words
