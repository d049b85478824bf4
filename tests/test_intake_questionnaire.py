"""The questionnaire data and validation of answers against it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backstride.errors import ValidationFailed
from backstride.intake.questionnaire import (
    QUESTION_TYPES,
    check_answer,
    load_questionnaire,
    validate_answers,
)
from backstride.intake.screen import screen
from personas import MILD_PAIN, NO_PAIN

DOCS = Path(__file__).resolve().parents[1] / "docs"


def problems(answers: Any, **kw: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        validate_answers(answers, **kw)
    return {p.field: f"{p.message} | {p.allowed}" for p in info.value.problems}


def test_questionnaire_covers_the_issue_and_is_renderable() -> None:
    qn = load_questionnaire()
    # Warning signs first, before pain details, and self-tests after everything that can stop the screening.
    assert [s.id for s in qn.sections] == ["red_flags", "symptoms", "bone_stress", "profile", "inflammatory",
                                           "self_tests", "psychosocial", "clinician"]
    for q in qn.questions:
        assert q.type in QUESTION_TYPES and q.prompt and q.allowed()
        if q.section == "self_tests":
            assert q.skip_allowed and len(q.instructions) >= 3, q.id
        d = q.to_dict()
        assert d["id"] == q.id and d["skip_allowed"] == (not (q.required or q.flow_required))
    must_have = {"age_years", "sex", "height_cm", "weight_kg", "running_years", "weekly_distance_km",
                 "weekly_distance_4wk_ago_km", "longest_run_last_month_km", "surfaces", "hills", "shoe_pairs",
                 "main_shoe_distance_km", "strength_sessions_per_week", "sitting_hours_per_day",
                 "sitting_break_every_min", "previous_back_pain_episodes", "known_disc_herniation",
                 "known_spondylolysis", "known_scoliosis", "leg_length_difference_mm", "pain_location",
                 "pain_quality", "pain_onset", "pain_duration", "pain_now", "pain_worst", "pain_during_run",
                 "pain_after_run", "pain_next_morning", "worse_with", "better_with", "morning_stiffness_min",
                 "night_pain", "limping_when_running", "prone_plank_s", "side_plank_left_s", "side_plank_right_s",
                 "single_leg_bridge_left", "single_leg_bridge_right", "thomas_test_left", "thomas_test_right",
                 "sit_and_reach_cm", "single_leg_squat_left", "single_leg_squat_right",
                 "thoracic_rotation_left_deg", "thoracic_rotation_right_deg", "single_leg_stance_left_s",
                 "startback_items", "ps_fear_of_movement", "ps_worry", "ps_low_mood", "ps_bothersomeness"}
    assert must_have <= {q.id for q in qn.questions}
    assert qn.to_dict()["sections"][0]["questions"][0]["id"] == "has_back_pain"


def test_every_problem_is_listed_at_once_with_what_is_allowed() -> None:
    bad = dict(MILD_PAIN) | {"shoe_size": 44, "pain_now": 12, "age_years": 12.5, "hills": "mountainous",
                             "surfaces": ["road", "sand"], "rf_fever": "maybe", "startback_items": [1, 1, 1]}
    del bad["rf_bladder_change"]
    del bad["pain_duration"]
    found = problems(bad)
    assert set(found) == {"shoe_size", "pain_now", "age_years", "hills", "surfaces", "rf_fever", "startback_items",
                          "rf_bladder_change", "pain_duration"}
    assert "not a question" in found["shoe_size"]
    assert "out of range" in found["pain_now"] and "0 to 10" in found["pain_now"]
    assert "whole number" in found["age_years"]
    assert "flat, rolling, hilly" in found["hills"]
    assert "'sand'" in found["surfaces"]
    assert "yes or no" in found["rf_fever"]
    assert "exactly 9" in found["startback_items"]
    assert "required when has_back_pain is yes" in found["pain_duration"]
    assert "missing" in found["rf_bladder_change"]


def test_required_answers_depend_on_ask_if() -> None:
    # Without back pain the symptom questions and the pain-specific flags are not required.
    assert validate_answers(NO_PAIN)["has_back_pain"] is False
    found = problems({"age_years": 30, "has_back_pain": True})
    assert {"pain_now", "pain_duration", "rf_fever", "rf_saddle_numbness"} <= set(found)
    assert "pain_during_run" not in found  # optional even with pain


def test_values_are_coerced_to_canonical_form() -> None:
    clean = validate_answers(NO_PAIN | {"age_years": "41", "height_cm": "172,5", "rf_both_legs": "no",
                                        "sitting_break_every_min": 120, "surfaces": "trail, road",
                                        "startback_items": "0 1 0 1 0 0 0 0 2", "weight_kg": None,
                                        "running_years": " "})
    assert clean["age_years"] == 41 and clean["height_cm"] == 172.5 and clean["rf_both_legs"] is False
    assert clean["sitting_break_every_min"] == "120"
    assert clean["surfaces"] == ["road", "trail"]  # questionnaire order
    assert clean["startback_items"] == [0, 1, 0, 1, 0, 0, 0, 0, 2]
    assert "weight_kg" not in clean and "running_years" not in clean  # null or blank means skipped
    # YAML reads an unquoted yes as True; a yes/no choice accepts it.
    assert validate_answers(MILD_PAIN | {"pain_settles_by_morning": True})["pain_settles_by_morning"] == "yes"


def test_partial_answers_keep_skips_but_still_reject_bad_values() -> None:
    assert validate_answers({"age_years": 30, "sex": None}, partial=True) == {"age_years": 30, "sex": None}
    assert set(problems({"age_years": 300, "nope": 1}, partial=True)) == {"age_years", "nope"}


def test_top_level_must_be_a_mapping() -> None:
    assert "(top level)" in problems(["age_years", 30])


def test_check_answer_for_prompts() -> None:
    assert check_answer("pain_now", "4") == (4, None)
    value, problem = check_answer("pain_now", "eleven")
    assert value is None and problem is not None and problem.field == "pain_now"


@given(st.dictionaries(st.text(min_size=1, max_size=12), st.integers(), min_size=1, max_size=5))
def test_unknown_keys_are_always_named(extra: dict[str, int]) -> None:
    qn = load_questionnaire()
    unknown = {k: v for k, v in extra.items() if k not in qn}
    if not unknown:
        return
    found = problems(NO_PAIN | unknown)
    assert set(unknown) <= set(found)


def test_docs_document_every_key_and_the_example_file_is_complete() -> None:
    qn = load_questionnaire()
    doc = (DOCS / "screening.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", doc, flags=re.M))
    assert documented == {q.id for q in qn.questions}
    example = yaml.safe_load((DOCS / "examples" / "answers.yaml").read_text(encoding="utf-8"))
    assert set(example) == {q.id for q in qn.questions}
    result = screen(example)
    assert result.triage.tier.value == "self_manage"
    assert "screen.long_run_spike" in result.codes


_ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.lists(st.one_of(st.integers(-3, 9), st.text(max_size=4), st.none()), max_size=10),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(st.dictionaries(st.sampled_from([q.id for q in load_questionnaire().questions]), _ANY_VALUE, max_size=12))
def test_any_values_are_either_accepted_or_rejected_cleanly(changes: dict[str, Any]) -> None:
    """Whatever is typed or posted, validation answers with canonical values or a list of problems."""
    try:
        clean = validate_answers(NO_PAIN | changes)
    except ValidationFailed as exc:
        assert exc.problems and all(p.field in changes or p.allowed for p in exc.problems)
        return
    qn = load_questionnaire()
    for key, value in clean.items():
        q = qn.question(key)
        if q.type in ("integer", "number"):
            assert q.min is not None and q.max is not None and q.min <= value <= q.max
        elif q.type == "choice":
            assert value in q.choice_values
        elif q.type == "boolean":
            assert isinstance(value, bool)
    screen(clean)  # and every accepted answer set can be screened
