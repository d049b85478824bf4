"""Specific behaviour of the plan generator: referral, schedule, doses, advice, form cues, unknown codes."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.errors import ValidationFailed
from backstride.findings.model import Severity
from backstride.intake.model import (
    Direction,
    Irritability,
    PainProfile,
    RunAdvice,
    ScreeningResult,
    TriageReason,
    TriageResult,
    TriageTier,
)
from backstride.library.loader import load_library
from backstride.library.model import SpineLoad
from backstride.plan.dosage import estimate_s, week_dose
from backstride.plan.generate import generate_plan
from backstride.plan.model import AddressedBy, Dose, PlanOptions, PlanStatus, SessionKind
from backstride.plan.schedule import choose_strength_days, eligible_strength_days
from test_plan_invariants import NOW, finding

LIBRARY = load_library()
HOME = frozenset({"chair", "wall", "step", "towel", "mat"})


def screening(tier: TriageTier = TriageTier.SELF_MANAGE, *, codes: tuple[str, ...] = (),
              pain: PainProfile | None = None, run_advice: RunAdvice = RunAdvice.RUN_AS_PLANNED) -> ScreeningResult:
    reasons = (TriageReason("cauda_equina.saddle_numbness", tier, "You reported numbness in the saddle area.",
                            ("rf_saddle_numbness",), "nice_cks_lbp"),) if tier.refers_now else ()
    triage = TriageResult(tier=tier, reasons=reasons, what_to_do="Go to an emergency department now.",
                          run_advice=run_advice)
    return ScreeningResult(answers={}, triage=triage, pain=pain or PainProfile(has_pain=False),
                           findings=tuple(finding(c) for c in codes), created_at=NOW)


def options(**kw: object) -> PlanOptions:
    base: dict[str, object] = {"start_date": dt.date(2026, 3, 2), "weeks": 4, "minutes_per_session": 20,
                               "equipment": HOME, "run_days": (1, 3, 6), "long_run_day": 6}
    return PlanOptions(**(base | kw))  # type: ignore[arg-type]


def test_emergency_gives_a_referral_not_a_plan() -> None:
    plan = generate_plan(screening(TriageTier.EMERGENCY, codes=("screen.weak_trunk_endurance",)), options(), LIBRARY)
    assert plan.status is PlanStatus.REFERRAL and plan.is_referral
    assert plan.weeks == () and plan.strength == ()
    assert plan.referral is not None and plan.referral.what_to_do.startswith("Go to an emergency")
    assert plan.referral.reasons == ("You reported numbness in the saddle area.",)
    assert plan.addressed[0].by is AddressedBy.NOT_ADDRESSED and "clinician" in plan.addressed[0].reason


def test_see_clinician_needs_agreement() -> None:
    plan = generate_plan(screening(TriageTier.SEE_CLINICIAN), options(), LIBRARY)
    assert plan.requires_clinician_agreement
    assert plan.headline == "Only with your clinician's agreement: your 4-week plan from 2 March 2026."


def test_strength_days_avoid_key_days_and_prefer_rest_days() -> None:
    # Runs Tue, Thu (hard), Sun (long): Wed and Sat are the days before; Mon, Tue, Fri remain.
    assert eligible_strength_days((1, 3, 6), 6, (3,)) == [0, 1, 4]
    assert choose_strength_days(2, (1, 3, 6), 6, (3,)) == (0, 4)
    assert choose_strength_days(3, (1, 3, 6), 6, (3,)) == (0, 1, 4)
    plan = generate_plan(screening(), options(hard_days=(3,)), LIBRARY)
    days = {s.date.weekday() for s in plan.weeks[0].sessions if s.kind is SessionKind.STRENGTH}
    assert days == {0, 4}


def test_schedule_without_room_for_strength_is_refused_with_a_way_out() -> None:
    with pytest.raises(ValidationFailed) as info:
        generate_plan(screening(), options(run_days=tuple(range(7)), hard_days=(1, 3)), LIBRARY)
    problem = info.value.problems[0]
    assert problem.field == "run_days" and "Friday" in problem.message
    assert problem.allowed and "rest day" in problem.allowed


def test_bad_options_list_every_problem() -> None:
    with pytest.raises(ValidationFailed) as info:
        generate_plan(screening(), options(weeks=9, minutes_per_session=3, equipment=frozenset({"jetpack"}),
                                           long_run_day=5), LIBRARY)
    assert {p.field for p in info.value.problems} == {"weeks", "minutes", "equipment", "long_run_day"}


def test_doses_climb_weekly_within_the_range_and_wait_when_irritable() -> None:
    dosage = LIBRARY.get("glute_bridge").dosage[next(iter(LIBRARY.get("glute_bridge").dosage))]
    assert [week_dose(dosage, s).reps for s in range(4)] == [8, 10, 12, 12]
    plan = generate_plan(screening(codes=("screen.weak_trunk_endurance",)), options(), LIBRARY)
    first = next(s for s in plan.weeks[0].sessions if s.kind is SessionKind.STRENGTH).exercises
    last = next(s for s in plan.weeks[-1].sessions if s.kind is SessionKind.STRENGTH).exercises
    assert any((b.dose.reps or 0) > (a.dose.reps or 0) or (b.dose.hold_s or 0) > (a.dose.hold_s or 0)
               for a, b in zip(first, last, strict=True))
    irritable = PainProfile(has_pain=True, irritability=Irritability.HIGH)
    plan = generate_plan(screening(pain=irritable), options(), LIBRARY)
    weeks = [[e.dose for e in s.exercises] for w in plan.weeks for s in w.sessions if s.kind is SessionKind.STRENGTH]
    assert weeks[0] == weeks[2]  # week 1 and week 2 (two sessions a week) hold the starting dose
    assert all(LIBRARY.get(e.exercise_id).difficulty <= 2 for e in plan.strength)


def test_estimate_counts_work_rest_sides_and_setup() -> None:
    # 2 sets x 10 reps x 4 s, both sides, one 30 s rest, 15 s to get set up.
    assert estimate_s(Dose(sets=2, reps=10, rest_s=30, per_side=True)) == 2 * 10 * 4 * 2 + 30 + 15
    assert estimate_s(Dose(sets=3, hold_s=20, rest_s=30)) == 3 * 20 + 2 * 30 + 15


def test_directional_sensitivity_leaves_out_those_movements() -> None:
    pain = PainProfile(has_pain=True, sensitivities=frozenset({Direction.EXTENSION, Direction.ROTATION}))
    plan = generate_plan(screening(codes=("screen.weak_trunk_endurance", "screen.reduced_thoracic_rotation"),
                                   pain=pain), options(equipment=HOME | {"foam_roller", "stability_ball"}), LIBRARY)
    used = {e.exercise_id for s in plan.sessions() for e in s.exercises}
    for ex_id in used:
        assert not {SpineLoad.EXTENSION, SpineLoad.ROTATION} & set(LIBRARY.get(ex_id).spine_loading)
    assert "Left out: exercises that bend the back backwards; twist the back." in plan.notes
    # With nothing but floor space, the only safe upper-back exercises need kit: the reason says which.
    bare = generate_plan(screening(codes=("screen.reduced_thoracic_rotation",), pain=pain),
                         options(equipment=frozenset()), LIBRARY)
    rotation = next(a for a in bare.addressed if a.code == "screen.reduced_thoracic_rotation")
    assert rotation.by is AddressedBy.NOT_ADDRESSED
    assert rotation.reason == "the suitable exercises need equipment you did not list (back_roller, towel)"


def test_equipment_decides_between_variants() -> None:
    codes = ("screen.little_strength_training",)
    bare = generate_plan(screening(codes=codes), options(equipment=frozenset()), LIBRARY)
    assert all(not LIBRARY.get(e.exercise_id).equipment for s in bare.sessions() for e in s.exercises)
    assert bare.strength, "a runner with nothing but floor space still gets a strength session"


def test_load_findings_give_load_advice_and_take_precedence() -> None:
    s = screening(codes=("screen.long_run_spike", "screen.shoe_wear"))
    measured = [finding("load.single_run_spike", severity=Severity.HIGH), finding("load.acwr_high")]
    plan = generate_plan(s, options(), LIBRARY, measured)
    codes = [a.code for a in plan.load_advice]
    assert "load.single_run_spike" in codes and "screen.long_run_spike" not in codes
    assert "screen.shoe_wear" in codes and "general.pain_monitoring" in codes
    assert "general.single_run" not in codes  # already said by the spike advice
    acwr = next(a for a in plan.load_advice if a.code == "load.acwr_high")
    assert "information only" in acwr.text and acwr.source == "lib_impellizzeri_2020"
    spike = next(a for a in plan.load_advice if a.code == "load.single_run_spike")
    assert spike.value == 10 and (spike.unit or "").startswith("%") and spike.source == "lib_frandsen_2025"
    assert {a.code: a.by for a in plan.addressed}["screen.long_run_spike"] is AddressedBy.ADVICE


def test_form_findings_give_cues_with_safe_drills() -> None:
    s = screening(pain=PainProfile(has_pain=True, irritability=Irritability.LOW))
    form = [finding("form.low_cadence"), finding("form.limping"), finding("form.pelvic_drop", side="left")]
    plan = generate_plan(s, options(), LIBRARY, form)
    cues = {c.code: c for c in plan.form_cues}
    assert set(cues) == {"form.low_cadence", "form.limping", "form.pelvic_drop"}
    assert cues["form.low_cadence"].drill_ids == ("marching_drill", "a_skip")
    assert "5%" in cues["form.low_cadence"].cue
    assert "stop and walk home" in cues["form.limping"].cue
    pelvic = next(a for a in plan.addressed if a.code == "form.pelvic_drop")
    assert pelvic.side == "left" and pelvic.by is AddressedBy.EXERCISE


def test_unknown_codes_are_reported_never_dropped() -> None:
    s = screening(codes=("screen.totally_new", "other.thing"))
    plan = generate_plan(s, options(), LIBRARY)
    by_code = {a.code: a for a in plan.addressed}
    assert set(by_code) == {"screen.totally_new", "other.thing"}
    for a in by_code.values():
        assert a.by is AddressedBy.NOT_ADDRESSED
        assert "no exercise or advice for the finding code" in a.reason


def test_progression_rules_cover_every_strength_exercise() -> None:
    plan = generate_plan(screening(codes=("screen.weak_trunk_endurance",)), options(), LIBRARY)
    assert [r.exercise_id for r in plan.progression_rules] == [e.exercise_id for e in plan.strength]
    for r in plan.progression_rules:
        assert r.sessions_at_target == 2 and r.max_pain_during_nrs == 5
        assert "lib_acsm_2009" in r.source


def test_no_running_swaps_runs_for_alternatives() -> None:
    plan = generate_plan(screening(TriageTier.SEE_CLINICIAN, run_advice=RunAdvice.NO_RUNNING),
                         options(equipment=HOME | {"bike"}), LIBRARY)
    runs = [s for s in plan.weeks[0].sessions if s.kind is SessionKind.RUN]
    assert len(runs) == 3
    assert all("easy cycling" in s.advice and "brisk walk" in s.advice for s in runs)


def test_top_of_a_chain_progresses_the_load() -> None:
    plan = generate_plan(screening(codes=("screen.weak_trunk_endurance", "form.crossover")),
                         options(equipment=HOME | {"band", "dumbbell"}), LIBRARY)
    rules = {r.exercise_id: r for r in plan.progression_rules}
    assert "pallof_press" in rules
    assert rules["pallof_press"].advance_to is None
    assert rules["pallof_press"].weekly_increment == (
        "+2 reps a week, +5 s a week up to the target (starting after week 1); "
        "then about +5% load once the target feels solid")
