"""What the numbers say, in plain words: findings with their uncertainty, and how each figure is computed.

Findings never say that one thing causes another ("went with", "tended to", never "caused" or "predicts"), always
give n and the 95% interval, say when the data cannot tell, and remind the reader that several factors and lags are
several looks at the same weeks: three comparisons are chosen in advance and Holm-corrected together, the rest are
exploratory. Strength words follow Cohen (1988): |ρ| below 0.1 negligible, from 0.1 weak, from 0.3 moderate, from
0.5 strong. A correlation close to zero is never read as "no relationship" when its interval reaches ±0.3
(:data:`MODERATE`): it only says the weeks cannot rule a moderate one out.
"""

from __future__ import annotations

import math
from collections.abc import Callable

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


#: The lags the dashboard offers, in words of one form.
_LATER = {0: "the same week", 1: "one week later", 2: "two weeks later", 3: "three weeks later"}


def when(lag: int) -> str:
    """``the same week``, ``one week later``, ``two weeks later``, ``three weeks later`` (``5 weeks later`` beyond)."""
    return _LATER.get(lag, f"{lag} weeks later")


def number(value: float, digits: int = 2) -> str:
    """A number with a true minus sign; one significant digit when it would round to zero (``−0.0002``)."""
    text = f"{value:.1g}" if 0 < abs(value) < 0.5 * 10**-digits else f"{value:.{digits}f}"
    return text.replace("-", "−")


def interval(low: float, high: float, digits: int = 2) -> str:
    """``0.12 to 0.40`` with true minus signs."""
    return f"{number(low, digits)} to {number(high, digits)}"


#: Cohen's (1988) "moderate": a close-to-zero ρ whose interval reaches ±0.3 cannot rule out a moderate relationship.
MODERATE = 0.3

#: The runner's words for "more of" each factor (the label itself when absent).
_MORE = {"week-over-week distance change": "a bigger rise in distance over the week before"}


def _sureness(corr: stats.Correlation) -> str:
    if corr.low <= 0 <= corr.high:
        return "The interval includes zero, so this data cannot tell it apart from no relationship."
    return (
        "The interval leaves out zero, but that shows how the two moved together here, not that one drives the other."
    )


def _close_to_zero(corr: stats.Correlation, pairs: str) -> str:
    """What a negligible ρ can say: how far its interval reaches decides whether a moderate one is ruled out."""
    up, down = corr.high >= MODERATE, corr.low <= -MODERATE
    if up and down:
        return f"but these {pairs} cannot rule out a moderate relationship either way."
    if up or down:
        return f"but these {pairs} cannot rule out a moderate relationship with {'more' if up else 'less'} knee pain."
    return f"and the whole interval lies between −0.3 and 0.3, so these {pairs} rule out a moderate relationship."


def _family(p_holm: float) -> str:
    """Where a pre-specified comparison stands after Holm's correction across the family."""
    size = len(stats.PRIMARY)
    if math.isnan(p_holm):
        return f"One of the {size} comparisons chosen in advance."
    verdict = "it holds up" if p_holm < 0.05 else "chance alone could give this"
    return (
        f"One of the {size} comparisons chosen in advance: after Holm's correction for making {size}, {verdict} "
        f"(adjusted p = {number(p_holm, 3)})."
    )


def _relation(title: str, corr: stats.Correlation, pairs: str, tended: Callable[[str], str]) -> str:
    """A shown correlation in words: close to zero, or which way it went (``tended("more"|"less")``), how strong,
    with ρ, its interval and n, and how sure that is."""
    numbers = f"(ρ = {number(corr.rho)}, 95% interval {interval(corr.low, corr.high)}, {corr.n} {pairs})"
    if strength(corr.rho) == "negligible":
        return f"{title}: close to zero here {numbers}, {_close_to_zero(corr, pairs)}"
    direction = "more" if corr.rho > 0 else "less"
    return f"{title}: {tended(direction)}, a {strength(corr.rho)} relationship {numbers}. {_sureness(corr)}"


def _first_look(corr: stats.Correlation) -> str:
    return " Fewer than 26 weeks, so read it as a first look." if corr.gate == stats.EXPLORATORY else ""


