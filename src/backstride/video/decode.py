"""Stream decoded frames from a video file on a background thread.

Decoding runs on its own thread so that it overlaps with pose inference on the main thread
(OpenCV and MediaPipe both release the GIL while they work). Frames pass through a small
bounded queue, so memory stays at a handful of frames whatever the clip's length.

The decode thread also measures how far the background moved since the previous frame, which
tells a panning camera from a still one without a second pass over the video: phase correlation
on a small grey copy, split into a 3 x 3 grid and the median shift taken, so that a runner
filling part of the frame does not read as camera motion.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from backstride.errors import VideoError

QUEUE_FRAMES = 8  # frames buffered between decoder and model: enough to hide decode jitter
MOTION_WIDTH_PX = 192  # width of the grey copy used to estimate camera motion
MOTION_EVERY = 2  # compare every 2nd frame with the one 2 back: half the cost, same total travel
MOTION_GRID = 3  # blocks per side; the median block shift ignores the moving runner


@dataclass(frozen=True)
class DecodedFrame:
    index: int
    t_s: float  # container timestamp
    rgb: np.ndarray  # (h, w, 3) uint8
    camera_shift_px: tuple[float, float]  # background shift from the previous frame, full-size pixels


_END = object()


class FrameStream:
    """Iterate over :class:`DecodedFrame` values; the decoder runs ahead on a thread."""

    def __init__(self, path: Path, *, fps: float, estimate_motion: bool = True, max_frames: int | None = None) -> None:
        self.path = Path(path)
        self.fps = fps
        self.estimate_motion = estimate_motion
        self.max_frames = max_frames
        self._queue: queue.Queue[object] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def __iter__(self) -> Iterator[DecodedFrame]:
        self._thread = threading.Thread(target=self._run, name="backstride-decode", daemon=True)
        self._thread.start()
        try:
            while True:
                item = self._queue.get()
                if item is _END:
                    break
                assert isinstance(item, DecodedFrame)
                yield item
        finally:
            self.close()
        if self._error is not None:
            raise VideoError(f"{self.path.name} could not be decoded: {self._error}",
                             hint="export the clip from the phone as MP4 again") from self._error

    def close(self) -> None:
        self._stop.set()
        # Drain so a blocked producer can see the stop flag and finish.
        while self._thread is not None and self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread = None

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for index, t_s, bgr, shift in decode_frames(self.path, self.fps, self.estimate_motion, self.max_frames,
                                                        self._stop.is_set):
                import cv2

                if not self._put(DecodedFrame(index, t_s, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), shift)):
                    break
        except BaseException as exc:  # reported on the consumer's thread
            self._error = exc
        finally:
            self._put(_END)


def decode_frames(path: Path, fps: float, estimate_motion: bool, max_frames: int | None,
                  stopped: Callable[[], bool]) -> Iterator[tuple[int, float, np.ndarray, tuple[float, float]]]:
    """Decode ``path`` frame by frame: (index, container time, BGR frame, camera shift)."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    motion = _CameraMotion() if estimate_motion else None
    index = 0
    try:
        while not stopped():
            if max_frames is not None and index >= max_frames:
                break
            ok, bgr = cap.read()
            if not ok:
                break
            pos_ms = cap.get(cv2.CAP_PROP_POS_MSEC)
            t_s = pos_ms / 1000.0 if pos_ms and pos_ms > 0 else index / fps
            if index > 0 and pos_ms == 0:
                t_s = index / fps
            shift = motion.update(bgr) if motion is not None else (0.0, 0.0)
            yield index, t_s, bgr, shift
            index += 1
    finally:
        cap.release()


class _CameraMotion:
    """Background shift between consecutive frames: median phase correlation over a 3 x 3 grid."""

    def __init__(self) -> None:
        self.previous: np.ndarray | None = None
        self.window: np.ndarray | None = None
        self.count = 0

    def update(self, bgr: np.ndarray) -> tuple[float, float]:
        import cv2

        self.count += 1
        if (self.count - 1) % MOTION_EVERY:
            return (0.0, 0.0)

        h, w = bgr.shape[:2]
        # an integer shrink factor keeps INTER_AREA cheap (about 1.5 ms for 1080p against
        # 7.5 ms for an arbitrary factor)
        k = max(1, round(w / MOTION_WIDTH_PX))
        small = cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), (max(8, w // k), max(8, h // k)),
                           interpolation=cv2.INTER_AREA).astype(np.float32)
        bh, bw = small.shape[0] // MOTION_GRID, small.shape[1] // MOTION_GRID
        if self.window is None or self.window.shape != (bh, bw):
            self.window = cv2.createHanningWindow((bw, bh), cv2.CV_32F)
        shift = (0.0, 0.0)
        previous, self.previous = self.previous, small
        if previous is not None and previous.shape == small.shape:
            dxs, dys = [], []
            for r in range(MOTION_GRID):
                for c in range(MOTION_GRID):
                    block = (slice(r * bh, (r + 1) * bh), slice(c * bw, (c + 1) * bw))
                    (dx, dy), _response = cv2.phaseCorrelate(previous[block], small[block], self.window)
                    dxs.append(dx)
                    dys.append(dy)
            shift = (float(np.median(dxs)) * k, float(np.median(dys)) * k)
        return shift
