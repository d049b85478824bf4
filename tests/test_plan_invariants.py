"""Hard rules of the plan generator, checked over thousands of random runner profiles."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backstride.errors import ValidationFailed
from backstride.findings.model import Evidence, EvidenceLevel, Finding, Severity
from backstride.intake.model import (
    Direction,
    Irritability,
    PainProfile,
    RunAdvice,
    ScreeningResult,
    TriageResult,
    TriageTier,
)
from backstride.library.loader import load_library
from backstride.library.model import EQUIPMENT, FINDING_CODES, Contraindication, SpineLoad
from backstride.plan.generate import generate_plan
from backstride.plan.model import AddressedBy, Plan, PlanOptions, PlanStatus, SessionKind
from backstride.plan.schedule import eligible_strength_days

LIBRARY = load_library()
EXTRA_CODES = ["screen.known_spondylolysis", "screen.known_disc_herniation", "screen.something_new",
               "load.brand_new_metric", "other.unheard_of"]
ALL_CODES = sorted(FINDING_CODES) + EXTRA_CODES
NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def finding(code: str, side: str | None = None, severity: Severity = Severity.MODERATE, advice: str = "") -> Finding:
    return Finding(code=code, title=code.split(".", 1)[1].replace("_", " "), severity=severity,
                   explanation="test", evidence=Evidence(EvidenceLevel.LOW, ("nice_ng59",)), side=side, advice=advice)


@st.composite
def screenings(draw: st.DrawFn) -> ScreeningResult:
    # Weighted towards tiers that give a plan, so most examples exercise the generator itself.
    tier = draw(st.sampled_from([TriageTier.SELF_MANAGE] * 4 + [TriageTier.SEE_CLINICIAN] * 3
                                + [TriageTier.URGENT, TriageTier.EMERGENCY]))
    has_pain = draw(st.booleans())
    pain = PainProfile(
        has_pain=has_pain,
        sensitivities=frozenset(draw(st.sets(st.sampled_from(list(Direction))))) if has_pain else frozenset(),
        irritability=draw(st.sampled_from(list(Irritability))) if has_pain else Irritability.LOW,
        nerve_symptoms=draw(st.booleans()) if has_pain else False,
    )
    codes = draw(st.lists(st.sampled_from(ALL_CODES), max_size=12))
    findings = tuple(finding(c, side=draw(st.sampled_from([None, "left", "right"])),
                             severity=draw(st.sampled_from(list(Severity)))) for c in codes)
    triage = TriageResult(tier=tier, reasons=(), what_to_do="see someone" if tier.refers_now else "self-manage",
                          run_advice=draw(st.sampled_from(list(RunAdvice))),
                          red_flags=tuple(draw(st.lists(st.sampled_from(["rf_fever", "rf_weight_loss"]), max_size=1))))
    return ScreeningResult(answers={}, triage=triage, pain=pain, findings=findings, created_at=NOW)


@st.composite
def plan_options(draw: st.DrawFn) -> PlanOptions:
    run_days = tuple(sorted(draw(st.sets(st.integers(0, 6), max_size=7))))
    long_run = draw(st.sampled_from([None, *run_days]))
    hard = tuple(sorted(draw(st.sets(st.sampled_from(run_days)))) if run_days else ())
    return PlanOptions(
        start_date=dt.date(2026, 3, 2) + dt.timedelta(days=draw(st.integers(0, 6))),
        weeks=draw(st.integers(4, 6)), minutes_per_session=draw(st.integers(10, 60)),
        equipment=frozenset(draw(st.sets(st.sampled_from(sorted(EQUIPMENT))))), run_days=run_days,
        long_run_day=long_run, hard_days=hard, strength_sessions_per_week=draw(st.integers(2, 3)),
    )


def runner_flags(s: ScreeningResult) -> set[Contraindication]:
    flags = {Contraindication(f"{d.value}_sensitive") for d in s.pain.sensitivities}
    if s.pain.irritability is Irritability.HIGH:
        flags.add(Contraindication.HIGHLY_IRRITABLE)
    if s.pain.nerve_symptoms:
        flags.add(Contraindication.NERVE_SYMPTOMS)
    if s.triage.red_flags:
        flags.add(Contraindication.AFTER_RED_FLAG)
    if any(f.code == "screen.known_spondylolysis" for f in s.findings):
        flags.add(Contraindication.EXTENSION_SENSITIVE)
    return flags


def check_invariants(plan: Plan, s: ScreeningResult, options: PlanOptions) -> None:
    keys = {(f.code, f.side) for f in s.findings}
    assert {(a.code, a.side) for a in plan.addressed} == keys
    assert len(plan.addressed) == len(keys)
    if s.triage.tier.refers_now:
        assert plan.status is PlanStatus.REFERRAL and plan.referral is not None
        assert not plan.weeks and not plan.strength and not plan.pre_run
        assert all(a.by is AddressedBy.NOT_ADDRESSED and a.reason for a in plan.addressed)
        return
    assert plan.status is PlanStatus.PLAN
    assert plan.requires_clinician_agreement == (s.triage.tier is TriageTier.SEE_CLINICIAN)
    if plan.requires_clinician_agreement:
        assert plan.headline.startswith("Only with your clinician's agreement")
    flags = runner_flags(s)
    sensitive = {SpineLoad(d.value) for d in s.pain.sensitivities}
    in_plan: set[str] = set()
    minutes_s = options.minutes_per_session * 60
    budgets = {SessionKind.STRENGTH: minutes_s, SessionKind.PRE_RUN: min(minutes_s, 8 * 60),
               SessionKind.POST_RUN: min(minutes_s, 10 * 60), SessionKind.DESK: 3 * 60}
    assert len(plan.weeks) == options.weeks
    # Routines last 5-8 min before and 5-10 min after a run (issue 3); none without running days.
    if options.run_days:
        assert 5 * 60 <= sum(e.estimated_s for e in plan.pre_run) <= 8 * 60
        assert 5 * 60 <= sum(e.estimated_s for e in plan.post_run) <= 10 * 60
    else:
        assert not plan.pre_run and not plan.post_run
    strength_days_by_week: dict[int, set[int]] = {}
    for week in plan.weeks:
        assert week.start == options.start_date + dt.timedelta(days=7 * (week.number - 1))
        for session in week.sessions:
            assert week.start <= session.date < week.start + dt.timedelta(days=7)
            if session.kind is SessionKind.RUN:
                assert session.date.weekday() in options.run_days and session.advice
                continue
            assert sum(e.estimated_s for e in session.exercises) <= budgets[session.kind], session.kind
            for pe in session.exercises:
                ex = LIBRARY.get(pe.exercise_id)
                in_plan.add(ex.id)
                assert not (set(ex.contraindications) & flags), (ex.id, flags)
                assert not (set(ex.spine_loading) & sensitive), (ex.id, sensitive)
                assert set(ex.equipment) <= options.equipment, (ex.id, options.equipment)
            if session.kind is SessionKind.STRENGTH:
                strength_days_by_week.setdefault(week.number, set()).add(session.date.weekday())
    keys_days = set(options.hard_days) | ({options.long_run_day} if options.long_run_day is not None else set())
    for days in strength_days_by_week.values():
        assert 2 <= len(days) <= options.strength_sessions_per_week
        for d in days:
            assert d not in keys_days and (d + 1) % 7 not in keys_days
    # Strength doses never fall and climb by at most the weekly increment (+2 reps, +5 s) within the range.
    weekly = [next((x.exercises for x in w.sessions if x.kind is SessionKind.STRENGTH), ()) for w in plan.weeks]
    for before, after in pairwise(weekly):
        for a, b in zip(before, after, strict=True):
            assert a.exercise_id == b.exercise_id and a.dose.sets == b.dose.sets
            assert 0 <= (b.dose.reps or 0) - (a.dose.reps or 0) <= 2
            assert 0 <= (b.dose.hold_s or 0) - (a.dose.hold_s or 0) <= 5
    for cue in plan.form_cues:
        for drill in cue.drill_ids:
            ex = LIBRARY.get(drill)
            assert not (set(ex.contraindications) & flags) and set(ex.equipment) <= options.equipment
            in_plan.add(drill)
    for rule in plan.progression_rules:
        for other in (rule.advance_to, rule.regress_to):
            if other is not None:
                ex = LIBRARY.get(other)
                assert not (set(ex.contraindications) & flags) and set(ex.equipment) <= options.equipment
    for a in plan.addressed:
        if a.by is AddressedBy.EXERCISE:
            assert a.exercise_ids and set(a.exercise_ids) <= in_plan
        elif a.by is AddressedBy.ADVICE:
            assert a.advice
        else:
            assert a.reason
    if s.triage.run_advice is RunAdvice.NO_RUNNING:
        assert all("No running" in x.title for x in plan.sessions() if x.kind is SessionKind.RUN)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(screenings(), plan_options())
def test_invariants_hold_for_random_profiles(s: ScreeningResult, options: PlanOptions) -> None:
    try:
        plan = generate_plan(s, options, LIBRARY)
    except ValidationFailed as exc:
        # The only options a valid-looking profile may be refused for: no room for strength days.
        assert len(eligible_strength_days(options.run_days, options.long_run_day, options.hard_days)) < 2
        assert {p.field for p in exc.problems} == {"run_days"}
        event("refused: no room for strength days")
        return
    event(f"status={plan.status.value}")
    check_invariants(plan, s, options)
    again = generate_plan(s, options, LIBRARY)
    assert again == plan
    assert Plan.from_dict(plan.to_dict()) == plan
