"""Analysis: the runner's entries in, weekly numbers out. Data in, data out: no database, no UI.

:mod:`~kneelog.analysis.weekly` lays every day and week on a calendar; :mod:`~kneelog.analysis.load` holds the
training-load formulas, :mod:`~kneelog.analysis.pain` the pain-monitoring model, :mod:`~kneelog.analysis.gymplan`
the gym plan, :mod:`~kneelog.analysis.stats` the correlations and regression, and
:mod:`~kneelog.analysis.findings` puts them into words. Every formula cites its source beside the code.
"""
