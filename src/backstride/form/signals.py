"""Per-frame body signals from a pose track: cleaned, de-swapped, gap-filled and smoothed.

Low-visibility points (typically the far leg in a side view) are dropped and filled from their
neighbours rather than trusted. Brief left/right label swaps are undone by a continuity check:
a leg does not jump to where the other leg was a frame ago. Smoothing is a zero-phase
Savitzky-Golay filter whose window is set in real seconds, so a 240 fps slow-motion clip gets
the same smoothing in time as a 30 fps clip.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.signal import savgol_filter

from backstride.video import track as lm
from backstride.video.track import PoseTrack

MIN_VISIBILITY = 0.3  # below this MediaPipe is guessing; such points are filled from neighbours
MAX_GAP_S = 0.25  # longer gaps are left empty (a step lasts about 0.35 s)
SMOOTH_WINDOW_S = 0.05  # short: a longer window drags sharp contact peaks in time (tested at 120 fps); min 5 frames
SWAP_RATIO = 0.6  # swap the leg labels when the swapped match costs less than this share



@dataclass(frozen=True)
class SignalParameters:
    """How raw landmarks become signals; stored with each result so a reading can be reproduced."""

    min_visibility: float = MIN_VISIBILITY
    max_gap_s: float = MAX_GAP_S
    smooth_window_s: float = SMOOTH_WINDOW_S
    swap_ratio: float = SWAP_RATIO

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


LEFT_LEG = (lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT)
RIGHT_LEG = (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT)
USED = (lm.NOSE, lm.LEFT_EAR, lm.RIGHT_EAR, lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER, lm.LEFT_ELBOW,
        lm.RIGHT_ELBOW, lm.LEFT_WRIST, lm.RIGHT_WRIST, *LEFT_LEG, *RIGHT_LEG)


@dataclass(frozen=True)
class Signals:
    t_s: np.ndarray  # real (captured) time of each frame, seconds
    real_fps: float
    detected: np.ndarray  # bool per frame: a person was found
    xy: dict[int, np.ndarray]  # landmark -> (n, 2) smoothed pixel positions, NaN in long gaps
    visibility: dict[int, np.ndarray]  # landmark -> (n,) raw visibility (0 where not detected)
    direction: np.ndarray  # (n,) +1 when the runner faces image-right, -1 image-left (sagittal)
    leg_px: float  # median hip-to-ankle length along the leg (thigh + shank), pixels
    swaps_fixed: int  # frames whose left/right leg labels were exchanged
    parameters: SignalParameters = SignalParameters()

    @property
    def n_frames(self) -> int:
        return int(self.t_s.shape[0])

    def mid(self, a: int, b: int) -> np.ndarray:
        return (self.xy[a] + self.xy[b]) / 2.0

    def hip_mid(self) -> np.ndarray:
        return self.mid(lm.LEFT_HIP, lm.RIGHT_HIP)

    def shoulder_mid(self) -> np.ndarray:
        return self.mid(lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER)


def smoothing_window(real_fps: float, n: int, window_s: float = SMOOTH_WINDOW_S) -> int:
    """Odd Savitzky-Golay window for ``window_s`` seconds, at least 5 frames."""
    w = round(window_s * real_fps)
    w = max(5, w | 1)
    return min(w, n if n % 2 == 1 else n - 1)


def prepare_signals(track: PoseTrack, real_fps: float, *, fix_swaps: bool = True,
                    params: SignalParameters | None = None) -> Signals:
    """Clean, de-swap, fill and smooth ``track`` sampled at ``real_fps`` real frames a second."""
    p = params or SignalParameters()
    n = track.n_frames
    slowmo = real_fps / track.fps if track.fps > 0 else 1.0
    t_real = (track.t_s - (track.t_s[0] if n else 0.0)) / slowmo
    detected = track.detected
    raw: dict[int, np.ndarray] = {}
    vis: dict[int, np.ndarray] = {}
    for idx in USED:
        pts = track.xy_px(idx)
        v = track.visibility(idx)
        pts[v < p.min_visibility] = np.nan
        raw[idx] = pts
        vis[idx] = v
    swaps = _fix_leg_swaps(raw, vis, p.swap_ratio) if fix_swaps else 0
    max_gap = max(1, round(p.max_gap_s * real_fps))
    window = smoothing_window(real_fps, n, p.smooth_window_s)
    xy = {idx: _smooth(_fill_gaps(p, max_gap), window) for idx, p in raw.items()}
    leg = _leg_length(xy)
    direction = _facing(xy, real_fps)
    return Signals(t_s=t_real, real_fps=real_fps, detected=detected, xy=xy, visibility=vis,
                   direction=direction, leg_px=leg, swaps_fixed=swaps, parameters=p)


def _fix_leg_swaps(raw: dict[int, np.ndarray], vis: dict[int, np.ndarray], ratio: float = SWAP_RATIO) -> int:
    """Exchange the leg labels in frames where the legs jumped onto each other's track."""
    knees_ankles = (1, 2, 3, 4)  # knee, ankle, heel, foot: the hips barely move between frames
    n = raw[lm.LEFT_ANKLE].shape[0]
    last_l = [raw[LEFT_LEG[k]][0].copy() for k in knees_ankles]
    last_r = [raw[RIGHT_LEG[k]][0].copy() for k in knees_ankles]
    fixed = 0
    last_seen = 0
    for i in range(1, n):
        cur_l = [raw[LEFT_LEG[k]][i] for k in knees_ankles]
        cur_r = [raw[RIGHT_LEG[k]][i] for k in knees_ankles]
        same = _cost(cur_l, last_l) + _cost(cur_r, last_r)
        swap = _cost(cur_l, last_r) + _cost(cur_r, last_l)
        # Only compare with the frame just before: after a gap the legs have moved too far for
        # "nearest" to mean "same leg", and a wrong swap there would flip everything after it.
        adjacent = i - last_seen == 1
        if np.isfinite(raw[lm.LEFT_ANKLE][i, 0]) or np.isfinite(raw[lm.RIGHT_ANKLE][i, 0]):
            last_seen = i
        if adjacent and np.isfinite(same) and np.isfinite(swap) and swap < ratio * same:
            for a, b in zip(LEFT_LEG, RIGHT_LEG, strict=True):
                raw[a][i], raw[b][i] = raw[b][i].copy(), raw[a][i].copy()
                vis[a][i], vis[b][i] = vis[b][i], vis[a][i]
            fixed += 1
        for k, idx in enumerate(knees_ankles):
            pl, pr = raw[LEFT_LEG[idx]][i], raw[RIGHT_LEG[idx]][i]
            if np.all(np.isfinite(pl)):
                last_l[k] = pl.copy()
            if np.all(np.isfinite(pr)):
                last_r[k] = pr.copy()
    return fixed


