"""Numbers computed from a series when the device did not write them, and series clean-up.

Readers call :func:`clean_series` on what they decoded, then :func:`fill_from_series` to
fill any total the file did not carry. Device-written totals always win: they include what
the watch knew and the file no longer shows (auto-pause, sensor fusion).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from backstride.activities.model import DYNAMICS_CHANNELS, Activity, Series
from backstride.evidence import threshold
from backstride.units import format_duration

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def clean_series(columns: dict[str, np.ndarray], warnings: list[str]) -> Series:
    """Drop samples whose time runs backwards, and blank sentinels and impossible values.

    Watches write heart rate 255 when the strap drops out, cadence 0 while the runner is
    clearly moving (a footpod losing contact), and occasionally a timestamp that jumps back
    (a clock sync mid-run). None of those are believed; each is reported once.
    """
    time_s = np.asarray(columns["time_s"], dtype="f8")
    keep = np.isfinite(time_s)
    if len(time_s):
        running_max = np.maximum.accumulate(np.where(np.isfinite(time_s), time_s, -np.inf))
        backwards = np.zeros(len(time_s), dtype=bool)
        backwards[1:] = time_s[1:] < running_max[:-1]
        if backwards.any():
            warnings.append(f"{int(backwards.sum())} samples whose time ran backwards were left out")
        keep &= ~backwards
    out = {name: np.asarray(col)[keep] for name, col in columns.items()}

    alt = out.get("altitude_m")
    if alt is not None:
        placeholders = placeholder_elevations(alt)
        if placeholders.any():
            alt = alt.astype("f4")
            alt[placeholders] = np.nan
            out["altitude_m"] = alt
            warnings.append(f"{int(placeholders.sum())} elevation values of exactly 0 m (placeholders the app "
                            "wrote where it had no elevation) were ignored before climb and descent were computed")

    hr = out.get("heart_rate_bpm")
    if hr is not None:
        hr_max = threshold("load_heart_rate_plausible_max").value
        hr_min = threshold("load_heart_rate_plausible_min").value
        bad = np.isfinite(hr) & ((hr >= hr_max) | (hr < hr_min))
        if bad.any():
            hr = hr.astype("f4")
            hr[bad] = np.nan
            out["heart_rate_bpm"] = hr
            warnings.append(f"{int(bad.sum())} heart-rate samples outside "
                            f"{hr_min:.0f}-{hr_max:.0f} bpm "
                            "(sensor drop-outs) were ignored")
    cad = out.get("cadence_spm")
    speed = out.get("speed_mps")
    if cad is not None:
        cad = cad.astype("f4")
        moving = speed > threshold("load_cadence_gap_speed").value if speed is not None else np.ones(len(cad), bool)
        zero_moving = np.isfinite(cad) & (cad <= 0) & moving
        # While standing a cadence of 0 is true; while moving it is a sensor gap.
        cad[zero_moving | (np.isfinite(cad) & (cad < 0))] = np.nan
        if zero_moving.any():
            warnings.append(f"{int(zero_moving.sum())} cadence samples of 0 while moving (sensor gaps) were ignored")
        out["cadence_spm"] = cad
    for name in DYNAMICS_CHANNELS:
        col = out.get(name)
        if col is not None:
            col = col.astype("f4")
            col[np.isfinite(col) & (col <= 0)] = np.nan
            out[name] = col
    for name in list(out):
        if name != "time_s" and not np.isfinite(out[name]).any():
            del out[name]
    return Series(out)


def placeholder_elevations(altitude_m: np.ndarray) -> np.ndarray:
    """Which samples are an app's "no elevation" placeholder (exactly 0.0), as a mask.

    Exactly 0.0 among points that otherwise sit well away from sea level, or a track whose
    every elevation is 0.0, is a placeholder; a coastal run hovering around 0 m is not.
    """
    alt = np.asarray(altitude_m, dtype="f8")
    finite = np.isfinite(alt)
    zero = finite & (alt == 0.0)
    if not zero.any():
        return zero
    others = alt[finite & ~zero]
    if len(others) == 0:
        return zero
    offset = threshold("activities_placeholder_elevation_offset").value
    if float(np.min(np.abs(others))) >= offset:
        return zero
    return np.zeros(len(alt), dtype=bool)


def add_speed(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Give a speed channel to a track that has none (GPX, some TCX), from distance or
    positions, smoothed over five samples so GPS jitter does not read as sprinting."""
    speed = columns.get("speed_mps")
    if speed is not None and np.isfinite(speed).any():
        return columns
    t = np.asarray(columns["time_s"], dtype="f8")
    if len(t) < 3:
        return columns
    order_ok = bool(np.all(np.diff(t) >= 0))
    cum = track_distance_m(Series({k: v for k, v in columns.items() if k in ("time_s", "distance_m", "lat_deg", "lon_deg")}))
    if cum is None or not order_ok:
        return columns
    width = int(threshold("activities_speed_smoothing").value)
    kernel = np.ones(width) / width
    dist_step = np.convolve(np.gradient(cum), kernel, mode="same")
    time_step = np.convolve(np.gradient(t), kernel, mode="same")
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.where(time_step > 0, dist_step / time_step, np.nan)
    out = dict(columns)
    out["speed_mps"] = speed.astype("f4")
    return out


