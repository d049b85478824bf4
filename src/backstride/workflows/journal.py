"""Journal use cases shared by the command line and the web app.

Stable entry points: :func:`log_entry`, :func:`get_entry`, :func:`edit_entry`, :func:`list_entries`,
:func:`decide_today`, :func:`progress`, :func:`dose_history` (for ``plan show``) and
:func:`rpe_by_date` (for session-RPE load). Each check-in is one transaction: the entry, its
audit row and the replayed dose changes are stored together or not at all.

The plan, screening and activities use cases are imported directly; when one of them has nothing
stored for the runner, the journal still answers from what it has.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from backstride.errors import EditConflict, NotFoundError, Problem, ValidationFailed
from backstride.intake.model import ScreeningResult
from backstride.journal.adapt import Adaptation, DoseChange, ExerciseSlot, replay
from backstride.journal.decision import (
    DayContext,
    Decision,
    LoadSignal,
    PlannedExercise,
    adjust_exercises,
    decide,
)
from backstride.journal.entry import EntryEdit, JournalEntry, merge_answers, parse_entry
from backstride.journal.merge import merge_fields
from backstride.journal.progress import (
    LoadPainRelation,
    PainPoint,
    SelfTestSeries,
    WeekAdherence,
    load_vs_next_morning,
    pain_trend,
    self_test_series,
    weekly_adherence,
)
from backstride.journal.questions import red_flag_questions
from backstride.journal.signals import EXTRAPOLATION_NOTE, Flare, detect_flare
from backstride.plan.model import Dose, Plan, PrescribedExercise, SessionKind
from backstride.storage import journal as store
from backstride.workflows import activities as activity_flow
from backstride.workflows import plans as plan_flow
from backstride.workflows import screening as screening_flow
from backstride.workflows.assessment import Assessment, assess
from backstride.workflows.workspace import Workspace

Entries = dict[dt.date, JournalEntry]


# ---------------------------------------------------------------- the plan


def _current_plan(ws: Workspace, runner: str | None) -> Plan | None:
    try:
        plan = plan_flow.current_plan(ws, runner)
    except NotFoundError:
        return None
    return plan if plan is not None and not plan.is_referral else None


def plan_slots(plan: Plan | None) -> dict[str, ExerciseSlot]:
    """Each exercise of the plan at its first prescribed dose, with its progression rule."""
    if plan is None:
        return {}
    slots: dict[str, ExerciseSlot] = {}
    dated = sorted(plan.sessions(), key=lambda s: s.date)
    templates = [*plan.strength, *plan.pre_run, *plan.post_run, *plan.desk]
    for ex in [e for s in dated for e in s.exercises] + templates:
        if ex.exercise_id not in slots:
            slots[ex.exercise_id] = ExerciseSlot(ex.exercise_id, ex.name, ex.dose, plan.rule_for(ex.exercise_id))
    return slots


# ---------------------------------------------------------------- entries


def _entries(session: Session, runner_id: int, end: dt.date | None = None) -> Entries:
    return {row.day: row.entry() for row in store.list_rows(session, runner_id, end=end)}


def validate(data: Mapping[str, Any]) -> JournalEntry:
    """Loose input (flags, a file, a web form) to an entry; every problem listed at once."""
    return parse_entry(data, known_red_flags=frozenset(red_flag_questions()))


def _check(entry: JournalEntry, today: dt.date) -> None:
    problems: list[Problem] = []
    unknown = [c for c in entry.red_flags if c not in red_flag_questions()]
    if unknown:
        problems.append(Problem("red_flags", f"{', '.join(unknown)} are not red-flag questions",
                                ", ".join(red_flag_questions())))
    if entry.day > today:
        problems.append(Problem("day", f"{entry.day.isoformat()} is in the future",
                                f"today ({today.isoformat()}) or an earlier day"))
    if problems:
        raise ValidationFailed("check-in", problems)


# A write whose version check fails (a concurrent commit slipped in on PostgreSQL, or two first
# inserts of one day) is retried from a fresh read; beyond this many tries something is wrong.
_WRITE_TRIES = 4


def _locked_write(ws: Workspace, work: Any) -> Any:
    """Run ``work(session)`` in one write transaction, again from the start if a concurrent one won the race."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    for attempt in range(_WRITE_TRIES):
        try:
            with ws.transaction(write=True) as session:
                return work(session)
        except (IntegrityError, StaleDataError):
            if attempt == _WRITE_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _store(ws: Workspace, session: Session, runner: str | None, entry: JournalEntry, slots: dict[str, ExerciseSlot],
           day: dt.date) -> int:
    runner_id = ws.runner_id(session, runner)
    row, _edited = store.save_entry(session, runner_id, entry)
    adaptation = replay(_entries(session, runner_id), slots, max(day, entry.day))
    store.replace_changes(session, runner_id, adaptation.changes)
    return row.id


