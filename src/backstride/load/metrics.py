"""Weekly volume, single-run spikes, week-to-week change, EWMA and monotony.

Formulas (clinical-and-product research note, section 3.3):

- spike = distance / longest run in the previous 30 days - 1 (Frandsen 2025 bands)
- weekly change = week distance / previous week distance - 1 (Nielsen 2014)
- EWMA_N(today) = lambda * load_today + (1 - lambda) * EWMA_N(yesterday), lambda = 2/(N+1)
- monotony = mean / population SD of the 7 daily loads (rest days 0); strain = sum x monotony

Plain Python floats, no numpy: the series are a few thousand days at most, and ``backstride
load`` should not pay numpy's import on every start. Sums run left to right, which gives
the same doubles as numpy's for these short arrays.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from backstride.activities.model import Activity
from backstride.evidence import threshold


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Spike:
    activity_id: int | None
    day: dt.date
    distance_m: float
    previous_longest_m: float
    excess: float                 # fraction longer than the previous longest run
    band: str                     # "10-30" | "30-100" | ">100"

    def to_dict(self) -> dict[str, object]:
        return {"activity_id": self.activity_id, "day": self.day.isoformat(), "distance_m": round(self.distance_m, 1),
                "previous_longest_m": round(self.previous_longest_m, 1), "excess_pct": round(self.excess * 100, 1),
                "band": self.band}


def spike_band(excess: float) -> str | None:
    if excess > threshold("load_spike_high").value:
        return ">100"
    if excess > threshold("load_spike_moderate").value:
        return "30-100"
    if excess > threshold("load_spike_low").value:
        return "10-30"
    return None


def runs_only(activities: Sequence[Activity]) -> list[Activity]:
    return sorted((a for a in activities if a.is_run and (a.distance_m or 0) > 0), key=lambda a: a.start_time)


def longest_before(runs: Sequence[Activity], index: int, window_days: int) -> float | None:
    """Longest run in the ``window_days`` before run ``index`` (by start time)."""
    start = runs[index].start_time - dt.timedelta(days=window_days)
    best = None
    for j in range(index - 1, -1, -1):
        if runs[j].start_time < start:
            break
        d = runs[j].distance_m or 0.0
        best = d if best is None or d > best else best
    return best


def find_spikes(runs: Sequence[Activity]) -> list[Spike]:
    """Every run longer than the longest of the previous 30 days by more than 10 %.

    A run with no earlier run in the window has nothing to compare with and is not a spike
    (a first run after a long break is judged by the runner's history, not by us).
    """
    window = int(threshold("load_spike_window").value)
    out: list[Spike] = []
    for i, run in enumerate(runs):
        prev = longest_before(runs, i, window)
        if not prev or prev <= 0:
            continue
        excess = (run.distance_m or 0.0) / prev - 1.0
        band = spike_band(excess)
        if band:
            out.append(Spike(run.id, run.start_date, run.distance_m or 0.0, prev, excess, band))
    return out


@dataclass(frozen=True)
class WeekRow:
    week_start: dt.date
    runs: int
    distance_m: float
    time_s: float
    ascent_m: float
    descent_m: float
    downhill_m: float
    treadmill_m: float
    trail_m: float
    long_run_m: float
    load: float
    monotony: float | None
    strain: float | None
    change: float | None          # vs the previous week
    change_2w: float | None       # this + previous week vs the two weeks before

    @property
    def long_run_share(self) -> float | None:
        return self.long_run_m / self.distance_m if self.distance_m > 0 else None

    @property
    def road_m(self) -> float:
        return max(self.distance_m - self.treadmill_m - self.trail_m, 0.0)

    def to_dict(self) -> dict[str, object]:
        def r(x: float | None, d: int = 1) -> float | None:
            return None if x is None else round(x, d)
        return {"week_start": self.week_start.isoformat(), "runs": self.runs, "distance_km": r(self.distance_m / 1000, 2),
                "time_h": r(self.time_s / 3600, 2), "ascent_m": r(self.ascent_m, 0), "descent_m": r(self.descent_m, 0),
                "downhill_km": r(self.downhill_m / 1000, 2), "treadmill_km": r(self.treadmill_m / 1000, 2),
                "trail_km": r(self.trail_m / 1000, 2), "road_km": r(self.road_m / 1000, 2),
                "long_run_km": r(self.long_run_m / 1000, 2), "long_run_share": r(self.long_run_share, 3),
                "load": r(self.load, 1), "monotony": r(self.monotony, 2), "strain": r(self.strain, 1),
                "change_pct": r(None if self.change is None else self.change * 100, 1),
                "change_2w_pct": r(None if self.change_2w is None else self.change_2w * 100, 1)}


def _sum(values: Iterable[float]) -> float:
    total = 0.0
    for v in values:  # left to right on purpose (Python 3.12's sum() compensates, numpy's does not)
        total += v
    return total


def monotony(daily_loads: Sequence[float]) -> tuple[float | None, float | None]:
    """Foster monotony and strain over 7 daily loads (rest days 0), capped as Runalyze does."""
    loads = [float(v) for v in daily_loads]
    total = _sum(loads)
    if total <= 0:
        return None, None
    mean = total / len(loads)
    sd = math.sqrt(_sum((v - mean) * (v - mean) for v in loads) / len(loads))  # population SD
    cap = threshold("load_monotony_cap").value
    mono = cap if sd == 0 else min(mean / sd, cap)
    return mono, total * mono


def change(current: float, previous: float) -> float | None:
    """Relative change, or None when the earlier period is too small to compare with."""
    if previous < threshold("load_weekly_increase_min_base").value * 1000:
        return None
    return current / previous - 1.0


def weekly_rows(runs: Sequence[Activity], loads: Sequence[float], first_week: dt.date, last_week: dt.date,
                daily: dict[dt.date, float]) -> list[WeekRow]:
    weeks: dict[dt.date, list[int]] = {}
    for i, run in enumerate(runs):
        weeks.setdefault(monday(run.start_date), []).append(i)
    out: list[WeekRow] = []
    start = monday(first_week) - dt.timedelta(weeks=3)  # earlier weeks feed the change columns
    week = start
    distances: dict[dt.date, float] = {}
    while week <= last_week:
        idx = weeks.get(week, [])
        dist = sum(runs[i].distance_m or 0.0 for i in idx)
        distances[week] = dist
        days = [daily.get(week + dt.timedelta(days=k), 0.0) for k in range(7)]
        mono, strain = monotony(days)
        prev = distances.get(week - dt.timedelta(weeks=1))
        prev2 = distances.get(week - dt.timedelta(weeks=2))
        prev3 = distances.get(week - dt.timedelta(weeks=3))
        row = WeekRow(
            week_start=week, runs=len(idx), distance_m=dist,
            time_s=sum(runs[i].timer_s for i in idx),
            ascent_m=sum(runs[i].ascent_m or 0.0 for i in idx),
            descent_m=sum(runs[i].descent_m or 0.0 for i in idx),
            downhill_m=sum(runs[i].downhill_m or 0.0 for i in idx),
            treadmill_m=sum(runs[i].distance_m or 0.0 for i in idx if runs[i].is_treadmill),
            trail_m=sum(runs[i].distance_m or 0.0 for i in idx if runs[i].is_trail),
            long_run_m=max((runs[i].distance_m or 0.0 for i in idx), default=0.0),
            load=sum(loads[i] for i in idx), monotony=mono, strain=strain,
            change=change(dist, prev) if prev is not None else None,
            change_2w=(change(dist + prev, prev2 + prev3)
                       if prev is not None and prev2 is not None and prev3 is not None else None),
        )
        if week >= monday(first_week):
            out.append(row)
        week += dt.timedelta(weeks=1)
    return out


@dataclass(frozen=True)
class DayPoint:
    day: dt.date
    load: float
    acute: float                  # EWMA 7 days
    chronic: float                # EWMA 28 days
    ratio: float | None           # acute / chronic, None with under 14 days of history
    fitness: float                # EWMA 42 days
    fatigue: float                # EWMA 7 days
    form: float                   # yesterday's fitness - yesterday's fatigue

    def to_dict(self) -> dict[str, object]:
        return {"day": self.day.isoformat(), "load": round(self.load, 1), "acute": round(self.acute, 2),
                "chronic": round(self.chronic, 2), "ratio": None if self.ratio is None else round(self.ratio, 3),
                "fitness": round(self.fitness, 2), "fatigue": round(self.fatigue, 2), "form": round(self.form, 2)}


def ewma(values: Sequence[float], days: float) -> list[float]:
    lam = 2.0 / (days + 1.0)
    out: list[float] = []
    acc = 0.0
    for v in values:  # a few thousand days at most
        acc = lam * float(v) + (1.0 - lam) * acc
        out.append(acc)
    return out


def daily_series(daily: dict[dt.date, float], first_day: dt.date, last_day: dt.date,
                 history_start: dt.date) -> list[DayPoint]:
    n = (last_day - first_day).days + 1
    if n <= 0:
        return []
    days = [first_day + dt.timedelta(days=k) for k in range(n)]
    loads = [float(daily.get(d, 0.0)) for d in days]
    acute = ewma(loads, threshold("load_ewma_acute_days").value)
    chronic = ewma(loads, threshold("load_ewma_chronic_days").value)
    fitness = ewma(loads, threshold("load_fitness_days").value)
    fatigue = ewma(loads, threshold("load_fatigue_days").value)
    min_hist = int(threshold("load_acwr_min_history").value)
    out: list[DayPoint] = []
    for k, day in enumerate(days):
        enough = (day - history_start).days + 1 >= min_hist
        ratio = float(acute[k] / chronic[k]) if enough and chronic[k] > 0 else None
        form = float(fitness[k - 1] - fatigue[k - 1]) if k > 0 else 0.0
        out.append(DayPoint(day, float(loads[k]), float(acute[k]), float(chronic[k]), ratio,
                            float(fitness[k]), float(fatigue[k]), form))
    return out
