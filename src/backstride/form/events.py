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
from dataclasses import asdict, dataclass, field

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
IMPLAUSIBLE_GUARD_STEPS = 0.1  # frames this share of a step either side of such a frame are left out too


@dataclass(frozen=True)
class FootEventParameters:
    """How the side-view contact and toe-off are read from one foot's own motion.

    Every value is in real seconds, leg lengths or a share of a measured speed, so the same
    definition holds at 30, 60 or 240 frames per second and at any image size.
    """

    descent_share: float = 0.2  # contact: the foot's descent has slowed below this share of its peak speed
    ascent_share: float = 0.25  # toe-off: the toe has begun to rise, at this share of its peak rising speed
    landing_height_max_leg: float = 0.25  # a foot higher than this above its ground line at contact is not landing
    landing_search_steps: float = 0.6  # the landing is searched this share of a step before the furthest reach
    front_margin_leg: float = 0.05  # the landing foot must be this far ahead of the other foot to be told apart
    passed_margin_leg: float = 0.15  # the landing is searched once the foot is this far past the other one
    ground_percentile: float = 85.0  # each foot's ground line: this percentile of its lowest point over two strides

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class GaitEvents:
    contact_frames: np.ndarray  # float frame positions (sub-frame), sorted
    sides: tuple[str | None, ...]  # "L", "R" or None per contact
    toe_off_frames: np.ndarray  # float frame of the toe-off that ends each contact's stance, NaN if unknown
    side_agreement: float  # share of contacts whose label agreed with strict alternation
    step_period_frames: float  # typical frames per step from the autocorrelation
    method: str
    feet: tuple[str | None, ...] = ()  # landmark set (L/R) of the foot seen in contact; None: undecided
    parameters: dict[str, float] = field(default_factory=dict)
    step_frames: np.ndarray = field(default_factory=lambda: np.zeros(0))  # step timing per contact (side view)
    reach_frames: np.ndarray = field(default_factory=lambda: np.zeros(0))  # furthest reach of each step (side view)

    @property
    def timing_frames(self) -> np.ndarray:
        """Frames that time the steps: ``step_frames`` where given, else the contacts."""
        return self.step_frames if self.step_frames.size == self.contact_frames.size else self.contact_frames

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


def _plausible(height: np.ndarray, guard: int, max_leg: float = 0.25) -> np.ndarray:
    """Frames where the ankle could be landing: low enough, and not next to a frame that is not."""
    low = np.isfinite(height) & (height <= max_leg)
    low |= ~np.isfinite(height)  # a gap is not evidence of a bad frame; the signal is NaN there anyway
    return np.asarray(binary_erosion(low, np.ones(2 * guard + 1, dtype=bool), border_value=1))


