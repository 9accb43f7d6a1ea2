"""Set once per server process: app.py imports this module, and Python runs a module's code at its first import only.

The garbage collector's full collections scan every object the process holds, and most of those are the modules a
page imports (Streamlit, pandas, Altair's Vega-Lite schema classes, SQLAlchemy): some 300,000 objects that live as
long as the server. A full collection of them took 0.2-0.3 s on the benchmark machine, and one fell in about half
of the dashboard's first runs after a write (``bench/dashboard.py``). So the heavy modules are imported here, the
garbage of importing them collected, and what is left frozen (``gc.freeze``): later collections skip those objects
and scan only what the runs create. Nothing a run creates is frozen, so a session's data is collected as before.
"""

import gc

import altair  # noqa: F401 (imported for the freeze, as are the rest)
import pandas  # noqa: F401
import sqlalchemy  # noqa: F401
import streamlit  # noqa: F401

import kneelog.views.dashboard  # noqa: F401

gc.collect()
gc.freeze()
