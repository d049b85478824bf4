"""Decode a video and run a pose backend over every frame, producing a :class:`PoseTrack`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from backstride.video.backends import PoseBackend
from backstride.video.decode import FrameStream
from backstride.video.probe import VideoProbe
from backstride.video.track import N_LANDMARKS, PoseTrack

Progress = Callable[[int, int], None]  # (frames done, frames expected; 0 when unknown)


def estimate_pose(probe: VideoProbe, backend: PoseBackend, *, progress: Progress | None = None,
                  max_frames: int | None = None) -> PoseTrack:
    """Stream the frames through ``backend``; only the landmarks are kept, never the frames."""
    rows: list[np.ndarray] = []
    times: list[float] = []
    shifts: list[tuple[float, float]] = []
    empty = np.full((N_LANDMARKS, 4), np.nan, dtype=np.float32)
    expected = probe.n_frames if max_frames is None else min(probe.n_frames, max_frames)
    for frame in FrameStream(probe.path, fps=probe.fps, max_frames=max_frames):
        landmarks = backend.process(frame.index, frame.rgb)
        rows.append(empty if landmarks is None else landmarks)
        times.append(frame.t_s)
        shifts.append(frame.camera_shift_px)
        if progress is not None and (frame.index % 10 == 0):
            progress(frame.index + 1, expected)
    if progress is not None:
        progress(len(rows), expected)
    landmarks_arr = np.stack(rows) if rows else np.zeros((0, N_LANDMARKS, 4), dtype=np.float32)
    return PoseTrack(
        landmarks=landmarks_arr,
        t_s=np.asarray(times, dtype=np.float64),
        fps=probe.fps,
        width_px=probe.width_px,
        height_px=probe.height_px,
        backend=backend.name,
        camera_shift_px=np.asarray(shifts, dtype=np.float32).reshape(-1, 2),
    )


def record_track(path: Path, out: Path, backend: PoseBackend | None = None) -> PoseTrack:
    """Run the model once over a clip and save the track (fixtures, benchmarks, re-analysis)."""
    from backstride.video.backends import MediaPipeBackend
    from backstride.video.probe import probe_video

    probe = probe_video(path)
    owned = backend is None
    model = backend or MediaPipeBackend()
    try:
        track = estimate_pose(probe, model)
    finally:
        if owned:
            model.close()
    track.save(out)
    return track
