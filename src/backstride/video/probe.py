"""What the container says before any frame is analysed: can it be decoded, at what rate,
how long, and was it filmed in slow motion.

Phones save slow motion in two ways. Android writes the frames with a 30 fps playback rate and
records the real capture rate in the ``com.android.capture.fps`` metadata key; iPhone originals
keep the real rate (120/240 fps) in the container. When neither tells us, the runner can say
it (``--capture-fps`` or ``--slowmo``); the gait analysis also refuses cadences no runner has,
which is what an unflagged slow-motion clip looks like.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from backstride.video.rejected import VideoRejected

# Container boxes that hold other boxes (ISO BMFF / QuickTime). ``meta`` is handled apart
# because in ISO files it starts with 4 bytes of version/flags.
_CONTAINERS = {b"moov", b"udta", b"trak", b"mdia", b"minf", b"stbl", b"ilst"}
_CAPTURE_KEYS = (b"com.android.capture.fps", b"com.apple.quicktime.capture-fps")
_MAX_MOOV_BYTES = 64 * 1024 * 1024  # a moov larger than this is not a phone clip; do not read it


@dataclass(frozen=True)
class VideoProbe:
    path: Path
    fps: float  # container (playback) frame rate
    n_frames: int  # as reported by the container; may be approximate
    width_px: int
    height_px: int
    duration_s: float
    capture_fps_tag: float | None = None  # real capture rate written by the phone, if any
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CaptureTiming:
    """How playback time maps to real time."""

    container_fps: float
    slowmo_factor: float  # 1.0 = real time; 8.0 = 240 fps played at 30 fps
    source: str  # "container", "metadata", "--capture-fps", "--slowmo"

    @property
    def real_fps(self) -> float:
        """Frames per second of real (captured) time."""
        return self.container_fps * self.slowmo_factor


def probe_video(path: Path) -> VideoProbe:
    """Open the file with OpenCV and read its basic properties, or raise :class:`VideoError`."""
    path = Path(path)
    if not path.exists():
        raise VideoRejected("unreadable", f"{path}: no such file", hint="check the path to the video")
    if path.is_dir():
        raise VideoRejected("unreadable", f"{path} is a folder, not a video file", hint="give the path to one video file")
    size = path.stat().st_size
    if size == 0:
        raise VideoRejected("unreadable", f"{path.name} is empty (0 bytes)", hint="copy the video from the phone again")
    import cv2  # lazy: keep importing backstride cheap

    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            raise VideoRejected("unreadable", f"{path.name} could not be opened as a video (it may be damaged or not a video at all)",
                             hint="export the clip from the phone as MP4 or MOV and try again")
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        n_frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        width = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0)
        height = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)
        ok, _frame = cap.read()
    finally:
        cap.release()
    if not ok:
        raise VideoRejected("unreadable", f"{path.name} has no frame that can be decoded",
                         hint="export the clip from the phone as MP4 or MOV and try again")
    if not 1.0 <= fps <= 1000.0:
        raise VideoRejected("unreadable", f"{path.name} reports a frame rate of {fps:g} fps, which cannot be right",
                         hint="re-export the clip, or pass --capture-fps with the rate it was filmed at")
    warnings: list[str] = []
    if max(width, height) < 360:
        warnings.append(f"the video is small ({width}x{height}); joint positions will be less precise")
    duration = n_frames / fps if n_frames > 0 else 0.0
    return VideoProbe(path=path, fps=fps, n_frames=n_frames, width_px=width, height_px=height,
                      duration_s=duration, capture_fps_tag=read_capture_fps_tag(path), warnings=tuple(warnings))


def capture_timing(probe: VideoProbe, *, capture_fps: float | None = None, slowmo: float | None = None) -> CaptureTiming:
    """Combine what the container says with what the runner told us. The runner wins."""
    if capture_fps is not None and slowmo is not None:
        raise VideoRejected("bad_option", "give either --capture-fps or --slowmo, not both",
                         hint="--capture-fps 240 for a 240 fps recording, or --slowmo 8 for 8x slow motion")
    if slowmo is not None:
        if not 1.0 <= slowmo <= 64.0:
            raise VideoRejected("bad_option", f"--slowmo {slowmo:g} is outside 1-64", hint="use e.g. --slowmo 4 or --slowmo 8")
        return CaptureTiming(probe.fps, float(slowmo), "--slowmo")
    if capture_fps is not None:
        if not 1.0 <= capture_fps <= 2000.0:
            raise VideoRejected("bad_option", f"--capture-fps {capture_fps:g} is outside 1-2000", hint="use e.g. --capture-fps 240")
        # A capture rate below the playback rate would mean fast motion (time-lapse): the maths is the same.
        return CaptureTiming(probe.fps, float(capture_fps) / probe.fps, "--capture-fps")
    if probe.capture_fps_tag and probe.capture_fps_tag > probe.fps * 1.5:
        return CaptureTiming(probe.fps, probe.capture_fps_tag / probe.fps, "metadata")
    return CaptureTiming(probe.fps, 1.0, "container")


def read_capture_fps_tag(path: Path) -> float | None:
    """The capture frame rate phones write into MP4/MOV metadata, or None."""
    try:
        with open(path, "rb") as fh:
            moov = _find_top_box(fh, b"moov")
    except OSError:
        return None
    if moov is None:
        return None
    return _capture_fps_from_moov(moov)


def _find_top_box(fh: object, kind: bytes) -> bytes | None:
    import io

    assert isinstance(fh, io.BufferedIOBase | io.BufferedReader)
    while True:
        header = fh.read(8)
        if len(header) < 8:
            return None
        size, box = struct.unpack(">I4s", header)
        header_len = 8
        if size == 1:
            ext = fh.read(8)
            if len(ext) < 8:
                return None
            size = struct.unpack(">Q", ext)[0]
            header_len = 16
        elif size == 0:  # box runs to the end of the file
            if box == kind:
                data = fh.read(_MAX_MOOV_BYTES)
                return data
            return None
        if size < header_len:
            return None
        if box == kind:
            if size - header_len > _MAX_MOOV_BYTES:
                return None
            return fh.read(size - header_len)
        fh.seek(size - header_len, 1)


def _iter_boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    out: list[tuple[bytes, bytes]] = []
    pos = 0
    while pos + 8 <= len(data):
        size, box = struct.unpack(">I4s", data[pos:pos + 8])
        header_len = 8
        if size == 1 and pos + 16 <= len(data):
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header_len = 16
        elif size == 0:
            size = len(data) - pos
        if size < header_len or pos + size > len(data):
            break
        out.append((box, data[pos + header_len:pos + size]))
        pos += size
    return out


def _capture_fps_from_moov(moov: bytes) -> float | None:
    """Walk moov for QuickTime-style ``meta`` (``keys`` + ``ilst``) and read a capture-fps key."""
    stack = [moov]
    while stack:
        for box, body in _iter_boxes(stack.pop()):
            if box == b"meta":
                value = _capture_fps_from_meta(body)
                if value is not None:
                    return value
            elif box in _CONTAINERS:
                stack.append(body)
    return None


def _capture_fps_from_meta(body: bytes) -> float | None:
    boxes = _iter_boxes(body)
    if not any(b == b"keys" for b, _ in boxes):
        boxes = _iter_boxes(body[4:])  # ISO-style meta: skip version and flags
    keys: list[bytes] = []
    ilst = b""
    for box, payload in boxes:
        if box == b"keys" and len(payload) >= 8:
            count = struct.unpack(">I", payload[4:8])[0]
            pos = 8
            for _ in range(count):
                if pos + 8 > len(payload):
                    break
                ksize = struct.unpack(">I", payload[pos:pos + 4])[0]
                keys.append(payload[pos + 8:pos + ksize])
                pos += max(ksize, 8)
        elif box == b"ilst":
            ilst = payload
    if not keys or not ilst:
        return None
    pos = 0
    while pos + 8 <= len(ilst):
        size, index = struct.unpack(">II", ilst[pos:pos + 8])
        if size < 8:
            break
        item = ilst[pos + 8:pos + size]
        pos += size
        if not 1 <= index <= len(keys) or keys[index - 1] not in _CAPTURE_KEYS:
            continue
        for box, payload in _iter_boxes(item):
            if box != b"data" or len(payload) < 9:
                continue
            type_code = struct.unpack(">I", payload[:4])[0] & 0xFFFFFF
            raw = payload[8:]
            try:
                if type_code == 23 and len(raw) >= 4:  # big-endian float32
                    return float(struct.unpack(">f", raw[:4])[0])
                if type_code == 24 and len(raw) >= 8:  # big-endian float64
                    return float(struct.unpack(">d", raw[:8])[0])
                if type_code in (21, 22) and raw:  # signed/unsigned big-endian integer
                    return float(int.from_bytes(raw, "big", signed=type_code == 21))
                if type_code == 1:  # UTF-8 text
                    return float(raw.decode("utf-8").strip())
            except (ValueError, UnicodeDecodeError, struct.error):
                return None
    return None
