"""The gym plan: how many strength sessions to aim for each week (one to three), and how the runner kept to it.

Strength work for the hips and knees is the backbone of treatment for patellofemoral pain, but the legs also have to
absorb the running. kneelog's rule, shown in the app as :data:`RULE`, looks at how the running is trending into the
week and at races in it:

- **1 session** in a race week, after a restart (a week of running after a week with none), or when last week's
  distance was more than 30% above the average of the four weeks before it (the size of change Nielsen et al. 2014
  flag);
- **2 sessions** when last week's distance was 10-30% above that average, or when there are not yet two weeks of
  history to compare;
- **3 sessions** when the running was steady or lighter (at most 10% above that average).

The thresholds are kneelog's plan, not published cut-offs; the 10% step only separates "rising a little" from
"steady" and is not the disputed 10% rule (Buist et al. 2008).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FEWEST = 1
MOST = 3
#: Weeks before last week that make its reference average.
REFERENCE_WEEKS = 4
RISING_SHARPLY = 1.30
RISING = 1.10

RULE = (
    "**1 gym session** in a race week, after a restart (running again after a week without), or when last week's "
    "distance was more than 30% above the average of the four weeks before it. **2 sessions** when last week was "
    "10–30% above that average, or while there is too little history to compare. **3 sessions** when the running "
    "was steady or lighter. A plan of one to three a week, eased off when the legs have more running to absorb."
)

AS_PLANNED = "as planned"
BELOW = "below plan"
ABOVE = "above plan"
IN_PROGRESS = "in progress"


def recommended_sessions(distance: pd.Series, race_week: pd.Series) -> pd.DataFrame:
    """The recommended number of gym sessions for each week, by :data:`RULE`.

    Args:
        distance: weekly running distance (metres), one value per consecutive week, oldest first.
        race_week: True for weeks with a race on the calendar, on the same index.

    Returns:
        A frame on ``distance``'s index with ``gym_recommended`` (1-3), ``gym_trend`` (last week's distance ÷ the
        average of the four weeks before it; NaN when undefined) and ``gym_reason`` (the rule that applied, in words).
    """
    last = distance.astype("float64").shift(1)
    reference = distance.astype("float64").shift(2).rolling(REFERENCE_WEEKS, min_periods=1).mean()
    trend = (last / reference).where(reference > 0)
    restart = (reference == 0) & (last > 0)
    no_history = reference.isna()
    choices = [
        (race_week.to_numpy(dtype=bool), FEWEST, "a race this week"),
        (restart.to_numpy(), FEWEST, "running restarted last week"),
        ((trend > RISING_SHARPLY).to_numpy(), FEWEST, "last week's distance rose more than 30%"),
        (no_history.to_numpy(), 2, "too little history to compare yet"),
        ((trend > RISING).to_numpy(), 2, "last week's distance rose 10–30%"),
    ]
    count = np.select([c for c, _, _ in choices], [n for _, n, _ in choices], default=MOST)
    reason = np.select([c for c, _, _ in choices], [r for _, _, r in choices], default="steady or lighter running")
    return pd.DataFrame({"gym_recommended": count, "gym_trend": trend, "gym_reason": reason}, index=distance.index)


def adherence(done: pd.Series, recommended: pd.Series, complete: pd.Series | None = None) -> pd.DataFrame:
    """How each week's gym sessions compare with the plan.

    Args:
        done: gym sessions per week.
        recommended: the recommended number per week (:func:`recommended_sessions`).
        complete: optional, False for the week in progress (its label is ``"in progress"``).

    Returns:
        A frame with ``gym_adherence`` (done ÷ recommended, 1.0 = as planned, may pass 1) and ``gym_vs_plan``
        (``"as planned"``, ``"below plan"``, ``"above plan"`` or ``"in progress"``).
    """
    label = np.select([done < recommended, done > recommended], [BELOW, ABOVE], default=AS_PLANNED)
    label = pd.Series(label, index=done.index, dtype="object")
    if complete is not None:
        label[~complete.astype(bool) & (done < recommended)] = IN_PROGRESS
    return pd.DataFrame({"gym_adherence": done / recommended, "gym_vs_plan": label}, index=done.index)
