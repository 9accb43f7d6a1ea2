"""Views: what each page draws, computed without a UI (the pages only place it on screen).

:mod:`~kneelog.views.dashboard` builds the whole dashboard in one call, :mod:`~kneelog.views.charts` its Altair
charts, :mod:`~kneelog.views.history` the History tables and :mod:`~kneelog.views.today` the Today summary. Like
:mod:`kneelog.analysis`, nothing here reads the database: the pages hand the store's frames in.
"""
