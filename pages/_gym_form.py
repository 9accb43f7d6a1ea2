"""The gym programme's widgets: the exercise rows of the gym form, and the programme editor of the Gym programme page.

The gym form (:mod:`pages._forms`) draws :func:`exercise_fields` under its own fields and reads them back with
:func:`exercise_data`: a new session starts from today's programme, unticked, with the programme's dose; an edited one
shows what it logged. Widget keys are ``{prefix}-gym{n}-{row}-{field}`` (``n`` grows after each save, so the next
session starts from the programme again: :func:`reset`); they do not start with ``{prefix}_``, which the form's own
clearing owns.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kneelog.errors import EntryInvalid, EntryNotFound, LibraryInvalid
from kneelog.limits import MAX_EXERCISE_NAME_CHARS
from kneelog.models import CATEGORY_NAMES, Entry, Exercise, ExerciseLog, Settings, parse_entry
from kneelog.views.markdown import escape
from kneelog.views.programme import (
    StarterList,
    as_exercise,
    category_name,
    dose_words,
    load_from_unit,
    load_in_unit,
    load_starter_list,
    logs_to_save,
    mass_unit,
    session_start,
)
from pages import _ui

#: The widths of the small number fields, so a row of them fits a phone's screen.
NUMBER_WIDTH = 110
PAIN_HELP = "Knee pain during this exercise: 0 = none, 10 = worst imaginable. Leave empty if you did not note it."
LOAD_HELP = "Leave empty (or 0) for body weight."


@st.cache_data(show_spinner=False, max_entries=8)
def _programme(key: _ui.CacheKey, archived: bool) -> list[Exercise]:
    return _ui.get_store().exercises(archived=archived)


def programme(archived: bool = False) -> list[Exercise]:
    """The runner's programme in order (cached until the next write)."""
    store = _ui.get_store()
    return _programme(_ui.cache_key(store), archived)


# -- the gym form's exercise rows ---------------------------------------------------------------------------------


def _key(prefix: str, row: int, field: str) -> str:
    return f"{prefix}-gym{st.session_state.get(f'{prefix}-gym-n', 0)}-{row}-{field}"


def reset(prefix: str) -> None:
    """Start the next gym form of ``prefix`` from the programme again (after a save)."""
    st.session_state[f"{prefix}-gym-n"] = st.session_state.get(f"{prefix}-gym-n", 0) + 1


def _amount_field(prefix: str, i: int, row: ExerciseLog) -> None:
    side = " per side" if row.per_side else ""
    if row.reps is not None:
        st.number_input(f"Reps{side}", min_value=0, value=row.reps, step=1, key=_key(prefix, i, "reps"), width=120)
    else:
        label = f"Seconds{side}"
        st.number_input(label, min_value=0, value=row.seconds, step=5, key=_key(prefix, i, "seconds"), width=120)


def exercise_fields(prefix: str, entry: Entry | None, settings: Settings) -> None:
    """The exercise rows of the gym form: a box to tick, sets, repetitions or seconds, load and knee pain."""
    logged = getattr(entry, "exercises", ())
    rows = session_start(programme(), logged)
    st.session_state[f"{prefix}-gym-rows"] = rows
    if not rows:
        if entry is None:
            st.caption("Set up your exercises on the Gym programme page, and this form lists them to tick.")
        return
    mass = mass_unit(settings.unit)
    st.markdown("**Exercises**: tick what you did, and change the sets, repetitions or load to what you did.")
    for i, row in enumerate(rows):
        with st.container(border=True, key=f"{prefix}-gym-row-{i}"):
            st.checkbox(f"**{escape(row.name)}**", value=row.done, key=_key(prefix, i, "done"))
            with st.container(horizontal=True, gap="small"):
                st.number_input("Sets", min_value=0, value=row.sets, step=1, key=_key(prefix, i, "sets"), width=100)
                _amount_field(prefix, i, row)
                st.number_input(
                    f"Load ({mass})",
                    min_value=0.0,
                    value=load_in_unit(row.load_kg, settings.unit),
                    step=0.5 if mass == "kg" else 1.0,
                    format="%g",
                    key=_key(prefix, i, "load"),
                    help=LOAD_HELP,
                    width=120,
                )
                st.number_input(
                    "Knee pain",
                    min_value=0,
                    max_value=10,
                    value=row.pain_during,
                    step=1,
                    key=_key(prefix, i, "pain"),
                    help=PAIN_HELP,
                    width=120,
                )
    if logged and not any(r.done for r in logged):
        st.caption("Nothing was ticked for this session.")


