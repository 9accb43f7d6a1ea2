"""Knee pain: daily scores from the check-ins, the pain-monitoring model per week, and meaningful change.

The pain-monitoring model (Silbernagel et al. 2007, Am J Sports Med 35:897-906, after Thomeé 1997, Phys Ther
77:1690-1703, on patellofemoral pain) lets a runner keep running while pain stays within three limits:

1. pain during running may reach 5/10 but no more (the paper's figure: 0-2 safe, 2-5 acceptable, above 5 high
   risk; see :data:`DURING_ZONES`);
2. it must settle by the next morning: kneelog flags a morning-after score more than 5, or 2 or more points above
   the everyday pain of the last check-in before the run (2 points is Farrar's meaningful change);
3. pain must not rise from week to week. kneelog reads this as three checks of the weekly mean of everyday pain:
   a meaningful rise over the week before; a meaningful rise over a reference, the lowest weekly mean of the
   complete weeks among the 4 before (at least 2 of them); and two or more rises in a row of at least 0.2 points.
   The reference and the rises in a row are kneelog's own reading of "no increase from week to week", so a slow
   creep (each week a little above the last) is caught, not only a jump.

A change of the weekly mean counts as meaningful when it is at least 2 points or at least 30% of the earlier value
(Farrar et al. 2001, Pain 94:149-158). Scores are whole numbers, so kneelog also asks a 30% change to be at least one
point: at a mean of 0.5 a rise to 0.7 is 40% but well inside the scale's resolution.

A week without runs can only be checked on limit 3: its status says so (:data:`STATUS_NO_RUNS`) instead of
"within limits".
"""

from __future__ import annotations

import pandas as pd

#: The check-in moments that make the everyday pain score (the morning-after moment is kept apart).
EVERYDAY = ("stairs", "squat", "sitting")
#: The highest acceptable pain during a run, and the morning after it (0-10; Silbernagel 2007).
DURING_LIMIT = 5
MORNING_LIMIT = 5
#: A meaningful change: this many points, or this share of the earlier value (Farrar 2001) ...
MEANINGFUL_POINTS = 2.0
MEANINGFUL_SHARE = 0.30
#: ... but a share-based change must also be at least this many points (kneelog's floor, see the module text).
SHARE_FLOOR_POINTS = 1.0
#: How far back (days) the last check-in before a run may lie to serve as the everyday level.
BASELINE_DAYS = 7

#: The reference for limit 3: the lowest weekly mean of the complete weeks among this many weeks before ...
REFERENCE_WEEKS = 4
#: ... when at least this many of them are complete and have check-ins.
REFERENCE_MIN_WEEKS = 2
#: A week counts as a rise when its mean is at least this many points above the complete week before ...
RISE_POINTS = 0.2
#: ... and this many rises in a row break limit 3.
RISES_IN_A_ROW = 2
#: The model's zones of pain during activity, (name, from, to) on the 0-10 scale: Silbernagel et al. (2007), Fig. 1,
#: draws 0-2 as safe, 2-5 as acceptable and above 5 as high risk. Clinical summaries often round this to "0-3 safe,
#: 4-5 acceptable"; kneelog draws the paper's zones, since it cites the paper. Only the limit (5) is checked; the
#: zones are drawn behind the pain-during-runs chart. "Over the limit" rather than "high risk": kneelog never says a
#: score predicts injury.
DURING_ZONES: tuple[tuple[str, float, float], ...] = (
    ("safe", 0.0, 2.0),
    ("acceptable", 2.0, float(DURING_LIMIT)),
    ("over the limit", float(DURING_LIMIT), 10.0),
)

STATUS_WITHIN = "within limits"
STATUS_OVER = "over a limit"
STATUS_NONE = "no pain data"
#: A week with check-ins but no runs: limits 1 and 2 (pain during and after runs) could not be checked.
STATUS_NO_RUNS = "no runs: only weekly pain checked"
WORSE = "worse"
BETTER = "better"


def daily_pain(checkins: pd.DataFrame) -> pd.DataFrame:
    """One row of pain scores per day that has a check-in.

    The everyday score of a check-in is the mean of the moments answered among stairs, squatting and sitting; with
    check-ins for two knees on one day, the worse knee counts.

    Args:
        checkins: the check-in frame of :meth:`Store.frame`.

    Returns:
        A frame indexed by ``date`` with ``pain`` (everyday score), ``pain_worst`` (highest score of any moment, the
        morning after included), ``morning_after`` and ``checkins`` (how many that day).
    """
    columns = ["pain", "pain_worst", "morning_after", "checkins"]
    if checkins.empty:
        return pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], name="date"), dtype="float64")
    everyday = checkins[list(EVERYDAY)].mean(axis=1)
    worst = checkins[[*EVERYDAY, "morning_after"]].max(axis=1)
    per_checkin = pd.DataFrame(
        {"date": checkins["date"], "pain": everyday, "pain_worst": worst, "morning_after": checkins["morning_after"]}
    )
    grouped = per_checkin.groupby("date")
    out = grouped[["pain", "pain_worst", "morning_after"]].max()
    out["checkins"] = grouped.size().astype("float64")
    return out[columns]


