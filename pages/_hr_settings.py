"""The heart-rate part of the Settings form: resting and maximum heart rate and the TRIMP curve (drawn inside the
page's form; its values go into the same save as the rest)."""

from typing import Any

import streamlit as st

from kneelog.analysis import hrload
from kneelog.models import Settings

#: The two heart rates by their Settings field: label, bounds (as the model's), placeholder while unset, help.
_HEART_RATES = {
    "resting_hr": (
        "Resting heart rate (bpm)",
        30,
        120,
        "not set",
        "Taken lying down on waking. Banister's TRIMP needs it; Edwards' zones do not.",
    ),
    "max_hr": (
        "Maximum heart rate (bpm)",
        120,
        230,
        "not set: your highest is used",
        "From a maximal test if you have one. Not set: the highest heart rate in your runs stands in for it.",
    ),
}


def inputs(current: Settings) -> dict[str, Any]:
    """Draw the heart-rate settings and return what the runner chose, as :class:`Settings` fields."""
    st.markdown(
        "**Heart rate** — for the heart-rate load (TRIMP) of imported runs that have heart rate but no effort rating."
    )
    chosen = {
        field: column.number_input(
            label, low, high, getattr(current, field), placeholder=placeholder, key=f"set_{field}", help=help_text
        )
        for column, (field, (label, low, high, placeholder, help_text)) in zip(
            st.columns(2), _HEART_RATES.items(), strict=True
        )
    }
    weighting = st.radio(
        "Heart-rate load (TRIMP)",
        list(hrload.WEIGHTING_NAMES),
        index=list(hrload.WEIGHTING_NAMES).index(current.hr_weighting),
        format_func=hrload.WEIGHTING_NAMES.get,
        key="set_hr_weighting",
        help=(
            "Edwards 1993: minutes in five zones of your maximum, weighted 1-5. Banister 1991 (Morton, Fitz-Clarke "
            "& Banister 1990): minutes × heart-rate reserve × an exponential curve, one fitted to men's blood "
            "lactate and one to women's; kneelog does not ask which applies to you."
        ),
    )
    return chosen | {"hr_weighting": weighting}
