"""Plan use cases shared by the command line and the web app.

``generate_plan`` reads the runner's latest screening (and the load and form findings of the
activities and form use cases), builds the plan, and only then stores it: rejected options store
nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from backstride.errors import NotFoundError, Problem, ValidationFailed
from backstride.findings.model import Finding
from backstride.intake.model import ScreeningResult
from backstride.library.loader import Library, load_library
from backstride.library.model import EQUIPMENT, FINDING_CODES, Category, Exercise, Routine
from backstride.plan.generate import generate_plan as build_plan
from backstride.plan.model import WEEKDAYS, Dose, Plan, PlanOptions
from backstride.reports import plan_export as export
from backstride.storage import plans as store
from backstride.workflows.assessment import Assessment, assess
from backstride.workflows.workspace import Workspace

# Items nearly every home has; used when the runner does not say what equipment they have.
HOUSEHOLD_EQUIPMENT: frozenset[str] = frozenset({"chair", "wall", "step", "towel"})


def _runner_name(ws: Workspace, runner: str | None) -> str:
    return runner or ws.settings.runner


def library() -> Library:
    return load_library()


def list_exercises(*, category: str | None = None, routine: str | None = None,
                   addresses: str | None = None) -> list[Exercise]:
    problems = []
    if category is not None and category not in {c.value for c in Category}:
        problems.append(Problem("category", f"{category!r} is not a category", ", ".join(c.value for c in Category)))
    if routine is not None and routine not in {r.value for r in Routine}:
        problems.append(Problem("routine", f"{routine!r} is not a routine", ", ".join(r.value for r in Routine)))
    if addresses is not None and addresses not in FINDING_CODES:
        problems.append(Problem("addresses", f"{addresses!r} is not a finding code",
                                "a code such as screen.weak_hip_abductors or form.low_cadence (see docs/plan.md)"))
    if problems:
        raise ValidationFailed("exercise filter", problems)
    return load_library().query(category=Category(category) if category else None,
                                routine=Routine(routine) if routine else None, addresses=addresses)


def get_exercise(exercise_id: str) -> Exercise:
    return load_library().get(exercise_id.strip().lower().replace("-", "_"))


def parse_weekdays(text: str | Iterable[str] | None, field: str) -> tuple[int, ...]:
    """``"tue,thu,sun"`` (or names/numbers in a list) to weekday numbers, Monday = 0."""
    if text is None:
        return ()
    items = [p for part in ([text] if isinstance(text, str) else list(text)) for p in part.replace(" ", ",").split(",")]
    out: list[int] = []
    bad = []
    for item in (i.strip().lower() for i in items if i.strip()):
        if item[:3] in WEEKDAYS:
            out.append(WEEKDAYS.index(item[:3]))
        elif item.isdigit() and 0 <= int(item) <= 6:
            out.append(int(item))
        else:
            bad.append(item)
    if bad:
        raise ValidationFailed(field, [Problem(field, f"not a weekday: {', '.join(bad)}", "mon tue wed thu fri sat sun")])
    return tuple(sorted(set(out)))


def parse_equipment(items: Iterable[str] | None) -> frozenset[str]:
    """Equipment names (comma or space separated); ``none`` means floor space only."""
    if items is None:
        return HOUSEHOLD_EQUIPMENT
    names = {p.strip().lower().replace("-", "_") for item in items for p in item.replace(" ", ",").split(",")}
    names.discard("")
    if names == {"none"}:
        return frozenset()
    unknown = sorted(names - set(EQUIPMENT))
    if unknown:
        raise ValidationFailed("--equipment", [Problem("equipment", f"unknown item(s): {', '.join(unknown)}",
                                                       ", ".join(sorted(EQUIPMENT)) + ", or none")])
    return frozenset(names)


def make_options(*, start: dt.date | None = None, weeks: int = 4, minutes: int = 20,
                 equipment: Iterable[str] | None = None, run_days: str | Iterable[str] | None = None,
                 long_run_day: str | None = None, hard_days: str | Iterable[str] | None = None,
                 strength_sessions: int = 2, work_days: str | Iterable[str] | None = None) -> PlanOptions:
    """Options from the words a runner types; defaults: start tomorrow, runs Tue/Thu/Sun, long run Sunday."""
    runs = parse_weekdays(run_days, "--run-days") if run_days is not None else (1, 3, 6)
    if long_run_day is None:
        long_day: int | None = 6 if 6 in runs else (runs[-1] if runs else None)
    elif long_run_day.strip().lower() == "none":
        long_day = None
    else:
        parsed = parse_weekdays(long_run_day, "--long-run-day")
        if len(parsed) != 1:
            raise ValidationFailed("--long-run-day", [Problem("long_run_day", "give exactly one weekday")])
        long_day = parsed[0]
    return PlanOptions(
        start_date=start or (dt.date.today() + dt.timedelta(days=1)), weeks=weeks, minutes_per_session=minutes,
        equipment=parse_equipment(list(equipment) if equipment is not None else None), run_days=runs,
        long_run_day=long_day, hard_days=parse_weekdays(hard_days, "--hard-days"),
        strength_sessions_per_week=strength_sessions,
        work_days=parse_weekdays(work_days, "--work-days") if work_days is not None else (0, 1, 2, 3, 4),
    )


def _require_screening(assessment: Assessment) -> ScreeningResult:
    if assessment.screening is None:
        raise NotFoundError(f"runner {assessment.runner!r} has no screening yet, so there is nothing to plan from",
                            hint="complete the screening first", command="backstride screen",
                            page=("/screening", "Start the screening"))
    return assessment.screening


def generate_plan(ws: Workspace, runner: str | None, options: PlanOptions, *,
                  screening: ScreeningResult | None = None,
                  extra_findings: Sequence[Finding] | None = None,
                  assessment: Assessment | None = None) -> tuple[int, Plan]:
    """Build the plan from the runner's assessment (its latest screening, load and form findings)
    and store it. ``screening`` and ``extra_findings`` replace the assessment's when given."""
    name = _runner_name(ws, runner)
    if screening is None or extra_findings is None:
        known = assessment or assess(ws, name)
        screening = screening if screening is not None else _require_screening(known)
        extra_findings = extra_findings if extra_findings is not None else known.measured_findings
    plan = build_plan(screening, options, load_library(), tuple(extra_findings))  # raises before anything is stored
    with ws.transaction() as session:
        runner_id = ws.runner_id(session, name)
        plan_id = store.add_plan(session, runner_id, plan)
    return plan_id, plan


