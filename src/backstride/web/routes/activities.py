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
    watch = getattr(request.app.state, "watch", None)
    return render(request, "activities.html", section=section, weeks=weeks, week_choices=WEEK_CHOICES,
                  jobs=jobs, max_mb=request.app.state.settings.max_upload_mb,
                  watch=watch.status() if watch is not None else None)


@router.get("/activities/list", response_class=HTMLResponse)
def activity_list(request: Request) -> HTMLResponse:
    acts = flow.list_activities(workspace_of(request), current_runner(request))
    return render(request, "activity_list.html", activities=list(reversed(acts)))


@router.get("/activities/{activity_id:int}", response_class=HTMLResponse)
def activity_page(request: Request, activity_id: int) -> HTMLResponse:
    from backstride.activities.sport import SETTABLE_SPORTS

    act = flow.get_activity(workspace_of(request), current_runner(request), activity_id)
    return render(request, "activity.html", a=act, sports=SETTABLE_SPORTS, rows=activity_rows(act))


@router.post("/activities/{activity_id:int}/sport")
def activity_sport(request: Request, activity_id: int, sport: Annotated[str, Form()]) -> Response:
    flow.set_sport(workspace_of(request), current_runner(request), activity_id, sport)
    return RedirectResponse(f"/activities/{activity_id}", status_code=303)


def _pace(speed_mps: float) -> str:
    minutes, sec = divmod(round(1000.0 / speed_mps), 60)
    return f"{minutes}:{sec:02d} per km"


def _duration(seconds: float) -> str:
    from backstride.units import format_duration

    return format_duration(seconds)


_DYNAMICS = (("stance_time_ms", "Ground contact time", "ms", 0), ("stance_time_balance_pct", "Ground contact balance (left)", "%", 1),
             ("vertical_oscillation_mm", "Vertical oscillation", "mm", 0), ("vertical_ratio_pct", "Vertical ratio", "%", 1),
             ("step_length_mm", "Step length", "mm", 0), ("form_power_w", "Form power", "W", 0),
             ("leg_spring_stiffness_kn_m", "Leg spring stiffness", "kN/m", 1))


def activity_rows(a: Any) -> list[tuple[str, str, str]]:
    """(label, value, where it came from) for the activity page; only values that exist."""
    rows: list[tuple[str, str, str]] = []
    rows.append(("Distance", f"{a.distance_m / 1000:.2f} km" if a.distance_m is not None else "not recorded", ""))
    rows.append(("Moving time", _duration(a.timer_s), ""))
    rows.append(("Elapsed time", _duration(a.elapsed_s), ""))
    if a.avg_speed_mps:
        rows.append(("Average speed", f"{a.avg_speed_mps * 3.6:.1f} km/h ({_pace(a.avg_speed_mps)})", ""))
    if a.ascent_m is not None:
        rows.append(("Climb and descent", f"{a.ascent_m:.0f} m up, {(a.descent_m or 0):.0f} m down", ""))
    if a.avg_hr_bpm:
        rows.append(("Heart rate", f"{a.avg_hr_bpm:.0f} bpm average" + (f", {a.max_hr_bpm:.0f} highest" if a.max_hr_bpm else ""), ""))
    if a.avg_cadence_spm:
        rows.append(("Cadence", f"{a.avg_cadence_spm:.0f} steps per minute", ""))
    if a.avg_power_w:
        rows.append(("Power", f"{a.avg_power_w:.0f} W average", a.power_source or "the watch"))
    for key, label, unit, digits in _DYNAMICS:
        value = getattr(a.dynamics, key)
        if value is not None:
            rows.append((label, f"{value:.{digits}f} {unit}", a.dynamics.sources.get(key, "the watch")))
    if not a.has_running_dynamics and a.sport in ("running", "walking", "hiking"):
        rows.append(("Running dynamics", "not measured (this needs a chest strap, a pod or a Stryd)", ""))
    return rows


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
