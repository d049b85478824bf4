"""Realistic synthetic runs for demos, tests and benchmarks (no real person's data).

:func:`generate_runs` lays out a plausible recreational training block: three to five runs
a week, an easy/quality/long pattern, a long run that grows and drops back every fourth
week, now and then a treadmill or trail run, and rare over-long runs (spikes), so that every
load finding has something to say. Each run carries a 1 Hz series with heart rate, cadence
that rises with speed, altitude, and running dynamics. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from backstride.activities.compute import fill_from_series
from backstride.activities.model import Activity, DynamicsSummary, Series

HOME_LAT_DEG, HOME_LON_DEG = 52.0907, 5.1214  # an arbitrary park; routes loop around it
M_PER_DEG_LAT = 111_320.0

# weekday -> (kind, probability of running that day); Monday = 0
_WEEK = {0: ("rest", 0.0), 1: ("easy", 0.9), 2: ("tempo", 0.7), 3: ("easy", 0.8), 4: ("rest", 0.1),
         5: ("easy", 0.6), 6: ("long", 0.9)}


def generate_runs(start_date: dt.date, days: int, seed: int = 0, *, with_series: bool = True,
                  balance_shift_from: dt.date | None = None) -> list[Activity]:
    """Runs from ``start_date`` for ``days`` days.

    ``balance_shift_from`` makes the ground-contact balance drift 2 points to one side from
    that date (a demo of the persistent-asymmetry finding).
    """
    rng = np.random.default_rng(seed)
    runs: list[Activity] = []
    long_run_min = 60.0
    for k in range(days):
        day = start_date + dt.timedelta(days=k)
        kind, p = _WEEK[day.weekday()]
        if kind == "rest" and rng.random() >= p:
            continue
        if rng.random() >= max(p, 0.1):
            continue
        week_index = k // 7
        if kind == "long":
            # grow the long run 5 % a week, drop back every fourth week (a common plan shape)
            long_run_min = 60.0 * (1.05 ** (week_index % 12)) * (0.8 if week_index % 4 == 3 else 1.0)
            minutes = min(long_run_min, 120.0)
            if rng.random() < 0.04:
                minutes = min(minutes * 1.5, 120.0)  # the occasional over-long run
        elif kind == "tempo":
            minutes = float(rng.uniform(35, 55))
        else:
            minutes = float(rng.uniform(30, 60))
        start = dt.datetime.combine(day, dt.time(6, 30), tzinfo=dt.UTC) + dt.timedelta(
            minutes=float(rng.integers(0, 12 * 60)))
        surface = rng.choice(["road", "road", "road", "road", "road", "road", "road", "road", "treadmill", "trail"])
        shift = 2.0 if balance_shift_from is not None and day >= balance_shift_from else 0.0
        runs.append(generate_run(start, minutes * 60.0, kind=kind, surface=str(surface), rng=rng,
                                 with_series=with_series, balance_offset_pct=shift))
    return runs


def generate_run(start_time: dt.datetime, duration_s: float, *, kind: str = "easy", surface: str = "road",
                 rng: np.random.Generator | None = None, with_series: bool = True,
                 balance_offset_pct: float = 0.0) -> Activity:
    """One run with a 1 Hz series (every channel a running watch with a chest strap records)."""
    rng = rng if rng is not None else np.random.default_rng(0)
    n = max(int(duration_s), 60)
    t = np.arange(n, dtype="f8")
    base_speed = {"easy": 2.8, "tempo": 3.4, "long": 2.75}.get(kind, 2.9) * float(rng.uniform(0.93, 1.07))
    # slow variation (terrain, traffic) plus a short warm-up
    wobble = 0.15 * np.sin(2 * math.pi * t / float(rng.uniform(400, 900))) + rng.normal(0, 0.05, n)
    warmup = np.clip(t / 300.0, 0.75, 1.0)
    speed = np.clip(base_speed * warmup + wobble, 1.5, 6.0)
    if kind == "tempo":
        block = (t > 0.25 * n) & (t < 0.75 * n)
        speed = np.where(block, speed * 1.12, speed)
    dist = np.cumsum(speed)
    hilly = surface == "trail"
    amp = 35.0 if hilly else 6.0
    alt = 20.0 + amp * np.sin(2 * math.pi * dist / (2500.0 if hilly else 4000.0)) + rng.normal(0, 0.3, n)
    # heart rate: rises to a steady state that depends on speed, with slow cardiac drift
    hr_target = 95.0 + 18.0 * speed + 8.0 * (t / max(n, 1))
    hr = hr_target - (hr_target - 75.0) * np.exp(-t / 120.0) + rng.normal(0, 1.5, n)
    cadence = 128.0 + 12.0 * speed + rng.normal(0, 2.0, n)           # steps/min, rises with speed
    step_length_mm = speed / (cadence / 60.0) * 1000.0
    stance_ms = 330.0 - 22.0 * speed + rng.normal(0, 6.0, n)
    balance = 50.0 + 0.3 + balance_offset_pct + rng.normal(0, 0.6, n)
    vo_mm = 78.0 + 4.0 * (speed - 2.8) + rng.normal(0, 3.0, n)
    vr_pct = vo_mm / step_length_mm * 100.0
    columns: dict[str, np.ndarray] = {
        "time_s": t, "distance_m": dist.astype("f4"), "altitude_m": alt.astype("f4"), "speed_mps": speed.astype("f4"),
        "heart_rate_bpm": np.round(hr).astype("f4"), "cadence_spm": np.round(cadence).astype("f4"),
        "stance_time_ms": np.round(stance_ms).astype("f4"), "stance_time_balance_pct": balance.astype("f4"),
        "vertical_oscillation_mm": vo_mm.astype("f4"), "vertical_ratio_pct": vr_pct.astype("f4"),
        "step_length_mm": np.round(step_length_mm).astype("f4"),
    }
    if surface != "treadmill":
        radius_m = float(dist[-1]) / (2 * math.pi)
        angle = dist / max(radius_m, 1.0)
        columns["lat_deg"] = HOME_LAT_DEG + radius_m * np.sin(angle) / M_PER_DEG_LAT
        columns["lon_deg"] = HOME_LON_DEG + radius_m * (1 - np.cos(angle)) / (
            M_PER_DEG_LAT * math.cos(math.radians(HOME_LAT_DEG)))
    series = Series(columns)
    act = Activity(
        sport="running", sub_sport=None if surface == "road" else surface, start_time=start_time,
        elapsed_s=float(n), timer_s=float(n), distance_m=float(dist[-1]), laps=max(1, int(dist[-1] // 1000)),
        avg_hr_bpm=float(np.mean(columns["heart_rate_bpm"])), max_hr_bpm=float(np.max(columns["heart_rate_bpm"])),
        avg_cadence_spm=float(np.mean(columns["cadence_spm"])), avg_speed_mps=float(dist[-1] / n),
        dynamics=DynamicsSummary(
            stance_time_ms=float(np.mean(stance_ms)), stance_time_balance_pct=float(np.mean(balance)),
            vertical_oscillation_mm=float(np.mean(vo_mm)), vertical_ratio_pct=float(np.mean(vr_pct)),
            step_length_mm=float(np.mean(step_length_mm))),
        source_format="synthetic", device="backstride synthetic", name=f"{kind.capitalize()} run",
        series=series,
    )
    act = fill_from_series(act)
    return act if with_series else act.without_series()
