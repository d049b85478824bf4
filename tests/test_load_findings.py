"""Load findings: codes, values, thresholds, evidence, and the persistence rules for dynamics."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from backstride.activities.model import Activity, DynamicsSummary
from backstride.demo.synthetic_runs import generate_runs
from backstride.evidence import references
from backstride.findings.model import EvidenceLevel, Severity
from backstride.load.shoes import Shoe, ShoeStatus
from backstride.load.summary import build_load_summary, load_findings
from backstride.workflows import activities as wf
from backstride.workflows.workspace import Workspace
from test_load_metrics import DAY0, run


def findings_for(acts: list[Activity], today_offset: int, **kw) -> dict:  # type: ignore[no-untyped-def]
    summary = build_load_summary(acts, weeks=4, today=DAY0 + dt.timedelta(days=today_offset), **kw)
    return {f.code: f for f in load_findings(summary)}


def test_spike_finding_has_value_threshold_sources_and_evidence() -> None:
    acts = [run(d, 10) for d in range(0, 28, 3)] + [run(29, 21, rid=99)]
    f = findings_for(acts, 30)["load.single_run_spike"]
    assert f.value == pytest.approx(110.0) and f.threshold == 10.0
    assert f.severity is Severity.HIGH and f.sources == ("99",)
    assert f.evidence.level is EvidenceLevel.MODERATE and f.details["band"] == ">100"
    assert all(r in references() for r in f.evidence.reference_ids)
    # a week later the spike no longer drives a finding
    assert "load.single_run_spike" not in findings_for(acts, 40)


def test_weekly_increase_uses_rolling_seven_and_fourteen_days() -> None:
    acts = [run(d, 5) for d in (0, 2, 4, 7, 9, 11)] + [run(d, 8) for d in (14, 16, 18, 20)]
    f = findings_for(acts, 20)["load.weekly_increase"]
    # 7 days: 32 km vs 15 km (+113 %); 14 days: 47 km vs 15 km (+213 %); the larger is the value
    assert f.value == pytest.approx((47 - 15) / 15 * 100, rel=1e-3)
    assert "+113" not in f.explanation and "113.3 %" in f.explanation and "213.3 %" in f.explanation
    assert f.evidence.level is EvidenceLevel.LOW and "weak" in f.explanation


def test_acwr_is_informational_only() -> None:
    acts = [run(d, 5, minutes=30) for d in range(0, 40, 4)] + [run(d, 12, minutes=70) for d in range(41, 48)]
    found = findings_for(acts, 47)
    f = found["load.acwr_high"]
    assert f.severity is Severity.INFO and f.details["informational_only"] is True
    assert "never" in f.explanation and f.value is not None and f.value >= 1.5


def test_high_monotony_needs_three_sessions() -> None:
    same_every_day = [run(d, 8, minutes=48) for d in range(14, 21)]
    assert findings_for(same_every_day, 20)["load.high_monotony"].value == 10.0
    assert "load.high_monotony" not in findings_for(same_every_day[:2], 15)


def test_downhill_exposure() -> None:
    acts = [run(d, 10, downhill_km=2.5) for d in (14, 16, 18)]
    f = findings_for(acts, 18)["load.downhill_exposure"]
    assert f.value == pytest.approx(25.0) and f.severity is Severity.INFO


def _shoe(name: str, km: float, runs_28: int, sid: int = 1, retired: bool = False) -> ShoeStatus:
    shoe = Shoe(id=sid, name=name, added_on=DAY0, retirement_km=800, retired_on=DAY0 if retired else None)
    return ShoeStatus(shoe=shoe, distance_km=km, runs=runs_28, last_used=DAY0, runs_last_28_days=runs_28)


def test_shoe_findings() -> None:
    found = findings_for([run(1, 5)], 2, shoes=[_shoe("Old", 750, 10)])
    assert found["load.shoe_retirement"].value == 750 and found["load.shoe_retirement"].threshold == 720
    assert "convention" in found["load.shoe_retirement"].explanation
    assert found["load.single_shoe_pair"].evidence.level is EvidenceLevel.LOW
    two = findings_for([run(1, 5)], 2, shoes=[_shoe("A", 100, 5), _shoe("B", 50, 5, sid=2)])
    assert "load.single_shoe_pair" not in two and "load.shoe_retirement" not in two


def _with_dynamics(act: Activity, balance: float, cadence: float, vo: float) -> Activity:
    return dataclasses.replace(act, avg_cadence_spm=cadence, avg_speed_mps=2.8,
                               dynamics=DynamicsSummary(stance_time_ms=250, stance_time_balance_pct=balance,
                                                        vertical_oscillation_mm=vo, vertical_ratio_pct=7.5,
                                                        step_length_mm=1000))


def _dynamics_runs(recent_shifted: int) -> list[Activity]:
    """10 baseline runs at 50.2 % / 172 spm / 80 mm, then 5 recent runs of which
    ``recent_shifted`` sit at 52 % / 162 spm / 92 mm."""
    acts = [_with_dynamics(run(2 * i, 8), 50.2, 172, 80) for i in range(10)]
    for k in range(5):
        shifted = k >= 5 - recent_shifted
        acts.append(_with_dynamics(run(20 + 2 * k, 8), 52.0 if shifted else 50.3, 162 if shifted else 171,
                                   92 if shifted else 81))
    return acts


def test_persistent_dynamics_shift_beyond_own_baseline_gives_findings() -> None:
    found = findings_for(_dynamics_runs(4), 28)
    assert found["load.gct_imbalance"].value == pytest.approx(52.0)
    assert found["load.gct_imbalance"].confidence == pytest.approx(0.8)
    assert "not a risk" in found["load.gct_imbalance"].explanation
    assert found["load.low_cadence"].value == pytest.approx(162)
    assert found["load.vertical_oscillation_high"].evidence.level is EvidenceLevel.NONE


def test_three_of_five_is_not_persistent_and_old_patterns_are_not_current() -> None:
    found = findings_for(_dynamics_runs(3), 28)
    assert not {"load.gct_imbalance", "load.low_cadence", "load.vertical_oscillation_high"} & set(found)
    assert "load.gct_imbalance" not in findings_for(_dynamics_runs(5), 80)


def test_no_baseline_no_dynamics_finding() -> None:
    acts = _dynamics_runs(5)[8:]  # 2 baseline runs only
    assert "load.gct_imbalance" not in findings_for(acts, 28)


def test_synthetic_balance_shift_is_found_end_to_end(workspace: Workspace) -> None:
    runs = generate_runs(dt.date(2026, 1, 5), 84, seed=11, with_series=False,
                         balance_shift_from=dt.date(2026, 3, 9))
    wf.store_activities(workspace, None, runs)
    codes = {f.code for f in wf.latest_load_findings(workspace, None, today=dt.date(2026, 3, 29))}
    assert "load.gct_imbalance" in codes
    before = {f.code for f in wf.latest_load_findings(workspace, None, today=dt.date(2026, 3, 8))}
    assert "load.gct_imbalance" not in before


def test_load_command_json_snapshot(cli, snapshot) -> None:  # type: ignore[no-untyped-def]
    from backstride.config import Settings

    ws = Workspace.open(Settings(data_dir=cli.data_dir))
    wf.store_activities(ws, None, generate_runs(dt.date(2026, 1, 5), 56, seed=2, with_series=False))
    ws.close()
    result = cli("load", "--weeks", "3", "--today", "2026-03-01", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) == {"summary", "findings"}
    assert [w["week_start"] for w in doc["summary"]["weeks"]] == ["2026-02-09", "2026-02-16", "2026-02-23"]
    assert doc == snapshot


@pytest.mark.parametrize("balance, words", [(50.5, "middle 40 %"), (48.0, "middle 90 %"), (52.5, "10 %")])
def test_balance_is_placed_in_garmins_population_not_called_a_risk(balance: float, words: str) -> None:
    from backstride.load.dynamics import balance_population_band

    assert words in (balance_population_band(balance) or "")
