"""Form: upload a running video, analyse it in the background, show the annotated video and metrics."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from backstride.errors import InputError, NotFoundError
from backstride.web.common import (
    current_runner,
    form_number,
    jobs_of,
    render,
    workspace_of,
)
from backstride.web.jobs import Progress
from backstride.web.uploads import discard, save_uploads, shown, upload_root
from backstride.workflows import form as flow
from backstride.workflows.workspace import Workspace

router = APIRouter()

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")
VIEW_CHOICES = (("", "Work it out from the video"), ("sagittal-left", "From the side, runner's left side to the camera"),
                ("sagittal-right", "From the side, runner's right side to the camera"),
                ("rear", "From behind"), ("front", "From the front"))
FILE_TYPES = {"annotated_mp4": "video/mp4", "signals_png": "image/png", "poster_jpg": "image/jpeg",
              "analysis_json": "application/json"}
# Plain names for the analysis' metric keys (unknown keys fall back to the key in words).
METRIC_NAMES = {
    "cadence_spm": "Cadence", "trunk_lean_deg": "Trunk lean (forward)", "knee_flexion_ic_deg": "Knee bend at landing",
    "overstride_leg": "Overstride (foot ahead of the hips)", "shank_angle_ic_deg": "Shin angle at landing",
    "vertical_oscillation_leg": "Bounce", "vertical_oscillation_cm": "Bounce", "elbow_angle_deg": "Elbow angle",
    "head_forward_deg": "Head position", "pelvic_drop_deg": "Pelvic drop", "lateral_trunk_lean_deg": "Trunk lean (sideways)",
    "step_width_hip": "Step width", "crossover": "Feet crossing the midline", "arm_crossing": "Arms crossing the body",
    "step_time_s": "Step time", "contact_time_s": "Ground contact time", "contact_time_s_note": "Ground contact time",
    "flight_time_s": "Flight time", "ear_shoulder_gap_trunk": "Shoulder height (gap to the ears)",
    "shoulder_forward_trunk": "Shoulders rounded forward", "pelvis_rotation_deg": "Hips turning",
    "trunk_rotation_deg": "Shoulders twisting at the waist",
}
_STAGES = {"pose": "Finding the runner in each frame", "render": "Drawing the annotated video"}



def form_job(ws: Workspace, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Background job: analyse one uploaded video, then remove the upload."""
    video = Path(params["video"])
    keep = False   # a clip refused for its slow motion stays, so it can be analysed again with a factor
    try:
        options = flow.FormOptions(view=params.get("view") or None, height_cm=params.get("height_cm"),
                                   slowmo=params.get("slowmo"))

        def report(stage: str, done: int, total: int) -> None:
            label = _STAGES.get(stage, stage)
            # pose estimation is most of the work: give it the first 80 % of the bar
            base, span = (0.0, 0.8) if stage == "pose" else (0.8, 0.2)
            fraction = base + span * (done / total if total else 0.0)
            progress(fraction, 1.0, f"{label}: frame {done}" + (f" of {total}" if total else ""))

        try:
            result = flow.analyse_video(ws, params["runner"], video, options, report)
        except InputError as exc:  # name the file as the user knows it, not by its private path
            hint = exc.hint
            factor = getattr(exc, "suggested_slowmo", None)
            if factor is not None:  # the hint names command-line flags; say it in the page's words
                hint = (f"upload it again with \"How many times slower it plays\" set to {factor} (a guess: it "
                        f"assumes a typical running step rate). If you know the phone filmed at, say, 240 frames "
                        f"per second and it plays at 30, enter 8")
            retry = None
            if factor is not None:
                keep = True
                retry = {"url": f"/form/again/{video.parent.name}", "factor": factor, "label": "Analyse it again"}
            raise InputError(shown(exc.message, video.parent), hint=hint, retry=retry) from exc
        except ModuleNotFoundError as exc:  # the optional video extra is not installed
            raise InputError(f"video analysis needs the Python package {exc.name!r}, which is not installed",
                             hint="run scripts/setup.sh, which installs the video extra") from exc
    finally:
        if not keep:
            discard(video.parent, ws.settings)
    return {"summary": f"Analysed {result.video_name}: {result.cadence_spm:.0f} steps per minute.",
            "next_url": f"/form/{result.id}", "result_id": result.id}


@router.get("/form", response_class=HTMLResponse)
def form_page(request: Request) -> HTMLResponse:
    runner = current_runner(request)
    results = flow.list_form_results(workspace_of(request), runner)
    jobs = [j for j in jobs_of(request).list(runner) if j.kind == "form"][:3]
    return render(request, "form.html", results=results, jobs=jobs, views=VIEW_CHOICES,
                  max_mb=request.app.state.settings.max_upload_mb)


