"""The physio report: a period's weeks as a printable PDF or a self-contained web page.

:func:`build` works out the contents (:mod:`kneelog.report.build`, plain data in :mod:`kneelog.report.model`);
:func:`to_pdf` and :func:`to_html` lay the same contents out. The charts are the dashboard's, drawn offline
(:mod:`kneelog.report.render`); :mod:`kneelog.report.source` reads what a report needs from the store.
"""

from kneelog.report import source
from kneelog.report.build import DEFAULT_WEEKS, WEEK_CHOICES, build, last_weeks
from kneelog.report.html import to_html
from kneelog.report.model import Report
from kneelog.report.pdf import to_pdf

__all__ = ["DEFAULT_WEEKS", "WEEK_CHOICES", "Report", "build", "last_weeks", "source", "to_html", "to_pdf"]
