"""Activities and load: upload watch files or exports (imported in the background), load charts, shoes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

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
from backstride.workflows import activities as flow
from backstride.workflows import reports
from backstride.workflows.workspace import Workspace

router = APIRouter()

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".gz", ".zip")
COMPANION_SUFFIXES = (".csv",)   # a Strava export's activities.csv names and dates the files
WEEK_CHOICES = ((12, "12 weeks"), (26, "6 months"), (52, "1 year"), (104, "2 years"), (260, "5 years"),
                (520, "10 years"))
MAX_WEEKS = 1040  # 20 years: any period up to this can be asked for in the address


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 activity", "3 activities" """
    return f"{n} {one if n == 1 else (many or one + 's')}"


_SALVAGE_HINT = re.compile(r"\s*\(?[^()]*--salvage[^()]*\)?")
_RAW_EXCEPTION = re.compile(r"\s*\((?:[A-Z]\w*(?:Error|Exception|Warning)|lxml\.\w+)[^)]*\)")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/:,;()]+)+[\\/]([^\s\\/:,;()]+)")
_FLAG = re.compile(r"\s--[a-z][a-z-]+")


# What a library's own message looks like inside a reader's sentence: not for a runner's eyes.
_RAW_MARKERS = re.compile(r"could not convert|<None>|invalid literal|Error\b|Exception\b|Traceback|@ \d+|line \d+, column")


def _drop_raw_parentheses(text: str) -> str:
    """Remove each (balanced) parenthesised part that quotes a library's raw message."""
    out: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                out.append(text[start:i])
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                part = text[start:i + 1]
                if not _RAW_MARKERS.search(part):
                    out.append(part)
                elif out:
                    out[-1] = out[-1].rstrip()
                start = i + 1
    out.append(text[start:])
    return "".join(out)


def plain_problem(text: str, folder: Path) -> tuple[str, bool]:
    """A reader's message for the web page, and whether part of the file can be recovered.

    The readers write for the command line; here no flag, no library's raw exception text and no
    server path is shown (the file's own name is kept).
    """
    text = shown(text, folder)
    salvageable = "--salvage" in text
    text = _SALVAGE_HINT.sub("", text)
    text = _RAW_EXCEPTION.sub("", text)
    text = _drop_raw_parentheses(text)
    text = _PATH.sub(r"\1", text)
    text = _FLAG.sub("", text).strip().rstrip(".")
    text = re.sub(r"([.;]) ([a-z])", lambda m: f"{m.group(1)} {m.group(2).upper()}" if m.group(1) == "." else m.group(0), text)
    if salvageable:
        text += ". Part of it can still be read: use the button below to keep that part"
    return text + ".", salvageable


