"""The report as an A4 PDF (fpdf2, pure Python): text as text in a bundled Unicode font, charts as PNG images.

Every piece of the runner's text (their name, their notes) goes through fpdf2 as plain text: no markup is read from
it, so ``<b>`` or ``=SUM(A1)`` prints as those characters. kneelog's own sentences may mark a bold lead-in with
``**…**``, which :func:`_runs` reads; nothing else does. The font is DejaVu Sans (Bitstream Vera licence, in
``data/fonts/``, shipped as ``kneelog/data/fonts/``), which covers Latin, Greek and Cyrillic; fpdf2's core fonts
cover Latin-1 only.
Characters the font lacks (Chinese, for one) print as an empty box rather than failing the report.
"""

from __future__ import annotations

import importlib.resources
import itertools
import logging
import re
from collections.abc import Iterable, Iterator

from fpdf import FPDF

from kneelog.report import render
from kneelog.report.model import Chart, Report, Section, Table

FONTS = importlib.resources.files("kneelog.data") / "fonts"
FONT = "DejaVu"
#: Sizes in points, and the line height of body text in millimetres.
BODY, SMALL, HEADING, TITLE = 8.5, 7, 11, 15
LINE = 3.5
MARGIN = 12
#: Greys for rules and table headings: they print the same in colour and in black and white.
RULE_GREY, HEAD_GREY = 120, 232
#: A table longer than half a page starts only where this many of its rows fit.
KEEP_ROWS = 5
#: Charts side by side: each takes this share of the text width (the gap is the rest).
CHART_SHARE = 0.49


class _Document(FPDF):
    """An A4 page with the athlete, the period and "page n of m" in its footer."""

    def __init__(self, report: Report):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        with importlib.resources.as_file(FONTS / "DejaVuSans.ttf") as regular:
            self.add_font(FONT, "", str(regular))
        with importlib.resources.as_file(FONTS / "DejaVuSans-Bold.ttf") as bold:
            self.add_font(FONT, "B", str(bold))
        self.set_title(f"{report.title}, {report.period}")
        self.set_author(report.name or "kneelog")
        self.set_creator("kneelog")
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-MARGIN - 1)
        self.set_font(FONT, "", SMALL)
        self.set_text_color(80)
        who = f"{self.report.name}, " if self.report.name else ""
        self.cell(0, 4, f"{who}{self.report.period}. Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)


def _runs(sentence: str) -> Iterator[tuple[str, bool]]:
    """kneelog's sentence in runs of (text, bold): ``**…**`` marks bold."""
    for i, part in enumerate(sentence.split("**")):
        if part:
            yield part, i % 2 == 1


Line = list[tuple[str, bool]]


def _pieces(pdf: _Document, word: str, width: float) -> Iterator[str]:
    """``word`` cut into pieces no wider than ``width`` (a long word without spaces, such as a web address)."""
    piece = ""
    for char in word:
        if piece and pdf.get_string_width(piece + char) > width:
            yield piece
            piece = ""
        piece += char
    if piece:
        yield piece


def _wrap(pdf: _Document, runs: Iterable[tuple[str, bool]], width: float, size: float) -> list[Line]:
    """Runs of (text, bold) broken into lines no wider than ``width`` millimetres, at spaces (inside a word only
    when the word alone is wider).

    fpdf2 can wrap text itself (``write``, ``multi_cell``, ``table``), but measures a line again for each character:
    a year's report took seconds in it. Here each word is measured once.
    """
    lines: list[Line] = [[]]
    used = 0.0
    for text, bold in runs:
        pdf.set_font(FONT, "B" if bold else "", size)
        for word in re.findall(r"\S+\s*|\s+", text):
            wide = pdf.get_string_width(word.rstrip())
            if used and used + wide > width:
                lines.append([])
                used = 0.0
                word = word.lstrip()
            pieces = list(_pieces(pdf, word, width)) if wide > width else [word]
            for i, piece in enumerate(pieces):
                if i:
                    lines.append([])
                    used = 0.0
                lines[-1].append((piece, bold))
                used += pdf.get_string_width(piece)
    return lines


def _draw(pdf: _Document, line: Line, x: float, y: float, height: float, size: float) -> None:
    """One wrapped line from ``x``, ``y``: each run of the same weight in one cell."""
    pdf.set_xy(x, y)
    for bold, group in itertools.groupby(line, key=lambda run: run[1]):
        text = "".join(piece for piece, _ in group)
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.cell(pdf.get_string_width(text), height, text, new_x="RIGHT", new_y="TOP")


def _paragraph(pdf: _Document, runs: Iterable[tuple[str, bool]], size: float = BODY) -> None:
    """Runs of text across the page's width, a new page where the page ends."""
    height = LINE * size / BODY
    for line in _wrap(pdf, runs, pdf.epw, size):
        if pdf.will_page_break(height):
            pdf.add_page()
        _draw(pdf, line, pdf.l_margin, pdf.get_y(), height, size)
        pdf.set_xy(pdf.l_margin, pdf.get_y() + height)
    pdf.ln(0.6)
    pdf.set_font(FONT, "", BODY)


def _sentence(pdf: _Document, sentence: str, size: float = BODY) -> None:
    """kneelog's own sentence (``**…**`` in bold)."""
    _paragraph(pdf, _runs(sentence), size)


def _text(pdf: _Document, text: str, size: float = BODY) -> None:
    """The runner's own text, as text (no markup read)."""
    _paragraph(pdf, [(text, False)], size)


def _heading(pdf: _Document, text: str) -> None:
    if pdf.will_page_break(22):  # a heading never ends a page alone
        pdf.add_page()
    pdf.ln(1)
    pdf.set_font(FONT, "B", HEADING)
    pdf.cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")  # a heading: kneelog's words, one line
    pdf.set_draw_color(RULE_GREY)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1)
    pdf.set_font(FONT, "", BODY)


