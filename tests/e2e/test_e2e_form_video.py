"""The annotated form video plays in a real browser (Debian's Chromium), not just downloads.

Chromium refuses OpenCV's mp4v ("no supported streams"); the H.264 written through the bundled
ffmpeg must load, report its size and advance when played.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.e2e.test_e2e_web import browser_page, server  # noqa: F401  (fixtures)
from tests.test_video_input import write_video

from backstride.config import Settings
from backstride.video.backends import ReplayBackend
from backstride.video.encode import find_ffmpeg
from backstride.workflows import form as wf
from backstride.workflows.workspace import Workspace
from support.synthetic_form import SyntheticRunner, make_track

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(find_ffmpeg() is None, reason="imageio-ffmpeg (video extra) is not installed")]


def test_annotated_video_plays_in_the_form_page(browser_page: object, tmp_path: Path) -> None:  # noqa: F811
    # the server fixture serves the data folder at tmp_path / "data"
    track = make_track(SyntheticRunner(width_px=96, height_px=160, leg_px=70.0, duration_s=6.0)).track
    video = write_video(tmp_path / "run.mp4", n_frames=track.n_frames, size=(96, 160))
    ws = Workspace.open(Settings(data_dir=tmp_path / "data"))
    try:
        result = wf.analyse_video(ws, "default", video, wf.FormOptions(backend=ReplayBackend(track)))
    finally:
        ws.close()
    page = browser_page
    page.goto(f"/form/{result.id}")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('video').readyState >= 2")  # type: ignore[attr-defined]
    state = page.evaluate("""async () => {
        const v = document.querySelector('video');
        v.muted = true;
        await v.play();
        await new Promise(r => setTimeout(r, 600));
        v.pause();
        return {error: v.error && v.error.message, width: v.videoWidth, height: v.videoHeight,
                time: v.currentTime, duration: v.duration,
                fallbackShown: !document.getElementById('video-fallback').hidden};
    }""")  # type: ignore[attr-defined]
    assert state["error"] is None and not state["fallbackShown"], state
    assert (state["width"], state["height"]) == (96, 160)
    assert state["time"] > 0.1 and state["duration"] == pytest.approx(track.n_frames / track.fps, abs=0.1)
