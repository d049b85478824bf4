"""The form-check use cases and command, with the replay backend (no model) and real clips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.test_video_input import write_video

from backstride.storage.form import FormResultRow
from backstride.video.backends import ReplayBackend
from backstride.video.encode import find_ffmpeg, video_codec
from backstride.video.rejected import VideoRejected
from backstride.workflows import form as wf
from backstride.workflows.workspace import Workspace
from support.synthetic_form import SyntheticRunner, make_track

SMALL = {"width_px": 96, "height_px": 160, "leg_px": 70.0}


def _clip(tmp_path: Path, **kw: object) -> tuple[Path, wf.FormOptions]:
    spec = SyntheticRunner(**{**SMALL, "duration_s": 8.0, **kw})  # type: ignore[arg-type]
    track = make_track(spec).track
    video = write_video(tmp_path / "run.mp4", n_frames=track.n_frames, size=(96, 160))
    return video, wf.FormOptions(backend=ReplayBackend(track))


def test_analyse_store_list_get(any_workspace: Workspace, tmp_path: Path) -> None:
    video, options = _clip(tmp_path, cadence_spm=150.0)
    stages: set[str] = set()
    result = wf.analyse_video(any_workspace, "ana", video, options, progress=lambda s, d, t: stages.add(s))
    assert stages == {"pose", "render"}
    assert result.cadence_spm == pytest.approx(150.0, abs=1.5)
    assert result.view == "sagittal-left"
    for key in ("track", "signals_png", "annotated_mp4", "poster_jpg", "analysis_json"):
        assert result.files[key].is_file() and result.files[key].stat().st_size > 0
    assert result.files["poster_jpg"].read_bytes()[:2] == b"\xff\xd8"   # a JPEG: the first contact's frame
    if find_ffmpeg() is not None:  # the video extra's encoder: a file browsers play
        assert result.document["annotated_video"] == {"codec": "h264", "browser_playable": True}
        assert video_codec(result.files["annotated_mp4"]) == "h264"
    assert str(any_workspace.settings.files_dir) in str(result.files["track"])
    assert json.loads(result.files["analysis_json"].read_text())["cadence_spm"] == result.document["cadence_spm"]
    listed = wf.list_form_results(any_workspace, "ana")
    assert [r.id for r in listed] == [result.id]
    again = wf.get_form_result(any_workspace, "ana", result.id)
    assert again.document == result.document
    findings = wf.latest_form_findings(any_workspace, "ana")
    assert "form.low_cadence" in {f.code for f in findings}
    assert wf.latest_form_findings(any_workspace, "nobody") == []
    assert wf.list_form_results(any_workspace, "nobody") == []
    from backstride.errors import NotFoundError

    with pytest.raises(NotFoundError):
        wf.get_form_result(any_workspace, "ana", result.id + 100)


def test_rejected_video_stores_nothing(workspace: Workspace, tmp_path: Path) -> None:
    video, options = _clip(tmp_path, walking=True, cadence_spm=110.0)
    with pytest.raises(VideoRejected) as info:
        wf.analyse_video(workspace, "ana", video, options)
    assert info.value.reason == "walking"
    with workspace.transaction() as session:
        assert session.scalar(select(func.count()).select_from(FormResultRow)) == 0
    form_dir = workspace.settings.files_dir / "form"
    assert not form_dir.exists() or not any(form_dir.iterdir())


def test_annotated_video_without_an_h264_encoder_is_mp4v(workspace: Workspace, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from backstride.video import encode

    monkeypatch.setattr(encode, "find_ffmpeg", lambda: None)
    video, options = _clip(tmp_path)
    result = wf.analyse_video(workspace, None, video, options)
    assert result.document["annotated_video"] == {"codec": "mp4v", "browser_playable": False}
    assert result.files["annotated_mp4"].read_bytes()[4:8] == b"ftyp"


def test_out_dir_and_no_video(workspace: Workspace, tmp_path: Path) -> None:
    video, options = _clip(tmp_path)
    from dataclasses import replace

    options = replace(options, render_video=False, out_dir=tmp_path / "out")
    result = wf.analyse_video(workspace, None, video, options)
    assert "annotated_mp4" not in result.files and "annotated_video" not in result.document
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["analysis.json", "pose_track.npz", "signals.png"]


@pytest.mark.parametrize("content", [b"", b"hello, I am text\n"])
def test_cli_rejects_broken_files_with_json(cli: object, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    res = cli("form", str(path), "--json")  # type: ignore[operator]
    assert res.exit_code == 1
    doc = res.json()
    assert doc["error"]["reason"] == "unreadable"
    assert cli("form-list", "--json").json() == {"results": []}  # type: ignore[operator]


def test_cli_rejects_bad_options(cli: object, tmp_path: Path) -> None:
    video = write_video(tmp_path / "clip.mp4")
    res = cli("form", str(video), "--view", "diagonal", "--json")  # type: ignore[operator]
    assert res.exit_code == 1 and res.json()["error"]["reason"] == "bad_option"
    res = cli("form", str(video), "--slowmo", "8", "--capture-fps", "240", "--json")  # type: ignore[operator]
    assert res.exit_code == 1 and res.json()["error"]["reason"] == "bad_option"


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["hostile_zero_bytes.mp4", "hostile_text_not_a_video.mp4"])
def test_real_hostile_files_are_rejected(cli: object, shared_dir: Path, name: str) -> None:
    res = cli("form", str(shared_dir / "data" / "videos" / name), "--json")  # type: ignore[operator]
    assert res.exit_code == 1
    assert res.json()["error"]["reason"] == "unreadable"


@pytest.mark.slow
@pytest.mark.shared_data
def test_real_no_person_clip_runs_the_model_and_is_rejected(cli: object, shared_dir: Path) -> None:
    res = cli("form", str(shared_dir / "data" / "videos" / "hostile_no_person_gym_wall.mp4"), "--json")  # type: ignore[operator]
    assert res.exit_code == 1
    assert res.json()["error"]["reason"] == "no_person"


@pytest.mark.slow
@pytest.mark.shared_data
def test_real_treadmill_clip_end_to_end(cli: object, shared_dir: Path, tmp_path: Path) -> None:
    """The whole command on the real 30 fps phone clip, MediaPipe included."""
    video = shared_dir / "data" / "videos" / "treadmill_sagittal_left_30fps_phone.mp4"
    res = cli("form", str(video), "--json", "--height", "175", "--out", str(tmp_path / "out"))  # type: ignore[operator]
    assert res.exit_code == 0, res.stdout
    doc = res.json()
    assert doc["cadence_spm"] == pytest.approx(168.4, abs=1.0)  # hand-annotated: 168.4 steps/min
    assert doc["view"] == "sagittal-left"
    assert doc["capture"]["fps"] == 30.0 and doc["capture"]["slowmo_factor"] == 1.0
    assert doc["capture"]["setting"] == "treadmill"
    assert (tmp_path / "out" / "annotated.mp4").stat().st_size > 10_000


def test_cli_reanalyses_from_a_stored_pose_track(cli: object, tmp_path: Path) -> None:
    """--pose-track replays a saved track: no model, and the text report prints."""
    spec = SyntheticRunner(**{**SMALL, "duration_s": 8.0, "cadence_spm": 150.0})  # type: ignore[arg-type]
    track = make_track(spec).track
    video = write_video(tmp_path / "run.mp4", n_frames=track.n_frames, size=(96, 160))
    track.save(tmp_path / "track.npz")
    res = cli("form", str(video), "--pose-track", str(tmp_path / "track.npz"), "--no-video")  # type: ignore[operator]
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "Cadence: 150 steps/min" in res.stdout
    assert "Low step rate" in res.stdout and "metronome" in res.stdout
    doc = cli("form", str(video), "--pose-track", str(tmp_path / "track.npz"), "--no-video", "--json").json()  # type: ignore[operator]
    assert doc["cadence_spm"] == pytest.approx(150, abs=1.5)
    assert "form.low_cadence" in [f["code"] for f in doc["findings"]]
    listed = cli("form-list", "--json").json()  # type: ignore[operator]
    assert len(listed["results"]) == 2
    other = write_video(tmp_path / "other.mp4", n_frames=20, size=(96, 160))
    res = cli("form", str(other), "--pose-track", str(tmp_path / "track.npz"), "--json")  # type: ignore[operator]
    assert res.exit_code == 1 and res.json()["error"]["reason"] == "bad_option"
