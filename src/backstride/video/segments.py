"""Which part of a clip can be analysed: frozen frames, cuts, speed changes, runner out of view.

A phone clip is not always one steady take. A screen recording can start on a frozen frame, an
edited clip can cut between takes, a phone can switch from real time to slow motion part-way,
and a runner can leave the frame at the end (the model then guesses a body lying across the
image: the "trunk plunge"). Each of these breaks the assumption that one frame rate and one
scene hold throughout. :func:`find_segments` splits the clip at them, using only the pose track
(no second pass over the pixels), and picks the longest steady part: the one with the most
steps, then the longest.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy.signal import find_peaks

from backstride.video import track as lm
from backstride.video.track import PoseTrack

_BODY = (lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER, lm.LEFT_HIP, lm.RIGHT_HIP, lm.LEFT_KNEE, lm.RIGHT_KNEE,
         lm.LEFT_ANKLE, lm.RIGHT_ANKLE, lm.LEFT_WRIST, lm.RIGHT_WRIST)
_TRUNK = (lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER, lm.LEFT_HIP, lm.RIGHT_HIP)


@dataclass(frozen=True)
class SegmentParameters:
    """Thresholds for splitting a clip; lengths in leg lengths, durations in video seconds."""

    frozen_motion_leg: float = 0.002  # body landmarks moving less than this a frame: the picture stands still
    frozen_min_s: float = 0.15  # a shorter still stretch is a duplicated frame, not a freeze
    cut_jump_leg: float = 0.6  # the hips jumping this far between two frames: a cut to another shot
    cut_scale_ratio: float = 1.4  # the body's size changing this much between two frames: a cut or a zoom jump
    in_view_visibility: float = 0.5  # trunk landmarks less visible than this: the runner is not really in view
    in_view_margin: float = 0.02  # share of the frame a trunk point may lie outside it and still count
    gap_max_s: float = 0.25  # shorter gaps in the runner's presence are bridged
    speed_change_ratio: float = 2.0  # step durations changing by this factor: slow motion switched on or off
    min_steps_each_side: int = 5  # steps needed on each side of a speed change to believe it
    bounce_prominence_leg: float = 0.02  # a pelvis low point must stand out this much to count as a step
    steady_spread_ratio: float = 1.3  # within a steady part, the upper step-duration quartile / the lower

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Segment:
    start: int  # first frame (inclusive)
    stop: int  # last frame + 1
    steps: int  # rough step count (pelvis low points)
    step_frames: float  # median frames per step inside, NaN if too few

    def to_dict(self, fps: float) -> dict[str, Any]:
        return {"start_frame": self.start, "stop_frame": self.stop, "start_s": round(self.start / fps, 3),
                "stop_s": round(self.stop / fps, 3), "steps": self.steps,
                "frames_per_step": None if not np.isfinite(self.step_frames) else round(self.step_frames, 2)}


@dataclass(frozen=True)
class SegmentReport:
    n_frames: int
    fps: float
    used: Segment | None
    segments: tuple[Segment, ...]
    frozen: tuple[tuple[int, int], ...]  # (start, stop) frame ranges
    cuts: tuple[int, ...]  # first frame after each cut
    speed_changes: tuple[int, ...]  # frame where the step duration changes
    out_of_view: tuple[tuple[int, int], ...]
    parameters: dict[str, float] = field(default_factory=dict)

    @property
    def whole_clip(self) -> bool:
        return self.used is not None and self.used.start == 0 and self.used.stop == self.n_frames

    def notes(self) -> list[str]:
        """Plain sentences for the person: what was found and which part was analysed."""
        out: list[str] = []
        f = self.fps

        def span(a: int, b: int) -> str:
            return f"{a / f:.1f}-{b / f:.1f} s"

        if self.frozen:
            out.append("the picture stands still at " + ", ".join(span(a, b) for a, b in self.frozen))
        if self.cuts:
            out.append("the picture of the runner jumps at " + ", ".join(f"{c / f:.1f} s" for c in self.cuts)
                       + " (a cut to another shot, or the model switching to another person)")
        if self.speed_changes:
            out.append("the playback speed changes at " + ", ".join(f"{c / f:.1f} s" for c in self.speed_changes)
                       + " (slow motion switched on or off)")
        trimmed = [(a, b) for a, b in self.out_of_view if b - a >= 2]
        if trimmed:
            out.append("the runner is not fully in view at " + ", ".join(span(a, b) for a, b in trimmed)
                       + "; those frames are left out")
        if self.used is not None and not self.whole_clip and (self.frozen or self.cuts or self.speed_changes):
            out.append(f"only the longest steady part, {span(self.used.start, self.used.stop)} "
                       f"(about {self.used.steps} steps), was analysed")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "used": None if self.used is None else self.used.to_dict(self.fps),
            "whole_clip": self.whole_clip,
            "segments": [s.to_dict(self.fps) for s in self.segments],
            "frozen_frames": [list(r) for r in self.frozen],
            "cuts_at_frame": list(self.cuts),
            "speed_changes_at_frame": list(self.speed_changes),
            "out_of_view_frames": [list(r) for r in self.out_of_view],
            "parameters": dict(self.parameters),
        }


class SegmentFinder:
    """Split a pose track into steady parts; ``find(track)`` returns a :class:`SegmentReport`."""

    def __init__(self, parameters: SegmentParameters | None = None) -> None:
        self.parameters = parameters or SegmentParameters()

    def find(self, track: PoseTrack) -> SegmentReport:
        p = self.parameters
        n = track.n_frames
        fps = track.fps if track.fps > 0 else 30.0
        xy = np.stack([track.xy_px(i) for i in _BODY], axis=1)  # (n, k, 2)
        leg = _leg_px(track)
        in_view = self._in_view(track)
        frozen_mask, frozen = self._frozen(xy, leg, fps)
        cuts = self._cuts(track, leg)
        usable = in_view & ~frozen_mask
        runs = _runs(_bridge(usable, max(1, round(p.gap_max_s * fps))))
        pieces: list[tuple[int, int]] = []
        for a, b in runs:
            edges = [a] + [c for c in cuts if a < c < b] + [b]
            pieces.extend((x, y) for x, y in itertools.pairwise(edges) if y - x >= 2)
        segments: list[Segment] = []
        speed_changes: list[int] = []
        for a, b in pieces:
            parts = self._split_speed(_hip_clock(track, a, b, leg, p.bounce_prominence_leg, fps), a, b)
            for lo, hi, inner in parts:
                d = np.diff(inner)
                segments.append(Segment(lo, hi, int(max(0, inner.size - 1)),
                                        float(np.median(d)) if d.size else float("nan")))
            speed_changes.extend(lo for lo, _hi, _inner in parts[1:])
        used = max(segments, key=lambda s: (s.steps, s.stop - s.start)) if segments else None
        return SegmentReport(n_frames=n, fps=fps, used=used, segments=tuple(segments), frozen=tuple(frozen),
                             cuts=tuple(cuts), speed_changes=tuple(speed_changes),
                             out_of_view=tuple(_runs(~in_view & track.detected) + _runs(~track.detected)),
                             parameters=p.to_dict())

    def _in_view(self, track: PoseTrack) -> np.ndarray:
        p = self.parameters
        lmk = track.landmarks[:, list(_TRUNK), :]
        vis = np.nan_to_num(lmk[:, :, 3], nan=0.0)
        inside = np.all((lmk[:, :, 0] >= -p.in_view_margin) & (lmk[:, :, 0] <= 1 + p.in_view_margin)
                        & (lmk[:, :, 1] >= -p.in_view_margin) & (lmk[:, :, 1] <= 1 + p.in_view_margin), axis=1)
        out: np.ndarray = track.detected & inside & (np.min(vis, axis=1) >= p.in_view_visibility)
        return out

    def _frozen(self, xy: np.ndarray, leg: float, fps: float) -> tuple[np.ndarray, list[tuple[int, int]]]:
        p = self.parameters
        n = xy.shape[0]
        still = np.zeros(n, dtype=bool)
        if n > 1 and np.isfinite(leg) and leg > 0:
            step = np.linalg.norm(np.diff(xy, axis=0), axis=2)
            seen = np.isfinite(step).any(axis=1)
            move = np.full(n - 1, np.inf)
            move[seen] = np.nanmax(step[seen], axis=1) / leg
            still[1:] = np.nan_to_num(move, nan=np.inf) < p.frozen_motion_leg
        runs = [(a - 1, b) for a, b in _runs(still) if (b - a + 1) / fps >= p.frozen_min_s]
        mask = np.zeros(n, dtype=bool)
        for a, b in runs:
            mask[a + 1:b] = True  # the first frame of a freeze is a real picture
        return mask, runs

    def _cuts(self, track: PoseTrack, leg: float) -> list[int]:
        p = self.parameters
        if not np.isfinite(leg) or leg <= 0:
            return []
        hip = (track.xy_px(lm.LEFT_HIP) + track.xy_px(lm.RIGHT_HIP)) / 2
        sh = (track.xy_px(lm.LEFT_SHOULDER) + track.xy_px(lm.RIGHT_SHOULDER)) / 2
        size = np.linalg.norm(sh - hip, axis=1)
        out = []
        for i in range(1, track.n_frames):
            if not (np.isfinite(hip[i, 0]) and np.isfinite(hip[i - 1, 0])):
                continue
            jump = float(np.hypot(*(hip[i] - hip[i - 1]))) / leg
            ratio = size[i] / size[i - 1] if size[i - 1] > 0 else 1.0
            if jump > p.cut_jump_leg or not (1 / p.cut_scale_ratio <= ratio <= p.cut_scale_ratio):
                out.append(i)
        return out

    def _split_speed(self, crossings: np.ndarray, a: int, b: int) -> list[tuple[int, int, np.ndarray]]:
        """Split [a, b) where the step duration changes by ``speed_change_ratio`` (binary segmentation)."""
        p = self.parameters
        k = p.min_steps_each_side
        d = np.diff(crossings)
        if d.size < 2 * k:
            return [(a, b, crossings)]
        # a missed or doubled crossing makes one step look twice or half as long: a running
        # median of three steps removes such single outliers before the medians are compared
        logs = np.log(np.maximum(d, 1e-6))
        logs = np.array([np.median(logs[max(0, i - 1):i + 2]) for i in range(logs.size)])
        # the split that leaves each side most uniform (least squares on log step durations)
        costs = [float(np.sum((logs[:j] - logs[:j].mean()) ** 2) + np.sum((logs[j:] - logs[j:].mean()) ** 2))
                 for j in range(k, d.size - k + 1)]
        where = k + int(np.argmin(costs))
        best = abs(float(np.median(logs[:where]) - np.median(logs[where:])))
        if where < 0 or best < np.log(p.speed_change_ratio):
            return [(a, b, crossings)]
        # both sides must be steady in themselves: a noisy clock is not a change of speed
        for side in (logs[:where], logs[where:]):
            if np.exp(np.percentile(side, 75) - np.percentile(side, 25)) > p.steady_spread_ratio:
                return [(a, b, crossings)]
        split = int(crossings[where])
        left = self._split_speed(crossings[:where + 1], a, split)
        right = self._split_speed(crossings[where:], split, b)
        return left + right


def _leg_px(track: PoseTrack) -> float:
    hip = track.xy_px(lm.LEFT_HIP)
    ank = track.xy_px(lm.LEFT_ANKLE)
    d = np.linalg.norm(hip - ank, axis=1)
    d = d[np.isfinite(d)]
    return float(np.percentile(d, 90)) if d.size else float("nan")


def _hip_clock(track: PoseTrack, a: int, b: int, leg: float, prominence_leg: float, fps: float) -> np.ndarray:
    """Frames in [a, b) where the pelvis is lowest: once a step, in every view.

    The pelvis is the steadiest part of the track (no left/right swaps, no far-leg guessing),
    so its bounce is a better clock than the legs for telling real time from slow motion.
    """
    hip = (track.xy_px(lm.LEFT_HIP)[a:b, 1] + track.xy_px(lm.RIGHT_HIP)[a:b, 1]) / 2 / leg
    good = np.isfinite(hip)
    if good.sum() < 5:
        return np.zeros(0)
    x = np.interp(np.arange(hip.size), np.nonzero(good)[0], hip[good])
    x = np.convolve(x, np.ones(3) / 3, mode="same")
    # a slow drift (a camera tilting as it pans) is not bounce: take off a 2 s running mean
    w = max(3, min(x.size, round(2.0 * fps)))
    x = x - np.convolve(np.pad(x, (w // 2, w - 1 - w // 2), mode="edge"), np.ones(w) / w, mode="valid")
    peaks, _ = find_peaks(x, prominence=prominence_leg)  # image y grows downwards: lowest = peak
    return np.asarray(peaks + a, dtype=float)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = None
    for i, m in enumerate([*mask.tolist(), False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            out.append((start, i))
            start = None
    return out


def _bridge(mask: np.ndarray, gap: int) -> np.ndarray:
    out = mask.copy()
    for a, b in _runs(~mask):
        if a > 0 and b < mask.size and b - a <= gap:
            out[a:b] = True
    return out
