"""Findings in plain words: never causal, always n and an interval, never absence from a wide interval, honest about
many looks and which comparisons were chosen in advance; carry-over apart from the factors; methods cited."""

import math
import re

import pandas as pd
import pytest

from kneelog.analysis import findings, load, pain, stats

CAUSAL = re.compile(r"\b(cause[sd]?|causing|predicts?|leads? to|results? in|because of|due to)\b", re.IGNORECASE)


@pytest.mark.parametrize(
    ("rho", "word"),
    [(0.05, "negligible"), (-0.09, "negligible"), (0.1, "weak"), (-0.29, "weak"), (0.3, "moderate"), (0.5, "strong")],
)
def test_strength_words_follow_cohen(rho, word):
    assert findings.strength(rho) == word


@pytest.mark.parametrize(("value", "text"), [(0.1234, "0.12"), (-0.5, "−0.50"), (-0.000171, "−0.0002"), (0.0, "0.00")])
def test_numbers_use_true_minus_signs_and_never_round_to_a_false_zero(value, text):
    assert findings.number(value) == text


def _corr(rho: float, low: float, high: float, n: int = 30) -> stats.Correlation:
    return stats.Correlation(n, rho, low, high, n * 0.8, stats.gate(n))


def test_a_finding_gives_rho_its_interval_and_n():
    sentence = findings.correlation_sentence("weekly distance", 1, _corr(0.42, 0.1, 0.66))
    assert "ρ = 0.42, 95% interval 0.10 to 0.66, 30 weeks" in sentence
    assert "one week later" in sentence and "moderate" in sentence
    assert "leaves out zero" in sentence and "not that one drives the other" in sentence


def test_a_finding_whose_interval_includes_zero_says_the_data_cannot_tell():
    sentence = findings.correlation_sentence("gym sessions", 0, _corr(-0.2, -0.5, 0.15))
    assert "less knee pain" in sentence
    assert "cannot tell it apart from no relationship" in sentence


def test_a_finding_below_26_weeks_is_a_first_look():
    short = findings.correlation_sentence("gym sessions", 2, _corr(0.4, 0.1, 0.7, n=20), primary=True, p_holm=0.01)
    assert "Fewer than 26 weeks" in short
    full = findings.correlation_sentence("gym sessions", 2, _corr(0.4, 0.1, 0.7, n=26), primary=True, p_holm=0.01)
    assert "Fewer than 26 weeks" not in full and "Exploratory" not in full


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (-0.34, 0.42, "these weeks cannot rule out a moderate relationship either way"),  # reaches ±0.3 both ways
        (-0.30, 0.30, "these weeks cannot rule out a moderate relationship either way"),  # the cut-off itself
        (-0.20, 0.35, "these weeks cannot rule out a moderate relationship with more knee pain"),
        (-0.33, 0.12, "these weeks cannot rule out a moderate relationship with less knee pain"),
        (-0.15, 0.20, "the whole interval lies between −0.3 and 0.3, so these weeks rule out a moderate relationship"),
    ],
)
def test_a_correlation_close_to_zero_never_claims_absence_from_a_wide_interval(low, high, words):
    sentence = findings.correlation_sentence("weekly distance", 0, _corr(0.04, low, high))
    assert "close to zero here (ρ = 0.04" in sentence
    assert words in sentence
    assert "no relationship worth the name" not in sentence


@pytest.mark.parametrize(
    ("primary", "p_holm", "words"),
    [
        (True, 0.012, "One of the 3 comparisons chosen in advance: after Holm's correction for making 3, it holds up"),
        (True, 0.012, "it holds up (adjusted p = 0.012)"),
        (True, 0.21, "chance alone could give this (adjusted p = 0.210)"),
        (False, math.nan, "Exploratory: not one of the comparisons chosen in advance."),
    ],
)
def test_a_finding_says_whether_it_was_chosen_in_advance(primary, p_holm, words):
    corr = _corr(0.42, 0.1, 0.66)
    assert words in findings.correlation_sentence("stretch compliance", 1, corr, primary=primary, p_holm=p_holm)


def test_week_over_week_change_reads_as_a_rise_in_distance():
    sentence = findings.correlation_sentence("week-over-week distance change", 0, _corr(0.42, 0.1, 0.66))
    assert "weeks with a bigger rise in distance over the week before tended to have more knee pain" in sentence


def test_a_finding_not_shown_says_why():
    corr = stats.spearman(range(5), range(5))
    sentence = findings.correlation_sentence("stretch compliance", 3, corr)
    assert sentence.endswith("not shown yet — needs 7 more paired weeks.")


