"""Home: where to start for a newcomer; today's answer and the latest of everything for a returning runner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.web.common import current_runner, render, workspace_of
from backstride.workflows import journal
from backstride.workflows.assessment import assess

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    ws, runner = workspace_of(request), current_runner(request)
    today = dt.date.today()
    assessment = assess(ws, runner, today)   # one read of everything known; nothing for a new profile
    ctx: dict[str, Any] = {"today": today, "screening": None, "decision": None, "plan": None,
                           "this_week": [], "load": None}
    if assessment.known:
        ctx["screening"] = assessment.screening
        ctx["decision"], plan = journal.today_answer(ws, runner, today, assessment=assessment)
        ctx["plan"] = plan
        if plan is not None and not plan.is_referral:
            ctx["this_week"] = [s for s in plan.sessions() if today <= s.date < today + dt.timedelta(days=7)]
        summary = assessment.load   # the last-7-days figures do not depend on how many weeks it shows
        ctx["load"] = {"last7_km": summary.last7_distance_m / 1000.0, "last7_runs": summary.last7_sessions,
                       "prev7_km": summary.prev7_distance_m / 1000.0}
    return render(request, "home.html", known=assessment.known, **ctx)