def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def track_distance_m(series: Series) -> np.ndarray | None:
    """Cumulative distance: the device's own if present, else from positions."""
    dist = series.get("distance_m")
    if dist is not None and np.isfinite(dist).sum() >= 2:
        filled = _ffill(dist.astype("f8"))
        return np.maximum.accumulate(np.nan_to_num(filled, nan=0.0))
    lat, lon = series.get("lat_deg"), series.get("lon_deg")
    if lat is None or lon is None:
        return None
    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.sum() < 2:
        return None
    idx = np.flatnonzero(ok)
    steps = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]])
    cum = np.full(len(lat), np.nan)
    cum[idx] = np.concatenate([[0.0], np.cumsum(steps)])
    return np.nan_to_num(_ffill(cum), nan=0.0)


def _ffill(values: np.ndarray) -> np.ndarray:
    ok = np.isfinite(values)
    if ok.all() or not ok.any():
        return values
    idx = np.where(ok, np.arange(len(values)), 0)
    np.maximum.accumulate(idx, out=idx)
    out = values[idx]
    out[: np.argmax(ok)] = np.nan
    return out


def elevation_gain_loss_m(altitude_m: np.ndarray) -> tuple[float, float]:
    """Total ascent and descent with a hysteresis band, so sensor noise does not add up."""
    alt = altitude_m[np.isfinite(altitude_m)].astype("f8")
    if len(alt) < 2:
        return 0.0, 0.0
    band = threshold("load_elevation_hysteresis").value
    gain = loss = 0.0
    ref = alt[0]
    for value in alt[1:]:  # a short loop: only runs where the signal moves past the band
        if value >= ref + band:
            gain += value - ref
            ref = value
        elif value <= ref - band:
            loss += ref - value
            ref = value
    return gain, loss


def downhill_distance_m(series: Series, cum_dist: np.ndarray | None) -> float | None:
    """Distance covered on descents steeper than the ``downhill_grade`` threshold.

    Gradient is taken over ``grade_window`` metres of horizontal distance, which smooths
    barometer steps without hiding a real hill.
    """
    alt = series.get("altitude_m")
    if alt is None or cum_dist is None:
        return None
    ok = np.isfinite(alt)
    if ok.sum() < 2 or cum_dist[-1] <= 0:
        return None
    window_m = threshold("load_grade_window").value
    grid = np.arange(0.0, float(cum_dist[-1]) + window_m, window_m)
    d, a = cum_dist[ok], alt[ok].astype("f8")
    d_unique, first = np.unique(d, return_index=True)
    if len(d_unique) < 2:
        return 0.0
    alt_grid = np.interp(grid, d_unique, a[first])
    grade_pct = np.diff(alt_grid) / window_m * 100.0
    return float((grade_pct <= threshold("load_downhill_grade").value).sum() * window_m)


