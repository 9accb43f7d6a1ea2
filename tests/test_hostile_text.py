"""Hostile text in every free-text field is stored exactly and shown as plain text, never run as HTML or markdown.

Free text is whatever a runner types (notes, the check-in note, a race's name, a run's type) or an import brings in
(a source id). Each hostile value goes through the model, the SQLite file and back; then History is driven through
AppTest (tests/e2e/test_hostile_text_journey.py does the same in Chromium).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import pytest
from pydantic import ValidationError

from kneelog import clock
from kneelog.models import GymSession, KneeCheckin, Race, Run, StretchDone, StretchSession
from kneelog.store import Store
from kneelog.store.backup import export_backup
from kneelog.units import parse_duration
from kneelog.views.markdown import JOINER, escape

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
    "C1 controls and tabs": "a\tb\x85c\x9b[31mred\x9b[0m\x80d",  # C0 controls are refused (below)
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


@pytest.mark.parametrize(("kind", "field", "longest"), FIELDS, ids=[f"{k}.{f}" for k, f, _ in FIELDS])
def test_text_with_c0_control_characters_is_refused_in_every_field(kind, field, longest):
    with pytest.raises(ValidationError, match="invisible control character \\(U\\+001B\\) at character 2"):
        entry_with(kind, field, "a\x1b[31mred\x1b[0m")


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


# -- text that Streamlit's markdown would act on, in every place a page quotes stored or file-supplied text --------

#: Each would make Streamlit's markdown fetch an image from another host, draw a LaTeX box over the page, colour the
#: text, draw an icon or an emoji, run or show HTML, make a link, a heading, a list, a table or bold text, lose a
#: backslash or break the line, if a page handed it to markdown as it is.
MARKDOWN_HOSTILE = {
    "image": "![x](http://127.0.0.2:9/leak)",
    "latex": r"$\rule{4000px}{4000px}$",
    "colour": ":red[big]",
    "icon": ":material/delete:",
    "emoji": ":smile:",
    "html": "<img src=x onerror=alert(1)>",
    "link": "[link](javascript:alert(1))",
    "heading": "# heading",
    "list": "- list",
    "table": "| a | b |",
    "bold": "**bold**",
    "backslashes": r"C:\runs\*x* \\",
    "line break": "line one\nline two",
}
ONE_LINE = {name: text for name, text in MARKDOWN_HOSTILE.items() if "\n" not in text}


def markdown_bodies(app) -> list[str]:
    """The source of every element the page rendered as markdown (labels and help aside)."""
    elements = [*app.markdown, *app.caption, *app.info, *app.warning, *app.error, *app.success]
    return [element.value for element in elements]


def assert_quoted_as_text(app, texts) -> None:
    """Each of ``texts`` reaches the page's markdown escaped (as it is, or as Python's repr() quotes it), and none
    of them reaches it unescaped. (Inside a message, a text's first or last word joiner depends on what is around it.)
    """
    bodies = markdown_bodies(app)
    forms = {text: (escape(text).strip(JOINER), escape(repr(text)[1:-1]).strip(JOINER)) for text in texts}
    for text, (plain, quoted) in forms.items():
        assert any(plain in body or quoted in body for body in bodies), f"{text!r} is not shown escaped in {bodies}"
    for body in bodies:
        rest = body
        for shown in forms.values():
            rest = rest.replace(shown[0], "").replace(shown[1], "")
        assert not [text for text in texts if text in rest], body


def test_history_says_where_an_entry_came_from_as_text(store: Store, app):
    sources = [fitted(text, 40) for text in MARKDOWN_HOSTILE.values()]  # a restored backup may hold any source
    runs = [Run(date=DAY - dt.timedelta(days=n), distance_m=5000, duration_s=1600) for n in range(len(sources))]
    store.add_many([run.model_copy(update={"source": s}) for run, s in zip(runs, sources, strict=True)])
    app.run()
    app.switch_page("pages/history.py").run()
    for row in range(len(sources)):  # newest first: the row's source is sources[row]
        app.session_state["hist_table_run"] = {"selection": {"rows": [row], "columns": []}}
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        assert_quoted_as_text(app, [sources[row]])


def test_import_quotes_file_names_header_cells_and_a_bad_first_line_as_text(store: Store, app):
    cells = {f"{name}.csv": text for name, text in ONE_LINE.items()}
    files = [(name, csv_bytes([[text, "Other"], ["1", "2"]]), "text/csv") for name, text in cells.items()]
    names = [f"{text}.csv" for text in MARKDOWN_HOSTILE.values()]
    files += [(name, b"a,b\n1,2\n", "text/csv") for name in names]
    first_lines = [text for text in ONE_LINE.values() if not set(text) & set(",;\t")]  # no columns in it
    files += [(f"first-{n}.csv", f"{text}\n1\n".encode(), "text/csv") for n, text in enumerate(first_lines)]
    app.run()
    app.switch_page("pages/import_data.py").run()
    next(u for u in app.file_uploader if u.key.startswith("import_files_")).set_value(files).run()

    assert not app.exception, [e.value for e in app.exception]
    assert "does not recognise these columns" in escape_free(app.info[0].value)  # each header is quoted...
    assert "the first line is not a header" in escape_free(app.error[0].value)  # ... and each bad first line
    assert_quoted_as_text(app, [*cells.values(), *names, *first_lines])


def test_import_says_what_it_left_out_and_rejected_as_text(store: Store, app):
    header = ["id", "start_date_local", "name", "type", "moving_time", "distance", "elapsed_time"]
    rows = [["i1", "2020-04-04T08:30:34", "Run", "Run", "1750", "5010", "1800"]]
    rows += [[f"t{n}", "2020-04-05T08:00:00", "x", text, "60", "100", "60"] for n, text in enumerate(ONE_LINE.values())]
    rows += [["r1", "2020-04-06T08:00:00", "x", "Run", "1750", MARKDOWN_HOSTILE["bold"], "1800"]]
    app.run()
    app.switch_page("pages/import_data.py").run()
    uploader = next(u for u in app.file_uploader if u.key.startswith("import_files_"))
    uploader.set_value([("activities.csv", csv_bytes([header, *rows]), "text/csv")]).run()
    app.button(key="import_commit").click().run()

    assert not app.exception, [e.value for e in app.exception]
    assert "Left out by type" in escape_free(app.success[0].value)
    assert_quoted_as_text(app, [*ONE_LINE.values()])  # the types left out, and the rejected distance


def test_backup_page_quotes_the_backups_version_and_a_bad_cell_as_text(store: Store, app, tmp_path):
    source = Store(f"sqlite:///{tmp_path / 'source.db'}")
    source.add(Run(date=DAY, distance_m=5000, duration_s=1500))
    good = export_backup(source)
    source.dispose()
    app.run()
    app.switch_page("pages/backup.py").run()
    for text in ONE_LINE.values():
        for name, backup in [("version", edited(good, version=text)), ("cell", edited(good, distance=text))]:
            round_ = app.session_state["backup_upload_round"]
            app.file_uploader(key=f"backup_upload_{round_}").set_value((f"{name}.zip", backup, "application/zip"))
            app.run()
            assert not app.exception, [e.value for e in app.exception]
            assert_quoted_as_text(app, [text])


def test_a_refused_duration_quotes_what_was_typed_as_text(app):
    app.run()
    app.switch_page("pages/log.py").run()
    for text in ONE_LINE.values():
        app.text_input(key="new_run_duration").input(text)
        app.number_input(key="new_run_distance").set_value(5.0)
        app.button(key="save_new_run").click().run()
        assert not app.exception, [e.value for e in app.exception]
        with pytest.raises(ValueError) as refused:
            parse_duration(text)
        assert f":red[:material/error: {escape(refused.value)}]" in markdown_bodies(app)
        assert_quoted_as_text(app, [text])


def test_today_names_a_race_in_the_gym_plan_as_text(store: Store, app):
    today = clock.local_today(store.settings().timezone)
    monday = today - dt.timedelta(days=today.weekday())
    store.add(Run(date=today, distance_m=5000, duration_s=1600))
    for n, text in enumerate(ONE_LINE.values()):  # each in this week: "race week: <name> on <day>"
        store.add(Race(date=monday + dt.timedelta(days=n % 7), name=text, distance_m=10000))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    gym = next(body for body in markdown_bodies(app) if "**Gym this week:**" in body)
    assert "the plan says why" in escape_free(gym)
    named = [text for text in ONE_LINE.values() if escape(text).strip(JOINER) in gym]
    assert named, gym  # the plan names the races that cap the week ...
    assert_quoted_as_text(app, named)  # ... as text


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def edited(backup: bytes, *, version: str | None = None, distance: str | None = None) -> bytes:
    """``backup`` with the manifest's kneelog version, or the first run's distance cell (and its checksum), replaced."""
    with zipfile.ZipFile(io.BytesIO(backup)) as original:
        files = {name: original.read(name) for name in original.namelist()}
    manifest = json.loads(files["manifest.json"])
    if version is not None:
        manifest["kneelog_version"] = version
    if distance is not None:
        table = list(csv.reader(io.StringIO(files["runs.csv"].decode("utf-8-sig"))))
        table[1][table[0].index("distance_m")] = distance
        files["runs.csv"] = "\ufeff".encode() + csv_bytes(table)
        manifest["tables"]["runs"]["sha256"] = hashlib.sha256(files["runs.csv"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, payload in files.items():
            zf.writestr(name, payload)
    return out.getvalue()


def escape_free(body: str) -> str:
    """A markdown body as it reads: escapes resolved, word joiners dropped (to find kneelog's own words in it)."""
    return re.sub(r"\\(.)", r"\1", body).replace(JOINER, "")
