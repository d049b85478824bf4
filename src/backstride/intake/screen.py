"""``screen(answers)``: validated answers in, a :class:`ScreeningResult` out. Pure: no storage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from backstride.intake.factors import contributing_factors
from backstride.intake.model import Irritability, ScreeningResult
from backstride.intake.pattern import IMAGING_NOTE, NOT_A_DIAGNOSIS, pain_profile
from backstride.intake.questionnaire import load_questionnaire, validate_answers
from backstride.intake.scores import STARTBACK_COPYRIGHT, score_ng65, score_startback
from backstride.intake.triage import triage
from backstride.units import bmi

PSYCHOSOCIAL_NOTE = ("The questions on worry, mood and bothersomeness are backstride's own and are not a "
                     "validated questionnaire.")


def screen(answers: Mapping[str, Any], *, now: dt.datetime | None = None,
           source: str = "answers") -> ScreeningResult:
    """Screen one runner. Raises :class:`~backstride.errors.ValidationFailed` naming every bad key."""
    a = validate_answers(answers, source=source)
    pain = pain_profile(a)
    tri = triage(a, nerve_symptoms=pain.nerve_symptoms, high_irritability=pain.irritability is Irritability.HIGH)
    scores: dict[str, Any] = {"ng65": score_ng65(a).to_dict()}
    startback = score_startback(a["startback_items"]).to_dict() if "startback_items" in a else None
    if startback is not None:
        scores["startback"] = startback
    if a.get("height_cm") and a.get("weight_kg"):
        scores["bmi_kg_m2"] = round(bmi(a["weight_kg"], a["height_cm"]), 1)
    notes = [NOT_A_DIAGNOSIS]
    if pain.has_pain:
        notes.append(IMAGING_NOTE)
    if any(k.startswith("ps_") for k in a):
        notes.append(PSYCHOSOCIAL_NOTE)
    if startback is not None:
        notes.append(STARTBACK_COPYRIGHT)
    return ScreeningResult(
        answers=a, triage=tri, pain=pain,
        findings=contributing_factors(a, startback=startback),
        created_at=now or dt.datetime.now(dt.UTC), notes=tuple(notes),
        scores=dict(scores, questionnaire_version=load_questionnaire().version),
    )
