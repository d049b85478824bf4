"""Progress as plain data, ready to plot: pain trend, adherence, self-tests, load vs next-morning pain.

Every function is pure (values in, values out) so the web app and the reports draw the same
numbers the command line prints. The load/pain relation is a description of this runner's own
log with its uncertainty; it is never proof that one caused the other.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backstride.journal.signals import Entries, morning_before, tv


@dataclass(frozen=True)
class PainPoint:
    day: dt.date
    pain: int | None          # that day's pain (pain now, else on waking)
    mean_7d: float | None     # mean of the logged days in the 7 days ending here

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "pain": self.pain, "mean_7d": self.mean_7d}


def pain_trend(entries: Entries, start: dt.date, end: dt.date) -> list[PainPoint]:
    """One point per calendar day; the 7-day mean needs at least 3 ratings in its window."""
    need = int(tv("min_days_per_week_for_trend"))
    out: list[PainPoint] = []
    day = start
    while day <= end:
        window = [e.day_pain for i in range(7)
                  if (e := entries.get(day - dt.timedelta(days=i))) is not None and e.day_pain is not None]
        mean = round(statistics.fmean(window), 2) if len(window) >= need else None
        today = entries.get(day)
        out.append(PainPoint(day, today.day_pain if today else None, mean))
        day += dt.timedelta(days=1)
    return out


@dataclass(frozen=True)
class WeekAdherence:
    week_start: dt.date       # a Monday
    planned: int              # planned exercise sessions
    done: int                 # of those, sessions with at least one of their exercises logged that day
    fraction: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"week_start": self.week_start.isoformat(), "planned": self.planned, "done": self.done,
                "fraction": self.fraction}


def weekly_adherence(planned: Iterable[tuple[dt.date, frozenset[str]]], entries: Entries,
                     until: dt.date) -> list[WeekAdherence]:
    """Per week (Monday start): planned sessions (date, exercise ids) up to ``until`` and how many were done."""
    weeks: dict[dt.date, list[int]] = {}
    for day, ids in planned:
        if day > until:
            continue
        monday = day - dt.timedelta(days=day.weekday())
        counts = weeks.setdefault(monday, [0, 0])
        counts[0] += 1
        entry = entries.get(day)
        if entry is not None and any(x.exercise_id in ids and x.sets > 0 for x in entry.exercises):
            counts[1] += 1
    return [WeekAdherence(m, p, d, round(d / p, 3) if p else None) for m, (p, d) in sorted(weeks.items())]


@dataclass(frozen=True)
class SelfTestSeries:
    name: str
    unit: str
    points: tuple[tuple[dt.date, float], ...]

    @property
    def change(self) -> float | None:
        return self.points[-1][1] - self.points[0][1] if len(self.points) >= 2 else None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "unit": self.unit, "points": [[d.isoformat(), v] for d, v in self.points],
                "change": self.change}


def self_test_series(screenings: Iterable[tuple[dt.date, Mapping[str, tuple[float, str]]]]) -> list[SelfTestSeries]:
    """Self-test results over re-screenings: ``[(date, {test: (value, unit)})]`` to one series per test."""
    by_test: dict[str, tuple[str, list[tuple[dt.date, float]]]] = {}
    for day, results in sorted(screenings, key=lambda s: s[0]):
        for name, (value, unit) in results.items():
            by_test.setdefault(name, (unit, []))[1].append((day, float(value)))
    return [SelfTestSeries(name, unit, tuple(points)) for name, (unit, points) in sorted(by_test.items())]


@dataclass(frozen=True)
class LoadPainRelation:
    """Next-morning pain change after runs longer vs shorter than the runner's usual distance."""

    usual_distance_m: float | None
    n_longer: int
    n_shorter: int
    mean_change_longer: float | None      # NRS points, next morning minus the morning before
    mean_change_shorter: float | None
    difference: float | None              # longer minus shorter
    ci95: tuple[float, float] | None      # bootstrap percentile interval of the difference
    enough_data: bool
    statement: str
    pairs: tuple[tuple[dt.date, float, float], ...] = ()   # (run day, distance m, next-morning change)

    def to_dict(self) -> dict[str, Any]:
        return {"usual_distance_m": self.usual_distance_m, "n_longer": self.n_longer, "n_shorter": self.n_shorter,
                "mean_change_longer": self.mean_change_longer, "mean_change_shorter": self.mean_change_shorter,
                "difference": self.difference, "ci95": list(self.ci95) if self.ci95 else None,
                "enough_data": self.enough_data, "statement": self.statement,
                "pairs": [[d.isoformat(), m, c] for d, m, c in self.pairs]}