def _conflict(day: dt.date, fields: tuple[str, ...]) -> EditConflict:
    names = ", ".join(f.replace("_", " ") for f in fields)
    return EditConflict(
        f"the check-in for {day.isoformat()} was changed somewhere else while you edited it, and both "
        f"changes set {names} to different values; nothing of this edit was stored",
        fields=fields, hint="look at the day as it is now and enter your answer again",
        command=f"backstride log --day {day.isoformat()}", page=("/today", "Go to Today"))


def log_entry(ws: Workspace, runner: str | None, entry: JournalEntry | Mapping[str, Any], *,
              today: dt.date | None = None, base_revision: int | None = None) -> int:
    """Store the day's check-in (an existing day is edited, with the previous values kept).

    Entry, audit row and the replayed dose changes go in one locked transaction. ``base_revision``
    is the stored revision the person saw when they filled the form in (0: the day was empty). If
    the day changed since, the two edits are merged field by field; a field both changed
    differently raises :class:`EditConflict` and nothing is stored. Without it the entry replaces
    the day (a file import is the authority for the days it holds).
    """
    if not isinstance(entry, JournalEntry):
        entry = validate(entry)
    day = today or dt.date.today()
    _check(entry, day)
    slots = plan_slots(_current_plan(ws, runner))   # read before the write transaction opens
    wanted = entry

    def work(session: Session) -> int:
        final = wanted
        if base_revision is not None:
            runner_id = ws.existing_runner_id(session, runner)
            row = None if runner_id is None else store.get_row(session, runner_id, wanted.day, for_update=True)
            stored_revision = 0 if row is None else row.revision
            if row is not None and stored_revision != base_revision:
                base = {} if base_revision == 0 else store.revision_data(session, row, base_revision)
                if base is None:
                    raise _conflict(wanted.day, ())
                result = merge_fields(base, wanted.to_dict(), row.data)
                if result.conflicts:
                    raise _conflict(wanted.day, result.conflicts)
                final = validate(result.merged)
        return _store(ws, session, runner, final, slots, day)

    return int(_locked_write(ws, work))


def update_fields(ws: Workspace, runner: str | None, day: dt.date, changes: Mapping[str, Any], *,
                  today: dt.date | None = None) -> tuple[int, JournalEntry]:
    """Change only the given answers of a day (creating it if empty), read and written in one locked
    transaction, so two commands changing different answers of one day both keep their change."""
    on = today or dt.date.today()
    slots = plan_slots(_current_plan(ws, runner))

    def work(session: Session) -> tuple[int, JournalEntry]:
        runner_id = ws.existing_runner_id(session, runner)
        row = None if runner_id is None else store.get_row(session, runner_id, day, for_update=True)
        # exercises merge by exercise id; every other answer given replaces the stored one
        entry = validate(merge_answers(None if row is None else row.entry(), changes, day))
        _check(entry, on)
        return _store(ws, session, runner, entry, slots, on), entry

    entry_id, entry = _locked_write(ws, work)
    return int(entry_id), entry


