"""Today: the check-in form and the traffic-light answer to "run today?"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.errors import NotFoundError, Problem, ValidationFailed
from backstride.web.common import (
    current_runner,
    render,
    workspace_of,
)
from backstride.workflows import journal as flow
from backstride.workflows.assessment import assess

router = APIRouter()

_INT_FIELDS = ("pain_morning", "pain_now", "stiffness_morning_min", "pain_during_run", "pain_after_run",
               "run_rpe", "runwalk_repeats")


# The form's wording for each field, so error messages name what the runner sees.
LABELS = {
    "day": "Day", "pain_morning": "Pain when you woke up", "pain_now": "Pain right now",
    "stiffness_morning_min": "Morning stiffness (minutes)", "run_distance_km": "Distance (km)",
    "run_distance_m": "Distance", "run_duration_min": "Duration (minutes)", "run_duration_s": "Duration",
    "pain_during_run": "Pain during the run", "pain_after_run": "Pain just after the run", "run_rpe": "How hard it felt",
    "runwalk_repeats": "Run-walk repeats finished", "red_flags": "Warning signs", "notes": "Notes",
    "done": "Exercises done today",
}


def _labelled(problem: Problem) -> Problem:
    return Problem(LABELS.get(problem.field, problem.field), problem.message, problem.allowed)


@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request) -> HTMLResponse:
    ws, runner = workspace_of(request), current_runner(request)
    day = dt.date.today()
    assessment = assess(ws, runner, day)
    latest = assessment.screening
    if latest is not None and latest.triage.tier.refers_now:
        # An emergency or urgent screening: its instruction is the whole page, nothing about training.
        return render(request, "today.html", referral=latest.triage, day=day, decision=None, entry=None,
                      red_flags={}, has_screening=True)
    try:
        decision = flow.decide_today(ws, runner, day, assessment=assessment)
        entry, revision = flow.get_entry_revision(ws, runner, day)
    except NotFoundError:  # a profile with nothing stored yet
        decision, entry, revision = None, None, 0
    from backstride.journal.session import ROUTINES

    planned = decision.planned.exercises if decision else ()
    routines = [k for k in ROUTINES if any(e.session == k and not e.skip for e in planned)]
    logged = {x.exercise_id: x for x in entry.exercises} if entry else {}
    names = {e.exercise_id: e.name for e in planned}
    for ex_id in set(logged) - set(names):   # an extra routine played in the session player
        try:
            from backstride.workflows.plans import get_exercise

            names[ex_id] = get_exercise(ex_id).name
        except (KeyError, NotFoundError):
            continue
    return render(request, "today.html", decision=decision, entry=entry, day=day, revision=revision,
                  red_flags=flow.red_flag_questions(), has_screening=assessment.screening is not None,
                  session_routines=routines, routine_names=ROUTINES, logged_by_id=logged,
                  done_ids=set(logged), exercise_names=names)


def form_to_entry(form: Any, planned_ids: set[str] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """The check-in form as the journal's loose input mapping (km and minutes to m and s)."""
    data: dict[str, Any] = {"day": form.get("day") or dt.date.today().isoformat()}
    problems: list[Problem] = []
    for name in _INT_FIELDS:
        value = (form.get(name) or "").strip()
        if value:
            data[name] = value
    for name, field, factor in (("run_distance_km", "run_distance_m", 1000.0), ("run_duration_min", "run_duration_s", 60.0)):
        value = (form.get(name) or "").strip().replace(",", ".")
        if value:
            try:
                data[field] = float(value) * factor
            except ValueError:
                problems.append(Problem(name, f"{value!r} is not a number", "a number, e.g. 8.5"))
    data["limping"] = form.get("limping") == "yes"
    data["nerve_symptoms"] = form.get("nerve_symptoms") == "yes"
    data["red_flags"] = list(form.getlist("red_flags"))
    data["notes"] = form.get("notes") or ""
    exercises = []
    for ex_id in form.getlist("done"):
        if planned_ids is not None and ex_id not in planned_ids:
            problems.append(Problem("done", f"{ex_id!r} is not in today's plan", None))
            continue
        item: dict[str, Any] = {"exercise_id": ex_id, "sets": form.get(f"sets__{ex_id}") or 1}
        for key in ("reps", "hold_s"):
            value = form.get(f"{key}__{ex_id}")
            if value:
                item[key] = value
        pain = form.get(f"pain__{ex_id}")
        if pain:
            item["pain_during"] = pain
        exercises.append(item)
    data["exercises"] = exercises
    return data, problems


@router.post("/today")
async def check_in(request: Request) -> Response:
    ws, runner = workspace_of(request), current_runner(request)
    form = await request.form()
    try:
        planned = {e.exercise_id for e in flow.decide_today(ws, runner, dt.date.today()).planned.exercises}
    except NotFoundError:
        planned = set()
    data, problems = form_to_entry(form, planned)
    # Exercises logged today that the form does not list (an extra routine played in the session
    # player) stay logged: the form only speaks for the exercises it shows.
    try:
        existing = flow.get_entry(ws, runner, dt.date.fromisoformat(str(data["day"])))
    except (ValueError, NotFoundError):
        existing = None
    if existing is not None:
        data["exercises"] += [x.to_dict() for x in existing.exercises if x.exercise_id not in planned]
    if problems:  # list the journal's own complaints too, so every field is named at once
        try:
            flow.validate(data)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
        raise ValidationFailed("check-in", [_labelled(p) for p in problems])
    raw_revision = str(form.get("revision") or "").strip()
    # the version the form showed: a concurrent edit of the same day is merged, not overwritten
    base_revision = int(raw_revision) if raw_revision.isdigit() and len(raw_revision) < 10 else None
    try:
        flow.log_entry(ws, runner, data, base_revision=base_revision)
    except ValidationFailed as exc:
        raise ValidationFailed("check-in", [_labelled(p) for p in exc.problems]) from None
    return RedirectResponse("/today#decision", status_code=303)
