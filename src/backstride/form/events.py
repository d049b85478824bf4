"""Gait events: initial contact and toe-off for each foot.

Side view: the foot that is furthest ahead of the hip finds each step. Taking the front-most
ankle, whichever label it carries, makes the detector immune to left/right label swaps and to
a poorly seen far leg; the side of each contact is decided afterwards from the labels, with the
rule that contacts alternate. The contact itself is then the moment that foot comes down to
the ground, searched just before its furthest reach: the foot often goes on sliding forward for
50-100 ms after touching down (about 1.5 frames at 30 fps, 20-30 frames of a 9x slow-motion
clip), so the furthest reach alone is late. Ankles placed high above the ground ahead of the
hip (the model putting a hidden leg on a treadmill rail, say) are not a landing and are left
out. Rear or front view: a contact is the moment the descending foot reaches its stance level.
Toe-off is the moment the toe leaves its stance level.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import binary_erosion, percentile_filter
from scipy.signal import find_peaks

from backstride.form.signals import Signals
from backstride.video import track as lm

MIN_PROMINENCE_LEG = 0.08  # a contact peak must stand this far (leg lengths) above its neighbours
STANCE_BAND = 0.12  # a foot within this share of its lift range of the ground is on the ground
SIDE_AGREEMENT_MIN = 0.7
REPEAT_SHARE = 0.6  # a shorter period counts if it repeats at least this well as the strongest one
MIN_STEP_S, MAX_STEP_S = 0.15, 4.0  # real seconds; longer steps are searched so slow motion shows up
# Side view: an ankle more than this (leg lengths) above the ground is not about to land. A
# landing foot is within about 0.15 of it at its furthest reach; the far leg drawn on a
# treadmill rail or at hip height is not.
LANDING_HEIGHT_MAX_LEG = 0.25
IMPLAUSIBLE_GUARD_STEPS = 0.1  # frames this share of a step either side of such a frame are left out too
LANDING_BAND_LEG = 0.03  # the foot has landed once its ankle is within this of its stance height
LANDING_SEARCH_STEPS = 0.6  # how far before the furthest reach the landing is searched
LANDING_MIN_FPS = 60.0  # real frames per second from which the landing itself is timed


@dataclass(frozen=True)
class GaitEvents:
    contact_frames: np.ndarray  # float frame positions (sub-frame), sorted
    sides: tuple[str | None, ...]  # "L", "R" or None per contact
    toe_off_frames: np.ndarray  # float frame of the toe-off that ends each contact's stance, NaN if unknown
    side_agreement: float  # share of contacts whose label agreed with strict alternation
    step_period_frames: float  # typical frames per step from the autocorrelation
    method: str

    @property
    def n_contacts(self) -> int:
        return int(self.contact_frames.shape[0])


def forward_ankles(sig: Signals) -> tuple[np.ndarray, np.ndarray]:
    """Each ankle's position ahead of the hip in the direction of travel, in leg lengths."""
    hip = sig.hip_mid()
    fl = (sig.xy[lm.LEFT_ANKLE][:, 0] - hip[:, 0]) * sig.direction / sig.leg_px
    fr = (sig.xy[lm.RIGHT_ANKLE][:, 0] - hip[:, 0]) * sig.direction / sig.leg_px
    return fl, fr