def log_answers(ws: Workspace, runner: str | None, day: dt.date, answers: Mapping[str, Any], *,
                today: dt.date | None = None) -> tuple[int, JournalEntry]:
    """Add or change some answers of one day, keeping the rest of its check-in; (entry id, entry).

    ``backstride log`` with flags or ``--exercise``, the session player and its terminal twin all
    store through here (:func:`update_fields`: one locked transaction; exercises merge by id, so a
    routine logged after another keeps both).
    """
    return update_fields(ws, runner, day, answers, today=today)


def get_entry(ws: Workspace, runner: str | None, day: dt.date) -> JournalEntry | None:
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        row = None if runner_id is None else store.get_row(session, runner_id, day)
        return row.entry() if row else None


def get_entry_revision(ws: Workspace, runner: str | None, day: dt.date) -> tuple[JournalEntry | None, int]:
    """The day's entry and its stored revision (0 when the day is empty), for an edit form."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        row = None if runner_id is None else store.get_row(session, runner_id, day)
        return (row.entry(), row.revision) if row else (None, 0)


def edit_entry(ws: Workspace, runner: str | None, day: dt.date, changes: Mapping[str, Any], *,
               today: dt.date | None = None) -> JournalEntry:
    """Change some answers of a stored day; the previous values are kept in the audit trail."""
    if get_entry(ws, runner, day) is None:
        raise NotFoundError(f"there is no check-in for {day.isoformat()}", hint="log that day's check-in first",
                            command=f"backstride log --day {day.isoformat()}", page=("/today", "Go to Today"))
    return update_fields(ws, runner, day, changes, today=today)[1]


def entry_history(ws: Workspace, runner: str | None, day: dt.date) -> list[EntryEdit]:
    """Earlier versions of a day's entry, oldest first."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        row = None if runner_id is None else store.get_row(session, runner_id, day)
        return store.list_edits(session, row.id) if row else []


def list_entries(ws: Workspace, runner: str | None, start: dt.date | None = None,
                 end: dt.date | None = None) -> list[JournalEntry]:
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        return [] if runner_id is None else [row.entry() for row in store.list_rows(session, runner_id, start, end)]


def previous_entry(ws: Workspace, runner: str | None, day: dt.date) -> JournalEntry | None:
    """The latest entry before ``day`` (its slow answers are the interactive defaults)."""
    earlier = list_entries(ws, runner, end=day - dt.timedelta(days=1))
    return earlier[-1] if earlier else None


def rpe_by_date(ws: Workspace, runner: str | None) -> dict[dt.date, float]:
    """Perceived effort (CR-10) of each logged run, for session-RPE load (RPE x minutes)."""
    return {e.day: float(e.run_rpe) for e in list_entries(ws, runner) if e.run_rpe is not None}