def settling(run_day: pd.Series, pain: pd.Series, morning_after: pd.Series) -> pd.DataFrame:
    """Whether the knee settled by the morning after each run day (Silbernagel 2007, limit 2).

    Args:
        run_day: one bool per consecutive calendar day, True on days with a run.
        pain: the everyday pain score on the same days (NaN without a check-in).
        morning_after: the morning-after score on the same days (NaN when not given).

    Returns:
        A frame on the same index with ``next_morning`` (the next day's morning-after score, on run days),
        ``baseline`` (everyday pain of the last check-in in the 7 days before the run day) and ``unsettled``
        (True when the next morning is above 5, or 2 or more points above the baseline).
    """
    next_morning = morning_after.shift(-1).where(run_day)
    baseline = pain.shift(1).ffill(limit=BASELINE_DAYS - 1)
    rise = next_morning - baseline
    unsettled = next_morning.notna() & ((next_morning > MORNING_LIMIT) | (rise >= MEANINGFUL_POINTS))
    return pd.DataFrame({"next_morning": next_morning, "baseline": baseline, "unsettled": unsettled})


def meaningful_change(before: pd.Series, after: pd.Series) -> pd.Series:
    """Label each change from ``before`` to ``after`` as ``"worse"``, ``"better"`` or ``""`` (Farrar et al. 2001).

    A change is meaningful when it is at least 2 points, or at least 30% of ``before`` and at least one point.

    Returns:
        A series of labels on ``after``'s index; ``""`` where either value is missing or the change is smaller.
    """
    delta = after - before
    size = delta.abs()
    share = size / before.where(before > 0)
    meaningful = (size >= MEANINGFUL_POINTS) | ((share >= MEANINGFUL_SHARE) & (size >= SHARE_FLOOR_POINTS))
    labels = pd.Series("", index=after.index, dtype="object")
    labels[meaningful & (delta > 0)] = WORSE
    labels[meaningful & (delta < 0)] = BETTER
    return labels


def reference_pain(mean: pd.Series, complete: pd.Series) -> pd.DataFrame:
    """The reference each week's pain is held against: the lowest weekly mean of the recent complete weeks.

    The reference of a week is the lowest ``pain_mean`` among the :data:`REFERENCE_WEEKS` weeks before it that are
    complete and have check-ins, when at least :data:`REFERENCE_MIN_WEEKS` of them are. A part week (the first week
    of the history, the week in progress) is never a reference: a mean of two days says little about the knee.

    The lowest rather than the mean: the model asks pain not to rise, so the reference is the level the knee has
    lately shown it can be at. The mean of a rising stretch rises with it and lets a creep hide for longer (1.0,
    1.25, 1.55, 1.9 then 2.35: the mean of the four weeks before is 1.425, 0.93 points below 2.35 and under the
    1-point floor; the lowest, 1.0, is 1.35 points below). The price is that one unusually good week lowers the
    reference for four weeks; the meaningful-change threshold (Farrar et al. 2001) keeps a return to the usual level
    from being flagged unless it is at least 1 point and 30% above that good week, and the reason names the
    reference so the runner can judge.

    Args:
        mean: the weekly mean of everyday pain, one value per consecutive week (NaN without check-ins).
        complete: True for the weeks with all 7 days behind them, on the same index.

    Returns:
        A frame on ``mean``'s index with ``reference`` (NaN when fewer than 2 weeks qualify) and ``reference_weeks``
        (how many weeks it was chosen from).
    """
    usable = mean.where(complete.astype(bool)).reset_index(drop=True)
    before = pd.concat([usable.shift(k) for k in range(1, REFERENCE_WEEKS + 1)], axis=1)
    weeks = before.notna().sum(axis=1)
    reference = before.min(axis=1).where(weeks >= REFERENCE_MIN_WEEKS)
    return pd.DataFrame({"reference": reference.to_numpy(), "reference_weeks": weeks.to_numpy()}, index=mean.index)


