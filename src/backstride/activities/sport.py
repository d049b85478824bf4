"""Which sport a recording was, when the file does not say, and whether a "run" was one.

:func:`infer_sport` weighs a track's own evidence: how fast it moved (the median and spread of
its moving speed), the cadence, the heart rate and the app that wrote it. It returns a sport
with a confidence from 0 to 1 and the reasons in words; below the
``activities_infer_min_confidence`` threshold the sport stays unknown and the runner is asked.

:func:`sustained_speed_mps` is the best average speed over a window; a "run" whose sustained
speed is beyond human running is kept out of running load until the runner confirms it.
These are rules of thumb with stated thresholds, not a trained classifier.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from backstride.activities.model import STEP_SPORTS, Activity, Series
from backstride.evidence import threshold

# Words in a creator/app name that say which sport the app records.
_APP_WORDS: tuple[tuple[str, str], ...] = (
    ("zwift", "cycling"), ("wahoo", "cycling"), ("bryton", "cycling"), ("lezyne", "cycling"),
    ("hammerhead", "cycling"), ("karoo", "cycling"), ("edge", "cycling"), ("cyclemeter", "cycling"),
    ("bike", "cycling"), ("velo", "cycling"), ("ride", "cycling"),
    ("stryd", "running"), ("runkeeper", "running"), ("runtastic", "running"), ("nike run", "running"),
    ("run", "running"),
)

SPORT_WORDS = {"running": "a run", "walking": "a walk", "hiking": "a hike", "cycling": "a ride"}


@dataclass(frozen=True)
class SportGuess:
    sport: str            # "running", "walking" or "cycling"
    confidence: float     # 0-1
    reasons: tuple[str, ...]

    def describe(self) -> str:
        return f"{SPORT_WORDS.get(self.sport, self.sport)} ({self.confidence * 100:.0f} % confident: " \
               + "; ".join(self.reasons) + ")"


def _pace(speed_mps: float) -> str:
    if speed_mps <= 0:
        return "-"
    sec = 1000.0 / speed_mps
    return f"{int(sec // 60)}:{round(sec % 60) % 60:02d}/km"


def _moving_speed(series: Series) -> np.ndarray:
    speed = series.get("speed_mps")
    if speed is None:
        return np.empty(0)
    ok = np.isfinite(speed) & (speed > threshold("load_moving_speed_min").value)
    return speed[ok].astype("f8")


def app_sport(creator: str | None) -> str | None:
    """The sport an app is made for, from a word at the start of a word in its name
    ("Wahoo ELEMNT", "Nike Run Club"; not the "velo" inside "development")."""
    import re

    name = (creator or "").lower()
    for word, sport in _APP_WORDS:
        if re.search(r"\b" + re.escape(word), name):
            return sport
    return None


def infer_sport(series: Series | None, creator: str | None) -> SportGuess | None:
    """The likeliest sport of an untyped track, or None when there is too little to go on."""
    if series is None:
        return None
    speed = _moving_speed(series)
    if len(speed) < threshold("activities_infer_min_moving_samples").value:
        return None
    v50 = float(np.median(speed))
    v90 = float(np.percentile(speed, 90))
    reasons = [f"median moving speed {v50 * 3.6:.1f} km/h ({_pace(v50)})"]
    walk_run = threshold("activities_walk_run_speed").value
    ride = threshold("activities_ride_speed").value
    base = threshold("activities_infer_confidence_speed").value
    w_cad = threshold("activities_infer_weight_cadence").value
    w_hr = threshold("activities_infer_weight_heart_rate").value
    w_app = threshold("activities_infer_weight_app").value
    if v50 < walk_run:
        sport, confidence = "walking", base
    elif v50 <= ride:
        # near the walk-run transition speed alone says little (a brisk walk, a slow jog, a hike)
        weak = v50 < threshold("activities_jog_speed").value
        sport, confidence = "running", threshold("activities_infer_confidence_speed_weak").value if weak else base
    else:
        fast = v90 >= threshold("activities_fast_ride_speed").value
        sport, confidence = "cycling", base + (w_cad if fast else w_hr)

    cad = series.get("cadence_spm")
    cad_ok = cad[np.isfinite(cad) & (cad > 0)] if cad is not None else np.empty(0)
    if len(cad_ok) >= len(speed) // 4 and len(cad_ok) > 0:
        c50 = float(np.median(cad_ok))
        lo, hi = threshold("activities_run_cadence_min").value, threshold("activities_run_cadence_max").value
        if sport == "running" and lo <= c50 <= hi:
            confidence += w_cad
            reasons.append(f"cadence {c50:.0f} steps/min, a running cadence")
        elif sport == "running" and c50 < lo:
            confidence -= w_cad
            reasons.append(f"cadence {c50:.0f} steps/min, low for running")
        elif sport == "walking" and c50 >= lo:
            sport, confidence = "running", base
            reasons.append(f"cadence {c50:.0f} steps/min, a running cadence (a slow run)")
        elif sport == "walking":
            confidence += w_cad
            reasons.append(f"cadence {c50:.0f} steps/min, a walking cadence")
        else:
            reasons.append(f"cadence {c50:.0f} per minute (a pedalling rate looks the same as a running one)")

    hr = series.get("heart_rate_bpm")
    hr_ok = hr[np.isfinite(hr)] if hr is not None else np.empty(0)
    if len(hr_ok) >= threshold("activities_infer_min_heart_rate_samples").value:
        h50 = float(np.median(hr_ok))
        if sport == "running" and h50 >= threshold("activities_run_heart_rate_min").value:
            confidence += w_hr
            reasons.append(f"median heart rate {h50:.0f} bpm, as in running")
        elif sport == "running":
            confidence -= w_hr
            reasons.append(f"median heart rate {h50:.0f} bpm, low for running")
        else:
            reasons.append(f"median heart rate {h50:.0f} bpm")

    by_app = app_sport(creator)
    if by_app is not None:
        if by_app == sport:
            confidence += w_app
            reasons.append(f"written by {creator}, an app for this sport")
        else:
            confidence -= 2 * w_app
            reasons.append(f"written by {creator}, an app usually used for {by_app}")
    # never certain, never nothing: rules of thumb, not a measurement
    return SportGuess(sport, float(np.clip(confidence, 0.05, 0.95)), tuple(reasons))


def sustained_speed_mps(act: Activity) -> float | None:
    """Best average speed over the ``activities_run_speed_window`` (or the whole activity)."""
    if act.timer_s < threshold("activities_run_speed_min_duration").value:
        return None
    window = threshold("activities_run_speed_window").value
    series = act.series
    if series is not None and len(series) >= 2:
        from backstride.activities.compute import track_distance_m

        cum = track_distance_m(series)
        t = series.columns["time_s"].astype("f8")
        if cum is not None and float(t[-1] - t[0]) > 0:
            span = float(t[-1] - t[0])
            win = min(window, span)
            end_idx = np.searchsorted(t, t + win)
            ok = end_idx < len(t)
            if not ok.any():
                return float((cum[-1] - cum[0]) / span)
            starts = np.flatnonzero(ok)
            ends = end_idx[ok]
            dt_s = t[ends] - t[starts]
            with np.errstate(divide="ignore", invalid="ignore"):
                speeds = np.where(dt_s > 0, (cum[ends] - cum[starts]) / dt_s, 0.0)
            return float(np.max(speeds))
    if act.distance_m and act.timer_s > 0:
        return act.distance_m / act.timer_s
    return None


def check_sport(act: Activity, warnings: list[str]) -> Activity:
    """Name the sport of an untyped track, and hold back a "run" too fast to be running."""
    if act.sport in ("unknown", "generic"):  # FIT "generic": the watch was not told the sport
        if act.sport == "generic":
            act = replace(act, sport="unknown")
        guess = infer_sport(act.series, act.device)
        if guess is None:
            act = replace(act, avg_cadence_spm=None)
            warnings.append("the file does not say which sport this was and there is too little movement "
                            "in it to tell; it is stored as 'unknown' and left out of running load until "
                            "you set its sport")
        elif guess.confidence >= threshold("activities_infer_min_confidence").value:
            act = _with_sport(act, guess.sport, source="inferred", confidence=guess.confidence)
            counted = " It counts as a run in your load." if guess.sport == "running" else ""
            warnings.append(f"the file does not say which sport this was; it looks like {guess.describe()}."
                            f"{counted} If that is wrong, change the sport of this activity.")
        else:
            # the cadence's unit depends on the sport (steps or pedal strokes): not shown until it is known
            act = replace(act, sport_confidence=guess.confidence, avg_cadence_spm=None)
            warnings.append(f"the file does not say which sport this was; it might be {guess.describe()}, "
                            "which is not sure enough, so it is stored as 'unknown' and left out of running "
                            "load until you set its sport")
    if act.sport == "running":
        top = threshold("activities_run_speed_sustained_max").value
        speed = sustained_speed_mps(act)
        if speed is not None and speed > top:
            minutes = min(threshold("activities_run_speed_window").value, act.timer_s) / 60.0
            act = replace(act, needs_sport_confirmation=True)
            warnings.append(
                f"this is recorded as a run, but it held {speed * 3.6:.1f} km/h ({_pace(speed)}) for "
                f"{minutes:.0f} minutes, faster than anyone has run (the 10 km world record averages "
                "22.9 km/h); it is kept out of your running load until you confirm it was a run or "
                "set its sport")
    return act


SETTABLE_SPORTS = ("running", "walking", "hiking", "cycling", "swimming", "other")


def with_sport(act: Activity, sport: str) -> Activity:
    """The activity as the runner says it was (their word ends any hold)."""
    return _with_sport(act, sport, source="runner", confidence=None)


def _with_sport(act: Activity, sport: str, *, source: str, confidence: float | None) -> Activity:
    """The activity as another sport: a non-stepping sport keeps no steps-per-minute cadence."""
    changes: dict[str, object] = {"sport": sport, "sport_source": source, "sport_confidence": confidence,
                                  "needs_sport_confirmation": False}
    if sport in ("running", "walking") and act.cadence_speed_fit is None and act.series is not None:
        from backstride.activities.compute import cadence_speed_fit

        changes["cadence_speed_fit"] = cadence_speed_fit(act.series)
    if sport not in STEP_SPORTS:
        changes["avg_cadence_spm"] = None
        changes["cadence_speed_fit"] = None
        if act.series is not None and "cadence_spm" in act.series.columns:
            changes["series"] = Series({k: v for k, v in act.series.columns.items() if k != "cadence_spm"})
    elif act.avg_cadence_spm is None and act.series is not None:
        cad = act.series.get("cadence_spm")
        if cad is not None and np.isfinite(cad).any():
            changes["avg_cadence_spm"] = float(np.nanmean(cad))
    return replace(act, **changes)  # type: ignore[arg-type]
