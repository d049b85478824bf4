"""From a pose track to a form analysis: capture checks, gait events, metrics, findings.

The checks come first and reject what cannot be analysed honestly: no runner, too few steps,
slow motion without its factor, walking. Only then are metrics computed, and every angle is
reported as a coarse category with the measured value beside it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from backstride.evidence import threshold
from backstride.findings.model import Finding
from backstride.form.capture import CaptureReport, Category
from backstride.form.events import GaitEvents, detect_frontal, detect_sagittal
from backstride.form.findings import categorise, make_findings
from backstride.form.metrics import (
    NEVER_MEASURED,
    GaitMetrics,
    cadence_from_contacts,
    compute_metrics,
)
from backstride.form.signals import Signals, prepare_signals
from backstride.video.probe import CaptureTiming
from backstride.video.rejected import VideoRejected
from backstride.video.segments import SegmentFinder, SegmentReport
from backstride.video.track import PoseTrack
from backstride.video.view import VIEWS, camera_setting, estimate_view, person_share


@dataclass(frozen=True)
class AnalysisOptions:
    view: str | None = None  # override the detected view
    height_cm: float | None = None  # runner's height: bounce in centimetres

    def __post_init__(self) -> None:
        if self.view is not None and self.view not in VIEWS:
            raise VideoRejected("bad_option", f"--view {self.view!r} is not one of {', '.join(VIEWS)}",
                                hint="sagittal-left: the camera sees the runner's left side")
        if self.height_cm is not None and not 100.0 <= self.height_cm <= 230.0:
            raise VideoRejected("bad_option", f"--height {self.height_cm:g} cm is outside 100-230 cm",
                                hint="give the runner's height in centimetres, e.g. --height 178")


@dataclass(frozen=True)
class FormAnalysis:
    capture: CaptureReport
    events: GaitEvents
    metrics: GaitMetrics
    categories: tuple[Category, ...]
    findings: tuple[Finding, ...]
    signals: Signals = field(repr=False, compare=False)
    segments: SegmentReport | None = field(default=None, repr=False, compare=False)

    @property
    def cadence_spm(self) -> float:
        return self.metrics.cadence_spm

    def to_dict(self) -> dict[str, Any]:
        m = self.metrics
        return {
            "cadence_spm": round(m.cadence_spm, 1),
            "view": self.capture.view,
            "capture": self.capture.to_dict(),
            "metrics": {
                "cadence_spm": round(m.cadence_spm, 2),
                "n_steps": max(0, self.events.n_contacts - 1),
                "step_asymmetry_pct": None if m.step_asymmetry_pct is None else round(m.step_asymmetry_pct, 2),
                "contact_asymmetry_pct": None if m.contact_asymmetry_pct is None else round(m.contact_asymmetry_pct, 2),
                "summaries": {k: v.to_dict() for k, v in m.summaries.items()},
                "steps": [{"index": st.index, "side": st.side, "contact_frame": round(st.contact_frame, 2),
                           "t_s": round(st.t_s, 3),
                           **{k: (round(float(v), 4) if np.isfinite(v) else None) for k, v in st.values.items()}}
                          for st in m.steps],
                "not_measured": dict(m.not_measured),
                "cannot_measure": list(NEVER_MEASURED),
                "refused": [dict(r) for r in m.refused],
                "undecided_steps": m.undecided_steps,
            },
            "categories": [c.to_dict() for c in self.categories],
            "events": {
                "method": self.events.method,
                "contact_frames": [round(float(f), 2) for f in self.events.contact_frames],
                "sides": list(self.events.sides),
                "toe_off_frames": [None if not np.isfinite(f) else round(float(f), 2)
                                   for f in self.events.toe_off_frames],
                "feet_in_contact": list(self.events.feet),
                "parameters": dict(self.events.parameters),
                "side_agreement": round(self.events.side_agreement, 3),
                "swaps_fixed": self.signals.swaps_fixed,
            },
            "findings": [f.to_dict() for f in self.findings],
            "segments": None if self.segments is None else self.segments.to_dict(),
            "parameters": {"signals": self.signals.parameters.to_dict(), "events": dict(self.events.parameters),
                           "segments": {} if self.segments is None else dict(self.segments.parameters)},
        }


def _t(name: str) -> float:
    return threshold(name).value


def analyse_track(track: PoseTrack, timing: CaptureTiming, options: AnalysisOptions | None = None,
                  *, warnings: tuple[str, ...] = ()) -> FormAnalysis:
    """Check the capture, then measure. Raises :class:`VideoRejected` with a clear message."""
    options = options or AnalysisOptions()
    notes = list(warnings)
    if track.n_frames == 0:
        raise VideoRejected("unreadable", "the video has no frames that could be decoded",
                            hint="export the clip from the phone as MP4 again")
    min_steps = int(_t("form_min_steps"))
    if track.n_frames < 2 * min_steps:  # fewer frames than it takes to see the steps at all
        raise VideoRejected("too_few_steps", f"the video is only {track.n_frames} frames long",
                            hint="film 10-20 s of steady running with the feet in view the whole time")
    segments = SegmentFinder().find(track)
    if segments.used is None:
        raise VideoRejected("no_person", "no person was found in the video" if not track.detected.any() else
                            "the runner could not be followed steadily in any part of the video",
                            hint="film the whole body, head to feet, from about 3-5 m away, for 10-20 s")
    # The runner must be clearly in view through the part that is analysed. A clip where the
    # runner is in view only briefly is refused on the whole clip's share; a long steady part
    # (a broadcast that shows other athletes first, say) is judged on its own.
    used_s = (segments.used.stop - segments.used.start) / max(track.fps, 1e-9)
    share = person_share(track)
    if share < _t("form_min_person_share") and used_s >= _t("form_min_steady_part_s"):
        share = person_share(track.slice(segments.used.start, segments.used.stop))
    if share < _t("form_min_person_share"):
        found = float(np.mean(track.detected))
        what = ("no person was found in the video" if found == 0 else
                f"a runner was clearly visible in only {share:.0%} of the frames")
        raise VideoRejected("no_person", what,
                            hint="film the whole body, head to feet, from about 3-5 m away, for 10-20 s")
    est = estimate_view(track, sagittal_max_ratio=_t("form_sagittal_max_shoulder_ratio"),
                        frontal_min_ratio=_t("form_frontal_min_shoulder_ratio"))
    view = options.view or est.view
    if options.view is None and est.note:
        notes.append(est.note)
    setting = camera_setting(track, panning_travel=_t("form_panning_travel"),
                             overground_travel=_t("form_overground_hip_travel"))
    if setting.panning:
        notes.append("the camera moves with the runner; positions are measured relative to the body, "
                     "but a still camera gives better angles")
    notes.extend(segments.notes())
    track = keep_only(track, segments)
    sig = prepare_signals(track, timing.real_fps)
    if not np.isfinite(sig.leg_px) or sig.leg_px <= 0:
        raise VideoRejected("no_person", "the runner's legs could not be followed in the video",
                            hint="film the whole body, feet included, with the runner well lit")
    events = detect_sagittal(sig) if view.startswith("sagittal") else detect_frontal(sig)
    cadence = cadence_from_contacts(events.timing_frames, sig.real_fps)
    if events.n_contacts >= 3 and np.isfinite(cadence):
        _check_cadence(cadence, timing, n_steps=events.n_contacts - 1, min_steps=min_steps,
                       segments=segments)
    if events.n_contacts - 1 < min_steps:
        raise VideoRejected("too_few_steps",
                            f"only {max(0, events.n_contacts - 1)} steps could be found; at least {min_steps} are "
                            "needed",
                            hint="film 10-20 s of steady running with the feet in view the whole time")
    gait_phase, consistency = hip_phase(sig, events)
    if consistency >= _t("form_walking_phase_consistency") and (
            gait_phase < _t("form_walking_hip_phase_deg") or gait_phase > 360 - _t("form_walking_hip_phase_deg")):
        raise VideoRejected(
            "walking",
            f"this looks like walking, not running (the hips are lowest when a foot lands, "
            f"at {cadence:.0f} steps/min)",
            hint="the form check needs running; film again at an easy running pace")
    if events.side_agreement < 0.7 and view.startswith("sagittal"):
        notes.append("left and right could not be told apart reliably; per-side values are not shown")
    if timing.real_fps < _t("form_min_contact_time_fps"):
        notes.append(f"at {timing.real_fps:.0f} frames per second contact time is approximate "
                     f"(one frame is {1000 / timing.real_fps:.0f} ms)")
    metrics = compute_metrics(sig, events, view, height_cm=options.height_cm,
                              leg_share_of_height=_t("form_leg_share_of_height"))
    capture = CaptureReport(
        container_fps=timing.container_fps, slowmo_factor=timing.slowmo_factor, real_fps=timing.real_fps,
        timing_source=timing.source,
        duration_s=float(track.t_s[-1] - track.t_s[0]) + 1.0 / track.fps if track.n_frames else 0.0,
        n_frames=track.n_frames, width_px=track.width_px, height_px=track.height_px, person_share=share,
        view=view, view_confidence=1.0 if options.view else est.confidence,
        view_source="--view" if options.view else "auto", setting=setting.setting, panning=setting.panning,
        gait="running", warnings=tuple(notes),
    )
    categories = categorise(metrics, capture)
    findings = make_findings(metrics, capture, events)
    return FormAnalysis(segments=segments, capture=capture, events=events, metrics=metrics,
                        categories=tuple(categories),
                        findings=tuple(findings), signals=sig)


TYPICAL_RUNNING_CADENCE_SPM = 165.0  # steps a minute of an easy run; only used to suggest a slow-motion factor


def suggested_slowmo(apparent_cadence_spm: float) -> int:
    """A slow-motion factor that would put the clip at a typical running step rate (a guess)."""
    return max(2, round(TYPICAL_RUNNING_CADENCE_SPM / apparent_cadence_spm))


def slowmo_hint(apparent_cadence_spm: float) -> str:
    """What to run again with, for a clip whose steps look slowed down.

    The factor is a guess (a typical running step rate over the one measured), so the exact
    route, the frame rate the phone filmed at, is given beside it.
    """
    factor = suggested_slowmo(apparent_cadence_spm)
    return (f"run the check again with the slow-motion factor, e.g. add --slowmo {factor} "
            f"(a guess: it would put this run at about {apparent_cadence_spm * factor:.0f} steps a minute). "
            "If you know the frame rate the phone filmed at, give that instead for the exact factor, "
            "e.g. --capture-fps 240")


def keep_only(track: PoseTrack, segments: SegmentReport) -> PoseTrack:
    """The track with every frame outside the steady part used blanked (frame numbers kept)."""
    used = segments.used
    if used is None or segments.whole_clip:
        return track
    lmk = track.landmarks.copy()
    lmk[:used.start] = np.nan
    lmk[used.stop:] = np.nan
    return replace(track, landmarks=lmk)


def _check_cadence(cadence: float, timing: CaptureTiming, *, n_steps: int = 0, min_steps: int = 0,
                   segments: SegmentReport | None = None) -> None:
    low = _t("form_slowmo_suspect_cadence_spm")
    high = _t("form_max_plausible_cadence_spm")
    if cadence < low and timing.slowmo_factor <= 1.0 and n_steps < min_steps:
        # A factor would change the step rate, not the number of steps: suggesting one would
        # only lead to a second refusal.
        part = ("" if segments is None or segments.whole_clip or segments.used is None else
                f" in its longest steady part ({segments.used.start / segments.fps:.1f}-"
                f"{segments.used.stop / segments.fps:.1f} s)")
        raise VideoRejected(
            "too_few_steps",
            f"this looks like slow motion (steps at {cadence:.0f} per minute of playback), but the video has only "
            f"{n_steps} steps{part}; at least {min_steps} are needed, so no slow-motion factor would make it analysable",
            hint="film 10-20 s of running; in slow motion that means a longer recording, or film in real time")
    if cadence < low:
        if timing.slowmo_factor > 1.0:
            raise VideoRejected(
                "implausible_cadence",
                f"even with the slow-motion factor {timing.slowmo_factor:g} the steps come at only "
                f"{cadence:.0f} per minute, slower than any running",
                hint="check the factor: --capture-fps is the rate the phone filmed at (e.g. 240)")
        raise VideoRejected(
            "slow_motion",
            f"the steps in this video come at {cadence:.0f} per minute of playback, far fewer than any runner takes; "
            "it looks like slow motion",
            hint=slowmo_hint(cadence), suggested_slowmo=suggested_slowmo(cadence))
    if cadence > high:
        raise VideoRejected(
            "implausible_cadence",
            f"the steps come at {cadence:.0f} per minute, faster than running allows",
            hint="if you gave --slowmo or --capture-fps, check the value; a sped-up video cannot be analysed")


def hip_phase(sig: Signals, events: GaitEvents) -> tuple[float, float]:
    """Where in the step the pelvis is lowest (degrees after contact) and how consistent that is.

    Running: lowest near mid-stance (roughly 90-200 degrees into the step). Walking: lowest at
    contact, when both feet are on the ground (near 0 degrees).
    """
    hip_y = sig.hip_mid()[:, 1] / sig.leg_px
    parts = []
    # the walking test reads the pelvis against the furthest reach, a fixed point of each step
    cf = events.reach_frames if events.reach_frames.size == events.n_contacts else events.timing_frames
    for a, b in itertools.pairwise(cf):
        if b - a < 4:
            continue
        idx = np.arange(int(np.ceil(a)), min(int(np.floor(b)) + 1, hip_y.size))
        seg = hip_y[idx]
        if idx.size < 4 or not np.all(np.isfinite(seg)):
            continue
        theta = 2 * np.pi * (idx - a) / (b - a)
        parts.append(np.sum((seg - seg.mean()) * np.exp(1j * theta)))
    if not parts:
        return float("nan"), 0.0
    total = complex(np.sum(parts))
    strength = float(np.sum(np.abs(parts)))
    return float(np.degrees(np.angle(total)) % 360.0), (abs(total) / strength if strength > 0 else 0.0)
