"""The :class:`PoseTrack`: what a pose backend saw, frame by frame.

Landmarks follow MediaPipe BlazePose's 33-point layout. ``x`` and ``y`` are fractions of the
image width and height (0..1, may fall slightly outside), ``z`` is MediaPipe's relative depth
and ``visibility`` its 0..1 confidence that the point is in view. A frame with no person is a
row of NaN. Tracks are small (33 x 4 floats a frame), so the whole track is kept in memory
while frames are streamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

N_LANDMARKS = 33

# BlazePose landmark indices used by the form analysis.
NOSE = 0
LEFT_EAR, RIGHT_EAR = 7, 8
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12
LEFT_ELBOW, RIGHT_ELBOW = 13, 14
LEFT_WRIST, RIGHT_WRIST = 15, 16
LEFT_HIP, RIGHT_HIP = 23, 24
LEFT_KNEE, RIGHT_KNEE = 25, 26
LEFT_ANKLE, RIGHT_ANKLE = 27, 28
LEFT_HEEL, RIGHT_HEEL = 29, 30
LEFT_FOOT, RIGHT_FOOT = 31, 32

# Bones drawn on the annotated video (pairs of landmark indices).
SKELETON: tuple[tuple[int, int], ...] = (
    (LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_HIP, RIGHT_HIP),
    (LEFT_SHOULDER, LEFT_HIP), (RIGHT_SHOULDER, RIGHT_HIP),
    (LEFT_SHOULDER, LEFT_ELBOW), (LEFT_ELBOW, LEFT_WRIST),
    (RIGHT_SHOULDER, RIGHT_ELBOW), (RIGHT_ELBOW, RIGHT_WRIST),
    (LEFT_HIP, LEFT_KNEE), (LEFT_KNEE, LEFT_ANKLE), (LEFT_ANKLE, LEFT_HEEL), (LEFT_HEEL, LEFT_FOOT),
    (LEFT_ANKLE, LEFT_FOOT),
    (RIGHT_HIP, RIGHT_KNEE), (RIGHT_KNEE, RIGHT_ANKLE), (RIGHT_ANKLE, RIGHT_HEEL), (RIGHT_HEEL, RIGHT_FOOT),
    (RIGHT_ANKLE, RIGHT_FOOT),
)

TRACK_FORMAT_VERSION = 1


@dataclass(frozen=True)
class PoseTrack:
    """Landmarks for every decoded frame, with the frame times read from the container."""

    landmarks: np.ndarray  # (n_frames, 33, 4) float32: x, y, z, visibility; NaN rows = no person
    t_s: np.ndarray  # (n_frames,) container (playback) time of each frame, seconds
    fps: float  # container frame rate (playback rate; slow motion is handled by the caller)
    width_px: int
    height_px: int
    backend: str = "unknown"
    camera_shift_px: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.float32))
    """(n_frames, 2) estimated background shift from the previous frame (camera panning); may be empty."""

    def __post_init__(self) -> None:
        if self.landmarks.ndim != 3 or self.landmarks.shape[1:] != (N_LANDMARKS, 4):
            raise ValueError(f"landmarks must have shape (n, {N_LANDMARKS}, 4), got {self.landmarks.shape}")
        if self.t_s.shape != (self.landmarks.shape[0],):
            raise ValueError("t_s must have one time per frame")

    @property
    def n_frames(self) -> int:
        return int(self.landmarks.shape[0])

    @property
    def detected(self) -> np.ndarray:
        """Boolean per frame: a person was found."""
        return np.isfinite(self.landmarks[:, 0, 0])

    def xy_px(self, index: int) -> np.ndarray:
        """(n, 2) pixel coordinates of one landmark (NaN where not detected)."""
        pts = self.landmarks[:, index, :2].astype(np.float64)
        return pts * np.array([self.width_px, self.height_px], dtype=np.float64)

    def visibility(self, index: int) -> np.ndarray:
        return np.nan_to_num(self.landmarks[:, index, 3].astype(np.float64), nan=0.0)

    def slice(self, start: int, stop: int) -> PoseTrack:
        shift = self.camera_shift_px[start:stop] if len(self.camera_shift_px) else self.camera_shift_px
        return replace(self, landmarks=self.landmarks[start:stop], t_s=self.t_s[start:stop], camera_shift_px=shift)

    def save(self, path: Path) -> None:
        """Write a compressed ``.npz`` (float16 landmarks: about 0.1 px at 1080p, ample for gait)."""
        np.savez_compressed(
            path,
            format_version=np.int32(TRACK_FORMAT_VERSION),
            landmarks=self.landmarks.astype(np.float16),
            t_s=self.t_s.astype(np.float64),
            fps=np.float64(self.fps),
            width_px=np.int32(self.width_px),
            height_px=np.int32(self.height_px),
            backend=np.str_(self.backend),
            camera_shift_px=self.camera_shift_px.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> PoseTrack:
        try:
            with np.load(path, allow_pickle=False) as data:
                landmarks = np.asarray(data["landmarks"], dtype=np.float32)
                t_s = np.asarray(data["t_s"], dtype=np.float64)
                fps = float(data["fps"])
                width = int(data["width_px"] if "width_px" in data else data["width"])
                height = int(data["height_px"] if "height_px" in data else data["height"])
                backend = str(data["backend"]) if "backend" in data else "recorded"
                shift = (np.asarray(data["camera_shift_px"], dtype=np.float32)
                         if "camera_shift_px" in data else np.zeros((0, 2), dtype=np.float32))
        except (OSError, KeyError, ValueError) as exc:
            raise ValueError(f"{path} is not a recorded pose track: {exc}") from exc
        return cls(landmarks=landmarks, t_s=t_s, fps=fps, width_px=width, height_px=height,
                   backend=backend, camera_shift_px=shift)
