"""The report as one self-contained web page: escaped text, charts as inline SVG, a stylesheet for A4 print.

The page loads nothing from anywhere (no script, font, image or style from another file or host). Every piece of
text is escaped (:func:`html.escape`), so a name such as ``<b>Zoë</b>`` shows as those characters; kneelog's own
sentences may mark a bold lead-in with ``**…**``, turned into ``<strong>`` after escaping.
"""

from __future__ import annotations

from html import escape

from kneelog.report import render
from kneelog.report.model import Chart, Report, Section, Table

#: Screen and print styles: A4 pages, charts and tables kept whole, greys that print the same in black and white.
STYLE = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 10pt; color: #000; max-width: 60rem;
       margin: 1rem auto; padding: 0 1rem; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 .4rem; }
h2 { font-size: 12pt; border-bottom: 1px solid #777; margin: 1rem 0 .4rem; break-after: avoid; }
dl.who { display: grid; grid-template-columns: 5rem 1fr; gap: .1rem .5rem; margin: 0 0 .4rem; }
dl.who dt { font-weight: bold; } dl.who dd { margin: 0; }
p { margin: .25rem 0; }
p.small { font-size: 8pt; color: #333; }
p.empty { font-weight: bold; font-size: 12pt; }
.runner { white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: 9pt; break-inside: avoid; }
th { background: #e8e8e8; text-align: left; } th, td { border-bottom: 1px solid #999; padding: .1rem .3rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: .3rem 0; flex: 1 1 22rem; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; }
@page { size: A4; margin: 12mm; }
@media print { body { margin: 0; padding: 0; max-width: none; font-size: 8.5pt; } }
"""


def _sentence(text: str) -> str:
    """kneelog's sentence, escaped, with ``**…**`` as bold."""
    parts = escape(text).split("**")
    return "".join(f"<strong>{part}</strong>" if i % 2 else part for i, part in enumerate(parts))


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(chart: Chart) -> str:
    drawn = render.svg(chart.spec) if chart.spec else f"<p>{escape(chart.empty)}</p>"
    if drawn.startswith("<svg"):
        drawn = drawn.replace("<svg", f'<svg role="img" aria-label="{escape(chart.title)}"', 1)
    return f"<figure><figcaption>{escape(chart.title)}</figcaption>{drawn}</figure>"


def _section(section: Section) -> str:
    parts = [f"<section><h2>{escape(section.heading)}</h2>"]
    parts += [f"<p>{_sentence(s)}</p>" for s in section.sentences]
    parts += [f'<p class="runner">{escape(line)}</p>' for line in section.lines]
    parts += [_table(table) for table in section.tables]
    if section.charts:
        parts.append('<div class="charts">' + "".join(_chart(c) for c in section.charts) + "</div>")
    parts += [f'<p class="small">{_sentence(note)}</p>' for note in section.notes]
    return "".join(parts) + "</section>"


def to_html(report: Report) -> str:
    """The report as a self-contained HTML document (UTF-8), in the same order as the PDF."""
    who = (
        ("Athlete", report.name or "(no name set)"),
        ("Period", report.period),
        ("Made", f"{report.made:%d %b %Y}, with kneelog"),
        ("Units", f"distance in {report.unit_words}, time in hours:minutes:seconds, pain 0-10"),
    )
    header = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in who)
    body = [f"<h1>{escape(report.title)}</h1>", f'<dl class="who">{header}</dl>']
    if report.held:
        body.append(f"<p>{escape(report.held)}</p>")
    if report.empty:
        body.append(f'<p class="empty">{escape(report.empty)}</p>')
    body += [_section(section) for section in report.sections]
    body.append(f"<section><h2>Please read</h2><p>{escape(report.disclaimer)}</p></section>")
    title = escape(f"{report.title}, {report.period}")
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )
