"""Contributing-factor findings: each fires past its threshold, not before, and carries its evidence."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.evidence import references, threshold
from backstride.findings.model import EvidenceLevel, Finding
from backstride.intake.factors import contributing_factors
from backstride.intake.questionnaire import validate_answers
from personas import MILD_PAIN, NO_PAIN, PERSONAS


def findings(**changes: Any) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in contributing_factors(validate_answers(NO_PAIN | changes)):
        out.setdefault(f.code, []).append(f)
    return out


def test_well_conditioned_runner_has_no_findings() -> None:
    assert findings() == {}


# (code, answers that cross the threshold, answers just inside it)
CASES = [
    ("screen.weak_trunk_endurance", {"prone_plank_s": 59}, {"prone_plank_s": 60}),
    ("screen.weak_trunk_endurance", {"side_plank_left_s": 29, "side_plank_right_s": 29},
     {"side_plank_left_s": 30, "side_plank_right_s": 30}),
    ("screen.weak_hip_abductors", {"single_leg_squat_right": "drops"}, {"single_leg_squat_right": "level"}),
    ("screen.weak_hip_abductors", {"single_leg_bridge_left": "cannot"}, {"single_leg_bridge_left": "level"}),
    ("screen.hip_flexor_tightness", {"thomas_test_left": "knee_straightens"}, {"thomas_test_left": "flat"}),
    ("screen.hamstring_tightness", {"sit_and_reach_cm": -1}, {"sit_and_reach_cm": 0}),
    ("screen.reduced_thoracic_rotation", {"thoracic_rotation_left_deg": 44, "thoracic_rotation_right_deg": 44},
     {"thoracic_rotation_left_deg": 45, "thoracic_rotation_right_deg": 45}),
    ("screen.asymmetry", {"side_plank_left_s": 47, "side_plank_right_s": 60},
     {"side_plank_left_s": 49, "side_plank_right_s": 60}),
    ("screen.asymmetry", {"thoracic_rotation_left_deg": 55, "thoracic_rotation_right_deg": 65},
     {"thoracic_rotation_left_deg": 56, "thoracic_rotation_right_deg": 65}),
    ("screen.poor_balance", {"single_leg_stance_left_s": 29}, {"single_leg_stance_left_s": 30}),
    ("screen.leg_length_difference", {"leg_length_difference_mm": 10}, {"leg_length_difference_mm": 9}),
    ("screen.mileage_jump", {"weekly_distance_km": 53, "weekly_distance_4wk_ago_km": 40},
     {"weekly_distance_km": 52, "weekly_distance_4wk_ago_km": 40}),
    ("screen.long_run_spike", {"longest_run_last_month_km": 22.1, "longest_run_previous_month_km": 20},
     {"longest_run_last_month_km": 22, "longest_run_previous_month_km": 20}),
    ("screen.little_strength_training", {"strength_sessions_per_week": 1}, {"strength_sessions_per_week": 2}),
    ("screen.prolonged_sitting", {"sitting_hours_per_day": 6, "sitting_break_every_min": "120"},
     {"sitting_hours_per_day": 6, "sitting_break_every_min": "60"}),
    ("screen.shoe_wear", {"main_shoe_distance_km": 800}, {"main_shoe_distance_km": 799}),
    ("screen.shoe_wear", {"shoe_pairs": 1}, {"shoe_pairs": 2}),
    ("screen.hard_surface_downhill", {"surfaces": ["road"]}, {"surfaces": ["road", "track"]}),
    ("screen.hard_surface_downhill", {"hills": "hilly"}, {"hills": "rolling"}),
    ("screen.high_bmi", {"weight_kg": 78}, {"weight_kg": 77}),  # 180 cm: 24.07 vs 23.77
    ("screen.inactivity", {"other_exercise_hours_per_week": 0.5}, {"other_exercise_hours_per_week": 1}),
    ("screen.psychosocial_obstacles", {"ps_fear_of_movement": 7}, {"ps_fear_of_movement": 6}),
    ("screen.psychosocial_obstacles", {"startback_items": [1, 1, 1, 1, 0, 0, 0, 0, 1]},
     {"startback_items": [1, 1, 1, 0, 0, 0, 0, 0, 1]}),
    ("screen.known_spondylolysis", {"known_spondylolysis": True}, {"known_spondylolysis": False}),
]


@pytest.mark.parametrize(("code", "crossing", "inside"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_finding_fires_past_its_threshold_only(code: str, crossing: dict[str, Any], inside: dict[str, Any]) -> None:
    from backstride.intake.scores import score_startback

    def run(changes: dict[str, Any]) -> dict[str, list[Finding]]:
        a = validate_answers(NO_PAIN | changes)
        sb = score_startback(a["startback_items"]).to_dict() if "startback_items" in a else None
        out: dict[str, list[Finding]] = {}
        for f in contributing_factors(a, startback=sb):
            out.setdefault(f.code, []).append(f)
        return out

    assert code in run(crossing)
    assert code not in run(inside)


def test_values_thresholds_and_sides_are_reported() -> None:
    spike = findings(longest_run_last_month_km=30, longest_run_previous_month_km=12)["screen.long_run_spike"][0]
    assert spike.value == 150.0 and spike.threshold == 10.0 and spike.unit == "%"
    assert spike.severity.value == "high"  # above the 100 % band
    assert spike.evidence.level is EvidenceLevel.MODERATE
    assert set(spike.sources) == {"longest_run_last_month_km", "longest_run_previous_month_km"}
    asym = findings(side_plank_left_s=60, side_plank_right_s=30)["screen.asymmetry"][0]
    assert asym.side == "right" and asym.value == 50.0
    hip = findings(single_leg_squat_left="drops")["screen.weak_hip_abductors"][0]
    assert hip.side == "left"
    bmi = findings(weight_kg=90)["screen.high_bmi"][0]
    assert bmi.value == pytest.approx(27.78, abs=0.01) and bmi.unit == "kg/m2"
    assert bmi.threshold == threshold("screen_bmi_max").value


def test_weak_or_missing_evidence_is_said_plainly() -> None:
    surf = findings(surfaces=["road"])["screen.hard_surface_downhill"][0]
    assert surf.evidence.level is EvidenceLevel.NONE and "no study" in surf.explanation.lower()
    own = findings(ps_worry=9)["screen.psychosocial_obstacles"][0]
    assert "not a validated" in own.explanation


def _all_persona_findings() -> list[Finding]:
    out: list[Finding] = []
    for p in PERSONAS.values():
        out += contributing_factors(validate_answers(p.answers))
    return out


def test_every_finding_cites_known_references_and_explains_itself() -> None:
    refs = references()
    found = _all_persona_findings()
    assert len({f.code for f in found}) >= 18
    for f in found:
        assert f.code.startswith("screen.") and f.explanation and f.title
        assert f.evidence.reference_ids and all(r in refs for r in f.evidence.reference_ids), f.code
        assert 0 < f.confidence <= 1
        if f.threshold is not None:
            assert f.unit, f.code


@given(plank=st.floats(0, 900), reach=st.floats(-60, 40), weekly=st.floats(0, 400), before=st.floats(0, 400),
       sessions=st.floats(0, 14))
def test_findings_are_deterministic_and_well_formed(plank: float, reach: float, weekly: float, before: float,
                                                     sessions: float) -> None:
    a = validate_answers(MILD_PAIN | {"prone_plank_s": plank, "sit_and_reach_cm": reach, "weekly_distance_km": weekly,
                                      "weekly_distance_4wk_ago_km": before, "strength_sessions_per_week": sessions})
    first, second = contributing_factors(a), contributing_factors(a)
    assert first == second
    ranks = [f.severity.rank for f in first]
    assert ranks == sorted(ranks, reverse=True)
    assert ("screen.weak_trunk_endurance" in [f.code for f in first]) == (plank < 60)