def detect_sagittal(sig: Signals, params: FootEventParameters | None = None) -> GaitEvents:
    """Side view: find each step, decide which foot landed, then time its contact and toe-off.

    Steps are found where the front-most ankle reaches furthest ahead of the hip (a sharp,
    robust peak). The foot that is in front there, by its own landmarks, is the foot in contact;
    when the two feet cannot be told apart the step is kept for the step count but left out of
    every per-step value. Contact: the moment the foot's descent (mean of ankle, heel and toe)
    has slowed to ``descent_share`` of its peak speed. Toe-off: the moment that foot's toe has
    started to rise at ``ascent_share`` of its peak rising speed. Both are interpolated between
    frames and use only real-time quantities, so the definition is the same at every frame rate.
    """
    p = params or FootEventParameters()
    fl, fr = forward_ankles(sig)
    lo, hi = step_limits_frames(sig.real_fps)
    # Each leg repeats once per stride whatever the step timing, so the stride period from one
    # leg sets the minimum gap between contacts; a limp (unequal steps) then does not hide a step.
    strides = [dominant_period(x, 2 * lo, 2 * hi) for x in (fl, fr)]
    strides = [q for q in strides if np.isfinite(q)]
    period = float(np.median(strides)) / 2.0 if strides else dominant_period(np.fmax(fl, fr), lo, hi)
    hl, hr = ankle_heights(sig, period)
    guard = max(1, round(IMPLAUSIBLE_GUARD_STEPS * period)) if np.isfinite(period) else 1
    okl, okr = _plausible(hl, guard, p.landing_height_max_leg), _plausible(hr, guard, p.landing_height_max_leg)
    gl, gr = np.where(okl, fl, np.nan), np.where(okr, fr, np.nan)
    front = np.fmax(gl, gr)
    distance = max(2, int(0.6 * period)) if np.isfinite(period) else lo
    filled = np.where(np.isfinite(front), front, np.nanmin(front) if np.isfinite(front).any() else 0.0)
    peaks, _ = find_peaks(filled, distance=distance, prominence=MIN_PROMINENCE_LEG)
    peaks = peaks[np.isfinite(front[peaks])]
    reach = np.array([_refine(front, int(q)) for q in peaks])
    feet: list[str | None] = []
    labels: list[str | None] = []
    frames = reach.copy()
    heights = {"L": foot_heights(sig, "L", period, p.ground_percentile),
               "R": foot_heights(sig, "R", period, p.ground_percentile)}
    for k, q in enumerate(peaks):
        a, b = fl[q], fr[q]
        left = not np.isfinite(gr[q]) or (np.isfinite(gl[q]) and gl[q] >= gr[q])
        foot = "L" if left else "R"
        labels.append(foot)
        apart = bool(np.isfinite(a) and np.isfinite(b) and abs(a - b) >= p.front_margin_leg)
        other = fr if left else fl
        ic = _descent_end(sig, foot, int(q), period, p, fl if left else fr, other) if apart else float("nan")
        if np.isfinite(ic):
            h = heights[foot]
            i = min(h.size - 1, round(ic))
            if not (np.isfinite(h[i]) and h[i] <= p.landing_height_max_leg):
                ic = float("nan")  # the foot is still high in the air: not a landing that can be timed
        if np.isfinite(ic):
            frames[k] = min(ic, reach[k])  # never after the furthest reach
            feet.append(foot)
        else:
            feet.append(None)  # which foot landed, or when, cannot be read: counted, not measured
    timed = np.array([f is not None for f in feet], dtype=bool)
    if timed.any():
        # Step timing (cadence, step time, left/right asymmetry) uses each step's furthest reach,
        # a sharp peak equally sharp for the near and the far foot, moved back by the delay from
        # landing to furthest reach that this clip's own landings show. Timing steps by each
        # foot's descent instead makes the far foot, which the model draws late, land about a
        # frame late: a false limp. The contact moment of each foot (knee, shin, contact time)
        # is its own descent. A step whose landing could not be timed takes the reach timing.
        lag = float(np.median(reach[timed] - frames[timed]))
        steps = reach - lag
        frames[~timed] = steps[~timed]
    else:
        steps = reach.copy()
    sides, agreement = _alternate_segments(frames, labels)
    toe = np.array([_toe_rise(sig, foot, c, period, p) if foot else np.nan
                    for c, foot in zip(frames, feet, strict=True)])
    return GaitEvents(frames, sides, toe, agreement, period,
                      "foot's descent ending (contact) and its toe rising (toe-off), from the foot's own landmarks",
                      feet=tuple(feet), parameters=p.to_dict(), step_frames=steps, reach_frames=reach)


def foot_heights(sig: Signals, foot: str, period: float, percentile: float) -> np.ndarray:
    """Height of one foot's lowest point (heel or toe) above that foot's own ground line, leg lengths.

    Each foot gets its own line: from a camera a little above the ground the far foot stands
    higher in the image than the near one. The line is a high percentile of the foot's lowest
    point over about two strides, so a panning or tilted camera is followed.
    """
    heel, toe = (lm.LEFT_HEEL, lm.LEFT_FOOT) if foot == "L" else (lm.RIGHT_HEEL, lm.RIGHT_FOOT)
    low = np.fmax(sig.xy[heel][:, 1], sig.xy[toe][:, 1])
    if not np.isfinite(low).any():
        return np.full(low.shape, np.nan)
    filled = np.where(np.isfinite(low), low, np.nanmedian(low))
    size = max(3, round(4 * period)) if np.isfinite(period) else max(3, round(2 * sig.real_fps))
    ground = percentile_filter(filled, percentile, size=min(size, filled.size), mode="nearest")
    return np.where(np.isfinite(low), (ground - low) / sig.leg_px, np.nan)


