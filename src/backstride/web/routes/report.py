"""The shareable report: preview, HTML download, and the PDF made in the background with progress."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from backstride.errors import NotFoundError
from backstride.web.common import current_runner, jobs_of, render, workspace_of
from backstride.web.jobs import Progress
from backstride.workflows import reports
from backstride.workflows.workspace import Workspace

router = APIRouter()

KEEP_PDF_S = 3600   # a prepared PDF stays downloadable for an hour, then the next job removes it


def _pdf_dir(ws: Workspace) -> Path:
    return ws.settings.files_dir / "reports"


def pdf_job(ws: Workspace, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Background job: gather the report (one step per section), render the PDF, keep it for download."""
    folder = _pdf_dir(ws)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.pdf"):
        if time.time() - old.stat().st_mtime > KEEP_PDF_S:
            old.unlink(missing_ok=True)
    built = reports.build_report(ws, params["runner"], progress=progress)
    pdf = reports.render_pdf(built)
    name = f"{uuid.uuid4().hex}.pdf"
    tmp = folder / f".{name}.part"
    tmp.write_bytes(pdf)
    tmp.replace(folder / name)   # never a half-written file under the final name
    return {"summary": f"Your report is ready ({len(pdf) // 1024} KiB). The download starts by itself; "
                       "if it does not, use the button.",
            "next_url": f"/report/pdf/{params['job']}", "file": name, "button": "Download the PDF",
            "filename": reports.report_filename(built, "pdf")}


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request) -> HTMLResponse:
    runner = current_runner(request)
    ws = workspace_of(request)
    if runner not in ws.list_runners():
        return render(request, "report.html", report=None)
    return render(request, "report.html", report=reports.build_report(ws, runner))


@router.get("/report.html", response_class=HTMLResponse)
def report_document(request: Request, download: bool = False) -> HTMLResponse:
    built = reports.build_report(workspace_of(request), current_runner(request))
    headers = {}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{reports.report_filename(built, "html")}"'
    return HTMLResponse(reports.render_html(built), headers=headers)


@router.post("/report/pdf")
def prepare_pdf(request: Request) -> Response:
    """Start the PDF in the background; the job page shows progress, then the download."""
    runner = current_runner(request)
    ws = workspace_of(request)
    if runner not in ws.list_runners():
        raise NotFoundError(f"there is nothing stored for {runner} yet, so there is no report to make",
                            hint="start with the screening", page=("/screening", "Start the screening"))
    job_id = uuid.uuid4().hex[:12]
    queued = jobs_of(request).submit("report", {"runner": runner, "job": job_id}, runner=runner,
                                     label="Preparing the PDF report")
    return RedirectResponse(f"/jobs/{queued}", status_code=303)


@router.get("/report/pdf/{job_id}")
def download_pdf(request: Request, job_id: str) -> Response:
    runner = current_runner(request)
    for job in jobs_of(request).list(runner):
        if job.kind == "report" and job.result and job.result.get("next_url") == f"/report/pdf/{job_id}":
            path = _pdf_dir(workspace_of(request)) / str(job.result["file"])
            if path.is_file():
                return FileResponse(path, media_type="application/pdf", filename=str(job.result["filename"]))
    raise NotFoundError("this prepared report is no longer available (reports are kept for an hour)",
                        hint="prepare the PDF again on the Report page", page=("/report", "Back to the report"))


@router.get("/report.pdf")
def report_pdf(request: Request) -> Response:
    """The PDF in one request (for scripts and links); the page uses the background job instead."""
    built = reports.build_report(workspace_of(request), current_runner(request))
    return Response(reports.render_pdf(built), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{reports.report_filename(built, "pdf")}"'})
