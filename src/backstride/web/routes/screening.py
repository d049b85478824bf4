"""Screening: the questionnaire in short steps (one section each), drafts, and the triage result."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.errors import NotFoundError, Problem, ValidationFailed
from backstride.web.common import (
    current_runner,
    render,
    workspace_of,
)
from backstride.workflows import screening as flow

router = APIRouter()



@router.get("/screening", response_class=HTMLResponse)
def screening_home(request: Request) -> HTMLResponse:
    ws, runner = workspace_of(request), current_runner(request)
    try:
        history = flow.list_screenings(ws, runner)
    except NotFoundError:
        history = []
    draft = flow.load_draft(ws, runner)
    qn = flow.questionnaire()
    return render(request, "screening_home.html", history=history, draft=draft, sections=qn.sections)


def _section_index(qn: Any, step: int) -> int:
    if not 1 <= step <= len(qn.sections):
        raise NotFoundError(f"the questionnaire has no step {step}",
                            hint=f"steps go from 1 to {len(qn.sections)}")
    return step - 1


def _visible(question: Any, answers: dict[str, Any], section_id: str, qn: Any) -> bool:
    """Hide a question whose condition depends on an earlier step's answer that rules it out."""
    for key, value in question.ask_if:
        if key in qn and qn.question(key).section == section_id:
            continue  # same step: the browser shows or hides it as the answer changes
        if answers.get(key) != value:
            return False
    return True


@router.get("/screening/step/{step}", response_class=HTMLResponse)
def screening_step(request: Request, step: int) -> HTMLResponse:
    qn = flow.questionnaire()
    index = _section_index(qn, step)
    answers = flow.load_draft(workspace_of(request), current_runner(request)) or {}
    return _show_step(request, flow, index + 1, answers)


def _read_section(form: Any, questions: list[Any]) -> dict[str, Any]:
    """Form fields of one step as loose answers; an empty field means skipped (None)."""
    out: dict[str, Any] = {}
    for q in questions:
        if q.type == "multi":
            values = [v for v in form.getlist(q.id) if v]
            out[q.id] = values or None
        elif q.unsure and form.get(f"{q.id}__unsure"):
            out[q.id] = "not_sure"
        else:
            raw = (form.get(q.id) or "").strip()
            out[q.id] = raw or None
    return out


def _step_message(section_id: str) -> str:
    if section_id == "red_flags":
        return "Please answer each warning-sign question; choose No if it does not apply."
    return "Please answer the questions marked below before you carry on."


def _show_step(request: Request, flow: Any, step: int, answers: dict[str, Any],
               problems: dict[str, str] | None = None, message: str = "") -> HTMLResponse:
    qn = flow.questionnaire()
    section = qn.sections[step - 1]
    questions = [q for q in qn.in_section(section.id) if _visible(q, answers, section.id, qn)]
    return render(request, "screening_step.html", status_code=422 if problems else 200, step=step,
                  steps=len(qn.sections), section=section, sections=qn.sections, questions=questions,
                  answers=answers, problems=problems or {}, message=message)


@router.post("/screening/step/{step}")
async def screening_save(request: Request, step: int) -> Response:
    qn = flow.questionnaire()
    index = _section_index(qn, step)
    section = qn.sections[index]
    ws, runner = workspace_of(request), current_runner(request)
    form = await request.form()
    answers = flow.load_draft(ws, runner) or {}
    given = _read_section(form, list(qn.in_section(section.id)))
    answers.update(given)
    answers = {k: v for k, v in answers.items() if v is not None}
    action = form.get("action", "next")
    try:
        flow.save_draft(ws, runner, answers)
    except ValidationFailed as exc:
        # Wrong values are shown on this step, next to the question, with what is allowed.
        wrong = {p.field: f"{p.message}; allowed: {p.allowed}" if p.allowed else p.message for p in exc.problems}
        shown = {k: v for k, v in answers.items() if k not in wrong}
        return _show_step(request, flow, step, shown, wrong, "Please correct the answers marked below.")
    if action == "back":
        return RedirectResponse(f"/screening/step/{max(1, step - 1)}", status_code=303)
    if action == "later":
        return RedirectResponse("/screening", status_code=303)
    # An emergency or urgent answer ends the questionnaire here: the result is the very next page.
    if flow.decides_now(answers):
        screening_id, _result = flow.run_screening(ws, runner, answers, source="questionnaire")
        return RedirectResponse(f"/screening/result/{screening_id}", status_code=303)
    missing = flow.questions_missing(section.id, answers)
    if missing:
        needed = {q.id: ("Please choose Yes or No." if q.type == "boolean" else "Please answer this question.")
                  for q in missing}
        return _show_step(request, flow, step, answers, needed, _step_message(section.id))
    if action == "finish" or step == len(qn.sections):
        try:
            screening_id, _result = flow.run_screening(ws, runner, answers, source="questionnaire")
        except ValidationFailed as exc:
            raise ValidationFailed("questionnaire", [_readable(qn, p) for p in exc.problems]) from None
        return RedirectResponse(f"/screening/result/{screening_id}", status_code=303)
    return RedirectResponse(f"/screening/step/{step + 1}", status_code=303)


def _readable(qn: Any, problem: Problem) -> Problem:
    """Name the question by its step and wording rather than its answer key."""
    if problem.field not in qn:
        return problem
    q = qn.question(problem.field)
    step = next(i for i, s in enumerate(qn.sections, start=1) if s.id == q.section)
    return Problem(f"step {step}, \u201c{q.prompt}\u201d", problem.message, problem.allowed)


@router.post("/screening/discard")
def screening_discard(request: Request) -> Response:
    flow.discard_draft(workspace_of(request), current_runner(request))
    return RedirectResponse("/screening", status_code=303)


@router.get("/screening/result/{screening_id}", response_class=HTMLResponse)
def screening_result(request: Request, screening_id: int) -> HTMLResponse:
    result = flow.get_screening(workspace_of(request), screening_id)
    return render(request, "screening_result.html", result=result, screening_id=screening_id,
                  questions=flow.questionnaire())
