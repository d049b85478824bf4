"""End to end with the real neighbours: screening, a generated plan, check-ins, `today` and the
explanation of each dose that `plan show` can print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import Cli

from backstride.journal.signals import Light
from backstride.units import date_words
from backstride.workflows import journal
from backstride.workflows.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
RUNNER = "lena"


@pytest.fixture
def planned(workspace: Workspace) -> tuple[Workspace, object]:
    plans = pytest.importorskip("backstride.workflows.plans")
    screening = pytest.importorskip("backstride.workflows.screening")
    answers = screening.read_answers_file(REPO / "docs" / "examples" / "answers.yaml")
    screening.run_screening(workspace, RUNNER, answers)
    start = dt.date.today() - dt.timedelta(days=14)
    _plan_id, plan = plans.generate_plan(workspace, RUNNER, plans.make_options(start=start, weeks=4))
    if plan.is_referral:
        pytest.skip("the example answers lead to a referral, not a plan")
    return workspace, plan


def test_logged_sessions_move_a_real_plan_exercise_and_today_shows_it(planned: tuple[Workspace, object]) -> None:
    ws, plan = planned
    strength = [s for s in plan.sessions() if s.exercises and s.kind.value == "strength"]  # type: ignore[attr-defined]
    ex = strength[0].exercises[0]
    first, second = [s for s in strength if any(e.exercise_id == ex.exercise_id for e in s.exercises)][:2]
    dose = ex.dose
    done = [{"exercise_id": ex.exercise_id, "sets": dose.sets, "reps": dose.reps, "hold_s": dose.hold_s,
             "pain_during": 1}]
    today = dt.date.today()
    day = first.date
    while day <= today:   # a quiet journal, with the exercise done at target on its first two sessions
        row = {"day": day.isoformat(), "pain_morning": 1, "pain_now": 1}
        if day in (first.date, second.date):
            row["exercises"] = done
        journal.log_entry(ws, RUNNER, row, today=today)
        day += dt.timedelta(days=1)
    explained = journal.explain_doses(ws, RUNNER, today)[ex.exercise_id]
    assert explained.planned_dose == dose
    assert explained.changes and explained.changes[0].kind == "advance"
    assert explained.dose != dose and explained.why.startswith("advance on")
    history = journal.dose_history(ws, RUNNER)
    assert [c.subject for c in history if c.kind == "advance"] == [ex.exercise_id]
    decision = journal.decide_today(ws, RUNNER, today)
    assert decision.light is Light.GREEN
    for item in decision.planned.exercises:
        if item.plan_exercise_id == ex.exercise_id:
            assert item.dose == explained.dose


def test_plan_show_explains_a_dose_the_journal_moved(cli: Cli) -> None:
    pytest.importorskip("backstride.cli.plans")
    start = dt.date.today() - dt.timedelta(days=14)
    assert cli("screen", "--answers", str(REPO / "docs" / "examples" / "answers.yaml"), "--json").exit_code == 0
    res = cli("plan", "--start", start.isoformat(), "--json")
    assert res.exit_code == 0
    plan = res.json()
    strength = [s for w in plan["weeks"] for s in w["sessions"] if s["kind"] == "strength" and s["exercises"]]
    ex = strength[0]["exercises"][0]
    dose = ex["dose"]
    days = [s["date"] for s in strength if any(e["exercise_id"] == ex["exercise_id"] for e in s["exercises"])][:2]
    day = dt.date.fromisoformat(days[0])
    while day <= dt.date.today():
        args = ["log", "--day", day.isoformat(), "--pain-morning", "1", "--pain-now", "1"]
        if day.isoformat() in days:
            amount = f"{dose['reps']}" if dose["reps"] is not None else f"{dose['hold_s']}s"
            args += ["--exercise", f"{ex['exercise_id']}:{dose['sets']}x{amount}:1"]
        assert cli(*args).exit_code == 0
        day += dt.timedelta(days=1)
    shown = cli("plan", "show", "--json").json()["adjusted_doses"][ex["exercise_id"]]
    assert shown["planned_dose"] == dose and shown["dose"] != dose
    assert shown["changes"][0]["kind"] == "advance" and "target met in 2 sessions" in shown["changes"][0]["reason"]
    text = cli("plan", "show").stdout
    assert "Where each dose stands" in text and "advance on" in text


def test_a_day_without_check_in_follows_the_latest_screening(workspace: Workspace) -> None:
    screening = pytest.importorskip("backstride.workflows.screening")
    answers = screening.read_answers_file(REPO / "docs" / "examples" / "answers.yaml")   # pain 3 to 4 of 10
    screening.run_screening(workspace, RUNNER, answers)
    today = dt.date.today()
    decision = journal.decide_today(workspace, RUNNER, today)
    assert decision.light is Light.AMBER and not decision.checked_in
    assert [r.code for r in decision.reasons] == ["journal.no_checkin_pain"]
    assert "4/10" in decision.reasons[0].message      # the highest rating the screening reported
    pain_free = {k: v for k, v in answers.items() if not k.startswith("pain") and k != "has_back_pain"}
    screening.run_screening(workspace, RUNNER, {**pain_free, "has_back_pain": False})
    decision = journal.decide_today(workspace, RUNNER, today)
    assert decision.light is Light.GREEN
    assert "screening on " + date_words(today, today) in decision.reasons[0].message
