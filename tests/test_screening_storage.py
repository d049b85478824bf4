"""Screening results and drafts stored on both databases, through the workflow functions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from backstride.errors import NotFoundError, ValidationFailed
from backstride.intake.model import TriageTier
from backstride.storage.screenings import ScreeningRow
from backstride.workflows import screening as wf
from backstride.workflows.workspace import Workspace

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "answers.yaml"


def example() -> dict[str, Any]:
    return dict(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


def _count(ws: Workspace) -> int:
    with ws.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(ScreeningRow)) or 0)


def test_screening_roundtrip_and_history(any_workspace: Workspace) -> None:
    t0 = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    first_id, first = wf.run_screening(any_workspace, "amira", example(), now=t0)
    worse = example() | {"rf_fever": True}
    second_id, second = wf.run_screening(any_workspace, "amira", worse, now=t0 + dt.timedelta(days=3))

    assert wf.get_screening(any_workspace, first_id) == first
    assert wf.latest_screening(any_workspace, "amira") == second
    history = wf.list_screenings(any_workspace, "amira")
    assert [h.id for h in history] == [second_id, first_id]
    assert [h.tier for h in history] == [TriageTier.URGENT, TriageTier.SELF_MANAGE]
    assert history[0].red_flags == ("infection.fever",)
    assert "screen.long_run_spike" in history[1].finding_codes


def test_rejected_answers_store_nothing(any_workspace: Workspace) -> None:
    with pytest.raises(ValidationFailed) as info:
        wf.run_screening(any_workspace, "amira", example() | {"pain_now": 14, "favourite_colour": "blue"})
    assert {p.field for p in info.value.problems} == {"pain_now", "favourite_colour"}
    assert _count(any_workspace) == 0
    assert any_workspace.list_runners() == []


def test_latest_for_unknown_runner_is_none_and_history_is_not_found(any_workspace: Workspace) -> None:
    assert wf.latest_screening(any_workspace, "nobody") is None
    with pytest.raises(NotFoundError):
        wf.list_screenings(any_workspace, "nobody")
    with pytest.raises(NotFoundError):
        wf.get_screening(any_workspace, 999)


def test_draft_saved_resumed_and_cleared_by_a_full_screening(any_workspace: Workspace) -> None:
    wf.save_draft(any_workspace, "jo", {"age_years": "41", "has_back_pain": "yes"})
    assert wf.load_draft(any_workspace, "jo") == {"age_years": 41, "has_back_pain": True}
    wf.save_draft(any_workspace, "jo", {"age_years": 42})
    assert wf.load_draft(any_workspace, "jo") == {"age_years": 42}
    with pytest.raises(ValidationFailed):
        wf.save_draft(any_workspace, "jo", {"age_years": 7})
    assert wf.load_draft(any_workspace, "jo") == {"age_years": 42}
    wf.run_screening(any_workspace, "jo", example())
    assert wf.load_draft(any_workspace, "jo") is None


def test_drafts_are_per_runner(any_workspace: Workspace) -> None:
    wf.save_draft(any_workspace, "a", {"age_years": 30})
    wf.save_draft(any_workspace, "b", {"age_years": 50})
    assert wf.load_draft(any_workspace, "a") == {"age_years": 30}
    assert wf.discard_draft(any_workspace, "b") is True
    assert wf.load_draft(any_workspace, "b") is None
    assert wf.load_draft(any_workspace, "a") == {"age_years": 30}


def test_screening_branch_downgrades_and_upgrades_alone(workspace: Workspace) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from backstride.storage.db import alembic_config, migrate

    wf.run_screening(workspace, "amira", example())
    command.downgrade(alembic_config(workspace.engine), "screening@base")
    tables = set(inspect(workspace.engine).get_table_names())
    assert "screenings" not in tables and "screening_drafts" not in tables
    assert "runners" in tables  # other branches are untouched
    migrate(workspace.engine)
    assert _count(workspace) == 0
    assert workspace.list_runners() == ["amira"]
