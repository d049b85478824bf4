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


def test_two_checks_play_in_step_from_their_first_contact(browser_page: object, tmp_path: Path) -> None:  # noqa: F811
    """The compare page lines the two videos up on each one's first foot contact and keeps them together."""
    ws = Workspace.open(Settings(data_dir=tmp_path / "data"))
    ids, starts = [], []
    try:
        for k, phase in enumerate((0.1, 0.6)):  # the second clip's first contact comes later
            spec = SyntheticRunner(width_px=96, height_px=160, leg_px=70.0, duration_s=6.0, first_contact_phase=phase)
            track = make_track(spec).track
            video = write_video(tmp_path / f"run{k}.mp4", n_frames=track.n_frames, size=(96, 160))
            r = wf.analyse_video(ws, "default", video, wf.FormOptions(backend=ReplayBackend(track), render_png=False))
            ids.append(r.id)
            starts.append(r.document["events"]["contact_frames"][0] / track.fps)
    finally:
        ws.close()
    page = browser_page
    page.goto(f"/form/compare?a={ids[0]}&b={ids[1]}")  # type: ignore[attr-defined]
    page.wait_for_function("[...document.querySelectorAll('video')].every(v => v.readyState >= 2)")  # type: ignore[attr-defined]
    page.click("[data-sync-play]")  # type: ignore[attr-defined]
    page.wait_for_timeout(700)  # type: ignore[attr-defined]
    times = page.evaluate("""() => [...document.querySelectorAll('video')].map(v => {
        v.pause(); return [v.currentTime, parseFloat(v.dataset.firstContact)]; })""")  # type: ignore[attr-defined]
    assert [t0 for _t, t0 in times] == pytest.approx(starts, abs=0.01)
    # both are the same time past their own first contact (within a frame or two of playback)
    offsets = [t - t0 for t, t0 in times]
    assert offsets[0] > 0.2 and abs(offsets[0] - offsets[1]) < 0.15, times
