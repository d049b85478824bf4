"""Pose backends: something that turns one RGB frame into 33 landmarks.

:class:`MediaPipeBackend` runs BlazePose from ``mediapipe==0.10.14``. Its wheel ships only the
``full`` landmark model (``model_complexity=1``); the other complexities download a model when
constructed, which backstride never allows. :class:`ReplayBackend` plays back a recorded
:class:`~backstride.video.track.PoseTrack`, so the analysis and its tests run without the model.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from typing import Any, Protocol, runtime_checkable

import numpy as np

from backstride.errors import VideoError
from backstride.video.track import N_LANDMARKS, PoseTrack

MODEL_COMPLEXITY = 1  # the only BlazePose landmark model inside the mediapipe 0.10.14 wheel
QUIET_START_FRAMES = 30  # frames after which native stderr is restored even if no person was found


@runtime_checkable
class PoseBackend(Protocol):
    name: str

    def process(self, index: int, rgb: np.ndarray | None) -> np.ndarray | None:
        """Landmarks (33, 4) for frame ``index`` (x, y as image fractions, z, visibility), or None."""
        ...

    def close(self) -> None: ...


_quiet_lock = threading.Lock()
_quiet_users = 0
_quiet_saved_fd: int | None = None


class _NativeStderrSilencer:
    """Hide what MediaPipe's C++ side writes straight to file descriptor 2 while it starts.

    TensorFlow Lite and absl print start-up chatter ("Created TensorFlow Lite XNNPACK delegate",
    "Feedback manager requires a model...") that no environment variable of this release turns
    off; in a terminal it reads like an error before backstride's own output. The graph's own
    threads write it a little after the constructor returns, so the window stays open from
    construction until the model has found a first person (or gave up for a while), not just
    around one call. Several models may start at once (the web app's worker threads), so the
    redirection is counted: the real stderr comes back when the last one stops.
    """

    def __init__(self) -> None:
        self._active = False

    def start(self) -> None:
        global _quiet_users, _quiet_saved_fd
        if self._active:
            return
        try:
            if sys.stderr.fileno() != 2:
                return
        except (AttributeError, OSError, ValueError):  # stderr replaced (tests, notebooks): nothing to hide
            return
        with _quiet_lock:
            if _quiet_users == 0:
                sys.stderr.flush()
                _quiet_saved_fd = os.dup(2)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.close(devnull)
            _quiet_users += 1
            self._active = True

    def stop(self) -> None:
        global _quiet_users, _quiet_saved_fd
        if not self._active:
            return
        with _quiet_lock:
            self._active = False
            _quiet_users -= 1
            if _quiet_users == 0 and _quiet_saved_fd is not None:
                os.dup2(_quiet_saved_fd, 2)
                os.close(_quiet_saved_fd)
                _quiet_saved_fd = None


class MediaPipeBackend:
    """BlazePose (full) through MediaPipe's legacy ``solutions.pose`` API, offline.

    MediaPipe's own landmark smoothing is switched off: it is a causal filter that makes the
    landmarks lag by a frame or two, which moves every detected foot contact late. The form
    analysis smooths afterwards with a zero-phase filter instead.
    """

    name = "mediapipe-blazepose-full"

    def __init__(self, *, min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5) -> None:
        # protobuf 4 warns on every process() call inside mediapipe 0.10.14; it is noise to users
        warnings.filterwarnings("ignore", message="SymbolDatabase.GetPrototype", category=UserWarning)
        try:
            import mediapipe as mp
        except ImportError as exc:
            raise VideoError("the pose model (mediapipe 0.10.14) is not installed",
                             hint="install backstride with its dependencies: pip install -e .") from exc
        self._quiet = _NativeStderrSilencer()
        self._quiet.start()
        try:
            self._pose: Any = mp.solutions.pose.Pose(
                static_image_mode=False,
                model_complexity=MODEL_COMPLEXITY,
                smooth_landmarks=False,
                enable_segmentation=False,
                min_detection_confidence=min_detection_confidence,
                min_tracking_confidence=min_tracking_confidence,
            )
        except OSError as exc:  # urllib's URLError is an OSError: MediaPipe tried to download a model
            self._quiet.stop()
            raise VideoError(
                "the pose model tried to download files, which backstride does not allow "
                f"({exc.__class__.__name__}: {exc})",
                hint="reinstall mediapipe==0.10.14, whose wheel contains the model backstride uses",
            ) from exc

    def process(self, index: int, rgb: np.ndarray | None) -> np.ndarray | None:
        if rgb is None:
            raise ValueError("the MediaPipe backend needs the decoded frame")
        result = self._pose.process(rgb)
        if result.pose_landmarks is not None or index >= QUIET_START_FRAMES:
            self._quiet.stop()  # the landmark model has spoken its start-up lines by now
        if result.pose_landmarks is None:
            return None
        return np.array([[p.x, p.y, p.z, p.visibility] for p in result.pose_landmarks.landmark], dtype=np.float32)

    def close(self) -> None:
        self._quiet.stop()
        self._pose.close()


class ReplayBackend:
    """Plays back a recorded track, frame by frame, without any model."""

    name = "replay"

    def __init__(self, track: PoseTrack) -> None:
        self.track = track

    def process(self, index: int, rgb: np.ndarray | None) -> np.ndarray | None:
        if index >= self.track.n_frames:
            return None
        row = self.track.landmarks[index]
        if not np.isfinite(row[0, 0]):
            return None
        out: np.ndarray = row.astype(np.float32)
        assert out.shape == (N_LANDMARKS, 4)
        return out

    def close(self) -> None:
        return None
