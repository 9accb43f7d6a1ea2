"""Formula-cell neutralisation (OWASP CSV injection): safe in a spreadsheet, and exactly reversible."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneelog.store.csvsafe import FORMULA_TRIGGERS, frame_csv, neutralise, unneutralise


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # text that already looks neutralised gets one more apostrophe
        ("''@x", "'''@x"),
        ("easy run", "easy run"),
        ("'tis a fine day", "'tis a fine day"),  # an apostrophe before ordinary text is left alone
        ("'", "'"),
        ("", ""),
        ("a=b", "a=b"),
        ("10 km -> sore", "10 km -> sore"),
    ],
)
def test_text_a_spreadsheet_would_run_gets_one_leading_apostrophe(text, written):
    assert neutralise(text) == written
    assert unneutralise(written) == text


@pytest.mark.parametrize(("text", "written"), [("", "'"), ("'", "''"), ("=1", "'=1"), ("abc", "abc")])
def test_in_a_nullable_column_empty_text_is_written_as_a_lone_apostrophe(text, written):
    assert neutralise(text, nullable=True) == written
    assert unneutralise(written, nullable=True) == text


@given(st.text())
def test_neutralise_is_undone_exactly(text):
    assert unneutralise(neutralise(text)) == text
    assert unneutralise(neutralise(text, nullable=True), nullable=True) == text


@given(st.text())
def test_a_neutralised_cell_never_starts_with_a_formula_trigger(text):
    assert not neutralise(text).startswith(FORMULA_TRIGGERS)
    assert neutralise(text, nullable=True) != ""


def test_a_table_written_for_a_spreadsheet_neutralises_text_and_leaves_numbers():
    table = pd.DataFrame({"note": ['=HYPERLINK("x")', "easy", None], "km": [-5.0, 10.0, 3.5]})
    assert frame_csv(table).splitlines() == ["note,km", '"\'=HYPERLINK(""x"")",-5.0', "easy,10.0", ",3.5"]
