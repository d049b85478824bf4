"""Plans for the screening personas, pinned as snapshots (update with --snapshot-update)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from backstride.intake.screen import screen
from backstride.library.loader import load_library
from backstride.plan.export import plan_to_markdown
from backstride.plan.generate import generate_plan
from backstride.plan.model import Plan, PlanOptions
from personas import PERSONAS

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
OPTIONS = PlanOptions(start_date=dt.date(2026, 3, 2), weeks=4, minutes_per_session=20,
                      equipment=frozenset({"chair", "wall", "step", "towel", "mat", "band"}),
                      run_days=(1, 3, 6), long_run_day=6, hard_days=(3,))


def persona_plan(name: str) -> Plan:
    return generate_plan(screen(PERSONAS[name].answers, now=NOW), OPTIONS, load_library())


def condensed(plan: Plan) -> dict[str, Any]:
    """Everything except the dated weeks, which are summarised as one line per session."""
    doc = plan.to_dict()
    doc["weeks"] = [
        {"number": w.number, "focus": w.focus,
         "sessions": [f"{s.date.isoformat()} {s.kind.value}: {s.title}"
                      + (" | " + "; ".join(f"{e.exercise_id} {e.dose.describe()}" for e in s.exercises)
                         if s.kind.value == "strength" else "") for s in w.sessions]}
        for w in plan.weeks]
    return doc


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_persona_plan_snapshot(name: str, snapshot: SnapshotAssertion) -> None:
    plan = persona_plan(name)
    assert plan.is_referral == (PERSONAS[name].tier in ("emergency", "urgent"))
    assert condensed(plan) == snapshot


def test_persona_markdown_snapshot(snapshot: SnapshotAssertion) -> None:
    assert plan_to_markdown(persona_plan("no_pain_desk_runner_with_risk_factors"), load_library()) == snapshot