def dose_history(ws: Workspace, runner: str | None) -> list[DoseChange]:
    """Every recorded dose change with its reason, oldest first (what ``plan show`` explains)."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        return [] if runner_id is None else store.list_changes(session, runner_id)


@dataclass(frozen=True)
class DoseExplanation:
    """Why one exercise of the plan is at its current dose (for ``plan show`` and the web plan page)."""

    plan_exercise_id: str
    exercise_id: str             # the variant in use now
    dose: Dose
    planned_dose: Dose
    why: str
    changes: tuple[DoseChange, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"plan_exercise_id": self.plan_exercise_id, "exercise_id": self.exercise_id,
                "dose": self.dose.to_dict(), "dose_text": self.dose.describe(),
                "planned_dose": self.planned_dose.to_dict(), "why": self.why,
                "changes": [c.to_dict() for c in self.changes]}


def explain_doses(ws: Workspace, runner: str | None, today: dt.date | None = None) -> dict[str, DoseExplanation]:
    """Each plan exercise at the dose the journal has reached, with the reason; key ``"run"`` is not included
    (running changes are in :func:`dose_history` with ``subject == "run"``)."""
    day = today or dt.date.today()
    _, plan, adaptation = _adaptation(ws, runner, day)
    out: dict[str, DoseExplanation] = {}
    for sid, slot in plan_slots(plan).items():
        state = adaptation.exercises[sid]
        changes = adaptation.changes_for(sid)
        if changes:
            last = changes[-1]
            why = f"{last.kind} on {last.day.isoformat()}: {last.reason}"
        else:
            needed = slot.rule.sessions_at_target if slot.rule else 2
            why = (f"as planned; {state.qualifying} of {needed} sessions at target so far "
                   "(pain at most 5/10 and settled by the next morning)")
        out[sid] = DoseExplanation(sid, state.exercise_id, state.dose, slot.dose, why, changes)
    return out


# ---------------------------------------------------------------- decision


def _run_distances(entries: Entries, ws: Workspace, runner: str | None, since: dt.date,
                   until: dt.date) -> dict[dt.date, float]:
    """Run distance per day: the journal's answers, replaced by watch files where there are any."""
    out = {e.day: float(e.run_distance_m) for e in entries.values() if e.run_distance_m}
    watch: dict[dt.date, float] = {}
    for act in activity_flow.list_activities(ws, runner, since=since, until=until + dt.timedelta(days=1)):
        if act.is_run and act.distance_m:
            when = act.start_time.date()
            watch[when] = watch.get(when, 0.0) + float(act.distance_m)
    out.update(watch)
    return out


def day_context(assessment: Assessment, entries: Entries) -> DayContext:
    """What the daily decision needs besides the journal: recent runs, load signals, the screening."""
    today = assessment.day
    if not assessment.known:
        return DayContext()
    since = today - dt.timedelta(days=30)
    distances = {e.day: float(e.run_distance_m) for e in entries.values() if e.run_distance_m}
    distances.update(assessment.run_distances(since, today))
    recent = [m for d, m in distances.items() if since <= d < today]
    longest = max(recent) if recent else None
    if assessment.longest_run_30d_m:
        longest = max(longest or 0.0, float(assessment.longest_run_30d_m))
    usual = float(statistics.median(recent)) if recent else None
    signals = [LoadSignal(f.code, f.title, f.evidence.reference_ids[0])
               for f in assessment.load_findings if f.severity.rank >= 1 and f.evidence.reference_ids]
    return replace(screening_context(assessment.screening), load_signals=tuple(signals),
                   longest_run_30d_m=longest, usual_run_m=usual)


def screening_context(latest: ScreeningResult | None) -> DayContext:
    """The latest screening's part of the day's context: a triage that refers now, and its pain."""
    refers, what = False, ""
    screened: tuple[dt.date | None, int | None, bool] = (None, None, False)
    if latest is not None and latest.triage.tier.refers_now:
        refers, what = True, latest.triage.what_to_do
    if latest is not None:
        screened = (latest.created_at.date(), _screening_pain(latest), bool(latest.pain.nerve_symptoms))
    return DayContext((), None, None, refers, what, *screened)


def _screening_pain(result: ScreeningResult) -> int:
    """The highest pain rating a screening reported (now, during, after and the morning after a run); 0 without pain."""
    if not result.pain.has_pain:
        return 0
    ratings = [result.pain.pain_now, result.pain.pain_during_run,
               result.answers.get("pain_after_run"), result.answers.get("pain_next_morning")]
    return max((int(r) for r in ratings if isinstance(r, int | float) and not isinstance(r, bool)), default=0)


def _today_plan(plan: Plan | None, today: dt.date) -> tuple[str | None, list[tuple[str, PrescribedExercise]]]:
    if plan is None:
        return None, []
    run: str | None = None
    exercises: list[tuple[str, PrescribedExercise]] = []
    for s in plan.sessions():
        if s.date != today:
            continue
        if s.kind is SessionKind.RUN:
            run = f"{s.title}: {s.advice}" if s.advice else s.title
        else:
            exercises.extend((s.kind.value, e) for e in s.exercises)
    return run, exercises


