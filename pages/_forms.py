"""The entry forms, shared by "Log a session" (new entries) and "History" (editing), and the day's stretch routine.

Each kind has a ``_fields_<kind>`` function that draws its widgets (keys ``{prefix}_{field}``, values taken from an
existing entry when editing) and a ``_data_<kind>`` function that reads them back into a dict for
:func:`kneelog.models.parse_entry`. Saving happens in the submit button's callback, so problems are known before the
form is drawn again and each one is shown right under its field; nothing is stored unless the whole entry is valid.

:func:`routine` is the stretch routine of the Stretches page and of "Log a session": not a form, because its boxes
show what is saved for the date chosen, so they must change with the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from kneelog.errors import EntryInvalid, EntryNotFound, KneelogError
from kneelog.limits import MAX_NAME_CHARS, MAX_NOTES_CHARS
from kneelog.models import ENTRY_TYPES, Entry, KneeCheckin, Settings, StretchSession, parse_entry
from kneelog.stretches import (
    StretchLibrary,
    as_day_routine,
    done_on,
    load_library,
    routine_items,
    session_from_checked,
    session_on,
)
from kneelog.units import format_duration, from_unit, parse_duration, to_unit
from kneelog.views.markdown import escape
from pages import _gym_form, _ui

#: What a form says when the entry it edits was deleted meanwhile (perhaps in another tab).
GONE = "This entry has been deleted (perhaps in another tab), so the changes were not saved."

#: (kind, id) of the entry saved by the last edit, so History keeps showing it though its label changed.
EDITED_KEY = "last_edited_entry"


def _problems(prefix: str) -> dict[str, str]:
    return st.session_state.get(f"{prefix}_problems", {})


def _error_under(prefix: str, *fields: str) -> None:
    """Show the problem found with any of ``fields`` on the last submit, right under its widget."""
    for field in fields:
        reason = _problems(prefix).get(field)
        if reason:
            st.markdown(f":red[:material/error: {escape(reason)}]")  # a reason may quote what was typed


def _value(entry: Entry | None, field: str, default: Any = None) -> Any:
    return getattr(entry, field) if entry is not None else default


def _distance_value(entry: Entry | None, unit: str) -> float | None:
    metres = _value(entry, "distance_m")
    return round(to_unit(metres, unit), 2) if metres is not None else None


def _distance_field(prefix: str, entry: Entry | None, settings: Settings) -> None:
    st.number_input(
        f"Distance ({settings.unit})",
        min_value=0.0,
        step=0.1,
        format="%.2f",
        value=_distance_value(entry, settings.unit),
        key=f"{prefix}_distance",
    )
    _error_under(prefix, "distance_m")


def _distance_data(prefix: str, settings: Settings) -> float | None:
    distance = st.session_state[f"{prefix}_distance"]
    return from_unit(distance, settings.unit) if distance is not None else None


def _duration_field(prefix: str, entry: Entry | None, placeholder: str, help: str) -> None:
    value = format_duration(entry.duration_s) if entry is not None else ""
    st.text_input("Duration", value=value, placeholder=placeholder, key=f"{prefix}_duration", help=help)
    _error_under(prefix, "duration_s")


def _date_field(prefix: str, entry: Entry | None) -> None:
    st.date_input("Date", value=_value(entry, "date", _ui.today()), key=f"{prefix}_date", format="YYYY-MM-DD")
    _error_under(prefix, "date")


def _score_field(label: str, prefix: str, field: str, entry: Entry | None, low: int, help: str) -> None:
    st.number_input(
        label, min_value=low, max_value=10, step=1, value=_value(entry, field), key=f"{prefix}_{field}", help=help
    )
    _error_under(prefix, field)


RPE_HELP = "Rate of perceived exertion: 1 = very easy, 10 = all-out. Leave empty if you don't know."
PAIN_HELP = "0 = no pain, 10 = worst imaginable. Leave empty if it does not apply today."


def _fields_run(prefix: str, entry: Entry | None, settings: Settings) -> None:
    left, right = st.columns(2)
    with left:
        _date_field(prefix, entry)
    with right:
        st.time_input("Start time (optional)", value=_value(entry, "start_time"), key=f"{prefix}_start_time")
    left, right = st.columns(2)
    with left:
        _distance_field(prefix, entry, settings)
    with right:
        _duration_field(
            prefix, entry, "45:30 or 1:05:00", "Minutes (45), minutes:seconds (45:30) or h:mm:ss (1:05:00)."
        )
    _error_under(prefix, "entry")
    left, right = st.columns(2)
    with left:
        _score_field("Effort (RPE 1-10)", prefix, "rpe", entry, 1, RPE_HELP)
    with right:
        _score_field("Knee pain during the run (0-10)", prefix, "pain_during", entry, 0, PAIN_HELP)
    st.text_area("Notes", value=_value(entry, "notes", ""), key=f"{prefix}_notes", height=80, max_chars=MAX_NOTES_CHARS)


def _data_run(prefix: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    return {
        "date": s[f"{prefix}_date"],
        "start_time": s[f"{prefix}_start_time"],
        "distance_m": _distance_data(prefix, settings),
        "duration_s": s[f"{prefix}_duration"],
        "rpe": s[f"{prefix}_rpe"],
        "pain_during": s[f"{prefix}_pain_during"],
        "notes": s[f"{prefix}_notes"],
    }


def _fields_gym(prefix: str, entry: Entry | None, settings: Settings) -> None:
    left, right = st.columns(2)
    with left:
        _date_field(prefix, entry)
    with right:
        _duration_field(prefix, entry, "50 (minutes) or 1:05:00", "Minutes (50) or hours:minutes:seconds (1:05:00).")
    _score_field("Effort (RPE 1-10)", prefix, "rpe", entry, 1, RPE_HELP)
    st.text_area(
        "What you did (optional)",
        value=_value(entry, "notes", ""),
        key=f"{prefix}_notes",
        placeholder="Split squats 3x8, step-downs 3x10, calf raises ...",
        height=80,
        max_chars=MAX_NOTES_CHARS,
    )
    _gym_form.exercise_fields(prefix, entry, settings)  # the programme's exercises to tick (pages/_gym_form.py)
    _error_under(prefix, "exercises", "entry")


def _data_gym(prefix: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    return {
        "date": s[f"{prefix}_date"],
        "duration_s": s[f"{prefix}_duration"],
        "rpe": s[f"{prefix}_rpe"],
        "notes": s[f"{prefix}_notes"],
        "exercises": _gym_form.exercise_data(prefix, settings),
    }


def _routine_keys(prefix: str, library: StretchLibrary) -> dict[tuple[str, str], str]:
    """The checkbox key of each (stretch id, side) of the routine: ``{prefix}_{stretch id}_{side}``."""
    return {item: f"{prefix}_{item[0]}_{item[1]}" for item in routine_items(library)}


def _stretch_boxes(library: StretchLibrary, keys: dict[tuple[str, str], str]) -> None:
    """A checkbox for each side of each stretch, under its name; one box for a stretch done once for both legs."""
    for stretch in library.stretches:
        st.markdown(f"**{stretch.name}**")
        with st.container(horizontal=True, gap="medium"):
            for side in stretch.sides:
                st.checkbox(
                    "Done (both legs, once)" if side == "both" else side.capitalize(), key=keys[(stretch.id, side)]
                )


def _fields_stretch(prefix: str, entry: Entry | None, settings: Settings) -> None:
    _date_field(prefix, entry)
    library = load_library()
    keys = _routine_keys(prefix, library)
    done = done_on(_ui.frame("stretch_item"), entry.date, library, entry.id) if entry is not None else set()
    for item, key in keys.items():  # the saved ticks, until the runner changes them
        st.session_state.setdefault(key, item in done)
    _stretch_boxes(library, keys)
    _error_under(prefix, "items")
    st.text_area("Notes", value=_value(entry, "notes", ""), key=f"{prefix}_notes", height=68, max_chars=MAX_NOTES_CHARS)
    _error_under(prefix, "entry")


def _data_stretch(prefix: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    keys = _routine_keys(prefix, load_library())
    items = [{"stretch_id": stretch_id, "side": side} for (stretch_id, side), key in keys.items() if s.get(key)]
    return {"date": s[f"{prefix}_date"], "items": items, "notes": s[f"{prefix}_notes"]}


#: A pain slider's leftmost stop: no score for that moment (None in the entry).
NO_SCORE = "—"
#: The scores a new check-in starts from: no pain in the everyday moments, and the morning after not known yet.
CHECKIN_START: dict[str, int | str] = {"stairs": 0, "squat": 0, "sitting": 0, "morning_after": NO_SCORE}
#: How the leftmost stop reads on a slider, where "—" says too little.
NO_SCORE_WORDS = {"morning_after": "not yet"}


def _pain_slider(prefix: str, field: str, question: str, entry: Entry | None) -> None:
    """A 0-10 slider for one moment of the check-in, with a leftmost stop for "no score" (see :data:`NO_SCORE`)."""
    value = CHECKIN_START[field] if entry is None else getattr(entry, field)
    empty = NO_SCORE_WORDS.get(field, NO_SCORE)
    st.select_slider(
        question,
        options=[NO_SCORE, *range(11)],
        value=NO_SCORE if value is None else value,
        format_func=lambda v: empty if v == NO_SCORE else str(v),
        key=f"{prefix}_{field}",
    )
    _error_under(prefix, field)


def _fields_checkin(prefix: str, entry: Entry | None, settings: Settings) -> None:
    left, right = st.columns(2)
    with left:
        _date_field(prefix, entry)
    with right:
        knees = ["left", "right", "both"]
        st.radio(
            "Which knee",
            knees,
            index=knees.index(_value(entry, "knee", "both")),
            key=f"{prefix}_knee",
            horizontal=True,
            format_func=str.capitalize,
        )
        _error_under(prefix, "knee")
    st.caption(
        "Knee pain from 0 (none) to 10 (worst imaginable). Slide to the far left (—) to leave out a moment that did "
        "not come up; leave the morning after at *not yet* until you know."
    )
    moments = list(KneeCheckin.MOMENTS.items())
    for row in (moments[:2], moments[2:]):  # two by two on a laptop, one under another on a phone
        for column, (field, question) in zip(st.columns(2), row, strict=True):
            with column:
                _pain_slider(prefix, field, question, entry)
    _error_under(prefix, "entry")
    st.text_area(
        "Note (optional)", value=_value(entry, "note", ""), key=f"{prefix}_note", height=68, max_chars=MAX_NOTES_CHARS
    )


def _data_checkin(prefix: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    data = {"date": s[f"{prefix}_date"], "knee": s[f"{prefix}_knee"], "note": s[f"{prefix}_note"]}
    scores = {field: s[f"{prefix}_{field}"] for field in KneeCheckin.MOMENTS}
    return data | {field: None if score == NO_SCORE else score for field, score in scores.items()}


def _fields_race(prefix: str, entry: Entry | None, settings: Settings) -> None:
    left, right = st.columns(2)
    with left:
        _date_field(prefix, entry)
    with right:
        _distance_field(prefix, entry, settings)
    st.text_input(
        "Race name",
        value=_value(entry, "name", ""),
        key=f"{prefix}_name",
        placeholder="City Half Marathon",
        max_chars=MAX_NAME_CHARS,
    )
    _error_under(prefix, "name")
    _error_under(prefix, "entry")


def _data_race(prefix: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    return {
        "date": s[f"{prefix}_date"],
        "name": s[f"{prefix}_name"],
        "distance_m": _distance_data(prefix, settings),
    }


FIELDS: dict[str, Callable[[str, Entry | None, Settings], None]] = {
    "run": _fields_run,
    "gym": _fields_gym,
    "stretch": _fields_stretch,
    "checkin": _fields_checkin,
    "race": _fields_race,
}
DATA: dict[str, Callable[[str, Settings], dict[str, Any]]] = {
    "run": _data_run,
    "gym": _data_gym,
    "stretch": _data_stretch,
    "checkin": _data_checkin,
    "race": _data_race,
}


def _parse_durations(data: dict[str, Any]) -> dict[str, str]:
    """Turn a typed duration into seconds in place; returns the problem, if any."""
    if "duration_s" not in data:
        return {}
    try:
        data["duration_s"] = parse_duration(data["duration_s"] or "")
    except ValueError as e:
        return {"duration_s": str(e)}
    return {}


def _refuse(prefix: str, problems: dict[str, str]) -> None:
    """Keep a refused submit's problems for the form to show, and drop the last save's message (now stale)."""
    st.session_state[f"{prefix}_problems"] = problems
    st.session_state.pop(_ui.FLASH_KEY, None)


def _submit(kind: str, prefix: str, entry_id: int | None) -> None:
    settings = _ui.settings()
    model = ENTRY_TYPES[kind]
    data = DATA[kind](prefix, settings)
    problems = _parse_durations(data)
    if entry_id is not None:
        data["id"] = entry_id
        try:
            stored = _ui.get_store().get(kind, entry_id)
            # what the form does not show is kept: the source and its id (so importing the same file again finds
            # this entry), the activity type, a device's details
            data = stored.model_dump(exclude_none=True) | data
        except EntryNotFound:
            _refuse(prefix, {"entry": GONE})
            return
    try:
        entry = parse_entry(model, {k: v for k, v in data.items() if k not in problems}, today=_ui.today())
    except EntryInvalid as e:
        problems = problems | {k: v for k, v in e.problems.items() if k not in problems}
    if problems:
        _refuse(prefix, problems)
        return
    try:
        if entry_id is None:
            _ui.get_store().add(entry)
        else:
            _ui.get_store().update(entry)
    except EntryNotFound:  # deleted meanwhile, perhaps in another tab
        _refuse(prefix, {"entry": GONE})
        return
    except KneelogError as e:  # a duplicate check-in
        _refuse(prefix, {"entry": str(e)})
        return
    st.session_state[f"{prefix}_problems"] = {}
    if entry_id is None:
        _clear(prefix)
    else:
        st.session_state[EDITED_KEY] = (kind, entry_id)
    verb = "Saved" if entry_id is None else "Updated"
    _ui.flash(f"{verb} the {model.label} of {entry.date:%a %d %b %Y}.")


#: What a field of a new entry starts from, where it is not empty: the knee, and the check-in's pain sliders.
START: dict[str, Any] = {"knee": "both", **CHECKIN_START}


def _clear(prefix: str) -> None:
    """Empty the form for the next entry, so a second tap on Save cannot store the same entry twice.

    Setting each widget to its starting value (rather than deleting its key) is what clears it in the browser.
    """
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_") and k != f"{prefix}_problems"]:
        value, field = st.session_state[key], str(key).removeprefix(f"{prefix}_")
        if field in START:
            st.session_state[key] = START[field]
        elif isinstance(value, dt.date):
            st.session_state[key] = _ui.today()
        elif isinstance(value, str):
            st.session_state[key] = ""
        elif isinstance(value, list):
            st.session_state[key] = []
        else:
            st.session_state[key] = None
    _gym_form.reset(prefix)  # a gym form's exercises start from the programme again


def entry_form(kind: str, prefix: str, entry: Entry | None = None) -> None:
    """Draw the form for a new entry of ``kind`` (or for editing ``entry``) with its save button."""
    settings = _ui.settings()
    label = ENTRY_TYPES[kind].label
    with st.form(f"{prefix}_form", border=True):
        FIELDS[kind](prefix, entry, settings)
        problems = _problems(prefix)
        if problems:
            st.error(f"The {label} was not saved: fix the fields marked in red.", icon=":material/error:")
        st.form_submit_button(
            f"Save {label}" if entry is None else "Save changes",
            type="primary",
            on_click=_submit,
            args=(kind, prefix, entry.id if entry is not None else None),
            use_container_width=True,
            key=f"save_{prefix}",  # not {prefix}_save: _clear resets every {prefix}_* key after a save
        )


# -- the day's stretch routine: the Stretches page and "Log a session" -------------------------------------------


def _tick_all(keys: dict[tuple[str, str], str], value: bool) -> None:
    for key in keys.values():
        st.session_state[key] = value


def _load_routine(prefix: str, library: StretchLibrary, keys: dict[tuple[str, str], str], day: dt.date) -> None:
    """Tick the boxes and fill the note with what is saved for ``day`` (before they are drawn)."""
    items = _ui.frame("stretch_item")
    session_id, _ = session_on(items, day)
    done = done_on(items, day, library, session_id) if session_id is not None else set()
    for item, key in keys.items():
        st.session_state[key] = item in done
    st.session_state[f"{prefix}_notes"] = _ui.get_store().get("stretch", session_id).notes if session_id else ""
    st.session_state[f"{prefix}_loaded_for"] = day


def save_day_routine(
    library: StretchLibrary, checked: list[tuple[str, str]], day: dt.date, notes: str
) -> StretchSession:
    """Save the stretch-sides ``checked`` as the routine of ``day``: a new session, or an edit of the day's one.

    Returns the session as saved (its ``id`` is None when it was new). Raises what the models and the store raise.
    """
    session = session_from_checked(library, checked, day, notes, today=_ui.today())
    session = as_day_routine(session, _ui.frame("stretch_item"))
    if session.id is None:
        _ui.get_store().add(session)
    else:
        _ui.get_store().update(session)
    return session


def _save_routine(prefix: str, library: StretchLibrary, keys: dict[tuple[str, str], str]) -> None:
    state = st.session_state
    checked = [item for item, key in keys.items() if state.get(key)]
    try:
        session = save_day_routine(library, checked, state[f"{prefix}_date"], state.get(f"{prefix}_notes", ""))
    except KneelogError as e:
        state[f"{prefix}_error"] = e
        return
    done_ids = {i.stretch_id for i in session.items}
    names = [stretch.name for stretch in library.stretches if stretch.id in done_ids]
    _ui.flash(
        f"{'Saved' if session.id is None else 'Updated'} the stretch routine for {session.date:%a %d %b %Y}: "
        f"{len(session.items)} of {len(keys)} ({', '.join(names)})."
    )
    state[f"{prefix}_loaded_for"] = session.date  # the boxes already show what is saved


def routine(prefix: str, library: StretchLibrary) -> None:
    """Draw the day's stretch routine: a date, a box for each stretch and side, a note and a save button.

    One routine a day: the boxes and the note show what is saved for the chosen date (read again when the date
    changes, or when the page is opened again: Streamlit forgets the widgets of a page not shown), and saving
    edits that day's stretch session when it has one (:func:`kneelog.stretches.as_day_routine`). Widget keys are
    ``{prefix}_date``, ``{prefix}_{stretch id}_{side}``, ``{prefix}_notes``, ``{prefix}_all``, ``{prefix}_none``
    and ``{prefix}_save``; a refused save is shown under the button, a saved one through :func:`_ui.flash`.
    """
    keys = _routine_keys(prefix, library)
    today = _ui.today()
    day = st.date_input("Date", value=today, max_value=today, key=f"{prefix}_date", format="YYYY-MM-DD")
    if st.session_state.get(f"{prefix}_loaded_for") != day or any(key not in st.session_state for key in keys.values()):
        _load_routine(prefix, library, keys, day)
    session_id, sessions = session_on(_ui.frame("stretch_item"), day)
    if sessions > 1:
        st.caption(
            f"This date has {sessions} stretch sessions, saved before kneelog kept one routine a day: the boxes show "
            "the newest, and saving edits it. Delete the others in History if they repeat it."
        )
    elif session_id is not None:
        done = done_on(_ui.frame("stretch_item"), day, library)
        st.caption(f"Saved for this date: {len(done)} of {len(keys)}. Change the ticks and save to edit it.")
    with st.container(horizontal=True):
        st.button("Tick all", key=f"{prefix}_all", on_click=_tick_all, args=(keys, True), icon=":material/done_all:")
        st.button("Clear", key=f"{prefix}_none", on_click=_tick_all, args=(keys, False), icon=":material/close:")
    _stretch_boxes(library, keys)
    st.text_input(
        "Note (optional)", key=f"{prefix}_notes", placeholder="e.g. left calf tight", max_chars=MAX_NOTES_CHARS
    )
    st.button(
        "Update this day's routine" if session_id else "Save the routine",
        key=f"{prefix}_save",
        type="primary",
        on_click=_save_routine,
        args=(prefix, library, keys),
        icon=":material/save:",
    )
    error = st.session_state.pop(f"{prefix}_error", None)
    if isinstance(error, EntryInvalid):
        _ui.show_invalid(error)
    elif error is not None:
        st.error(escape(error), icon=":material/error:")
