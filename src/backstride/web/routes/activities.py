"""Activities and load: upload watch files or exports (imported in the background), load charts, shoes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.errors import InputError
from backstride.web.common import (
    current_runner,
    form_number,
    jobs_of,
    render,
    workspace_of,
)
from backstride.web.jobs import Progress
from backstride.web.uploads import discard, save_uploads, shown
from backstride.workflows import activities as flow
from backstride.workflows import reports
from backstride.workflows.workspace import Workspace

router = APIRouter()

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".gz", ".zip")
COMPANION_SUFFIXES = (".csv",)   # a Strava export's activities.csv names and dates the files
WEEK_CHOICES = ((12, "12 weeks"), (26, "6 months"), (52, "1 year"), (104, "2 years"), (260, "5 years"))



def import_job(ws: Workspace, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Background job: import an upload folder, then remove it. Raises when nothing could be used."""
    folder = Path(params["folder"])
    try:
        report = flow.import_paths(ws, params["runner"], [folder],
                                   lambda done, total, name: progress(done, total, f"Read {shown(name, folder)}"))
    finally:
        discard(folder, ws.settings)
    imported = report.count("imported")
    duplicates = report.count("duplicate")
    errors = [shown(f.error or f.path, folder) for f in report.files if f.status == "rejected"]
    warnings = [shown(f"{Path(f.path).name}: {w}", folder) for f in report.files for w in f.warnings]
    if not imported and not duplicates:
        detail = "; ".join(errors[:5]) or "no activity files were found in the upload"
        raise InputError(f"nothing could be imported: {detail}",
                         hint="check that these are .fit, .gpx or .tcx files (or a Strava/Garmin export zip) from your watch")
    activities = sum(len(f.activities) for f in report.files if f.status == "imported")
    summary = f"Imported {activities} activities from {imported} files."
    if duplicates:
        summary += f" {duplicates} files were already imported and were skipped."
    if errors:
        summary += f" {len(errors)} files could not be read; nothing from them was stored."
    return {"summary": summary, "warnings": errors + warnings, "next_url": "/activities",
            "imported": imported, "duplicates": duplicates, "rejected": len(errors)}


@router.get("/activities", response_class=HTMLResponse)
def activities_page(request: Request, weeks: int = 26) -> HTMLResponse:
    weeks = weeks if weeks in dict(WEEK_CHOICES) else 26
    ws, runner = workspace_of(request), current_runner(request)
    section = reports.load_section(ws, runner, dt.date.today(), weeks=weeks)
    jobs = [j for j in jobs_of(request).list(runner) if j.kind == "import"][:3]
    return render(request, "activities.html", section=section, weeks=weeks, week_choices=WEEK_CHOICES,
                  jobs=jobs, max_mb=request.app.state.settings.max_upload_mb)


@router.post("/activities/upload")
def upload(request: Request, files: Annotated[list[UploadFile], File()]) -> Response:
    settings = request.app.state.settings
    folder, stored = save_uploads(files, settings, suffixes=ACTIVITY_SUFFIXES, what="activity files",
                                  extra_suffixes=COMPANION_SUFFIXES)
    runner = current_runner(request)
    label = f"Importing {stored[0].name}" if len(stored) == 1 else f"Importing {len(stored)} files"
    job_id = jobs_of(request).submit("import", {"folder": str(folder), "runner": runner}, runner=runner, label=label)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _km(raw: str, name: str, lo: float, hi: float) -> float | None:
    return form_number(raw, name, lo, hi, unit="km", hint="give it in kilometres, e.g. 800")


@router.post("/activities/shoes")
def add_shoes(request: Request, name: Annotated[str, Form()], retirement_km: Annotated[str, Form()] = "",
              start_km: Annotated[str, Form()] = "", current: Annotated[str, Form()] = "") -> Response:
    flow.add_shoe(workspace_of(request), current_runner(request), name,
                         retirement_km=_km(retirement_km, "retirement distance", 50, 5000),
                         start_km=_km(start_km, "distance already run", 0, 5000) or 0.0,
                         current=current == "yes")
    return RedirectResponse("/activities#shoes", status_code=303)


@router.post("/activities/shoes/retire")
def retire_shoes(request: Request, name: Annotated[str, Form()]) -> Response:
    flow.retire_shoe(workspace_of(request), current_runner(request), name)
    return RedirectResponse("/activities#shoes", status_code=303)
