"""Findings from every area, each with its explanation, the values behind it and its evidence."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.web.common import current_runner, render, workspace_of
from backstride.workflows import reports

router = APIRouter()


@router.get("/findings", response_class=HTMLResponse)
def findings_page(request: Request) -> HTMLResponse:
    found = reports.collect_findings(workspace_of(request), current_runner(request), dt.date.today())
    groups: dict[str, list[object]] = {}
    for origin, finding in sorted(found, key=lambda pair: -pair[1].severity.rank):
        groups.setdefault(origin, []).append(finding)
    return render(request, "findings.html", groups=groups)
