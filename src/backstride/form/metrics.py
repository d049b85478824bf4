"""Per-step metrics, left and right, and their summaries.

Every value carries its unit in its name. Angles are measured in the image plane and are
therefore only as good as the camera's view: side-view angles (trunk lean, knee and shank at
contact, elbow, head) come from a side view; frontal-plane angles (pelvic drop, lateral trunk
lean, step width, arm crossing) from a rear or front view. What a view cannot measure is
listed, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backstride.form.events import GaitEvents
from backstride.form.signals import Signals
from backstride.video import track as lm

SAGITTAL_ONLY = ("trunk_lean_deg", "overstride_leg", "knee_flexion_ic_deg", "shank_angle_ic_deg",
                 "elbow_angle_deg", "head_forward_deg", "ear_shoulder_gap_trunk", "shoulder_forward_trunk")
FRONTAL_ONLY = ("pelvic_drop_deg", "lateral_trunk_lean_deg", "step_width_hip", "crossover", "arm_crossing",
                "pelvis_rotation_deg", "trunk_rotation_deg")
# What no single phone camera can measure, from any view: said plainly rather than guessed.
NEVER_MEASURED = (
    "how hard the foot hits the ground and the forces in the joints",
    "which way the trunk or pelvis turns (from behind only the amount of turning shows, not its direction)",
    "movement towards or away from the camera, such as the knee moving inwards in a side view",
    "how the spine itself bends between the pelvis and the shoulders",
)
UNITS = {
    "step_time_s": "s", "contact_time_s": "s", "trunk_lean_deg": "deg", "overstride_leg": "leg lengths",
    "knee_flexion_ic_deg": "deg", "shank_angle_ic_deg": "deg", "vertical_oscillation_leg": "leg lengths",
    "vertical_oscillation_cm": "cm", "elbow_angle_deg": "deg", "head_forward_deg": "deg",
    "pelvic_drop_deg": "deg", "lateral_trunk_lean_deg": "deg", "step_width_hip": "hip widths",
    "crossover": "share", "arm_crossing": "share", "flight_time_s": "s",
    "ear_shoulder_gap_trunk": "trunk lengths", "shoulder_forward_trunk": "trunk lengths",
    "pelvis_rotation_deg": "deg", "trunk_rotation_deg": "deg",
}
FULL_WIDTH_PERCENTILE = 95.0  # the pelvis or shoulders seen square on: this percentile of their width
MIN_CONTACT_S = 0.08  # shorter than the briefest sprint contact (about 0.09 s): a timing error


@dataclass(frozen=True)
class StepMetrics:
    """One step: from one foot's contact to the other foot's next contact."""

    index: int
    side: str | None  # the foot that made this contact
    contact_frame: float
    t_s: float  # real time of the contact
    values: dict[str, float]  # metric name -> value (NaN where not measured)


@dataclass(frozen=True)
class MetricSummary:
    name: str
    unit: str
    median: float
    p25: float
    p75: float
    n: int
    left: float | None = None
    right: float | None = None

    def to_dict(self) -> dict[str, object]:
        def r(x: float | None) -> float | None:
            return None if x is None or not np.isfinite(x) else round(float(x), 4)

        return {"name": self.name, "unit": self.unit, "median": r(self.median), "p25": r(self.p25),
                "p75": r(self.p75), "n": self.n, "left": r(self.left), "right": r(self.right)}


@dataclass(frozen=True)
class GaitMetrics:
    cadence_spm: float
    steps: tuple[StepMetrics, ...]
    summaries: dict[str, MetricSummary]
    step_asymmetry_pct: float | None  # |left - right| / mean step time, %
    contact_asymmetry_pct: float | None
    not_measured: dict[str, str] = field(default_factory=dict)
    refused: tuple[dict[str, object], ...] = ()  # values that cannot happen, left out, with the reason
    undecided_steps: int = 0  # contacts where the foot in contact could not be told: counted, not measured


def angle_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle ABC in degrees (180 = straight)."""
    v1, v2 = a - b, c - b
    den = float(np.hypot(*v1) * np.hypot(*v2))
    if not np.isfinite(den) or den == 0:
        return float("nan")
    cos = float(np.dot(v1, v2)) / den
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def cadence_from_contacts(frames: np.ndarray, real_fps: float) -> float:
    """Steps per minute over the whole run of contacts: (n - 1) steps in the time they span."""
    if frames.size < 2:
        return float("nan")
    span_s = (frames[-1] - frames[0]) / real_fps
    return float((frames.size - 1) / span_s * 60.0) if span_s > 0 else float("nan")


