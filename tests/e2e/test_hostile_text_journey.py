"""Hostile text in Chromium: History shows notes full of markup and formulas as plain text, and runs none of it;
History and Import show text that Streamlit's markdown would act on (kneelog.views.markdown) as exactly its
characters, and the page asks no other host for anything."""

import csv
import datetime as dt
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kneelog.models import GymSession, Run
from kneelog.store import Store
from kneelog.store.csvsafe import neutralise
from kneelog.views.markdown import JOINER
from tests.e2e import harness
from tests.e2e.harness import expect, go_to, rerun, segment, table, tap_row
from tests.test_hostile_text import DAY, HOSTILE, MARKDOWN_HOSTILE, ONE_LINE, csv_bytes, fitted, hostile_log

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


def test_history_downloads_notes_with_formulas_neutralised(open_app, store):
    notes = [fitted(text, 200_000) for text in HOSTILE.values()]  # runs only: check-ins are one a day (first journey)
    store.add_many(
        [Run(date=DAY - dt.timedelta(days=n), distance_m=5000, duration_s=1600, notes=t) for n, t in enumerate(notes)]
    )
    page = open_app()
    go_to(page, "History")
    grid = page.get_by_test_id("stDataFrame")
    grid.hover()  # the table's own toolbar shows on hover, without its raw CSV download (client.disableDataExport)
    toolbar = page.get_by_test_id("stElementToolbar")
    expect(toolbar.get_by_test_id("stElementToolbarButton").first).to_be_visible()
    expect(toolbar.get_by_role("button", name="Download as CSV")).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").get_by_role("button", name="Download as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_bytes().decode("utf-8"), newline="")))

    assert {row["Notes"] for row in rows} == {neutralise(text) for text in notes}
    formula = fitted(HOSTILE["formula"], 200_000)
    assert formula.startswith("=") and "'" + formula in {row["Notes"] for row in rows}  # a spreadsheet shows it as text


# -- markdown that would fetch, draw or format something, quoted by History and Import -----------------------------

#: In a message quoting stored or file-supplied text: any of these means the text became markup.
_MARKUP = (
    "img, a, table, ul, ol, li, h1, h2, h3, h4, h5, h6, pre, code, em, del, hr, blockquote, .katex, "
    "span[role='img'], [class*='stMarkdownColored'], [class*='stMarkdownBadge']"
)
_CARDS = """(markup) => [...document.querySelectorAll("[class*='st-key-import_file_']")].map(card => ({
    text: [...card.querySelectorAll("[data-testid='stMarkdownContainer']")].map(m => m.innerText).join(" | "),
    markup: [...card.querySelectorAll("[data-testid='stMarkdownContainer']")]
        .flatMap(m => [...m.querySelectorAll(markup)].map(e => e.outerHTML.slice(0, 120))),
}))"""


#: The end of History's caption for an imported entry, after the source it names.
KEPT = "your edits are kept if you import the same file again."


def as_seen(text: str) -> str:
    """Text as a browser shows it: runs of white space as one space, no word joiners (kneelog.views.markdown)."""
    return " ".join(text.replace(JOINER, "").split())


def import_cards(page) -> list[dict]:
    """The visible text of each file's card on the Import page (its name and message), and any markup in it."""
    return page.evaluate(_CARDS, _MARKUP)


@pytest.fixture
def fresh_server(browser, tmp_path):
    """A server of this journey's own, on an empty database (the module's other journey fills its own)."""
    with harness.AppServer(f"sqlite:///{tmp_path / 'kneelog.db'}", tmp_path / "streamlit.log") as app_server:
        yield app_server


def test_history_and_import_show_hostile_markdown_as_its_characters_and_fetch_nothing(browser, fresh_server, tmp_path):
    sources = [fitted(text, 40) for text in MARKDOWN_HOSTILE.values()]  # a restored backup may hold any source
    by_kind = {"Runs": sources[:7], "Gym": sources[7:]}  # each table short enough to tap every row without scrolling
    entries = [Run(date=DAY, distance_m=5000, duration_s=1600), GymSession(date=DAY, duration_s=2400)]
    store = Store(fresh_server.db_url)
    for entry, kind_sources in zip(entries, by_kind.values(), strict=True):
        days = [DAY - dt.timedelta(days=n) for n in range(len(kind_sources))]
        store.add_many(
            [entry.model_copy(update={"date": d, "source": s}) for d, s in zip(days, kind_sources, strict=True)]
        )
    store.dispose()
    page = harness.new_page(browser, harness.DESKTOP)
    hosts, dialogs = set(), []
    page.context.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        harness.open_path(page, fresh_server.url)
        go_to(page, "History")
        for label, kind_sources in by_kind.items():
            if label != "Runs":  # shown first
                segment(page, "hist_kind", label)
            for row, source in enumerate(kind_sources):  # newest first
                tap_row(page, row)
                caption = page.get_by_text("This entry came from")
                expect(caption).to_be_visible()
                assert as_seen(caption.inner_text()) == f"This entry came from {as_seen(source)}; {KEPT}"
                assert caption.evaluate("(e, markup) => e.querySelectorAll(markup).length", _MARKUP) == 0, source

        go_to(page, "Import")
        cells = list(ONE_LINE.values())
        names = [f"{text}.csv" for text in cells if not set(text) & set("/\\")]  # the browser keeps no path
        first_lines = [text for text in cells if not set(text) & set(",;\t")]
        files = [(f"cells-{n}.csv", csv_bytes([[text, "Other"], ["1", "2"]])) for n, text in enumerate(cells)]
        files += [(name, b"a,b\n1,2\n") for name in names]
        files += [(f"first-{n}.csv", f"{text}\n1\n".encode()) for n, text in enumerate(first_lines)]
        uploader = page.get_by_test_id("stFileUploader").first.locator("input[type='file']")
        payload = [{"name": name, "mimeType": "text/csv", "buffer": data} for name, data in files]
        rerun(page, lambda: uploader.set_input_files(payload), "uploading hostile files")
        expect(page.locator("[class*='st-key-import_file_']")).to_have_count(len(files))
        found = import_cards(page)
        visible = " | ".join(as_seen(m["text"]) for m in found)
        for text in [*cells, *names, *first_lines]:
            assert as_seen(text) in visible, f"{text!r} is not shown as typed"
        assert [m for m in found if m["markup"]] == []

        assert dialogs == []
        assert hosts == {urlsplit(fresh_server.url).netloc}  # nothing fetched from 127.0.0.2 or anywhere else
    except BaseException:
        page.screenshot(path=str(tmp_path / "hostile-markdown.png"), full_page=True)
        print(f"The page at failure: {tmp_path / 'hostile-markdown.png'}\n{fresh_server.log_tail()}")
        raise
    finally:
        page.context.close()
