"""The finding-code registry: every code a producer may emit, grouped by its producer.

A code is namespaced by the package that raises it (``screen.*`` from ``intake/``, ``load.*``
from ``load/``, ``form.*`` from ``form/``). The exercise library's ``addresses`` and the plan's
advice are checked against this list; ``tests/test_finding_codes.py`` fails when a producer
emits a code that is missing here, when a code here has no producer, and when a code is
answered by neither an exercise nor advice.
"""

from __future__ import annotations

SCREEN_CODES: frozenset[str] = frozenset({
    "screen.weak_trunk_endurance", "screen.weak_hip_abductors", "screen.hip_flexor_tightness",
    "screen.hamstring_tightness", "screen.reduced_thoracic_rotation", "screen.asymmetry",
    "screen.poor_balance", "screen.leg_length_difference", "screen.mileage_jump", "screen.long_run_spike",
    "screen.little_strength_training", "screen.prolonged_sitting", "screen.shoe_wear",
    "screen.hard_surface_downhill", "screen.high_bmi", "screen.inactivity", "screen.psychosocial_obstacles",
    "screen.known_disc_herniation", "screen.known_scoliosis", "screen.known_spondylolysis",
    "screen.season_load_rise",
})

LOAD_CODES: frozenset[str] = frozenset({
    "load.single_run_spike", "load.weekly_increase", "load.high_monotony", "load.acwr_high",
    "load.shoe_retirement", "load.single_shoe_pair", "load.downhill_exposure", "load.low_cadence",
    "load.gct_imbalance", "load.vertical_oscillation_high",
})

FORM_CODES: frozenset[str] = frozenset({
    "form.low_cadence", "form.overstride", "form.trunk_lean_forward", "form.pelvic_drop",
    "form.lateral_trunk_lean", "form.crossover", "form.step_asymmetry", "form.high_bounce",
    "form.arm_crossing", "form.elbow_angle", "form.head_forward", "form.limping",
})

FINDING_CODES: frozenset[str] = SCREEN_CODES | LOAD_CODES | FORM_CODES

PRODUCERS: dict[str, str] = {"screen": "intake", "load": "load", "form": "form"}
"""Code namespace -> the package that raises those codes."""


def is_registered(code: str) -> bool:
    return code in FINDING_CODES