def compute_metrics(sig: Signals, ev: GaitEvents, view: str, *, height_cm: float | None = None,
                    leg_share_of_height: float = 0.491) -> GaitMetrics:
    frames = ev.contact_frames
    fps = sig.real_fps
    sagittal = view.startswith("sagittal")
    hip = sig.hip_mid()
    sh = sig.shoulder_mid()
    leg = sig.leg_px
    n = sig.n_frames
    steps: list[StepMetrics] = []
    frontal_state = _frontal_reference(sig) if not sagittal else None
    feet = ev.feet if len(ev.feet) == frames.size else tuple(ev.sides)
    timing = ev.timing_frames
    refused: list[dict[str, object]] = []
    undecided = 0
    for k, (cf, side) in enumerate(zip(frames, ev.sides, strict=True)):
        i = round(cf)
        if not 0 <= i < n:
            continue
        foot = feet[k]
        nxt = frames[k + 1] if k + 1 < frames.size else np.nan
        t_step = float((timing[k + 1] - timing[k]) / fps) if k + 1 < timing.size else np.nan
        if foot is None:
            # the step still counts for cadence and step time (it needs no foot); nothing of the
            # foot is measured on it
            undecided += 1
            steps.append(StepMetrics(index=k, side=side, contact_frame=float(cf), t_s=float(cf / fps),
                                     values={"step_time_s": t_step}))
            continue
        values: dict[str, float] = {}
        values["step_time_s"] = t_step
        toe = ev.toe_off_frames[k] if k < ev.toe_off_frames.size else np.nan
        contact = float((toe - cf) / fps) if np.isfinite(toe) else np.nan
        flight = float((nxt - toe) / fps) if np.isfinite(toe) and np.isfinite(nxt) else np.nan
        # the physical check uses this foot's contact and the next foot's own landing
        reason = _contact_problem(contact, flight, float((nxt - cf) / fps) if np.isfinite(nxt) else np.nan)
        if reason:
            refused.append({"step": k, "metric": "contact_time_s", "value": round(contact, 4), "reason": reason})
            contact = flight = np.nan
        values["contact_time_s"] = contact
        values["flight_time_s"] = flight
        end = round(nxt) if np.isfinite(nxt) else min(n, i + round(ev.step_period_frames or 1))
        span = slice(i, max(i + 1, min(end, n)))
        hy = hip[span, 1]
        values["vertical_oscillation_leg"] = (float(np.nanmax(hy) - np.nanmin(hy)) / leg
                                             if np.isfinite(nxt) and np.isfinite(hy).sum() >= 3 else np.nan)
        if height_cm:
            values["vertical_oscillation_cm"] = values["vertical_oscillation_leg"] * leg_share_of_height * height_cm
        if sagittal:
            d = sig.direction[i]
            step_values = _sagittal_step(sig, i, span, foot, d, hip, sh, frame=float(cf))
            rear = _rear_foot(sig, i, foot, d)
            if rear:
                for name in ("overstride_leg", "knee_flexion_ic_deg", "shank_angle_ic_deg"):
                    refused.append({"step": k, "metric": name, "value": round(step_values.pop(name), 4),
                                    "reason": rear})
            values.update(step_values)
        elif frontal_state is not None:
            values.update(_frontal_step(sig, i, span, side, frontal_state))
        steps.append(StepMetrics(index=k, side=side, contact_frame=float(cf), t_s=float(cf / fps), values=values))
    arms = _sagittal_arms(sig, hip, sh) if sagittal else {}
    summaries = _summarise(steps, extra=arms)
    not_measured = {}
    if sagittal:
        for name in FRONTAL_ONLY:
            not_measured[name] = "needs a video filmed from behind or in front"
    else:
        for name in SAGITTAL_ONLY:
            not_measured[name] = "needs a video filmed from the side"
    step_asym = _asymmetry(steps, "step_time_s")
    contact_asym = _asymmetry(steps, "contact_time_s")
    return GaitMetrics(cadence_spm=cadence_from_contacts(timing, fps), steps=tuple(steps), summaries=summaries,
                       step_asymmetry_pct=step_asym, contact_asymmetry_pct=contact_asym, not_measured=not_measured,
                       refused=tuple(refused), undecided_steps=undecided)


