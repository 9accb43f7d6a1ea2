"""Follow along: the Stretches page's "Start routine", one stretch and side at a time, saved as today's routine.

The run is a :class:`kneelog.views.routine.FollowAlong` kept in the session (key ``follow_run``); every button moves
it in a callback. While a hold's countdown runs it is drawn by a fragment that reruns each second (``run_every``),
not the whole page; once the time is up the fragment reruns the page once, which stops the ticking. A moving drill's
count is a fragment too, so counting redraws only the count. Widget keys: ``follow_start``, ``follow_go`` (start the
hold), ``follow_count``, ``follow_next``, ``follow_skip``, ``follow_end``, ``follow_notes``, ``follow_save`` and
``follow_discard``.
"""

from __future__ import annotations

import time

import streamlit as st

from kneelog.errors import KneelogError
from kneelog.models import Settings
from kneelog.stretches import StretchLibrary, session_on
from kneelog.views.figures import alt_text, figure_svg
from kneelog.views.markdown import escape
from kneelog.views.routine import FollowAlong, Step, routine_steps
from pages import _forms, _ui

#: Session keys of the follow-along: the run (a FollowAlong, None when not following), whether its figures move
#: (the "Move the figures" switch when it started), a refused save, and the message of the last save.
RUN, ANIMATE, ERROR, SAVED = "follow_run", "follow_animate", "follow_error", "follow_saved"


def _start(library: StretchLibrary, settings: Settings) -> None:
    st.session_state[RUN] = FollowAlong(routine_steps(library, settings.hold_seconds, settings.reps_per_side))
    st.session_state[ANIMATE] = st.session_state.get("animate_figures", True)


def _move(move: str) -> None:
    """Apply a move of the run ("next", "skip", "end", "count", or "start" at the clock's now)."""
    run: FollowAlong = st.session_state[RUN]
    st.session_state[RUN] = run.start(time.time()) if move == "start" else getattr(run, move)()


def _stop() -> None:
    st.session_state[RUN] = None


def _save(library: StretchLibrary) -> None:
    """Save what the run did as today's routine (editing today's, when there is one), then leave the run."""
    today, run = _ui.today(), st.session_state[RUN]
    try:
        session = _forms.save_day_routine(library, list(run.done), today, st.session_state.get("follow_notes", ""))
    except KneelogError as e:
        st.session_state[ERROR] = e
        return
    st.session_state[RUN] = None
    st.session_state.pop("routine_loaded_for", None)  # the checklist reads the day's routine again
    st.session_state[SAVED] = (
        f"{'Saved' if session.id is None else 'Updated'} today's stretch routine: "
        f"{len(session.items)} of {len(run.steps)} done."
    )


def _hold(step: Step) -> None:
    """The countdown of the current hold, redrawn each second while it runs (a fragment: not the whole page)."""
    run: FollowAlong | None = st.session_state.get(RUN)
    clock = run.clock(time.time()) if run is not None else None
    if clock is None:  # a tick that arrived after the runner moved on
        return
    st.metric(f"Hold {clock.hold} of {clock.holds}", f"{clock.seconds_left} s", width="content")
    if clock.over:
        st.success("Time's up: tap Next.", icon=":material/check_circle:")
        if st.session_state.get("follow_ticking"):
            st.rerun()  # once, so that the page stops the ticking
    else:
        st.progress(1 - clock.seconds_left / step.seconds)


def _count(step: Step) -> None:
    """The repetition count of the current drill (a fragment: counting reruns only this)."""
    run: FollowAlong = st.session_state[RUN]
    st.metric("Repetitions", f"{run.counted} of {step.reps}", width="content")
    st.button("Count one", key="follow_count", on_click=_move, args=("count",), icon=":material/add:")


