"""Persona answer sets, from a runner with no pain to an emergency, built from two bases.

Each persona is a complete answers mapping (as an answers file would hold it) plus the triage
tier and run advice a clinician reading the rules would expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CES_NO = {
    "rf_saddle_numbness": False, "rf_bladder_change": False, "rf_bowel_change": False,
    "rf_sexual_dysfunction": False, "rf_both_legs": False, "rf_leg_weakness_progressive": False,
    "rf_widespread_numbness": False,
}
OTHER_FLAGS_NO = {
    "rf_major_trauma": False, "rf_minor_trauma": False, "rf_osteoporosis": False, "rf_steroid_use": False,
    "rf_fever": False, "rf_iv_drug_use": False, "rf_immunosuppression": False, "rf_recent_infection": False,
    "rf_cancer_history": False, "rf_weight_loss": False, "rf_no_improvement_month": False,
}

# A healthy, well-conditioned runner with no back pain.
NO_PAIN: dict[str, Any] = {
    "age_years": 34, "sex": "male", "height_cm": 180, "weight_kg": 72, "running_years": 6,
    "weekly_distance_km": 40, "weekly_distance_4wk_ago_km": 38, "longest_run_last_month_km": 16,
    "longest_run_previous_month_km": 16, "surfaces": ["road", "trail"], "hills": "rolling", "shoe_pairs": 2,
    "main_shoe_distance_km": 300, "strength_sessions_per_week": 2, "other_exercise_hours_per_week": 2,
    "sitting_hours_per_day": 5, "sitting_break_every_min": "60", "previous_back_pain_episodes": 0,
    "has_back_pain": False, **CES_NO,
    "prone_plank_s": 120, "side_plank_left_s": 60, "side_plank_right_s": 62,
    "single_leg_bridge_left": "level", "single_leg_bridge_right": "level",
    "thomas_test_left": "flat", "thomas_test_right": "flat", "sit_and_reach_cm": 5,
    "single_leg_squat_left": "level", "single_leg_squat_right": "level",
    "thoracic_rotation_left_deg": 55, "thoracic_rotation_right_deg": 55,
    "single_leg_stance_left_s": 45, "single_leg_stance_right_s": 45,
}

# The same runner with a mild, recent, one-sided low back pain that settles overnight.
MILD_PAIN: dict[str, Any] = NO_PAIN | {
    "previous_back_pain_episodes": 1, "has_back_pain": True, "pain_location": ["one_side"], "pain_side": "right",
    "pain_quality": ["ache"], "pain_onset": "gradual", "pain_onset_after": "run", "pain_duration": "under_6_weeks",
    "pain_now": 2, "pain_worst": 4, "pain_during_run": 3, "pain_after_run": 3, "pain_next_morning": 2,
    "pain_settles_by_morning": "yes", "worse_with": ["long_runs"], "better_with": ["moving"],
    "morning_stiffness_min": 5, "night_pain": "none", "limping_when_running": False, **OTHER_FLAGS_NO,
    "pain_first_started_age_years": 30,
}


@dataclass(frozen=True)
class Persona:
    answers: dict[str, Any]
    tier: str
    run_advice: str


PERSONAS: dict[str, Persona] = {
    "no_pain_well_conditioned": Persona(NO_PAIN, "self_manage", "run_as_planned"),
    "no_pain_desk_runner_with_risk_factors": Persona(NO_PAIN | {
        "weight_kg": 88, "weekly_distance_km": 50, "weekly_distance_4wk_ago_km": 30,
        "longest_run_last_month_km": 30, "longest_run_previous_month_km": 14, "surfaces": ["road"],
        "hills": "hilly", "shoe_pairs": 1, "main_shoe_distance_km": 1100, "strength_sessions_per_week": 0,
        "other_exercise_hours_per_week": 0, "sitting_hours_per_day": 10, "sitting_break_every_min": "240",
        "prone_plank_s": 35, "side_plank_left_s": 15, "side_plank_right_s": 30, "thomas_test_left": "thigh_raised",
        "thomas_test_right": "thigh_raised", "sit_and_reach_cm": -20, "single_leg_squat_left": "drops",
        "thoracic_rotation_left_deg": 30, "thoracic_rotation_right_deg": 42, "single_leg_stance_left_s": 12,
        "single_leg_stance_right_s": 25, "leg_length_difference_mm": 12, "ps_fear_of_movement": 8,
    }, "self_manage", "run_as_planned"),
    "mild_one_sided_pain_with_spasm": Persona(MILD_PAIN | {
        "pain_quality": ["spasm", "sharp"], "worse_with": ["twisting", "long_runs"], "pain_onset": "sudden",
        "pain_onset_after": "twisting",
    }, "self_manage", "run_easy"),
    "diffuse_ache_worse_bending_painful_runs": Persona(MILD_PAIN | {
        "pain_location": ["central", "both_sides"], "pain_side": "both", "pain_quality": ["ache"],
        "pain_during_run": 6, "pain_after_run": 6, "pain_now": 4, "pain_worst": 6,
        "worse_with": ["bending_forward", "sitting"], "better_with": ["moving", "lying_down"],
    }, "self_manage", "walk_only"),
    "extension_sensitive_known_spondylolysis": Persona(MILD_PAIN | {
        "age_years": 19, "pain_first_started_age_years": 17, "known_spondylolysis": True,
        "worse_with": ["arching_back", "downhill"], "pain_location": ["central"], "pain_side": "both",
    }, "see_clinician", "walk_only"),  # under 20 with extension pain: a clinician, whatever the episodes
    "persistent_pain_eight_weeks": Persona(MILD_PAIN | {"pain_duration": "6_to_12_weeks"},
                                           "see_clinician", "run_easy"),
    "sciatica_below_the_knee": Persona(MILD_PAIN | {
        "pain_location": ["one_side", "buttock", "thigh", "below_knee"], "pain_quality": ["sharp", "tingling"],
        "worse_with": ["sitting", "bending_forward", "cough_sneeze"], "pain_now": 5, "pain_worst": 7,
    }, "see_clinician", "walk_only"),
    "inflammatory_pattern_ng65": Persona(MILD_PAIN | {
        "age_years": 29, "pain_first_started_age_years": 24, "pain_duration": "over_12_weeks",
        "pain_location": ["central", "buttock"], "night_pain": "wakes_second_half", "better_with": ["moving"],
        "morning_stiffness_min": 60, "ia_nsaid_relief": "yes", "ia_psoriasis": True,
    }, "see_clinician", "run_easy"),
    "high_distress_startback": Persona(MILD_PAIN | {
        "startback_items": [1, 0, 1, 0, 1, 1, 1, 1, 5], "ps_worry": 9, "ps_low_mood": 7,
    }, "see_clinician", "run_easy"),
    "first_back_pain_at_58": Persona(MILD_PAIN | {
        "age_years": 58, "previous_back_pain_episodes": 0, "pain_first_started_age_years": 58,
    }, "see_clinician", "walk_only"),
    "minor_fall_with_osteoporosis": Persona(MILD_PAIN | {
        "age_years": 61, "sex": "female", "rf_minor_trauma": True, "rf_osteoporosis": True,
        "pain_onset": "sudden", "pain_onset_after": "fall", "pain_now": 6, "pain_worst": 8,
    }, "urgent", "no_running"),
    "fever_and_back_pain": Persona(MILD_PAIN | {"rf_fever": True, "night_pain": "turning"}, "urgent", "no_running"),
    "cauda_equina_signs": Persona(MILD_PAIN | {
        "rf_saddle_numbness": True, "rf_bladder_change": True, "rf_both_legs": True,
        "pain_location": ["central", "thigh", "below_knee"], "pain_quality": ["numbness", "sharp"],
    }, "emergency", "no_running"),
}
