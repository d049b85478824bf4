"""The session player: the steps it plays, what it logs, the terminal player and the web pages."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import Cli

from backstride.journal.entry import ExerciseLog, JournalEntry, merge_answers
from backstride.journal.session import (
    GET_READY_S,
    SWITCH_SIDES_S,
    GuidedSession,
    ItemResult,
    SessionItem,
    as_prescribed,
    pain_advice,
    pain_scale,
    steps_for,
    to_logs,
)
from backstride.plan.model import Dose
from backstride.workflows import journal, sessions
from backstride.workflows.workspace import Workspace
from session_helpers import plan_with_strength_today

RUNNER = "lena"
TODAY = dt.date.today()


def item(dose: Dose, ex_id: str = "bird_dog") -> SessionItem:
    return SessionItem(ex_id, ex_id, ex_id.replace("_", " "), dose)


# ---------------------------------------------------------------- steps and logs (pure)


def test_a_one_sided_rep_exercise_alternates_sides_with_a_switch_and_rests_between_sets() -> None:
    steps = steps_for(item(Dose(sets=2, reps=8, rest_s=45, per_side=True)), 0)
    assert [(s.kind, s.set_no, s.side) for s in steps] == [
        ("work", 1, "left"), ("switch", 1, "right"), ("work", 1, "right"), ("rest", 1, None),
        ("work", 2, "left"), ("switch", 2, "right"), ("work", 2, "right")]
    assert all(s.reps == 8 and s.seconds is None for s in steps if s.kind == "work")
    assert [s.seconds for s in steps if s.kind != "work"] == [SWITCH_SIDES_S, 45, SWITCH_SIDES_S]


def test_a_hold_is_a_countdown_and_reps_with_a_hold_are_counted() -> None:
    plank = steps_for(item(Dose(sets=3, hold_s=30, rest_s=30)), 0)
    assert [s.seconds for s in plank] == [30, 30, 30, 30, 30]   # hold, rest, hold, rest, hold
    bridge = steps_for(item(Dose(sets=1, reps=8, hold_s=3)), 0)
    assert bridge[0].reps == 8 and bridge[0].hold_each_rep_s == 3 and bridge[0].seconds is None


@given(sets=st.integers(1, 6), reps=st.one_of(st.none(), st.integers(1, 30)), hold=st.one_of(st.none(), st.integers(5, 120)),
       rest=st.integers(0, 120), per_side=st.booleans())
def test_every_set_and_side_is_played_once(sets: int, reps: int | None, hold: int | None, rest: int,
                                           per_side: bool) -> None:
    dose = Dose(sets=sets, reps=reps, hold_s=hold, rest_s=rest,
                per_side=per_side)
    steps = steps_for(item(dose), 3)
    work = [s for s in steps if s.kind == "work"]
    assert len(work) == sets * (2 if per_side else 1)
    assert sum(1 for s in steps if s.kind == "rest") == (sets - 1 if rest else 0)
    assert all(s.item == 3 and 1 <= s.set_no <= sets for s in steps)
    assert steps[-1].kind == "work"   # never ends on a rest


def test_logs_carry_sets_reps_or_hold_and_pain_and_leave_out_skipped_exercises() -> None:
    session = GuidedSession(TODAY, "strength", "Strength", items=(
        item(Dose(sets=3, reps=10)), item(Dose(sets=3, hold_s=30), "front_plank"), item(Dose(sets=2, reps=8), "clam")))
    logs = to_logs(session, [ItemResult(0, 3, reps=9, pain_during=2), ItemResult(1, 0, pain_during=7, stopped_for_pain=True),
                             ItemResult(2, 0, skipped=True)])
    assert logs == [ExerciseLog("bird_dog", 3, 9, None, 2), ExerciseLog("front_plank", 0, None, None, 7)]
    assert to_logs(session, as_prescribed(session, 1))[1] == ExerciseLog("front_plank", 3, None, 30, 1)


def test_pain_advice_follows_the_pain_monitoring_limits() -> None:
    scale = pain_scale()
    assert (scale["safe_max"], scale["acceptable_max"]) == (2, 5)   # data/thresholds/journal.yaml
    assert "safe" in pain_advice(2, 5)
    assert "acceptable" in pain_advice(5, 5) and "Stop" not in pain_advice(5, 5)
    stop = pain_advice(6, 5)
    assert stop.startswith("Stop this exercise") and "6/10" in stop and "Today page" in stop


def test_merging_answers_keeps_the_day_and_merges_exercises_by_id() -> None:
    before = JournalEntry(TODAY, pain_morning=2, exercises=(ExerciseLog("bird_dog", 3, 10), ExerciseLog("clam", 2, 12)))
    merged = merge_answers(before, {"exercises": [{"exercise_id": "clam", "sets": 3, "reps": 12}]}, TODAY)
    assert merged["pain_morning"] == 2
    assert [(x["exercise_id"], x["sets"]) for x in merged["exercises"]] == [("bird_dog", 3), ("clam", 3)]


# ---------------------------------------------------------------- workflow


@pytest.fixture
def planned(workspace: Workspace) -> Workspace:
    plan_with_strength_today(workspace, RUNNER)
    return workspace


def test_todays_session_is_the_strength_session_at_the_journals_doses(planned: Workspace) -> None:
    guided = sessions.guided_session(planned, RUNNER)
    assert guided.routine == "strength" and guided.scheduled_today and guided.playable
    decision = journal.decide_today(planned, RUNNER, TODAY)
    strength = [e for e in decision.planned.exercises if e.session == "strength"]
    assert [(i.exercise_id, i.dose) for i in guided.items] == [(e.exercise_id, e.dose) for e in strength]
    assert all(i.instructions and i.cues for i in guided.items)   # the library's words come along
    data = guided.to_dict()
    assert json.loads(json.dumps(data)) == data and data["steps"] and data["get_ready_s"] == GET_READY_S


def test_any_routine_plays_even_when_it_is_not_scheduled_today(planned: Workspace) -> None:
    for name in ("before-run", "after run", "desk", "strength"):
        guided = sessions.guided_session(planned, RUNNER, name)
        assert guided.items, name
    with pytest.raises(Exception, match="is not a routine"):
        sessions.guided_session(planned, RUNNER, "yoga")


def test_logging_a_session_keeps_the_check_in_and_earlier_exercises(planned: Workspace) -> None:
    journal.log_entry(planned, RUNNER, {"day": TODAY.isoformat(), "pain_morning": 2}, today=TODAY)
    desk = sessions.guided_session(planned, RUNNER, "desk")
    sessions.log_session(planned, RUNNER, desk, as_prescribed(desk, 0))
    strength = sessions.guided_session(planned, RUNNER, "strength")
    sessions.log_session(planned, RUNNER, strength, as_prescribed(strength, 1))
    entry = journal.get_entry(planned, RUNNER, TODAY)
    assert entry is not None and entry.pain_morning == 2
    ids = [x.exercise_id for x in entry.exercises]
    assert set(ids) == {i.exercise_id for i in desk.items} | {i.exercise_id for i in strength.items}
    assert len(ids) == len(set(ids))
    week = journal.progress(planned, RUNNER, TODAY).adherence[-1]
    assert week.done >= 1


def test_a_danger_sign_blocks_the_player(planned: Workspace) -> None:
    from backstride.journal.questions import red_flag_questions

    code = next(iter(red_flag_questions()))
    journal.log_entry(planned, RUNNER, {"day": TODAY.isoformat(), "red_flags": [code]}, today=TODAY)
    guided = sessions.guided_session(planned, RUNNER)
    assert guided.blocked and not guided.playable


def test_a_red_day_sets_loaded_work_aside_but_keeps_the_gentle_routines(planned: Workspace) -> None:
    journal.log_entry(planned, RUNNER, {"day": TODAY.isoformat(), "pain_during_run": 7, "run_distance_m": 5000},
                      today=TODAY)
    strength = sessions.guided_session(planned, RUNNER, "strength")
    assert not strength.items and strength.skipped and not strength.blocked
    assert all("red day" in why for _name, why in strength.skipped)
    assert sessions.guided_session(planned, RUNNER, "after-run").playable


def test_no_plan_blocks_the_player_with_a_way_forward(workspace: Workspace) -> None:
    guided = sessions.guided_session(workspace, RUNNER)
    assert not guided.playable and "no plan" in guided.blocked


# ---------------------------------------------------------------- terminal


def test_session_json_prints_the_session_and_stores_nothing(cli: Cli, tmp_path: Any) -> None:
    _plan_from_cli(cli)
    res = cli("session", "--json")
    assert res.exit_code == 0, res.stdout
    doc = res.json()
    assert doc["stored"] == [] and doc["session"]["steps"]
    assert cli("today", "--json").json()["checked_in"] is False


def test_session_done_logs_like_log_exercise(cli: Cli) -> None:
    _plan_from_cli(cli)
    res = cli("session", "--routine", "desk", "--done", "--pain", "1", "--json")
    assert res.exit_code == 0, res.stdout
    stored = res.json()["stored"]
    assert stored and all(x["pain_during"] == 1 for x in stored)
    first = stored[0]
    amount = f"{first['reps']}" if first["reps"] is not None else f"{first['hold_s']}s"
    # The same exercise logged again by hand replaces its row and keeps the others.
    again = cli("log", "--exercise", f"{first['exercise_id']}:1x{amount}:3", "--json")
    assert again.exit_code == 0, again.stdout
    logged = again.json()["entries"][0]["exercises"]
    assert len(logged) == len(stored)
    assert next(x for x in logged if x["exercise_id"] == first["exercise_id"])["pain_during"] == 3


def test_session_rejects_bad_options_with_a_message(cli: Cli) -> None:
    _plan_from_cli(cli)
    assert cli("session", "--routine", "yoga", "--json").exit_code == 1
    assert cli("session", "--pain", "3", "--json").exit_code == 1
    assert cli("session", "--day", "someday", "--json").exit_code == 1


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


def test_the_terminal_player_plays_counts_and_stops_for_pain(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from backstride.cli import session as cli_session

    clock = FakeClock()
    monkeypatch.setattr(cli_session, "_now", clock.now)
    monkeypatch.setattr(cli_session, "_sleep", clock.sleep)
    _plan_from_cli(cli)
    guided = cli("session", "--json").json()["session"]
    items = guided["items"]
    answers = ["h", "7"]                              # first exercise: it hurts, 7/10, so it stops
    answers.append("")                                # second: start, then every set as prescribed
    answers += ["" for s in guided["steps"] if s["item"] == 1 and s["kind"] == "work" and s["reps"] is not None]
    answers += ["s"] * (len(items) - 2)               # skip the rest
    answers.append("y")                               # save to the journal
    res = cli("session", input="\n".join(answers) + "\n")
    assert res.exit_code == 0, res.stdout
    assert "Stop this exercise for today: 7/10" in res.stdout
    assert "Saved 2 exercises" in res.stdout
    assert clock.t >= sum(s["seconds"] or 0 for s in guided["steps"] if s["item"] == 1)   # countdowns ran, on the fake clock
    logged = {x["exercise_id"]: x for x in cli("today", "--json").json()["planned"]["exercises"]}
    entry = journal_entry(cli)
    assert entry[items[0]["exercise_id"]]["pain_during"] == 7 and entry[items[0]["exercise_id"]]["sets"] == 0
    second = entry[items[1]["exercise_id"]]
    assert second["sets"] == items[1]["dose"]["sets"]
    assert logged


def journal_entry(cli: Cli) -> dict[str, Any]:
    from backstride.config import Settings

    ws = Workspace.open(Settings(data_dir=cli.data_dir, database_url=None))
    try:
        entry = journal.get_entry(ws, None, TODAY)
    finally:
        ws.close()
    assert entry is not None
    return {x.exercise_id: x.to_dict() for x in entry.exercises}


def _plan_from_cli(cli: Cli) -> None:
    from backstride.config import Settings

    ws = Workspace.open(Settings(data_dir=cli.data_dir, database_url=None))
    try:
        plan_with_strength_today(ws, None)
    finally:
        ws.close()


# ---------------------------------------------------------------- web


@pytest.fixture
def web(client: Any) -> Any:
    from web_helpers import ws_of

    plan_with_strength_today(ws_of(client), "default")
    return client


def test_the_session_page_works_without_scripts_and_loads_only_its_own(web: Any) -> None:
    page = web.get("/session").text
    assert 'id="player"' in page and 'action="/session/log"' in page
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag   # no inline code
    assert not re.search(r"\son[a-z]+=", page)                                 # no inline handlers
    data = json.loads(re.search(r'<script type="application/json" id="session-data">(.*?)</script>', page, re.S)[1])
    assert data["routine"] == "strength" and data["items"]
    assert "</script" not in json.dumps(data) or "\\u003c" in page
    assert web.get("/static/player.js").status_code == 200


def test_the_plain_form_logs_the_session_and_today_shows_it(web: Any) -> None:
    data = _session_data(web)
    first = data["items"][0]
    form: dict[str, Any] = {"routine": "strength", "day": TODAY.isoformat(), "done": [first["exercise_id"]],
                            f"sets__{first['exercise_id']}": "2", f"pain__{first['exercise_id']}": "1"}
    if first["dose"]["reps"] is not None:
        form[f"reps__{first['exercise_id']}"] = str(first["dose"]["reps"])
    res = web.post("/session/log", data=form, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].startswith("/today")
    today = web.get("/today").text
    assert "Exercises logged today" in today and first["name"] in today
    assert re.search(r'name="done" value="' + first["exercise_id"] + '" checked', today)


def test_the_player_gets_json_back_and_a_bad_number_is_named(web: Any) -> None:
    data = _session_data(web)
    ex = data["items"][1]["exercise_id"]
    ok = web.post("/session/log", data={"routine": "strength", "done": [ex], f"sets__{ex}": "1", f"pain__{ex}": "7"},
                  headers={"Accept": "application/json"})
    assert ok.status_code == 200 and ok.json()["stored"][0]["pain_during"] == 7
    bad = web.post("/session/log", data={"routine": "strength", "done": [ex], f"sets__{ex}": "99"},
                   headers={"Accept": "application/json"})
    assert bad.status_code == 400
    assert "sets" in json.dumps(bad.json()["error"]["problems"])
    nothing = web.post("/session/log", data={"routine": "strength"}, headers={"Accept": "application/json"})
    assert nothing.status_code == 400 and "nothing was done" in nothing.json()["error"]["message"]


def test_the_web_check_in_logs_sets_reps_and_pain_per_exercise(web: Any) -> None:
    page = web.get("/today").text
    assert 'id="checkin-exercises"' in page and "Start today's session" in page
    decision = journal.decide_today(web.app.state.workspace, "default", TODAY)
    e = next(x for x in decision.planned.exercises if x.dose.reps is not None)
    form = {"day": TODAY.isoformat(), "pain_morning": "1", "done": [e.exercise_id],
            f"sets__{e.exercise_id}": "1", f"reps__{e.exercise_id}": "5", f"pain__{e.exercise_id}": "4"}
    assert web.post("/today", data=form, follow_redirects=False).status_code == 303
    entry = journal.get_entry(web.app.state.workspace, "default", TODAY)
    assert entry is not None and entry.exercises == (ExerciseLog(e.exercise_id, 1, 5, None, 4),)


def test_the_check_in_form_keeps_an_extra_routine_played_that_day(web: Any) -> None:
    ws = web.app.state.workspace
    desk = sessions.guided_session(ws, "default", "pre_run")
    sessions.log_session(ws, "default", desk, as_prescribed(desk, 0))
    assert web.post("/today", data={"day": TODAY.isoformat(), "pain_morning": "1"},
                    follow_redirects=False).status_code == 303
    entry = journal.get_entry(ws, "default", TODAY)
    assert entry is not None
    planned = {e.exercise_id for e in journal.decide_today(ws, "default", TODAY).planned.exercises}
    extra = {i.exercise_id for i in desk.items} - planned
    assert extra <= {x.exercise_id for x in entry.exercises}


def test_two_sessions_at_target_with_low_pain_advance_the_exercise_in_plan_show(web: Any, cli: Cli) -> None:
    ws = web.app.state.workspace
    plan = journal._current_plan(ws, "default")
    assert plan is not None
    strength_days = sorted(s.date for s in plan.sessions() if s.kind.value == "strength" and s.date < TODAY)[:2]
    assert len(strength_days) == 2
    ex_id = next(s for s in plan.sessions() if s.date == strength_days[0] and s.kind.value == "strength").exercises[0].exercise_id
    day = strength_days[0]
    while day <= TODAY:   # a quiet journal: every morning 1/10
        journal.log_answers(ws, "default", day, {"pain_morning": 1}, today=TODAY)
        if day in strength_days:
            guided = sessions.guided_session(ws, "default", "strength", day)
            target = next(i for i in guided.items if i.plan_exercise_id == ex_id)
            form: dict[str, Any] = {"routine": "strength", "day": day.isoformat(), "done": [target.exercise_id],
                                    f"sets__{target.exercise_id}": str(target.dose.sets),
                                    f"pain__{target.exercise_id}": "1"}
            if target.dose.reps is not None:
                form[f"reps__{target.exercise_id}"] = str(target.dose.reps)
            elif target.timed:
                form[f"hold_s__{target.exercise_id}"] = str(target.dose.hold_s)
            assert web.post("/session/log", data=form, follow_redirects=False).status_code == 303
        day += dt.timedelta(days=1)
    shown = cli("plan", "show", "--json", "--runner", "default")
    assert shown.exit_code == 0, shown.stdout
    moved = shown.json()["adjusted_doses"][ex_id]
    assert moved["changes"] and moved["changes"][0]["kind"] == "advance"
    assert moved["why"].startswith("advance on") and "target met in 2 sessions" in moved["why"]
    text = cli("plan", "show", "--runner", "default").stdout
    assert "Where each dose stands" in text and "target met in 2" in text


def _session_data(web: Any) -> dict[str, Any]:
    page = web.get("/session?routine=strength").text
    return json.loads(re.search(r'id="session-data">(.*?)</script>', page, re.S)[1])  # type: ignore[index]

