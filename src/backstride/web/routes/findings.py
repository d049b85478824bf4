"""Findings from every area, each with its explanation, the values behind it and its evidence."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.findings.model import Finding
from backstride.web.common import current_runner, render, workspace_of
from backstride.workflows.assessment import assess

router = APIRouter()


@router.get("/findings", response_class=HTMLResponse)
def findings_page(request: Request) -> HTMLResponse:
    known = assess(workspace_of(request), current_runner(request), dt.date.today())
    groups: dict[str, list[Finding]] = {}
    for origin, finding in known.findings:   # most severe first
        groups.setdefault(origin, []).append(finding)
    return render(request, "findings.html", groups=groups)