def exercise_data(prefix: str, settings: Settings) -> list[dict[str, Any]]:
    """The exercise rows as the form holds them, for :class:`kneelog.models.GymSession` (none unless one is ticked)."""
    s = st.session_state
    rows = []
    for i, row in enumerate(s.get(f"{prefix}-gym-rows", [])):
        data = {
            "exercise_id": row.exercise_id,
            "name": row.name,
            "per_side": row.per_side,
            "done": bool(s.get(_key(prefix, i, "done"))),
            "sets": s.get(_key(prefix, i, "sets")),
            "load_kg": load_from_unit(s.get(_key(prefix, i, "load")), settings.unit),
            "pain_during": s.get(_key(prefix, i, "pain")),
        }
        amount = "reps" if row.reps is not None else "seconds"
        rows.append(data | {amount: s.get(_key(prefix, i, amount))})
    return logs_to_save(rows)


# -- the programme editor ------------------------------------------------------------------------------------------


def _dose_fields(key: str, exercise: Exercise | None, settings: Settings) -> None:
    """Name, category, sets, repetitions or seconds, side and load of an exercise (keys ``{key}_{field}``)."""
    st.text_input("Name", value=exercise.name if exercise else "", key=f"{key}_name", max_chars=MAX_EXERCISE_NAME_CHARS)
    categories = list(CATEGORY_NAMES)
    st.selectbox(
        "Category",
        categories,
        index=categories.index(exercise.category if exercise else "other"),
        format_func=category_name,
        key=f"{key}_category",
    )
    timed = exercise is not None and exercise.seconds is not None
    st.radio("Each set is", ["repetitions", "a hold in seconds"], index=int(timed), key=f"{key}_kind", horizontal=True)
    with st.container(horizontal=True, gap="small"):
        st.number_input(
            "Sets", min_value=0, value=exercise.sets if exercise else 3, step=1, key=f"{key}_sets", width=100
        )
        amount = (exercise.seconds if timed else exercise.reps) if exercise else 10
        st.number_input("Reps or seconds", min_value=0, value=amount, step=1, key=f"{key}_amount", width=150)
        st.number_input(
            f"Load ({mass_unit(settings.unit)})",
            min_value=0.0,
            value=load_in_unit(exercise.load_kg, settings.unit) if exercise else None,
            step=0.5,
            format="%g",
            key=f"{key}_load",
            help=LOAD_HELP,
            width=130,
        )
    st.checkbox("Per side (each leg in turn)", value=exercise.per_side if exercise else False, key=f"{key}_per_side")