def run_pain_pairs(entries: Entries, distances_m: Mapping[dt.date, float]) -> list[tuple[dt.date, float, float]]:
    """(run day, distance, next-morning pain minus the morning before) for every run with both mornings."""
    pairs: list[tuple[dt.date, float, float]] = []
    for day, distance in sorted(distances_m.items()):
        after = entries.get(day + dt.timedelta(days=1))
        before = morning_before(entries, day)
        if distance > 0 and after is not None and after.pain_morning is not None and before is not None:
            pairs.append((day, float(distance), float(after.pain_morning) - before))
    return pairs


def load_vs_next_morning(entries: Entries, distances_m: Mapping[dt.date, float], *,
                         seed: int = 0) -> LoadPainRelation:
    """Compare next-morning pain change after longer-than-usual runs with shorter ones.

    "Usual" is the median distance of the runs compared. The 95 % interval comes from a seeded
    bootstrap of the two groups, so the same log always gives the same numbers.
    """
    pairs = run_pain_pairs(entries, distances_m)
    minimum = int(tv("min_runs_per_group"))
    if not pairs:
        return LoadPainRelation(None, 0, 0, None, None, None, None, False,
                                "No runs with a morning rating before and after yet, so nothing to compare.")
    usual = float(statistics.median(p[1] for p in pairs))
    import numpy as np  # only this estimate needs it; keeps `today` and `progress` start-up light

    longer = np.array([c for _, m, c in pairs if m > usual])
    shorter = np.array([c for _, m, c in pairs if m <= usual])
    mean_l = round(float(longer.mean()), 2) if longer.size else None
    mean_s = round(float(shorter.mean()), 2) if shorter.size else None
    if mean_l is None or mean_s is None:
        return LoadPainRelation(usual, int(longer.size), int(shorter.size), mean_l, mean_s, None, None, False,
                                "All runs were about the same length, so there is nothing to compare yet.",
                                tuple(pairs))
    diff = round(float(longer.mean() - shorter.mean()), 2)   # from unrounded means
    rng = np.random.default_rng(seed)
    n_boot = int(tv("bootstrap_resamples"))
    boot_l = rng.choice(longer, size=(n_boot, longer.size), replace=True).mean(axis=1)
    boot_s = rng.choice(shorter, size=(n_boot, shorter.size), replace=True).mean(axis=1)
    tail_pct = (1.0 - tv("load_pain_interval")) / 2 * 100
    lo, hi = np.percentile(boot_l - boot_s, [tail_pct, 100 - tail_pct])
    ci = (round(float(lo), 2), round(float(hi), 2))
    enough = longer.size >= minimum and shorter.size >= minimum
    usual_km = usual / 1000
    if not enough:
        statement = (f"Only {longer.size} longer and {shorter.size} shorter runs (at least {minimum} each are "
                     "needed), so this is too little to read anything into yet.")
    elif ci[0] > 0:
        statement = (f"After runs longer than your usual {usual_km:.1f} km, next-morning pain rose by {diff:+.1f} "
                     f"points more than after shorter runs (95 % interval {ci[0]:+.1f} to {ci[1]:+.1f}). This is a "
                     "pattern in your own log, not proof that distance is the cause.")
    elif ci[1] < 0:
        statement = (f"After runs longer than your usual {usual_km:.1f} km, next-morning pain was {-diff:.1f} points "
                     f"lower than after shorter runs (95 % interval {ci[0]:+.1f} to {ci[1]:+.1f}). A pattern in "
                     "your own log, not proof.")
    else:
        statement = (f"No clear difference in next-morning pain between runs longer and shorter than your usual "
                     f"{usual_km:.1f} km (difference {diff:+.1f} points, 95 % interval {ci[0]:+.1f} to {ci[1]:+.1f}).")
    return LoadPainRelation(usual, int(longer.size), int(shorter.size), mean_l, mean_s, diff, ci, enough,
                            statement, tuple(pairs))
