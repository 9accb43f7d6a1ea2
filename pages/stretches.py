"""Stretches: the five mobility stretches for runner's knee, and "Today's routine": one stretch session a day.

"Start routine" follows the routine one stretch and side at a time (pages/_follow.py): while it runs, the page
shows only the current step.
"""

import streamlit as st

from kneelog.errors import LibraryInvalid
from kneelog.stretches import load_library, stretch_dose, suggested_dose
from kneelog.views.figures import alt_text, figure_svg
from kneelog.views.markdown import escape
from pages import _follow, _forms, _ui

try:
    library = load_library()
    figures = {(s.id, side): figure_svg(s.id, side, animated=True) for s in library.stretches for side in s.sides}
except LibraryInvalid as e:
    st.error(escape(e), icon=":material/error:")
    st.stop()
source = library.source
prefs = _ui.settings()


st.title("Stretches")
_ui.demo_banner()
if _follow.running():  # the follow-along takes the page until it is saved or left
    _follow.view(library)
    st.stop()
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

routine_col, library_col = st.columns([2, 3], gap="large")  # on a phone the routine comes first

with routine_col:
    st.subheader("Today's routine")
    _follow.start_button(library, prefs)
    st.caption(
        "One routine a day: tick each stretch and side you did and save. Saving again for the same date edits that "
        "day's routine; the boxes show what is already saved."
    )
    _forms.routine("routine", library)
    _ui.show_flash()

with library_col:
    st.subheader("The five stretches")
    # A figure that moves for more than five seconds needs a way to stop it (WCAG 2.2.2): still figures show the end.
    animate = st.toggle("Move the figures", value=True, key="animate_figures")
    for number, stretch in enumerate(library.stretches, start=1):
        with st.expander(f"{number}. {stretch.name}", icon=":material/self_improvement:", expanded=number == 1):
            # two columns even for the one-sided fold, so every figure is drawn at the same size within the card
            for column, side in zip(st.columns(2), stretch.sides, strict=False):
                with column:
                    svg = figures[stretch.id, side] if animate else figure_svg(stretch.id, side, animated=False)
                    label = "Both legs at once" if side == "both" else f"{side.capitalize()} side"
                    st.image(svg, caption=label, alt=alt_text(stretch.id, side), width="stretch")
            st.markdown(f"**Mobilises:** {', '.join(stretch.muscles)}")
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