def _step(library: StretchLibrary, run: FollowAlong, step: Step) -> None:
    stretch = next(s for s in library.stretches if s.id == step.stretch_id)
    st.subheader(escape(step.name))
    st.progress(run.position / len(run.steps), text=f"Step {run.position + 1} of {len(run.steps)}: {step.side_label}")
    do_col, figure_col = st.columns(2, gap="large")  # on a phone the timer and buttons come first
    with do_col:
        st.markdown(f"**{escape(step.dose_words.capitalize())}**")
        ticking = run.running and not run.clock(time.time()).over
        st.session_state["follow_ticking"] = ticking
        if step.dose == "hold" and run.started_at is None:
            st.caption("Get into position, then start the countdown.")
            st.button("Start the hold", key="follow_go", on_click=_move, args=("start",), icon=":material/timer:")
        elif step.dose == "hold":
            st.fragment(_hold, run_every=1 if ticking else None)(step)
        else:
            st.fragment(_count)(step)
        with st.container(horizontal=True):
            st.button("Next", key="follow_next", type="primary", on_click=_move, args=("next",),
                      icon=":material/skip_next:")  # fmt: skip
            st.button("Skip", key="follow_skip", on_click=_move, args=("skip",), icon=":material/redo:")
            st.button("End here", key="follow_end", type="tertiary", on_click=_move, args=("end",),
                      icon=":material/stop:")  # fmt: skip
    with figure_col:
        svg = figure_svg(step.stretch_id, step.side, animated=st.session_state.get(ANIMATE, True))
        st.image(svg, alt=alt_text(step.stretch_id, step.side), width=320)
        with st.expander("How to do it", icon=":material/menu_book:"):
            st.markdown(f"**Set-up:** {escape(stretch.start)}")
            st.markdown("\n".join(f"{n}. {escape(text)}" for n, text in enumerate(stretch.steps, start=1)))
            st.markdown("\n".join(f"- {escape(cue)}" for cue in stretch.cues))


def _summary(library: StretchLibrary, run: FollowAlong) -> None:
    st.subheader("Routine finished")
    done = sum(did for _, did in run.outcome)
    st.markdown(
        "\n".join(
            f"- {':material/check:' if did else ':material/close: Skipped:'} {escape(step.name)}, "
            f"{step.side_label.lower()}"
            for step, did in run.outcome
        )
    )
    if not done:
        st.info("Nothing was done, so there is nothing to save.", icon=":material/info:")
    else:
        saved_id, _ = session_on(_ui.frame("stretch_item"), _ui.today())
        if saved_id is not None:
            st.caption("Today already has a routine saved: saving replaces it with this one.")
        st.text_input("Note (optional)", key="follow_notes", placeholder="e.g. left calf tight")
    error = st.session_state.pop(ERROR, None)
    if error is not None:
        st.error(escape(error), icon=":material/error:")
    with st.container(horizontal=True):
        if done:
            st.button(f"Save today's routine ({done} of {len(run.steps)})", key="follow_save", type="primary",
                      on_click=_save, args=(library,), icon=":material/save:")  # fmt: skip
        st.button("Discard" if done else "Back", key="follow_discard", on_click=_stop, icon=":material/close:")


def running() -> bool:
    """Whether a follow-along run is going on (or finished and not yet saved or left)."""
    return st.session_state.get(RUN) is not None


def start_button(library: StretchLibrary, settings: Settings) -> None:
    """The "Start routine" button with what it does, and the message of the last follow-along save."""
    saved = st.session_state.pop(SAVED, None)
    if saved:
        st.success(saved, icon=":material/check_circle:")
    st.button(
        "Start routine", key="follow_start", type="primary", on_click=_start, args=(library, settings),
        icon=":material/play_arrow:",
    )  # fmt: skip
    st.caption(
        "Follow along: one stretch and side at a time with its figure, a countdown for each hold and a count for "
        "the drill. Skip what you leave out; at the end, save what you did as today's routine."
    )


def view(library: StretchLibrary) -> None:
    """Draw the run: the current step, or the summary with the save button once every step is done or skipped."""
    run: FollowAlong = st.session_state[RUN]
    if run.current is None:
        _summary(library, run)
    else:
        _step(library, run, run.current)
