"""The reference page for the browser measurement: one small Altair chart, served like the app (``streamlit run``)."""

import altair as alt
import pandas as pd
import streamlit as st

st.set_page_config(page_title="one chart", layout="wide")
st.title("One chart")
weeks = pd.DataFrame({"week": pd.date_range("2026-01-05", periods=12, freq="W-MON"), "km": range(20, 32)})
st.altair_chart(alt.Chart(weeks).mark_bar().encode(x="week:T", y="km:Q"), width="stretch")