def _cost(cur: list[np.ndarray], last: list[np.ndarray]) -> float:
    total, count = 0.0, 0
    for a, b in zip(cur, last, strict=True):
        if np.all(np.isfinite(a)) and np.all(np.isfinite(b)):
            total += float(np.hypot(*(a - b)))
            count += 1
    return total / count if count else float("nan")


def _fill_gaps(pts: np.ndarray, max_gap: int) -> np.ndarray:
    """Linear interpolation across gaps of at most ``max_gap`` frames; longer gaps stay NaN."""
    out = pts.copy()
    n = out.shape[0]
    good = np.isfinite(out[:, 0])
    if good.sum() < 2:
        return out
    idx = np.arange(n)
    for c in range(out.shape[1]):
        out[:, c] = np.interp(idx, idx[good], out[good, c])
    # blank gaps that are too long, and the extrapolated ends
    bad = ~good
    start = None
    for i in range(n + 1):
        b = i < n and bad[i]
        if b and start is None:
            start = i
        elif not b and start is not None:
            if (i - start) > max_gap or start == 0 or i == n:
                out[start:i] = np.nan
            start = None
    return out


def _smooth(pts: np.ndarray, window: int) -> np.ndarray:
    """Savitzky-Golay on each run of finite samples long enough for the window."""
    out = pts.copy()
    good = np.isfinite(pts[:, 0])
    n = pts.shape[0]
    i = 0
    while i < n:
        if not good[i]:
            i += 1
            continue
        j = i
        while j < n and good[j]:
            j += 1
        if window >= 5 and j - i >= window:
            out[i:j] = savgol_filter(pts[i:j], window, 2, axis=0)
        i = j
    return out


def _leg_length(xy: dict[int, np.ndarray]) -> float:
    lengths = []
    for hip, knee, ankle in ((lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE), (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE)):
        seg = np.linalg.norm(xy[hip] - xy[knee], axis=1) + np.linalg.norm(xy[knee] - xy[ankle], axis=1)
        lengths.append(seg)
    both = np.concatenate(lengths)
    both = both[np.isfinite(both)]
    # The longest typical value is the leg seen side-on; bent or foreshortened frames are shorter.
    return float(np.percentile(both, 90)) if both.size else float("nan")


def _facing(xy: dict[int, np.ndarray], real_fps: float) -> np.ndarray:
    """Which way the runner faces in the image, per frame: nose ahead of the ears, toes ahead of heels."""
    ears = (xy[lm.LEFT_EAR] + xy[lm.RIGHT_EAR]) / 2
    head = xy[lm.NOSE][:, 0] - ears[:, 0]
    feet = ((xy[lm.LEFT_FOOT][:, 0] - xy[lm.LEFT_HEEL][:, 0]) + (xy[lm.RIGHT_FOOT][:, 0] - xy[lm.RIGHT_HEEL][:, 0])) / 2
    vote = np.sign(np.nan_to_num(head)) + np.sign(np.nan_to_num(feet))
    # a one-second running vote: the runner does not turn round within a stride
    k = max(1, min(round(real_fps), vote.size))
    kernel = np.ones(k) / k
    smooth = np.convolve(vote, kernel, mode="same")
    overall = 1.0 if np.sum(vote) >= 0 else -1.0
    out = np.where(smooth > 0.2, 1.0, np.where(smooth < -0.2, -1.0, overall))
    return np.asarray(out, dtype=np.float64)
