"""Knee pain: daily scores from the check-ins, the pain-monitoring model per week, and meaningful change.

The pain-monitoring model (Silbernagel et al. 2007, Am J Sports Med 35:897-906, after Thomeé 1997, Phys Ther
77:1690-1703, on patellofemoral pain) lets a runner keep running while pain stays within three limits:

1. pain during running may reach 5/10 but no more;
2. it must settle by the next morning: kneelog flags a morning-after score more than 5, or 2 or more points above
   the everyday pain of the last check-in before the run (2 points is Farrar's meaningful change);
3. pain must not rise from week to week: kneelog flags a meaningful rise of the weekly mean.

A change of the weekly mean counts as meaningful when it is at least 2 points or at least 30% of the week before
(Farrar et al. 2001, Pain 94:149-158). Scores are whole numbers, so kneelog also asks a 30% change to be at least one
point: at a mean of 0.5 a rise to 0.7 is 40% but well inside the scale's resolution.
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

STATUS_WITHIN = "within limits"
STATUS_OVER = "over a limit"
STATUS_NONE = "no pain data"
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


def weekly_status(weekly: pd.DataFrame) -> pd.DataFrame:
    """The pain-monitoring status of each week (Silbernagel et al. 2007) and why.

    Args:
        weekly: one row per consecutive week with ``pain_mean``, ``pain_during_worst``, ``next_morning_mean`` and
            ``unsettled_runs`` (as :func:`kneelog.analysis.weekly.weekly_table` makes them).

    Returns:
        A frame on the same index with ``pain_change`` (``"worse"``, ``"better"`` or ``""`` against the week
        before), ``pain_status`` (``"within limits"``, ``"over a limit"`` or ``"no pain data"``) and
        ``pain_reasons`` (the limits broken, in words; empty when none).
    """
    change = meaningful_change(weekly["pain_mean"].shift(1), weekly["pain_mean"])
    reasons: list[str] = []
    statuses: list[str] = []
    rows = zip(
        weekly["pain_during_worst"],
        weekly["unsettled_runs"],
        weekly["pain_mean"].shift(1),
        weekly["pain_mean"],
        change,
        weekly["next_morning_mean"],
        strict=True,
    )
    for during, unsettled, before, mean, label, morning in rows:
        broken = []
        if not pd.isna(during) and during > DURING_LIMIT:
            broken.append(f"pain during a run reached {during:.0f}/10 (limit {DURING_LIMIT})")
        if unsettled and unsettled > 0:
            runs = "run" if unsettled == 1 else "runs"
            broken.append(f"pain had not settled the morning after {unsettled:.0f} {runs}")
        if label == WORSE:
            broken.append(f"weekly pain rose from {before:.1f} to {mean:.1f}")
        has_data = any(not pd.isna(v) for v in (during, mean, morning))
        statuses.append(STATUS_OVER if broken else (STATUS_WITHIN if has_data else STATUS_NONE))
        reasons.append("; ".join(broken))
    return pd.DataFrame({"pain_change": change, "pain_status": statuses, "pain_reasons": reasons}, index=weekly.index)
