"""Session load: session RPE when the runner logged one, else a heart-rate TRIMP, else minutes.

One basis is used across a whole summary, because the three scales differ by an order of
magnitude: mixing them would show a jump the day a runner starts logging RPE. Sessions
missing the chosen input get it imputed from the runner's own typical value, and the
summary says how many were imputed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from backstride.activities.model import Activity
from backstride.evidence import threshold


def srpe(rpe_cr10: float, duration_min: float) -> float:
    """Foster's session RPE: CR-10 rating times minutes (arbitrary units)."""
    return rpe_cr10 * duration_min


def trimp(duration_min: float, avg_hr_bpm: float, hr_rest_bpm: float, hr_max_bpm: float) -> float:
    """Banister TRIMP from the session's average heart rate, sex-neutral constants.

    Computed from the average, not sample by sample, so it reads a little low for interval
    sessions (the exponential weights hard minutes more than the average shows).
    """
    if hr_max_bpm <= hr_rest_bpm:
        return 0.0
    hrr = min(max((avg_hr_bpm - hr_rest_bpm) / (hr_max_bpm - hr_rest_bpm), 0.0), 1.0)
    a, b = threshold("load_trimp_a").value, threshold("load_trimp_b").value
    return a * duration_min * hrr * math.exp(b * hrr)


@dataclass(frozen=True)
class SessionLoads:
    basis: str                       # "srpe" | "trimp" | "duration"
    unit: str
    by_activity: dict[int, float]    # index into the given list -> load
    imputed: int                     # sessions whose input was filled from the runner's typical value


def session_loads(activities: Sequence[Activity], rpe_by_date: Mapping[dt.date, float] | None = None,
                  hr_rest_bpm: float | None = None, hr_max_bpm: float | None = None) -> SessionLoads:
    rpe_by_date = rpe_by_date or {}
    n = len(activities)
    if n == 0:
        return SessionLoads("duration", "min", {}, 0)
    minutes = [a.timer_s / 60.0 for a in activities]
    with_rpe = [i for i, a in enumerate(activities) if a.start_date in rpe_by_date]
    with_hr = [i for i, a in enumerate(activities) if a.avg_hr_bpm]
    out: dict[int, float] = {}
    if with_rpe and len(with_rpe) * 2 >= n:
        typical = median(rpe_by_date[activities[i].start_date] for i in with_rpe)
        for i, a in enumerate(activities):
            out[i] = srpe(rpe_by_date.get(a.start_date, typical), minutes[i])
        return SessionLoads("srpe", "AU (RPE x min)", out, n - len(with_rpe))
    if with_hr and len(with_hr) * 2 >= n:
        rest = hr_rest_bpm or threshold("load_trimp_hr_rest").value
        seen_max = max((a.max_hr_bpm or 0.0) for a in activities)
        top = hr_max_bpm or max(threshold("load_trimp_hr_max").value, seen_max)
        per_min = [trimp(minutes[i], activities[i].avg_hr_bpm or 0.0, rest, top) / minutes[i]
                   for i in with_hr if minutes[i] > 0]
        typical_per_min = median(per_min) if per_min else 0.0
        # The sample-by-sample TRIMP from import is preferred; it uses the default resting and
        # maximum heart rate, so it is only used when no other values were given.
        use_samples = hr_rest_bpm is None and hr_max_bpm is None
        for i, a in enumerate(activities):
            if use_samples and a.hr_trimp is not None:
                out[i] = a.hr_trimp
            elif a.avg_hr_bpm:
                out[i] = trimp(minutes[i], a.avg_hr_bpm, rest, top)
            else:
                out[i] = typical_per_min * minutes[i]
        return SessionLoads("trimp", "TRIMP", out, n - len(with_hr))
    return SessionLoads("duration", "min", {i: m for i, m in enumerate(minutes)}, 0)