def current_plan(ws: Workspace, runner: str | None) -> Plan | None:
    """The runner's newest plan (possibly a referral: check ``plan.is_referral``), or None."""
    found = current_plan_with_id(ws, runner)
    return found[1] if found else None


def current_plan_with_id(ws: Workspace, runner: str | None) -> tuple[int, Plan] | None:
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        if runner_id is None:
            return None
        return ws.current_plan(session, runner_id)


def get_plan(ws: Workspace, plan_id: int) -> Plan:
    with ws.transaction() as session:
        row = store.get_plan(session, plan_id)
        if row is None:
            raise NotFoundError(f"plan {plan_id} does not exist", hint="look at the current plan instead",
                                command="backstride plan show", page=("/plan", "Open your plan"))
        return row.to_plan()


def require_current_plan(ws: Workspace, runner: str | None) -> tuple[int, Plan]:
    found = current_plan_with_id(ws, runner)
    if found is None:
        raise NotFoundError(f"runner {_runner_name(ws, runner)!r} has no plan yet",
                            hint="make one from your latest screening", command="backstride plan",
                            page=("/plan", "Make a plan"))
    return found


def plan_to_markdown(plan: Plan) -> str:
    return export.plan_to_markdown(plan, load_library())


def plan_figures(plan: Plan, *, animated: bool = True) -> dict[str, str]:
    """The illustration of every exercise in the plan, by exercise id."""
    from backstride.reports.figures import exercise_svg

    lib = load_library()
    ids = {pe.exercise_id for attr in ("strength", "pre_run", "post_run", "desk") for pe in getattr(plan, attr)}
    return {i: exercise_svg(lib.get(i), animated=animated) for i in sorted(ids)
            if i in lib and lib.get(i).illustration is not None}


def plan_to_html(plan: Plan, *, animated: bool = True) -> str:
    return export.plan_to_html(plan, load_library(), plan_figures(plan, animated=animated))


def plan_to_pdf(plan: Plan) -> bytes:
    """The HTML plan as a PDF, with each exercise drawn start to end (WeasyPrint draws no animation)."""
    from backstride.reports.pdf import html_to_pdf

    return html_to_pdf(plan_to_html(plan, animated=False))


REMINDER_WORDS = {"checkin": "checkin", "check_in": "checkin", "morning": "checkin", "strength": "strength",
                  "run": "run", "before_run": "run", "pre_run": "run", "desk": "desk", "desk_break": "desk"}


def parse_reminders(items: Iterable[str] | Mapping[str, str] | None) -> export.Reminders:
    """``checkin=07:30``, ``strength=19:00``, ``run=off``, ``desk=10:30`` or ``none``, laid over the defaults.

    A mapping (web query parameters) works the same: key to ``HH:MM``, ``off`` or empty (default).
    """
    chosen: dict[str, dt.time | None] = {}
    problems: list[Problem] = []
    pairs: list[tuple[str, str]] = []
    if isinstance(items, Mapping):
        pairs = [(k, str(v)) for k, v in items.items()]
    else:
        for raw in items or ():
            for part in raw.split(","):
                part = part.strip()
                if part.lower() in ("none", "off"):
                    chosen.update(dict.fromkeys(export.Reminders.KEYS))
                elif part:
                    key, sep, value = part.partition("=")
                    pairs.append((key, value) if sep else (key, ""))
                    if not sep:
                        problems.append(Problem("remind", f"{part!r} has no time",
                                                "KIND=HH:MM or KIND=off, e.g. checkin=07:30"))
    for key, value in pairs:
        kind = REMINDER_WORDS.get(key.strip().lower().replace("-", "_"))
        text = value.strip().lower()
        if kind is None:
            problems.append(Problem("remind", f"{key!r} is not a reminder", "checkin, strength, run or desk"))
        elif text in ("off", "none", "no"):
            chosen[kind] = None
        elif text:
            match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?", text)
            if match and int(match[1]) < 24 and int(match[2] or 0) < 60:
                chosen[kind] = dt.time(int(match[1]), int(match[2] or 0))
            else:
                problems.append(Problem(f"remind {kind}", f"{value!r} is not a time of day", "HH:MM, e.g. 07:30"))
    if problems:
        raise ValidationFailed("reminders", problems)
    return replace(export.Reminders(), **chosen)


def plan_to_ics(plan: Plan, reminders: export.Reminders | None = None,
                doses: Mapping[str, tuple[str, Dose]] | None = None, doses_from: dt.date | None = None) -> bytes:
    return export.plan_to_ics(plan, reminders=reminders, doses=doses, doses_from=doses_from)