def _table(pdf: _Document, table: Table) -> None:
    """The table under a grey heading row, a rule under each row; a table that fits on half a page is kept whole, a
    longer one starts where at least :data:`KEEP_ROWS` rows fit and repeats its heading row on each new page."""
    size, pad = BODY - 0.5, 1.0
    shares = table.widths or (1.0,) * len(table.columns)
    widths = [pdf.epw * share / sum(shares) for share in shares]

    def laid_out(cells: tuple[str, ...], bold: bool) -> tuple[list[list[Line]], float]:
        wrapped = [_wrap(pdf, [(cell, bold)], width - 2 * pad, size) for cell, width in zip(cells, widths, strict=True)]
        return wrapped, max(len(lines) for lines in wrapped) * LINE + 0.6

    def draw(wrapped: list[list[Line]], height: float, fill: bool) -> None:
        top = pdf.get_y()
        if fill:
            pdf.set_fill_color(HEAD_GREY)
            pdf.rect(pdf.l_margin, top, pdf.epw, height, style="F")
        x = pdf.l_margin
        for lines, width in zip(wrapped, widths, strict=True):
            for i, line in enumerate(lines):
                _draw(pdf, line, x + pad, top + 0.3 + i * LINE, LINE, size)
            x += width
        pdf.set_draw_color(RULE_GREY)
        pdf.line(pdf.l_margin, top + height, pdf.l_margin + pdf.epw, top + height)
        pdf.set_xy(pdf.l_margin, top + height)

    heading, heading_height = laid_out(table.columns, True)
    rows = [laid_out(row, False) for row in table.rows]
    whole = heading_height + sum(height for _, height in rows)
    if pdf.will_page_break(whole if whole < pdf.eph / 2 else heading_height + (LINE + 0.6) * KEEP_ROWS):
        pdf.add_page()
    draw(heading, heading_height, True)
    for wrapped, height in rows:
        if pdf.will_page_break(height):
            pdf.add_page()
            draw(heading, heading_height, True)
        draw(wrapped, height, False)
    pdf.ln(1.5)
    pdf.set_font(FONT, "", BODY)


def _charts(pdf: _Document, shown: tuple[Chart, ...]) -> None:
    """The charts two to a row, each under its title; an empty chart's message in its place."""
    width = pdf.epw * CHART_SHARE
    for pair in (shown[i : i + 2] for i in range(0, len(shown), 2)):
        images = [render.png(chart.spec) if chart.spec else None for chart in pair]
        heights = [_image_height(image, width) for image in images]
        if pdf.will_page_break(max(heights) + 6):
            pdf.add_page()
        top = pdf.get_y()
        for column, (chart, image) in enumerate(zip(pair, images, strict=True)):
            x = pdf.l_margin + column * (pdf.epw - width)
            pdf.set_xy(x, top)
            pdf.set_font(FONT, "B", BODY)
            pdf.cell(width, 5, chart.title, new_x="LEFT", new_y="NEXT")
            if image is None:
                pdf.set_font(FONT, "", BODY)
                pdf.multi_cell(width, LINE, chart.empty)
            else:
                pdf.image(image, x=x, y=pdf.get_y(), w=width, alt_text=chart.title)
        pdf.set_xy(pdf.l_margin, top + 5 + max(heights) + 1.5)
    pdf.set_font(FONT, "", BODY)


def _image_height(image: bytes | None, width: float) -> float:
    """The height in millimetres of a PNG placed ``width`` millimetres wide (its header holds its size)."""
    if image is None:
        return 2 * LINE
    pixels_wide, pixels_high = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    return width * pixels_high / pixels_wide


def _section(pdf: _Document, section: Section) -> None:
    _heading(pdf, section.heading)
    for sentence in section.sentences:
        _sentence(pdf, sentence)
    for line in section.lines:
        _text(pdf, line)
    for table in section.tables:
        _table(pdf, table)
    _charts(pdf, section.charts)
    for note in section.notes:
        pdf.set_text_color(60)
        _sentence(pdf, note, SMALL)
        pdf.set_text_color(0)


def _header(pdf: _Document, report: Report) -> None:
    pdf.set_font(FONT, "B", TITLE)
    pdf.cell(0, 8, report.title, new_x="LMARGIN", new_y="NEXT")
    rows = (
        ("Athlete", report.name or "(no name set)"),
        ("Period", report.period),
        ("Made", f"{report.made:%d %b %Y}, with kneelog"),
        ("Units", f"distance in {report.unit_words}, time in hours:minutes:seconds, pain 0-10"),
    )
    for label, value in rows:
        pdf.set_font(FONT, "B", BODY)
        pdf.cell(18, LINE + 0.6, label)
        pdf.set_font(FONT, "", BODY)
        pdf.multi_cell(0, LINE + 0.6, value, new_x="LMARGIN", new_y="NEXT")
    if report.held:
        _text(pdf, report.held)


def to_pdf(report: Report) -> bytes:
    """The report as the bytes of an A4 PDF: who and when, the sections in order, the disclaimer last."""
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # it notes every table it drops from the font
    pdf = _Document(report)
    pdf.add_page()
    _header(pdf, report)
    if report.empty:
        pdf.ln(2)
        pdf.set_font(FONT, "B", HEADING)
        pdf.multi_cell(0, 6, report.empty, new_x="LMARGIN", new_y="NEXT")
    for section in report.sections:
        _section(pdf, section)
    _heading(pdf, "Please read")
    _sentence(pdf, report.disclaimer)
    return bytes(pdf.output())
