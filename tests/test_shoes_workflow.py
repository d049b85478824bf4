"""Shoes: add, assign (by default the current pair), list with distance, retire, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from backstride.errors import InputError, NotFoundError
from backstride.workflows import activities as wf
from backstride.workflows.workspace import Workspace
from test_activities_readers import START, fit_bytes


def _import_runs(ws: Workspace, tmp_path: Path, days: list[int]) -> None:
    for d in days:
        (tmp_path / f"r{d}.fit").write_bytes(fit_bytes(START + dt.timedelta(days=d), minutes=3, seed=d))
    report = wf.import_paths(ws, None, [tmp_path / f"r{d}.fit" for d in days], workers=1)
    assert {f.status for f in report.files} == {"imported"}


def test_new_runs_count_on_the_current_pair(any_workspace: Workspace, tmp_path: Path) -> None:
    wf.add_shoe(any_workspace, None, "Old pair", start_km=720, added_on=START.date() - dt.timedelta(days=100))
    _import_runs(any_workspace, tmp_path, [0, 1])
    wf.add_shoe(any_workspace, None, "New pair", added_on=START.date() + dt.timedelta(days=2))
    _import_runs(any_workspace, tmp_path, [3, 4, 5])
    today = START.date() + dt.timedelta(days=6)
    by_name = {s.shoe.name: s for s in wf.list_shoes(any_workspace, None, today=today)}
    acts = wf.list_activities(any_workspace, None)
    km = [(a.distance_m or 0) / 1000 for a in acts]
    assert by_name["Old pair"].runs == 2 and by_name["Old pair"].distance_km == pytest.approx(720 + sum(km[:2]))
    assert by_name["New pair"].runs == 3 and by_name["New pair"].distance_km == pytest.approx(sum(km[2:]))
    assert by_name["New pair"].shoe.is_current and not by_name["Old pair"].shoe.is_current
    assert by_name["Old pair"].status == "near_retirement"  # 720+ of 800 km: past 90 %


def test_assign_retire_and_errors(workspace: Workspace, tmp_path: Path) -> None:
    _import_runs(workspace, tmp_path, [0, 1, 2])
    wf.add_shoe(workspace, None, "Trail", current=False, added_on=START.date())
    ids = [a.id for a in wf.list_activities(workspace, None)]
    assert wf.assign_shoe(workspace, None, "trail", activity_ids=ids[:2]) == 2
    assert wf.assign_shoe(workspace, None, "Trail", since=START.date() + dt.timedelta(days=2)) == 1
    [status] = wf.list_shoes(workspace, None, today=START.date() + dt.timedelta(days=3))
    assert status.runs == 3 and status.runs_last_28_days == 3
    retired = wf.retire_shoe(workspace, None, "Trail", on=START.date() + dt.timedelta(days=3))
    assert retired.retired_on == START.date() + dt.timedelta(days=3)
    assert wf.list_shoes(workspace, None)[0].status == "retired"
    with pytest.raises(NotFoundError):
        wf.retire_shoe(workspace, None, "nope")
    with pytest.raises(InputError, match="already"):
        wf.add_shoe(workspace, None, "TRAIL")
    with pytest.raises(InputError):
        wf.assign_shoe(workspace, None, "Trail")


def test_shoes_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    added = cli("shoes", "add", "Pegasus blue", "--retire-at-km", "600", "--start-km", "595", "--added", "2026-01-01",
                "--json")
    assert added.exit_code == 0 and json.loads(added.stdout)["retirement_km"] == 600
    (tmp_path / "r.fit").write_bytes(fit_bytes(START, minutes=60))
    assert cli("import", str(tmp_path / "r.fit")).exit_code == 0
    listed = json.loads(cli("shoes", "list", "--json").stdout)
    [shoe] = listed["shoes"]
    assert shoe["runs"] == 1 and shoe["distance_km"] > 600 and shoe["status"] == "past_retirement"
    load = json.loads(cli("load", "--today", "2026-03-03", "--json").stdout)
    assert "load.shoe_retirement" in {f["code"] for f in load["findings"]}
    assert cli("shoes", "retire", "Pegasus blue").exit_code == 0
    missing = cli("shoes", "retire", "Nope", "--json")
    assert missing.exit_code == 1 and "Nope" in json.loads(missing.stdout)["error"]["message"]
    assert cli("shoes", "assign", "Pegasus blue", "--since", "2026-13-01").exit_code == 2
