"""Clinic mode at scale on a real PostgreSQL: many athletes with two years each, one clinician, writers at once.

Issue 15 asks three things of a clinic's server, each measured here in one run on a PostgreSQL started in a temporary
folder (:func:`tests.postgres.running_server`, Debian's ``/usr/lib/postgresql/*/bin``):

- **The clinician's list within** :data:`LIST_RATIO` **x one athlete's dashboard.** The Athletes page through AppTest,
  signed in as the clinician (``AppTest.user``; it reads each shared athlete through
  :meth:`kneelog.store.accounts.Accounts.reader` and builds :func:`kneelog.analysis.clinic.athlete_rows`), against
  the dashboard page on the same database: each on its first run after a write to a log it shows, and warm. For
  reference, the list and one dashboard worked out afresh outside Streamlit (what a server's first view costs).
- **One athlete's dashboard as fast among many as alone** (:data:`CROWDED_RATIO`): the dashboard page (AppTest, as
  :mod:`bench.dashboard` measures it, after a write and warm) in the clinic's database against a fresh database
  holding that athlete alone. The reason is the (athlete_id, date) indexes, so the plan of the frame query
  (PostgreSQL's ``EXPLAIN`` of the statement the store sends) is printed and must use one.
- **Writers at once lose nothing**: :data:`WRITERS` writers (threads in :data:`PROCESSES` processes, like two app
  servers behind a load balancer; some writers share an athlete, across processes) write runs and stretch sessions
  (three items each) for a minute; then every athlete's rows are counted against the writes acknowledged.

The clinic: N athletes (``--athletes``, default 200) registered with :meth:`Accounts.register`, each with two years of
:func:`bench.athlete.athlete` (its own seed) written through ``Store(url).for_athlete(id)`` and shared with one
clinician (a one-time code, redeemed); the local athlete (single-user mode's, id 1) holds the first athlete's entries
too, so the dashboard page measured without sign-in is the same log in both databases. ``ANALYZE`` runs after the
load, as after any bulk load, so the planner knows the table sizes.

``python -m bench.clinic [--athletes N] [--seconds S] [--list-rounds R]`` prints a Markdown table and the plan, and
exits non-zero when a target is missed. At 200 athletes it takes most of an hour on two shared cores: loading the data
and the list page's runs are most of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import multiprocessing as mp
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from bench.athlete import athlete
from bench.dashboard import REPO, SIDES, DashboardPage, open_dashboard
from bench.timing import median, ratio, rounds, seconds
from kneelog import clock
from kneelog.analysis import weekly
from kneelog.models import Run, Settings, StretchDone, StretchSession
from kneelog.store import ENV_VAR, Store

ATHLETES = 200
DAYS = 730
SECONDS = 60
WRITERS = 20
PROCESSES = 2
#: Writers share athletes: writer w writes for athlete w mod this (so 20 writers cover 15 athletes, five of them twice).
WRITTEN_ATHLETES = 15
LIST_RATIO = 2.0
CROWDED_RATIO = 1.2
PAGE_REPEATS = 5
LIST_REPEATS = 3
ISSUER = "https://id.bench.invalid"
CLINICIAN = "clinician"
CLINICIAN_EMAIL = "physio@clinic.invalid"
#: An ``[auth]`` section for AppTest (it signs nobody in: ``AppTest.user`` is who is signed in).
AUTH = {
    "redirect_uri": "https://kneelog.bench.invalid/oauth2callback",
    "cookie_secret": "a-bench-secret-long-enough-to-sign-with",
    "client_id": "kneelog",
    "client_secret": "bench",
    "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
}
#: The frames a dashboard reads (the weekly tables and the logged gym exercises), as pages/dashboard.py does.
DASHBOARD_KINDS = (*weekly.KINDS, "gym_exercise")
#: What a writer's stretch session holds: three stretches, each side (every transaction writes parent and children).
STRETCH_ITEMS = (
    StretchDone(stretch_id="half_kneel_quad", side="left"),
    StretchDone(stretch_id="half_kneel_quad", side="right"),
    StretchDone(stretch_id="wide_leg_forward_fold", side="both"),
)


def _say(text: str) -> None:
    print(f"[bench.clinic] {text}", file=sys.stderr, flush=True)


@contextmanager
def postgres():
    """A PostgreSQL server in a temporary folder for as long as the block runs (tests/postgres.py's, reused).

    Raises:
        SystemExit: when PostgreSQL is missing or does not start (the test helper's skip or failure, in words).
    """
    import pytest

    from tests.postgres import running_server

    try:
        with running_server() as server:
            yield server
    except (pytest.skip.Exception, pytest.fail.Exception) as e:
        raise SystemExit(f"bench.clinic needs PostgreSQL: {e.msg}") from None


# -- the data ----------------------------------------------------------------------------------------------------------


@dataclass
class Clinic:
    """Who is in the clinic's database: the clinician and the athletes shared with them, in order of registration."""

    url: str
    clinician_id: int
    athlete_ids: list[int]
    rows: int = 0
    load_s: float = 0.0


def _log(store: Store, seed: int) -> int:
    """Write two years of the synthetic athlete ``seed`` into ``store`` (one transaction) and UTC settings."""
    entries = athlete(DAYS, seed=seed)
    store.add_many(entries)
    store.save_settings(Settings(timezone="UTC"))
    return len(entries) + sum(len(getattr(e, "items", ())) for e in entries)


def _analyse(store: Store) -> None:
    """Give the planner the table sizes after a bulk load (``ANALYZE``; autovacuum would, a minute or so later)."""
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def fill_clinic(url: str, athletes: int) -> Clinic:
    """Register a clinician and ``athletes`` athletes, write each one's two years and share each with the clinician."""
    from kneelog.store.accounts import Accounts

    started = time.perf_counter()
    store = Store(url)
    accounts = Accounts(store)
    clinician = accounts.register(ISSUER, CLINICIAN, CLINICIAN_EMAIL, "The clinic's physio", "clinician")
    clinic = Clinic(url, clinician.id, [])
    clinic.rows = _log(store, seed=1)  # the local athlete: the same log as athlete 1
    for k in range(1, athletes + 1):
        account = accounts.register(ISSUER, f"athlete-{k}", f"athlete{k}@clinic.invalid", f"Athlete {k}", "athlete")
        clinic.rows += _log(store.for_athlete(account.id), seed=k)
        accounts.redeem(clinician.id, accounts.share_code(account.id))
        clinic.athlete_ids.append(account.id)
        if k % 20 == 0 or k == athletes:
            _say(f"{k} of {athletes} athletes written ({time.perf_counter() - started:.0f} s)")
    _analyse(store)
    store.dispose()
    clinic.load_s = time.perf_counter() - started
    return clinic


def fill_alone(url: str) -> None:
    """The first athlete alone in a fresh database, as the local athlete."""
    store = Store(url)
    _log(store, seed=1)
    _analyse(store)
    store.dispose()


# -- (a) and (b): the pages, and the list worked out afresh ------------------------------------------------------------


def dashboard_overview(store: Store, today: dt.date) -> object:
    """What one athlete's dashboard works out after a write: its frames and settings read, the whole history's
    tables, and the Overview with its charts as Vega-Lite (what pages/dashboard.py caches)."""
    from kneelog.views import dashboard

    frames = {kind: store.frame(kind) for kind in DASHBOARD_KINDS}
    history = dashboard.history(frames, store.settings(), today=today, routine_sides=SIDES)
    return dashboard.section(dashboard.OVERVIEW, history).frozen()


def clinician_list(accounts, clinician_id: int, today: dt.date):
    """What the clinician's list works out afresh: each shared athlete read through a read-only store, then the rows."""
    from kneelog.analysis import clinic

    logs = {}
    for account in accounts.athletes_of(clinician_id):
        reader = accounts.reader(clinician_id, account.id)
        logs[account.id] = clinic.AthleteLog(
            name=account.name,
            frames={kind: reader.frame(kind) for kind in weekly.KINDS},
            settings=reader.settings(),
        )
    return clinic.athlete_rows(logs, today)


def measure_afresh(clinic: Clinic) -> dict:
    """The clinician's list against one athlete's dashboard, both worked out afresh (no cache: a server's first view),
    outside Streamlit: the list once (at 200 athletes it takes minutes), the dashboard :data:`PAGE_REPEATS` times."""
    from kneelog.store.accounts import Accounts

    store = Store(clinic.url)
    accounts = Accounts(store)
    today = clock.local_today("UTC")
    first = accounts.reader(clinic.clinician_id, clinic.athlete_ids[0])
    started = time.perf_counter()
    listed = clinician_list(accounts, clinic.clinician_id, today)
    list_s = time.perf_counter() - started
    dashboard_s = median(rounds({"dashboard": lambda: dashboard_overview(first, today)}, PAGE_REPEATS), "dashboard")
    store.dispose()
    return {
        "listed": len(listed),
        "flagged": int(listed["flags"].map(bool).sum()),
        "list_s": list_s,
        "dashboard_s": dashboard_s,
        "ratio": list_s / dashboard_s,
    }


def open_list(url: str) -> DashboardPage:
    """The app on ``url`` with an ``[auth]`` section, signed in as the clinic's clinician (AppTest's ``user`` is what
    ``st.user`` returns), on the Athletes page: :meth:`DashboardPage.run` runs it once."""
    os.environ[ENV_VAR] = url
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": True, "iss": ISSUER, "sub": CLINICIAN, "email": CLINICIAN_EMAIL, "name": "Physio"}
    return DashboardPage(url, app)  # a clinician's first page is the list (pages/_auth.py)


def _listed(page: DashboardPage) -> int:
    """Rows of the clinician's list on the page (its first table)."""
    if not page.app.dataframe:
        raise RuntimeError("the Athletes page drew no list: the clinician sees no athlete")
    return len(page.app.dataframe[0].value)


def _written(store: Store, athlete_ids: list[int]) -> Callable[[], None]:
    """A write to the next athlete of ``athlete_ids`` in turn: a run today (as an athlete logs one)."""
    turn = itertools.cycle(athlete_ids)
    today = clock.local_today("UTC")

    def write() -> None:
        store.for_athlete(next(turn)).add(Run(date=today, distance_m=5000, duration_s=1800, notes="bench"))

    return write


def _then(write: Callable[[], None], page: DashboardPage) -> Callable[[], None]:
    """The page's run after ``write`` (timed together: each side of a ratio pays one write)."""

    def work() -> None:
        write()
        page.run()

    return work


def measure_pages(clinic: Clinic, alone_url: str, list_rounds: int = LIST_REPEATS) -> dict:
    """The pages through AppTest, in alternating rounds: the clinician's list and the local athlete's dashboard on the
    clinic's database, and the same dashboard alone in a fresh database.

    Each page is timed on its first run after a write to a log it shows (a run added to the next shared athlete for
    the list, to the local athlete for the dashboards), and warm (nothing changed). The dashboards are compared in
    :data:`PAGE_REPEATS` rounds; the list against the dashboard in ``list_rounds`` (at 200 athletes a run of the list
    takes minutes). Ratios are medians of per-round ratios.
    """
    crowded, alone = Store(clinic.url), Store(alone_url)
    dashboard, lone, listing = open_dashboard(clinic.url), open_dashboard(alone_url), open_list(clinic.url)
    first = {"dashboard": seconds(dashboard.run), "alone": seconds(lone.run), "list": seconds(listing.run)}
    _say(f"first runs: dashboard {first['dashboard']:.1f} s, alone {first['alone']:.1f} s, list {first['list']:.1f} s")
    shown = _listed(listing)
    write_crowded, write_alone = _written(crowded, [crowded.athlete_id]), _written(alone, [alone.athlete_id])
    dashboards = rounds(
        {
            "dashboard": _then(write_crowded, dashboard),
            "dashboard_warm": dashboard.run,
            "alone": _then(write_alone, lone),
            "alone_warm": lone.run,
        },
        PAGE_REPEATS,
    )
    _say(f"the dashboards compared; now {list_rounds} rounds of the list against the dashboard")
    lists = rounds(
        {
            "list": _then(_written(crowded, clinic.athlete_ids), listing),
            "list_warm": listing.run,
            "dashboard": _then(write_crowded, dashboard),
            "dashboard_warm": dashboard.run,
        },
        list_rounds,
    )
    reads = rounds(
        {
            "crowded": lambda: [crowded.frame(kind) for kind in DASHBOARD_KINDS],
            "alone": lambda: [alone.frame(kind) for kind in DASHBOARD_KINDS],
        },
        PAGE_REPEATS,
    )
    plan = explain_frame(crowded.for_athlete(clinic.athlete_ids[len(clinic.athlete_ids) // 2]), "run")
    crowded.dispose()
    alone.dispose()
    return {
        "listed": shown,
        "list_rounds": list_rounds,
        "plan": plan,
        "index": _index_used(plan),
        "first_list_s": first["list"],
        "first_dashboard_s": first["dashboard"],
        "dashboard_s": median(dashboards, "dashboard"),
        "dashboard_warm_s": median(dashboards, "dashboard_warm"),
        "alone_s": median(dashboards, "alone"),
        "alone_warm_s": median(dashboards, "alone_warm"),
        "crowded_ratio": ratio(dashboards, "dashboard", "alone"),
        "crowded_warm_ratio": ratio(dashboards, "dashboard_warm", "alone_warm"),
        "list_s": median(lists, "list"),
        "list_warm_s": median(lists, "list_warm"),
        "list_dashboard_s": median(lists, "dashboard"),
        "list_dashboard_warm_s": median(lists, "dashboard_warm"),
        "list_ratio": ratio(lists, "list", "dashboard"),
        "list_warm_ratio": ratio(lists, "list_warm", "dashboard_warm"),
        "read_crowded_s": median(reads, "crowded"),
        "read_alone_s": median(reads, "alone"),
        "read_ratio": ratio(reads, "crowded", "alone"),
    }


def explain_frame(store: Store, kind: str) -> list[str]:
    """PostgreSQL's plan of the query that ``store.frame(kind)`` sends, with its own parameters (the athlete's id).

    The statement is heard on the engine while the store reads the frame, so the plan is of what the store really
    sends, not of a copy of it here.
    """
    table = f"FROM {'runs' if kind == 'run' else kind}"
    heard: list[tuple[str, object]] = []

    def hear(conn, cursor, statement, parameters, context, executemany) -> None:
        heard.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", hear)
    try:
        store.frame(kind)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", hear)
    statement, parameters = next((s, p) for s, p in heard if table in s and s.lstrip().upper().startswith("SELECT"))
    with store.engine.connect() as conn:
        return [row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)]


def _index_used(plan: list[str]) -> str | None:
    """The index a plan scans, if any (an Index Scan, Index Only Scan or Bitmap Index Scan line names it)."""
    for line in plan:  # "Index Scan using ix_runs_athlete_id_date on runs", "Bitmap Index Scan on ix_runs_..."
        found = re.search(r"Index (?:Only )?Scan (?:using (\S+) on|on (\S+))", line)
        if found:
            return found.group(1) or found.group(2)
    return None


# -- (c) writers at once -----------------------------------------------------------------------------------------------


@dataclass
class Written:
    """What one writer was told was stored (its acknowledged ids, by kind), and any error it met."""

    writer: int
    athlete_id: int
    runs: list[int] = field(default_factory=list)
    stretches: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _write(store: Store, written: Written, stop_at: float) -> None:
    """Write until ``stop_at``: a run, then a stretch session of three items, and so on; each is one transaction,
    acknowledged when ``add`` returns its id. Between writes it reads the data version, as a page does."""
    today = clock.local_today("UTC")
    i = 0
    while time.monotonic() < stop_at:
        day = today - dt.timedelta(days=i % DAYS)
        try:
            if i % 2 == 0:
                run = Run(date=day, distance_m=3000 + i, duration_s=1200, notes=f"writer {written.writer} #{i}")
                written.runs.append(store.add(run))
            else:
                written.stretches.append(store.add(StretchSession(date=day, items=STRETCH_ITEMS)))
            store.data_version()
        except Exception:  # noqa: BLE001 - a refused write is counted and reported, never lost silently
            written.errors.append(traceback.format_exc(limit=3))
        i += 1


def _writer_process(url: str, jobs: list[tuple[int, int]], duration: float, barrier, results) -> None:
    """One app server: one Store (one engine and pool) and a thread per writer ``(writer, athlete_id)``."""
    try:
        store = Store(url)
        done = [Written(writer, athlete_id) for writer, athlete_id in jobs]
        barrier.wait(timeout=120)
        stop_at = time.monotonic() + duration
        threads = [threading.Thread(target=_write, args=(store.for_athlete(w.athlete_id), w, stop_at)) for w in done]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        store.dispose()
        results.put(done)
    except BaseException:  # noqa: BLE001 - the parent reports this text; a writer process may not die unheard
        results.put(traceback.format_exc())


def _snapshot(store: Store, athlete_ids: list[int]) -> dict[int, dict[str, set[int]]]:
    """Each athlete's run and stretch-session ids, and how many items each stretch session holds."""
    held = {}
    for athlete_id in athlete_ids:
        scoped = store.for_athlete(athlete_id, read_only=True)
        items = scoped.frame("stretch_item").groupby("session_id").size()
        held[athlete_id] = {
            "runs": set(scoped.frame("run")["id"]),
            "stretches": set(scoped.frame("stretch")["id"]),
            "items": items.to_dict(),
        }
    return held


def measure_writers(clinic: Clinic, duration: float, writers: int = WRITERS, processes: int = PROCESSES) -> dict:
    """``writers`` writers in ``processes`` processes for ``duration`` seconds, then every write checked for."""
    athletes = clinic.athlete_ids[:WRITTEN_ATHLETES]
    jobs = [(w, athletes[w % len(athletes)]) for w in range(writers)]
    per = -(-writers // processes)
    store = Store(clinic.url)
    before = _snapshot(store, athletes)
    from bench import clinic as importable  # run as ``-m``, this module is __main__, which a spawned child lacks

    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    children = [
        ctx.Process(
            target=importable._writer_process,
            args=(clinic.url, jobs[p * per : (p + 1) * per], duration, barrier, results),
        )
        for p in range(processes)
    ]
    for child in children:
        child.start()
    reports = [results.get(timeout=duration + 300) for _ in children]
    for child in children:
        child.join(timeout=60)
    failed = [r for r in reports if isinstance(r, str)]
    if failed:
        raise RuntimeError(f"a writer process failed:\n{failed[0]}")
    done: list[Written] = [w for report in reports for w in report]
    after = _snapshot(store, athletes)
    store.dispose()
    return {"writers": writers, "processes": processes, "athletes": len(athletes), "seconds": duration} | _tally(
        done, before, after
    )


def _tally(done: list[Written], before: dict, after: dict) -> dict:
    """Acknowledged writes against the rows found: lost (acknowledged, not there), unacknowledged rows (there, never
    acknowledged), stretch sessions without their three items, and errors."""
    acknowledged = {a: {"runs": set(), "stretches": set()} for a in after}
    for w in done:
        acknowledged[w.athlete_id]["runs"].update(w.runs)
        acknowledged[w.athlete_id]["stretches"].update(w.stretches)
    lost = unacknowledged = broken = found = 0
    for athlete_id, held in after.items():
        for kind in ("runs", "stretches"):
            new = held[kind] - before[athlete_id][kind]
            found += len(new)
            lost += len(acknowledged[athlete_id][kind] - new)
            unacknowledged += len(new - acknowledged[athlete_id][kind])
        broken += sum(held["items"].get(i, 0) != len(STRETCH_ITEMS) for i in acknowledged[athlete_id]["stretches"])
    writes = sum(len(w.runs) + len(w.stretches) for w in done)
    errors = [e for w in done for e in w.errors]
    return {
        "acknowledged": writes,
        "runs": sum(len(w.runs) for w in done),
        "stretches": sum(len(w.stretches) for w in done),
        "found": found,
        "lost": lost,
        "unacknowledged": unacknowledged,
        "broken": broken,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


# -- the run, its table and its targets --------------------------------------------------------------------------------


def measure(athletes: int = ATHLETES, duration: float = SECONDS, list_rounds: int = LIST_REPEATS) -> dict:
    """Start PostgreSQL, load the clinic and the lone athlete, and take every measurement."""
    load_start = os.getloadavg()[0]
    with postgres() as server:
        _say(f"writing {athletes} athletes of {DAYS} days each, and one alone")
        clinic = fill_clinic(server.new_database(), athletes)
        alone = server.new_database()
        fill_alone(alone)
        _say("the pages through AppTest: the clinician's list, the dashboard among the clinic and alone")
        pages = measure_pages(clinic, alone, list_rounds)
        _say("the clinician's list and one dashboard worked out afresh")
        afresh = measure_afresh(clinic)
        _say(f"{WRITERS} writers for {duration:g} s")
        writers = measure_writers(clinic, duration)
    return {
        "athletes": athletes,
        "days": DAYS,
        "rows": clinic.rows,
        "load_s": clinic.load_s,
        "pages": pages,
        "afresh": afresh,
        "writers": writers,
        "load": (load_start, os.getloadavg()[0]),
    }


def _lost_nothing(w: dict) -> bool:
    return not (w["lost"] or w["unacknowledged"] or w["broken"] or w["errors"])


def missed(r: dict) -> list[str]:
    """The targets ``r`` misses, in words (empty when every one is met)."""
    pages, w = r["pages"], r["writers"]
    found = []
    for key, what in (("list_ratio", "after a write"), ("list_warm_ratio", "warm")):
        if pages[key] > LIST_RATIO:
            found.append(f"the clinician's list page ({what}) took {pages[key]:.2f}x the dashboard's (target "
                         f"{LIST_RATIO:g}x)")  # fmt: skip
    if pages["crowded_ratio"] > CROWDED_RATIO:
        found.append(f"the dashboard among {r['athletes']} athletes took {pages['crowded_ratio']:.2f}x alone "
                     f"(target {CROWDED_RATIO:g}x)")  # fmt: skip
    if pages["index"] is None:
        found.append("the frame query of one athlete's runs scans the whole table (no index in its plan)")
    if not _lost_nothing(w):
        found.append(
            f"writers: {w['lost']} acknowledged writes lost, {w['unacknowledged']} rows never acknowledged, "
            f"{w['broken']} stretch sessions without their items, {w['errors']} writes refused"
            + (f"; the first refusal:\n{w['first_error']}" if w["first_error"] else "")
        )
    return found


def check(r: dict) -> None:
    """Fail when a target is missed.

    Raises:
        AssertionError: naming every figure missed.
    """
    problems = missed(r)
    assert not problems, "; ".join(problems)


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def rows(r: dict) -> list[str]:
    """The Markdown table rows of these figures (RESULTS.md's columns: measurement, figure, target, met)."""
    p, a, w = r["pages"], r["afresh"], r["writers"]
    n = r["athletes"]
    return [
        f"| clinic on PostgreSQL: {n} athletes x {r['days']} days, each shared with one clinician, plus the local "
        f"athlete (a copy of the first) | {r['rows']:,} entries and stretch items, written in {r['load_s']:.0f} s "
        "| — | |",
        f"| Athletes page (AppTest, the clinician's list of {p['listed']}), first run after an athlete's write, vs the "
        f"dashboard page's after a write ({p['list_rounds']} rounds) | {p['list_ratio']:.2f}x ({p['list_s']:.2f} s vs "
        f"{p['list_dashboard_s']:.2f} s) | within {LIST_RATIO:g}x | {_met(p['list_ratio'] <= LIST_RATIO)} |",
        f"| Athletes page vs dashboard page, warm (nothing changed) | {p['list_warm_ratio']:.2f}x "
        f"({p['list_warm_s']:.2f} s vs {p['list_dashboard_warm_s']:.2f} s) | within {LIST_RATIO:g}x "
        f"| {_met(p['list_warm_ratio'] <= LIST_RATIO)} |",
        f"| Athletes page vs dashboard page, first run of the process (every log read) | {p['first_list_s']:.1f} s vs "
        f"{p['first_dashboard_s']:.2f} s | — | |",
        f"| the list worked out afresh outside Streamlit (every athlete read read-only, `athlete_rows`) once, vs one "
        f"dashboard afresh (read, history, Overview) | {a['ratio']:.1f}x ({a['list_s']:.1f} s vs "
        f"{a['dashboard_s']:.2f} s; {a['flagged']} of {a['listed']} athletes flagged) | — | |",
        f"| dashboard page (AppTest), first run after a write: among {n + 1} athletes vs alone in a fresh database "
        f"| {p['crowded_ratio']:.2f}x ({p['dashboard_s']:.2f} s vs {p['alone_s']:.2f} s; warm "
        f"{p['crowded_warm_ratio']:.2f}x) | within {CROWDED_RATIO:g}x | {_met(p['crowded_ratio'] <= CROWDED_RATIO)} |",
        f"| the same athlete's frames read, among {n + 1} athletes vs alone | {p['read_ratio']:.2f}x "
        f"({p['read_crowded_s']:.3f} s vs {p['read_alone_s']:.3f} s) | — | |",
        f"| plan of one athlete's run frame among {n + 1} athletes (`EXPLAIN`, below) | "
        + (f"scans the index `{p['index']}`" if p["index"] else "no index: the whole table")
        + f" | an index | {_met(p['index'] is not None)} |",
        f"| {w['writers']} writers ({w['processes']} processes, {w['athletes']} athletes, some written by two "
        f"writers) for {w['seconds']:g} s | {w['acknowledged']:,} writes acknowledged ({w['runs']:,} runs, "
        f"{w['stretches']:,} stretch sessions of {len(STRETCH_ITEMS)} items; {w['acknowledged'] / w['seconds']:.0f}"
        f"/s), {w['found']:,} rows found; lost {w['lost']}, unacknowledged {w['unacknowledged']}, sessions missing "
        f"items {w['broken']}, refused {w['errors']} | nothing lost or refused | {_met(_lost_nothing(w))} |",
    ]


def render(r: dict) -> str:
    """The whole Markdown printed by ``python -m bench.clinic``: the table, the load, the plan."""
    lines = [
        f"## Clinic mode on PostgreSQL ({r['athletes']} athletes)",
        "",
        "| measurement | figure | target | |",
        "| --- | --- | --- | --- |",
        *rows(r),
        "",
        f"Load average at the start {r['load'][0]:.2f}, at the end {r['load'][1]:.2f} ({os.cpu_count()} cores, "
        "shared): absolute times vary from run to run, ratios much less.",
        "",
        "The plan of one athlete's run frame (`Store.for_athlete(id).frame('run')`):",
        "",
        "```",
        *r["pages"]["plan"],
        "```",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.clinic", description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=ATHLETES, help=f"athletes in the clinic (default {ATHLETES})")
    parser.add_argument(
        "--seconds", type=float, default=SECONDS, help=f"how long the writers write (default {SECONDS} s)"
    )
    parser.add_argument(
        "--list-rounds", type=int, default=LIST_REPEATS, help=f"rounds of the list page (default {LIST_REPEATS})"
    )
    args = parser.parse_args(argv)
    if args.athletes < 1 or args.seconds <= 0 or args.list_rounds < 1:
        parser.error("--athletes and --list-rounds must be at least 1, --seconds more than 0")
    results = measure(args.athletes, args.seconds, args.list_rounds)
    print(render(results))
    problems = missed(results)
    for problem in problems:
        print(f"missed: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
