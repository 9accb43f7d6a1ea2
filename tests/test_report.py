"""The physio report (kneelog.report, ``kneelog report``): read back from its PDF with poppler's pdftotext/pdftoppm.

poppler-utils (Debian) gives pdftotext, pdfinfo and pdftoppm: .ci/run installs it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from kneelog.cli import main
from kneelog.clock import local_today, monday
from kneelog.demo import load_demo
from kneelog.models import ExerciseLog, GymSession, KneeCheckin, QuestionnaireScore, Run, Settings
from kneelog.report import build, source, to_html, to_pdf
from kneelog.report.build import ADHERENCE
from kneelog.report.build import _stretch_table as stretch_table
from kneelog.store import Store
from kneelog.stretches import load_library, routine_items

HEADINGS = ["Summary", "Load", "Adherence", "Findings that passed the gates", "Flags", "Runner's notes", "Please read"]
#: A4 in PDF points (1/72 inch): 210 × 297 mm.
A4_POINTS = (595.28, 841.89)


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text in reading order (``-raw``: table rows stay on one line)."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(
        ["pdftotext", "-raw", *pages, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def cli_report(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A year of the demo athlete ending today, and its eight-week report made by ``kneelog report``."""
    folder = tmp_path_factory.mktemp("report")
    url = f"sqlite:///{folder / 'demo.db'}"
    store = Store(url)
    load_demo(store)
    store.save_settings(Settings(timezone="UTC", athlete_name="Zoë Ørsted"))
    store.dispose()
    pdf = folder / "report.pdf"
    assert main(["report", "--db", url, "--weeks", "8", "-o", str(pdf)]) == 0
    return url, pdf


def test_the_eight_week_report_names_the_athlete_and_period_and_has_every_section_in_order(demo):
    url, pdf = demo
    text = pdf_text(pdf)
    today = local_today("UTC")  # the demo ends today, so the last of the eight weeks is this one
    last_monday = monday(today)
    first_monday = last_monday - dt.timedelta(weeks=7)
    period = f"{first_monday:%a %-d %b %Y} to {last_monday + dt.timedelta(days=6):%a %-d %b %Y} (8 weeks)"
    assert "Athlete Zoë Ørsted" in text
    assert f"Period {period}" in text
    assert f"Made {today:%d %b %Y}" in text
    assert "distance in kilometres" in text
    places = [_line(text, heading) for heading in HEADINGS]
    assert places == sorted(places)
    assert "not a diagnosis" in text and "do not show that one thing causes another" in text


def test_eight_weeks_fit_on_two_a4_pages_that_render(demo, tmp_path):
    _, pdf = demo
    assert pdf_pages(pdf) == 2
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (width, height) == pytest.approx(A4_POINTS, abs=0.5)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "page")], check=True)
    assert sorted(p.name for p in tmp_path.glob("page-*.png")) == ["page-1.png", "page-2.png"]
    assert pdf.stat().st_size < 1_000_000


def _line(text: str, line: str) -> int:
    """Where ``line`` stands alone on a line of ``text`` (a page break, form feed, may come before it)."""
    return re.search(rf"^\f?{re.escape(line)}$", text, re.M).start()


def _row(text: str, heading: str, week: str) -> list[str]:
    """The table row of ``week`` (``05 Oct``) in the section under ``heading``, split at spaces."""
    section = text[_line(text, heading) :]
    line = next(line for line in section.splitlines() if line.startswith(week + " "))
    return re.sub(r"^ \((so far|part)\)", "", line.removeprefix(week)).split()  # a part week says so


def test_the_report_numbers_equal_kneelog_weekly_for_those_weeks(demo, capsys):
    url, pdf = demo
    assert main(["weekly", "--db", url, "--format", "json"]) == 0
    weeks = json.loads(capsys.readouterr().out)[-8:]  # the demo reaches this week: the report's last eight weeks
    text = pdf_text(pdf)
    for week in weeks:
        label = f"{dt.date.fromisoformat(week['week']):%d %b}"
        load = _row(text, "Load", label)
        if week["acwr_run"] is not None:
            assert load[-1] == f"{week['acwr_run']:.2f}"
        assert load[0] == f"{week['distance_km']:.1f}" and load[3] == str(week["runs"])
        if week["change_pct"] is not None:
            assert f"{week['change_pct']:+.0f}%".replace("-", "−") in load
        pain = _row(text, "Summary", label)
        if week["pain_mean"] is not None:
            assert f"{week['pain_mean']:.1f}" in pain
        assert " ".join(pain).startswith(week["pain_status"].split(":")[0], 2)  # after its symbol