def cadence_speed_fit(series: Series) -> tuple[float, float] | None:
    """Least-squares line of cadence (spm) against speed (m/s) while running.

    Cadence rises with speed, so a trend in raw cadence can just be a trend in pace. The
    line lets us compare runs at the same speed.
    """
    cad, speed = series.get("cadence_spm"), series.get("speed_mps")
    if cad is None or speed is None:
        return None
    lo, hi = threshold("load_cadence_fit_speed_min").value, threshold("load_cadence_fit_speed_max").value
    ok = np.isfinite(cad) & np.isfinite(speed) & (speed >= lo) & (speed <= hi)
    if ok.sum() < threshold("load_cadence_fit_min_samples").value:
        return None
    x, y = speed[ok].astype("f8"), cad[ok].astype("f8")
    if float(np.ptp(x)) < threshold("activities_cadence_fit_min_speed_spread").value:  # one speed: no slope
        return None
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept), float(slope)


def moving_time_s(series: Series, cum_dist: np.ndarray | None) -> float:
    """Time spent moving faster than ``moving_speed_min`` (auto-pause as a watch does it)."""
    t = series.columns["time_s"]
    if len(t) < 2:
        return 0.0
    dt_s = np.diff(t)
    speed = series.get("speed_mps")
    if speed is not None and np.isfinite(speed).any():
        seg_speed = np.nan_to_num(speed[1:].astype("f8"), nan=0.0)
    elif cum_dist is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            seg_speed = np.where(dt_s > 0, np.diff(cum_dist) / dt_s, 0.0)
    else:
        return float(t[-1] - t[0])
    return float(dt_s[seg_speed > threshold("load_moving_speed_min").value].sum())


def _mean(col: np.ndarray | None) -> float | None:
    if col is None:
        return None
    ok = np.isfinite(col)
    return float(col[ok].mean()) if ok.any() else None


def hr_trimp(series: Series) -> float | None:
    """Banister TRIMP summed sample by sample, with the default resting and maximum heart rate.

    Gaps longer than ``trimp_max_gap`` (auto-pause, lost signal) count only up to that long,
    so a paused watch does not add load.
    """
    hr = series.get("heart_rate_bpm")
    t = series.columns["time_s"]
    if hr is None or len(t) < 2:
        return None
    ok = np.isfinite(hr[1:])
    if ok.sum() < 2:
        return None
    rest, top = threshold("load_trimp_hr_rest").value, threshold("load_trimp_hr_max").value
    a, b = threshold("load_trimp_a").value, threshold("load_trimp_b").value
    dt_min = np.clip(np.diff(t), 0.0, threshold("load_trimp_max_gap").value)[ok] / 60.0
    hrr = np.clip((hr[1:][ok].astype("f8") - rest) / (top - rest), 0.0, 1.0)
    return float(a * np.sum(dt_min * hrr * np.exp(b * hrr)))


