"""Stretches: the five mobility stretches for runner's knee, and "Today's routine": one stretch session a day."""

import streamlit as st

from kneelog.errors import EntryInvalid, KneelogError, LibraryInvalid
from kneelog.stretches import (
    done_on,
    load_library,
    routine_items,
    session_from_checked,
    session_on,
    stretch_dose,
    suggested_dose,
)
from pages import _ui

ERROR_KEY = "routine_error"
LOADED_KEY = "routine_loaded_for"  # the date whose saved routine the checkboxes and note show

try:
    library = load_library()
except LibraryInvalid as e:
    st.error(str(e), icon=":material/error:")
    st.stop()
source = library.source
prefs = _ui.settings()
today = _ui.today()
items = routine_items(library)
keys = {item: f"routine_{item[0]}_{item[1]}" for item in items}


def _tick_all(value: bool) -> None:
    for key in keys.values():
        st.session_state[key] = value


def _save() -> None:
    state = st.session_state
    checked = [item for item, key in keys.items() if state.get(key)]
    try:
        session = session_from_checked(
            library, checked, state["routine_date"], state.get("routine_notes", ""), today=_ui.today()
        )
        session_id, _ = session_on(_ui.frame("stretch_item"), session.date)
        if session_id is None:
            _ui.get_store().add(session)
        else:
            _ui.get_store().update(session.model_copy(update={"id": session_id}))
    except KneelogError as e:
        state[ERROR_KEY] = e
        return
    done_ids = {i.stretch_id for i in session.items}
    names = [stretch.name for stretch in library.stretches if stretch.id in done_ids]
    _ui.flash(
        f"{'Saved' if session_id is None else 'Updated'} the stretch routine for {session.date:%a %d %b %Y}: "
        f"{len(session.items)} of {len(items)} ({', '.join(names)})."
    )
    state[LOADED_KEY] = session.date  # the boxes already show what is saved


def _load(day) -> None:
    """Tick the boxes and fill the note with what is saved for ``day`` (before they are drawn)."""
    session_id, _ = session_on(_ui.frame("stretch_item"), day)
    done = done_on(_ui.frame("stretch_item"), day, library, session_id) if session_id else set()
    for item, key in keys.items():
        st.session_state[key] = item in done
    st.session_state["routine_notes"] = _ui.get_store().get("stretch", session_id).notes if session_id else ""
    st.session_state[LOADED_KEY] = day


st.title("Stretches")
_ui.demo_banner()
st.caption(
    f"From “{source.title}” by {source.author} ({source.publisher}), with physiotherapist "
    f"{source.physiotherapist} of {source.clinic}. Wording is kneelog's own."
)
dose = suggested_dose(prefs.hold_seconds, prefs.reps_per_side).capitalize()
drills = "".join(
    f"; the {stretch.name.lower()} is a moving drill: **{stretch_dose(stretch, 0, 0)}**"
    for stretch in library.stretches
    if stretch.dose == "reps"
)
st.info(f"**{dose}**{drills} — kneelog's suggestion — change the hold in Settings.", icon=":material/timer:")

library_col, routine_col = st.columns([3, 2], gap="large")

with library_col:
    st.subheader("The five stretches")
    for number, stretch in enumerate(library.stretches, start=1):
        with st.expander(f"{number}. {stretch.name}", icon=":material/self_improvement:"):
            st.markdown(f"**Mobilizes:** {', '.join(stretch.muscles)}")
            st.markdown(f"**Why it matters for the knee:** {stretch.why}")
            st.markdown(f"**Set-up:** {stretch.start}")
            st.markdown("**Steps**\n" + "\n".join(f"{n}. {step}" for n, step in enumerate(stretch.steps, start=1)))
            if stretch.cues:
                st.markdown("**Cues**\n" + "\n".join(f"- {cue}" for cue in stretch.cues))
            sides = "both legs at once" if stretch.one_for_both else " and ".join(stretch.sides)
            st.markdown(f"**Sides:** {sides}. {stretch.sides_note}".strip())
            kind = "A moving drill: repetitions, not a hold." if stretch.dose == "reps" else "A hold."
            st.caption(
                f"{kind} {stretch_dose(stretch, prefs.hold_seconds, prefs.reps_per_side).capitalize()} "
                "(kneelog's suggestion)."
            )
    with st.expander("About the source, hold times and gym sessions", icon=":material/menu_book:"):
        st.markdown(f"{source.dose_note}\n\n{source.gym_advice}\n\n{source.caveat}")

with routine_col:
    st.subheader("Today's routine")
    st.caption(
        "One routine a day: tick each stretch and side you did and save. Saving again for the same date edits that "
        "day's routine; the boxes show what is already saved."
    )
    day = st.date_input("Date", value=today, max_value=today, key="routine_date", format="YYYY-MM-DD")
    if st.session_state.get(LOADED_KEY) != day or any(key not in st.session_state for key in keys.values()):
        _load(day)  # a new date, or back from another page (Streamlit forgets the boxes of a page not shown)
    session_id, sessions = session_on(_ui.frame("stretch_item"), day)
    if sessions > 1:
        st.caption(
            f"This date has {sessions} stretch sessions, saved before kneelog kept one routine a day: the boxes show "
            "the newest, and saving edits it. Delete the others in History if they repeat it."
        )
    elif session_id is not None:
        done = done_on(_ui.frame("stretch_item"), day, library)
        st.caption(f"Saved for this date: {len(done)} of {len(items)}. Change the ticks and save to edit it.")
    with st.container(horizontal=True):
        st.button("Tick all", key="routine_all", on_click=_tick_all, args=(True,), icon=":material/done_all:")
        st.button("Clear", key="routine_none", on_click=_tick_all, args=(False,), icon=":material/close:")
    for stretch in library.stretches:
        st.markdown(f"**{stretch.name}**")
        with st.container(horizontal=True, gap="medium"):
            for side in stretch.sides:
                label = "Done (both legs, once)" if side == "both" else side.capitalize()
                st.checkbox(label, key=keys[(stretch.id, side)])
    st.text_input("Note (optional)", key="routine_notes", placeholder="e.g. left calf tight")
    st.button(
        "Update this day's routine" if session_id else "Save the routine",
        key="routine_save",
        type="primary",
        on_click=_save,
        icon=":material/save:",
    )
    error = st.session_state.pop(ERROR_KEY, None)
    if isinstance(error, EntryInvalid):
        _ui.show_invalid(error)
    elif error is not None:
        st.error(str(error), icon=":material/error:")
    _ui.show_flash()