def _foot_centre_y(sig: Signals, foot: str) -> np.ndarray:
    idx = (lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT) if foot == "L" else (lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all three hidden: NaN, as wanted
            out: np.ndarray = np.nanmean(np.stack([sig.xy[i][:, 1] for i in idx]), axis=0)
    return out


def _descent_end(sig: Signals, foot: str, peak: int, period: float, p: FootEventParameters,
                 ahead: np.ndarray, other: np.ndarray) -> float:
    """Sub-frame moment the landing foot's descent slows to ``descent_share`` of its peak speed.

    Searched only once the foot has passed the other one: while the legs cross, the model often
    draws the far foot on the near one's place, a false "landing". Velocities sit between
    frames (i + 0.5); the crossing is interpolated linearly. NaN when the stretch before the
    furthest reach holds no clear descent.
    """
    if not np.isfinite(period):
        return float("nan")
    y = _foot_centre_y(sig, foot)
    start = max(0, peak - round(p.landing_search_steps * period))
    close = np.nonzero(~(ahead[start:peak + 1] - other[start:peak + 1] >= p.passed_margin_leg))[0]
    if close.size:
        start += int(close[-1])
    stop = min(y.size, peak + max(2, round(0.15 * period)) + 1)
    seg = y[start:stop]
    if seg.size < 3 or np.isfinite(seg).sum() < 3:
        return float("nan")
    v = np.nan_to_num(np.diff(seg) * sig.real_fps / sig.leg_px, nan=0.0)  # leg lengths a second, + = down
    best = float(np.max(v))
    if best <= 0:
        return float("nan")
    # the first strong descent: a far foot drawn late may go on sinking after its landing
    w = max(1, round(0.1 * period))  # a peak of the descent, not a wobble of the tracking
    strong = [i for i in range(v.size) if v[i] >= 0.6 * best and v[i] >= np.max(v[max(0, i - w):i + w + 1])]
    m = strong[0]
    level = p.descent_share * v[m]
    after = np.nonzero(v[m:] < level)[0]
    if after.size == 0:
        return float("nan")
    j = m + int(after[0])
    frac = (v[j - 1] - level) / (v[j - 1] - v[j]) if v[j - 1] != v[j] else 1.0
    return float(start + (j - 1) + 0.5 + np.clip(frac, 0.0, 1.0))


def _toe_rise(sig: Signals, foot: str, contact: float, period: float, p: FootEventParameters) -> float:
    """Sub-frame moment the toe of the foot in contact starts to rise (``ascent_share`` of its
    peak rising speed), searched in the step after the contact: the foot leaving the ground."""
    if not np.isfinite(period) or not np.isfinite(contact):
        return float("nan")
    toe = sig.xy[lm.LEFT_FOOT if foot == "L" else lm.RIGHT_FOOT][:, 1]
    start = int(np.ceil(contact)) + max(1, round(0.2 * period))
    stop = min(toe.size, int(contact) + round(1.4 * period) + 1)
    seg = toe[start:stop]
    if seg.size < 3 or not np.all(np.isfinite(seg)):
        return float("nan")
    u = -np.diff(seg) * sig.real_fps / sig.leg_px  # leg lengths a second, positive = upwards
    m = int(np.argmax(u))
    if u[m] <= 0 or m == 0:
        return float("nan")
    level = p.ascent_share * u[m]
    before = np.nonzero(u[:m + 1] < level)[0]
    if before.size == 0:
        return float("nan")
    j = int(before[-1])  # the last speed below the level before the peak; j + 1 is above it
    frac = (level - u[j]) / (u[j + 1] - u[j]) if u[j + 1] != u[j] else 0.0
    return float(start + j + 0.5 + np.clip(frac, 0.0, 1.0))


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
    return GaitEvents(frames, sides, toe, agreement, period, "descending foot reaching the ground (rear/front view)",
                      feet=tuple(labels))


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