def _dose_data(key: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    amount = "seconds" if s[f"{key}_kind"] == "a hold in seconds" else "reps"
    return {
        "name": s[f"{key}_name"],
        "category": s[f"{key}_category"],
        "sets": s[f"{key}_sets"],
        amount: s[f"{key}_amount"],
        "load_kg": load_from_unit(s[f"{key}_load"], settings.unit),
        "per_side": s[f"{key}_per_side"],
    }


def _save_exercise(key: str, exercise: Exercise | None) -> None:
    data = _dose_data(key, _ui.settings())
    store = _ui.get_store()
    try:
        if exercise is None:
            store.add_exercise(parse_entry(Exercise, data))
            _ui.flash(f"Added {escape(data['name'])} to your programme.")  # flash shows Markdown
        else:
            changed = parse_entry(Exercise, data | {"id": exercise.id, "position": exercise.position})
            store.update_exercise(changed)
            _ui.flash(f"Saved the changes to {escape(changed.name)}.")
    except (EntryInvalid, EntryNotFound) as e:
        st.session_state[f"{key}_error"] = e


def _show_error(key: str) -> None:
    error = st.session_state.pop(f"{key}_error", None)
    if isinstance(error, EntryInvalid):
        _ui.show_invalid(error)
    elif error is not None:
        st.error(escape(error), icon=":material/error:")


def add_own(settings: Settings) -> None:
    """A form to add an exercise of the runner's own to the end of the programme."""
    with st.form("programme_new", border=False, clear_on_submit=False):
        _dose_fields("programme_new", None, settings)
        st.form_submit_button("Add to my programme", on_click=_save_exercise, args=("programme_new", None))
    _show_error("programme_new")


def _add_starter(starters: StarterList) -> None:
    chosen = starters.by_id(st.session_state["programme_starter"])
    try:
        _ui.get_store().add_exercise(as_exercise(chosen))
    except EntryInvalid as e:  # the shipped list is checked when it loads; kept for a list edited by hand
        st.session_state["programme_starter_error"] = e
        return
    _ui.flash(f"Added {escape(chosen.name)} to your programme: adjust its dose with your physio.")


def add_from_starter(starters: StarterList) -> None:
    """Pick an example from the starter list and add it to the end of the programme."""
    options = [e.id for e in starters.exercises]
    names = {e.id: f"{category_name(e.category)}: {e.name} ({dose_words(e, 'km')})" for e in starters.exercises}
    st.selectbox("Example", options, format_func=names.get, key="programme_starter")
    chosen = starters.by_id(st.session_state["programme_starter"])
    st.caption(escape(chosen.how))
    st.button("Add this example", key="programme_add_starter", on_click=_add_starter, args=(starters,))
    _show_error("programme_starter")


def _move(exercise_id: int, step: int) -> None:
    try:
        _ui.get_store().move_exercise(exercise_id, step)
    except EntryNotFound as e:
        st.session_state["programme_list_error"] = e


def _remove(exercise: Exercise) -> None:
    try:
        archived = _ui.get_store().remove_exercise(exercise.id or -1)
    except EntryNotFound as e:
        st.session_state["programme_list_error"] = e
        return
    kept = " Sessions that logged it keep it in their history." if archived else ""
    _ui.flash(f"Removed {escape(exercise.name)} from your programme.{kept}")


def programme_list(exercises: list[Exercise], settings: Settings) -> None:
    """The programme in order: each exercise with its dose, buttons to move it up or down or remove it, and a
    section to change it."""
    _show_error("programme_list")
    for i, exercise in enumerate(exercises):
        key = f"programme_{exercise.id}"
        with st.container(border=True, key=f"{key}_card"):
            st.markdown(f"**{i + 1}. {escape(exercise.name)}**")
            st.caption(f"{category_name(exercise.category)} · {escape(dose_words(exercise, settings.unit))}")
            with st.container(horizontal=True, gap="small"):
                for label, icon, step, last in (("Up", "upward", -1, 0), ("Down", "downward", 1, len(exercises) - 1)):
                    st.button(
                        label,
                        key=f"{key}_{label.lower()}",
                        icon=f":material/arrow_{icon}:",
                        on_click=_move,
                        args=(exercise.id, step),
                        disabled=i == last,
                    )
                st.button("Remove", key=f"{key}_remove", icon=":material/delete:", on_click=_remove, args=(exercise,))
            with st.expander("Change"), st.form(f"{key}_form", border=False):
                _dose_fields(key, exercise, settings)
                st.form_submit_button("Save changes", on_click=_save_exercise, args=(key, exercise))
            _show_error(key)


def starter_list_or_error() -> StarterList | None:
    """The starter list, or None after showing why it cannot be read."""
    try:
        return load_starter_list()
    except LibraryInvalid as e:
        st.error(escape(e), icon=":material/error:")
        return None