def correlation_sentence(
    label: str,
    lag: int,
    corr: stats.Correlation,
    pairs: str = "weeks",
    *,
    primary: bool = False,
    p_holm: float = math.nan,
) -> str:
    """One finding: how a factor and knee pain moved together, how sure that is, on how many pairs, and its role.

    Args:
        label: the factor as the runner reads it.
        lag: weeks between the factor and the pain.
        corr: the correlation.
        pairs: what a pair is, in words.
        primary: whether it is one of the comparisons chosen in advance (:data:`kneelog.analysis.stats.PRIMARY`
            at the chosen lag); every other comparison is called exploratory.
        p_holm: its Holm-adjusted p-value across the comparisons chosen in advance.
    """
    title = f"**{label.capitalize()} and knee pain {when(lag)}**"
    if not corr.shown:
        return f"{title}: not shown yet — {corr.reason}."
    more = _MORE.get(label, f"more {label}")
    text = _relation(title, corr, pairs, lambda d: f"weeks with {more} tended to have {d} knee pain {when(lag)}")
    role = _family(p_holm) if primary else "Exploratory: not one of the comparisons chosen in advance."
    return f"{text} {role}{_first_look(corr)}"


def run_day_sentence(corr: stats.Correlation) -> str:
    """The finding on run days: the day's distance against the next morning's pain (always exploratory)."""
    title = "**Run days and next-morning pain**"
    if not corr.shown:
        reason = corr.reason.replace("paired weeks", "complete weeks of runs with a morning-after score")
        return f"{title}: not shown yet — {reason}."
    text = _relation(
        title, corr, "run days", lambda d: f"longer runs tended to be followed by {d} pain the next morning"
    )
    return f"{text} Exploratory.{_first_look(corr)}"


def regression_sentences(reg: stats.Regression) -> list[str]:
    """The adjusted picture in words: factors whose interval leaves out zero, carry-over on its own, caveats.

    Every regression term is exploratory. Last week's pain is not a factor: it is worded as carry-over, in a
    sentence of its own.
    """
    if reg.gate == stats.TOO_FEW:
        more = max(stats.MIN_PAIRS - reg.n, 1)
        return [
            f"**All factors together**: not shown yet — needs about {more} more complete weeks with check-ins "
            "(and weeks in which the factors vary)."
        ]
    head = f"**All factors together** (exploratory, {reg.n} weeks)"
    factors = reg.terms[reg.terms["term"] != stats.CARRY_OVER]
    clear = factors[(factors["low"] > 0) | (factors["high"] < 0)]
    lines = []
    if clear.empty:
        lines.append(
            f"{head}: with every factor and last week's pain in one model, no factor's interval leaves out zero: "
            "this data cannot single one out."
        )
    for row in clear.itertuples():
        direction = "more" if row.coef > 0 else "less"
        lines.append(
            f"{head}: with the other factors and last week's pain held fixed, {row.per} went with "
            f"{number(abs(row.coef))} points {direction} weekly knee pain (95% interval {interval(row.low, row.high)})."
        )
    for row in reg.terms[reg.terms["term"] == stats.CARRY_OVER].itertuples():
        direction = "more" if row.coef > 0 else "less"
        sure = (
            "; the interval includes zero, so these weeks cannot tell how much carries over"
            if row.low <= 0 <= row.high
            else ""
        )
        lines.append(
            f"**Carry-over** (exploratory): how much of a week's knee pain carried into the next. With the factors "
            f"held fixed, a week with one point more pain was followed by {number(abs(row.coef))} points {direction} "
            f"the week after (95% interval {interval(row.low, row.high)}){sure}."
        )
    if reg.collinear:
        lines.append(
            f"{' and '.join(reg.collinear).capitalize()} rose and fell together, so the regression cannot tell their "
            "separate parts apart; read those as one."
        )
    if reg.dropped:
        lines.append(f"Left out because it never changed: {', '.join(reg.dropped)}.")
    if reg.gate == stats.EXPLORATORY:
        lines.append("Fewer than 26 weeks, so read the regression as a first look.")
    return lines


def looks_sentence(looks: int, primary: int = 0, lag: int = 0) -> str:
    """The reminder that many comparisons are many looks at the same weeks, and which were chosen in advance.

    Args:
        looks: every comparison shown: correlations at every lag, run days, and each regression term.
        primary: how many of them are the comparisons chosen in advance (Holm-corrected together).
        lag: the lag of the comparisons chosen in advance.
    """
    exploratory = looks - primary
    chosen = ""
    if primary:
        *first, last = (stats.DRIVERS[d] for d in stats.PRIMARY)
        names = f"{', '.join(first)} and {last}"
        chosen = (
            f"{primary} chosen in advance ({names} against knee pain {when(lag)}) and corrected together by Holm's "
            "method, and "
        )
    return (
        f"These are {looks} looks at the same weeks: {chosen}{exploratory} exploratory (the other factors and lags, "
        "the run days and each term of the regression). About one exploratory look in twenty leaves out zero by "
        f"chance alone — here about {exploratory / 20:.1f} — so a single striking result is a question to ask your "
        "physio, not an answer."
    )