def _contact_problem(contact_s: float, flight_s: float, step_s: float) -> str:
    """Why a contact time cannot be true, or "" when it can.

    A running step is one foot's contact and then a flight: contact + flight = step, with both
    parts positive. A contact as long as the step means no flight was seen, which is walking or
    a timing error, never a running contact.
    """
    if not np.isfinite(contact_s):
        return ""
    if contact_s < MIN_CONTACT_S:
        return f"a contact of {contact_s * 1000:.0f} ms is shorter than any running contact"
    if np.isfinite(step_s):
        if contact_s >= step_s:
            return (f"the contact ({contact_s:.3f} s) is not shorter than the step ({step_s:.3f} s): "
                    "no flight phase was seen, so this contact time cannot be right")
        if np.isfinite(flight_s) and abs(contact_s + flight_s - step_s) > 1e-6:
            return "contact and flight do not add up to the step"
    return ""


def _rear_foot(sig: Signals, i: int, foot: str, d: float) -> str:
    """A reason when the foot read as landing is the rear one at contact, else ""."""
    own = sig.xy[lm.LEFT_ANKLE if foot == "L" else lm.RIGHT_ANKLE][i, 0]
    other = sig.xy[lm.RIGHT_ANKLE if foot == "L" else lm.LEFT_ANKLE][i, 0]
    if np.isfinite(own) and np.isfinite(other) and (own - other) * d < 0:
        return "the foot read at this contact is behind the other foot: it cannot be the landing foot"
    return ""


def _side_idx(side: str | None, left: int, right: int) -> int | None:
    return left if side == "L" else right if side == "R" else None


def at_frame(series: np.ndarray, frame: float) -> np.ndarray:
    """A landmark series read at a sub-frame time by linear interpolation between its frames.

    Contact is timed between frames; reading the knee at the nearest whole frame instead would
    move it by up to half a frame (17 ms at 30 fps, when the knee bends fastest).
    """
    n = series.shape[0]
    a = int(np.clip(np.floor(frame), 0, n - 1))
    b = min(a + 1, n - 1)
    w = float(np.clip(frame - a, 0.0, 1.0))
    out: np.ndarray = series[a] * (1.0 - w) + series[b] * w
    return out


