"""The exercise schema: one :class:`Exercise` per file in ``data/exercises/``.

The vocabularies (categories, spinal loading, contraindications, equipment, levels, routines)
are closed sets so the planner can reason over them and a typo in a data file is an error,
not a silently ignored exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from backstride.findings.codes import FINDING_CODES as FINDING_CODES
from backstride.findings.model import EvidenceLevel
from backstride.library.figure import Illustration


class Category(StrEnum):
    MOBILITY = "mobility"
    ACTIVATION = "activation"
    MOTOR_CONTROL = "motor_control"
    STRENGTH = "strength"
    PELVIC_CONTROL = "load_bearing_pelvic_control"
    STRETCH = "stretch"
    SOFT_TISSUE = "soft_tissue"
    DESK_BREAK = "desk_break"
    LOW_IMPACT = "low_impact_alternative"


class SpineLoad(StrEnum):
    """Which way an exercise moves or loads the lumbar spine noticeably."""

    FLEXION = "flexion"
    EXTENSION = "extension"
    ROTATION = "rotation"
    COMPRESSION = "compression"


class Contraindication(StrEnum):
    FLEXION_SENSITIVE = "flexion_sensitive"
    EXTENSION_SENSITIVE = "extension_sensitive"
    ROTATION_SENSITIVE = "rotation_sensitive"
    HIGHLY_IRRITABLE = "highly_irritable"
    NERVE_SYMPTOMS = "nerve_symptoms"
    AFTER_RED_FLAG = "after_red_flag"


# An exercise that moves the spine one way must be kept from runners sensitive to that
# direction; the loader enforces it so the planner's filter cannot miss one.
LOAD_REQUIRES = {
    SpineLoad.FLEXION: Contraindication.FLEXION_SENSITIVE,
    SpineLoad.EXTENSION: Contraindication.EXTENSION_SENSITIVE,
    SpineLoad.ROTATION: Contraindication.ROTATION_SENSITIVE,
}


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Routine(StrEnum):
    """Where in a plan an exercise may be placed."""

    PRE_RUN = "pre_run"
    POST_RUN = "post_run"
    STRENGTH = "strength"
    DESK = "desk"
    CROSS_TRAINING = "cross_training"


# Household items (chair, wall, step, towel) count as equipment too, so "only what you have"
# can be checked honestly; an empty list means nothing but floor space.
EQUIPMENT: dict[str, str] = {
    "mat": "exercise mat (a towel on carpet works)",
    "chair": "sturdy chair",
    "wall": "clear wall",
    "step": "stair or sturdy step",
    "towel": "towel",
    "strap": "strap or belt",
    "band": "resistance band",
    "dumbbell": "dumbbell(s)",
    "kettlebell": "kettlebell",
    "barbell": "barbell and plates",
    "stability_ball": "stability (Swiss) ball",
    "foam_roller": "foam roller",
    "back_roller": "back roller or massage ball",
    "pull_up_bar": "pull-up bar",
    "bench": "bench",
    "bike": "bicycle or exercise bike",
    "pool": "swimming pool",
}

# The finding catalogue lives in findings/codes.py (producers emit these codes, the library addresses them).


@dataclass(frozen=True)
class Dosage:
    """The dose range at one level. A range is (start, top): the plan starts low and climbs."""

    sets: int
    reps: tuple[int, int] | None
    hold_s: tuple[int, int] | None
    rest_s: int
    sessions_per_week: int
    per_side: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"sets": self.sets, "reps": list(self.reps) if self.reps else None,
                "hold_s": list(self.hold_s) if self.hold_s else None, "rest_s": self.rest_s,
                "sessions_per_week": self.sessions_per_week, "per_side": self.per_side}


@dataclass(frozen=True)
class ExerciseEvidence:
    level: EvidenceLevel
    reference_ids: tuple[str, ...]
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level.value, "reference_ids": list(self.reference_ids), "note": self.note}


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    aliases: tuple[str, ...]
    category: Category
    routines: tuple[Routine, ...]
    target_muscles: tuple[str, ...]
    addresses: tuple[str, ...]
    start_position: str
    equipment: tuple[str, ...]
    spine_loading: tuple[SpineLoad, ...]
    contraindications: tuple[Contraindication, ...]
    difficulty: int                      # 1 (gentlest) .. 5
    dosage: dict[Level, Dosage]
    progression: str | None
    regression: str | None
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    instructions: tuple[str, ...]
    evidence: ExerciseEvidence
    source_article: bool = False         # named by one of the source articles
    illustration: Illustration | None = None  # poses for the drawn figure (reports/figures.py)

    def suits(self, routine: Routine) -> bool:
        return routine in self.routines

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "aliases": list(self.aliases), "category": self.category.value,
            "routines": [r.value for r in self.routines], "target_muscles": list(self.target_muscles),
            "addresses": list(self.addresses), "start_position": self.start_position,
            "equipment": list(self.equipment), "spine_loading": [s.value for s in self.spine_loading],
            "contraindications": [c.value for c in self.contraindications], "difficulty": self.difficulty,
            "dosage": {lvl.value: d.to_dict() for lvl, d in self.dosage.items()},
            "progression": self.progression, "regression": self.regression, "cues": list(self.cues),
            "mistakes": list(self.mistakes), "instructions": list(self.instructions),
            "evidence": self.evidence.to_dict(), "source_article": self.source_article,
        }
