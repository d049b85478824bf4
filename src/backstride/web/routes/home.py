"""Home: where to start for a newcomer; today's answer and the latest of everything for a returning runner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.web.common import current_runner, render, workspace_of
from backstride.workflows import activities, journal, plans, screening

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    ws, runner = workspace_of(request), current_runner(request)
    today = dt.date.today()
    known = runner in ws.list_runners()
    ctx: dict[str, Any] = {"today": today, "screening": None, "decision": None, "plan": None,
                           "this_week": [], "load": None}
    if known:
        ctx["screening"] = screening.latest_screening(ws, runner)
        plan = plans.current_plan(ws, runner)
        ctx["plan"] = plan
        if plan is not None and not plan.is_referral:
            ctx["this_week"] = [s for s in plan.sessions() if today <= s.date < today + dt.timedelta(days=7)]
        ctx["decision"] = journal.decide_today(ws, runner, today)
        summary = activities.load_summary(ws, runner, weeks=1, today=today)
        ctx["load"] = {"last7_km": summary.last7_distance_m / 1000.0, "last7_runs": summary.last7_sessions,
                       "prev7_km": summary.prev7_distance_m / 1000.0}
    return render(request, "home.html", known=known, **ctx)
