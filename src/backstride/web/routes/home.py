"""Home: where to start for a newcomer; today's answer and the latest of everything for a returning runner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.web.common import current_runner, optional_workflow, render, workspace_of

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    ws, runner = workspace_of(request), current_runner(request)
    today = dt.date.today()
    known = runner in ws.list_runners()
    ctx: dict[str, Any] = {"today": today, "screening": None, "decision": None, "plan": None,
                           "this_week": [], "load": None}
    if known:
        screening = optional_workflow("screening").module
        if screening is not None:
            ctx["screening"] = screening.latest_screening(ws, runner)
        plans = optional_workflow("plans").module
        if plans is not None:
            plan = plans.current_plan(ws, runner)
            ctx["plan"] = plan
            if plan is not None and not plan.is_referral:
                ctx["this_week"] = [s for s in plan.sessions() if today <= s.date < today + dt.timedelta(days=7)]
        journal = optional_workflow("journal").module
        if journal is not None:
            ctx["decision"] = journal.decide_today(ws, runner, today)
        activities = optional_workflow("activities").module
        if activities is not None:
            summary = activities.load_summary(ws, runner, weeks=1, today=today)
            ctx["load"] = {"last7_km": summary.last7_distance_m / 1000.0, "last7_runs": summary.last7_sessions,
                           "prev7_km": summary.prev7_distance_m / 1000.0}
    return render(request, "home.html", known=known, **ctx)
