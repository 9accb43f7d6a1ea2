"""Hostile text in every free-text field is stored exactly and shown as plain text, never run as HTML or markdown.

Free text is whatever a runner types (notes, the check-in note, a race's name, a run's type) or an import brings in
(a source id). Each hostile value goes through the model, the SQLite file and back; then History is driven through
AppTest (tests/e2e/test_hostile_text_journey.py does the same in Chromium).
"""

from __future__ import annotations

import datetime as dt

import pytest

from kneelog.models import GymSession, KneeCheckin, Race, Run, StretchDone, StretchSession
from kneelog.store import Store

DAY = dt.date.today() - dt.timedelta(days=3)

HOSTILE = {
    "script tag": "<script>alert('xss')</script>",
    "html": '<img src=x onerror="alert(1)"><b>bold</b></div><iframe src="javascript:alert(2)">',
    "markdown": "# Heading\n**bold** _it_ [click](javascript:alert(1)) ![img](http://127.0.0.1:9/x.png)\n- item",
    "streamlit markdown": ":red[red] :material/warning: $x^2$ <span style='color:red'>span</span>",
    "formula": '=HYPERLINK("http://evil.example","click")',
    "formula plus": "+1+cmd|' /C calc'!A0",
    "formula at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "formula minus": "-2+3",
    "control characters": "a\x00b\x01c\x07d\x08e\x0bf\x0cg\x1b[31mred\x1b[0m\x7fh\x85i",
    "bidi and zero width": "safe\u202egnp.exe\u200b\u200d\ufeffend",
    "line breaks": "line1\r\nline2\rline3\nline4\u2028line5",
    "quotes and sql": "'; DROP TABLE runs; -- \" `rm -rf /` ${HOME} {{7*7}} %s %n",
    "unicode": "Ünïcödé 日本語 🏃‍♀️ 𝔘𝔫𝔦 e\u0301",
    "100 KB": ("<b>x</b> **y** " * 7000)[:100_000],
}

#: Every free-text field: (kind, field, longest text the model accepts).
FIELDS = [
    ("run", "notes", 200_000),
    ("run", "activity_type", 100),
    ("run", "source_id", 200),
    ("gym", "notes", 200_000),
    ("stretch", "notes", 200_000),
    ("checkin", "note", 200_000),
    ("race", "name", 200),
]


def fitted(text: str, longest: int) -> str:
    """The hostile text cut to what the field accepts, without the outer whitespace the models strip."""
    return text[:longest].strip()


def entry_with(kind: str, field: str, text: str):
    base = {
        "run": lambda: Run(date=DAY, distance_m=5000, duration_s=1600),
        "gym": lambda: GymSession(date=DAY, duration_s=2400),
        "stretch": lambda: StretchSession(date=DAY, items=(StretchDone(stretch_id="half_kneel_quad", side="left"),)),
        "checkin": lambda: KneeCheckin(date=DAY, stairs=2),
        "race": lambda: Race(date=DAY, name="x", distance_m=10000),
    }[kind]()
    return type(base).model_validate(base.model_dump() | {field: text})


@pytest.mark.parametrize(("kind", "field", "longest"), FIELDS, ids=[f"{k}.{f}" for k, f, _ in FIELDS])
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_is_stored_and_read_back_exactly(store: Store, kind, field, longest, text):
    value = fitted(text, longest)
    entry = entry_with(kind, field, value)
    assert getattr(entry, field) == value  # the model keeps it as given

    entry_id = store.add(entry)

    assert getattr(store.get(kind, entry_id), field) == value
    frame = store.frame(kind)
    assert frame.loc[frame["id"] == entry_id, field].tolist() == [value]


def hostile_log(store: Store) -> dict[str, list[str]]:
    """One entry per hostile text in each kind's main free-text field; returns the texts by kind."""
    texts: dict[str, list[str]] = {}
    entries = []
    for number, text in enumerate(HOSTILE.values()):
        for kind, field, longest in FIELDS:
            if field in ("notes", "note", "name"):
                value = fitted(text, longest)
                date = DAY - dt.timedelta(days=number)
                entries.append(entry_with(kind, field, value).model_copy(update={"date": date}))
                texts.setdefault(kind, []).append(value)
    store.add_many(entries)
    return texts


SHOWN_AS = {"run": "Notes", "gym": "What you did", "stretch": "Notes", "checkin": "Note", "race": "Name"}
FORM_KEY = {"run": "notes", "gym": "notes", "stretch": "notes", "checkin": "note", "race": "name"}
MARKERS = ("<script", "<img", "<iframe", "**bold**", "javascript:", "=HYPERLINK", "\x1b[31m", "DROP TABLE")


@pytest.mark.parametrize("kind", list(SHOWN_AS))
def test_history_shows_hostile_text_as_plain_text(store: Store, app, kind):
    texts = hostile_log(store)
    app.run()
    app.switch_page("pages/history.py").run()
    app.segmented_control(key="hist_kind").set_value(kind).run()
    assert not app.exception, [e.value for e in app.exception]

    table = app.dataframe[0].value
    assert sorted(table[SHOWN_AS[kind]]) == sorted(texts[kind])  # every text, character for character, in the grid
    app.session_state[f"hist_table_{kind}"] = {"selection": {"rows": [0], "columns": []}}  # a tap on the first row
    app.run()
    entry_id = int(table.index[0])  # the table is indexed by entry id (hidden on screen)
    form_value = app.text_area(key=f"edit_{kind}_{entry_id}_{FORM_KEY[kind]}").value if kind != "race" else None
    stored = getattr(store.get(kind, entry_id), FORM_KEY[kind])
    if kind == "race":
        form_value = app.text_input(key=f"edit_{kind}_{entry_id}_name").value
    assert form_value == stored  # the edit form holds the text as typed, not rendered

    rendered = [*app.markdown, *app.caption, *app.info, *app.warning, *app.error, *app.success, *app.title]
    for element in rendered:  # no free text was handed to markdown (where it would be formatted or run)
        assert not any(marker in element.value for marker in MARKERS), element.value
        assert not getattr(element.proto, "allow_html", False) or element.value.strip().startswith("<style")