@pytest.mark.parametrize("rho", [-0.95, -0.6, -0.35, -0.15, -0.05, 0.0, 0.05, 0.15, 0.35, 0.6, 0.95])
@pytest.mark.parametrize("lag", [0, 1, 2, 3])
def test_no_finding_claims_a_cause(rho, lag):
    corr = _corr(rho, max(-1, rho - 0.3), min(1, rho + 0.3))
    for sentence in (
        findings.correlation_sentence("weekly distance", lag, corr),
        findings.run_day_sentence(corr),
        findings.looks_sentence(18),
    ):
        assert not CAUSAL.search(sentence), sentence


def _terms(**carry) -> pd.DataFrame:
    """Regression terms: every factor with an interval around zero, then carry-over (``carry`` overrides it)."""
    rows = [
        {"term": d, "label": label, "per": f"one step more {label}", "coef": 0.05, "low": -0.1, "high": 0.2}
        for d, label in stats.DRIVERS.items()
    ]
    rows.append(
        {"term": stats.CARRY_OVER, "label": "last week's pain", "per": "one point more pain the week before"}
        | {"coef": 0.4, "low": 0.2, "high": 0.6}
        | carry
    )
    return pd.DataFrame(rows).assign(vif=1.0)


def _rels(lag: int, shown: bool = True) -> pd.DataFrame:
    corr = _corr(0.2, -0.1, 0.5) if shown else stats.spearman(range(5), range(5))
    rels = pd.DataFrame(
        [
            {"driver": d, "label": label, "lag": k, **corr.__dict__}
            for d, label in stats.DRIVERS.items()
            for k in stats.LAGS
        ]
    )
    rels["primary"] = rels["driver"].isin(stats.PRIMARY) & (rels["lag"] == lag)
    rels["p_holm"] = rels["p"].where(rels["primary"])
    return rels


def test_the_findings_count_every_look_and_name_those_chosen_in_advance():
    # 5 factors × 4 lags = 20 correlations + 1 run-day correlation + 6 regression terms (5 factors, carry-over) = 27
    # looks; 3 chosen in advance, 24 exploratory, of which about 24/20 = 1.2 leave out zero by chance alone
    reg = stats.Regression(30, stats.ENOUGH, 3, 0.2, _terms())
    lines = findings.relationship_findings(_rels(1), 1, _corr(0.1, -0.1, 0.3), reg)
    assert len(lines) == len(stats.DRIVERS) + 4  # factors, run days, regression, carry-over, looks
    assert "These are 27 looks at the same weeks: 3 chosen in advance" in lines[-1]
    assert "and 24 exploratory" in lines[-1] and "here about 1.2" in lines[-1]
    family = "week-over-week distance change, stretch compliance and gym sessions against knee pain one week later"
    assert family in lines[-1]
    assert all("one week later" in line for line in lines[: len(stats.DRIVERS)])
    assert all("One of the 3 comparisons chosen in advance" in line for line in lines[:3])  # the family comes first
    assert all("Exploratory" in line for line in lines[3 : len(stats.DRIVERS)])


def test_correlations_not_shown_are_not_counted_as_looks():
    # nothing shown at any lag: 0 + 1 run-day correlation + 6 regression terms = 7 looks, all exploratory
    reg = stats.Regression(30, stats.ENOUGH, 3, 0.2, _terms())
    lines = findings.relationship_findings(_rels(0, shown=False), 0, _corr(0.1, -0.1, 0.3), reg)
    assert "These are 7 looks at the same weeks: 7 exploratory" in lines[-1]


def test_carry_over_is_worded_on_its_own_not_as_a_factor():
    reg = stats.Regression(40, stats.ENOUGH, 3, 0.3, _terms())
    lines = findings.regression_sentences(reg)
    carry = [line for line in lines if line.startswith("**Carry-over**")]
    assert len(carry) == 1
    assert "a week with one point more pain was followed by 0.40 points more the week after" in carry[0]
    assert "(95% interval 0.20 to 0.60)" in carry[0]
    text = " ".join(lines)
    assert "last week's pain held fixed, one point more pain" not in text
    assert "no factor's interval leaves out zero" in lines[0]  # carry-over is not counted as a factor


def test_carry_over_whose_interval_includes_zero_says_the_weeks_cannot_tell():
    reg = stats.Regression(40, stats.ENOUGH, 3, 0.3, _terms(coef=-0.05, low=-0.3, high=0.2))
    carry = next(line for line in findings.regression_sentences(reg) if line.startswith("**Carry-over**"))
    assert "0.05 points less the week after" in carry and "cannot tell how much carries over" in carry


def test_the_runner_reads_factors_not_drivers():
    reg = stats.Regression(20, stats.EXPLORATORY, 3, 0.3, _terms(low=-0.1))
    lines = findings.relationship_findings(_rels(0), 0, _corr(0.1, -0.1, 0.3), reg)
    lines += findings.regression_sentences(stats.regression(pd.DataFrame(columns=[*stats.DRIVERS, "pain_mean"])))
    lines += [text for _, text in findings.METHODS]
    assert not [line for line in lines if "driver" in line.lower()]


