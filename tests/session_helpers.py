"""What the session-player tests share: a runner whose plan has a strength session today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from backstride.workflows.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
# Run-day patterns that between them put a strength session on every weekday.
_RUN_DAYS = ("tue,thu,sun", "mon,wed,sat", "mon,fri", "tue,fri,sun", "wed,sat")


def plan_with_strength_today(ws: Workspace, runner: str | None, *, weeks_back: int = 2) -> Any:
    """Screen the example runner and store a plan (started ``weeks_back`` weeks ago) with strength today."""
    from backstride.workflows import plans, screening

    answers = screening.read_answers_file(REPO / "docs" / "examples" / "answers.yaml")
    screening.run_screening(ws, runner, answers)
    today = dt.date.today()
    start = today - dt.timedelta(days=7 * weeks_back)
    for run_days in _RUN_DAYS:
        for strength in (2, 3):
            options = plans.make_options(start=start, weeks=4 + weeks_back, run_days=run_days,
                                         strength_sessions=strength)
            _plan_id, plan = plans.generate_plan(ws, runner, options)
            if any(s.date == today and s.kind.value == "strength" for s in plan.sessions()):
                return plan
    raise AssertionError("no run-day pattern puts a strength session on today")
