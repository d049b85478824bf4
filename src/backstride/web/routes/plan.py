"""Plan: generate from the screening, week by week with exercise cards, routines and iCalendar export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.errors import NotFoundError, Problem, ValidationFailed
from backstride.library.model import Exercise
from backstride.plan.model import Plan
from backstride.reports.plan_export import Reminders
from backstride.web.common import (
    current_runner,
    has_screening,
    referral_triage,
    render,
    valid_runner_name,
    workspace_of,
)
from backstride.workflows import calendar
from backstride.workflows import plans as flow

router = APIRouter()

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROUTINES = (("strength", "Strength and control", "On easy days or rest days."),
            ("pre_run", "Before each run", "A few minutes of dynamic mobility and activation."),
            ("post_run", "After each run", "Easy stretches while you cool down."),
            ("desk", "Desk breaks", "Short breaks spread over a sitting day."))



def _exercise_cards(plan: Plan) -> dict[str, Exercise | None]:
    """Library details (instructions, cues, mistakes) for every exercise the plan uses."""
    cards: dict[str, Exercise | None] = {}
    for key, _title, _help in ROUTINES:
        for item in getattr(plan, key):
            if item.exercise_id not in cards:
                try:
                    cards[item.exercise_id] = flow.get_exercise(item.exercise_id)
                except (KeyError, NotFoundError):
                    cards[item.exercise_id] = None
    return cards


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request) -> HTMLResponse:
    ws, runner = workspace_of(request), current_runner(request)
    referral = referral_triage(ws, runner)
    if referral is not None:
        # An emergency or urgent screening: the referral replaces the plan and the build form.
        return render(request, "plan.html", plan=None, referral=referral, has_screening=True)
    found = flow.current_plan_with_id(ws, runner)
    context: dict[str, Any] = {"has_screening": has_screening(ws, runner), "today": dt.date.today(),
                               "week_len": dt.timedelta(days=7), "day_names": DAY_NAMES, "day_keys": DAY_KEYS,
                               "equipment": sorted(flow.EQUIPMENT.items()), "routines": ROUTINES}
    if found is None:
        return render(request, "plan.html", plan=None, **context)
    plan_id, plan = found
    rules = {r.exercise_id: r for r in plan.progression_rules}
    reminders = _reminders(request)
    from urllib.parse import urlencode

    times = {k: v or "off" for k, v in reminders.to_dict().items()}
    query = urlencode({"runner": runner, **times})
    feed = f"{str(request.base_url).rstrip('/')}/plan.ics?{query}"
    links = {"feed": feed, "webcal": "webcal://" + feed.split("://", 1)[1],
                "download": f"/plan.ics?{query}&download=1", "times": reminders.to_dict()}
    return render(request, "plan.html", plan=plan, plan_id=plan_id, cards=_exercise_cards(plan),
                  rules=rules, calendar=links, today_routines=_routines_on(plan, dt.date.today()), **context)


def _routines_on(plan: Any, day: dt.date) -> list[str]:
    """The exercise routines the plan has on ``day``, strength first (the session page applies today's light)."""
    kinds = {s.kind.value for s in plan.sessions() if s.date == day and s.exercises}
    return [k for k in ("strength", "pre_run", "post_run", "desk") if k in kinds]


@router.post("/plan/generate")
async def generate(request: Request) -> Response:
    form = await request.form()
    problems: list[Problem] = []

    def number(name: str, default: int, lo: int, hi: int) -> int:
        raw = str(form.get(name) or "").strip()
        if not raw:
            return default
        if not raw.isdigit() or not lo <= int(raw) <= hi:
            problems.append(Problem(name, f"{raw!r} is not allowed", f"a whole number from {lo} to {hi}"))
            return default
        return int(raw)

    weeks = number("weeks", 4, 1, 52)
    minutes = number("minutes", 20, 5, 90)
    strength = number("strength_sessions", 2, 0, 4)
    if problems:
        raise ValidationFailed("plan options", problems)
    run_days = [str(d) for d in form.getlist("run_days")] or None
    long_run = str(form.get("long_run_day") or "") or None
    equipment = [str(e) for e in form.getlist("equipment")]
    options = flow.make_options(weeks=weeks, minutes=minutes, strength_sessions=strength,
                                run_days=run_days, long_run_day=long_run,
                                equipment=equipment if form.get("equipment_given") else None)
    ws, runner = workspace_of(request), current_runner(request)
    # From the runner's assessment: the screening with the load and form findings the Findings page shows.
    flow.generate_plan(ws, runner, options)
    return RedirectResponse("/plan", status_code=303)


def _reminders(request: Request) -> Reminders:
    """Reminder times from the query (``checkin=07:30&run=off``); absent keys keep their defaults."""
    # A time field left empty in the form means "no reminder"; a key not sent keeps its default.
    return flow.parse_reminders({k: (v or "off") for k, v in request.query_params.items()
                                 if k in flow.REMINDER_WORDS})


@router.get("/plan.ics")
def plan_ics(request: Request, runner: str | None = None, download: str | None = None) -> Response:
    """The plan as a calendar feed: the same address keeps answering with the current plan, so a
    calendar that subscribes to it (``webcal://``) picks up a new plan and moved doses by itself.
    ``runner`` names the profile, because a calendar app sends no cookies."""
    who = valid_runner_name(runner) if runner else current_runner(request)
    body = calendar.calendar(workspace_of(request), who, _reminders(request))
    disposition = "attachment" if download else "inline"
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'{disposition}; filename="backstride-plan.ics"',
                             "Cache-Control": "no-cache"})
