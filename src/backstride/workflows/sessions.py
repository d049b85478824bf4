"""Guided sessions: which exercises to play today, and storing what was done.

The web player and ``backstride session`` call :func:`guided_session` for what to play and
:func:`log_session` for what was done; the latter stores through
:func:`backstride.workflows.journal.log_answers`, the function ``backstride log --exercise`` uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from backstride.errors import InputError, NotFoundError, Problem, ValidationFailed
from backstride.journal.entry import ExerciseLog, JournalEntry
from backstride.journal.session import ROUTINES, GuidedSession, ItemResult, build_session, to_logs
from backstride.plan.model import SessionKind
from backstride.workflows import journal, plans
from backstride.workflows.workspace import Workspace


def parse_routine(text: str | None) -> str | None:
    """``strength``, ``pre-run``, ``before-run``, ``after run``, ``desk`` ... to a routine key; None for today's."""
    if text is None or not text.strip() or text.strip().lower() == "today":
        return None
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    key = {"before_run": "pre_run", "after_run": "post_run", "desk_break": "desk", "desk_breaks": "desk",
           "prerun": "pre_run", "postrun": "post_run"}.get(key, key)
    if key not in ROUTINES:
        raise ValidationFailed("routine", [Problem("routine", f"{text!r} is not a routine",
                                                   "strength, before-run, after-run or desk")])
    return key


def todays_routines(ws: Workspace, runner: str | None, day: dt.date | None = None) -> list[str]:
    """The routines the plan has on ``day``, in playing order (strength first)."""
    try:
        return list(journal.routine_today(ws, runner, None, day).scheduled_kinds)
    except NotFoundError:
        return []


def guided_session(ws: Workspace, runner: str | None, routine: str | None = None,
                   day: dt.date | None = None) -> GuidedSession:
    """The session to play: the named routine, or today's first scheduled one (strength if none is)."""
    today = day or dt.date.today()
    key = parse_routine(routine)
    found = journal.routine_today(ws, runner, SessionKind(key) if key else None, today)
    key = found.kind.value
    plan = found.plan
    if plan is None:   # no plan, or a referral instead of one
        stored = plans.current_plan(ws, runner)
        if stored is not None and stored.is_referral:
            what = stored.referral.what_to_do if stored.referral else stored.headline
            blocked = f"Your screening asks you to see a clinician before starting exercises. {what}"
        else:
            blocked = "There is no plan yet. Make one from your screening first; the session plays its exercises."
        return GuidedSession(today, key, ROUTINES[key], blocked=blocked, today_routines=found.scheduled_kinds)
    decision = found.decision
    blocked = ""
    if decision.back_to_screening or decision.emergency:
        blocked = decision.steps[0] if decision.steps else decision.what_to_do
    details: dict[str, Any] = {}
    for p in found.exercises:
        for ex_id in dict.fromkeys((p.exercise_id, p.plan_exercise_id)):
            try:
                details[ex_id] = plans.get_exercise(ex_id)
            except (KeyError, NotFoundError):
                continue
    limits = {r.exercise_id: r.max_pain_during_nrs for r in plan.progression_rules}
    return build_session(today, key, found.exercises, details, scheduled_today=found.scheduled,
                         stop_above=limits, blocked=blocked, today_routines=found.scheduled_kinds)


def results_from_rows(session: GuidedSession, rows: Sequence[dict[str, Any]]) -> list[ItemResult]:
    """Loose rows (a form, a JSON body) keyed by exercise id to results, every problem listed at once."""
    index = {item.exercise_id: i for i, item in enumerate(session.items)}
    problems: list[Problem] = []
    out: list[ItemResult] = []
    for n, row in enumerate(rows):
        ex_id = str(row.get("exercise_id") or "")
        if ex_id not in index:
            problems.append(Problem(f"exercises[{n}]", f"{ex_id!r} is not in this session",
                                    ", ".join(index) or "no exercises today"))
            continue

        label = session.items[index[ex_id]].name

        def number(name: str, lo: int, hi: int, row: dict[str, Any] = row, label: str = label) -> int | None:
            return _whole(row.get(name), f"{label}: {name.replace('_', ' ')}", lo, hi, problems)

        sets = number("sets", 0, 20)
        reps, hold = number("reps", 0, 200), number("hold_s", 0, 3600)
        pain = number("pain_during", 0, 10)
        done = row.get("done", True) not in (False, "", "0", "no", None)
        out.append(ItemResult(index[ex_id], sets if sets is not None else 0, reps, hold, pain,
                              stopped_for_pain=pain is not None and pain > session.items[index[ex_id]].stop_above_nrs,
                              skipped=not done))
    if problems:
        raise ValidationFailed("session log", problems)
    return out


def _whole(raw: Any, field: str, lo: int, hi: int, problems: list[Problem]) -> int | None:
    """A whole number from ``lo`` to ``hi`` typed into a field; None when empty (a problem when not allowed)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or not lo <= int(text) <= hi:
        problems.append(Problem(field, f"{raw!r} is not allowed", f"a whole number from {lo} to {hi}"))
        return None
    return int(text)


def log_session(ws: Workspace, runner: str | None, session: GuidedSession, results: Iterable[ItemResult], *,
                today: dt.date | None = None) -> tuple[JournalEntry, list[ExerciseLog]]:
    """Store what was done as that day's exercises (merged with anything already logged that day)."""
    logs = to_logs(session, results)
    if not logs:
        raise InputError("nothing was done in this session, so nothing was stored",
                         hint="do at least one set, or log the day's check-in instead",
                         command="backstride log", page=("/today", "Go to Today"))
    _entry_id, entry = journal.log_answers(ws, runner, session.day, {"exercises": [x.to_dict() for x in logs]},
                                today=today or dt.date.today())
    return entry, logs