def import_job(ws: Workspace, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Background job: import an upload folder, then remove it. Raises when nothing could be used.

    When a file is damaged but partly readable, the folder is kept so that a button can import it
    again with ``salvage`` (what was read before the damage is kept, with a remark).
    """
    folder = Path(params["folder"])
    salvage = bool(params.get("salvage"))
    keep = False
    try:
        report = flow.import_paths(ws, params["runner"], [folder],
                                   lambda done, total, name: progress(done, total, f"Read {shown(name, folder)}"),
                                   salvage=salvage)
        imported = report.count("imported")
        duplicates = report.count("duplicate")
        problems = [plain_problem(f.error or f.path, folder) for f in report.files if f.status == "rejected"]
        keep = not salvage and any(ok for _text, ok in problems)
    finally:
        if not keep:
            discard(folder, ws.settings)
    errors = [text for text, _ok in problems]
    warnings = [plain_problem(f"{Path(f.path).name}: {w}", folder)[0]
                for f in report.files for w in f.warnings if f.status != "duplicate"]
    salvage_url = f"/activities/salvage/{folder.name}" if keep else None
    if not imported and not duplicates and salvage_url is None:
        detail = " ".join(errors[:5]) or "No activity files were found in the upload."
        raise InputError(f"Nothing could be imported. {detail}",
                         hint="check that these are .fit, .gpx or .tcx files (or a Strava or Garmin export zip) from your watch")
    activities = sum(len(f.activities) for f in report.files if f.status == "imported")
    summary = f"Imported {plural(activities, 'activity', 'activities')} from {plural(imported, 'file')}."
    if duplicates:
        summary += (f" {plural(duplicates, 'file')} {'was' if duplicates == 1 else 'were'} already imported "
                    "(identical content) and skipped.")
    if errors:
        summary += f" {plural(len(errors), 'file')} could not be read; nothing from {'it' if len(errors) == 1 else 'them'} was stored."
    return {"summary": summary, "problems": errors, "warnings": warnings, "next_url": "/activities",
            "imported": imported, "duplicates": duplicates, "rejected": len(errors), "salvage_url": salvage_url,
            "button": "See your runs"}


@router.get("/activities", response_class=HTMLResponse)
def activities_page(request: Request, weeks: str = "26", week: str = "") -> HTMLResponse:
    n_weeks = int(weeks) if weeks.isdigit() and 1 <= int(weeks) <= MAX_WEEKS else 26
    choices = WEEK_CHOICES if n_weeks in dict(WEEK_CHOICES) else ((n_weeks, plural(n_weeks, "week")), *WEEK_CHOICES)
    ws, runner = workspace_of(request), current_runner(request)
    today = dt.date.today()
    inputs = reports.inputs_for(ws, runner, today, weeks=n_weeks, with_plan=False)
    section = reports.load_section(inputs, weeks=n_weeks,
                                   week_link=f"/activities?weeks={n_weeks}&week={{week}}#week-runs")
    week_runs = None
    monday = _monday(week)
    if monday is not None and ws.has_runner(runner):
        week_runs = (monday, flow.list_activities(ws, runner, since=monday, until=monday + dt.timedelta(days=7)))
    jobs = [j for j in jobs_of(request).list(runner) if j.kind == "import"][:3]
    watch = getattr(request.app.state, "watch", None)
    return render(request, "activities.html", section=section, weeks=n_weeks, week_choices=choices,
                  jobs=jobs, max_mb=request.app.state.settings.max_upload_mb, week_runs=week_runs,
                  has_runs=flow.has_activities(ws, runner),
                  watch=watch.status() if watch is not None else None)


def _monday(text: str) -> dt.date | None:
    """The Monday of the week given as YYYY-MM-DD (any day of it), or None when it is not a date."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day - dt.timedelta(days=day.weekday())


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
def upload(request: Request, files: Annotated[list[UploadFile | str] | None, File()] = None) -> Response:
    chosen = [f for f in files or [] if isinstance(f, StarletteUpload) and f.filename]
    if not chosen:   # the form sent with no file chosen
        raise InputError("no file was chosen, so nothing was imported",
                         hint="choose one or more activity files (or an export zip) first, then press Import",
                         page=("/activities", "Back to Activities"))
    settings = request.app.state.settings
    folder, stored = save_uploads(chosen, settings, suffixes=ACTIVITY_SUFFIXES, what="activity files",
                                  extra_suffixes=COMPANION_SUFFIXES)
    runner = current_runner(request)
    label = f"Importing {stored[0].name}" if len(stored) == 1 else f"Importing {len(stored)} files"
    job_id = jobs_of(request).submit("import", {"folder": str(folder), "runner": runner}, runner=runner, label=label)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/activities/salvage/{upload_id}")
def salvage(request: Request, upload_id: str) -> Response:
    """Import a kept upload again, keeping what can be read from damaged files."""
    folder = upload_root(request.app.state.settings) / upload_id
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", upload_id) or not folder.is_dir():
        raise NotFoundError("those files are no longer here (they are removed after a recovery)",
                            hint="upload the files again", page=("/activities", "Back to Activities"))
    runner = current_runner(request)
    job_id = jobs_of(request).submit("import", {"folder": str(folder), "runner": runner, "salvage": True},
                                     runner=runner, label="Recovering what can be read")
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