def relationship_findings(rels: pd.DataFrame, lag: int, run_day: stats.Correlation, reg: stats.Regression) -> list[str]:
    """The findings for the chosen lag (those chosen in advance first), then run days, the regression and the looks.

    ``rels`` is :func:`kneelog.analysis.stats.relationships` with its ``primary`` family at ``lag``.
    """
    at_lag = rels[rels["lag"] == lag]
    if "primary" in at_lag:
        at_lag = at_lag.sort_values("primary", ascending=False, kind="stable")
    lines = [
        correlation_sentence(
            row.label,
            lag,
            stats.Correlation.from_row(row),
            primary=bool(getattr(row, "primary", False)),
            p_holm=float(getattr(row, "p_holm", math.nan)),
        )
        for row in at_lag.itertuples()
    ]
    lines.append(run_day_sentence(run_day))
    lines.extend(regression_sentences(reg))
    shown = rels["rho"].notna()
    looks = int(shown.sum()) + int(run_day.shown) + len(reg.terms)
    if looks:
        primary = int((shown & rels["primary"]).sum()) if "primary" in rels else 0
        lines.append(looks_sentence(looks, primary, lag))
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
        elif last["pain_status"] == pain.STATUS_NO_RUNS:
            lines.append(
                f"Pain-monitoring model, {week}: no runs, so only weekly pain could be checked (it kept its limit)."
            )
    latest = weekly.iloc[-1]
    running, everything = latest["acwr_run"], latest["acwr"]
    if not (math.isnan(running) and math.isnan(everything)):
        ratio, what = (everything, "training load (runs and gym)") if math.isnan(running) else (running, "running load")
        level = "above" if ratio > 1.05 else ("below" if ratio < 0.95 else "close to")
        with_gym = "" if math.isnan(running) or math.isnan(everything) else f"; with gym sessions {everything:.2f}"
        lines.append(
            f"Your {what}, weighted towards the last 7 days, is {level} its 28-day weighted average (acute:chronic "
            f"ratio {ratio:.2f}{with_gym}). A trend to read, not a risk score: its published zones come from team "
            "sports and are disputed."
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
        "none is rated); the weekly table counts these estimated sessions, the load charts ring their weeks, and "
        "distance is always shown on its own. Minutes of an imported run are its moving time where the export has "
        "one (Strava, Garmin Connect, intervals.icu), so stops at lights do not count, else its elapsed time; a gym "
        "session counts its whole time, rests between sets included, as Foster's session load does.",
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
        "with the first day's load, rest days as zero (Williams et al. 2017, *Br J Sports Med* 51:209–210). The main "
        "line is of running load alone, so gym sessions cannot hide a jump in running; beside it the same ratio of "
        "running distance and of all load (runs and gym). The rolling versions divide the last 7 days' mean by the "
        "28-day mean (coupled, Hulin et al. 2016) or by the 21 days before them (uncoupled, Lolli et al. 2019); the "
        "chart shows the uncoupled one of running load. Not shown before 28 days of history or when the chronic load "
        "is zero; the chart's axis stops at 3 (a restart after a break can reach 25) and marks higher values at its "
        'top. Shown as a trend only: its "risk zones" come from team sports and are disputed '
        "(Impellizzeri et al. 2021, *Sports Med* 51:581–592).",
    ),
    (
        "Fitness, fatigue and form",
        "TrainingPeaks-style, of all load (runs and gym, as TrainingPeaks adds up every sport): fitness (CTL) += "
        "(load − CTL)/42 and fatigue (ATL) += (load − ATL)/7 each day from zero; form = yesterday's CTL − ATL "
        "(Banister et al. 1975; Allen & Coggan 2010). Starting from zero, fitness reads low at first: the chart shades "
        "the first 42 days (one time constant) as warming up.",
    ),
    (
        "Monotony and strain",
        "Monotony = mean ÷ population standard deviation of the week's seven daily loads; strain = weekly load × "
        "monotony (Foster 1998, *Med Sci Sports Exerc* 30:1164–1168), computed twice: of running load alone and of "
        "all load (runs and gym). Undefined (not infinite) when every day is the same, and for partial weeks.",
    ),
    ("Gym plan", gymplan.RULE),
    (
        "Stretch compliance",
        "Stretch-sides done ÷ planned, where the plan is your routines per week (Settings) × the stretch-sides of "
        "one routine (four stretches on each side and the wide-legged fold once: nine). Each day counts at most one "
        "full routine, so stretching twice in a day does not make up for a missed day; a week can reach 100% only by "
        "stretching on as many days as planned.",
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
        "pain during a run may reach 5/10 (the model's zones, drawn behind the pain-during-runs chart: 0–2 safe, 2–5 "
        "acceptable, above 5 over the limit); by the next morning it must settle (kneelog flags a morning-after score "
        "above 5 or 2+ points above the last everyday score before the run); and weekly pain must not rise from week "
        "to week. A change of the weekly mean is meaningful at 2 points or 30% (Farrar et al. 2001, *Pain* "
        "94:149–158), and kneelog asks a 30% change to be at least 1 point. kneelog checks the weekly limit three "
        "ways: a meaningful rise over the week before; a meaningful rise over the lowest weekly mean of the complete "
        "weeks among the 4 before (at least 2 of them; a part week is never the reference); and two or more rises in "
        "a row of at least 0.2 points each. The reference and the rises in a row are kneelog's own reading of “no "
        "increase from week to week”, so a slow creep is caught as well as a jump. A week with check-ins but no runs "
        "can only be checked on weekly pain and says so.",
    ),
    (
        "Relationships",
        "Spearman's rank correlation ρ between each factor (week-over-week distance change, stretch compliance, gym "
        "sessions, weekly distance, session load) and weekly pain the same week and one to three weeks later. Only "
        "complete weeks count: the first week when it starts mid-week and the week in progress are left out, factor "
        "and pain alike, before lagging, so every pair is two complete weeks. The 95% interval uses Fisher's z with "
        "the Spearman variance of Bonett & Wright (2000), (1 + ρ²/2)/(n′ − 3), and an effective sample size that "
        "discounts autocorrelation, n′ = n(1 − r₁ₓr₁ᵧ)/(1 + r₁ₓr₁ᵧ) (Bartlett 1935; Bretherton et al. 1999), where "
        "r₁ is the lag-1 autocorrelation of the ranks, Σ(xₜ − x̄)(xₜ₊₁ − x̄)/Σ(xₜ − x̄)² over consecutive weeks "
        "(Box & Jenkins 1976). Nothing is shown below 12 complete paired weeks; below 26 results are a first look. "
        "Strength words follow Cohen (1988); a ρ close to zero whose interval reaches ±0.3 (Cohen's moderate) is "
        "not read as no relationship.",
    ),
    (
        "Chosen in advance, and exploratory",
        "Three comparisons are chosen in advance: week-over-week distance change, stretch compliance and gym "
        "sessions against weekly pain, at the lag you pick. Each gets a two-sided p-value from the same z test as "
        "its interval, z = atanh(ρ)/√((1 + ρ²/2)/(n′ − 3)) with the effective n′ (so p < 0.05 exactly when the "
        "interval leaves out zero), and the three are corrected together by Holm's step-down method (Holm 1979, "
        "*Scand J Statist* 6:65–70): sorted p₍₁₎ ≤ p₍₂₎ ≤ p₍₃₎ become 3p₍₁₎, max(that, 2p₍₂₎), max(that, p₍₃₎), "
        "capped at 1. Everything else — the other factors, the other lags, run days and every regression term — is "
        "exploratory, and the count of looks includes all of them.",
    ),
    (
        "All factors together",
        "Ordinary least squares of weekly pain on week-over-week distance change, stretch compliance, gym sessions, "
        "distance, load and last week's pain (carry-over, reported on its own), complete weeks only, with "
        "Newey–West (HAC) standard errors (Newey & West 1987, *Econometrica* 55:703–708; maximum lag "
        "⌊4(n/100)^(2/9)⌋, Newey & West 1994), via statsmodels. Factors that rise and fall together (variance "
        "inflation above 5) are flagged. Correlation and regression describe this data; they do not show causes.",
    ),
]