def fill_from_series(activity: Activity, warnings: list[str] | None = None, *,
                     salvaged: bool = False) -> Activity:
    """Fill totals the file did not carry, and the derived per-run numbers load needs; then
    make the totals plausible (see :func:`plausible_totals`), each correction a warning.

    ``salvaged``: the file was damaged and only part of it was read, so totals the file
    states for the whole recording are replaced by what the samples that were read show.
    """
    series = activity.series
    if series is None or len(series) == 0:
        return plausible_totals(activity, None, warnings if warnings is not None else [])
    cum = track_distance_m(series)
    changes: dict[str, object] = {}
    if activity.distance_m is None and cum is not None:
        changes["distance_m"] = float(cum[-1] - cum[0])
    alt = series.get("altitude_m")
    if alt is not None and (activity.ascent_m is None or activity.descent_m is None):
        gain, loss = elevation_gain_loss_m(alt)
        if activity.ascent_m is None:
            changes["ascent_m"] = gain
        if activity.descent_m is None:
            changes["descent_m"] = loss
    hr = series.get("heart_rate_bpm")
    if activity.avg_hr_bpm is None and hr is not None:
        changes["avg_hr_bpm"] = _mean(hr)
    if activity.max_hr_bpm is None and hr is not None and np.isfinite(hr).any():
        changes["max_hr_bpm"] = float(np.nanmax(hr))
    if activity.avg_cadence_spm is None:
        changes["avg_cadence_spm"] = _mean(series.get("cadence_spm"))
    own = activity.dynamics.values()
    if any(v is None for v in own.values()):
        merged = {name: value if value is not None else _mean(series.get(name)) for name, value in own.items()}
        if merged != own:
            changes["dynamics"] = replace(activity.dynamics, **merged)  # type: ignore[arg-type]
    if activity.avg_power_w is None and series.get("power_w") is not None:
        changes["avg_power_w"] = _mean(series.get("power_w"))
    if activity.downhill_m is None:
        changes["downhill_m"] = downhill_distance_m(series, cum)
    if activity.cadence_speed_fit is None and activity.sport in ("running", "walking"):
        changes["cadence_speed_fit"] = cadence_speed_fit(series)
    if activity.hr_trimp is None:
        changes["hr_trimp"] = hr_trimp(series)
    out = replace(activity, **changes)  # type: ignore[arg-type]
    notes = warnings if warnings is not None else []
    if salvaged:
        out = totals_from_samples(out, cum, notes)
    out = plausible_totals(out, cum, notes)
    if out.avg_speed_mps is None and out.distance_m and out.timer_s > 0:
        out = replace(out, avg_speed_mps=out.distance_m / out.timer_s)
    return out


def totals_from_samples(act: Activity, cum: np.ndarray | None, warnings: list[str]) -> Activity:
    """Totals of a salvaged recording from the samples that were read.

    A damaged file's lap or session totals may describe the whole recording (a lap timer that
    ran on) or only the part that survived (one lap of many); the samples read are the only
    totals that match each other.
    """
    series = act.series
    if series is None or len(series) < 2:
        return act
    t = series.columns["time_s"]
    span = float(t[-1] - t[0])
    moving = min(moving_time_s(series, cum), span)
    distance = float(cum[-1] - cum[0]) if cum is not None else None
    changes: dict[str, object] = {}
    said = []
    if abs(act.elapsed_s - span) > threshold("activities_time_tolerance").value:
        changes["elapsed_s"] = span
        said.append(f"elapsed time {format_duration(span)}")
    if abs(act.timer_s - moving) > threshold("activities_time_tolerance").value:
        changes["timer_s"] = moving
        said.append(f"moving time {format_duration(moving)}")
    if distance is not None and (act.distance_m is None or abs(act.distance_m - distance) > 1.0):
        changes["distance_m"] = distance
        said.append(f"distance {distance / 1000:.2f} km")
    if not changes:
        return act
    warnings.append("totals were taken from the samples that could be read (" + ", ".join(said)
                    + "), not from the damaged file's own summary, which did not match them")
    changes["avg_speed_mps"] = None
    return replace(act, **changes)  # type: ignore[arg-type]


def plausible_totals(act: Activity, cum: np.ndarray | None, warnings: list[str]) -> Activity:
    """Moving (timer) time never exceeds elapsed time; correct it and say so if it does."""
    tolerance = threshold("activities_time_tolerance").value
    if act.timer_s <= act.elapsed_s + tolerance:
        return act
    series = act.series
    if series is not None and len(series) >= 2:
        fixed = min(moving_time_s(series, cum), act.elapsed_s)
    else:
        fixed = act.elapsed_s
    warnings.append(f"the moving time ({format_duration(act.timer_s)}) was longer than the elapsed time "
                    f"({format_duration(act.elapsed_s)}), which is impossible; the moving time was recomputed from the "
                    f"samples as {format_duration(fixed)}")
    return replace(act, timer_s=fixed, avg_speed_mps=None)