def _sagittal_step(sig: Signals, i: int, span: slice, side: str | None, d: float,
                   hip: np.ndarray, sh: np.ndarray, frame: float | None = None) -> dict[str, float]:
    out: dict[str, float] = {}
    # ``side`` here is the landmark set of the foot seen in contact (decided per step from the
    # landmarks), not the alternation label: a brief label swap must not put the rear foot here
    f = float(i) if frame is None else frame
    h = at_frame(sig.xy[lm.LEFT_HIP if side == "L" else lm.RIGHT_HIP], f)
    kn = at_frame(sig.xy[lm.LEFT_KNEE if side == "L" else lm.RIGHT_KNEE], f)
    an = at_frame(sig.xy[lm.LEFT_ANKLE if side == "L" else lm.RIGHT_ANKLE], f)
    out["overstride_leg"] = float((an[0] - at_frame(hip, f)[0]) * d / sig.leg_px)
    out["knee_flexion_ic_deg"] = 180.0 - angle_at(h, kn, an)
    # shank from vertical; positive when the ankle is ahead of the knee (shin sloping forward)
    out["shank_angle_ic_deg"] = float(np.degrees(np.arctan2((an[0] - kn[0]) * d, an[1] - kn[1])))
    # trunk lean: hip-to-shoulder line from vertical, forward positive, median over the step
    dx = (sh[span, 0] - hip[span, 0]) * sig.direction[span]
    dy = hip[span, 1] - sh[span, 1]
    lean = np.degrees(np.arctan2(dx, dy))
    out["trunk_lean_deg"] = float(np.nanmedian(lean)) if np.isfinite(lean).any() else np.nan
    return out


