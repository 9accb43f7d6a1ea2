"""What the numbers say, in plain words: findings with their uncertainty, and how each figure is computed.

Findings never say that one thing causes another ("went with", "tended to", never "caused" or "predicts"), always
give n and the 95% interval, say when the data cannot tell, and remind the reader that several drivers and lags are
several looks at the same weeks. Strength words follow Cohen (1988): |ρ| below 0.1 negligible, from 0.1 weak, from
0.3 moderate, from 0.5 strong.
"""

from __future__ import annotations

import math

import pandas as pd

from kneelog.analysis import gymplan, load, pain, stats
from kneelog.units import UNIT_NAMES, to_unit


def strength(rho: float) -> str:
    """Cohen's (1988) word for the size of a correlation."""
    size = abs(rho)
    if size < 0.1:
        return "negligible"
    if size < 0.3:
        return "weak"
    return "moderate" if size < 0.5 else "strong"


def when(lag: int) -> str:
    """``the same week``, ``the week after``, ``2 weeks later``."""
    return {0: "the same week", 1: "the week after"}.get(lag, f"{lag} weeks later")


def number(value: float, digits: int = 2) -> str:
    """A number with a true minus sign; one significant digit when it would round to zero (``−0.0002``)."""
    text = f"{value:.1g}" if 0 < abs(value) < 0.5 * 10**-digits else f"{value:.{digits}f}"
    return text.replace("-", "−")


def interval(low: float, high: float, digits: int = 2) -> str:
    """``0.12 to 0.40`` with true minus signs."""
    return f"{number(low, digits)} to {number(high, digits)}"


def _sureness(corr: stats.Correlation) -> str:
    if corr.low <= 0 <= corr.high:
        return "The interval includes zero, so this data cannot tell it apart from no relationship."
    return (
        "The interval leaves out zero, but that shows how the two moved together here, not that one drives the other."
    )


def correlation_sentence(label: str, lag: int, corr: stats.Correlation, pairs: str = "weeks") -> str:
    """One finding: how a driver and knee pain moved together, how sure that is, and on how many pairs."""
    if not corr.shown:
        return f"**{label.capitalize()} and knee pain {when(lag)}**: not shown yet — {corr.reason}."
    direction = "more" if corr.rho > 0 else "less"
    head = (
        f"**{label.capitalize()} and knee pain {when(lag)}**: weeks with more {label} tended to have {direction} knee "
        f"pain {when(lag)}, a {strength(corr.rho)} relationship (ρ = {number(corr.rho)}, 95% interval "
        f"{interval(corr.low, corr.high)}, {corr.n} {pairs})."
    )
    if strength(corr.rho) == "negligible":
        head = (
            f"**{label.capitalize()} and knee pain {when(lag)}**: no relationship worth the name (ρ = "
            f"{number(corr.rho)}, 95% interval {interval(corr.low, corr.high)}, {corr.n} {pairs})."
        )
    tail = " Exploratory: fewer than 26 weeks." if corr.gate == stats.EXPLORATORY else ""
    return f"{head} {_sureness(corr)}{tail}"


def run_day_sentence(corr: stats.Correlation) -> str:
    """The finding on run days: the day's distance against the next morning's pain."""
    if not corr.shown:
        reason = corr.reason.replace("paired weeks", "weeks of runs with a morning-after score")
        return f"**Run days and next-morning pain**: not shown yet — {reason}."
    direction = "more" if corr.rho > 0 else "less"
    if strength(corr.rho) == "negligible":
        head = "longer runs and next-morning pain showed no relationship worth the name"
    else:
        size = strength(corr.rho)
        head = f"longer runs tended to be followed by {direction} pain the next morning, a {size} relationship"
    tail = " Exploratory: fewer than 26 weeks." if corr.gate == stats.EXPLORATORY else ""
    return (
        f"**Run days and next-morning pain**: {head} (ρ = {number(corr.rho)}, 95% interval "
        f"{interval(corr.low, corr.high)}, {corr.n} run days). {_sureness(corr)}{tail}"
    )


