"""Segments of a clip: frozen frames, cuts, speed changes and the runner leaving the frame,
built from a recorded real track (tests/fixtures/pose) so the answers are known."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from backstride.form.analysis import analyse_track
from backstride.video.probe import CaptureTiming
from backstride.video.rejected import VideoRejected
from backstride.video.segments import SegmentFinder
from backstride.video.track import PoseTrack

FIXTURES = Path(__file__).parent / "fixtures" / "pose"
FPS = 30.0


def _treadmill() -> PoseTrack:
    return PoseTrack.load(FIXTURES / "treadmill_sagittal_left_30fps_phone.npz")


def _with(track: PoseTrack, landmarks: np.ndarray) -> PoseTrack:
    n = landmarks.shape[0]
    return replace(track, landmarks=landmarks.astype(np.float32), t_s=np.arange(n) / track.fps,
                   camera_shift_px=np.zeros((0, 2), dtype=np.float32))


def _slow(landmarks: np.ndarray, factor: int) -> np.ndarray:
    """The same running played ``factor`` times slower (linear interpolation between frames)."""
    n = landmarks.shape[0]
    t = np.arange((n - 1) * factor + 1) / factor
    out = np.empty((t.size, *landmarks.shape[1:]), dtype=np.float64)
    for j in range(landmarks.shape[1]):
        for c in range(landmarks.shape[2]):
            out[:, j, c] = np.interp(t, np.arange(n), landmarks[:, j, c])
    return out


def test_a_steady_clip_is_used_whole() -> None:
    r = SegmentFinder().find(_treadmill())
    assert r.whole_clip and not r.frozen and not r.cuts and not r.speed_changes
    assert r.notes() == []
    assert 30 <= r.used.steps <= 34  # 33 annotated contacts


def test_screen_recording_frozen_then_real_time_then_slow_motion() -> None:
    """The shape of a real screen recording: frozen for 1 s, a short real-time part, then slow
    motion. The frozen and mixed-speed parts are named and the longest steady part is used."""
    lm = _treadmill().landmarks
    frozen = np.repeat(lm[:1], 30, axis=0)
    real_time = lm[0:90]  # 3 s, about 8 steps
    slow = _slow(lm[90:230], 4)  # 140 frames played 4x slower: about 13 steps over 18.6 s
    track = _with(_treadmill(), np.concatenate([frozen, real_time, slow]))
    r = SegmentFinder().find(track)
    assert r.frozen and r.frozen[0][0] == 0 and r.frozen[0][1] >= 28
    assert len(r.speed_changes) == 1 and abs(r.speed_changes[0] - 120) <= 12
    assert r.used.start >= 110 and r.used.stop == track.n_frames
    text = " ".join(r.notes())
    assert "stands still" in text and "playback speed changes" in text and "longest steady part" in text
    # The suggested factor must lead to an analysis of that part
    with pytest.raises(VideoRejected) as info:
        analyse_track(track, CaptureTiming(FPS, 1.0, "container"))
    assert info.value.reason == "slow_motion"
    factor = info.value.suggested_slowmo
    assert factor is not None
    a = analyse_track(track, CaptureTiming(FPS, float(factor), "--slowmo"))
    assert a.events.contact_frames.min() >= r.used.start - 1
    assert a.cadence_spm == pytest.approx(168.4 * factor / 4, rel=0.05)
    assert any("longest steady part" in w for w in a.capture.warnings)
    assert a.to_dict()["segments"]["used"]["start_frame"] == r.used.start


def test_slow_motion_too_short_for_any_factor_says_so_instead_of_suggesting_one() -> None:
    lm = _treadmill().landmarks
    track = _with(_treadmill(), _slow(lm[0:60], 6))  # about 5 steps, stretched 6x
    with pytest.raises(VideoRejected) as info:
        analyse_track(track, CaptureTiming(FPS, 1.0, "container"))
    assert info.value.reason == "too_few_steps"
    assert "no slow-motion factor" in info.value.message
    assert getattr(info.value, "suggested_slowmo", None) in (None, 0)


def test_a_cut_splits_the_clip() -> None:
    lm = _treadmill().landmarks.copy()
    moved = lm[200:].copy()
    moved[:, :, 0] -= 0.3  # the second shot shows the runner elsewhere in the frame
    track = _with(_treadmill(), np.concatenate([lm[:200], moved]))
    r = SegmentFinder().find(track)
    assert r.cuts == (200,)
    assert r.used.start == 0 and r.used.stop == 200
    assert "a cut to another shot" in " ".join(r.notes())


def test_runner_leaving_the_frame_is_trimmed_not_analysed() -> None:
    """When the runner leaves, the model guesses a body lying across the image (the trunk angle
    plunges to about -110 degrees); those frames are left out of every signal."""
    lm = _treadmill().landmarks.copy()
    lm[300:, :, 0] += np.linspace(0, 0.9, 60)[:, None]  # drifts out of the right edge
    lm[320:, :, 3] = 0.2
    track = _with(_treadmill(), lm)
    r = SegmentFinder().find(track)
    assert r.used.stop <= 320
    a = analyse_track(track, CaptureTiming(FPS, 1.0, "container"))
    assert a.events.contact_frames.max() < r.used.stop
    assert not np.isfinite(a.signals.hip_mid()[r.used.stop + 2:, 0]).any()