def _sagittal_arms(sig: Signals, hip: np.ndarray, sh: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame elbow angle of the arm nearer the camera and the head's forward angle."""
    vis_l = np.nanmedian(sig.visibility[lm.LEFT_ELBOW])
    vis_r = np.nanmedian(sig.visibility[lm.RIGHT_ELBOW])
    s_i, e_i, w_i = ((lm.LEFT_SHOULDER, lm.LEFT_ELBOW, lm.LEFT_WRIST) if vis_l >= vis_r
                     else (lm.RIGHT_SHOULDER, lm.RIGHT_ELBOW, lm.RIGHT_WRIST))
    s, e, w = sig.xy[s_i], sig.xy[e_i], sig.xy[w_i]
    v1, v2 = s - e, w - e
    cos = np.sum(v1 * v2, axis=1) / (np.linalg.norm(v1, axis=1) * np.linalg.norm(v2, axis=1))
    elbow = np.degrees(np.arccos(np.clip(cos, -1, 1)))
    ears = sig.mid(lm.LEFT_EAR, lm.RIGHT_EAR)
    neck = np.degrees(np.arctan2((ears[:, 0] - sh[:, 0]) * sig.direction, sh[:, 1] - ears[:, 1]))
    trunk = np.degrees(np.arctan2((sh[:, 0] - hip[:, 0]) * sig.direction, hip[:, 1] - sh[:, 1]))
    # The head's lean beyond the trunk's own lean: a runner leaning forward is not "head forward".
    out = {"elbow_angle_deg": elbow, "head_forward_deg": neck - trunk}
    out.update(shoulder_posture(hip, sh, ears, sig.direction))
    return out


def shoulder_posture(hip: np.ndarray, sh: np.ndarray, ears: np.ndarray, direction: np.ndarray) -> dict[str, np.ndarray]:
    """Side view, per frame: how high the shoulders sit and how far forward they are rounded.

    ``ear_shoulder_gap_trunk``: the ear's height above the shoulder along the trunk's own
    axis, in trunk lengths (hip to shoulder). Shoulders pulled up towards the ears make it
    small. ``shoulder_forward_trunk``: how far the shoulder sits ahead of the straight line
    from hip to ear, in trunk lengths; rounded (forward) shoulders make it large. Both are
    ratios of lengths in the image, so camera distance cancels; both assume a side view.
    """
    axis = ears - hip
    axis_len = np.linalg.norm(axis, axis=1)
    trunk_len = np.linalg.norm(sh - hip, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = axis / axis_len[:, None]
        rel = ears - sh
        along = rel[:, 0] * unit[:, 0] + rel[:, 1] * unit[:, 1]
        gap = along / trunk_len
        # signed distance of the shoulder from the hip-ear line, forward (travel direction) positive
        v = sh - hip
        cross = unit[:, 0] * v[:, 1] - unit[:, 1] * v[:, 0]  # + when the shoulder lies to the image right of the line
        forward = cross * direction / trunk_len
    return {"ear_shoulder_gap_trunk": gap, "shoulder_forward_trunk": forward}


@dataclass(frozen=True)
class _Frontal:
    obliquity_bias_deg: float
    trunk_bias_deg: float
    left_is_image_left: bool
    hip_width_px: float
    hip_width_full_px: float = float("nan")  # apparent width when the pelvis faces the camera square on
    shoulder_width_full_px: float = float("nan")


def rotation_from_width(width: np.ndarray, full: float) -> np.ndarray:
    """Turn about the vertical axis read from foreshortening: a line of true width ``full``
    seen turned by angle a looks ``full * cos(a)`` wide. Only the amount shows, not the way."""
    if not np.isfinite(full) or full <= 0:
        return np.full(width.shape, np.nan)
    out: np.ndarray = np.degrees(np.arccos(np.clip(width / full, 0.0, 1.0)))
    return out


def _frontal_reference(sig: Signals) -> _Frontal:
    lh, rh = sig.xy[lm.LEFT_HIP], sig.xy[lm.RIGHT_HIP]
    obl = np.degrees(np.arctan2(rh[:, 1] - lh[:, 1], np.abs(rh[:, 0] - lh[:, 0])))
    hip, sh = sig.hip_mid(), sig.shoulder_mid()
    trunk = np.degrees(np.arctan2(sh[:, 0] - hip[:, 0], hip[:, 1] - sh[:, 1]))
    width = np.abs(rh[:, 0] - lh[:, 0])
    shw = np.abs(sig.xy[lm.RIGHT_SHOULDER][:, 0] - sig.xy[lm.LEFT_SHOULDER][:, 0])
    # the widest usual appearance is the square-on one (a high percentile, so one glitch does not set it)
    full_hip = float(np.nanpercentile(width, FULL_WIDTH_PERCENTILE)) if np.isfinite(width).any() else float("nan")
    full_sh = float(np.nanpercentile(shw, FULL_WIDTH_PERCENTILE)) if np.isfinite(shw).any() else float("nan")
    return _Frontal(obliquity_bias_deg=float(np.nanmedian(obl)), trunk_bias_deg=float(np.nanmedian(trunk)),
                    left_is_image_left=bool(np.nanmedian(lh[:, 0] - rh[:, 0]) < 0),
                    hip_width_px=float(np.nanmedian(width)), hip_width_full_px=full_hip,
                    shoulder_width_full_px=full_sh)


def _frontal_step(sig: Signals, i: int, span: slice, side: str | None, ref: _Frontal) -> dict[str, float]:
    out: dict[str, float] = {}
    if side is None:
        return out
    lh, rh = sig.xy[lm.LEFT_HIP][span], sig.xy[lm.RIGHT_HIP][span]
    # obliquity: + when the right hip is lower (image y grows downwards); the clip median is
    # removed so a tilted camera does not read as a drop
    obl = np.degrees(np.arctan2(rh[:, 1] - lh[:, 1], np.abs(rh[:, 0] - lh[:, 0]))) - ref.obliquity_bias_deg
    drop = obl if side == "L" else -obl  # in left stance the right (swing) side drops
    out["pelvic_drop_deg"] = float(np.nanmax(drop)) if np.isfinite(drop).any() else np.nan
    hip, sh = sig.hip_mid()[span], sig.shoulder_mid()[span]
    trunk = np.degrees(np.arctan2(sh[:, 0] - hip[:, 0], hip[:, 1] - sh[:, 1])) - ref.trunk_bias_deg
    # towards the stance side: the stance leg's image side
    stance_on_image_left = (side == "L") == ref.left_is_image_left
    toward = -trunk if stance_on_image_left else trunk
    out["lateral_trunk_lean_deg"] = float(np.nanmax(toward)) if np.isfinite(toward).any() else np.nan
    mid_x = sig.hip_mid()[i, 0]
    ank = sig.xy[lm.LEFT_ANKLE if side == "L" else lm.RIGHT_ANKLE][i]
    other = sig.xy[lm.RIGHT_ANKLE if side == "L" else lm.LEFT_ANKLE][i]
    own_sign = -1.0 if stance_on_image_left else 1.0
    out["step_width_hip"] = float(abs(ank[0] - other[0]) / ref.hip_width_px) if ref.hip_width_px > 0 else np.nan
    out["crossover"] = float((ank[0] - mid_x) * own_sign < 0)
    # arm crossing: the opposite arm swings forward in this step; does its wrist cross the midline?
    wrist = sig.xy[lm.RIGHT_WRIST if side == "L" else lm.LEFT_WRIST][span, 0]
    wrist_sign = -own_sign  # the opposite arm belongs to the other image side
    margin = 0.1 * ref.hip_width_px
    crossed = (wrist - sig.hip_mid()[span, 0]) * wrist_sign < -margin
    out["arm_crossing"] = float(np.any(crossed)) if np.isfinite(wrist).any() else np.nan
    # rotation about the vertical: the largest turn of the pelvis and of the shoulders in this step
    pel = rotation_from_width(np.abs(rh[:, 0] - lh[:, 0]), ref.hip_width_full_px)
    shw = np.abs(sig.xy[lm.RIGHT_SHOULDER][span, 0] - sig.xy[lm.LEFT_SHOULDER][span, 0])
    tru = rotation_from_width(shw, ref.shoulder_width_full_px)
    out["pelvis_rotation_deg"] = float(np.nanmax(pel)) if np.isfinite(pel).any() else np.nan
    out["trunk_rotation_deg"] = float(np.nanmax(tru)) if np.isfinite(tru).any() else np.nan
    return out


def _summarise(steps: list[StepMetrics], extra: dict[str, np.ndarray]) -> dict[str, MetricSummary]:
    names: list[str] = []
    for s in steps:
        for name in s.values:
            if name not in names:
                names.append(name)
    out: dict[str, MetricSummary] = {}
    for name in names:
        vals = np.array([s.values.get(name, np.nan) for s in steps], dtype=float)
        good = np.isfinite(vals)
        if not good.any():
            continue
        left = np.array([s.values.get(name, np.nan) for s in steps if s.side == "L"], dtype=float)
        right = np.array([s.values.get(name, np.nan) for s in steps if s.side == "R"], dtype=float)
        out[name] = MetricSummary(
            name=name, unit=UNITS.get(name, ""), median=float(np.median(vals[good])),
            p25=float(np.percentile(vals[good], 25)), p75=float(np.percentile(vals[good], 75)), n=int(good.sum()),
            left=float(np.nanmedian(left)) if np.isfinite(left).any() else None,
            right=float(np.nanmedian(right)) if np.isfinite(right).any() else None,
        )
    for name, series in extra.items():
        good = np.isfinite(series)
        if good.sum() < 3:
            continue
        v = series[good]
        out[name] = MetricSummary(name=name, unit=UNITS.get(name, ""), median=float(np.median(v)),
                                  p25=float(np.percentile(v, 25)), p75=float(np.percentile(v, 75)), n=int(v.size))
    return out


def _asymmetry(steps: list[StepMetrics], name: str) -> float | None:
    left = [s.values.get(name, np.nan) for s in steps if s.side == "L"]
    right = [s.values.get(name, np.nan) for s in steps if s.side == "R"]
    lv = np.array(left, dtype=float)
    rv = np.array(right, dtype=float)
    lv, rv = lv[np.isfinite(lv)], rv[np.isfinite(rv)]
    if lv.size < 3 or rv.size < 3:
        return None
    ml, mr = float(np.median(lv)), float(np.median(rv))
    mean = (ml + mr) / 2
    return float(abs(ml - mr) / mean * 100.0) if mean > 0 else None
