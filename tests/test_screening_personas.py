"""Whole screening results for personas from no pain to an emergency, kept as snapshots."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from syrupy.assertion import SnapshotAssertion

from backstride.intake.screen import screen
from personas import PERSONAS

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_persona_tier_and_advice(name: str) -> None:
    persona = PERSONAS[name]
    result = screen(persona.answers, now=NOW)
    assert result.triage.tier.value == persona.tier, [r.code for r in result.triage.reasons]
    assert result.triage.run_advice.value == persona.run_advice


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_persona_snapshot(name: str, snapshot: SnapshotAssertion) -> None:
    result = screen(PERSONAS[name].answers, now=NOW)
    document = result.to_dict()
    # The answers are the persona's own input; the snapshot keeps what screening made of them.
    document.pop("answers")
    assert json.loads(json.dumps(document)) == snapshot


def test_personas_span_every_tier() -> None:
    assert {p.tier for p in PERSONAS.values()} == {"emergency", "urgent", "see_clinician", "self_manage"}
    assert len(PERSONAS) >= 10
