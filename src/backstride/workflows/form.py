"""Use cases for the video form check, shared by the CLI and the web app.

``analyse_video`` runs the whole pipeline (probe, pose, checks, metrics, findings, rendered
outputs) and stores the result for the runner. Nothing is stored when the video is rejected:
outputs are written to a ``.partial`` folder that becomes the result's folder only after the
database row is committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backstride.errors import InputError, NotFoundError
from backstride.findings.model import Finding
from backstride.form.analysis import AnalysisOptions, FormAnalysis, analyse_track
from backstride.form.compare import FormComparison
from backstride.storage import form as store
from backstride.video.backends import PoseBackend, ReplayBackend
from backstride.video.pipeline import estimate_pose
from backstride.video.probe import capture_timing, probe_video
from backstride.video.rejected import VideoRejected
from backstride.video.track import PoseTrack
from backstride.workflows.workspace import Workspace

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: "pose", "render"; total is 0 when unknown."""

FILE_NAMES = {"track": "pose_track.npz", "signals_png": "signals.png", "annotated_mp4": "annotated.mp4",
              "poster_jpg": "poster.jpg", "analysis_json": "analysis.json"}


@dataclass(frozen=True)
class FormOptions:
    view: str | None = None
    capture_fps: float | None = None
    slowmo: float | None = None
    height_cm: float | None = None
    render_video: bool = True
    render_png: bool = True
    out_dir: Path | None = None  # also copy the outputs here
    backend: PoseBackend | None = field(default=None, compare=False)  # default: MediaPipe BlazePose


@dataclass(frozen=True)
class FormResult:
    id: int
    uid: str
    runner: str
    created_at: dt.datetime
    video_name: str
    view: str
    cadence_spm: float
    document: dict[str, Any]  # the analysis as printed by ``backstride form --json``
    files: dict[str, Path]  # absolute paths of stored outputs

    @property
    def findings(self) -> list[Finding]:
        return [Finding.from_dict(f) for f in self.document.get("findings", [])]

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "uid": self.uid, "runner": self.runner, "created_at": self.created_at.isoformat(),
               "video": self.video_name}
        out.update(self.document)
        out["files"] = {k: str(v) for k, v in self.files.items()}
        return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _row_to_result(ws: Workspace, row: store.FormResultRow, runner: str) -> FormResult:
    base = ws.settings.files_dir
    return FormResult(id=row.id, uid=row.uid, runner=runner, created_at=row.created_at, video_name=row.video_name,
                      view=row.view, cadence_spm=row.cadence_spm, document=dict(row.data),
                      files={k: base / v for k, v in (row.files or {}).items()})


def replay_backend(track_path: Path) -> ReplayBackend:
    """A backend that replays a stored pose track (no model), or a clear error."""
    try:
        return ReplayBackend(PoseTrack.load(Path(track_path)))
    except ValueError as exc:
        raise VideoRejected("bad_option", f"--pose-track {track_path}: {exc}",
                            hint="give the pose_track.npz stored with an earlier form check") from exc


def run_analysis(path: Path, options: FormOptions, progress: Progress | None = None
                 ) -> tuple[FormAnalysis, Any]:
    """Probe, pose and analyse, without storing anything. Returns the analysis and the pose track."""
    from backstride.video.backends import MediaPipeBackend

    path = Path(path)
    analysis_options = AnalysisOptions(view=options.view, height_cm=options.height_cm)  # validates first
    probe = probe_video(path)
    timing = capture_timing(probe, capture_fps=options.capture_fps, slowmo=options.slowmo)
    backend = options.backend or MediaPipeBackend()
    if isinstance(backend, ReplayBackend) and abs(backend.track.n_frames - probe.n_frames) > 2:
        raise VideoRejected("bad_option", f"the pose track has {backend.track.n_frames} frames but "
                            f"{path.name} has {probe.n_frames}; it was recorded from another video",
                            hint="use the pose_track.npz stored with this video's form check")
    try:
        track = estimate_pose(probe, backend,
                              progress=(lambda d, t: progress("pose", d, t)) if progress else None)
    finally:
        if options.backend is None:
            backend.close()
    analysis = analyse_track(track, timing, analysis_options, warnings=probe.warnings)
    return analysis, track


