"""Recorded MediaPipe tracks of real clips (tests/fixtures/pose, made by this project from the
shared clips with ``backstride.video.pipeline.record_track``) replayed through the analysis."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from backstride.form.analysis import analyse_track
from backstride.video.probe import CaptureTiming
from backstride.video.rejected import VideoRejected
from backstride.video.track import PoseTrack

FIXTURES = Path(__file__).parent / "fixtures" / "pose"
TREADMILL = "treadmill_sagittal_left_30fps_phone"
ANNOTATED_CADENCE_SPM = 168.4  # GROUND_TRUTH.json of the shared clip: 33 hand-marked contacts


def _treadmill() -> PoseTrack:
    return PoseTrack.load(FIXTURES / f"{TREADMILL}.npz")


def test_recorded_treadmill_track_cadence_and_view() -> None:
    a = analyse_track(_treadmill(), CaptureTiming(30.0, 1.0, "container"))
    assert a.cadence_spm == pytest.approx(ANNOTATED_CADENCE_SPM, abs=1.0)
    assert a.capture.view == "sagittal-left"
    assert a.events.side_agreement >= 0.9
    # a near-symmetric runner: the annotation shows no asymmetry beyond one frame
    assert a.metrics.step_asymmetry_pct is not None and a.metrics.step_asymmetry_pct < 5
    assert "form.step_asymmetry" not in {f.code for f in a.findings}
    assert "form.low_cadence" not in {f.code for f in a.findings}
    for f in a.findings:
        assert f.advice and f.evidence.reference_ids and 0 < f.confidence <= 1
    doc = a.to_dict()
    steps = doc["metrics"]["steps"]
    assert len(steps) == a.events.n_contacts
    assert {s["side"] for s in steps} == {"L", "R"}
    assert all(0.3 < s["step_time_s"] < 0.42 for s in steps[:-1])  # 168 steps/min: 0.357 s a step
    # a running contact is shorter than the step; every step measured is read on the foot in contact
    m = a.metrics.summaries
    assert 0.2 < m["contact_time_s"].median < m["step_time_s"].median
    for s in a.metrics.steps:
        if "contact_time_s" in s.values and np.isfinite(s.values["contact_time_s"]):
            assert s.values["contact_time_s"] < s.values["step_time_s"] + 0.05
        if "overstride_leg" in s.values:  # the landing foot is never the one behind
            assert s.values["overstride_leg"] > -0.1, s
    assert doc["metrics"]["undecided_steps"] == sum(f is None for f in a.events.feet) <= 6
    import json as _json

    _json.dumps(doc, allow_nan=False)  # strict JSON: no NaN anywhere


@pytest.mark.shared_data
def test_recorded_treadmill_contacts_match_annotation(shared_dir: Path) -> None:
    truth = json.loads((shared_dir / "data" / "videos" / "GROUND_TRUTH.json").read_text())[f"{TREADMILL}.mp4"]
    a = analyse_track(_treadmill(), CaptureTiming(30.0, 1.0, "container"))
    found = np.round(a.events.contact_frames).astype(int)
    for contact in truth["initial_contacts"]:
        k = int(np.argmin(np.abs(found - contact["frame"])))
        assert abs(found[k] - contact["frame"]) <= 2, contact
        assert a.events.sides[k] == contact["side"], contact
        # the contact moment of the foot itself (its descent), where it could be read
        if a.events.feet[k] is not None:
            assert abs(a.events.contact_frames[k] - contact["frame"]) <= 2.5, contact


def test_recorded_walking_track_is_rejected_as_walking() -> None:
    track = PoseTrack.load(FIXTURES / "nonrun_walking_sagittal.npz")
    with pytest.raises(VideoRejected) as info:
        analyse_track(track, CaptureTiming(30.0, 1.0, "container"))
    assert info.value.reason == "walking"
    assert "walking" in info.value.message


def test_recorded_treadmill_track_played_as_slow_motion_is_flagged() -> None:
    """The same steps stretched 8x in time, as a phone's slow motion would store them."""
    t = _treadmill()
    from dataclasses import replace

    stretched = replace(t, t_s=t.t_s * 8.0, fps=t.fps / 8.0)
    with pytest.raises(VideoRejected) as info:
        analyse_track(stretched, CaptureTiming(t.fps / 8.0, 1.0, "container"))
    assert info.value.reason == "slow_motion"
    a = analyse_track(stretched, CaptureTiming(t.fps / 8.0, 8.0, "--slowmo"))
    assert a.cadence_spm == pytest.approx(ANNOTATED_CADENCE_SPM, abs=1.0)


LAB_SLOWMO = "treadmill_lab_sagittal_right_slowmo"  # 480x360 lab treadmill clip, about 9x slow motion