def test_an_outcome_score_is_reported_against_its_minimal_important_change(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.add_many(
        [
            Run(date=dt.date(2026, 3, 2), distance_m=5000, duration_s=1800, pain_during=3),
            QuestionnaireScore(date=dt.date(2026, 3, 3), scale="akps", score=62),
            QuestionnaireScore(date=dt.date(2026, 3, 24), scale="akps", score=75),  # +13: beyond the MIC of 10
            QuestionnaireScore(date=dt.date(2026, 3, 4), scale="koos_pf", score=50),
            QuestionnaireScore(date=dt.date(2026, 3, 25), scale="koos_pf", score=60),  # +10: short of 16.4
        ]
    )
    got = source.read(store)
    report = build(got.frames, got.settings, dt.date(2026, 3, 2), dt.date(2026, 3, 29), today=dt.date(2026, 4, 1),
                   scores=got.scores)  # fmt: skip
    [summary] = [s for s in report.sections if s.heading == "Summary"]
    rows = {row[0].split(" (0-100")[0]: row for row in summary.tables[1].rows}
    assert rows["AKPS (Kujala)"][3:] == ("+13", "10", "yes: better")
    assert rows["KOOS-PF"][3:] == ("+10.0", "16.4", "no")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--from", "2020-01-06", "--to", "2020-02-02"], "Nothing was logged in this period"),
        (["--weeks", "4"], "Nothing was logged in this period"),
    ],
)
def test_a_period_without_entries_says_so_on_its_first_page(tmp_path, capsys, args, says):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    if args[0] == "--from":  # entries, but none in the period
        Store(url).add(Run(date=dt.date(2026, 3, 2), distance_m=5000, duration_s=1800))
    out = tmp_path / "empty.pdf"
    code, _, err = cli_report(capsys, "--db", url, *args, "-o", str(out))
    assert (code, err) == (0, "")
    assert says in pdf_text(out, 1, 1)
    assert pdf_pages(out) == 1


HOSTILE = '<b>Zoë</b> =SUM(A1) **bold** & "x" 李'


