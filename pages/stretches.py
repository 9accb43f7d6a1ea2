"""Stretches: the five mobility stretches for runner's knee, and "Today's routine" saved as one stretch session."""

import streamlit as st

from kneelog.errors import EntryInvalid, KneelogError, LibraryInvalid
from kneelog.stretches import done_on, load_library, routine_items, session_from_checked, suggested_dose
from pages import _ui

ERROR_KEY = "routine_error"

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
        _ui.get_store().add(session)
    except KneelogError as e:
        state[ERROR_KEY] = e
        return
    done_ids = {i.stretch_id for i in session.items}
    names = [stretch.name for stretch in library.stretches if stretch.id in done_ids]
    _ui.flash(
        f"Saved a stretch session for {session.date:%a %d %b %Y}: {len(session.items)} of {len(items)} "
        f"stretch sides ({', '.join(names)})."
    )
    _tick_all(False)
    state["routine_notes"] = ""


st.title("Stretches")
st.caption(
    f"From “{source.title}” by {source.author} ({source.publisher}), with physiotherapist "
    f"{source.physiotherapist} of {source.clinic}. Wording is kneelog's own."
)
dose = suggested_dose(prefs.hold_seconds, prefs.reps_per_side).capitalize()
st.info(f"**{dose}** — kneelog's suggestion — change it in Settings.", icon=":material/timer:")

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
            sides = " and ".join(stretch.sides)
            st.markdown(f"**Sides:** {sides}. {stretch.sides_note}".strip())
            st.caption(f"{dose} (kneelog's suggestion).")
    with st.expander("About the source, hold times and gym sessions", icon=":material/menu_book:"):
        st.markdown(f"{source.dose_note}\n\n{source.gym_advice}\n\n{source.caveat}")

with routine_col:
    st.subheader("Today's routine")
    st.caption("Tick each stretch and side you did, then save them as one stretch session.")
    with st.container(horizontal=True):
        st.button("Tick all", key="routine_all", on_click=_tick_all, args=(True,), icon=":material/done_all:")
        st.button("Clear", key="routine_none", on_click=_tick_all, args=(False,), icon=":material/close:")
    for stretch in library.stretches:
        st.markdown(f"**{stretch.name}**")
        with st.container(horizontal=True, gap="medium"):
            for side in stretch.sides:
                st.checkbox(side.capitalize(), key=keys[(stretch.id, side)])
    day = st.date_input("Date", value=today, max_value=today, key="routine_date", format="YYYY-MM-DD")
    done = done_on(_ui.frame("stretch_item"), day)
    if done:
        st.caption(f"Already saved for this date: {len(done)} of {len(items)} stretch sides.")
    st.text_input("Note (optional)", key="routine_notes", placeholder="e.g. left calf tight")
    st.button("Save stretch session", key="routine_save", type="primary", on_click=_save, icon=":material/save:")
    error = st.session_state.pop(ERROR_KEY, None)
    if isinstance(error, EntryInvalid):
        _ui.show_invalid(error)
    elif error is not None:
        st.error(str(error), icon=":material/error:")
    _ui.show_flash()