def dominant_period(x: np.ndarray, min_lag: int, max_lag: int) -> float:
    """Period (frames) of the strongest repetition between ``min_lag`` and ``max_lag``."""
    v = x[np.isfinite(x)]
    if v.size < 2 * min_lag + 2:
        return float("nan")
    v = v - v.mean()
    ac = np.correlate(v, v, mode="full")[v.size - 1:]
    if ac[0] <= 0:
        return float("nan")
    ac = ac / ac[0]
    hi = min(max_lag, v.size // 2)
    if hi <= min_lag:
        return float("nan")
    seg = ac[min_lag:hi]
    peaks, _ = find_peaks(seg)
    if peaks.size == 0:
        return float("nan")
    # A side view often repeats more strongly every stride (two steps) than every step, because
    # the near and far legs differ. Take the shortest lag that repeats nearly as well as the best.
    best_value = float(np.max(seg[peaks]))
    strong = peaks[seg[peaks] >= REPEAT_SHARE * best_value]
    lag = int(strong[0]) + min_lag
    # sub-frame refinement
    if 1 <= lag < ac.size - 1:
        a, b, c = ac[lag - 1], ac[lag], ac[lag + 1]
        den = a - 2 * b + c
        if den != 0:
            return float(lag + 0.5 * (a - c) / den)
    return float(lag)


def _refine(x: np.ndarray, i: int) -> float:
    if 1 <= i < x.size - 1 and np.all(np.isfinite(x[i - 1:i + 2])):
        a, b, c = x[i - 1], x[i], x[i + 1]
        den = a - 2 * b + c
        if den != 0:
            return float(i + np.clip(0.5 * (a - c) / den, -0.5, 0.5))
    return float(i)


def step_limits_frames(real_fps: float) -> tuple[int, int]:
    """Autocorrelation search range for one step, in frames.

    The upper end is far beyond any running step so that a slow-motion clip given without its
    factor shows its true (implausibly long) step instead of a harmonic.
    """
    return max(2, int(MIN_STEP_S * real_fps)), max(4, int(MAX_STEP_S * real_fps))


def ankle_heights(sig: Signals, period: float) -> tuple[np.ndarray, np.ndarray]:
    """Each ankle's height above the ground (leg lengths); the ground is the lower ankle's usual
    level over about a stride, so a panning camera or a sloping frame is followed."""
    yl, yr = sig.xy[lm.LEFT_ANKLE][:, 1], sig.xy[lm.RIGHT_ANKLE][:, 1]
    low = np.fmax(yl, yr)  # image y grows downwards: the lower ankle has the larger y
    if not np.isfinite(low).any():
        return np.full(yl.shape, np.nan), np.full(yr.shape, np.nan)
    filled = np.where(np.isfinite(low), low, np.nanmedian(low))
    size = max(3, round(2 * period)) if np.isfinite(period) else max(3, round(sig.real_fps))
    ground = percentile_filter(filled, 80, size=min(size, filled.size), mode="nearest")
    return (ground - yl) / sig.leg_px, (ground - yr) / sig.leg_px


def _plausible(height: np.ndarray, guard: int) -> np.ndarray:
    """Frames where the ankle could be landing: low enough, and not next to a frame that is not."""
    low = np.isfinite(height) & (height <= LANDING_HEIGHT_MAX_LEG)
    low |= ~np.isfinite(height)  # a gap is not evidence of a bad frame; the signal is NaN there anyway
    return np.asarray(binary_erosion(low, np.ones(2 * guard + 1, dtype=bool), border_value=1))


def detect_sagittal(sig: Signals) -> GaitEvents:
    fl, fr = forward_ankles(sig)
    lo, hi = step_limits_frames(sig.real_fps)
    # Each leg repeats once per stride whatever the step timing, so the stride period from one
    # leg sets the minimum gap between contacts; a limp (unequal steps) then does not hide a step.
    strides = [dominant_period(x, 2 * lo, 2 * hi) for x in (fl, fr)]
    strides = [p for p in strides if np.isfinite(p)]
    period = float(np.median(strides)) / 2.0 if strides else dominant_period(np.fmax(fl, fr), lo, hi)
    hl, hr = ankle_heights(sig, period)
    guard = max(1, round(IMPLAUSIBLE_GUARD_STEPS * period)) if np.isfinite(period) else 1
    okl, okr = _plausible(hl, guard), _plausible(hr, guard)
    gl, gr = np.where(okl, fl, np.nan), np.where(okr, fr, np.nan)
    front = np.fmax(gl, gr)
    distance = max(2, int(0.6 * period)) if np.isfinite(period) else lo
    filled = np.where(np.isfinite(front), front, np.nanmin(front) if np.isfinite(front).any() else 0.0)
    peaks, _ = find_peaks(filled, distance=distance, prominence=MIN_PROMINENCE_LEG)
    peaks = peaks[np.isfinite(front[peaks])]
    reach = np.array([_refine(front, int(p)) for p in peaks])
    labels: list[str | None] = []
    landed = np.full(reach.shape, np.nan)
    for k, p in enumerate(peaks):
        left = not np.isfinite(gr[p]) or gl[p] >= gr[p]  # front is finite here, so one of them is
        labels.append("L" if left else "R")
        ankle = sig.xy[lm.LEFT_ANKLE if left else lm.RIGHT_ANKLE][:, 1]
        landed[k] = _landing(ankle, okl if left else okr, int(p), period, sig.leg_px)
    # The landing where it was seen, otherwise the furthest reach (never later than it). Below
    # LANDING_MIN_FPS the landing lasts about a frame and the smoothing window (at least 5
    # frames) blurs it, while the furthest reach is a sharp peak: keep the reach there.
    frames = np.fmin(reach, landed) if sig.real_fps >= LANDING_MIN_FPS else reach
    sides, agreement = _alternate_segments(frames, labels)
    toe = _rearmost(fl, fr, frames, sides)
    return GaitEvents(frames, sides, toe, agreement, period,
                      "foot landing before its furthest reach ahead of the hip (side view)")


def _landing(y: np.ndarray, ok: np.ndarray, peak: int, period: float, leg_px: float) -> float:
    """The frame where the ankle comes down to its stance height before its furthest reach.

    Searched from the ankle's highest point in the ``LANDING_SEARCH_STEPS`` before ``peak``;
    NaN when that stretch holds no trustworthy descent (tracking lost or implausible there).
    """
    if not np.isfinite(period):
        return float("nan")
    start = max(0, peak - round(LANDING_SEARCH_STEPS * period))
    s0, s1 = max(0, peak - round(0.1 * period)), min(y.size, peak + round(0.2 * period) + 1)
    around = y[s0:s1]
    if not np.isfinite(around).any():
        return float("nan")
    stance = float(np.nanmedian(around))
    seg = np.where(ok[start:peak + 1], y[start:peak + 1], np.nan)
    if not np.isfinite(seg).any():
        return float("nan")
    top = int(np.nanargmin(seg))  # highest point of the swing (image y grows downwards)
    level = stance - LANDING_BAND_LEG * leg_px
    down = np.nonzero(np.nan_to_num(seg[top:], nan=-np.inf) >= level)[0]
    if down.size == 0 or down[0] == 0:
        return float("nan")  # already at the ground where the search starts: no descent seen
    j = top + int(down[0])
    a, b = seg[j - 1], seg[j]
    if not np.isfinite(a):
        return float(start + j)
    frac = (level - a) / (b - a) if b != a else 1.0
    return float(start + j - 1 + np.clip(frac, 0.0, 1.0))


def _rearmost(fl: np.ndarray, fr: np.ndarray, contacts: np.ndarray, sides: tuple[str | None, ...]) -> np.ndarray:
    """Side-view toe-off: the foot is furthest behind the hip as it leaves the ground.

    The same landmark and signal as the contact (its most forward point), so the small lag both
    have on real video largely cancels in the contact time.
    """
    out = np.full(contacts.shape, np.nan)
    for k, (frame, side) in enumerate(zip(contacts, sides, strict=True)):
        if side is None:
            continue
        x = fl if side == "L" else fr
        nxt = [c for c, s in zip(contacts[k + 1:], sides[k + 1:], strict=True) if s == side]
        if not nxt:
            continue
        start, end = int(np.ceil(frame)), int(np.floor(nxt[0]))
        seg = x[start:end + 1]
        if seg.size < 3 or not np.all(np.isfinite(seg)):
            continue
        j = start + int(np.argmin(seg))
        if j in (start, end):
            continue
        out[k] = _refine(-x, j)
    return out


def detect_frontal(sig: Signals) -> GaitEvents:
    """Contacts from the vertical ankle paths (rear or front view)."""
    found: list[tuple[float, str]] = []
    periods = []
    lo, hi = step_limits_frames(sig.real_fps)
    for side, idx in (("L", lm.LEFT_ANKLE), ("R", lm.RIGHT_ANKLE)):
        y = sig.xy[idx][:, 1] / sig.leg_px  # grows downwards: the ground is the high value
        found.extend((f, side) for f in _landings(y, 2 * lo, 2 * hi))
        p = dominant_period(y, 2 * lo, 2 * hi)
        if np.isfinite(p):
            periods.append(p / 2.0)
    found.sort()
    frames = np.array([f for f, _ in found])
    labels: list[str | None] = [s for _, s in found]
    sides, agreement = _alternate_segments(frames, labels)
    period = float(np.median(periods)) if periods else float("nan")
    toe = toe_offs(sig, frames, sides)
    return GaitEvents(frames, sides, toe, agreement, period, "descending foot reaching the ground (rear/front view)")


def _landings(y: np.ndarray, lo: int, hi: int) -> list[float]:
    """Frames where a foot comes down to its stance level after a swing (y grows downwards)."""
    good = np.isfinite(y)
    if good.sum() < 2 * lo:
        return []
    period = dominant_period(y, lo, hi)
    distance = max(2, int(0.6 * period)) if np.isfinite(period) else lo
    filled = np.where(good, y, np.nanmax(y))
    swing_tops, _ = find_peaks(-filled, distance=distance, prominence=MIN_PROMINENCE_LEG)
    out: list[float] = []
    for k, top in enumerate(swing_tops):
        end = swing_tops[k + 1] if k + 1 < swing_tops.size else y.size
        seg = y[top:end]
        if seg.size < 3 or not np.all(np.isfinite(seg)):
            continue
        ground = float(np.max(seg))
        level = ground - STANCE_BAND * (ground - y[top])
        above = np.nonzero(seg >= level)[0]
        if above.size == 0 or above[0] == 0:
            continue
        j = int(above[0]) + top
        # linear interpolation of the crossing between frames j-1 and j
        a, b = y[j - 1], y[j]
        frac = (level - a) / (b - a) if b != a else 1.0
        out.append(float(j - 1 + np.clip(frac, 0.0, 1.0)))
    return out


def toe_offs(sig: Signals, contacts: np.ndarray, sides: tuple[str | None, ...]) -> np.ndarray:
    """For each contact, the frame where that foot's toe leaves its stance level."""
    out = np.full(contacts.shape, np.nan)
    for k, (frame, side) in enumerate(zip(contacts, sides, strict=True)):
        if side is None:
            continue
        toe = sig.xy[lm.LEFT_FOOT if side == "L" else lm.RIGHT_FOOT][:, 1] / sig.leg_px
        # the same foot's next contact bounds the search
        nxt = [c for c, s in zip(contacts[k + 1:], sides[k + 1:], strict=True) if s == side]
        end = int(nxt[0]) if nxt else toe.size
        start = int(np.ceil(frame))
        seg = toe[start:end]
        if seg.size < 4 or not np.all(np.isfinite(seg)):
            continue
        ground = float(np.max(seg[: max(2, seg.size // 2)]))
        top = float(np.min(seg))
        if ground - top < 0.05:
            continue
        level = ground - STANCE_BAND * (ground - top)
        peak = int(np.argmax(seg[: max(2, seg.size // 2)]))
        below = np.nonzero(seg[peak:] < level)[0]
        if below.size == 0:
            continue
        j = start + peak + int(below[0])
        a, b = toe[j - 1], toe[j]
        frac = (a - level) / (a - b) if a != b else 1.0
        out[k] = float(j - 1 + np.clip(frac, 0.0, 1.0))
    return out


MISSED_STEP_RATIO = 1.6  # a gap this many times the median step means a contact was missed


def _alternate_segments(frames: np.ndarray, labels: list[str | None]) -> tuple[tuple[str | None, ...], float]:
    """Alternate sides within runs of regular steps; a missed contact restarts the vote.

    Without the restart, one missed contact would flip every later side.
    """
    if frames.size < 3:
        return _alternate(labels)
    gaps = np.diff(frames)
    median = float(np.median(gaps))
    cuts = [0] + [k + 1 for k, g in enumerate(gaps) if g > MISSED_STEP_RATIO * median] + [len(labels)]
    sides: list[str | None] = []
    weighted = 0.0
    for a, b in itertools.pairwise(cuts):
        seg_sides, agree = _alternate(labels[a:b])
        sides.extend(seg_sides)
        weighted += agree * (b - a)
    return tuple(sides), weighted / max(1, len(labels))


def _alternate(labels: list[str | None]) -> tuple[tuple[str | None, ...], float]:
    """Force strict L/R alternation, choosing the phase most labels agree with.

    A brief label swap flips one or two contacts; alternation outvotes them. When the labels
    agree with neither phase (a mirror-symmetric silhouette, say), the sides stay unknown.
    """
    known = [(i, s) for i, s in enumerate(labels) if s in ("L", "R")]
    if not known:
        return tuple(None for _ in labels), 0.0
    votes_l_even = sum(1 for i, s in known if (s == "L") == (i % 2 == 0))
    agree = max(votes_l_even, len(known) - votes_l_even) / len(known)
    if agree < SIDE_AGREEMENT_MIN:
        return tuple(None for _ in labels), agree
    l_even = votes_l_even * 2 >= len(known)
    return tuple(("L" if (i % 2 == 0) == l_even else "R") for i in range(len(labels))), agree
