"""The entry forms, shared by "Log a session" (new entries) and "History" (editing).

Each kind has a ``_fields_<kind>`` function that draws its widgets (keys ``{prefix}_{field}``, values taken from an
existing entry when editing) and a ``_data_<kind>`` function that reads them back into a dict for
:func:`kneelog.models.parse_entry`. Saving happens in the submit button's callback, so problems are known before the
form is drawn again and each one is shown right under its field; nothing is stored unless the whole entry is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from kneelog.errors import EntryInvalid, EntryNotFound, KneelogError
from kneelog.models import ENTRY_TYPES, Entry, KneeCheckin, Settings, parse_entry
from kneelog.stretches import load_library
from kneelog.units import format_duration, from_unit, parse_duration, to_unit
from pages import _ui

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
            st.markdown(f":red[:material/error: {reason}]")


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
    st.text_area("Notes", value=_value(entry, "notes", ""), key=f"{prefix}_notes", height=80)


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
    )
    _error_under(prefix, "entry")


def _data_gym(prefix: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    return {
        "date": s[f"{prefix}_date"],
        "duration_s": s[f"{prefix}_duration"],
        "rpe": s[f"{prefix}_rpe"],
        "notes": s[f"{prefix}_notes"],
    }


def _stretch_options() -> dict[str, tuple[str, str]]:
    """Label shown to the runner -> (stretch id, side), for every stretch of the library on each side."""
    return {
        f"{stretch.name} — {side}": (stretch.id, side) for stretch in load_library().stretches for side in stretch.sides
    }


def _fields_stretch(prefix: str, entry: Entry | None, settings: Settings) -> None:
    _date_field(prefix, entry)
    options = _stretch_options()
    done = set() if entry is None else {(i.stretch_id, i.side) for i in entry.items}
    st.multiselect(
        "Stretches done",
        list(options),
        default=[label for label, item in options.items() if item in done],
        key=f"{prefix}_items",
        placeholder="Pick each stretch and side you did",
    )
    _error_under(prefix, "items")
    st.text_area("Notes", value=_value(entry, "notes", ""), key=f"{prefix}_notes", height=68)
    _error_under(prefix, "entry")


def _data_stretch(prefix: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    options = _stretch_options()
    items = [dict(zip(("stretch_id", "side"), options[label], strict=True)) for label in s[f"{prefix}_items"]]
    return {"date": s[f"{prefix}_date"], "items": items, "notes": s[f"{prefix}_notes"]}


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
    st.caption("Knee pain from 0 (none) to 10 (worst imaginable). Leave a moment empty if it did not come up today.")
    moments = list(KneeCheckin.MOMENTS.items())
    for row in (moments[:2], moments[2:]):
        for column, (field, question) in zip(st.columns(2), row, strict=True):
            with column:
                _score_field(question, prefix, field, entry, 0, PAIN_HELP)
    _error_under(prefix, "entry")
    st.text_area("Note (optional)", value=_value(entry, "note", ""), key=f"{prefix}_note", height=68)


def _data_checkin(prefix: str, settings: Settings) -> dict[str, Any]:
    s = st.session_state
    data = {"date": s[f"{prefix}_date"], "knee": s[f"{prefix}_knee"], "note": s[f"{prefix}_note"]}
    return data | {field: s[f"{prefix}_{field}"] for field in KneeCheckin.MOMENTS}


def _fields_race(prefix: str, entry: Entry | None, settings: Settings) -> None:
    left, right = st.columns(2)
    with left:
        _date_field(prefix, entry)
    with right:
        _distance_field(prefix, entry, settings)
    st.text_input("Race name", value=_value(entry, "name", ""), key=f"{prefix}_name", placeholder="City Half Marathon")
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
            data["source"] = _ui.get_store().get(kind, entry_id).source
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


def _clear(prefix: str) -> None:
    """Empty the form for the next entry, so a second tap on Save cannot store the same entry twice.

    Setting each widget to its empty value (rather than deleting its key) is what clears it in the browser.
    """
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_") and k != f"{prefix}_problems"]:
        value = st.session_state[key]
        if str(key).endswith("_knee"):
            st.session_state[key] = "both"
        elif isinstance(value, dt.date):
            st.session_state[key] = _ui.today()
        elif isinstance(value, str):
            st.session_state[key] = ""
        elif isinstance(value, list):
            st.session_state[key] = []
        else:
            st.session_state[key] = None


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