@pytest.mark.shared_data
def test_recorded_lab_slow_motion_contacts_are_landings_not_half_a_step_off(shared_dir: Path) -> None:
    """MediaPipe puts the back-swinging leg on the treadmill rail in most steps of this clip, and
    the foot slides on for 20-30 video frames after touching down; contacts used to sit about
    half a step (37 of ~100 frames, median) from the annotation."""
    truth = json.loads((shared_dir / "data" / "videos" / "GROUND_TRUTH.json").read_text())[f"{LAB_SLOWMO}.mp4"]
    track = PoseTrack.load(FIXTURES / f"{LAB_SLOWMO}.npz")
    a = analyse_track(track, CaptureTiming(track.fps, 9.0, "--slowmo"))
    found = a.events.contact_frames
    errors = np.array([np.min(np.abs(found - c["frame"])) for c in truth["initial_contacts"]])
    assert np.median(errors) <= 10, errors  # annotation: +-4 frames, read every 4th frame
    # 14 video frames at about 9x slow motion are 0.05 s of real time (the model draws the
    # far leg on the treadmill rail in most steps of this clip)
    assert np.sum(errors <= 14) >= 6, errors
    assert a.cadence_spm == pytest.approx(truth["cadence_spm"] * 9.0, rel=0.04)
    contact = a.metrics.summaries["contact_time_s"].median
    assert contact < a.metrics.summaries["step_time_s"].median


def _decimated(track: PoseTrack, step: int) -> PoseTrack:
    from dataclasses import replace

    shift = track.camera_shift_px[::step] if len(track.camera_shift_px) else track.camera_shift_px
    return replace(track, landmarks=track.landmarks[::step], t_s=track.t_s[::step], fps=track.fps / step,
                   camera_shift_px=shift)


def test_knee_at_contact_holds_when_the_frame_rate_halves() -> None:
    """The shared folder has no 60 fps clip: the 30 fps clip halved to 15 fps stands in for it."""
    full = analyse_track(_treadmill(), CaptureTiming(30.0, 1.0, "container"))
    half = analyse_track(_decimated(_treadmill(), 2), CaptureTiming(15.0, 1.0, "container"))
    k_full = full.metrics.summaries["knee_flexion_ic_deg"].median
    k_half = half.metrics.summaries["knee_flexion_ic_deg"].median
    assert abs(k_full - k_half) <= 5.0, (k_full, k_half)
    assert half.cadence_spm == pytest.approx(full.cadence_spm, abs=1.5)
    assert half.metrics.summaries["contact_time_s"].median < half.metrics.summaries["step_time_s"].median


def test_lab_slow_motion_knee_holds_from_270_to_90_frames_per_second() -> None:
    """At about 9x slow motion the lab clip is about 270 real frames a second; a third of its
    frames (90 fps) must give the same knee angle at contact."""
    track = PoseTrack.load(FIXTURES / f"{LAB_SLOWMO}.npz")
    full = analyse_track(track, CaptureTiming(track.fps, 9.0, "--slowmo"))
    third = analyse_track(_decimated(track, 3), CaptureTiming(track.fps / 3, 9.0, "--slowmo"))
    k_full = full.metrics.summaries["knee_flexion_ic_deg"].median
    k_third = third.metrics.summaries["knee_flexion_ic_deg"].median
    assert abs(k_full - k_third) <= 5.0, (k_full, k_third)


def test_parameters_are_stored_with_the_result_and_change_the_reading() -> None:
    from backstride.form.events import FootEventParameters, detect_sagittal
    from backstride.form.signals import SignalParameters, prepare_signals

    doc = analyse_track(_treadmill(), CaptureTiming(30.0, 1.0, "container")).to_dict()
    params = doc["parameters"]
    assert params["events"]["descent_share"] == FootEventParameters().descent_share
    assert params["signals"]["smooth_window_s"] == SignalParameters().smooth_window_s
    assert params["segments"]["speed_change_ratio"] > 1
    sig = prepare_signals(_treadmill(), 30.0)
    early = detect_sagittal(sig, FootEventParameters(descent_share=0.8)).contact_frames
    late = detect_sagittal(sig, FootEventParameters(descent_share=0.1)).contact_frames
    timed = [k for k in range(min(early.size, late.size)) if np.isfinite(early[k]) and np.isfinite(late[k])]
    assert np.median(late[timed] - early[timed]) > 0  # a lower share waits longer for the descent to end
    smooth = prepare_signals(_treadmill(), 30.0, params=SignalParameters(smooth_window_s=0.3))
    assert smooth.parameters.smooth_window_s == 0.3
