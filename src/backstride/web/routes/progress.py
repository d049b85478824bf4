"""Progress: pain trend, adherence to the plan, and run distance against next-morning pain."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.web.common import current_runner, render, workspace_of
from backstride.workflows import reports

router = APIRouter()


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, days: int = 56) -> HTMLResponse:
    days = max(14, min(days, 730))
    inputs = reports.inputs_for(workspace_of(request), current_runner(request), dt.date.today())
    section = reports.progress_section(inputs, days=days)
    return render(request, "progress.html", section=section, days=days)
