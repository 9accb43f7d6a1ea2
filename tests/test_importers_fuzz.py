"""Damaged files, many of them: every one is refused with a FileRejected naming it, or read into entries that keep
every bound of the models. Never a traceback. (A repeated row may repeat an id: the import's matching takes it once,
see test_imports.)"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kneelog import importers
from kneelog.errors import FileRejected
from kneelog.importers.canonical import entries
from kneelog.limits import MAX_RUN_M
from kneelog.models import GymSession, Run
from tests.import_fixtures import GOOD, SAMPLE_GOOD, data_of, path_of

SOURCES = [(path_of(e).name, data_of(e)) for e in [*GOOD, *SAMPLE_GOOD]]
DAMAGE = [b",", b";", b"\t", b'"', b'""', b"\n", b"\r\n", b"\x00", b"\xff\xfe", b"--", b":", b".", b"-", b"9", b"e"]


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        how = draw(st.sampled_from(["cut", "delete", "insert", "replace", "repeat line", "drop line"]))
        if how == "cut":
            data = data[:at]
        elif how == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 30)) :]
        elif how == "insert":
            data = data[:at] + draw(st.sampled_from(DAMAGE)) + data[at:]
        elif how == "replace":
            data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at + 1 :]
        else:
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            data = b"\n".join(lines[: i + 1] + lines[i:] if how == "repeat line" else lines[:i] + lines[i + 1 :])
    return name, data


@settings(max_examples=400, deadline=None)
@given(damaged(), st.sampled_from([None, "km", "mi"]))
def test_a_damaged_export_is_refused_cleanly_or_read_into_valid_entries(file, units):
    name, data = file
    try:
        parsed = importers.parse(name, data, units=units)
    except FileRejected as refused:
        assert str(refused).startswith(name) and refused.fix
        return
    activities = parsed.activities
    built = entries(activities)
    assert len(built) == len(activities)
    assert activities["kind"].isin(["run", "gym"]).all()
    runs = activities[activities["kind"] == "run"]
    assert runs["distance_m"].between(0, MAX_RUN_M).all()
    models = [Run if kind == "run" else GymSession for kind in activities["kind"]]
    assert all(isinstance(e, model) for e, model in zip(built, models, strict=True))
    # Built without validation, so every row that passed the vectorised limits must be a valid model as it is.
    assert all(type(e).model_validate(e.model_dump()) == e for e in built)
    assert set(parsed.rejected["row"]).isdisjoint(activities.index)
