"""``screen(answers)``: validated answers in, a :class:`ScreeningResult` out. Pure: no storage.

An emergency or urgent answer ends the screening: the result is built from the answers up to and
including the deciding one (:func:`~backstride.intake.triage.deciding_answer`), so it never
depends on questions after it. Every answer given is still kept for the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from backstride.intake.advice import advice_notes
from backstride.intake.factors import contributing_factors
from backstride.intake.model import Irritability, ScreeningResult
from backstride.intake.pattern import IMAGING_NOTE, NOT_A_DIAGNOSIS, pain_profile
from backstride.intake.questionnaire import lenient_answers, load_questionnaire, validate_answers
from backstride.intake.scores import STARTBACK_COPYRIGHT, score_ng65, score_startback
from backstride.intake.triage import deciding_answer, triage
from backstride.units import bmi

PSYCHOSOCIAL_NOTE = ("The questions on worry, mood and bothersomeness are backstride's own and are not a "
                     "validated questionnaire.")
STOPPED_NOTE = ("The screening stopped at the answer that needs a doctor. Questions after it, and the "
                "self-tests, were not used: they can wait until a clinician has seen you.")
UNSURE_DURATION_NOTE = ("You were not sure how long this episode has lasted. If it is more than 6 weeks, book a GP "
                        "or physiotherapist; if it is more than 3 months and began before 45, mention the "
                        "inflammatory questions to them.")


def used_answers(a: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The answers the result is built from, and the deciding answer's key (None when none decided)."""
    decider = deciding_answer(a)
    if decider is None:
        return dict(a), None
    qn = load_questionnaire()
    last = qn.index(decider)
    return {k: v for k, v in a.items() if qn.index(k) <= last}, decider


def screen(answers: Mapping[str, Any], *, now: dt.datetime | None = None,
           source: str = "answers") -> ScreeningResult:
    """Screen one runner. Raises :class:`~backstride.errors.ValidationFailed` naming every bad key."""
    decider = deciding_answer(lenient_answers(answers))
    if decider is None:
        kept = validate_answers(answers, source=source)
    else:  # a missing earlier answer must never hold back an emergency or urgent result
        kept = {k: v for k, v in validate_answers(answers, partial=True, source=source).items() if v is not None}
    a, _ = used_answers(kept)
    first = pain_profile(a)
    tri = triage(a, nerve_symptoms=first.nerve_symptoms, high_irritability=first.irritability is Irritability.HIGH)
    pain = pain_profile(a, tier=tri.tier, red_flag=tri.has_red_flag)
    scores: dict[str, Any] = {"ng65": score_ng65(a).to_dict()}
    startback = score_startback(a["startback_items"]).to_dict() if "startback_items" in a else None
    if startback is not None:
        scores["startback"] = startback
    if isinstance(a.get("height_cm"), int | float) and isinstance(a.get("weight_kg"), int | float):
        scores["bmi_kg_m2"] = round(bmi(a["weight_kg"], a["height_cm"]), 1)
    if decider is not None:
        scores["decided_by"] = decider
    notes = [NOT_A_DIAGNOSIS]
    if decider is not None:
        notes.append(STOPPED_NOTE)
    if pain.has_pain and not tri.tier.refers_now:
        notes.append(IMAGING_NOTE)
    if a.get("pain_duration") == "not_sure" and not tri.tier.refers_now:
        notes.append(UNSURE_DURATION_NOTE)
    if any(k.startswith("ps_") for k in a):
        notes.append(PSYCHOSOCIAL_NOTE)
    if startback is not None:
        notes.append(STARTBACK_COPYRIGHT)
    if not tri.tier.refers_now:
        notes.extend(advice_notes(a, tri.tier))
    return ScreeningResult(
        answers=kept, triage=tri, pain=pain,
        findings=() if tri.tier.refers_now else contributing_factors(a, startback=startback),
        created_at=now or dt.datetime.now(dt.UTC), notes=tuple(notes),
        scores=dict(scores, questionnaire_version=load_questionnaire().version),
    )