def _read_day(ws: Workspace, runner: str | None, today: dt.date) -> tuple[Entries, Plan | None]:
    """The journal up to ``today`` and the current plan (possibly a referral), in one read."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        if runner_id is None:
            return {}, None
        found = ws.current_plan(session, runner_id)
        return _entries(session, runner_id, end=today), found[1] if found is not None else None


def _adapt(entries: Entries, current: Plan | None, today: dt.date) -> tuple[Plan | None, Adaptation]:
    plan = current if current is not None and not current.is_referral else None
    return plan, replay(entries, plan_slots(plan), today)


def _adaptation(ws: Workspace, runner: str | None, today: dt.date) -> tuple[Entries, Plan | None, Adaptation]:
    """The journal up to ``today``, the current exercise plan (None for none or a referral) and the
    doses the journal has reached."""
    entries, current = _read_day(ws, runner, today)
    plan, adaptation = _adapt(entries, current, today)
    return entries, plan, adaptation


def today_answer(ws: Workspace, runner: str | None, today: dt.date | None = None, *,
                 assessment: Assessment | None = None) -> tuple[Decision, Plan | None]:
    """The traffic light for ``today`` and the current plan it was read with (possibly a referral)."""
    day = today or dt.date.today()
    known = assessment if assessment is not None else assess(ws, runner or ws.settings.runner, day)
    entries, current = _read_day(ws, runner, day)
    plan, adaptation = _adapt(entries, current, day)
    run, exercises = _today_plan(plan, day)
    decision = decide(entries, day, day_context(known, entries), adaptation, run, exercises,
                      _variant_names(adaptation))
    return decision, current


def decide_today(ws: Workspace, runner: str | None, today: dt.date | None = None, *,
                 assessment: Assessment | None = None) -> Decision:
    """The traffic light for ``today`` with reasons, caps and today's planned session as adjusted."""
    return today_answer(ws, runner, today, assessment=assessment)[0]


ROUTINE_ORDER = (SessionKind.STRENGTH, SessionKind.PRE_RUN, SessionKind.POST_RUN, SessionKind.DESK)


@dataclass(frozen=True)
class RoutineToday:
    """One routine as the session player plays it on a day, with that day's decision."""

    decision: Decision
    kind: SessionKind
    exercises: tuple[PlannedExercise, ...]
    scheduled: bool                      # the plan has this routine on the day
    scheduled_kinds: tuple[str, ...]     # every routine the plan has that day (not skipped), in order
    plan: Plan | None                    # None without a plan, or with a referral


def routine_today(ws: Workspace, runner: str | None, kind: SessionKind | None = None,
                  today: dt.date | None = None) -> RoutineToday:
    """A routine at the journal's current doses: the day's scheduled session of that kind when there
    is one, else the plan's template of it, marked to skip as the day's light says. ``kind`` None
    picks the day's first scheduled routine (strength when none is). One decision per call, without
    the watch files: they can make a day amber, never red, so they change no exercise."""
    day = today or dt.date.today()
    entries, current = _read_day(ws, runner, day)
    plan, adaptation = _adapt(entries, current, day)
    run, exercises = _today_plan(plan, day)
    # The screening only, not the watch files: load findings can make a day amber, never red, so
    # they change no exercise, and the player stays fast.
    context = screening_context(screening_flow.latest_screening(ws, runner))
    decision = decide(entries, day, context, adaptation, run, exercises, _variant_names(adaptation))
    kinds = {e.session for e in decision.planned.exercises if not e.skip}
    scheduled_kinds = tuple(k.value for k in ROUTINE_ORDER if k.value in kinds)
    chosen = kind or (SessionKind(scheduled_kinds[0]) if scheduled_kinds else SessionKind.STRENGTH)
    scheduled = tuple(e for e in decision.planned.exercises if e.session == chosen.value)
    if scheduled or plan is None:
        return RoutineToday(decision, chosen, scheduled, bool(scheduled), scheduled_kinds, plan)
    template = {SessionKind.STRENGTH: plan.strength, SessionKind.PRE_RUN: plan.pre_run,
                SessionKind.POST_RUN: plan.post_run, SessionKind.DESK: plan.desk}.get(chosen, ())
    extra = adjust_exercises(((chosen.value, e) for e in template), adaptation, decision.light,
                             _variant_names(adaptation), decision.emergency)
    return RoutineToday(decision, chosen, extra, False, scheduled_kinds, plan)


