"""Video input: container probing, slow-motion metadata, threaded decoding, pose tracks, replay."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from backstride.errors import VideoError
from backstride.video.backends import PoseBackend, ReplayBackend
from backstride.video.decode import FrameStream
from backstride.video.pipeline import estimate_pose
from backstride.video.probe import _capture_fps_from_moov, capture_timing, probe_video
from backstride.video.rejected import VideoRejected
from backstride.video.track import PoseTrack
from support.synthetic_form import SyntheticRunner, make_track


def write_video(path: Path, n_frames: int = 40, size: tuple[int, int] = (96, 160), fps: float = 30.0,
                pan_px: int = 0, shake_px: int = 0) -> Path:
    """A small MP4 with a textured background that moves ``pan_px`` pixels per frame, and jumps
    ``shake_px`` back and forth every other pair of frames (a hand-held phone)."""
    import cv2

    w, h = size
    rng = np.random.default_rng(1)
    texture = cv2.GaussianBlur((rng.random((h, w * 4)) * 255).astype(np.uint8), (0, 0), 3)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
    assert writer.isOpened()
    for i in range(n_frames):
        x0 = (i * pan_px) % (w * 3) + (shake_px if (i // 2) % 2 else 0)
        frame = cv2.cvtColor(np.ascontiguousarray(texture[:, x0:x0 + w]), cv2.COLOR_GRAY2BGR)
        writer.write(frame)
    writer.release()
    return path


def test_probe_reads_a_real_video(tmp_path: Path) -> None:
    probe = probe_video(write_video(tmp_path / "clip.mp4", n_frames=45))
    assert probe.fps == pytest.approx(30.0)
    assert (probe.width_px, probe.height_px) == (96, 160)
    assert probe.n_frames == 45
    assert probe.capture_fps_tag is None
    assert any("small" in w for w in probe.warnings)


@pytest.mark.parametrize("content,needle", [(b"", "empty"), (b"this is a text file, not a video\n", "could not be opened")])
def test_probe_rejects_broken_files(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "broken.mp4"
    path.write_bytes(content)
    with pytest.raises(VideoRejected) as info:
        probe_video(path)
    assert info.value.reason == "unreadable"
    assert needle in info.value.message


def test_probe_rejects_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(VideoRejected, match="no such file"):
        probe_video(tmp_path / "nope.mp4")
    with pytest.raises(VideoRejected, match="folder"):
        probe_video(tmp_path)


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def _android_moov(capture_fps: float) -> bytes:
    key = b"com.android.capture.fps"
    keys = _box(b"keys", struct.pack(">II", 0, 1) + struct.pack(">I4s", 8 + len(key), b"mdta") + key)
    data = _box(b"data", struct.pack(">II", 23, 0) + struct.pack(">f", capture_fps))
    item = struct.pack(">II", 8 + len(data), 1) + data
    ilst = _box(b"ilst", item)
    meta = _box(b"meta", _box(b"hdlr", b"\0" * 24) + keys + ilst)
    return meta


def test_android_capture_fps_metadata_is_read() -> None:
    assert _capture_fps_from_moov(_android_moov(240.0)) == pytest.approx(240.0)
    assert _capture_fps_from_moov(_box(b"udta", b"")) is None
    assert _capture_fps_from_moov(b"\x00\x00\x00\x10junk") is None  # truncated boxes do not crash


def test_capture_timing_from_flags_and_metadata(tmp_path: Path) -> None:
    probe = probe_video(write_video(tmp_path / "clip.mp4"))
    assert capture_timing(probe).slowmo_factor == 1.0
    t = capture_timing(probe, capture_fps=240)
    assert (t.slowmo_factor, t.real_fps, t.source) == (8.0, 240.0, "--capture-fps")
    assert capture_timing(probe, slowmo=4).real_fps == 120.0
    with pytest.raises(VideoRejected):
        capture_timing(probe, capture_fps=240, slowmo=8)
    with pytest.raises(VideoRejected):
        capture_timing(probe, slowmo=0.5)
    from dataclasses import replace

    tagged = replace(probe, capture_fps_tag=120.0)
    assert capture_timing(tagged).source == "metadata"
    assert capture_timing(tagged).slowmo_factor == pytest.approx(4.0)


def test_frame_stream_orders_frames_and_measures_panning(tmp_path: Path) -> None:
    still = list(FrameStream(write_video(tmp_path / "still.mp4", n_frames=20), fps=30.0))
    assert [f.index for f in still] == list(range(20))
    assert still[0].rgb.shape == (160, 96, 3)
    assert max(abs(f.camera_shift_px[0]) for f in still) < 1.0
    panned = list(FrameStream(write_video(tmp_path / "pan.mp4", n_frames=20, pan_px=4), fps=30.0))
    travel = sum(abs(f.camera_shift_px[0]) for f in panned)
    assert 0.75 * 76 <= travel <= 1.1 * 76  # 4 px a frame over 19 steps, measured every 2nd frame


def test_frame_stream_stops_early_without_leaking_the_thread(tmp_path: Path) -> None:
    stream = FrameStream(write_video(tmp_path / "clip.mp4", n_frames=60), fps=30.0)
    for frame in stream:
        if frame.index == 3:
            break
    assert stream._thread is None


def test_track_round_trip(tmp_path: Path) -> None:
    track = make_track(SyntheticRunner(duration_s=2.0, missing_frames=(5,))).track
    track.save(tmp_path / "t.npz")
    back = PoseTrack.load(tmp_path / "t.npz")
    assert back.n_frames == track.n_frames
    assert not back.detected[5] and back.detected[6]
    assert np.nanmax(np.abs(back.landmarks - track.landmarks)) < 1e-3  # float16 storage
    (tmp_path / "bad.npz").write_bytes(b"nope")
    with pytest.raises(ValueError, match="not a recorded pose track"):
        PoseTrack.load(tmp_path / "bad.npz")


def test_replay_backend_through_the_real_pipeline(tmp_path: Path) -> None:
    track = make_track(SyntheticRunner(duration_s=1.0, width_px=96, height_px=160, leg_px=60)).track
    video = write_video(tmp_path / "clip.mp4", n_frames=track.n_frames)
    backend = ReplayBackend(track)
    assert isinstance(backend, PoseBackend)
    seen: list[tuple[int, int]] = []
    out = estimate_pose(probe_video(video), backend, progress=lambda d, t: seen.append((d, t)))
    assert out.n_frames == track.n_frames
    np.testing.assert_allclose(out.landmarks, track.landmarks)
    assert out.t_s[1] - out.t_s[0] == pytest.approx(1 / 30, abs=1e-3)
    assert seen[-1] == (track.n_frames, track.n_frames)
    assert out.camera_shift_px.shape == (track.n_frames, 2)


def test_mediapipe_backend_refuses_to_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that is not in the wheel would be downloaded; that must become a clear error."""
    mp = pytest.importorskip("mediapipe")
    from urllib.error import URLError

    from backstride.video.backends import MediaPipeBackend

    def no_network(*args: object, **kwargs: object) -> None:
        raise URLError("network disabled in this test")

    monkeypatch.setattr(mp.solutions.pose, "Pose", no_network)
    with pytest.raises(VideoError) as info:
        MediaPipeBackend()
    assert "download" in str(info.value)


def test_camera_setting_tells_panning_from_a_still_camera(tmp_path: Path) -> None:
    from backstride.video.view import camera_setting

    track = make_track(SyntheticRunner(duration_s=2.0, width_px=96, height_px=160, leg_px=60)).track
    still = estimate_pose(probe_video(write_video(tmp_path / "still.mp4", n_frames=track.n_frames)),
                          ReplayBackend(track))
    assert camera_setting(still).setting == "treadmill" and not camera_setting(still).panning
    panned = estimate_pose(probe_video(write_video(tmp_path / "pan.mp4", n_frames=track.n_frames, pan_px=3)),
                           ReplayBackend(track))
    setting = camera_setting(panned)
    assert setting.panning and setting.setting == "overground"
    shaky = estimate_pose(probe_video(write_video(tmp_path / "shake.mp4", n_frames=track.n_frames, shake_px=4)),
                          ReplayBackend(track))
    assert np.abs(shaky.camera_shift_px[:, 0]).max() > 2  # the shake is seen...
    assert not camera_setting(shaky).panning  # ...but it is not a pan
