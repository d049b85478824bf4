"""Doses: the week's dose from a library dose range, and how long an exercise takes.

Doses climb through the range the library gives for the runner's level by the ACSM-style
weekly increments in ``data/thresholds/plan.yaml`` (+2 reps or +5 s a week), never above the
top of the range; beyond that the progression rule (advance to a harder exercise) takes over.
"""

from __future__ import annotations

from backstride.evidence import threshold
from backstride.library.model import Dosage, Exercise, Level
from backstride.plan.model import Dose

_LEVEL_ORDER = (Level.BEGINNER, Level.INTERMEDIATE, Level.ADVANCED)


def dosage_for(exercise: Exercise, level: Level) -> tuple[Level, Dosage]:
    """The dose range at ``level``, or the nearest easier level the exercise has (beginner always exists)."""
    wanted = _LEVEL_ORDER.index(level)
    for candidate in reversed(_LEVEL_ORDER[: wanted + 1]):
        if candidate in exercise.dosage:
            return candidate, exercise.dosage[candidate]
    first = next(lvl for lvl in _LEVEL_ORDER if lvl in exercise.dosage)
    return first, exercise.dosage[first]


def week_dose(dosage: Dosage, progress_steps: int, *, sessions_per_week: int | None = None) -> Dose:
    """Dose after ``progress_steps`` weekly increments (0 = the start of the range)."""
    steps = max(0, progress_steps)
    reps = hold = None
    if dosage.reps is not None:
        inc = int(threshold("plan.reps_increment_per_week").value)
        reps = min(dosage.reps[1], dosage.reps[0] + inc * steps)
    if dosage.hold_s is not None:
        inc_s = int(threshold("plan.hold_increment_per_week_s").value)
        hold = min(dosage.hold_s[1], dosage.hold_s[0] + inc_s * steps)
    return Dose(sets=dosage.sets, reps=reps, hold_s=hold, rest_s=dosage.rest_s,
                sessions_per_week=sessions_per_week or dosage.sessions_per_week, per_side=dosage.per_side)


def top_dose(dosage: Dosage) -> Dose:
    return week_dose(dosage, 10_000)


def estimate_s(dose: Dose) -> int:
    """Seconds one exercise takes in a session: work, rests between sets, getting into position."""
    per_rep = threshold("plan.seconds_per_rep").value
    if dose.reps is not None:
        work = dose.reps * (per_rep + (dose.hold_s or 0))
    else:
        work = float(dose.hold_s or 0)
    if dose.per_side:
        work *= 2
    total = dose.sets * work + max(0, dose.sets - 1) * dose.rest_s + threshold("plan.transition_s").value
    return round(total)


def target_text(dose: Dose) -> str:
    """The top of the range as a target the runner recognises (``"3 x 12 reps each side"``)."""
    return dose.describe().split(", rest")[0]
