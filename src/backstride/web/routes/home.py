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
            runs = activities.list_activities(ws, runner, since=today - dt.timedelta(days=13))
            last7 = [a for a in runs if (today - a.start_time.date()).days < 7 and a.sport == "running"]
            prev7 = [a for a in runs if 7 <= (today - a.start_time.date()).days < 14 and a.sport == "running"]
            ctx["load"] = {"last7_km": sum(a.distance_m or 0 for a in last7) / 1000.0, "last7_runs": len(last7),
                           "prev7_km": sum(a.distance_m or 0 for a in prev7) / 1000.0}
    return render(request, "home.html", known=known, **ctx)
