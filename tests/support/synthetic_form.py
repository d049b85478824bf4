"""Synthetic pose tracks with known answers.

A simple articulated runner on a treadmill: each leg follows a stance phase (foot on the belt,
moving back at belt speed) and a swing phase (foot lifted and brought forward); the pelvis
dips at mid-stance; the trunk leans by a set angle; in a rear or front view the pelvis drops
on the swing side and the trunk sways towards the stance side. Because every angle and every
contact is set by the caller, tests can check that the analysis finds exactly what was put in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backstride.video import track as lm
from backstride.video.track import N_LANDMARKS, PoseTrack


@dataclass(frozen=True)
class SyntheticRunner:
    cadence_spm: float = 170.0
    fps: float = 30.0  # frames per second of the file (playback)
    slowmo_factor: float = 1.0  # >1: filmed faster than played back
    duration_s: float = 12.0  # playback seconds
    view: str = "sagittal-left"  # sagittal-left, sagittal-right, rear, front
    duty_factor: float = 0.38  # fraction of a stride a foot is on the ground (running < 0.5)
    trunk_lean_deg: float = 6.0  # forward (sagittal) lean of the trunk
    overstride_leg: float = 0.15  # ankle ahead of the hip at contact, in leg lengths
    vertical_oscillation_leg: float = 0.09  # pelvis up-down range, leg lengths
    pelvic_drop_deg: float = 0.0  # peak swing-side pelvic drop in stance (frontal views)
    lateral_lean_deg: float = 0.0  # peak trunk sway to the stance side (frontal views)
    step_width_leg: float = 0.12  # distance between the feet across (frontal views), leg lengths
    elbow_angle_deg: float = 90.0
    head_forward_leg: float = 0.05  # ear ahead of the shoulder, leg lengths
    arm_cross_leg: float = 0.0  # frontal views: how far each wrist swings towards the other side, leg lengths
    left_step_share: float = 0.5  # fraction of a stride that is the right->left step (0.5 = symmetric)
    walking: bool = False  # pelvis highest at mid-stance, long ground contact
    far_leg_visibility: float = 0.6
    noise_px: float = 0.0
    swap_frames: tuple[int, ...] = ()  # frames where left/right leg labels are swapped
    missing_frames: tuple[int, ...] = ()  # frames with no person
    width_px: int = 720
    height_px: int = 1280
    leg_px: float = 420.0  # hip-to-ankle length in pixels
    seed: int = 0
    # The ankle goes on moving forward this far (leg lengths) for touchdown_slide_s after
    # touchdown, as a foot rolling down from the heel or slid on a slow belt does: its furthest
    # reach then comes after the landing.
    touchdown_slide_leg: float = 0.0
    touchdown_slide_s: float = 0.06
    # Model errors seen on real clips: during each early back-swing of the far leg its ankle is
    # reported high up ahead of the hip (on a treadmill rail), with full confidence.
    rail_glitch: bool = False
    first_contact_phase: float = 0.1  # stride phase of the left leg at t=0
    ear_above_shoulder_leg: float = 0.22  # side view: ear above the shoulder (smaller = shoulders raised)
    shoulder_forward_leg: float = 0.0  # side view: shoulders rounded forward of the trunk line, leg lengths
    pelvis_rotation_deg: float = 0.0  # rear/front: peak turn of the pelvis each way about the vertical
    trunk_rotation_deg: float = 0.0  # rear/front: peak turn of the shoulders each way (opposite the pelvis)
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def real_fps(self) -> float:
        return self.fps * self.slowmo_factor

    @property
    def stride_s(self) -> float:
        return 120.0 / self.cadence_spm


@dataclass(frozen=True)
class SyntheticClip:
    track: PoseTrack
    contacts: list[tuple[int, str]]  # (frame, "L"/"R"), frames rounded to the nearest
    contact_times_s: list[tuple[float, str]]  # exact real times


def make_track(spec: SyntheticRunner) -> SyntheticClip:
    rng = np.random.default_rng(spec.seed)
    n = round(spec.duration_s * spec.fps)
    t_play = np.arange(n) / spec.fps
    t_real = t_play / spec.slowmo_factor
    stride = spec.stride_s
    phase_l = (t_real / stride + spec.first_contact_phase) % 1.0
    # Right leg contacts a step after the left: a share of the stride set by left_step_share.
    right_offset = 1.0 - spec.left_step_share
    phase_r = (phase_l - right_offset) % 1.0
    leg = spec.leg_px
    thigh, shank = 0.52 * leg, 0.50 * leg  # a little longer than leg so the knee stays bent
    frontal = spec.view in ("rear", "front")
    direction = -1.0 if spec.view == "sagittal-left" else 1.0
    out = np.zeros((n, N_LANDMARKS, 4), dtype=np.float64)
    out[:, :, 3] = 0.95
    cx, ground_y = spec.width_px * 0.5, spec.height_px * 0.85
    hip_base_y = ground_y - 0.97 * leg
    duty = 0.62 if spec.walking else spec.duty_factor

    def stance_fraction(phase: np.ndarray) -> np.ndarray:
        return np.clip(phase / duty, 0.0, 1.0)

    in_stance_l = phase_l < duty
    in_stance_r = phase_r < duty
    # Pelvis height: lowest at each mid-stance when running, highest when walking.
    mid = np.zeros(n)
    for ph, st in ((phase_l, in_stance_l), (phase_r, in_stance_r)):
        mid = np.maximum(mid, np.where(st, np.sin(np.pi * stance_fraction(ph)), 0.0))
    osc = spec.vertical_oscillation_leg * leg
    hip_dy = (osc * (mid - 0.5)) if not spec.walking else (-osc * (mid - 0.5))
    hip_y = hip_base_y + hip_dy
    ankle_front = spec.overstride_leg * leg
    ankle_back = ankle_front - 0.55 * leg

    def foot(phase: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Ankle position relative to the hip along the travel (or lateral) axis, and height."""
        stance = phase < duty
        f = stance_fraction(phase)
        along_stance = ankle_front + (ankle_back - ankle_front) * f
        if spec.touchdown_slide_leg:
            since = phase * stride  # real seconds since touchdown (in stance)
            bump = np.sin(np.pi * np.clip(since / (2 * spec.touchdown_slide_s), 0.0, 1.0))
            along_stance = along_stance + spec.touchdown_slide_leg * leg * bump
        s = np.clip((phase - duty) / (1.0 - duty), 0.0, 1.0)
        along_swing = ankle_back + (ankle_front - ankle_back) * (0.5 - 0.5 * np.cos(np.pi * s))
        # The foot leaves the ground gently but comes down with speed (about 1-2 m/s), as real
        # feet do: a profile flat at touchdown would make the moment of landing ill-defined.
        lift = 0.35 * leg * np.where(s < 0.5, np.sin(np.pi * s) ** 1.5, np.sin(np.pi * s))
        along = np.where(stance, along_stance, along_swing)
        height = np.where(stance, 0.0, lift)
        return along, height

    al, hl = foot(phase_l)
    ar, hr = foot(phase_r)
    # Rear view: the runner's left is on the image left; front view: mirrored.
    side_sign = {"rear": -1.0, "front": 1.0}.get(spec.view, 0.0)
    half_hip = 0.17 * leg
    drop = np.radians(spec.pelvic_drop_deg)
    # Pelvic obliquity: in left stance the right (swing) hip drops, and vice versa.
    pel_l = np.where(in_stance_l, np.sin(np.pi * stance_fraction(phase_l)), 0.0)
    pel_r = np.where(in_stance_r, np.sin(np.pi * stance_fraction(phase_r)), 0.0)
    lean_lat = np.radians(spec.lateral_lean_deg) * (pel_l - pel_r)  # + = towards the left side
    trunk = 0.75 * leg
    for i in range(n):
        if frontal:
            hx = cx
            turn = np.sin(2 * np.pi * phase_l[i])  # once each way a stride
            hip_half = half_hip * np.cos(np.radians(spec.pelvis_rotation_deg) * turn)
            lhip = np.array([hx + side_sign * hip_half, hip_y[i]])
            rhip = np.array([hx - side_sign * hip_half, hip_y[i]])
            # the pelvis tilts about its centre: in left stance the right (swing) side drops by
            # the set angle, in right stance the left side does (image y grows downwards)
            tilt = half_hip * np.tan(drop) * (pel_l[i] - pel_r[i])
            lhip[1] -= tilt
            rhip[1] += tilt
            hip_mid = (lhip + rhip) / 2
            width = spec.step_width_leg * leg / 2
            lank = np.array([hx + side_sign * width, ground_y - hl[i]])
            rank = np.array([hx - side_sign * width, ground_y - hr[i]])
            # the trunk sways towards the stance side: towards the image side of that leg
            ang = lean_lat[i]
            sh_mid = hip_mid + trunk * np.array([side_sign * np.sin(ang), -np.cos(ang)])
            sh_half = 0.22 * leg * np.cos(np.radians(spec.trunk_rotation_deg) * turn)
            lsh = sh_mid + np.array([side_sign * sh_half, 0.0])
            rsh = sh_mid - np.array([side_sign * sh_half, 0.0])
            lkn = (lhip + lank) / 2 + np.array([0.0, -0.02 * leg])
            rkn = (rhip + rank) / 2 + np.array([0.0, -0.02 * leg])
            lel = lsh + np.array([side_sign * 0.05 * leg, 0.33 * leg])
            rel = rsh + np.array([-side_sign * 0.05 * leg, 0.33 * leg])
            # each wrist swings in towards the midline as its arm comes forward (opposite leg's stance)
            lwr = lel + np.array([-side_sign * (0.12 + spec.arm_cross_leg * pel_r[i]) * leg, -0.05 * leg])
            rwr = rel + np.array([side_sign * (0.12 + spec.arm_cross_leg * pel_l[i]) * leg, -0.05 * leg])
            head = sh_mid + np.array([0.0, -0.25 * leg])
            lear, rear_ = head + np.array([side_sign * 0.06 * leg, 0]), head - np.array([side_sign * 0.06 * leg, 0])
            nose = head + np.array([0.0, 0.02 * leg])
            pts = {lm.LEFT_HIP: lhip, lm.RIGHT_HIP: rhip, lm.LEFT_ANKLE: lank, lm.RIGHT_ANKLE: rank,
                   lm.LEFT_SHOULDER: lsh, lm.RIGHT_SHOULDER: rsh, lm.LEFT_KNEE: lkn, lm.RIGHT_KNEE: rkn,
                   lm.LEFT_ELBOW: lel, lm.RIGHT_ELBOW: rel, lm.LEFT_WRIST: lwr, lm.RIGHT_WRIST: rwr,
                   lm.NOSE: nose, lm.LEFT_EAR: lear, lm.RIGHT_EAR: rear_,
                   lm.LEFT_HEEL: lank + np.array([0, 0.03 * leg]), lm.RIGHT_HEEL: rank + np.array([0, 0.03 * leg]),
                   lm.LEFT_FOOT: lank + np.array([0, 0.05 * leg]), lm.RIGHT_FOOT: rank + np.array([0, 0.05 * leg])}
            if spec.view == "rear":
                out[i, lm.NOSE, 3] = 0.2
        else:
            d = direction
            hip = np.array([cx, hip_y[i]])
            ang = np.radians(spec.trunk_lean_deg)
            line = hip + trunk * np.array([d * np.sin(ang), -np.cos(ang)])  # top of the trunk line
            sh = line + np.array([d * spec.shoulder_forward_leg * leg, 0.0])
            pts = {}
            for _name, along, height, hidx, kidx, aidx, heel, toe in (
                ("L", al[i], hl[i], lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT),
                ("R", ar[i], hr[i], lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT),
            ):
                ank = np.array([cx + d * along, ground_y - height])
                pts[hidx] = hip
                pts[aidx] = ank
                pts[kidx] = _knee(hip, ank, thigh, shank, d)
                pts[heel] = ank + np.array([-d * 0.06 * leg, 0.03 * leg])
                pts[toe] = ank + np.array([d * 0.14 * leg, 0.05 * leg])
            elbow_flex = np.radians(180.0 - spec.elbow_angle_deg)
            swing = 0.6 * np.sin(2 * np.pi * phase_l[i])
            for sidx, eidx, widx, sgn in ((lm.LEFT_SHOULDER, lm.LEFT_ELBOW, lm.LEFT_WRIST, 1.0),
                                          (lm.RIGHT_SHOULDER, lm.RIGHT_ELBOW, lm.RIGHT_WRIST, -1.0)):
                upper = sgn * swing
                elbow = sh + 0.33 * leg * np.array([d * np.sin(upper), np.cos(upper)])
                fore = upper + elbow_flex
                wrist = elbow + 0.3 * leg * np.array([d * np.sin(fore), np.cos(fore)])
                pts[sidx], pts[eidx], pts[widx] = sh, elbow, wrist
            ear = line + np.array([d * spec.head_forward_leg * leg, -spec.ear_above_shoulder_leg * leg])
            pts[lm.LEFT_EAR] = pts[lm.RIGHT_EAR] = ear
            pts[lm.NOSE] = ear + np.array([d * 0.07 * leg, 0.02 * leg])
            far = {"sagittal-left": "R", "sagittal-right": "L"}[spec.view]
            far_idx = [lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT] if far == "R" \
                else [lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT]
            out[i, far_idx, 3] = spec.far_leg_visibility
            far_phase = phase_r[i] if far == "R" else phase_l[i]
            swing_s = (far_phase - duty) / (1.0 - duty)
            if spec.rail_glitch and 0.1 <= swing_s <= 0.3:
                rail = hip + np.array([d * 0.8 * leg, 0.1 * leg])
                for idx in far_idx[1:]:
                    pts[idx] = rail + np.array([d * 0.05 * leg * far_idx.index(idx), 0.0])
                out[i, far_idx, 3] = 0.95
        for idx, p in pts.items():
            out[i, idx, 0] = p[0] / spec.width_px
            out[i, idx, 1] = p[1] / spec.height_px
    if spec.noise_px > 0:
        out[:, :, 0] += rng.normal(0, spec.noise_px / spec.width_px, size=(n, N_LANDMARKS))
        out[:, :, 1] += rng.normal(0, spec.noise_px / spec.height_px, size=(n, N_LANDMARKS))
    legs_l = [lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT]
    legs_r = [lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT]
    for f in spec.swap_frames:
        if 0 <= f < n:
            out[f, legs_l + legs_r] = out[f, legs_r + legs_l]
    for f in spec.missing_frames:
        if 0 <= f < n:
            out[f] = np.nan
    contacts_t: list[tuple[float, str]] = []
    for side, off in (("L", spec.first_contact_phase), ("R", spec.first_contact_phase - right_offset)):
        k0 = int(np.floor(off))
        for k in range(k0 - 1, int(t_real[-1] / stride) + 3):
            t = (k - off) * stride
            if 0 <= t <= t_real[-1]:
                contacts_t.append((t, side))
    contacts_t.sort()
    contacts = [(round(t * spec.slowmo_factor * spec.fps), s) for t, s in contacts_t]
    track = PoseTrack(landmarks=out.astype(np.float32), t_s=t_play, fps=spec.fps,
                      width_px=spec.width_px, height_px=spec.height_px, backend="synthetic")
    return SyntheticClip(track=track, contacts=contacts, contact_times_s=contacts_t)


def _knee(hip: np.ndarray, ankle: np.ndarray, thigh: float, shank: float, direction: float) -> np.ndarray:
    """Two-link inverse kinematics: the knee that joins hip and ankle, bending forward."""
    v = ankle - hip
    dist = float(np.hypot(*v))
    dist = min(dist, thigh + shank - 1e-6)
    a = (thigh ** 2 - shank ** 2 + dist ** 2) / (2 * dist)
    h = np.sqrt(max(thigh ** 2 - a ** 2, 0.0))
    u = v / (np.hypot(*v) or 1.0)
    base = hip + a * u
    perp = np.array([-u[1], u[0]])
    # pick the perpendicular pointing in the travel direction (knee in front of the hip-ankle line)
    if perp[0] * direction < 0:
        perp = -perp
    return base + h * perp