def regression_sentences(reg: stats.Regression) -> list[str]:
    """The adjusted picture in words, one sentence per predictor whose interval leaves out zero, plus caveats."""
    if reg.gate == stats.TOO_FEW:
        more = max(stats.MIN_PAIRS - reg.n, 1)
        return [
            f"**All drivers together**: not shown yet — needs about {more} more weeks with check-ins "
            "(and weeks in which the drivers vary)."
        ]
    clear = reg.terms[(reg.terms["low"] > 0) | (reg.terms["high"] < 0)]
    lines = []
    if clear.empty:
        lines.append(
            f"**All drivers together** ({reg.n} weeks): with each driver and last week's pain held fixed, no driver's "
            "interval leaves out zero: this data cannot single one out."
        )
    for row in clear.itertuples():
        direction = "more" if row.coef > 0 else "less"
        lines.append(
            f"**All drivers together** ({reg.n} weeks): with the other drivers and last week's pain held fixed, "
            f"{row.per} went with {number(abs(row.coef))} points {direction} weekly knee pain (95% interval "
            f"{interval(row.low, row.high)})."
        )
    if reg.collinear:
        lines.append(
            f"{' and '.join(reg.collinear).capitalize()} rose and fell together, so the regression cannot tell their "
            "separate parts apart; read those two as one."
        )
    if reg.dropped:
        lines.append(f"Left out because it never changed: {', '.join(reg.dropped)}.")
    if reg.gate == stats.EXPLORATORY:
        lines.append("Exploratory: fewer than 26 weeks.")
    return lines


def looks_sentence(looks: int) -> str:
    """The reminder that many comparisons are many looks at the same weeks."""
    expected = looks / 20
    return (
        f"These are {looks} looks at the same weeks (every driver at every lag, the run days and the regression). "
        f"About one look in twenty leaves out zero by chance alone — here about {expected:.1f} — so a single "
        "striking result is a question to ask your physio, not an answer."
    )


def relationship_findings(rels: pd.DataFrame, lag: int, run_day: stats.Correlation, reg: stats.Regression) -> list[str]:
    """The findings for the chosen lag, then run days, the regression and the multiple-looks reminder."""
    at_lag = rels[rels["lag"] == lag]
    lines = [correlation_sentence(row.label, lag, stats.Correlation.from_row(row)) for row in at_lag.itertuples()]
    lines.append(run_day_sentence(run_day))
    lines.extend(regression_sentences(reg))
    if rels["rho"].notna().any() or run_day.shown or reg.gate != stats.TOO_FEW:
        lines.append(looks_sentence(len(rels) + 2))
    return lines


def load_findings(weekly: pd.DataFrame, unit: str) -> list[str]:
    """Plain words about the most recent weeks: distance change, load ratio, pain status and the gym plan."""
    if weekly.empty:
        return []
    lines = []
    complete = weekly[weekly["complete"]]
    if len(complete):
        last = complete.iloc[-1]
        dist = f"{to_unit(last['distance_m'], unit):.1f} {UNIT_NAMES[unit]}"
        week = f"week of {last['week']:%d %b}"
        if last["change_flag"] == load.FLAG_RESTART:
            lines.append(f"In the {week} you ran {dist} after a week without running: a restart, take it gently.")
        elif not math.isnan(last["change_pct"]):
            change = f"{abs(last['change_pct']):.0f}% {'more' if last['change_pct'] >= 0 else 'less'}"
            flag = (
                " That is above the 30% step that Nielsen et al. (2014) linked with more injuries in novice runners: "
                "a soft flag to watch, not a rule."
                if last["change_flag"] == load.FLAG_OVER
                else ""
            )
            lines.append(f"In the {week} you ran {dist}, {change} than the week before.{flag}")
        if last["pain_status"] == pain.STATUS_OVER:
            lines.append(
                f"Pain-monitoring model, {week}: {last['pain_reasons']}. Consider easing off (Silbernagel 2007)."
            )
        elif last["pain_status"] == pain.STATUS_WITHIN:
            lines.append(f"Pain-monitoring model, {week}: within all three limits.")
    latest = weekly.iloc[-1]
    if not math.isnan(latest["acwr"]):
        level = "above" if latest["acwr"] > 1.05 else ("below" if latest["acwr"] < 0.95 else "close to")
        lines.append(
            f"Your last 7 days of load are {level} your 28-day average (acute:chronic ratio {latest['acwr']:.2f}). "
            "A trend to read, not a risk score: its published zones come from team sports and are disputed."
        )
    lines.append(
        f"Gym plan for the week of {latest['week']:%d %b}: {int(latest['gym_recommended'])} "
        f"session{'s' if latest['gym_recommended'] != 1 else ''} ({latest['gym_reason']}); done so far: "
        f"{int(latest['gym_sessions'])}."
    )
    if len(complete) >= 2:
        kept = int((complete["gym_sessions"] >= complete["gym_recommended"]).sum())
        lines.append(f"You did at least the planned gym sessions in {kept} of the {len(complete)} full weeks shown.")
    return lines


