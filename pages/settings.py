"""Settings: distance unit, time zone, the stretch plan, and where the data lives."""

import zoneinfo

import streamlit as st

from kneelog.errors import EntryInvalid
from kneelog.models import ENTRY_TYPES, Settings, parse_entry
from kneelog.store.location import ENV_VAR, locate
from kneelog.views.markdown import escape
from pages import _ui

st.title("Settings")
_ui.demo_banner()
store = _ui.get_store()
current = _ui.settings()

_ui.show_flash()

with st.form("settings_form"):
    unit = st.radio(
        "Distance unit",
        ["km", "mi"],
        index=["km", "mi"].index(current.unit),
        format_func={"km": "Kilometres", "mi": "Miles"}.get,
        horizontal=True,
        key="set_unit",
        help="Distances are stored in metres; this only changes how they are shown and typed.",
    )
    zones = sorted(zoneinfo.available_timezones())
    timezone = st.selectbox(
        "Time zone",
        zones,
        index=zones.index(current.timezone) if current.timezone in zones else zones.index("UTC"),
        key="set_timezone",
        help="Imported times (Strava's are in UTC) become your local time before the day is taken.",
    )
    st.markdown("**Stretch plan** — kneelog's suggestion; the source article gives no hold times or counts.")
    left, middle, right = st.columns(3)
    routines = left.number_input(
        "Routines a week",
        1,
        14,
        current.routines_per_week,
        key="set_routines",
        help="The plan stretch compliance is measured against.",
    )
    hold = middle.number_input("Hold (seconds)", 5, 180, current.hold_seconds, step=5, key="set_hold")
    reps = right.number_input("Repetitions per side", 1, 10, current.reps_per_side, key="set_reps")
    if st.form_submit_button("Save settings", type="primary", key="settings_save"):
        try:
            new = parse_entry(
                Settings,
                {
                    "unit": unit,
                    "timezone": timezone,
                    "routines_per_week": routines,
                    "hold_seconds": hold,
                    "reps_per_side": reps,
                },
            )
        except EntryInvalid as e:
            _ui.show_invalid(e)
        else:
            store.save_settings(new)
            _ui.flash("Settings saved.")
            st.rerun()

st.subheader("Your data")
counts = store.counts()
st.markdown(
    "You have logged "
    + ", ".join(f"{n:,} {ENTRY_TYPES[kind].label}{'' if n == 1 else 's'}" for kind, n in counts.items())
    + ". To keep a copy, download everything from **Backup & restore**."
)
location = locate()
if location.url == store.url and location.why == "legacy":  # a runner upgrading must see where their data stays
    st.info(escape(location.describe()), icon=":material/info:")
with st.expander("Advanced: where the database is", icon=":material/storage:"):
    # locate() makes the choice _ui.get_store() made (through kneelog.store.default_url) and says why; should the two
    # ever differ (a legacy file moved away meanwhile), say only what the store in use is.
    if location.url != store.url:
        st.markdown(f"The database is `{store.url}`.")
    elif location.why != "legacy":
        st.markdown(escape(location.describe()))
    st.caption(
        f"Schema {store.schema_version()}. You can also copy the database file while kneelog is stopped. Set "
        f"{ENV_VAR} to keep the database somewhere else."
    )
