"""``assess()``: one read of what is known about a runner, shared by the plan, today, home and the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.demo.synthetic_runs import generate_runs
from backstride.findings.merge import merge_findings
from backstride.findings.model import Evidence, EvidenceLevel, Finding, Severity
from backstride.workflows import activities, journal, reports, screening
from backstride.workflows.assessment import FINDINGS_WEEKS, assess
from backstride.workflows.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 3, 29)


def _counting(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the transactions ``ws`` opens from now on."""
    opened = [0]
    original: Callable[[], AbstractContextManager[Any]] = ws.transaction

    def transaction() -> AbstractContextManager[Any]:
        opened[0] += 1
        return original()

    monkeypatch.setattr(ws, "transaction", transaction)
    return opened


@pytest.fixture
def runner(workspace: Workspace) -> Iterator[Workspace]:
    answers = screening.read_answers_file(REPO / "docs" / "examples" / "answers.yaml")
    screening.run_screening(workspace, "ana", answers, now=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    activities.store_activities(workspace, "ana", generate_runs(dt.date(2025, 9, 1), 210, seed=5, with_series=False))
    journal.log_entry(workspace, "ana", {"day": "2026-03-28", "pain_morning": 2, "run_distance_m": 8000,
                                         "run_rpe": 6}, today=DAY)
    yield workspace


def test_an_unknown_runner_gets_an_empty_assessment_and_no_profile(workspace: Workspace) -> None:
    known = assess(workspace, "nobody", DAY)
    assert not known.known and known.screening is None and known.findings == ()
    assert known.load.runs == [] and known.longest_run_30d_m is None
    journal.decide_today(workspace, "nobody", DAY)
    reports.inputs_for(workspace, "nobody", DAY)
    activities.load_summary(workspace, "nobody", today=DAY)
    assert workspace.list_runners() == []   # reading never creates a profile


def test_one_transaction_and_the_same_answers_as_each_use_case(runner: Workspace,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    rpe = journal.rpe_by_date(runner, "ana")
    summary = activities.load_summary(runner, "ana", weeks=FINDINGS_WEEKS, today=DAY, rpe_by_date=rpe)
    longest = activities.longest_run_last_30_days_m(runner, "ana", today=DAY)
    latest = screening.latest_screening(runner, "ana")
    opened = _counting(runner, monkeypatch)
    known = assess(runner, "ana", DAY)
    assert opened[0] == 1
    assert known.known and known.screening == latest
    assert known.load.to_dict() == summary.to_dict()
    assert known.rpe_by_date == {dt.date(2026, 3, 28): 6.0}
    assert [f.to_dict() for f in known.load_findings] == [f.to_dict() for f in
                                                          activities.latest_load_findings(runner, "ana", DAY, rpe)]
    assert known.longest_run_30d_m == longest and longest is not None and longest > 0
    assert known.form_findings == ()
    sources = [s for s, _ in known.findings]
    assert "Screening answers" in sources and "Training load" in sources
    ranks = [f.severity.rank for _, f in known.findings]
    assert ranks == sorted(ranks, reverse=True)


def test_a_longer_summary_comes_from_the_same_read(runner: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    known = assess(runner, "ana", DAY, history_weeks=26)
    opened = _counting(runner, monkeypatch)
    long = known.load_summary(26)
    assert opened[0] == 0
    rpe = journal.rpe_by_date(runner, "ana")
    assert long.to_dict() == activities.load_summary(runner, "ana", weeks=26, today=DAY, rpe_by_date=rpe).to_dict()
    with pytest.raises(ValueError, match="26 weeks"):
        known.load_summary(52)


def test_run_today_reads_twice_and_agrees_with_the_assessment(runner: Workspace,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    known = assess(runner, "ana", DAY)
    opened = _counting(runner, monkeypatch)
    decision, _plan = journal.today_answer(runner, "ana", DAY, assessment=known)
    assert opened[0] == 1   # the journal and the plan; everything else came with the assessment
    assert decision.to_dict() == journal.decide_today(runner, "ana", DAY).to_dict()


def test_the_report_findings_are_the_assessment_findings(runner: Workspace) -> None:
    report = reports.build_report(runner, "ana", today=DAY)
    listed = report.section("findings").data["findings"]
    assert [(s, f.code) for s, f in listed] == [(s, f.code) for s, f in assess(runner, "ana", DAY).findings]


def _finding(code: str, severity: Severity) -> Finding:
    return Finding(code=code, title=code, severity=severity, explanation="x",
                   evidence=Evidence(EvidenceLevel.LOW, ("load_frandsen_2025",)))


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(list(Severity))), max_size=12))
def test_merging_orders_by_severity_and_keeps_everything_stably(items: list[tuple[str, Severity]]) -> None:
    groups = [(source, [_finding(f"load.x{i}", sev) for i, (s, sev) in enumerate(items) if s == source])
              for source in ("a", "b", "c")]
    merged = merge_findings(groups)
    assert len(merged) == len(items)
    ranks = [p.finding.severity.rank for p in merged]
    assert ranks == sorted(ranks, reverse=True)
    flat = [(s, f.code) for s, fs in groups for f in fs]
    for rank in set(ranks):   # within one severity: the order of the groups, then the producer's order
        same = [(p.source, p.finding.code) for p in merged if p.finding.severity.rank == rank]
        assert same == [x for x in flat if x in set(same)]


def test_a_new_plan_replaces_the_decoded_one(runner: Workspace) -> None:
    from backstride.workflows import plans

    first_id, first = plans.generate_plan(runner, "ana", plans.make_options(start=DAY, weeks=4))
    assert plans.current_plan_with_id(runner, "ana") == (first_id, first)
    assert plans.current_plan_with_id(runner, "ana") == (first_id, first)   # from the workspace's cache
    second_id, second = plans.generate_plan(runner, "ana", plans.make_options(start=DAY, weeks=6))
    assert second != first and plans.current_plan_with_id(runner, "ana") == (second_id, second)
    assert journal.today_answer(runner, "ana", DAY)[1] == second
