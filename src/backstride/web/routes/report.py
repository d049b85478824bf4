"""The shareable report: preview, HTML download, PDF download."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backstride.web.common import current_runner, render, workspace_of
from backstride.workflows import reports

router = APIRouter()


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


@router.get("/report.pdf")
def report_pdf(request: Request) -> Response:
    built = reports.build_report(workspace_of(request), current_runner(request))
    return Response(reports.render_pdf(built), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{reports.report_filename(built, "pdf")}"'})
