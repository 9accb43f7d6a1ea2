"""Findings in plain words: never causal, always n and an interval, honest about many looks; methods cited."""

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
    assert "the week after" in sentence and "moderate" in sentence
    assert "leaves out zero" in sentence and "not that one drives the other" in sentence


def test_a_finding_whose_interval_includes_zero_says_the_data_cannot_tell():
    sentence = findings.correlation_sentence("gym sessions", 0, _corr(-0.2, -0.5, 0.15))
    assert "less knee pain" in sentence
    assert "cannot tell it apart from no relationship" in sentence


def test_a_finding_below_26_weeks_is_exploratory():
    assert "Exploratory" in findings.correlation_sentence("session load", 2, _corr(0.4, 0.1, 0.7, n=20))
    assert "Exploratory" not in findings.correlation_sentence("session load", 2, _corr(0.4, 0.1, 0.7, n=26))


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


def test_the_findings_mention_the_many_looks_at_the_same_weeks():
    rels = pd.DataFrame(
        [
            {"driver": d, "label": label, "lag": lag, **_corr(0.2, -0.1, 0.5).__dict__}
            for d, label in stats.DRIVERS.items()
            for lag in stats.LAGS
        ]
    )
    reg = stats.Regression(
        30, stats.ENOUGH, 3, 0.2, pd.DataFrame(columns=["term", "label", "per", "coef", "low", "high"])
    )
    lines = findings.relationship_findings(rels, 1, _corr(0.1, -0.1, 0.3), reg)
    assert len(lines) == len(stats.DRIVERS) + 3
    assert "18 looks at the same weeks" in lines[-1] and "chance" in lines[-1]
    assert all("the week after" in line for line in lines[: len(stats.DRIVERS)])


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
    reg = stats.regression(
        pd.DataFrame(columns=["distance_m", "load", "gym_sessions", "stretch_compliance", "pain_mean"])
    )
    assert findings.regression_sentences(reg)[0].startswith("**All drivers together**: not shown yet")


def _week(**values) -> dict:
    base = {
        "week": pd.Timestamp("2026-03-02"),
        "complete": True,
        "distance_m": 30_000.0,
        "change_pct": 10.0,
        "change_flag": "",
        "pain_status": pain.STATUS_WITHIN,
        "pain_reasons": "",
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
        ({"acwr": 1.3}, "above your 28-day average (acute:chronic ratio 1.30)"),
        ({"acwr": 1.0}, "not a risk score"),
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
    ],
)
def test_every_method_is_cited_in_the_app_text(citation):
    assert citation in " ".join(text for _, text in findings.METHODS)


def test_the_ten_percent_rule_is_not_presented_as_evidence():
    text = dict(findings.METHODS)["Week-over-week change"]
    assert "10% rule is not used" in text
