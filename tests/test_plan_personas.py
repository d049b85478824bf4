"""Plans for the screening personas, pinned as snapshots (update with --snapshot-update)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from backstride.intake.screen import screen
from backstride.library.loader import load_library
from backstride.plan.generate import generate_plan
from backstride.plan.model import Plan, PlanOptions
from backstride.reports.plan_export import plan_to_markdown
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


def test_same_plan_in_every_process() -> None:
    """No dependence on set or hash order: two interpreters with different hash seeds agree."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import json, sys; sys.path.insert(0, 'tests'); from test_plan_personas import persona_plan; "
            "print(json.dumps(persona_plan('no_pain_desk_runner_with_risk_factors').to_dict(), sort_keys=True))")
    root = Path(__file__).resolve().parents[1]
    outputs = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                              env=os.environ | {"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outputs) == 1
