"""Turn a screening (plus any load and form findings) and the runner's schedule into a plan.

Pure and deterministic: the same inputs always give the same plan (every choice is sorted and
tie-broken by id). Hard rules, each tested over thousands of random profiles:

- triage ``emergency``/``urgent`` gives a referral, never exercises; ``see_clinician`` marks
  the plan as needing the clinician's agreement;
- no exercise contraindicated by the runner's sensitivities, irritability, nerve symptoms or a
  red flag; only the equipment the runner has;
- every session fits its time budget at the heaviest dose of the block;
- every finding is addressed by an exercise, by advice, or with the reason it is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from backstride.errors import Problem, ValidationFailed
from backstride.evidence import threshold
from backstride.findings.codes import is_registered
from backstride.findings.model import EvidenceLevel, Finding
from backstride.intake.model import Direction, Irritability, RunAdvice, ScreeningResult, TriageTier
from backstride.library.loader import Library
from backstride.library.model import EQUIPMENT, Contraindication, Exercise, Level, Routine
from backstride.plan.advice import AdviceEntry, advice_catalogue, general_load_advice
from backstride.plan.dosage import dosage_for, estimate_s, target_text, top_dose, week_dose
from backstride.plan.model import (
    AddressedBy,
    AddressedFinding,
    Dose,
    FormCue,
    LoadAdvice,
    Plan,
    PlanOptions,
    PlanStatus,
    PlanWeek,
    PrescribedExercise,
    ProgressionRule,
    Referral,
    ScheduledSession,
    SessionKind,
)
from backstride.plan.schedule import choose_strength_days, day_names, eligible_strength_days

_EVIDENCE_RANK = {EvidenceLevel.HIGH: 5, EvidenceLevel.MODERATE: 4, EvidenceLevel.LOW: 3,
                  EvidenceLevel.VERY_LOW: 2, EvidenceLevel.EXPERT_OPINION: 1, EvidenceLevel.NONE: 0}
_DIRECTION_FLAG = {Direction.FLEXION: Contraindication.FLEXION_SENSITIVE,
                   Direction.EXTENSION: Contraindication.EXTENSION_SENSITIVE,
                   Direction.ROTATION: Contraindication.ROTATION_SENSITIVE}
_FLAG_WORDS = {Contraindication.FLEXION_SENSITIVE: "bend the back forwards",
               Contraindication.EXTENSION_SENSITIVE: "bend the back backwards",
               Contraindication.ROTATION_SENSITIVE: "twist the back",
               Contraindication.HIGHLY_IRRITABLE: "are too demanding for a very irritable back",
               Contraindication.NERVE_SYMPTOMS: "may stretch or press on irritated nerves",
               Contraindication.AFTER_RED_FLAG: "should wait until a clinician has checked the red flag"}
# Codes the strength session falls back on when the runner's own findings leave room: general
# trunk and hip work, because exercise of almost any kind helps backs (Hayden 2021).
_GENERAL_STRENGTH = ("screen.weak_trunk_endurance", "screen.weak_hip_abductors", "screen.little_strength_training")
_GENERAL_PRE = ("screen.hip_flexor_tightness", "screen.weak_hip_abductors", "form.low_cadence",
                "screen.weak_trunk_endurance", "screen.hamstring_tightness")
_GENERAL_POST = ("screen.hip_flexor_tightness", "screen.hamstring_tightness", "screen.reduced_thoracic_rotation",
                 "screen.asymmetry", "form.overstride", "screen.prolonged_sitting")
_GENERAL_DESK = ("screen.prolonged_sitting", "screen.inactivity", "form.head_forward")
_LOADABLE = frozenset({"dumbbell", "kettlebell", "barbell", "band"})
_SPECIAL_FLAGS = {"screen.known_spondylolysis": Contraindication.EXTENSION_SENSITIVE}


@dataclass(frozen=True)
class RunnerProfile:
    """What the screening means for exercise choice and dose."""

    contraindications: frozenset[Contraindication]
    level: Level
    difficulty_cap: int
    target_difficulty: int
    hold_delay_weeks: int

    @classmethod
    def from_screening(cls, screening: ScreeningResult, findings: Sequence[Finding]) -> RunnerProfile:
        pain = screening.pain
        flags = {_DIRECTION_FLAG[d] for d in pain.sensitivities}
        flags |= {_SPECIAL_FLAGS[f.code] for f in findings if f.code in _SPECIAL_FLAGS}
        if pain.irritability is Irritability.HIGH:
            flags.add(Contraindication.HIGHLY_IRRITABLE)
        if pain.nerve_symptoms:
            flags.add(Contraindication.NERVE_SYMPTOMS)
        if screening.triage.has_red_flag:
            flags.add(Contraindication.AFTER_RED_FLAG)
        codes = {f.code for f in findings}
        irritable = pain.has_pain and pain.irritability is not Irritability.LOW
        beginner = (irritable or screening.triage.tier is TriageTier.SEE_CLINICIAN
                    or bool(codes & {"screen.little_strength_training", "screen.inactivity"}))
        if pain.irritability is Irritability.HIGH:
            cap, target = 2, 1
        elif pain.has_pain or pain.irritability is Irritability.MODERATE:
            cap, target = 3, 2
        else:
            cap, target = 4, 2 if beginner else 3
        delay = int(threshold("plan.hold_delay_weeks_high_irritability").value) \
            if pain.irritability is Irritability.HIGH else 0
        return cls(frozenset(flags), Level.BEGINNER if beginner else Level.INTERMEDIATE, cap, target, delay)


def validate_options(options: PlanOptions) -> None:
    """Reject impossible schedules and preferences, listing every problem."""
    problems: list[Problem] = []
    lo, hi = int(threshold("plan.weeks_min").value), int(threshold("plan.weeks_max").value)
    if not lo <= options.weeks <= hi:
        problems.append(Problem("weeks", f"{options.weeks} is outside {lo}-{hi}", f"{lo}-{hi}"))
    mlo = int(threshold("plan.minutes_per_session_min").value)
    mhi = int(threshold("plan.minutes_per_session_max").value)
    if not mlo <= options.minutes_per_session <= mhi:
        problems.append(Problem("minutes", f"{options.minutes_per_session} min is outside {mlo}-{mhi}", f"{mlo}-{mhi}"))
    unknown = sorted(set(options.equipment) - set(EQUIPMENT))
    if unknown:
        problems.append(Problem("equipment", f"unknown item(s): {', '.join(unknown)}", ", ".join(sorted(EQUIPMENT))))
    days = list(options.run_days) + list(options.hard_days) + list(options.work_days) + \
        ([options.long_run_day] if options.long_run_day is not None else [])
    if any(not 0 <= d <= 6 for d in days):
        problems.append(Problem("run_days", "weekdays must be 0 (Monday) to 6 (Sunday)"))
    if len(set(options.run_days)) != len(options.run_days):
        problems.append(Problem("run_days", "a day is listed twice"))
    if options.long_run_day is not None and options.long_run_day not in options.run_days:
        problems.append(Problem("long_run_day", "must be one of the running days"))
    if not set(options.hard_days) <= set(options.run_days):
        problems.append(Problem("hard_days", "must be running days"))
    slo, shi = int(threshold("plan.strength_sessions_min").value), int(threshold("plan.strength_sessions_max").value)
    if not slo <= options.strength_sessions_per_week <= shi:
        problems.append(Problem("strength_sessions_per_week", f"must be {slo}-{shi}", f"{slo}-{shi}"))
    if not problems:
        allowed = eligible_strength_days(options.run_days, options.long_run_day, options.hard_days)
        if len(allowed) < slo:
            problems.append(Problem(
                "run_days", f"strength sessions go on easy or rest days that are not the long-run or a hard day, "
                f"nor the day before one; this week allows only: {day_names(allowed)}",
                f"free at least {slo} such days, e.g. make one hard day easy or add a rest day"))
    if problems:
        raise ValidationFailed("plan options", problems)


class _Chooser:
    """Picks exercises for one routine within a time budget."""

    def __init__(self, library: Library, profile: RunnerProfile, options: PlanOptions, codes: Sequence[str]) -> None:
        self.library = library
        self.profile = profile
        self.options = options
        self.codes = list(codes)
        self.code_set = set(codes)
        self.used_chains: set[str] = set()

    def allowed(self, ex: Exercise) -> bool:
        return (not (set(ex.contraindications) & self.profile.contraindications)
                and set(ex.equipment) <= self.options.equipment
                and ex.difficulty <= self.profile.difficulty_cap)

    def why_not(self, code: str) -> str:
        """Plain reason no exercise could be placed for ``code``."""
        targeting = [e for e in self.library if code in e.addresses]
        if not targeting:
            return "no exercise in the library targets this"
        safe = [e for e in targeting if not (set(e.contraindications) & self.profile.contraindications)]
        if not safe:
            flags = sorted({c for e in targeting for c in e.contraindications} & self.profile.contraindications)
            return ("the exercises that target it " + " or ".join(_FLAG_WORDS[f] for f in flags)
                    + ", which your screening says to avoid for now")
        equipped = [e for e in safe if set(e.equipment) <= self.options.equipment]
        if not equipped:
            need = sorted({item for e in safe for item in e.equipment} - self.options.equipment)
            return f"the suitable exercises need equipment you did not list ({', '.join(need)})"
        if not [e for e in equipped if e.difficulty <= self.profile.difficulty_cap]:
            return "the exercises that target it are too demanding for your back right now"
        return f"no suitable exercise fitted into your {self.options.minutes_per_session}-minute sessions"

    def _score(self, ex: Exercise) -> tuple[float, int, int, str]:
        over = ex.difficulty - self.profile.target_difficulty
        penalty = abs(over) + (0.5 if over > 0 else 0.0)
        hits = len(set(ex.addresses) & self.code_set)
        return (penalty, -hits, -_EVIDENCE_RANK[ex.evidence.level], ex.id)

    def choose(self, routine: Routine, budget_s: int, general: Sequence[str], *,
               planning_weeks: int) -> list[tuple[Exercise, Level, int]]:
        """(exercise, dose level, seconds at the heaviest week) in the order they are done."""
        chosen: list[tuple[Exercise, Level, int]] = []
        spent = 0
        pool = sorted((e for e in self.library if routine in e.routines and self.allowed(e)), key=self._score)
        progressive = routine is Routine.STRENGTH

        def seconds(ex: Exercise) -> tuple[Level, int]:
            level, dosage = dosage_for(ex, self.profile.level if progressive else Level.BEGINNER)
            steps = max(0, planning_weeks - 1 - self.profile.hold_delay_weeks) if progressive else 0
            return level, estimate_s(week_dose(dosage, steps))

        def try_code(code: str, *, evidence_floor: int) -> None:
            nonlocal spent
            for ex in pool:
                if len(chosen) >= _max_exercises(routine):
                    return
                if code not in ex.addresses or _EVIDENCE_RANK[ex.evidence.level] < evidence_floor:
                    continue
                root = self.library.chain(ex.id)[0]
                if root in self.used_chains or any(ex.id == c[0].id for c in chosen):
                    continue
                level, secs = seconds(ex)
                if spent + secs > budget_s:
                    continue
                chosen.append((ex, level, secs))
                self.used_chains.add(root)
                spent += secs
                return

        for code in self.codes:
            try_code(code, evidence_floor=0)
        # Fill the rest of the budget with general work that has at least some evidence or convention;
        # several passes so a roomy budget gets more than one exercise per general goal.
        for _ in range(3):
            for code in general:
                try_code(code, evidence_floor=1)
        return chosen


def _prescribe(ex: Exercise, level: Level, dose: Dose, codes: set[str], note: str = "") -> PrescribedExercise:
    return PrescribedExercise(exercise_id=ex.id, name=ex.name, dose=dose, level=level.value,
                              estimated_s=estimate_s(dose), addresses=tuple(sorted(set(ex.addresses) & codes)),
                              note=note)


def _max_exercises(routine: Routine) -> int:
    """Most exercises in one routine (``plan.max_exercises_<routine>``)."""
    return int(threshold(f"plan.max_exercises_{routine.value}").value)


def _fill_to_minimum(items: tuple[PrescribedExercise, ...], min_s: int, max_s: int) -> tuple[PrescribedExercise, ...]:
    """Add a set at a time (a second round) until the routine reaches its shortest useful length.

    Few exercises may suit a runner (sensitivities, little equipment); repeating them is better
    than a routine too short to warm up. Never past ``max_s`` nor beyond 3 sets of anything.
    """
    out = list(items)
    total = sum(e.estimated_s for e in out)
    changed = True
    while total < min_s and changed:
        changed = False
        for i, pe in enumerate(out):
            if total >= min_s or pe.dose.sets >= threshold("plan.max_routine_sets").value:
                continue
            dose = replace(pe.dose, sets=pe.dose.sets + 1)
            secs = estimate_s(dose)
            if total - pe.estimated_s + secs <= max_s:
                total += secs - pe.estimated_s
                out[i] = pe.with_dose(dose, secs)
                changed = True
    return tuple(out)


def _ordered_findings(findings: Iterable[Finding]) -> list[Finding]:
    unique: dict[tuple[str, str | None], Finding] = {}
    for f in sorted(findings, key=lambda f: (-f.severity.rank, f.code, f.side or "")):
        unique.setdefault((f.code, f.side), f)
    return list(unique.values())


def _stop_rules(screening: ScreeningResult) -> tuple[str, ...]:
    pain = threshold("pain_acceptable_during_activity")
    exercise_rule = (f"Stop an exercise if pain goes above {pain.value:g}/10 during it, and do the easier version "
                     "next time.")
    if screening.triage.stop_rules:
        # Screening already words the running stop rules; add only the one about exercises.
        return (*screening.triage.stop_rules, exercise_rule)
    return (
        exercise_rule,
        f"Stop a run if pain goes above {pain.value:g}/10, or if you start to limp; walk home.",
        "Stop and contact a clinician if you get new numbness, tingling or weakness in a leg.",
        "Seek urgent care for numbness around the saddle area, or new trouble passing or holding urine or stool.",
    )


def _referral(screening: ScreeningResult, options: PlanOptions, findings: list[Finding]) -> Plan:
    tier = screening.triage.tier
    words = {"emergency": "needs emergency care", "urgent": "needs a doctor today"}.get(tier.value,
                                                                                     "needs a clinician first")
    reason = f"not planned: your screening {words}, so a clinician should assess you before any exercise plan"
    return Plan(
        status=PlanStatus.REFERRAL, options=options, triage_tier=tier.value, requires_clinician_agreement=True,
        headline="No exercise plan for now: please get medical help first.",
        referral=Referral(tier=tier.value, what_to_do=screening.triage.what_to_do,
                          reasons=tuple(r.message for r in screening.triage.reasons)),
        addressed=tuple(AddressedFinding(f.code, f.title, AddressedBy.NOT_ADDRESSED, reason=reason, side=f.side)
                        for f in findings),
        stop_rules=(),  # self-management stop rules have no place next to "get help now"
        notes=("backstride does not diagnose. This referral comes from your answers to the red-flag questions.",),
    )


def _run_session(day: dt.date, weekday: int, options: PlanOptions, advice: RunAdvice,
                 alternatives: list[str]) -> ScheduledSession:
    spike = threshold("plan.single_run_increase_max_pct").value
    pain = threshold("pain_acceptable_during_activity").value
    rule = f"Keep it within {spike:g}% of your longest run in the past 30 days; pain at most {pain:g}/10."
    is_long = weekday == options.long_run_day
    is_hard = weekday in options.hard_days
    alt = ", ".join(alternatives) or "walking"
    if advice is RunAdvice.NO_RUNNING:
        return ScheduledSession(day, SessionKind.RUN, "No running for now: low-impact alternative",
                                advice=f"Your screening advises no running yet. Instead: {alt}, at an easy effort.")
    if advice is RunAdvice.WALK_ONLY:
        return ScheduledSession(day, SessionKind.RUN, "Walk instead of running",
                                advice=f"Walk at a comfortable, brisk pace; a low-impact alternative ({alt}) is fine too.")
    if advice is RunAdvice.RUN_EASY:
        title = "Long run, kept easy" if is_long else ("Easy run instead of the hard session" if is_hard else "Easy run")
        return ScheduledSession(day, SessionKind.RUN, title,
                                advice=f"Easy effort only for now (you can talk in full sentences). {rule}")
    title = "Long run" if is_long else ("Hard session" if is_hard else "Easy run")
    return ScheduledSession(day, SessionKind.RUN, title, advice=rule)


def generate_plan(screening: ScreeningResult, options: PlanOptions, library: Library,
                  extra_findings: Sequence[Finding] = ()) -> Plan:
    """The plan for one runner. Raises :class:`ValidationFailed` for impossible options."""
    validate_options(options)
    findings = _ordered_findings((*screening.findings, *extra_findings))
    if screening.triage.tier.refers_now:
        return _referral(screening, options, findings)
    profile = RunnerProfile.from_screening(screening, findings)
    codes = [f.code for f in findings]
    code_set = set(codes)
    chooser = _Chooser(library, profile, options, codes)
    minutes_s = options.minutes_per_session * 60
    pre_budget = min(minutes_s, int(threshold("plan.pre_run_max_min").value * 60))
    post_budget = min(minutes_s, int(threshold("plan.post_run_max_min").value * 60))
    desk_budget = int(threshold("plan.desk_break_max_min").value * 60)
    weeks = options.weeks

    strength_pick = chooser.choose(Routine.STRENGTH, minutes_s, _GENERAL_STRENGTH, planning_weeks=weeks)
    pre_pick = chooser.choose(Routine.PRE_RUN, pre_budget, _GENERAL_PRE, planning_weeks=weeks)
    post_pick = chooser.choose(Routine.POST_RUN, post_budget, _GENERAL_POST, planning_weeks=weeks)
    wants_desk = "screen.prolonged_sitting" in code_set
    desk_pick = chooser.choose(Routine.DESK, desk_budget, _GENERAL_DESK, planning_weeks=weeks) if wants_desk else []

    strength_days = choose_strength_days(options.strength_sessions_per_week, options.run_days,
                                         options.long_run_day, options.hard_days)
    n_strength = len(strength_days)

    def static(pick: list[tuple[Exercise, Level, int]], per_week: int | None) -> tuple[PrescribedExercise, ...]:
        # Warm-ups, cool-downs and desk breaks stay at the gentle beginner dose: they prepare and
        # relieve, the strength sessions are where the dose grows.
        out = []
        for ex, _, _ in pick:
            lvl, dosage = dosage_for(ex, Level.BEGINNER)
            out.append(_prescribe(ex, lvl, week_dose(dosage, 0, sessions_per_week=per_week), code_set))
        return tuple(out)

    # Routines that are never scheduled (no running days, no work days) are left out entirely.
    n_run = len(options.run_days)
    pre_min = int(threshold("plan.pre_run_min_min").value * 60)
    post_min = int(threshold("plan.post_run_min_min").value * 60)
    pre_run = _fill_to_minimum(static(pre_pick, n_run), pre_min, pre_budget) if n_run else ()
    post_run = _fill_to_minimum(static(post_pick, n_run), post_min, post_budget) if n_run else ()
    desk = static(desk_pick, len(options.work_days)) if options.work_days else ()

    def strength_week(week: int) -> tuple[PrescribedExercise, ...]:
        steps = max(0, week - 1 - profile.hold_delay_weeks)
        return tuple(_prescribe(ex, lvl, week_dose(dosage_for(ex, lvl)[1], steps, sessions_per_week=n_strength),
                                code_set) for ex, lvl, _ in strength_pick)

    alternatives = [e.name.lower() for e in library.query(routine=Routine.CROSS_TRAINING) if chooser.allowed(e)]
    no_run = screening.triage.run_advice in (RunAdvice.NO_RUNNING, RunAdvice.WALK_ONLY)
    activity = "walk or cross-train" if no_run else "run"
    plan_weeks = []
    for w in range(1, weeks + 1):
        week_start = options.start_date + dt.timedelta(days=7 * (w - 1))
        sessions: list[ScheduledSession] = []
        strength_today = strength_week(w)
        for offset in range(7):
            day = week_start + dt.timedelta(days=offset)
            wd = day.weekday()
            if desk and wd in options.work_days:
                sessions.append(ScheduledSession(day, SessionKind.DESK, "Desk breaks", desk,
                                                 advice="Take one break at least every hour you sit; pick one or two "
                                                        "exercises each time."))
            if wd in options.run_days:
                if pre_run:
                    sessions.append(ScheduledSession(day, SessionKind.PRE_RUN, f"Before you {activity}", pre_run))
                sessions.append(_run_session(day, wd, options, screening.triage.run_advice, alternatives))
                if post_run:
                    sessions.append(ScheduledSession(day, SessionKind.POST_RUN, f"After you {activity}", post_run))
            if wd in strength_days and strength_today:
                sessions.append(ScheduledSession(day, SessionKind.STRENGTH, "Strength and control", strength_today))
        focus = _week_focus(w, profile)
        plan_weeks.append(PlanWeek(number=w, start=week_start, focus=focus, sessions=tuple(sessions)))

    rules = _progression_rules(strength_pick, library, chooser, profile)
    catalogue = advice_catalogue()
    load_advice, form_cues = _advice(findings, catalogue, library, chooser)
    in_plan: dict[str, set[str]] = {}
    for pe in (*strength_week(1), *pre_run, *post_run, *desk):
        for c in pe.addresses:
            in_plan.setdefault(c, set()).add(pe.exercise_id)
    for cue in form_cues:
        in_plan.setdefault(cue.code, set()).update(cue.drill_ids)
    addressed = tuple(_address(f, in_plan, catalogue, chooser, strength_days) for f in findings)

    tier = screening.triage.tier
    needs_ok = tier is TriageTier.SEE_CLINICIAN
    head = f"Your {weeks}-week plan from {options.start_date.day} {options.start_date:%B %Y}"
    if needs_ok:
        head = "Only with your clinician's agreement: " + head[0].lower() + head[1:]
    return Plan(
        status=PlanStatus.PLAN, options=options, triage_tier=tier.value, requires_clinician_agreement=needs_ok,
        headline=head + ".", weeks=tuple(plan_weeks), pre_run=pre_run, post_run=post_run,
        strength=strength_week(1), desk=desk, progression_rules=rules, load_advice=load_advice,
        form_cues=form_cues, addressed=addressed, stop_rules=_stop_rules(screening),
        notes=_notes(screening, profile, options, strength_days),
    )


def _week_focus(week: int, profile: RunnerProfile) -> str:
    if week <= 1 + profile.hold_delay_weeks:
        return "Learn the movements at the starting dose; note how your back feels the next morning."
    return "Add a little each week (a couple of reps or a few seconds) while pain stays within the rules."


def _progression_rules(pick: list[tuple[Exercise, Level, int]], library: Library, chooser: _Chooser,
                       profile: RunnerProfile) -> tuple[ProgressionRule, ...]:
    reps_inc = int(threshold("plan.reps_increment_per_week").value)
    hold_inc = int(threshold("plan.hold_increment_per_week_s").value)
    at_target = int(threshold("plan.sessions_at_target").value)
    pain = int(threshold("pain_acceptable_during_activity").value)
    load_inc = threshold("plan.load_increment_pct").value
    out = []
    for ex, lvl, _ in pick:
        dosage = dosage_for(ex, lvl)[1]
        parts = []
        if dosage.reps is not None:
            parts.append(f"+{reps_inc} reps a week")
        if dosage.hold_s is not None:
            parts.append(f"+{hold_inc} s a week")
        nxt = ex.progression if ex.progression and chooser.allowed(library.get(ex.progression)) else None
        prev = ex.regression if ex.regression and chooser.allowed(library.get(ex.regression)) else None
        if nxt is None and set(ex.equipment) & _LOADABLE:
            # No harder exercise to move to: progress the load instead (ACSM: 2-10% once the top is managed).
            then = f"; then about +{load_inc:g}% load once the target feels solid"
        else:
            then = ""
        out.append(ProgressionRule(
            exercise_id=ex.id, target=target_text(top_dose(dosage)), advance_to=nxt, regress_to=prev,
            sessions_at_target=at_target, max_pain_during_nrs=pain,
            weekly_increment=", ".join(parts) + f" up to the target (starting after week {1 + profile.hold_delay_weeks})"
            + then,
            source="lib_acsm_2009,lib_neason_2024,silbernagel_2007"))
    return tuple(out)


def _advice(findings: list[Finding], catalogue: dict[str, AdviceEntry], library: Library,
            chooser: _Chooser) -> tuple[tuple[LoadAdvice, ...], tuple[FormCue, ...]]:
    load: list[LoadAdvice] = []
    cues: list[FormCue] = []
    has_load_findings = any(f.domain == "load" for f in findings)
    seen: set[str] = set()
    for f in findings:
        entry = catalogue.get(f.code)
        if f.code in seen:
            continue
        seen.add(f.code)
        # Measured load findings win over the questionnaire's estimate of the same thing.
        if entry is None or (has_load_findings and f.domain == "screen" and entry.kind == "load"
                             and f.code in ("screen.mileage_jump", "screen.long_run_spike")):
            if entry is None and f.domain == "load" and f.advice:
                load.append(LoadAdvice(f.code, f.advice, (f.evidence.reference_ids or ("lib_clinical_convention",))[0]))
            continue
        if entry.kind == "load":
            load.append(LoadAdvice(f.code, entry.text, entry.source, entry.value, entry.unit))
        elif entry.kind == "form":
            drills = tuple(d for d in entry.drills if d in library and chooser.allowed(library.get(d)))
            cues.append(FormCue(f.code, entry.text, drills, entry.source))
    said = {a.text for a in load}
    spike_said = any(a.code in ("screen.long_run_spike", "load.single_run_spike") for a in load)
    for code, entry in general_load_advice():
        if entry.text in said or (code == "general.single_run" and spike_said):
            continue
        load.append(LoadAdvice(code, entry.text, entry.source, entry.value, entry.unit))
    return tuple(load), tuple(cues)


def _address(f: Finding, in_plan: dict[str, set[str]], catalogue: dict[str, AdviceEntry],
             chooser: _Chooser, strength_days: tuple[int, ...]) -> AddressedFinding:
    ids = tuple(sorted(in_plan.get(f.code, ())))
    entry = catalogue.get(f.code)
    advice = entry.text if entry else (f.advice or "")
    if ids:
        return AddressedFinding(f.code, f.title, AddressedBy.EXERCISE, ids, advice, side=f.side)
    why = chooser.why_not(f.code)
    if advice:
        return AddressedFinding(f.code, f.title, AddressedBy.ADVICE, (), advice, reason=f"no exercise: {why}",
                                side=f.side)
    if not f.code.startswith(("screen.", "load.", "form.")) or not is_registered(f.code):
        why = (f"backstride has no exercise or advice for the finding code '{f.code}'; "
               "please ask your clinician how it should change your training")
    return AddressedFinding(f.code, f.title, AddressedBy.NOT_ADDRESSED, reason=why, side=f.side)


def _notes(screening: ScreeningResult, profile: RunnerProfile, options: PlanOptions,
           strength_days: tuple[int, ...]) -> tuple[str, ...]:
    notes = ["backstride does not diagnose. This plan is general self-management advice built from your answers."]
    avoided = [f for f in sorted(profile.contraindications) if f in _FLAG_WORDS]
    if avoided:
        notes.append("Left out: exercises that " + "; ".join(_FLAG_WORDS[f] for f in avoided) + ".")
    kit = ", ".join(sorted(options.equipment)) or "nothing but floor space"
    notes.append(f"Uses only the equipment you listed: {kit}.")
    notes.append(f"Strength sessions on {day_names(strength_days)}: easy or rest days, never the long-run or a hard "
                 "day nor the day before one.")
    if len(strength_days) < options.strength_sessions_per_week:
        notes.append(f"You asked for {options.strength_sessions_per_week} strength sessions a week; your schedule "
                     f"allows {len(strength_days)}.")
    if screening.triage.run_advice in (RunAdvice.NO_RUNNING, RunAdvice.WALK_ONLY):
        notes.append("Your screening advises against running for now, so your running days hold a walk or a "
                     "low-impact alternative. Screen again when things change.")
    if screening.triage.tier is TriageTier.SEE_CLINICIAN:
        notes.append("Your screening suggests seeing a clinician. Show them this plan and start it only with "
                     "their agreement.")
    notes.append("Progress, hold or step back using the pain-monitoring rules; they come from tendon research and "
                 "their use for backs is an extrapolation.")
    return tuple(notes)