#: How every number is computed, with its source: (heading, text) pairs shown in the app.
METHODS: list[tuple[str, str]] = [
    (
        "Weeks and rest days",
        "Weeks run Monday to Sunday (ISO weeks) on your local dates. Every day without training counts as a rest "
        "day with zero load. The first and the current week may be partial; their week-over-week change is left "
        "out and their stretch plan is pro-rated.",
    ),
    (
        "Session load",
        "Effort (RPE 1–10) × minutes, for runs and gym sessions (Foster et al. 2001, *J Strength Cond Res* "
        "15:109–115). A session without an effort gets the median effort of your rated sessions of that kind (5 if "
        "none is rated); the weekly table counts these estimated sessions, and distance is always shown on its own.",
    ),
    (
        "Week-over-week change",
        "(this week − last week) ÷ last week. Weeks more than 30% above the one before get a soft flag: Nielsen et al. "
        "(2014, *JOSPT* 44:739–747) found more distance-related injuries after such steps in novice runners. "
        '"Restart" marks running after a week without. The popular 10% rule is not used: it did not reduce '
        "injuries when tested (Buist et al. 2008, *Am J Sports Med* 36:33–39).",
    ),
    (
        "Acute:chronic load ratio",
        "Exponentially weighted averages of daily load, λ = 2/(N+1) with N = 7 (acute) and 28 days (chronic), seeded "
        "with the first day's load, rest days as zero (Williams et al. 2017, *Br J Sports Med* 51:209–210). The "
        "rolling versions divide the last 7 days' mean by the 28-day mean (coupled, Hulin et al. 2016) or by the 21 "
        "days before them (uncoupled, Lolli et al. 2019). Not shown before 28 days of history or when the chronic "
        'load is zero. Shown as a trend only: its "risk zones" come from team sports and are disputed '
        "(Impellizzeri et al. 2021, *Sports Med* 51:581–592).",
    ),
    (
        "Fitness, fatigue and form",
        "TrainingPeaks-style: fitness (CTL) += (load − CTL)/42 and fatigue (ATL) += (load − ATL)/7 each day from "
        "zero; form = yesterday's CTL − ATL (Banister et al. 1975; Allen & Coggan 2010).",
    ),
    (
        "Monotony and strain",
        "Monotony = mean ÷ population standard deviation of the week's seven daily loads; strain = weekly load × "
        "monotony (Foster 1998, *Med Sci Sports Exerc* 30:1164–1168). Undefined (not infinite) when every day is "
        "the same, and for partial weeks.",
    ),
    ("Gym plan", gymplan.RULE),
    (
        "Stretch compliance",
        "Stretch-sides done ÷ planned, where the plan is your routines per week (Settings) × the routine's five "
        "stretches on two sides. Above 100% means more than planned.",
    ),
    (
        "Knee pain",
        "Everyday pain is the mean of the check-in's stairs, squatting and sitting scores (the worse knee when both "
        "are logged); the week's pain is the mean of its days, its worst the highest single score. Next-morning "
        "pain is the morning-after score on the day after a run, counted in the run's week.",
    ),
    (
        "Pain-monitoring model",
        "After Silbernagel et al. (2007, *Am J Sports Med* 35:897–906) and Thomeé (1997, *Phys Ther* 77:1690–1703): "
        "pain during a run may reach 5/10; by the next morning it must settle (kneelog flags a morning-after score "
        "above 5 or 2+ points above the last everyday score before the run); and weekly pain must not rise. A change "
        "of the weekly mean is meaningful at 2 points or 30% (Farrar et al. 2001, *Pain* 94:149–158), and kneelog "
        "asks a 30% change to be at least 1 point.",
    ),
    (
        "Relationships",
        "Spearman's rank correlation ρ between each driver and weekly pain the same week and 1–3 weeks later. The 95% "
        "interval uses Fisher's z with the Spearman variance of Bonett & Wright (2000) and an effective sample size "
        "that discounts autocorrelation, n(1 − r₁ₓr₁ᵧ)/(1 + r₁ₓr₁ᵧ) (Bartlett 1935; Bretherton et al. 1999). Nothing "
        "is shown below 12 paired weeks; below 26 results are exploratory. Strength words follow Cohen (1988).",
    ),
    (
        "All drivers together",
        "Ordinary least squares of weekly pain on distance, load, gym sessions, stretch compliance and last week's "
        "pain, with Newey–West (HAC) standard errors (Newey & West 1987, *Econometrica* 55:703–708; maximum lag "
        "⌊4(n/100)^(2/9)⌋, Newey & West 1994), via statsmodels. Drivers that rise and fall together (variance "
        "inflation above 5) are flagged. Correlation and regression describe this data; they do not show causes.",
    ),
]
