"""The follow-along state machine: steps from the library and settings, the hold countdown, next, skip and end."""

from __future__ import annotations

import pytest

from kneelog.stretches import load_library, routine_items
from kneelog.views.routine import FollowAlong, HoldClock, Step, routine_steps


@pytest.fixture(scope="module")
def steps() -> tuple[Step, ...]:
    return routine_steps(load_library(), hold_seconds=30, reps_per_side=2)


def _at(steps: tuple[Step, ...], stretch_id: str, side: str) -> FollowAlong:
    """A run whose current step is (stretch_id, side), every step before it done."""
    run = FollowAlong(steps)
    while run.current.item != (stretch_id, side):
        run = run.next()
    return run


def test_steps_are_the_routine_in_library_order(steps):
    assert [step.item for step in steps] == routine_items(load_library())
    assert len(steps) == 9  # four stretches on each side, the fold once


def test_the_fold_is_one_step_for_both_legs(steps):
    folds = [step for step in steps if step.stretch_id == "wide_leg_forward_fold"]
    assert [(step.side, step.side_label) for step in folds] == [("both", "Both legs at once")]
    assert folds[0].dose == "hold" and folds[0].holds == 2


def test_holds_take_their_time_and_count_from_the_settings():
    steps = routine_steps(load_library(), hold_seconds=45, reps_per_side=3)
    quad = steps[0]
    assert (quad.stretch_id, quad.side, quad.side_label) == ("half_kneel_quad", "left", "Left side")
    assert (quad.dose, quad.seconds, quad.holds, quad.reps) == ("hold", 45, 3, 0)
    assert quad.total_seconds == 135  # three holds of 45 s


def test_the_ankle_drill_counts_its_own_repetitions_not_seconds(steps):
    drill = [step for step in steps if step.stretch_id == "ankle_mobilization"]
    assert [step.side for step in drill] == ["left", "right"]
    assert {(step.dose, step.reps, step.seconds, step.holds) for step in drill} == {("reps", 10, 0, 0)}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (0, HoldClock(hold=1, holds=2, seconds_left=30, over=False)),
        (12, HoldClock(hold=1, holds=2, seconds_left=18, over=False)),
        (12.5, HoldClock(hold=1, holds=2, seconds_left=18, over=False)),  # 17.5 s to go shows as 18
        (29.9, HoldClock(hold=1, holds=2, seconds_left=1, over=False)),
        (30, HoldClock(hold=2, holds=2, seconds_left=30, over=False)),  # the second hold starts
        (42, HoldClock(hold=2, holds=2, seconds_left=18, over=False)),
        (60, HoldClock(hold=2, holds=2, seconds_left=0, over=True)),
        (500, HoldClock(hold=2, holds=2, seconds_left=0, over=True)),
    ],
)
def test_a_30_s_hold_done_twice_counts_down_from_its_start(steps, now, expected):
    run = FollowAlong(steps).start(now=1000.0)
    assert run.running
    assert run.clock(now=1000.0 + now) == expected


def test_a_hold_has_no_clock_before_it_is_started(steps):
    run = FollowAlong(steps)
    assert run.clock(now=12) is None and not run.running


def test_a_clock_read_before_the_start_shows_the_whole_hold(steps):
    assert FollowAlong(steps).start(now=100).clock(now=99).seconds_left == 30


def test_a_drill_has_a_count_not_a_clock(steps):
    run = _at(steps, "ankle_mobilization", "left").start(now=0)
    assert run.clock(now=12) is None and not run.running
    for _ in range(3):
        run = run.count()
    assert run.counted == 3


def test_a_drill_counts_no_further_than_its_repetitions(steps):
    run = _at(steps, "ankle_mobilization", "right")
    for _ in range(12):
        run = run.count()
    assert run.counted == 10


def test_counting_on_a_hold_does_nothing(steps):
    run = FollowAlong(steps)
    assert run.count() == run


def test_next_moves_on_and_resets_the_timer_and_count(steps):
    run = _at(steps, "ankle_mobilization", "left").count().count().next()
    assert run.current.item == ("ankle_mobilization", "right")
    assert run.counted == 0 and run.started_at is None
    run = FollowAlong(steps).start(now=5).next()
    assert run.position == 1 and run.started_at is None and run.done == (("half_kneel_quad", "left"),)


def test_skipped_steps_are_left_out_of_what_is_saved(steps):
    run = FollowAlong(steps)
    for number in range(len(steps)):
        run = run.skip() if number in (1, 4) else run.next()
    assert run.finished and run.current is None
    assert run.skipped == (("half_kneel_quad", "right"), ("ninety_ninety_reach", "left"))
    assert set(run.done) == set(routine_items(load_library())) - set(run.skipped)
    assert len(run.done) == 7


def test_after_the_last_step_the_run_is_finished_and_moves_do_nothing(steps):
    run = FollowAlong(steps)
    for _ in steps:
        assert not run.finished
        run = run.next()
    assert run.finished and len(run.done) == 9
    assert run.next() == run and run.skip() == run and run.start(now=3) == run and run.clock(now=3) is None


def test_ending_early_counts_the_steps_not_reached_as_skipped(steps):
    run = FollowAlong(steps).next().skip().start(now=0).end()
    assert run.finished and run.started_at is None
    assert run.done == (("half_kneel_quad", "left"),)
    assert len(run.skipped) == 8 and run.skipped[0] == ("half_kneel_quad", "right")
    assert run.skipped[-1] == ("wide_leg_forward_fold", "both")


@pytest.mark.parametrize(
    ("hold_seconds", "reps_per_side", "hold_words", "drill_words"),
    [(30, 2, "hold 30 s, 2 times", "10 slow repetitions"), (45, 1, "hold 45 s", "10 slow repetitions")],
)
def test_each_step_says_its_own_dose(hold_seconds, reps_per_side, hold_words, drill_words):
    steps = routine_steps(load_library(), hold_seconds, reps_per_side)
    assert {step.dose_words for step in steps if step.dose == "hold"} == {hold_words}
    assert {step.dose_words for step in steps if step.dose == "reps"} == {drill_words}
