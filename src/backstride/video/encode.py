"""Write frames to an MP4 that a web browser can play.

Browsers play H.264 in MP4; OpenCV's own writer only offers MPEG-4 Part 2 (``mp4v``), which
Chromium and Firefox refuse. So frames are piped, raw, to the ffmpeg binary that ships inside
the ``imageio-ffmpeg`` wheel (nothing is downloaded at run time) and encoded with libx264,
yuv420p and ``+faststart`` (the index at the front, so playback starts before the whole file
has arrived). Without that binary, or when it has no libx264, the writer falls back to OpenCV's
``mp4v``: the file still opens in a desktop player such as VLC, and callers can tell from
:attr:`VideoWriter.browser_playable` that a browser will not show it.
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import numpy as np

H264 = "h264"
MP4V = "mp4v"
X264_PRESET = "veryfast"  # a 10-20 s clip at 720 px: a fraction of the drawing time, files stay small
X264_CRF = "23"


@functools.lru_cache(maxsize=1)
def find_ffmpeg() -> str | None:
    """Path of an ffmpeg binary with the libx264 encoder, or None.

    Only the binary bundled with imageio-ffmpeg (or one the user names in ``IMAGEIO_FFMPEG_EXE``)
    is used; imageio-ffmpeg itself never downloads.
    """
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        exe = str(imageio_ffmpeg.get_ffmpeg_exe())
        encoders = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, text=True,
                                  timeout=30, check=False).stdout
    except (OSError, RuntimeError, subprocess.SubprocessError):
        return None
    return exe if " libx264 " in encoders else None


class VideoWriter:
    """Write BGR frames of one size to ``out``: H.264 through ffmpeg when possible, else mp4v."""

    def __init__(self, out: Path, size: tuple[int, int], fps: float, *, prefer_h264: bool = True) -> None:
        self.out = Path(out)
        self.size = size  # (width, height), both even for yuv420p
        self.fps = float(fps)
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._cv: Any = None
        exe = find_ffmpeg() if prefer_h264 else None
        if exe is not None:
            self.codec = H264
            self._start_ffmpeg(exe)
        else:
            self.codec = MP4V
            self._start_opencv()

    @property
    def browser_playable(self) -> bool:
        return self.codec == H264

    def _start_ffmpeg(self, exe: str) -> None:
        rate = Fraction(self.fps).limit_denominator(1001)  # 29.97 -> 30000/1001
        w, h = self.size
        cmd = [exe, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
               "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{w}x{h}", "-r", f"{rate.numerator}/{rate.denominator}",
               "-i", "pipe:0", "-an", "-c:v", "libx264", "-preset", X264_PRESET, "-crf", X264_CRF,
               "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(self.out)]
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (open while ffmpeg runs; closed in _finish_ffmpeg)
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr)

    def _start_opencv(self) -> None:
        import cv2

        self._cv = cv2.VideoWriter(str(self.out), cv2.VideoWriter.fourcc(*"mp4v"), self.fps, self.size)
        if not self._cv.isOpened():
            raise OSError(f"cannot write {self.out}")

    def write(self, bgr: np.ndarray) -> None:
        if bgr.shape[:2] != (self.size[1], self.size[0]):
            raise ValueError(f"frame is {bgr.shape[1]}x{bgr.shape[0]}, the video is {self.size[0]}x{self.size[1]}")
        if self._proc is not None:
            assert self._proc.stdin is not None
            try:
                self._proc.stdin.write(np.ascontiguousarray(bgr, dtype=np.uint8).data)
            except BrokenPipeError:
                self._finish_ffmpeg()  # raises with ffmpeg's own message
                raise OSError(f"ffmpeg stopped while writing {self.out}") from None
        else:
            self._cv.write(bgr)

    def close(self) -> None:
        if self._proc is not None:
            self._finish_ffmpeg()
        elif self._cv is not None:
            self._cv.release()
            self._cv = None

    def _finish_ffmpeg(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                with contextlib.suppress(BrokenPipeError):
                    proc.stdin.close()
            rc = proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            rc = -9
        message = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            message = self._stderr.read().decode("utf-8", "replace").strip()
            self._stderr.close()
            self._stderr = None
        if rc != 0:
            raise OSError(f"ffmpeg could not encode {self.out.name} (exit {rc}): {message[-400:]}")

    def abort(self) -> None:
        """Stop without caring about the result (an error happened while drawing)."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None
            if self._stderr is not None:
                self._stderr.close()
                self._stderr = None
        self.close()

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def video_codec(path: Path) -> str | None:
    """The first video stream's codec name as ffmpeg reports it ("h264", "mpeg4", ...), or None.

    Uses the bundled ffmpeg (``ffmpeg -i`` prints the stream description); None when there is
    no ffmpeg or no video stream.
    """
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
        info = subprocess.run([exe, "-hide_banner", "-nostdin", "-i", str(path)], capture_output=True, text=True,
                              timeout=30, check=False).stderr
    except (ImportError, OSError, RuntimeError, subprocess.SubprocessError):
        return None
    for line in info.splitlines():
        if "Video:" in line:
            return line.split("Video:", 1)[1].strip().split()[0].rstrip(",")
    return None
