"""Follow along: the day's stretch routine one stretch and side at a time, with a countdown for each hold.

A :class:`FollowAlong` is the state of one run through the routine: its steps (:func:`routine_steps`, one per
stretch and side of :func:`kneelog.stretches.routine_items`), where the runner is, when the current hold was started,
the repetitions counted for a moving drill, and which steps were done or skipped. It is immutable and knows nothing
of a clock or a UI: every move returns a new state, and the time is passed in (``now``, seconds from any fixed
origin such as :func:`time.time`), so a page can keep it in its session and a test can drive it without sleeping.

Holds and repetitions are kneelog's suggestion from the runner's settings (``hold_seconds``, ``reps_per_side``: a
hold of ``hold_seconds`` done ``reps_per_side`` times on the side); a moving drill counts its own repetitions from
the stretch library (``reps``). What was done becomes the day's routine through
:func:`kneelog.stretches.session_from_checked`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

from kneelog.models import Side
from kneelog.stretches import StretchLibrary

Item = tuple[str, Side]


@dataclass(frozen=True)
class Step:
    """One stretch on one side (or once for both legs), with its dose.

    ``holds`` holds of ``seconds`` each for a hold; ``reps`` repetitions for a moving drill (``seconds`` and
    ``holds`` are then 0).
    """

    stretch_id: str
    side: Side
    name: str
    dose: Literal["hold", "reps"]
    seconds: int = 0
    holds: int = 0
    reps: int = 0

    @property
    def item(self) -> Item:
        """The (stretch id, side) pair this step saves when done."""
        return self.stretch_id, self.side

    @property
    def side_label(self) -> str:
        """The side in words: ``Left side``, ``Right side`` or ``Both legs at once``."""
        return "Both legs at once" if self.side == "both" else f"{self.side.capitalize()} side"

    @property
    def dose_words(self) -> str:
        """The dose of this one side in words: ``hold 30 s, 2 times``, ``hold 30 s`` or ``10 slow repetitions``."""
        if self.dose == "reps":
            return f"{self.reps} slow repetitions"
        return f"hold {self.seconds} s" + ("" if self.holds == 1 else f", {self.holds} times")

    @property
    def total_seconds(self) -> int:
        """How long all the holds of a hold step take together (0 for a moving drill)."""
        return self.seconds * self.holds


@dataclass(frozen=True)
class HoldClock:
    """Where a hold step's countdown stands: hold ``hold`` of ``holds``, ``seconds_left`` of it to go."""

    hold: int
    holds: int
    seconds_left: int
    over: bool


def routine_steps(library: StretchLibrary, hold_seconds: int, reps_per_side: int) -> tuple[Step, ...]:
    """Every stretch and side of the routine, in library order, with kneelog's suggested dose from the settings.

    Args:
        library: the stretch library.
        hold_seconds: seconds per hold (Settings).
        reps_per_side: holds per side (Settings); a stretch done once for both legs is held as many times.

    Returns:
        One step per (stretch id, side) of :func:`kneelog.stretches.routine_items`.
    """
    steps = []
    for stretch in library.stretches:
        for side in stretch.sides:
            if stretch.dose == "reps":
                step = Step(stretch.id, side, stretch.name, "reps", reps=stretch.reps or 0)
            else:
                step = Step(stretch.id, side, stretch.name, "hold", seconds=hold_seconds, holds=reps_per_side)
            steps.append(step)
    return tuple(steps)


@dataclass(frozen=True)
class FollowAlong:
    """One run through the routine: the steps, the current one, its timer or count, and what was done.

    Moves (:meth:`start`, :meth:`count`, :meth:`next`, :meth:`skip`, :meth:`end`) return a new state; once every
    step is done or skipped (or the runner ends early) the run is :attr:`finished` and :attr:`done` is what to save.
    """

    steps: tuple[Step, ...]
    position: int = 0
    started_at: float | None = None
    counted: int = 0
    done: tuple[Item, ...] = ()
    skipped: tuple[Item, ...] = ()

    @property
    def finished(self) -> bool:
        """Whether no step is left."""
        return self.position >= len(self.steps)

    @property
    def current(self) -> Step | None:
        """The step to do now, or None when finished."""
        return None if self.finished else self.steps[self.position]

    @property
    def running(self) -> bool:
        """Whether the current step is a hold whose countdown has started."""
        return self.current is not None and self.current.dose == "hold" and self.started_at is not None

    @property
    def outcome(self) -> tuple[tuple[Step, bool], ...]:
        """Each step reached, in routine order, with whether it was done (True) or skipped (False)."""
        done = set(self.done)
        return tuple((step, step.item in done) for step in self.steps[: self.position])

    def start(self, now: float) -> FollowAlong:
        """Start (or restart) the current hold's countdown at ``now``."""
        return self if self.finished else dataclasses.replace(self, started_at=now)

    def count(self) -> FollowAlong:
        """Count one repetition of the current moving drill (no further than its repetitions)."""
        step = self.current
        if step is None or step.dose != "reps":
            return self
        return dataclasses.replace(self, counted=min(self.counted + 1, step.reps))

    def clock(self, now: float) -> HoldClock | None:
        """The countdown of the current hold at ``now``; None for a drill, when finished, or before the start.

        The holds follow one another: at ``elapsed`` seconds the runner is in hold ``elapsed // seconds + 1`` with
        the rest of it to go, rounded up, so a 30 s hold shows 30 at its start and 1 in its last second.
        """
        step = self.current
        if step is None or step.dose != "hold" or self.started_at is None:
            return None
        elapsed = max(0.0, now - self.started_at)
        if elapsed >= step.total_seconds:
            return HoldClock(hold=step.holds, holds=step.holds, seconds_left=0, over=True)
        hold = int(elapsed // step.seconds)
        left = math.ceil(step.seconds * (hold + 1) - elapsed)
        return HoldClock(hold=hold + 1, holds=step.holds, seconds_left=left, over=False)

    def _advance(self, done: bool) -> FollowAlong:
        step = self.current
        if step is None:
            return self
        return dataclasses.replace(
            self,
            position=self.position + 1,
            started_at=None,
            counted=0,
            done=self.done + (step.item,) if done else self.done,
            skipped=self.skipped if done else self.skipped + (step.item,),
        )

    def next(self) -> FollowAlong:
        """The current step was done (whether or not its timer ran out): on to the next one."""
        return self._advance(done=True)

    def skip(self) -> FollowAlong:
        """The current step was not done: on to the next one, leaving it out of what is saved."""
        return self._advance(done=False)

    def end(self) -> FollowAlong:
        """Stop here: the steps not reached count as skipped, and the run is finished."""
        rest = tuple(step.item for step in self.steps[self.position :])
        return dataclasses.replace(
            self, position=len(self.steps), started_at=None, counted=0, skipped=self.skipped + rest
        )
