"""The plan in the runner's calendar: an iCalendar file or feed with reminders.

Sessions from today on carry the doses the journal has reached, so a calendar that subscribes to
the feed follows the plan as it adapts.
"""

from __future__ import annotations

import datetime as dt

from backstride.errors import NotFoundError
from backstride.plan.model import Dose
from backstride.reports import plan_export as export
from backstride.workflows import journal, plans
from backstride.workflows.workspace import Workspace


def calendar(ws: Workspace, runner: str | None, reminders: export.Reminders | None = None,
             today: dt.date | None = None) -> bytes:
    """The runner's current plan as iCalendar, with alarms; sessions from today on carry the doses the
    journal has reached (what Today and the session player will show), past ones the planned dose."""
    _plan_id, plan = plans.require_current_plan(ws, runner)
    day = today or dt.date.today()
    doses: dict[str, tuple[str, Dose]] = {}
    if not plan.is_referral:
        names = {e.exercise_id: e.name for e in (*plan.strength, *plan.pre_run, *plan.post_run, *plan.desk)}
        for sid, item in journal.explain_doses(ws, runner, day).items():
            name = names.get(item.exercise_id, "")
            if not name:
                try:
                    name = plans.get_exercise(item.exercise_id).name
                except (KeyError, NotFoundError):
                    name = item.exercise_id.replace("_", " ")
            doses[sid] = (name, item.dose)
    return export.plan_to_ics(plan, calendar_name=f"backstride plan: {runner or ws.settings.runner}",
                              reminders=reminders, doses=doses, doses_from=day)
