"""Hostile text in Chromium: History shows notes full of markup and formulas as plain text, and runs none of it."""

from tests.e2e.harness import expect, go_to, segment, table, tap_row
from tests.test_hostile_text import HOSTILE, fitted, hostile_log

_INJECTED = """() => ({
    img: document.querySelectorAll('img[src="x"]').length,
    iframe: document.querySelectorAll('iframe[src^="javascript"]').length,
    script: [...document.scripts].filter(s => s.textContent.includes('xss')).length,
    bold: [...document.querySelectorAll('b')].filter(b => b.textContent === 'bold').length,
})"""


def test_history_shows_hostile_notes_as_typed_and_runs_none_of_them(open_app, store):
    texts = hostile_log(store)
    dialogs: list[str] = []
    page = open_app()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    go_to(page, "History")

    for kind, label in (("run", None), ("checkin", "Knee check-ins"), ("race", "Races"), ("run", "Runs")):
        if label:  # Runs is shown first
            segment(page, "hist_kind", label)
        column = {"run": "Notes", "checkin": "Note", "race": "Name"}[kind]
        shown = table(page.get_by_test_id("stDataFrame"), column)
        assert len(shown) >= 10  # the rows drawn so far ...
        assert {row[column] for row in shown} <= set(texts[kind])  # ... each text exactly as stored
        expect(page.get_by_text(f"{len(texts[kind])} of {len(texts[kind])}")).to_be_visible()
    tap_row(page, 0)  # the newest run, to open its form
    notes = page.get_by_role("textbox", name="Notes")
    assert notes.input_value() == fitted(HOSTILE["script tag"], 200_000)  # the newest run's note, as typed

    assert dialogs == []  # no alert() ran
    assert page.evaluate(_INJECTED) == {"img": 0, "iframe": 0, "script": 0, "bold": 0}
