"""Check-ins on both databases: stored per day, edits audited, one transaction per check-in,
and the plan adapting from what was logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backstride.errors import NotFoundError, ValidationFailed
from backstride.journal.signals import Light
from backstride.plan.model import (
    Dose,
    Plan,
    PlanOptions,
    PlanStatus,
    PlanWeek,
    PrescribedExercise,
    ProgressionRule,
    ScheduledSession,
    SessionKind,
)
from backstride.storage import journal as store
from backstride.workflows import journal
from backstride.workflows.workspace import Workspace

D0 = dt.date(2025, 3, 3)   # a Monday
RUNNER = "amira"


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def log(ws: Workspace, i: int, **answers: Any) -> int:
    row = {"day": day(i).isoformat(), "pain_morning": 1, "pain_now": 1, **answers}
    return journal.log_entry(ws, RUNNER, row, today=day(i))


def test_entries_survive_a_restart(any_workspace: Workspace) -> None:
    for i in range(3):
        log(any_workspace, i, run_rpe=4 + i, run_distance_m=5000.0 + i)
    before = journal.list_entries(any_workspace, RUNNER)
    any_workspace.close()
    reopened = Workspace.open(any_workspace.settings)
    try:
        after = journal.list_entries(reopened, RUNNER)
        assert after == before and [e.day for e in after] == [day(0), day(1), day(2)]
        assert journal.rpe_by_date(reopened, RUNNER) == {day(0): 4.0, day(1): 5.0, day(2): 6.0}
    finally:
        reopened.close()


def test_editing_a_past_day_keeps_the_previous_values(any_workspace: Workspace) -> None:
    first_id = log(any_workspace, 0, pain_during_run=3)
    edited = journal.edit_entry(any_workspace, RUNNER, day(0), {"pain_during_run": 6, "notes": "misremembered"},
                                today=day(2))
    assert edited.pain_during_run == 6
    assert journal.get_entry(any_workspace, RUNNER, day(0)) == edited
    (edit,) = journal.entry_history(any_workspace, RUNNER, day(0))
    assert edit.previous["pain_during_run"] == 3 and edit.previous["notes"] == ""
    assert edit.changed_fields == ("notes", "pain_during_run")
    # logging the same day again is an edit of the same row, not a second entry
    assert log(any_workspace, 0, pain_during_run=6, notes="misremembered") == first_id
    assert len(journal.entry_history(any_workspace, RUNNER, day(0))) == 1   # nothing changed, nothing audited
    with pytest.raises(NotFoundError, match="no check-in"):
        journal.edit_entry(any_workspace, RUNNER, day(5), {"pain_now": 2}, today=day(5))


def test_a_crash_mid_write_stores_nothing(any_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    log(any_workspace, 0, limping=True)
    changes_before = journal.dose_history(any_workspace, RUNNER)
    assert changes_before, "a limping day starts the run-walk ladder"

    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("power cut while writing the dose changes")

    monkeypatch.setattr(store, "replace_changes", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        log(any_workspace, 1, pain_now=4)
    with pytest.raises(RuntimeError, match="power cut"):
        log(any_workspace, 0, limping=False)          # an edit that crashes
    monkeypatch.undo()
    entries = journal.list_entries(any_workspace, RUNNER)
    assert [e.day for e in entries] == [day(0)] and entries[0].limping
    assert journal.entry_history(any_workspace, RUNNER, day(0)) == []
    assert journal.dose_history(any_workspace, RUNNER) == changes_before


def test_rejected_input_names_every_field_and_stores_nothing(any_workspace: Workspace) -> None:
    with pytest.raises(ValidationFailed) as err:
        journal.log_entry(any_workspace, RUNNER, {"day": day(0).isoformat(), "pain_now": 11, "limping": "maybe",
                                                  "red_flags": ["not_a_flag"], "colour": "red"}, today=day(0))
    fields = sorted(p.field for p in err.value.problems)
    assert fields == ["colour", "limping", "pain_now", "red_flags"]
    with pytest.raises(ValidationFailed, match="in the future"):
        journal.log_entry(any_workspace, RUNNER, {"day": day(3).isoformat()}, today=day(0))
    assert journal.list_entries(any_workspace, RUNNER) == []


RULE = ProgressionRule(exercise_id="bird_dog", target="3 x 12 reps", advance_to=None, regress_to=None,
                       sessions_at_target=2, max_pain_during_nrs=5, weekly_increment="+2 reps", source="jr_acsm_2009")
BIRD_DOG = PrescribedExercise("bird_dog", "Bird dog", Dose(sets=2, reps=8, per_side=True), "beginner", 240)
STRETCH = PrescribedExercise("hip_flexor_stretch", "Hip flexor stretch", Dose(sets=2, hold_s=30, per_side=True),
                             "beginner", 150)


def two_week_plan() -> Plan:
    weeks = []
    for w in range(2):
        start = day(7 * w)
        sessions = (
            ScheduledSession(start, SessionKind.STRENGTH, "Strength", (BIRD_DOG,)),
            ScheduledSession(start + dt.timedelta(days=1), SessionKind.RUN, "Easy run", (), "30 min easy"),
            ScheduledSession(start + dt.timedelta(days=1), SessionKind.POST_RUN, "After the run", (STRETCH,)),
            ScheduledSession(start + dt.timedelta(days=3), SessionKind.STRENGTH, "Strength", (BIRD_DOG,)),
        )
        weeks.append(PlanWeek(w + 1, start, "control", sessions))
    return Plan(status=PlanStatus.PLAN, options=PlanOptions(start_date=D0, weeks=2), triage_tier="self_manage",
                requires_clinician_agreement=False, headline="Two weeks", weeks=tuple(weeks),
                strength=(BIRD_DOG,), post_run=(STRETCH,), progression_rules=(RULE,))


def store_plan(ws: Workspace, plan: Plan) -> None:
    from backstride.storage import plans as plan_store

    with ws.transaction() as session:
        plan_store.add_plan(session, ws.runner_id(session, RUNNER), plan)


def test_two_weeks_of_check_ins_adapt_the_plan(any_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = any_workspace
    store_plan(ws, two_week_plan())
    bird = [{"exercise_id": "bird_dog", "sets": 2, "reps": 8, "pain_during": 2}]
    log(ws, 0, exercises=bird)
    log(ws, 1, pain_during_run=2, run_distance_m=6000)
    log(ws, 2)
    log(ws, 3, exercises=bird)
    d = journal.decide_today(ws, RUNNER, day(3))
    assert d.light is Light.GREEN
    (ex,) = d.planned.exercises
    assert ex.dose == Dose(sets=2, reps=8, per_side=True) and "1 of 2 sessions" in ex.why

    log(ws, 4)                      # next morning settled: second qualifying session -> advance
    (change,) = journal.dose_history(ws, RUNNER)
    assert (change.day, change.subject, change.kind) == (day(4), "bird_dog", "advance")
    assert change.after["dose_text"] == "2 x 10 reps each side"

    log(ws, 7)
    d = journal.decide_today(ws, RUNNER, day(7))
    (ex,) = d.planned.exercises
    assert ex.dose.reps == 10 and ex.planned_dose.reps == 8 and ex.why.startswith("advanced on")

    log(ws, 8, limping=True)        # a red day: no run, loaded work skipped, stretches kept
    d = journal.decide_today(ws, RUNNER, day(8))
    assert d.light is Light.RED and d.planned.run == "no run today"
    assert [(e.exercise_id, e.skip) for e in d.planned.exercises] == [("hip_flexor_stretch", False)]
    log(ws, 9)
    d = journal.decide_today(ws, RUNNER, day(9))
    assert d.ladder.active and d.ladder.stage == 1
    assert d.caps.max_duration_s == 10 * (15 + 105)
    kinds = [c.kind for c in journal.dose_history(ws, RUNNER)]
    assert kinds == ["advance", "ladder_enter"]

    prog = journal.progress(ws, RUNNER, day(13))
    assert [(a.week_start, a.planned, a.done) for a in prog.adherence] == [(day(0), 3, 2), (day(7), 3, 0)]
    assert prog.entries_logged == 8
    assert prog.pain[-1].day == day(13)


def test_a_single_run_spike_from_the_watch_makes_today_amber(workspace: Workspace) -> None:
    from backstride.activities.model import Activity
    from backstride.workflows.activities import store_activities

    def run(i: int, km: float) -> Activity:
        start = dt.datetime.combine(day(i), dt.time(7, 0), tzinfo=dt.UTC)
        return Activity(sport="running", start_time=start, elapsed_s=km * 330, timer_s=km * 330, distance_m=km * 1000)

    store_activities(workspace, RUNNER, [run(i, 8.0) for i in range(0, 21, 3)] + [run(22, 12.0)])
    log(workspace, 22, pain_during_run=1)
    log(workspace, 23)
    d = journal.decide_today(workspace, RUNNER, day(23))
    assert d.light is Light.AMBER
    spike = next(r for r in d.reasons if r.code == "load.single_run_spike")
    assert spike.source == "load_frandsen_2025"
    # usual run 8 km (watch data), amber cap 70 % of it
    assert d.caps.max_distance_m == 5600.0
    prog = journal.progress(workspace, RUNNER, day(23))
    assert [p[1] for p in prog.load_pain.pairs] == [12000.0]


def test_asking_about_an_unknown_runner_creates_nothing(workspace: Workspace) -> None:
    d = journal.decide_today(workspace, "nobody", day(0))
    assert d.light is Light.AMBER and not d.checked_in
    assert journal.progress(workspace, "nobody", day(0)).entries_logged == 0
    assert journal.dose_history(workspace, "nobody") == []
    assert workspace.list_runners() == []


def test_logging_days_out_of_order_records_the_same_changes(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from backstride.config import Settings

    monkeypatch.setattr(journal, "_current_plan", lambda _ws, _runner: two_week_plan())
    bird = [{"exercise_id": "bird_dog", "sets": 2, "reps": 8, "pain_during": 2}]
    rows = {i: {"day": day(i).isoformat(), "pain_morning": 1, "pain_now": 1} for i in range(12)}
    for i in (0, 3):
        rows[i]["exercises"] = bird
    rows[8]["limping"] = True
    histories = []
    for name, order in (("forward", sorted(rows)), ("backward", sorted(rows, reverse=True))):
        ws = Workspace.open(Settings(data_dir=tmp_path / name, database_url=None))
        for i in order:
            journal.log_entry(ws, RUNNER, rows[i], today=day(11))
        histories.append(journal.dose_history(ws, RUNNER))
        ws.close()
    assert histories[0] == histories[1]
    assert [c.kind for c in histories[0]] == ["advance", "ladder_enter"]
