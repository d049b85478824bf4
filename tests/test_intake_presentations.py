"""Round-2 screening: the new presentation classes, the stop at a deciding answer, and honest texts.

Each new rule is checked alone (on top of a mild, otherwise harmless back pain), then the two
invariants: an emergency or urgent answer never ends as self-management, and once the deciding
answer is given, later answers do not change the result.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.errors import ValidationFailed
from backstride.evidence import references, threshold
from backstride.intake.model import RunAdvice, TriageTier
from backstride.intake.pattern import pain_profile
from backstride.intake.questionnaire import Question, load_questionnaire
from backstride.intake.scores import score_ng65
from backstride.intake.screen import screen
from backstride.intake.triage import deciding_answer, load_rules
from personas import MILD_PAIN, NO_PAIN

# (answers added to MILD_PAIN, expected tier, reason code that must be present, run advice or None)
NEW_RULES: dict[str, tuple[dict[str, Any], str, str, str | None]] = {
    "femoral neck stress fracture": ({"bsi_groin_pain_weight_bearing": True}, "urgent",
                                     "bone_stress.femoral_neck", "no_running"),
    "bony spot": ({"bsi_bony_spot": True}, "see_clinician", "bone_stress.symptoms", "no_running"),
    "pain with every step": ({"bsi_pain_every_step": True}, "see_clinician", "bone_stress.symptoms", "no_running"),
    "hop pain": ({"bsi_hop_pain": True}, "see_clinician", "bone_stress.symptoms", "no_running"),
    "bone pain at rest": ({"bsi_rest_pain": True}, "see_clinician", "bone_stress.symptoms", "no_running"),
    "load rise with missed periods": ({"sex": "female", "reds_periods": "missed", "weekly_distance_km": 50,
                                       "weekly_distance_4wk_ago_km": 48, "weekly_distance_3mo_ago_km": 20},
                                      "see_clinician", "bone_stress.load_and_risk", "no_running"),
    "missed periods alone": ({"sex": "female", "reds_periods": "missed"}, "see_clinician", "red_s.signs", None),
    "restrictive eating": ({"reds_restrictive_eating": True}, "see_clinician", "red_s.signs", None),
    "low bone density": ({"reds_low_bone_density": True}, "see_clinician", "red_s.signs", None),
    "earlier high-risk stress fracture": ({"bsi_previous_stress_fracture": "high_risk_or_several"},
                                          "see_clinician", "red_s.signs", None),
    "low BMI in an adult": ({"height_cm": 175, "weight_kg": 52}, "see_clinician", "red_s.signs", None),
    "adolescent extension pain": ({"age_years": 17, "previous_back_pain_episodes": 4,
                                   "pain_first_started_age_years": 15, "worse_with": ["arching_back"]},
                                  "see_clinician", "adolescent.extension_pain", None),
    "non-mechanical pain": ({"pain_constant": True}, "see_clinician", "malignancy.non_mechanical", None),
    "unsteady walking": ({"rf_unsteady_walking": True}, "urgent", "neurology.unsteady_walking", "no_running"),
    "hip": ({"pain_location": ["hip"]}, "see_clinician", "hip.location", None),
    "groin": ({"pain_location": ["groin"]}, "see_clinician", "hip.location", None),
    "significant weight loss": ({"weight_kg": 60, "rf_weight_loss": True, "rf_weight_loss_kg": 5,
                                 "rf_weight_loss_months": 3}, "see_clinician", "malignancy.weight_loss", None),
    "weight loss of unknown amount": ({"rf_weight_loss": True}, "see_clinician", "malignancy.weight_loss", None),
}


@pytest.mark.parametrize("name", sorted(NEW_RULES))
def test_each_new_rule_alone_gives_its_tier(name: str) -> None:
    extra, tier, code, advice = NEW_RULES[name]
    assert screen(MILD_PAIN).triage.tier is TriageTier.SELF_MANAGE  # the base is harmless
    result = screen(MILD_PAIN | extra)
    assert result.triage.tier.value == tier, [r.code for r in result.triage.reasons]
    assert code in [r.code for r in result.triage.reasons]
    if advice is not None:
        assert result.triage.run_advice.value == advice
    reason = next(r for r in result.triage.reasons if r.code == code)
    assert reason.source in references(), reason.source  # every rule names a source that exists


def test_bone_stress_is_never_self_manage_or_run_easy() -> None:
    for key in ("bsi_groin_pain_weight_bearing", "bsi_bony_spot", "bsi_pain_every_step", "bsi_hop_pain",
                "bsi_rest_pain"):
        for base in (MILD_PAIN, NO_PAIN):
            tri = screen(base | {key: True}).triage
            assert tri.tier is not TriageTier.SELF_MANAGE
            assert tri.run_advice is RunAdvice.NO_RUNNING, key
            assert any("clinician" in r.message or "assessed" in r.message for r in tri.reasons)
            # no pain-during-a-run rules for a runner who must not run
            assert not any("during a run" in rule or "acceptable" in rule for rule in tri.stop_rules), key
            assert tri.tier.refers_now or "no running" in tri.what_to_do.lower()


def test_low_bmi_is_not_judged_by_an_adult_cut_off_under_20() -> None:
    young = screen(NO_PAIN | {"age_years": 18, "height_cm": 175, "weight_kg": 52})
    assert "red_s.signs" not in [r.code for r in young.triage.reasons]


def test_under_20_back_pain_goes_to_a_clinician_whatever_the_episodes() -> None:
    for episodes in (0, 1, 6):
        tri = screen(MILD_PAIN | {"age_years": 18, "previous_back_pain_episodes": episodes,
                                  "pain_first_started_age_years": 16}).triage
        assert tri.tier is TriageTier.SEE_CLINICIAN and "malignancy.new_onset_age" in [r.code for r in tri.reasons]


def test_adolescent_extension_pain_mentions_a_training_rise() -> None:
    tri = screen(MILD_PAIN | {"age_years": 16, "worse_with": ["arching_back"], "weekly_distance_km": 30,
                              "weekly_distance_4wk_ago_km": 28, "weekly_distance_3mo_ago_km": 12}).triage
    reason = next(r for r in tri.reasons if r.code == "adolescent.extension_pain")
    assert "12 km three months ago" in reason.message and "backward-bending" in reason.message


def test_weight_loss_below_the_nice_cut_off_raises_no_flag() -> None:
    small = screen(MILD_PAIN | {"weight_kg": 70, "rf_weight_loss": True, "rf_weight_loss_kg": 1,
                                "rf_weight_loss_months": 4})
    assert "malignancy.weight_loss" not in small.triage.red_flags
    slow = screen(MILD_PAIN | {"weight_kg": 70, "rf_weight_loss": True, "rf_weight_loss_kg": 6,
                               "rf_weight_loss_months": 24})
    assert "malignancy.weight_loss" not in slow.triage.red_flags
    big = screen(MILD_PAIN | {"weight_kg": 66, "rf_weight_loss": True, "rf_weight_loss_kg": 4,
                              "rf_weight_loss_months": 5})
    assert "malignancy.weight_loss" in big.triage.red_flags  # 4 of 70 kg: 5.7 %
    assert threshold("screen_weight_loss_pct").source == "nice_cg32"


def test_inflammatory_answers_count_towards_ng65() -> None:
    base = MILD_PAIN | {"age_years": 30, "pain_duration": "over_12_weeks", "better_with": [],
                        "pain_location": ["central"]}
    assert "better_with_movement" not in score_ng65(base).features
    exercise = score_ng65(base | {"better_with": ["exercise_worse_rest"]})
    assert "better_with_movement" in exercise.features
    alternating = score_ng65(base | {"pain_location": ["central", "buttock_alternating"]})
    assert "buttock_pain" in alternating.features
    assert "buttock_pain" in score_ng65(base | {"pain_location": ["buttock_left"]}).features


def test_not_sure_is_an_honest_answer_the_rules_handle() -> None:
    result = screen(MILD_PAIN | {"pain_now": "not sure", "pain_duration": "not_sure"})
    assert result.answers["pain_now"] == "not_sure" and result.pain.pain_now is None
    assert result.triage.tier is TriageTier.SELF_MANAGE
    assert any("not sure how long" in n for n in result.notes)
    assert "not sure how bad" in result.pain.description
    with pytest.raises(ValidationFailed):  # only where the questionnaire offers it
        screen(MILD_PAIN | {"pain_worst": "not sure"})


def test_nerve_summary_counts_cauda_equina_signs() -> None:
    for key in ("rf_saddle_numbness", "rf_bladder_change", "rf_bowel_change", "rf_sexual_dysfunction"):
        result = screen(MILD_PAIN | {key: True})
        assert result.pain.nerve_symptoms, key


def test_old_answers_files_still_load() -> None:
    """Answers written for version 1 (no new keys) screen without complaint."""
    new = {q.id for q in load_questionnaire().questions if q.flow_required or q.section == "bone_stress"}
    for base in (MILD_PAIN, NO_PAIN):
        assert not new & set(base)
        assert screen(base).triage.tier is TriageTier.SELF_MANAGE


# ------------------------------------------------------------------------ the stop and its order


def _key_order() -> dict[str, int]:
    return {q.id: i for i, q in enumerate(load_questionnaire().questions)}


def test_every_emergency_question_comes_before_every_urgent_one() -> None:
    order = _key_order()
    rules = load_rules().rules
    emergency = [order[k] for r in rules if r.tier is TriageTier.EMERGENCY for k, _ in r.when]
    urgent = [order[k] for r in rules if r.tier is TriageTier.URGENT for k, _ in r.when]
    assert max(emergency) < min(k for k in urgent if k != order["has_back_pain"])
    self_tests = [i for i, q in enumerate(load_questionnaire().questions) if q.section == "self_tests"]
    assert max(emergency + urgent) < min(self_tests)


def _value(q: Question) -> st.SearchStrategy[Any]:
    if q.type == "boolean":
        return st.booleans()
    if q.type == "choice":
        return st.sampled_from(q.choice_values)
    if q.type == "multi":
        return st.lists(st.sampled_from(q.choice_values), unique=True, max_size=3)
    if q.type == "integer_list":
        return st.tuples(*[st.integers(lo, hi) for lo, hi in zip(q.item_min, q.item_max, strict=True)]).map(list)
    lo, hi = math.ceil(q.min if q.min is not None else 0), math.floor(q.max if q.max is not None else 100)
    numbers = st.integers(lo, hi)
    if q.unsure:
        return st.one_of(numbers, st.just("not_sure"))
    return numbers


QUESTIONS = load_questionnaire().questions
REFERRING = [r for r in load_rules().rules if r.tier.refers_now]


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in QUESTIONS:
        if draw(st.booleans()):
            answers[q.id] = draw(_value(q))
    return answers


@st.composite
def with_referring_answer(draw: st.DrawFn) -> dict[str, Any]:
    answers = draw(answer_sets())
    rule = draw(st.sampled_from(REFERRING))
    for key, wanted in rule.when:
        answers[key] = [wanted[0]] if load_questionnaire().question(key).type == "multi" else wanted[0]
    return answers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_referring_answer(), st.randoms(use_true_random=False))
def test_emergency_or_urgent_answers_never_self_manage_and_later_answers_change_nothing(
        answers: dict[str, Any], rnd: Any) -> None:
    result = screen(answers)
    assert result.triage.tier.refers_now and result.triage.tier is not TriageTier.SELF_MANAGE
    assert result.triage.run_advice is RunAdvice.NO_RUNNING and not result.triage.stop_rules
    decider = deciding_answer(answers)
    assert decider is not None and result.scores["decided_by"] == decider
    # Change, drop or add any answers after the deciding one: the result stays exactly the same.
    order = _key_order()
    changed = {k: v for k, v in answers.items() if order[k] <= order[decider]}
    for q in QUESTIONS[order[decider] + 1:]:
        pick = rnd.random()
        if pick < 0.5:
            changed[q.id] = _random_value(q, rnd)
    again = screen(changed)
    strip = ("answers", "created_at")
    first = {k: v for k, v in result.to_dict().items() if k not in strip}
    second = {k: v for k, v in again.to_dict().items() if k not in strip}
    assert first == second


def _random_value(q: Question, rnd: Any) -> Any:
    if q.type == "boolean":
        return rnd.random() < 0.5
    if q.type == "choice":
        return rnd.choice(q.choice_values)
    if q.type == "multi":
        return rnd.sample(q.choice_values, k=rnd.randint(0, min(3, len(q.choice_values))))
    if q.type == "integer_list":
        return [rnd.randint(lo, hi) for lo, hi in zip(q.item_min, q.item_max, strict=True)]
    if q.unsure and rnd.random() < 0.2:
        return "not_sure"
    return rnd.randint(math.ceil(q.min if q.min is not None else 0), math.floor(q.max if q.max is not None else 100))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets())
def test_pain_text_never_sounds_calmer_than_the_tier(answers: dict[str, Any]) -> None:
    """Over random combinations: reassuring pattern sentences appear only with a self-management result."""
    answers = MILD_PAIN | answers  # every required answer present, the rest random
    try:
        result = screen(answers)
    except ValidationFailed:
        return  # a required answer is missing: the runner would be asked for it
    calm = ("usually settles", "both are common", "harmless")
    text = result.pain.description + " ".join(r.message for r in result.triage.reasons)
    if result.triage.tier is not TriageTier.SELF_MANAGE or result.triage.has_red_flag:
        assert not any(c in text for c in calm), (result.triage.tier, text)
    if result.triage.tier.refers_now:
        assert not result.triage.stop_rules and not result.findings


@pytest.mark.parametrize("kind", ["diffuse", "one_sided"])
@pytest.mark.parametrize("tier", list(TriageTier))
def test_pain_profile_text_matches_each_tier(kind: str, tier: TriageTier) -> None:
    a = MILD_PAIN | ({"pain_location": ["central"], "pain_quality": ["ache"], "pain_side": "both"}
                     if kind == "diffuse" else
                     {"pain_location": ["one_side"], "pain_quality": ["spasm"], "pain_side": "left"})
    text = pain_profile(a, tier=tier).description
    calm = "usually settles" in text or "many runners call" in text
    assert calm == (tier is TriageTier.SELF_MANAGE)
