"""The annotated video's encoder: H.264 a browser can play, or mp4v when no encoder is installed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backstride.video import encode
from backstride.video.encode import H264, MP4V, VideoWriter, find_ffmpeg, video_codec

cv2 = pytest.importorskip("cv2")
needs_ffmpeg = pytest.mark.skipif(find_ffmpeg() is None, reason="imageio-ffmpeg (video extra) is not installed")


def _frames(n: int, size: tuple[int, int] = (128, 96)) -> list[np.ndarray]:
    """Frames whose brightness steps up with the index, so order and count can be read back."""
    w, h = size
    out = []
    for i in range(n):
        img = np.full((h, w, 3), 20 + (8 * i) % 224, dtype=np.uint8)
        cv2.rectangle(img, (10 + i % 80, 10), (40 + i % 80, 50), (0, 0, 255), -1)
        out.append(img)
    return out


def _read_back(path: Path) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, img = cap.read()
        if not ok:
            break
        frames.append(img)
    cap.release()
    return frames


def _stream_line(path: Path) -> str:
    import subprocess

    exe = find_ffmpeg()
    assert exe is not None
    info = subprocess.run([exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True, check=False).stderr
    return next(line for line in info.splitlines() if "Video:" in line)


@needs_ffmpeg
def test_h264_with_yuv420p_and_the_index_first(tmp_path: Path) -> None:
    out = tmp_path / "a.mp4"
    frames = _frames(24)
    with VideoWriter(out, (128, 96), 29.97) as writer:
        assert writer.codec == H264 and writer.browser_playable
        for f in frames:
            writer.write(f)
    assert video_codec(out) == "h264"
    line = _stream_line(out)
    assert "yuv420p" in line and "29.97 fps" in line
    data = out.read_bytes()
    assert data[4:8] == b"ftyp"
    assert 0 < data.index(b"moov") < data.index(b"mdat")  # +faststart: playback can start while loading
    back = _read_back(out)
    assert len(back) == len(frames)
    means = [float(img.mean()) for img in back]
    assert means == sorted(means)  # frames kept in order
    assert np.abs(back[10].astype(int) - frames[10].astype(int)).mean() < 8  # close to what was drawn (lossy)
    b, g, r = back[10][30, 35].astype(int)
    assert r > 200 and b < 80 and g < 80  # the red box is still red: channel order kept (BGR in, BGR out)


def test_falls_back_to_mp4v_without_an_h264_encoder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encode, "find_ffmpeg", lambda: None)
    out = tmp_path / "b.mp4"
    with VideoWriter(out, (128, 96), 30.0) as writer:
        assert writer.codec == MP4V and not writer.browser_playable
        for f in _frames(12):
            writer.write(f)
    assert len(_read_back(out)) == 12
    if find_ffmpeg() is not None:  # the module-level name is patched, this import is not
        assert video_codec(out) == "mpeg4"


def test_wrong_frame_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="the video is 128x96"), VideoWriter(tmp_path / "c.mp4", (128, 96), 30.0) as w:
        w.write(np.zeros((100, 128, 3), dtype=np.uint8))


@needs_ffmpeg
def test_an_ffmpeg_failure_is_an_error_not_a_silent_bad_file(tmp_path: Path) -> None:
    writer = VideoWriter(tmp_path / "missing-folder" / "d.mp4", (128, 96), 30.0)
    with pytest.raises(OSError, match="ffmpeg"):
        for f in _frames(200):
            writer.write(f)
        writer.close()


def test_no_codec_for_a_file_that_is_not_a_video(tmp_path: Path) -> None:
    path = tmp_path / "text.mp4"
    path.write_text("not a video\n")
    assert video_codec(path) is None
