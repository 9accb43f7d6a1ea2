"""Every fixture in the manifest, and every real export head, reads as the manifest says; every bad one is refused
with the error, row and column the manifest names."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kneelog import errors, importers
from kneelog.importers.canonical import COLUMNS, entries
from kneelog.models import GymSession, Run
from tests.import_fixtures import BAD, GOOD, SAMPLE_BAD, SAMPLE_GOOD, data_of, name_of, parse_entry, path_of


def _check_counts(parsed: importers.Parsed, entry: dict) -> None:
    assert parsed.format.name == entry["format"]
    assert parsed.language == entry["language"]
    assert parsed.read == entry["rows"]
    assert parsed.counts == {"run": entry["runs"], "gym": entry["gym"]}
    assert parsed.left_out == entry["left_out"]
    assert parsed.rejected_rows == entry.get("rejected_rows", 0)
    runs = parsed.activities[parsed.activities["kind"] == "run"]
    gyms = parsed.activities[parsed.activities["kind"] == "gym"]
    assert runs["distance_m"].sum() == pytest.approx(entry.get("run_distance_m", 0.0), abs=0.01)
    assert gyms["duration_s"].sum() == pytest.approx(entry.get("gym_duration_s", 0.0), abs=0.01)
    if "run_duration_s" in entry:
        assert runs["duration_s"].sum() == pytest.approx(entry["run_duration_s"])
    if entry["runs"] + entry["gym"]:
        days = parsed.activities["date"]
        assert (days.min().date().isoformat(), days.max().date().isoformat()) == (
            entry["first_date"],
            entry["last_date"],
        )
    assert parsed.units == (entry.get("inferred_units") or entry.get("units") if entry["runs"] else None)


@pytest.mark.parametrize("entry", GOOD, ids=name_of)
def test_fixture_reads_as_the_manifest_says(entry):
    parsed = parse_entry(entry)
    _check_counts(parsed, entry)
    assert parsed.encoding == entry["encoding"]
    assert parsed.delimiter == entry["delimiter"]


@pytest.mark.parametrize("entry", SAMPLE_GOOD, ids=name_of)
def test_real_export_head_reads_as_the_manifest_says(entry):
    assert path_of(entry).is_file(), f"the real export head {path_of(entry)} is missing (tests/data/samples)"
    _check_counts(parse_entry(entry), entry)


@pytest.mark.parametrize("entry", [*GOOD, *SAMPLE_GOOD], ids=name_of)
def test_every_format_gives_the_same_canonical_frame_and_valid_entries(entry):
    parsed = parse_entry(entry)
    frame = parsed.activities
    assert tuple(frame.columns) == COLUMNS
    assert frame.index.name == "row"
    assert isinstance(frame["start"].dtype, pd.DatetimeTZDtype)
    assert str(frame["start"].dt.tz) == entry.get("timezone", "UTC")
    assert frame["kind"].isin(["run", "gym"]).all()
    assert frame["source_id"].notna().all() and frame["source_id"].is_unique
    assert (frame["source"] == ("csv" if entry["format"] == "mapping" else entry["format"])).all()
    assert len(entries(parsed.activities)) == len(frame)
    for (row, activity), entry_model in zip(frame.iterrows(), entries(parsed.activities), strict=True):
        assert isinstance(entry_model, Run if activity["kind"] == "run" else GymSession), row
        assert entry_model.date == activity["date"].date()
        assert entry_model.source_id == activity["source_id"]
        assert type(entry_model).model_validate(entry_model.model_dump()) == entry_model  # a valid model as built


@pytest.mark.parametrize("entry", [e for e in GOOD if e.get("needs_units")], ids=name_of)
def test_garmin_file_without_a_certain_unit_asks_for_one(entry):
    with pytest.raises(errors.UnitsNeeded, match=r"kilometres or miles.*--units km\|mi") as caught:
        parse_entry(entry, units=None)
    assert caught.value.file == path_of(entry).name and caught.value.column in ("Distance", "Distanz", "Distans")


@pytest.mark.parametrize("entry", [*BAD, *SAMPLE_BAD], ids=name_of)
def test_bad_file_is_refused_naming_where_the_problem_is(entry):
    error = getattr(errors, entry["error"])
    with pytest.raises(error, match=entry["error_match"]) as caught:
        importers.parse(path_of(entry).name, data_of(entry))
    assert caught.value.file == path_of(entry).name
    assert str(caught.value).startswith(path_of(entry).name)
    assert caught.value.row == entry.get("error_row")
    if "error_column" in entry:
        assert caught.value.column == entry["error_column"]
        assert f"column '{entry['error_column']}'" in str(caught.value)


def test_rejected_rows_name_row_column_value_and_reason():
    parsed = parse_entry(next(e for e in GOOD if e["file"] == "rows_rejected.csv"))
    got = {(r.row, r.column, r.value) for r in parsed.rejected.itertuples()}
    assert got == {
        (3, "distance", "400000"),
        (3, "elapsed_time", "1500"),  # 400 km in 25 minutes: faster than any world record
        (4, "elapsed_time", "0"),
        (5, "start_date_local", "2099-01-01T08:00:00"),
        (6, "icu_rpe", "14"),
    }
    reasons = {(r.row, r.column): r.reason for r in parsed.rejected.itertuples()}
    assert "300 km" in reasons[(3, "distance")]
    assert "world record" in reasons[(3, "elapsed_time")]
    assert "longer than zero" in reasons[(4, "elapsed_time")]
    assert "future" in reasons[(5, "start_date_local")]
    assert "1 to 10" in reasons[(6, "icu_rpe")]


def test_no_fixture_date_lies_in_the_future():
    """The fixtures must stay valid as time passes: every activity is on or before today."""
    for entry in GOOD:
        if "rejected_rows" not in entry and entry["runs"] + entry["gym"]:
            assert dt.date.fromisoformat(entry["last_date"]) <= dt.date.today(), entry["file"]
