"""Make tests/data/kneelog_schema_0001.db: a database as the first kneelog release (schema 0001) left it.

Run once when the fixture must be remade: ``python tests/data/make_schema_0001_db.py``. The rows are written with
plain SQL, not with today's models, so the file stays what the first release wrote.
"""

import sqlite3
from pathlib import Path

from kneelog.store import Store

PATH = Path(__file__).with_name("kneelog_schema_0001.db")
STAMP = "2026-11-24T02:00:00+00:00"

ROWS = {
    "runs": [
        (1, "2026-10-05", "07:15:00.000000", 8200.0, 2790.0, 5, 2, "Easy, knee ok", "Run", "manual", None),
        (2, "2026-10-07", None, 12000.0, 4380.0, 7, 4, "Long run — stairs hurt after", "Run", "manual", None),
        (3, "2026-10-09", "18:00:00.000000", 5000.0, 1500.0, None, None, "", "Run", "manual", None),
    ],
    "gym_sessions": [(1, "2026-10-06", None, 3000.0, 6, "Split squats 3x8", "manual", None)],
    "stretch_sessions": [(1, "2026-10-06", "", "manual")],
    "stretch_items": [(1, "half_kneel_quad", "left"), (1, "half_kneel_quad", "right")],
    "checkins": [(1, "2026-10-08", "right", 3, 4, 1, 5, "Sore after the long run", "manual")],
    "races": [(1, "2026-12-06", "City 10K", 10000.0, "manual")],
}
COLUMNS = {
    "runs": "id, date, start_time, distance_m, duration_s, rpe, pain_during, notes, activity_type, source, source_id",
    "gym_sessions": "id, date, start_time, duration_s, rpe, notes, source, source_id",
    "stretch_sessions": "id, date, notes, source",
    "stretch_items": "session_id, stretch_id, side",
    "checkins": "id, date, knee, stairs, squat, sitting, morning_after, note, source",
    "races": "id, date, name, distance_m, source",
}


def main() -> None:
    PATH.unlink(missing_ok=True)
    store = Store(f"sqlite:///{PATH}", upgrade="0001")
    store.dispose()
    with sqlite3.connect(PATH) as conn:
        for table, rows in ROWS.items():
            stamps = ", created_at, updated_at" if table != "stretch_items" else ""
            marks = ", ".join("?" * (len(rows[0]) + (2 if stamps else 0)))
            extra = (STAMP, STAMP) if stamps else ()
            conn.executemany(
                f"INSERT INTO {table} ({COLUMNS[table]}{stamps}) VALUES ({marks})", [r + extra for r in rows]
            )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