@router.post("/form/upload")
def upload_video(request: Request, video: Annotated[UploadFile, File()],
                 view: Annotated[str, Form()] = "", height_cm: Annotated[str, Form()] = "",
                 slowmo: Annotated[str, Form()] = "") -> Response:
    if view and view not in dict(VIEW_CHOICES):
        raise InputError(f"{view!r} is not a camera position backstride knows",
                         hint="choose one of the listed positions")
    height = form_number(height_cm, "height", 100, 230, unit="cm", hint="give it in centimetres, e.g. 178")
    factor = form_number(slowmo, "slow-motion factor", 1, 64,
                         hint="leave it empty for a normal-speed video, or give e.g. 8",
                         range_hint="8 means the video plays 8 times slower than real life (240 fps shown at 30)")
    _folder, stored = save_uploads([video], request.app.state.settings, suffixes=VIDEO_SUFFIXES, what="a running video")
    runner = current_runner(request)
    job_id = jobs_of(request).submit("form", {"video": str(stored[0]), "runner": runner, "view": view,
                                              "height_cm": height, "slowmo": factor},
                                     runner=runner, label=f"Analysing {stored[0].name}")
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/form/again/{upload_id}")
def analyse_again(request: Request, upload_id: str, slowmo: Annotated[str, Form()] = "",
                  view: Annotated[str, Form()] = "") -> Response:
    """Analyse a kept clip again, with the slow-motion factor the runner chose on the refusal page."""
    folder = upload_root(request.app.state.settings) / upload_id
    videos = sorted(p for p in folder.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES) \
        if re.fullmatch(r"[0-9a-f]{32}", upload_id) and folder.is_dir() else []
    if not videos:
        raise NotFoundError("that video is no longer here (it is removed once it has been analysed)",
                            hint="upload it again", page=("/form", "Back to the form check"))
    factor = form_number(slowmo, "slow-motion factor", 1, 64,
                         hint="give how many times slower the video plays than real life, e.g. 8",
                         range_hint="8 means the video plays 8 times slower than real life (240 fps shown at 30)")
    if view and view not in dict(VIEW_CHOICES):
        raise InputError(f"{view!r} is not a camera position backstride knows", hint="choose one of the listed positions")
    runner = current_runner(request)
    job_id = jobs_of(request).submit("form", {"video": str(videos[0]), "runner": runner, "view": view,
                                              "height_cm": None, "slowmo": factor},
                                     runner=runner, label=f"Analysing {videos[0].name} again")
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _result(request: Request, result_id: int) -> Any:
    return flow.get_form_result(workspace_of(request), current_runner(request), result_id)


@router.get("/form/compare", response_class=HTMLResponse)
def form_compare(request: Request, a: int, b: int) -> HTMLResponse:
    """Two form checks side by side: both annotated videos, played in step from their first contact."""
    before, after, cmp = flow.compare_form_results(workspace_of(request), current_runner(request), a, b)
    sides = [(before, cmp.first_contact_s[0]), (after, cmp.first_contact_s[1])]
    videos = [{"result": r, "t0": t0 or 0.0, "has_video": "annotated_mp4" in r.files,
               "plays": bool((r.document.get("annotated_video") or {}).get("browser_playable"))} for r, t0 in sides]
    return render(request, "form_compare.html", cmp=cmp.to_dict(), videos=videos, names=METRIC_NAMES)


@router.get("/form/{result_id}", response_class=HTMLResponse)
def form_result(request: Request, result_id: int) -> HTMLResponse:
    result = _result(request, result_id)
    # Results stored before the H.264 encoder carry no codec: they were written as mp4v.
    playable = bool((result.document.get("annotated_video") or {}).get("browser_playable"))
    listed = flow.list_form_results(workspace_of(request), current_runner(request))
    others = [r for r in listed if r.id != result.id and r.view == result.view]
    return render(request, "form_result.html", result=result, doc=result.document, names=METRIC_NAMES,
                  has_video="annotated_mp4" in result.files, video_plays=playable,
                  has_png="signals_png" in result.files, results_to_compare=others)


@router.get("/form/{result_id}/files/{kind}")
def form_file(request: Request, result_id: int, kind: str) -> Response:
    if kind not in FILE_TYPES:
        raise NotFoundError(f"there is no {kind!r} output for a form check")
    result = _result(request, result_id)
    path = result.files.get(kind)
    root = request.app.state.settings.files_dir.resolve()
    if path is None or root not in Path(path).resolve().parents or not Path(path).is_file():
        raise NotFoundError(f"form check {result_id} has no {kind.replace('_', ' ')} stored")
    return FileResponse(path, media_type=FILE_TYPES[kind])
