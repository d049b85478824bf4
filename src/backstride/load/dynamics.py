"""Running-dynamics trends judged against the runner's own baseline.

A single run says little: pace, hills, fatigue and the strap's fit all move these numbers.
A trend becomes a finding only when it is **persistent** (in at least 4 of the last 5 runs
with the metric) and **beyond the runner's own baseline** (the earlier runs of the previous
60 days, at least 5 of them). Garmin's balance colour zones are shown as where a value sits
in Garmin's runner population, never as a risk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median

from backstride.activities.model import Activity
from backstride.evidence import threshold


@dataclass(frozen=True)
class DynamicsPoint:
    activity_id: int | None
    day: dt.date
    speed_mps: float | None
    cadence_spm: float | None
    stance_time_ms: float | None
    stance_time_balance_pct: float | None
    vertical_oscillation_mm: float | None
    vertical_ratio_pct: float | None
    step_length_mm: float | None
    cadence_fit: tuple[float, float] | None

    def cadence_at(self, speed_mps: float) -> float | None:
        if self.cadence_fit is None:
            return None
        intercept, slope = self.cadence_fit
        return intercept + slope * speed_mps

    def to_dict(self) -> dict[str, object]:
        return {"activity_id": self.activity_id, "day": self.day.isoformat(), "speed_mps": _r(self.speed_mps, 3),
                "cadence_spm": _r(self.cadence_spm, 1), "stance_time_ms": _r(self.stance_time_ms, 1),
                "stance_time_balance_pct": _r(self.stance_time_balance_pct, 2),
                "stance_time_balance_population": balance_population_band(self.stance_time_balance_pct),
                "vertical_oscillation_mm": _r(self.vertical_oscillation_mm, 1),
                "vertical_ratio_pct": _r(self.vertical_ratio_pct, 2), "step_length_mm": _r(self.step_length_mm, 0)}


def balance_population_band(balance_pct: float | None) -> str | None:
    """Where a ground-contact balance sits among Garmin's runners (a percentile, not a risk).

    Garmin's colour zones hold about 5/25/40/25/5 % of its runners: green (the middle
    40 %), orange on either side (the middle 90 % together with green), red beyond.
    """
    if balance_pct is None:
        return None
    dev = abs(balance_pct - 50.0)
    if dev <= threshold("load_gct_balance_green_halfwidth").value:
        return "within the middle 40 % of Garmin's runners"
    if dev <= threshold("load_gct_balance_orange_halfwidth").value:
        return "within the middle 90 % of Garmin's runners"
    return "among the 10 % of Garmin's runners furthest from 50/50"


def _r(x: float | None, d: int) -> float | None:
    return None if x is None else round(x, d)


def points(runs: Sequence[Activity]) -> list[DynamicsPoint]:
    out = []
    for a in runs:
        d = a.dynamics
        if a.avg_cadence_spm is None and not d.present:
            continue
        out.append(DynamicsPoint(a.id, a.start_date, a.avg_speed_mps, a.avg_cadence_spm, d.stance_time_ms,
                                 d.stance_time_balance_pct, d.vertical_oscillation_mm, d.vertical_ratio_pct,
                                 d.step_length_mm, a.cadence_speed_fit))
    return out


@dataclass(frozen=True)
class Trend:
    metric: str
    unit: str
    recent_median: float
    baseline_median: float
    recent_runs: int
    runs_beyond: int
    persistent: bool
    activity_ids: tuple[int, ...]
    note: str = ""

    @property
    def change(self) -> float | None:
        return self.recent_median / self.baseline_median - 1.0 if self.baseline_median else None

    def to_dict(self) -> dict[str, object]:
        return {"metric": self.metric, "unit": self.unit, "recent_median": round(self.recent_median, 2),
                "baseline_median": round(self.baseline_median, 2),
                "change_pct": None if self.change is None else round(self.change * 100, 1),
                "recent_runs": self.recent_runs, "runs_beyond": self.runs_beyond, "persistent": self.persistent,
                "activity_ids": list(self.activity_ids), "note": self.note}


def _split(pts: Sequence[DynamicsPoint], value: Callable[[DynamicsPoint], float | None],
           today: dt.date) -> tuple[list[tuple[DynamicsPoint, float]], list[float]] | None:
    have = [(p, v) for p in pts if p.day <= today and (v := value(p)) is not None]
    n_recent = int(threshold("load_dynamics_recent_runs").value)
    if len(have) < n_recent:
        return None
    recent = have[-n_recent:]
    if (today - recent[-1][0].day).days > threshold("load_dynamics_recent_max_age").value:
        return None
    first_recent = recent[0][0].day
    baseline = [v for p, v in have[:-n_recent] if (first_recent - p.day).days <= threshold("load_dynamics_baseline_days").value]
    if len(baseline) < threshold("load_dynamics_baseline_runs").value:
        return None
    return recent, baseline


def _trend(metric: str, unit: str, recent: list[tuple[DynamicsPoint, float]], baseline: list[float],
           beyond: Callable[[float, float], bool], note: str = "") -> Trend:
    base = median(baseline)
    flagged = [p for p, v in recent if beyond(v, base)]
    need = int(threshold("load_dynamics_persistent_runs").value)
    return Trend(metric, unit, median(v for _, v in recent), base, len(recent), len(flagged), len(flagged) >= need,
                 tuple(p.activity_id for p in flagged if p.activity_id is not None), note)


def trends(pts: Sequence[DynamicsPoint], today: dt.date) -> list[Trend]:
    out: list[Trend] = []
    # Cadence at the runner's usual speed, when the runs give a cadence-speed line; a slower
    # week then does not read as a cadence drop. Otherwise the plain average.
    speeds = [p.speed_mps for p in pts if p.speed_mps]
    ref_speed = median(speeds) if speeds else None
    with_fit = [p for p in pts if p.cadence_fit is not None]
    if ref_speed is not None and with_fit and len(with_fit) >= len(pts) * threshold("load_cadence_fit_min_share").value:
        speed = ref_speed
        split = _split(with_fit, lambda p: p.cadence_at(speed), today)
        label, note = "cadence_at_usual_speed", f"cadence at {ref_speed * 3.6:.1f} km/h, your usual speed"
    else:
        split = _split(pts, lambda p: p.cadence_spm, today)
        label, note = "cadence", "average cadence per run (no speed data to compare like with like)"
    drop = threshold("load_cadence_drop").value
    if split:
        out.append(_trend(label, "spm", *split, beyond=lambda v, b: v < b * (1.0 - drop), note=note))

    green = threshold("load_gct_balance_green_halfwidth").value
    shift = threshold("load_gct_balance_shift").value
    split = _split(pts, lambda p: p.stance_time_balance_pct, today)
    if split:
        recent, baseline = split
        base_dev = median(abs(b - 50.0) for b in baseline)
        out.append(_trend(
            "stance_time_balance", "%", recent, baseline,
            beyond=lambda v, _b: abs(v - 50.0) > green and abs(v - 50.0) >= base_dev + shift,
            note=f"Your recent median is {balance_population_band(median(v for _, v in recent))} "
                 f"(Garmin's green band is {50 - green:.1f}-{50 + green:.1f} %); a percentile, not a risk level"))
    rise = threshold("load_vertical_oscillation_rise").value
    split = _split(pts, lambda p: p.vertical_oscillation_mm, today)
    if split:
        out.append(_trend("vertical_oscillation", "mm", *split, beyond=lambda v, b: v > b * (1.0 + rise)))
    for metric, unit, getter in (
        ("stance_time", "ms", lambda p: p.stance_time_ms),
        ("vertical_ratio", "%", lambda p: p.vertical_ratio_pct),
        ("step_length", "mm", lambda p: p.step_length_mm),
    ):
        split = _split(pts, getter, today)
        if split:
            # Shown for the plots and the report; no finding rule (no evidence for one).
            recent, baseline = split
            out.append(Trend(metric, unit, median(v for _, v in recent), median(baseline), len(recent), 0, False, ()))
    return out