def analyse_video(ws: Workspace, runner: str | None, path: Path, options: FormOptions | None = None,
                  progress: Progress | None = None) -> FormResult:
    """Analyse a running video and store the result for ``runner``. Raises VideoError on rejection."""
    from backstride.reports.form_render import render_annotated_video, render_signals_png

    options = options or FormOptions()
    path = Path(path)
    analysis, track = run_analysis(path, options, progress)
    document = analysis.to_dict()
    uid = uuid.uuid4().hex
    form_dir = ws.settings.files_dir / "form"
    partial = form_dir / f"{uid}.partial"
    final = form_dir / uid
    partial.mkdir(parents=True, exist_ok=True)
    try:
        files: dict[str, str] = {}
        track.save(partial / FILE_NAMES["track"])
        files["track"] = f"form/{uid}/{FILE_NAMES['track']}"
        if options.render_png:
            render_signals_png(analysis, partial / FILE_NAMES["signals_png"])
            files["signals_png"] = f"form/{uid}/{FILE_NAMES['signals_png']}"
        if options.render_video:
            video = render_annotated_video(path, track, analysis, partial / FILE_NAMES["annotated_mp4"],
                                           progress=(lambda d, t: progress("render", d, t)) if progress else None,
                                           poster=partial / FILE_NAMES["poster_jpg"])
            files["annotated_mp4"] = f"form/{uid}/{FILE_NAMES['annotated_mp4']}"
            if (partial / FILE_NAMES["poster_jpg"]).is_file():
                files["poster_jpg"] = f"form/{uid}/{FILE_NAMES['poster_jpg']}"
            # the web page embeds a player only for a codec browsers can decode
            document["annotated_video"] = {"codec": video.codec, "browser_playable": video.browser_playable}
        (partial / FILE_NAMES["analysis_json"]).write_text(json.dumps(document, indent=2), encoding="utf-8")
        files["analysis_json"] = f"form/{uid}/{FILE_NAMES['analysis_json']}"
        with ws.transaction() as session:
            runner_id = ws.runner_id(session, runner)
            row = store.add_result(session, runner_id=runner_id, uid=uid, video_name=path.name,
                                   video_sha256=_sha256(path), view=analysis.capture.view,
                                   cadence_spm=float(analysis.cadence_spm), data=document, files=files)
            partial.rename(final)
            result = _row_to_result(ws, row, runner or ws.settings.runner)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise
    if options.out_dir is not None:
        out = Path(options.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for p in result.files.values():
            shutil.copy2(p, out / p.name)
    return result


def list_form_results(ws: Workspace, runner: str | None) -> list[FormResult]:
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        if runner_id is None:
            return []
        name = runner or ws.settings.runner
        return [_row_to_result(ws, row, name) for row in store.list_results(session, runner_id)]


def get_form_result(ws: Workspace, runner: str | None, result_id: int) -> FormResult:
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        row = store.get_result(session, runner_id, result_id) if runner_id is not None else None
        if row is None:
            raise NotFoundError(f"form check {result_id} does not exist for runner {runner or ws.settings.runner!r}",
                                hint="choose one from the list of stored form checks",
                                command="backstride form-list", page=("/form", "See your form checks"))
        return _row_to_result(ws, row, runner or ws.settings.runner)


def latest_form_findings(ws: Workspace, runner: str | None) -> list[Finding]:
    """Findings of the runner's most recent form check (empty when there is none)."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        if runner_id is None:
            return []
        row = store.latest_result(session, runner_id)
        if row is None:
            return []
        return [Finding.from_dict(f) for f in row.data.get("findings", [])]


def compare_form_results(ws: Workspace, runner: str | None, before_id: int, after_id: int
                         ) -> tuple[FormResult, FormResult, FormComparison]:
    """Two stored form checks of one runner side by side (same camera position only)."""
    from backstride.form.compare import compare

    if before_id == after_id:
        raise InputError(f"both form checks are #{before_id}; choose two different checks",
                         hint="see the list of stored checks", command="backstride form-list")
    before = get_form_result(ws, runner, before_id)
    after = get_form_result(ws, runner, after_id)
    if before.created_at > after.created_at:  # always earlier -> later, whatever order they were named in
        before, after = after, before
    return before, after, compare(before.document, after.document, before_id=before.id, after_id=after.id)