def test_the_regression_finding_speaks_of_steps_and_intervals():
    terms = pd.DataFrame(
        [
            {"term": "distance_m", "label": "weekly distance", "per": "10 km more in a week", "coef": 0.21},
            {"term": "gym_sessions", "label": "gym sessions", "per": "one more gym session", "coef": -0.05},
        ]
    ).assign(low=[0.12, -0.2], high=[0.31, 0.1], vif=[6.0, 1.1])
    reg = stats.Regression(40, stats.ENOUGH, 3, 0.3, terms, collinear=("weekly distance", "session load"))
    lines = findings.regression_sentences(reg)
    assert "10 km more in a week went with 0.21 points more weekly knee pain (95% interval 0.12 to 0.31)" in lines[0]
    assert len([line for line in lines if "gym" in line]) == 0  # its interval includes zero: not singled out
    assert "rose and fell together" in lines[1]


def test_the_regression_below_twelve_weeks_is_not_shown():
    reg = stats.regression(pd.DataFrame(columns=[*stats.DRIVERS, "pain_mean"]))
    assert findings.regression_sentences(reg)[0].startswith("**All factors together**: not shown yet")


def _week(**values) -> dict:
    base = {
        "week": pd.Timestamp("2026-03-02"),
        "complete": True,
        "distance_m": 30_000.0,
        "change_pct": 10.0,
        "change_flag": "",
        "pain_status": pain.STATUS_WITHIN,
        "pain_reasons": "",
        "acwr_run": math.nan,
        "acwr": math.nan,
        "gym_recommended": 2,
        "gym_reason": "steady or lighter running",
        "gym_sessions": 1,
    }
    return base | values


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"change_pct": 40.0, "change_flag": load.FLAG_OVER}, "above the 30% step that Nielsen et al. (2014)"),
        ({"change_pct": math.nan, "change_flag": load.FLAG_RESTART}, "a restart"),
        ({"change_pct": -20.0}, "20% less than the week before"),
        ({"pain_status": pain.STATUS_OVER, "pain_reasons": "pain during a run reached 7/10"}, "reached 7/10"),
        (
            {"acwr_run": 1.97, "acwr": 1.32},  # the 12 Jul: gym load hid the running spike
            "running load, weighted towards the last 7 days, is above its 28-day weighted average (acute:chronic "
            "ratio 1.97; with gym sessions 1.32)",
        ),
        ({"acwr_run": 0.9, "acwr": 1.0}, "below its 28-day weighted average (acute:chronic ratio 0.90;"),
        ({"acwr": 1.3}, "training load (runs and gym), weighted towards the last 7 days, is above"),  # no running
        ({"acwr_run": 1.0}, "not a risk score"),
        ({}, "Gym plan for the week of 02 Mar: 2 sessions (steady or lighter running); done so far: 1."),
    ],
)
def test_load_findings_describe_the_latest_weeks(values, expected):
    lines = findings.load_findings(pd.DataFrame([_week(**values)]), "km")
    assert any(expected in line for line in lines), lines


def test_load_findings_count_the_weeks_that_kept_to_the_gym_plan():
    weeks = pd.DataFrame(
        [
            _week(gym_sessions=2, gym_recommended=2),
            _week(gym_sessions=1, gym_recommended=3),
            _week(gym_sessions=3, gym_recommended=1),
            _week(gym_sessions=0, gym_recommended=2, complete=False),
        ]
    )
    assert "in 2 of the 3 full weeks shown" in findings.load_findings(weeks, "km")[-1]


def test_the_load_findings_never_call_a_zone_risky():
    lines = findings.load_findings(pd.DataFrame([_week(acwr=1.8, change_pct=80.0, change_flag=load.FLAG_OVER)]), "km")
    text = " ".join(lines).lower()
    assert "danger" not in text and "injury risk" not in text and not CAUSAL.search(text)


@pytest.mark.parametrize(
    "citation",
    [
        "Foster et al. 2001",
        "Nielsen et al.",
        "Buist et al. 2008",
        "Williams et al. 2017",
        "Impellizzeri et al. 2021",
        "Foster 1998",
        "Silbernagel et al. (2007",
        "Farrar et al. 2001",
        "Bonett & Wright (2000)",
        "Newey & West 1987",
        "Bretherton et al. 1999",
        "Holm 1979",
        "Box & Jenkins 1976",
    ],
)
def test_every_method_is_cited_in_the_app_text(citation):
    assert citation in " ".join(text for _, text in findings.METHODS)


def test_the_ten_percent_rule_is_not_presented_as_evidence():
    text = dict(findings.METHODS)["Week-over-week change"]
    assert "10% rule is not used" in text
