"""Where the camera was: which view (side, rear, front), whether it panned, and whether the
runner was on a treadmill or running past. All from the pose track and the background motion
measured while decoding, so no second look at the frames is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backstride.video import track as lm
from backstride.video.track import PoseTrack

VIEWS = ("sagittal-left", "sagittal-right", "rear", "front")


@dataclass(frozen=True)
class ViewEstimate:
    view: str  # one of VIEWS
    confidence: float  # 0..1
    shoulder_ratio: float  # shoulder width / trunk length (small = side view)
    facing: float  # mean facing sign in the image (-1 left, +1 right) for side views
    note: str = ""


@dataclass(frozen=True)
class CameraSetting:
    setting: str  # "treadmill", "overground", "unknown"
    panning: bool
    pan_travel_widths: float  # net background motion over the clip, frame widths
    hip_travel_widths: float  # spread of the hips across the frame, frame widths
    note: str = ""


def person_share(track: PoseTrack, min_visibility: float = 0.5) -> float:
    """Share of frames where a person was found with hips and ankles reasonably visible."""
    if track.n_frames == 0:
        return 0.0
    key = [lm.LEFT_HIP, lm.RIGHT_HIP, lm.LEFT_ANKLE, lm.RIGHT_ANKLE]
    vis = np.nan_to_num(track.landmarks[:, key, 3], nan=0.0)
    ok = track.detected & (np.max(vis[:, :2], axis=1) >= min_visibility) & (np.max(vis[:, 2:], axis=1) >= min_visibility)
    return float(np.mean(ok))


def estimate_view(track: PoseTrack, *, sagittal_max_ratio: float = 0.35, frontal_min_ratio: float = 0.5) -> ViewEstimate:
    det = track.detected
    if not det.any():
        return ViewEstimate("sagittal-left", 0.0, float("nan"), 0.0, "no person found")
    ls, rs = track.xy_px(lm.LEFT_SHOULDER)[det], track.xy_px(lm.RIGHT_SHOULDER)[det]
    lh, rh = track.xy_px(lm.LEFT_HIP)[det], track.xy_px(lm.RIGHT_HIP)[det]
    width = np.abs(ls[:, 0] - rs[:, 0])
    trunk = np.linalg.norm((ls + rs) / 2 - (lh + rh) / 2, axis=1)
    ratio = float(np.nanmedian(width / np.where(trunk > 0, trunk, np.nan)))
    nose = track.xy_px(lm.NOSE)[det][:, 0]
    ears = (track.xy_px(lm.LEFT_EAR)[det][:, 0] + track.xy_px(lm.RIGHT_EAR)[det][:, 0]) / 2
    facing = float(np.nanmean(np.sign(nose - ears)))
    if ratio <= sagittal_max_ratio or (ratio < frontal_min_ratio and abs(facing) > 0.5):
        view = "sagittal-left" if facing < 0 else "sagittal-right"
        conf = float(np.clip((frontal_min_ratio - ratio) / (frontal_min_ratio - 0.1), 0.2, 1.0)) * max(abs(facing), 0.3)
        note = "" if ratio <= sagittal_max_ratio else "the camera looks at the runner at an angle"
        return ViewEstimate(view, round(conf, 2), ratio, facing, note)
    # Rear or front: the face is hidden from behind, and the runner's left shoulder sits on the
    # image's left from behind but on its right from the front.
    face_vis = float(np.nanmedian(track.landmarks[det][:, lm.NOSE, 3]))
    left_on_image_left = float(np.nanmean(np.sign(rs[:, 0] - ls[:, 0])))
    rear_votes = (face_vis < 0.5) + (left_on_image_left > 0)
    view = "rear" if rear_votes >= 1 and not (face_vis >= 0.8 and left_on_image_left < 0) else "front"
    conf = float(np.clip((ratio - sagittal_max_ratio) / 0.4, 0.2, 1.0)) * (1.0 if rear_votes != 1 else 0.6)
    note = "" if ratio >= frontal_min_ratio else "the camera looks at the runner at an angle"
    return ViewEstimate(view, round(conf, 2), ratio, facing, note)


def camera_setting(track: PoseTrack, *, panning_travel: float = 0.25, overground_travel: float = 0.3) -> CameraSetting:
    shift = track.camera_shift_px
    if shift.size and track.n_frames > 1:
        # net travel, not speed: slow motion and short pans still add up to the same distance,
        # while a shaky hand-held phone goes back and forth and adds up to nearly nothing
        speed = float(abs(np.sum(shift[1:, 0]))) / max(track.width_px, 1)
    else:
        speed = float("nan")
    det = track.detected
    hips = (track.xy_px(lm.LEFT_HIP)[det, 0] + track.xy_px(lm.RIGHT_HIP)[det, 0]) / 2
    travel = float((np.percentile(hips, 95) - np.percentile(hips, 5)) / track.width_px) if hips.size > 3 else float("nan")
    panning = bool(np.isfinite(speed) and speed > panning_travel)
    if panning:
        return CameraSetting("overground", True, speed, travel, "the camera follows the runner")
    if np.isfinite(travel) and travel > overground_travel:
        return CameraSetting("overground", False, speed, travel, "the runner crosses a still camera's view")
    if np.isfinite(speed):
        return CameraSetting("treadmill", False, speed, travel, "still camera, runner in place")
    return CameraSetting("unknown", False, speed, travel,
                         "no background motion was measured (recorded track); runner stays in place")
