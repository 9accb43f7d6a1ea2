"""Settings: distance unit, time zone, the stretch plan, and where the data lives."""

import datetime as dt
import zoneinfo

import streamlit as st

from kneelog import limits
from kneelog.analysis import weekly
from kneelog.errors import EntryInvalid
from kneelog.models import ENTRY_TYPES, Settings, parse_entry
from kneelog.store.location import ENV_VAR, locate
from kneelog.stretches import load_library, routine_size
from kneelog.views import reminders
from kneelog.views.markdown import escape
from pages import _auth, _hr_settings, _ui

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
    heart = _hr_settings.inputs(current)
    athlete = st.text_input(
        "Your name on the physio report",
        current.athlete_name,
        max_chars=limits.MAX_NAME_CHARS,
        key="set_athlete_name",
        help="Printed at the top of the report for your physio (Report page); leave it empty to write it by hand.",
    )
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
                    "athlete_name": athlete.strip(),
                }
                | heart,
            )
        except EntryInvalid as e:
            _ui.show_invalid(e)
        else:
            store.save_settings(new)
            _ui.flash("Settings saved.")
            st.rerun()


@st.cache_data(show_spinner=False, max_entries=8)
def _gym_plan(key: _ui.CacheKey, day: dt.date, weeks: int) -> list[reminders.GymWeek]:
    frames = {kind: _ui.frame(kind) for kind in weekly.KINDS}
    return reminders.gym_plan(frames, _ui.settings(), day, weeks, routine_sides=routine_size(load_library()))


st.subheader("Reminders in your calendar")
st.markdown(
    "Download your plan as a calendar file and open it on your phone: the stretch routine on the days and at the "
    "time you choose, and the gym sessions the plan recommends, as all-day events. Download again after your plan "
    "or these choices change: the new file replaces the events it added before."
)
days = st.pills(
    "Stretch on",
    range(7),
    selection_mode="multi",
    default=reminders.default_weekdays(current.routines_per_week),
    format_func=lambda d: reminders.WEEKDAY_NAMES[d][:3],
    key="remind_days",
)
left, right = st.columns(2)
at = left.time_input("At", dt.time(19, 0), step=dt.timedelta(minutes=15), key="remind_time")
weeks = right.number_input(
    "Weeks of gym sessions",
    1,
    reminders.MOST_WEEKS,
    4,
    key="remind_weeks",
    help="This week and the coming ones. Weeks still to come repeat this week's plan, lighter around your races.",
)
plan = _gym_plan(_ui.cache_key(store), _ui.today(), int(weeks))
choice = reminders.Choice(tuple(sorted(days)), at, int(weeks))
ics = reminders.calendar(plan, choice, current.timezone, _ui.today(), dt.datetime.now(dt.UTC))
st.download_button(
    "Download the calendar (.ics)",
    ics,
    file_name="kneelog-plan.ics",
    mime="text/calendar",
    on_click="ignore",
    icon=":material/calendar_month:",
    key="remind_download",
)
st.caption(escape(reminders.summary(plan, choice, current.timezone)))

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
if _auth.enabled():  # a clinic server's database is the host's, not the athlete's (its URL may hold a password)
    st.stop()
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