def test_a_name_with_markup_or_formula_characters_is_printed_as_text(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.add(Run(date=dt.date(2026, 3, 2), distance_m=5000, duration_s=1800, notes="<script>alert(1)</script>"))
    got = source.read(store)
    report = build(got.frames, got.settings, dt.date(2026, 3, 2), dt.date(2026, 3, 8), today=dt.date(2026, 3, 9),
                   name=HOSTILE)  # fmt: skip
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(to_pdf(report))
    text = pdf_text(pdf)
    assert '<b>Zoë</b> =SUM(A1) **bold** & "x"' in text  # DejaVu has no Chinese: 李 is left out, nothing else is
    assert "<script>alert(1)</script>" in text
    html = to_html(report)
    assert "&lt;b&gt;Zoë&lt;/b&gt; =SUM(A1) **bold** &amp; &quot;x&quot; 李" in html
    assert "<script" not in html and "<b>Zoë" not in html


def test_the_web_page_is_self_contained(demo):
    url, _ = demo
    got = source.read(Store(url))
    today = local_today("UTC")
    html = to_html(build(got.frames, got.settings, monday(today) - dt.timedelta(weeks=3), today, today=today))
    assert html.count("<svg") == 2  # the two load charts, inline
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<script" not in html and "@media print" in html


def test_a_range_longer_than_the_data_reports_the_weeks_asked_and_where_entries_are(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    Store(url).add_many(
        [
            Run(date=dt.date(2026, 3, 2), distance_m=5000, duration_s=1800),  # a Monday: a whole first week
            Run(date=dt.date(2026, 3, 9), distance_m=6000, duration_s=2100),
        ]
    )
    out = tmp_path / "r.pdf"
    code, said, _ = cli_report(capsys, "--db", url, "--from", "2026-01-05", "--to", "2026-05-31", "-o", str(out))
    assert code == 0
    assert "Mon 5 Jan 2026 to Sun 31 May 2026 (21 weeks)" in said  # 5 Jan to 31 May: 147 days
    text = pdf_text(out)
    assert "Entries in this period: 02 Mar 2026 to 09 Mar 2026." in text
    assert _row(text, "Load", "02 Mar")[:2] == ["5.0", "—"]  # the first week with data: no week before it
    assert _row(text, "Load", "09 Mar")[:2] == ["6.0", "+20%"]  # 6 km after 5 km: 20% more
    assert "23 Feb " not in text  # no week before the first entry
    assert _row(text, "Load", "16 Mar")[:2] == ["0.0", "−100%"]  # after it, weeks are rest weeks, as in kneelog weekly


def test_a_database_in_miles_reports_miles(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.save_settings(Settings(unit="mi", timezone="UTC"))
    store.add_many(
        [
            Run(date=dt.date(2026, 3, 2), distance_m=16093.44, duration_s=5400),  # 10 miles
            KneeCheckin(date=dt.date(2026, 3, 2), knee="left", stairs=2, squat=3, sitting=1),
            # a leg press typed as 90 lb, stored in kilograms: 90 x 0.45359237 = 40.8233133 kg
            GymSession(
                date=dt.date(2026, 3, 3),
                duration_s=2400,
                exercises=(ExerciseLog(name="Leg press", sets=3, reps=10, load_kg=40.8233133),),
            ),
        ]
    )
    got = source.read(store)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(to_pdf(build(got.frames, got.settings, dt.date(2026, 3, 2), dt.date(2026, 3, 8),
                                 today=dt.date(2026, 3, 9))))  # fmt: skip
    text = pdf_text(pdf)
    assert "distance in miles, loads in pounds" in text and "Distance (mi)" in text
    row = _row(text, "Load", "02 Mar")
    assert row[:3] == ["10.0", "—", "10.0"]  # distance, no week before, longest run
    leg_press = next(line for line in text.splitlines() if line.strip().startswith("Leg press"))
    # exercise, sessions, sets, work, the heaviest load in the runner's unit, worst knee pain
    assert " ".join(leg_press.split()) == "Leg press 1 3 30 repetitions 90 lb —"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--to", "2026-01-01"], "--to needs --from"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "--to (2026-01-01) is before --from (2026-02-01)"),
        (["--from", "1 Feb"], "'1 Feb' is not a date as YYYY-MM-DD"),
        (["--weeks", "0"], "a report covers 1 to 522 weeks, not 0"),
    ],
)
def test_the_command_refuses_a_period_it_cannot_make(tmp_path, capsys, args, error):
    with pytest.raises(SystemExit):
        main(["report", "--db", f"sqlite:///{tmp_path / 'k.db'}", *args, "-o", str(tmp_path / "r.pdf")])
    assert error in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_a_report_that_cannot_be_written_says_where_and_fails(tmp_path, capsys):
    code, _, err = cli_report(capsys, "--db", f"sqlite:///{tmp_path / 'k.db'}", "-o", str(tmp_path / "no" / "r.pdf"))
    assert code == 1
    assert f"The report could not be written to {tmp_path / 'no' / 'r.pdf'}" in err


def test_findings_need_the_dashboards_gate_and_give_rho_interval_and_n(demo):
    url, pdf = demo
    assert "None passed: the period holds" in pdf_text(pdf)  # eight weeks are fewer than the 12 a comparison needs
    got = source.read(Store(url))
    today = local_today("UTC")
    year = build(got.frames, got.settings, monday(today) - dt.timedelta(weeks=51), today, today=today)
    [found] = [s for s in year.sections if s.heading == "Findings that passed the gates"]
    shown = [s for s in found.sentences if "95% interval" in s]
    assert shown and all(
        re.search(r"ρ = −?\d\.\d\d, 95% interval −?\d\.\d\d to −?\d\.\d\d, \d+ weeks", s) for s in shown
    )


def test_the_name_for_the_report_survives_a_backup_and_restore(tmp_path):
    from kneelog.store import backup

    made = Store(f"sqlite:///{tmp_path / 'a.db'}")
    made.save_settings(Settings(timezone="UTC", athlete_name="Zoë Ørsted =1+1"))
    made.add(Run(date=dt.date(2026, 3, 2), distance_m=5000, duration_s=1800))
    other = Store(f"sqlite:///{tmp_path / 'b.db'}")
    backup.restore_backup(other, backup.read_backup(backup.export_backup(made)))
    assert other.settings().athlete_name == "Zoë Ørsted =1+1"


def test_a_stretch_done_more_often_than_planned_is_reported_as_the_whole_plan():
    # one day of a plan of 5 routines a week: each stretch-side is planned 5/7 of a day; the first side, done that
    # day, is 100% of the plan (not 140%), every other side 0%
    library = load_library()
    sides = routine_items(library)
    first_id, first_side = sides[0]
    items = pd.DataFrame({"date": [pd.Timestamp("2026-11-30 18:00")], "stretch_id": [first_id], "side": [first_side]})
    weeks = pd.DataFrame({"stretch_planned": [len(sides) * 5 / 7]})
    table = stretch_table(items, weeks, library)
    assert table.rows[0][2:] == ("1", "1", "100%")
    assert {row[4] for row in table.rows[1:]} == {"0%"}


def test_a_period_without_a_full_week_does_not_count_gym_weeks_against_the_plan(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.save_settings(Settings(timezone="UTC"))
    store.add(Run(date=dt.date(2026, 3, 2), distance_m=5000, duration_s=1800))
    got = source.read(store)
    report = build(got.frames, got.settings, dt.date(2026, 3, 2), dt.date(2026, 3, 8), today=dt.date(2026, 3, 4))
    said = next(section for section in report.sections if section.heading == ADHERENCE).sentences
    assert said[0] == "Gym sessions: no full week in the period yet to hold against the plan."
