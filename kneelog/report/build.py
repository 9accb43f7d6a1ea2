"""The physio report's contents for a period, worked out from the same tables and charts as the dashboard.

:func:`build` cuts the weeks of the period from :func:`kneelog.views.dashboard.history` (so every number equals
``kneelog weekly`` and the dashboard for those weeks) and writes them up in the order a physio reads them: who and
when; the summary (pain-monitoring status per week, usual and worst pain, outcome scores against their minimal
important change); load; adherence; the findings that passed the dashboard's gates; flags; the runner's notes; the
disclaimer. Charts are the dashboard's own builders (:mod:`kneelog.views.charts`) as Vega-Lite specs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from kneelog.analysis import findings, load, outcomes, pain, programme, stats
from kneelog.clock import monday, monday_of
from kneelog.models import Settings, Unit
from kneelog.report.model import Chart, Report, Section, Table
from kneelog.stretches import StretchLibrary, load_library, routine_items, routine_size
from kneelog.units import UNIT_NAMES, format_duration, to_unit
from kneelog.views import charts, dashboard
from kneelog.views.charts import Figure
from kneelog.views.history import latest_entry
from kneelog.views.programme import load_in_unit, mass_unit

#: The period choices offered by the Report page and ``kneelog report --weeks``.
WEEK_CHOICES = (4, 8, 12)
DEFAULT_WEEKS = 8

#: Section headings, in the order printed.
SUMMARY, LOAD, ADHERENCE, FINDINGS, FLAGS, NOTES = (
    "Summary",
    "Load",
    "Adherence",
    "Findings that passed the gates",
    "Flags",
    "Runner's notes",
)
UNIT_WORDS = {"km": "kilometres, loads in kilograms", "mi": "miles, loads in pounds"}
#: The runner's notes printed at most, and each one's length at most (the rest is in kneelog's History).
MAX_NOTES = 6
NOTE_CHARS = 280
#: The width in pixels every chart is laid out at, for print (the dashboard's charts fill their container): printed
#: two to a row on A4, the charts' 12 px text comes out at about 8 points, the size of the report's tables. Their
#: plots are this share of the dashboard's height, so eight weeks fit on two pages.
CHART_WIDTH = 400
CHART_HEIGHT_SHARE = 0.55

DISCLAIMER = (
    "Self-reported data: every number comes from what the runner logged or imported, and is only as good as that. "
    "This report is not a diagnosis and does not replace a clinician's assessment. Relationships between training "
    "and knee pain describe these weeks; they do not show that one thing causes another, and no figure here predicts "
    "injury. Methods and sources: kneelog's dashboard, 'How these numbers are computed'."
)
NO_OUTCOMES = "No outcome scores recorded in this period."
NO_PROGRAMME = "No exercises were logged in this period's gym sessions."

Frames = Mapping[str, pd.DataFrame]


def last_weeks(frames: Frames, today: dt.date, count: int = DEFAULT_WEEKS) -> tuple[dt.date, dt.date]:
    """The last ``count`` weeks (Mondays of the first and last) up to the week of the latest entry, as the dashboard's
    presets choose them; up to this week when nothing is logged."""
    weeks = dashboard.weeks_available(frames, today)
    if not weeks:
        end = monday(today)
        return end - dt.timedelta(weeks=count - 1), end
    end = dashboard.default_range(weeks, 1, latest_entry(frames))[1]
    return end - dt.timedelta(weeks=count - 1), end


def _week(value: pd.Timestamp) -> str:
    return f"{value:%d %b}"


def _num(value: float, digits: int = 1, missing: str = "—") -> str:
    """A number with a true minus sign, or ``missing``."""
    return missing if value is None or pd.isna(value) else findings.number(float(value), digits)


def _pct(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:+.0f}%".replace("-", "−")


def _chart(figure: Figure) -> Chart:
    """A dashboard figure as a fixed-width Vega-Lite spec for print (the page's charts fill their container)."""
    if not figure.drawn:
        return Chart(figure.title, None, figure.empty, figure.caption)
    spec = dict(figure.frozen().spec)  # a copy of the top level, whose width and height are set for print
    spec["width"] = CHART_WIDTH
    if isinstance(spec.get("height"), int | float):
        spec["height"] = round(spec["height"] * CHART_HEIGHT_SHARE)
    return Chart(figure.title, spec, caption=figure.caption)


def _week_label(weeks: pd.DataFrame) -> list[str]:
    """``05 Oct``, or ``30 Nov (so far)`` for a part week."""
    parts = charts.part_weeks(weeks)
    return [
        _week(w) + ("" if not part else " (so far)" if part.startswith("so far") else " (part)")
        for w, part in zip(weeks["week"], parts, strict=True)
    ]


def _trend(weeks: pd.DataFrame) -> str:
    """Usual (mean) and worst pain in the first and last week with check-ins, in words."""
    checked = weeks[weeks["pain_mean"].notna()]
    if checked.empty:
        return "Usual and worst pain: no knee check-ins in this period."
    first, last = checked.iloc[0], checked.iloc[-1]
    if len(checked) == 1:
        return (
            f"Usual pain {_num(first['pain_mean'])}/10, worst {_num(first['pain_worst'], 0)}/10, in the week of "
            f"{_week(first['week'])} (the only week with check-ins)."
        )
    return (
        f"Usual pain (mean of the daily check-ins) went from {_num(first['pain_mean'])}/10 in the week of "
        f"{_week(first['week'])} to {_num(last['pain_mean'])}/10 in the week of {_week(last['week'])}; the worst "
        f"single score from {_num(first['pain_worst'], 0)} to {_num(last['pain_worst'], 0)}."
    )


def _statuses(weeks: pd.DataFrame) -> str:
    counts = weeks["pain_status"].value_counts()
    parts = [
        f"{counts[status]} {'week' if counts[status] == 1 else 'weeks'} {words}"
        for status, words in (
            (pain.STATUS_WITHIN, "within all three limits"),
            (pain.STATUS_OVER, "over a limit"),
            (pain.STATUS_NO_RUNS, "without runs (only weekly pain checked)"),
            (pain.STATUS_NONE, "without pain data"),
        )
        if counts.get(status, 0)
    ]
    return "Pain-monitoring model (Silbernagel et al. 2007): " + ", ".join(parts) + "."


def _outcomes(
    scores: pd.DataFrame, start: dt.date, end: dt.date
) -> tuple[tuple[str, ...], tuple[Table, ...], tuple[str, ...]]:
    """Each outcome scale's change over the period against its minimal important change (the
    :func:`kneelog.analysis.outcomes.changes` of ``scores``), or the sentence that none are recorded."""
    changes = outcomes.changes(scores, start, end)
    if changes.empty:
        return (NO_OUTCOMES,), (), ()
    rows = []
    for row in changes.itertuples():
        scale = outcomes.SCALES[row.measure]
        digits = 0 if scale.whole else 1
        verdict = "one score only" if pd.isna(row.change) else f"yes: {row.direction}" if row.beyond_mic else "no"
        rows.append(
            (
                f"{scale.short} ({scale.low:g}-{scale.high:g}, {scale.better} is better)",
                f"{_num(row.first, digits)} on {row.first_date:%d %b}",
                f"{_num(row.last, digits)} on {row.last_date:%d %b}",
                "—" if pd.isna(row.change) else ("+" if row.change > 0 else "") + _num(row.change, digits),
                f"{row.mic:g}",
                verdict,
            )
        )
    table = Table(
        ("Outcome score", "First", "Last", "Change", "MIC", "Beyond the MIC?"),
        tuple(rows),
        (3.0, 1.2, 1.2, 0.8, 1.2, 1.2),
    )
    cited = dict.fromkeys(str(c) for c in changes["citation"] if c)
    return (), (table,), ("; ".join(cited) + ".",)


def _summary(weeks: pd.DataFrame, scores: pd.DataFrame, start: dt.date, end: dt.date) -> Section:
    rows = tuple(
        (
            label,
            f"{charts.STATUS_SYMBOLS[status]} {status}",
            _num(during, 0),
            _num(morning),
            _num(mean),
            _num(worst, 0),
            change or "—",
        )
        for label, status, during, morning, mean, worst, change in zip(
            _week_label(weeks),
            weeks["pain_status"],
            weeks["pain_during_worst"],
            weeks["next_morning_mean"],
            weeks["pain_mean"],
            weeks["pain_worst"],
            weeks["pain_change"],
            strict=True,
        )
    )
    status = Table(
        ("Week of", "Pain model", "During runs", "Next morning", "Usual pain", "Worst", "Week to week"),
        rows,
        (1.3, 2.8, 1.1, 1.0, 0.9, 0.7, 1.0),
    )
    outcome_words, outcome_tables, cited = _outcomes(scores, start, end)
    return Section(
        SUMMARY,
        sentences=(_statuses(weeks), _trend(weeks), *outcome_words),
        tables=(status, *outcome_tables),
        notes=(
            *cited,
            "Pain 0-10 (numeric rating scale). Pain model: during runs at most 5/10, settled by the next morning, "
            "weekly pain not rising (Silbernagel et al. 2007): ✓ within the limits, ! over a limit, ○ no runs, – no "
            "data. During runs: the worst score; usual pain: the mean of the week's daily check-ins; worst: its "
            "highest score; next morning: the mean the morning after runs. MIC: minimal important change.",
        ),
    )


def _longest(runs: pd.DataFrame, weeks: pd.DataFrame) -> pd.Series:
    """The longest single run of each week, in metres (NaN for a week without a run)."""
    if runs.empty:
        return pd.Series(math.nan, index=weeks.index)
    by_week = runs.groupby(monday_of(runs["date"]))["distance_m"].max()
    return pd.Series(by_week.reindex(weeks["week"]).to_numpy(), index=weeks.index)


def _load(weeks: pd.DataFrame, history: dashboard.History, runs: pd.DataFrame) -> Section:
    unit, name = history.unit, UNIT_NAMES[history.unit]
    longest = _longest(runs, weeks)
    rows = tuple(
        (
            label,
            _num(to_unit(distance, unit)),
            _pct(change) + (" (restart)" if flag == load.FLAG_RESTART else ""),
            _num(to_unit(far, unit)) if not pd.isna(far) else "—",
            str(int(runs_n)),
            format_duration(seconds) if seconds else "—",
            _num(ratio, 2),
        )
        for label, distance, change, flag, far, runs_n, seconds, ratio in zip(
            _week_label(weeks),
            weeks["distance_m"],
            weeks["change_pct"],
            weeks["change_flag"],
            longest,
            weeks["runs"],
            weeks["run_time_s"],
            weeks["acwr_run"],
            strict=True,
        )
    )
    table = Table(
        ("Week of", f"Distance ({name})", "Change", f"Longest run ({name})", "Runs", "Running time", "Load ratio"),
        rows,
        (1.3, 1.2, 1.2, 1.3, 0.6, 1.1, 1.0),
    )
    said = dashboard.summary(weeks, unit, dashboard.OVERVIEW)
    sentences = [line for line in said if line.startswith("In the week of")]
    sentences += dashboard.summary(weeks, unit, dashboard.LOAD)
    note = dashboard.load_note(history, weeks)
    return Section(
        LOAD,
        sentences=tuple(sentences),
        tables=(table,),
        charts=(_chart(charts.mileage_and_pain(weeks, unit)), _chart(charts.load_ratio(weeks))),
        notes=(
            "Change: distance over the week before, (this − last) ÷ last; over 30% is a soft flag (Nielsen et al. "
            "2014). Load ratio: running load (effort × minutes, Foster et al. 2001), exponentially weighted 7 ÷ 28 "
            "days at the end of the week (Williams et al. 2017): a trend to read, not a risk score.",
            *([note] if note else []),
        ),
    )


def _stretch_table(items: pd.DataFrame, weeks: pd.DataFrame, library: StretchLibrary) -> Table:
    """Per stretch and side: the days it was done in the period, the days planned and the share of the plan (at
    most 100%, as the weekly compliance)."""
    sides = routine_items(library)
    names = {stretch.id: stretch.name for stretch in library.stretches}
    planned = float(weeks["stretch_planned"].sum()) / len(sides) if len(weeks) else 0.0
    done = items.assign(day=items["date"].dt.normalize()).drop_duplicates(["day", "stretch_id", "side"])
    counts = done.groupby(["stretch_id", "side"]).size()
    rows = []
    for stretch_id, side in sides:
        days = int(counts.get((stretch_id, side), 0))
        share = f"{min(days / planned, 1.0):.0%}" if planned else "—"
        rows.append((names[stretch_id], side, str(days), _num(planned, 0), share))
    return Table(("Stretch", "Side", "Days done", "Planned", "% of planned"), tuple(rows), (3.2, 0.9, 0.9, 0.9, 1.1))


def _programme(frames: Frames, start: dt.date, end: dt.date, unit: Unit) -> tuple[Table, ...]:
    """What was done in the period's gym sessions, per exercise, where logged (:func:`kneelog.analysis.programme.
    progression`), the heaviest load in the runner's unit (kg or lb); nothing when no exercise was logged."""
    logs = frames.get("gym_exercise")
    weeks = programme.progression(logs, start, end) if logs is not None and len(logs) else pd.DataFrame()
    if weeks.empty:
        return ()
    rows = []
    for _, done in weeks.groupby("exercise", sort=False):
        reps, seconds, top = done["reps"].sum(min_count=1), done["seconds"].sum(min_count=1), done["top_load_kg"].max()
        work = (
            f"{reps:.0f} repetitions" if not pd.isna(reps) else f"{seconds:.0f} s held" if not pd.isna(seconds) else "—"
        )
        rows.append(
            (
                str(done["name"].iloc[-1]),
                str(int(done["sessions"].sum())),
                f"{done['sets'].sum():.0f}",
                work,
                "body weight" if pd.isna(top) else f"{load_in_unit(top, unit):g} {mass_unit(unit)}",
                _num(done["pain_max"].max(), 0),
            )
        )
    return (
        Table(
            ("Exercise done", "Sessions", "Sets", "Work", "Heaviest load", "Knee pain, worst"),
            tuple(rows),
            (3.0, 0.9, 0.7, 1.4, 1.1, 1.1),
        ),
    )


def _adherence(
    weeks: pd.DataFrame, frames: Frames, library: StretchLibrary, start: dt.date, end: dt.date, unit: Unit
) -> Section:
    items = frames["stretch_item"]
    items = items[(items["date"] >= pd.Timestamp(start)) & (items["date"] <= pd.Timestamp(end))]
    gym = Table(
        ("Week of", "Gym sessions", "Gym plan", "Against the plan", "Stretching, % of plan"),
        tuple(
            (label, str(int(done)), str(int(plan)), vs, "—" if pd.isna(share) else f"{share:.0%}")
            for label, done, plan, vs, share in zip(
                _week_label(weeks),
                weeks["gym_sessions"],
                weeks["gym_recommended"],
                weeks["gym_vs_plan"],
                weeks["stretch_compliance"],
                strict=True,
            )
        ),
        (1.3, 1.0, 0.9, 1.3, 1.4),
    )
    complete = weeks[weeks["complete"].astype(bool)]
    kept = int((complete["gym_sessions"] >= complete["gym_recommended"]).sum())
    sentences = [
        f"Gym sessions: at least the planned number in {kept} of {len(complete)} full weeks."
        if len(complete)
        else "Gym sessions: no full week in the period yet to hold against the plan."
    ]
    done = _programme(frames, start, end, unit)
    if not done:
        sentences.append(NO_PROGRAMME)
    return Section(
        ADHERENCE,
        sentences=tuple(sentences),
        tables=(_stretch_table(items, weeks, library), gym, *done),
        notes=(
            "Stretching: days each stretch and side was done ÷ the days planned (routines per week in Settings, "
            "pro-rated to the days of the period); at most one routine a day counts. Gym plan: one to three sessions "
            "a week by running distance, fewer before races and when pain is over the limits (the dashboard's "
            "methods give the whole rule).",
        ),
    )


def _findings(weeks: pd.DataFrame) -> Section:
    """The comparisons with knee pain (same week) that passed the dashboard's gates, in its words; none when none."""
    checked = int((weeks["complete"].astype(bool) & weeks["pain_mean"].notna()).sum()) if len(weeks) else 0
    rels = stats.relationships(weeks, primary_lag=0) if checked >= stats.MIN_PAIRS else pd.DataFrame()
    passed = rels[(rels["lag"] == 0) & rels["rho"].notna() & (rels["gate"] != stats.TOO_FEW)] if len(rels) else rels
    if passed.empty:
        return Section(
            FINDINGS,
            sentences=(
                f"None passed: the period holds {checked} complete week{'s' if checked != 1 else ''} with knee "
                f"check-ins, and a comparison with knee pain needs at least {stats.MIN_PAIRS} (the dashboard's gate).",
            ),
        )
    passed = passed.sort_values("primary", ascending=False, kind="stable")
    lines = [
        findings.correlation_sentence(
            row.label, 0, stats.Correlation.from_row(row), primary=bool(row.primary), p_holm=float(row.p_holm)
        )
        for row in passed.itertuples()
    ]
    lines.append(findings.looks_sentence(int(rels["rho"].notna().sum()), int(passed["primary"].sum()), 0))
    return Section(
        FINDINGS,
        sentences=tuple(lines),
        notes=(
            "ρ: Spearman's rank correlation, n complete weeks, "
            "95% interval with an effective n for autocorrelation (Bonett & Wright 2000; Bretherton 1999).",
        ),
    )


def _weeks_list(weeks: pd.Series) -> str:
    return ", ".join(_week(w) for w in weeks)


def _flags(weeks: pd.DataFrame) -> Section:
    lines = [
        f"Pain limit broken, week of {_week(row.week)}: {row.pain_reasons}."
        for row in weeks[weeks["pain_status"] == pain.STATUS_OVER].itertuples()
    ]
    lines += [
        f"Distance {_pct(row.change_pct)} over the week before, week of {_week(row.week)} (over 30%)."
        for row in weeks[weeks["change_flag"] == load.FLAG_OVER].itertuples()
    ]
    missed = weeks[weeks["checkin_days"] < weeks["days"]]
    if len(missed):
        lines.append(
            "Missed check-ins: "
            + "; ".join(
                f"week of {_week(row.week)} {row.checkin_days} of {row.days} days checked in"
                for row in missed.itertuples()
            )
            + "."
        )
    return Section(FLAGS, sentences=tuple(lines) or ("No flags in this period.",))


#: The runner's notes: store frame, its notes column, the entry's name in the report.
NOTE_SOURCES = (("run", "notes", "run"), ("gym", "notes", "gym"), ("stretch", "notes", "stretching"),
                ("checkin", "note", "check-in"))  # fmt: skip


def _score_name(measure: str) -> str:
    """An outcome score's or functional test's short name (``AKPS (Kujala)``, ``Step-down``)."""
    scale = outcomes.SCALES.get(measure)
    return scale.short if scale else outcomes.TESTS.get(measure, "score")


def _notes(frames: Frames, scores: pd.DataFrame, start: dt.date, end: dt.date) -> Section:
    """The runner's notes of the period (of entries and of outcome scores), the latest :data:`MAX_NOTES` oldest
    first, each cut at :data:`NOTE_CHARS` (their own words, printed as text)."""
    sources = [(frames.get(kind), column, lambda _, words=words: words) for kind, column, words in NOTE_SOURCES]
    sources.append((scores, "note", _score_name))
    found = []
    for frame, column, words in sources:
        if frame is None or frame.empty:
            continue
        inside = frame[(frame["date"] >= pd.Timestamp(start)) & (frame["date"] <= pd.Timestamp(end))]
        measures = inside["measure"] if "measure" in inside else pd.Series("", index=inside.index)
        for day, text, measure in zip(inside["date"], inside[column], measures, strict=True):
            text = " ".join(str(text or "").split())
            if text:
                cut = text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1] + "…"
                found.append((day, f"{day:%a %d %b}, {words(measure)}: {cut}"))
    found.sort(key=lambda pair: pair[0])
    lines = tuple(line for _, line in found[-MAX_NOTES:])
    more = len(found) - len(lines)
    return Section(
        NOTES,
        lines=lines,
        sentences=() if found else ("No notes in this period.",),
        notes=(f"{more} earlier notes in this period are in kneelog's History.",) if more else (),
    )