def _variant_names(adaptation: Adaptation) -> dict[str, str]:
    """Library names of harder or easier variants the journal switched to (their ids otherwise)."""
    names: dict[str, str] = {}
    for state in adaptation.exercises.values():
        if state.exercise_id != state.slot_id:
            with contextlib.suppress(NotFoundError, KeyError):
                names[state.exercise_id] = plan_flow.get_exercise(state.exercise_id).name
    return names


# ---------------------------------------------------------------- progress


@dataclass(frozen=True)
class Progress:
    day: dt.date
    pain: tuple[PainPoint, ...]
    adherence: tuple[WeekAdherence, ...]
    self_tests: tuple[SelfTestSeries, ...]
    load_pain: LoadPainRelation
    flare: Flare | None
    changes: tuple[DoseChange, ...]
    entries_logged: int
    note: str = EXTRAPOLATION_NOTE

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "entries_logged": self.entries_logged,
                "pain": [p.to_dict() for p in self.pain], "adherence": [a.to_dict() for a in self.adherence],
                "self_tests": [s.to_dict() for s in self.self_tests], "load_pain": self.load_pain.to_dict(),
                "flare": self.flare.to_dict() if self.flare else None,
                "changes": [c.to_dict() for c in self.changes], "note": self.note}


def _self_tests(ws: Workspace, runner: str | None) -> list[SelfTestSeries]:
    """Numeric self-test answers (plank times, reach...) over the runner's screenings."""
    try:
        summaries = screening_flow.list_screenings(ws, runner)
    except NotFoundError:
        return []
    tests = {q.id: q for q in screening_flow.questionnaire().questions
             if q.section == "self_tests" and q.type == "number"}
    rows: list[tuple[dt.date, dict[str, tuple[float, str]]]] = []
    for summary in summaries:
        result = screening_flow.get_screening(ws, summary.id)
        values = {q.id: (float(v), q.unit or "") for q in tests.values()
                  if isinstance(v := result.answers.get(q.id), int | float) and not isinstance(v, bool)}
        if values:
            rows.append((result.created_at.date(), values))
    return self_test_series(rows)


def progress(ws: Workspace, runner: str | None, today: dt.date | None = None, *, days: int = 56) -> Progress:
    """Pain trend, weekly adherence, self-tests, load vs next-morning pain, flare, and plan changes."""
    day = today or dt.date.today()
    entries, plan, adaptation = _adaptation(ws, runner, day)
    start = max(min(entries, default=day), day - dt.timedelta(days=days - 1))
    variants: dict[str, set[str]] = {}
    for sid, state in adaptation.exercises.items():
        variants.setdefault(sid, {sid}).add(state.exercise_id)
    for change in adaptation.changes:
        for snap in (change.before, change.after):
            if "exercise_id" in snap:
                variants.setdefault(change.subject, {change.subject}).add(snap["exercise_id"])
    planned = []
    if plan is not None:
        for s in plan.sessions():
            if s.kind in (SessionKind.STRENGTH, SessionKind.PRE_RUN, SessionKind.POST_RUN) and s.exercises:
                ids = {i for e in s.exercises for i in variants.get(e.exercise_id, {e.exercise_id})}
                planned.append((s.date, frozenset(ids)))
    return Progress(
        day=day, pain=tuple(pain_trend(entries, start, day)),
        adherence=tuple(weekly_adherence(planned, entries, day)),
        self_tests=tuple(_self_tests(ws, runner)),
        load_pain=load_vs_next_morning(entries, _run_distances(entries, ws, runner, start, day)),
        flare=detect_flare(entries, day), changes=adaptation.changes, entries_logged=len(entries),
    )