def rises_in_a_row(mean: pd.Series, complete: pd.Series) -> pd.Series:
    """How many weeks in a row, up to each week, weekly pain has risen by at least :data:`RISE_POINTS`.

    A week is a rise when its mean is at least 0.2 points above the week before and that week is complete. The
    floor keeps the day-to-day wobble of whole-number scores out: on a week of daily check-ins, one day scored a
    point higher moves the mean by 1/7, about 0.14 points. Differences are rounded to 6 decimals first, so
    1.2 - 1.0 counts as the 0.2 it is. A week without check-ins ends a run of rises.

    Returns:
        An integer series on ``mean``'s index: 0 when the week is not a rise, else the rises in a row ending there.
    """
    values = mean.reset_index(drop=True)
    before_complete = complete.astype(bool).reset_index(drop=True).shift(1, fill_value=False)
    rise = ((values - values.shift(1)).round(6) >= RISE_POINTS) & before_complete
    streak = rise.astype("int64").groupby((~rise).cumsum()).cumsum()
    return pd.Series(streak.to_numpy(), index=mean.index)


_COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def _above_reference(mean: float, reference: float, weeks: int) -> str:
    """``weekly pain 2.35 is 1.35 points (135%) above the lowest of the previous 4 complete weeks (1.00)``."""
    rise = mean - reference
    share = f" ({rise / reference:.0%})" if reference > 0 else ""
    return (
        f"weekly pain {mean:.2f} is {rise:.2f} points{share} above the lowest of the previous {weeks} complete weeks "
        f"({reference:.2f})"
    )


def _rose(rises: int, start: float, mean: float) -> str:
    """``weekly pain rose two weeks in a row, from 1.00 to 1.55``."""
    return f"weekly pain rose {_COUNT_WORDS.get(rises, str(rises))} weeks in a row, from {start:.2f} to {mean:.2f}"


def weekly_status(weekly: pd.DataFrame) -> pd.DataFrame:
    """The pain-monitoring status of each week (Silbernagel et al. 2007) and why.

    Limit 3 (pain must not rise from week to week) is three checks of ``pain_mean``: a meaningful rise over the
    week before (:func:`meaningful_change`); a meaningful rise over :func:`reference_pain`, named only when the
    week-to-week check has not already flagged the week; and :data:`RISES_IN_A_ROW` or more rises in a row
    (:func:`rises_in_a_row`). A week with check-ins but no runs cannot be checked on limits 1 and 2 and is
    :data:`STATUS_NO_RUNS` unless limit 3 is broken.

    Args:
        weekly: one row per consecutive week with ``complete``, ``runs``, ``pain_mean``, ``pain_during_worst``,
            ``next_morning_mean`` and ``unsettled_runs`` (as :func:`kneelog.analysis.weekly.weekly_table` makes
            them).

    Returns:
        A frame on the same index with ``pain_change`` (``"worse"``, ``"better"`` or ``""`` against the week
        before), ``pain_status`` (:data:`STATUS_WITHIN`, :data:`STATUS_OVER`, :data:`STATUS_NO_RUNS` or
        :data:`STATUS_NONE`) and ``pain_reasons`` (the limits broken, in words, joined by ``"; "``; empty when none).
    """
    mean = weekly["pain_mean"]
    change = meaningful_change(mean.shift(1), mean)
    reference = reference_pain(mean, weekly["complete"])
    above = meaningful_change(reference["reference"], mean) == WORSE
    rises = rises_in_a_row(mean, weekly["complete"])
    reasons: list[str] = []
    statuses: list[str] = []
    rows = zip(
        range(len(weekly)),
        weekly["runs"],
        weekly["pain_during_worst"],
        weekly["unsettled_runs"],
        mean.shift(1),
        mean,
        change,
        above,
        reference["reference"],
        reference["reference_weeks"],
        rises,
        weekly["next_morning_mean"],
        strict=True,
    )
    for i, runs, during, unsettled, before, now, label, over_ref, ref, ref_weeks, rose, morning in rows:
        broken = []
        if not pd.isna(during) and during > DURING_LIMIT:
            broken.append(f"pain during a run reached {during:.0f}/10 (limit {DURING_LIMIT})")
        if unsettled and unsettled > 0:
            runs_word = "run" if unsettled == 1 else "runs"
            broken.append(f"pain had not settled the morning after {unsettled:.0f} {runs_word}")
        if label == WORSE:
            broken.append(f"weekly pain rose from {before:.1f} to {now:.1f}")
        elif over_ref:
            broken.append(_above_reference(now, ref, int(ref_weeks)))
        if rose >= RISES_IN_A_ROW:
            broken.append(_rose(int(rose), mean.iloc[i - int(rose)], now))
        has_data = any(not pd.isna(v) for v in (during, now, morning))
        if broken:
            statuses.append(STATUS_OVER)
        elif not has_data:
            statuses.append(STATUS_NONE)
        elif not runs:
            statuses.append(STATUS_NO_RUNS)
        else:
            statuses.append(STATUS_WITHIN)
        reasons.append("; ".join(broken))
    return pd.DataFrame({"pain_change": change, "pain_status": statuses, "pain_reasons": reasons}, index=weekly.index)