def _held(frames: Frames, start: dt.date, end: dt.date) -> tuple[str, bool]:
    days = pd.concat(
        [frames[k]["date"] for k in ("run", "gym", "stretch_item", "checkin") if len(frames[k])]
        or [pd.Series([], dtype="datetime64[ns]")]
    )
    inside = days[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    if inside.empty:
        return "", False
    first, last = inside.min(), inside.max()
    return f"Entries in this period: {first:%d %b %Y} to {last:%d %b %Y}.", True


def build(
    frames: Frames,
    settings: Settings,
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date,
    name: str | None = None,
    scores: pd.DataFrame | None = None,
    library: StretchLibrary | None = None,
) -> Report:
    """The physio report for the weeks from ``start`` to ``end``.

    Args:
        frames: the store frames named in :data:`kneelog.analysis.weekly.KINDS`, ``stretch`` (its notes) and,
            where kneelog keeps them, ``gym_exercise`` (what was done in the gym sessions).
        settings: the runner's settings (unit, stretch plan, name).
        start: any day of the first week (the report starts on its Monday).
        end: any day of the last week (the report ends on its Sunday).
        today: the runner's today: its week is "so far", as in ``kneelog weekly``.
        name: the athlete's name; default ``settings.athlete_name``.
        scores: the outcome scores (``Store.outcome_scores()``); the weekly pain during running is added from the
            runs (:func:`kneelog.analysis.outcomes.with_running_pain`).
        library: the stretch library; default the shipped one.

    Returns:
        A :class:`~kneelog.report.model.Report`; a period with no entry gives a report that says so.

    Raises:
        ValueError: when ``end`` is before ``start``.
    """
    first, last = monday(start), monday(end) + dt.timedelta(days=6)
    if last < first:
        raise ValueError(f"the period ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y})")
    library = library or load_library()
    scores = outcomes.empty_scores() if scores is None else scores
    history = dashboard.history(frames, settings, today=today, routine_sides=routine_size(library))
    weeks = history.weekly
    if not history.empty:
        weeks = weeks[(weeks["week"] >= pd.Timestamp(first)) & (weeks["week"] <= pd.Timestamp(last))]
        weeks = weeks.reset_index(drop=True)
    held, any_data = _held(frames, first, last)
    report = Report(
        title="Knee and training report",
        name=settings.athlete_name if name is None else name,
        start=first,
        end=last,
        made=today,
        unit=settings.unit,
        unit_words=UNIT_WORDS[settings.unit],
        weeks=((last - first).days + 1) // 7,
        held=held,
        disclaimer=DISCLAIMER,
    )
    if not any_data or weeks.empty:
        nothing = f"Nothing was logged in this period ({report.period}), so there is nothing to report."
        whole = latest_entry(frames)
        if whole is not None:
            nothing += f" The latest entry in kneelog is from {whole:%d %b %Y}: choose a period that includes it."
        return replace(report, empty=nothing)
    with charts.unchecked():
        sections = (
            _summary(weeks, outcomes.with_running_pain(scores, frames["run"]), first, last),
            _load(weeks, history, frames["run"]),
            _adherence(weeks, frames, library, first, last, settings.unit),
            _findings(weeks),
            _flags(weeks),
            _notes(frames, scores, first, last),
        )
    return replace(report, sections=sections)
