"""Red-flag triage: every flag alone gives its tier; no red flag can end as self_manage."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.evidence import references
from backstride.intake.model import Direction, Irritability, RunAdvice, TriageTier
from backstride.intake.pattern import pain_profile
from backstride.intake.questionnaire import check_answer, load_questionnaire
from backstride.intake.scores import score_startback
from backstride.intake.screen import screen
from backstride.intake.triage import load_rules
from personas import MILD_PAIN, NO_PAIN

# Each red-flag question and the tier it must produce on its own (with otherwise mild pain).
SINGLE_FLAGS = {
    "rf_saddle_numbness": ("emergency", "cauda_equina.saddle_numbness"),
    "rf_bladder_change": ("emergency", "cauda_equina.bladder"),
    "rf_bowel_change": ("emergency", "cauda_equina.bowel"),
    "rf_sexual_dysfunction": ("emergency", "cauda_equina.sexual_dysfunction"),
    "rf_both_legs": ("emergency", "cauda_equina.bilateral_leg_symptoms"),
    "rf_leg_weakness_progressive": ("urgent", "neurology.progressive_weakness"),
    "rf_widespread_numbness": ("urgent", "neurology.widespread_numbness"),
    "rf_major_trauma": ("urgent", "fracture.major_trauma"),
    "rf_fever": ("urgent", "infection.fever"),
    "rf_iv_drug_use": ("urgent", "infection.iv_drug_use"),
    "rf_immunosuppression": ("urgent", "infection.immunosuppression"),
    "rf_recent_infection": ("urgent", "infection.recent_infection"),
    "rf_cancer_history": ("urgent", "malignancy.cancer_history"),
    "rf_weight_loss": ("see_clinician", "malignancy.weight_loss"),
    "rf_no_improvement_month": ("see_clinician", "malignancy.no_improvement"),
}
RED_FLAG_KEYS = sorted(k for k in MILD_PAIN if k.startswith("rf_"))


@pytest.mark.parametrize("key", sorted(SINGLE_FLAGS))
def test_each_red_flag_alone_gives_its_tier(key: str) -> None:
    tier, code = SINGLE_FLAGS[key]
    result = screen(MILD_PAIN | {key: True})
    assert result.triage.tier.value == tier
    assert code in result.triage.red_flags
    reason = next(r for r in result.triage.reasons if r.code == code)
    assert key in reason.answer_keys and reason.source in references()
    assert result.triage.run_advice in (RunAdvice.NO_RUNNING, RunAdvice.WALK_ONLY)


@pytest.mark.parametrize("key", ["rf_saddle_numbness", "rf_bladder_change", "rf_both_legs"])
def test_cauda_equina_signs_are_an_emergency_even_without_back_pain(key: str) -> None:
    result = screen(NO_PAIN | {key: True})
    assert result.triage.tier is TriageTier.EMERGENCY
    assert result.triage.run_advice is RunAdvice.NO_RUNNING


def test_minor_trauma_alone_is_not_a_flag_but_with_bone_risk_it_is_urgent() -> None:
    assert screen(MILD_PAIN | {"rf_minor_trauma": True}).triage.tier is TriageTier.SELF_MANAGE
    assert screen(MILD_PAIN | {"rf_osteoporosis": True}).triage.tier is TriageTier.SELF_MANAGE
    for risk in ("rf_osteoporosis", "rf_steroid_use"):
        result = screen(MILD_PAIN | {"rf_minor_trauma": True, risk: True})
        assert result.triage.tier is TriageTier.URGENT
        assert result.triage.red_flags[0].startswith("fracture.")


def test_constant_night_pain_and_new_onset_age_are_red_flags() -> None:
    night = screen(MILD_PAIN | {"night_pain": "constant"})
    assert night.triage.red_flags == ("malignancy.constant_night_pain",)
    assert night.triage.tier is TriageTier.SEE_CLINICIAN
    assert night.pain.irritability is Irritability.HIGH
    for age in (51, 18):
        first = screen(MILD_PAIN | {"age_years": age, "previous_back_pain_episodes": 0,
                                    "pain_first_started_age_years": age})
        assert "malignancy.new_onset_age" in first.triage.red_flags
        assert first.triage.tier is TriageTier.SEE_CLINICIAN
    for age in (50, 20):  # the boundaries themselves are not flags
        edge = screen(MILD_PAIN | {"age_years": age, "previous_back_pain_episodes": 0,
                                   "pain_first_started_age_years": age})
        assert edge.triage.red_flags == ()
    # An older runner whose back pain began years ago is not "new onset".
    old = screen(MILD_PAIN | {"age_years": 60, "pain_first_started_age_years": 40})
    assert old.triage.red_flags == ()


def _ng65(features: int) -> dict[str, Any]:
    """Long-standing pain that began at 40 (so 'onset before 35' is absent) with n extra features."""
    extra = [("night_pain", "wakes_second_half"), ("pain_location", ["central", "buttock"]),
             ("ia_nsaid_relief", "yes"), ("ia_family_history", True), ("ia_arthritis", True)]
    base = MILD_PAIN | {"age_years": 42, "pain_first_started_age_years": 40, "pain_duration": "over_12_weeks",
                        "better_with": ["rest"]}
    return base | dict(extra[:features])


def test_ng65_counts_features_and_refers_at_four() -> None:
    codes = {n: [r.code for r in screen(_ng65(n)).triage.reasons] for n in (2, 3, 4, 5)}
    assert "inflammatory.ng65_consider" not in codes[2] and "inflammatory.ng65_refer" not in codes[2]
    assert "inflammatory.ng65_consider" in codes[3]
    assert "inflammatory.ng65_refer" in codes[4] and "inflammatory.ng65_refer" in codes[5]
    assert screen(_ng65(4)).scores["ng65"]["count"] == 4


def test_ng65_needs_over_three_months_and_onset_before_45() -> None:
    short = screen(_ng65(5) | {"pain_duration": "6_to_12_weeks"})
    assert not short.scores["ng65"]["applicable"]
    late = screen(_ng65(5) | {"age_years": 50, "pain_first_started_age_years": 46})
    assert not late.scores["ng65"]["applicable"]
    assert all(not r.code.startswith("inflammatory") for r in late.triage.reasons)
    # NG65 alone is a referral, not a red flag.
    assert screen(_ng65(5)).triage.red_flags == ()


@pytest.mark.parametrize(("items", "total", "distress", "risk"), [
    ([0, 0, 0, 0, 0, 0, 0, 0, 1], 0, 0, "low"),
    ([1, 1, 1, 0, 0, 0, 0, 0, 3], 3, 0, "low"),
    ([1, 1, 1, 1, 0, 0, 0, 0, 3], 4, 0, "medium"),
    ([1, 1, 0, 0, 1, 1, 1, 0, 3], 5, 3, "medium"),
    ([0, 0, 0, 0, 1, 1, 1, 0, 4], 4, 4, "high"),
    ([1, 1, 1, 1, 1, 1, 1, 1, 5], 9, 5, "high"),
])
def test_startback_scoring(items: list[int], total: int, distress: int, risk: str) -> None:
    score = score_startback(items)
    assert (score.total, score.distress, score.risk) == (total, distress, risk)


def test_run_advice_follows_the_pain_monitoring_rules() -> None:
    assert screen(NO_PAIN).triage.run_advice is RunAdvice.RUN_AS_PLANNED
    assert screen(MILD_PAIN | {"pain_during_run": 5}).triage.run_advice is RunAdvice.RUN_EASY
    assert screen(MILD_PAIN | {"pain_during_run": 6}).triage.run_advice is RunAdvice.WALK_ONLY
    assert screen(MILD_PAIN | {"pain_settles_by_morning": "no"}).triage.run_advice is RunAdvice.WALK_ONLY
    limping = screen(MILD_PAIN | {"limping_when_running": True})
    assert limping.triage.run_advice is RunAdvice.WALK_ONLY
    assert limping.triage.tier is TriageTier.SEE_CLINICIAN
    assert screen(MILD_PAIN | {"pain_quality": ["tingling"]}).triage.run_advice is RunAdvice.WALK_ONLY
    rules = " ".join(screen(MILD_PAIN).triage.stop_rules)
    assert "limp" in rules and "5/10" in rules and "extrapolation" in rules and "Achilles" in rules


def test_pain_profile_directions_irritability_and_nerves() -> None:
    prof = pain_profile(MILD_PAIN | {"worse_with": ["bending_forward", "arching_back", "twisting", "sitting"],
                                     "pain_now": 7})
    assert prof.sensitivities == frozenset({Direction.FLEXION, Direction.EXTENSION, Direction.ROTATION})
    assert prof.irritability is Irritability.HIGH
    assert pain_profile(MILD_PAIN | {"pain_worst": 6}).irritability is Irritability.MODERATE
    assert pain_profile(MILD_PAIN).irritability is Irritability.LOW
    assert pain_profile(MILD_PAIN | {"pain_location": ["below_knee"]}).nerve_symptoms
    assert not pain_profile(MILD_PAIN).nerve_symptoms
    assert pain_profile(NO_PAIN).sensitivities == frozenset()


def test_pain_pattern_is_a_description_and_never_imaging_advice() -> None:
    one_sided = screen(MILD_PAIN | {"pain_quality": ["spasm"], "worse_with": ["twisting"]})
    diffuse = screen(MILD_PAIN | {"pain_location": ["central", "both_sides"], "pain_side": "both"})
    assert one_sided.pain.pattern == "one_sided_spasm"
    assert diffuse.pain.pattern == "diffuse_ache"
    for result in (one_sided, diffuse):
        text = result.pain.description.lower()
        assert "not a diagnosis" in text or "no reason for a scan" in text
        assert "x-ray" not in text and "mri" not in text
        assert result.triage.tier is TriageTier.SELF_MANAGE  # the pattern never moves the triage
        assert any("NG59" in n and "x-ray" in n for n in result.notes)


def test_every_red_flag_rule_names_a_known_source_and_an_urgent_enough_tier() -> None:
    qn = load_questionnaire()
    for rule in load_rules().rules:
        assert rule.source in references(), rule.code
        assert all(key in qn for key, _ in rule.when), rule.code
        for key, wanted in rule.when:  # a typo in a rule's value would silently never fire
            for w in wanted:
                _, problem = check_answer(key, [w] if qn.question(key).type == "multi" else w)
                assert problem is None, (rule.code, key, w)
        if rule.red_flag:
            assert rule.tier is not TriageTier.SELF_MANAGE


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flags=st.sets(st.sampled_from(RED_FLAG_KEYS), min_size=1),
    base=st.sampled_from([MILD_PAIN, NO_PAIN]),
    pain_now=st.integers(0, 10),
    during=st.one_of(st.none(), st.integers(0, 10)),
    duration=st.sampled_from(["under_6_weeks", "6_to_12_weeks", "over_12_weeks"]),
    worse=st.lists(st.sampled_from(["uphill", "downhill", "sitting", "bending_forward", "twisting"]), unique=True),
    night=st.sampled_from(["none", "turning", "wakes_second_half", "constant"]),
    age=st.integers(16, 100),
    first_episode=st.booleans(),
)
def test_no_combination_with_a_red_flag_is_self_managed(
    flags: set[str], base: dict[str, Any], pain_now: int, during: int | None, duration: str, worse: list[str],
    night: str, age: int, first_episode: bool,
) -> None:
    answers = dict(base) | {k: True for k in flags} | {"age_years": age}
    if base is MILD_PAIN:
        answers |= {"pain_now": pain_now, "pain_during_run": during, "pain_duration": duration, "worse_with": worse,
                    "night_pain": night, "previous_back_pain_episodes": 0 if first_episode else 2,
                    "pain_first_started_age_years": age if first_episode else None}
    # Minor trauma, osteoporosis and steroids are flags only together; make sure one real flag is present.
    if flags <= {"rf_minor_trauma", "rf_osteoporosis", "rf_steroid_use"}:
        answers |= {"rf_minor_trauma": True, "rf_osteoporosis": True}
    result = screen(answers)
    assert result.triage.red_flags
    assert result.triage.tier is not TriageTier.SELF_MANAGE
    assert result.triage.run_advice is not RunAdvice.RUN_AS_PLANNED
    assert result.triage.run_advice is not RunAdvice.RUN_EASY
