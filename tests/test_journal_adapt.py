"""Weeks of check-ins drive the plan: each exercise change and each step of the run-walk ladder."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from backstride.journal.adapt import ExerciseSlot, parse_target, replay, step_down, step_up
from backstride.journal.entry import JournalEntry, parse_entry
from backstride.journal.ladder import ladder
from backstride.journal.signals import Light
from backstride.plan.model import Dose, ProgressionRule

D0 = dt.date(2026, 3, 2)   # a Monday


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def journal(rows: dict[int, dict[str, Any]], quiet_days: int, morning: int = 1) -> dict[dt.date, JournalEntry]:
    """A quiet morning every day, plus the given answers on the given day numbers."""
    out = {}
    for i in range(quiet_days):
        row = {"day": day(i).isoformat(), "pain_morning": morning, "pain_now": morning, **rows.get(i, {})}
        out[day(i)] = parse_entry(row)
    return out


def bird_dog(sets: int, reps: int, pain: int) -> dict[str, Any]:
    return {"exercises": [{"exercise_id": "bird_dog", "sets": sets, "reps": reps, "pain_during": pain}]}


RULE = ProgressionRule(exercise_id="bird_dog", target="3 x 12 reps", advance_to="bird_dog_weighted",
                       regress_to="quadruped_arm_reach", sessions_at_target=2, max_pain_during_nrs=5,
                       weekly_increment="+2 reps", source="jr_acsm_2009")
SLOTS = {"bird_dog": ExerciseSlot("bird_dog", "Bird dog", Dose(sets=2, reps=8, per_side=True), RULE)}


def summary(changes: Any) -> list[tuple[int, str, str]]:
    return [((c.day - D0).days, c.kind, c.after.get("dose_text", c.after.get("text", ""))) for c in changes]


def test_three_weeks_of_exercise_sessions_advance_hold_and_regress() -> None:
    rows = {
        0: bird_dog(2, 8, 2), 2: bird_dog(2, 8, 2),          # two sessions at target, settled -> advance
        4: bird_dog(2, 10, 1), 7: bird_dog(2, 10, 3),        # again -> advance
        9: bird_dog(2, 12, 6),                               # pain above 5/10 -> regress
        11: bird_dog(2, 10, 2),                              # next morning pain rose -> hold, count restarts
        12: {"pain_morning": 4},
        14: bird_dog(2, 9, 1),                               # target (10 reps) not met: nothing changes
    }
    result = replay(journal(rows, 16), SLOTS, day(15))
    assert summary(result.changes) == [
        (3, "advance", "2 x 10 reps each side"),
        (8, "advance", "2 x 12 reps each side"),
        (10, "regress", "2 x 10 reps each side"),
        (12, "hold", "2 x 10 reps each side"),
    ]
    reasons = [c.reason for c in result.changes]
    assert "target met in 2 sessions" in reasons[0]
    assert "pain during the exercise was 6/10" in reasons[2]
    assert "had not settled" in reasons[3]
    assert all(c.source == "jr_acsm_2009" for c in result.changes)
    state = result.exercises["bird_dog"]
    assert state.dose == Dose(sets=2, reps=10, per_side=True) and state.qualifying == 0


def test_limping_regresses_and_a_red_flag_holds() -> None:
    rows = {0: bird_dog(2, 8, 1), 1: {**bird_dog(2, 8, 1), "limping": True},
            3: {**bird_dog(2, 8, 1), "red_flags": ["fever_unwell"]}}
    result = replay(journal(rows, 5), SLOTS, day(4))
    kinds = [(c.subject, c.kind, (c.day - D0).days) for c in result.changes]
    assert ("bird_dog", "regress", 2) in kinds
    assert ("bird_dog", "hold", 3) in kinds
    assert not any(k == "advance" for _, k, _ in kinds)
    assert result.exercises["bird_dog"].dose.reps == 6


def test_harder_variant_once_the_rules_target_is_reached() -> None:
    slots = {"bird_dog": ExerciseSlot("bird_dog", "Bird dog", Dose(sets=3, reps=12), RULE)}
    rows = {0: bird_dog(3, 12, 0), 2: bird_dog(3, 12, 0)}
    result = replay(journal(rows, 4), slots, day(3))
    (change,) = result.changes
    assert change.kind == "advance"
    assert change.after["exercise_id"] == "bird_dog_weighted"
    assert result.exercises["bird_dog"].exercise_id == "bird_dog_weighted"
    # a log under the new id still counts for the same plan exercise
    rows.update({4: {"exercises": [{"exercise_id": "bird_dog_weighted", "sets": 3, "reps": 12, "pain_during": 7}]}})
    again = replay(journal(rows, 6), slots, day(5))
    assert again.changes[-1].kind == "regress"


def test_dose_steps_stay_inside_their_range() -> None:
    assert step_up(Dose(sets=2, hold_s=20)) == Dose(sets=2, hold_s=25)
    assert step_up(Dose(sets=2, hold_s=60)) == Dose(sets=3, hold_s=60)
    assert step_up(Dose(sets=4, reps=15)) is None
    assert step_down(Dose(sets=3, reps=10)) == Dose(sets=2, reps=10)
    assert step_down(Dose(sets=1, hold_s=10)) is None
    assert parse_target("3 x 40 s") == Dose(sets=3, hold_s=40)
    assert parse_target("12 reps") == Dose(sets=1, reps=12)
    assert parse_target("as far as comfortable") is None


def ladder_session(repeats: int = 10, pain: int = 2) -> dict[str, Any]:
    return {"runwalk_repeats": repeats, "pain_during_run": pain}


def test_red_day_starts_the_ladder_which_climbs_at_most_one_stage_a_week() -> None:
    rows: dict[int, dict[str, Any]] = {0: {"limping": True}}
    for i in range(2, 40, 2):        # a completed ladder session every other day
        rows[i] = ladder_session()
    result = replay(journal(rows, 40), {}, day(39))
    run = [c for c in result.changes if c.subject == "run"]
    assert run[0].kind == "ladder_enter" and (run[0].day - D0).days == 1 and run[0].after["stage"] == 1
    advances = [c for c in run if c.kind == "ladder_advance"]
    assert [c.after["stage"] for c in advances] == [2, 3, 4, 5, 6]
    gaps = [(b.day - a.day).days for a, b in itertools.pairwise(advances)]
    assert all(g >= ladder().min_days_per_stage for g in gaps)
    assert result.ladder.active and result.ladder.stage == 6
    assert result.lights[day(0)] is Light.RED


def test_unfinished_or_painful_ladder_sessions_do_not_count() -> None:
    rows: dict[int, dict[str, Any]] = {0: {"nerve_symptoms": True}}
    for i in range(2, 16, 2):
        rows[i] = ladder_session(repeats=8)       # short of the 10 repeats
    result = replay(journal(rows, 16), {}, day(15))
    assert result.ladder.stage == 1 and not [c for c in result.changes if c.kind == "ladder_advance"]


def test_red_day_on_the_ladder_steps_back_and_the_top_stage_ends_it() -> None:
    top = ladder().top
    rows: dict[int, dict[str, Any]] = {0: {"red_flags": ["fever_unwell"]}}
    for i in range(2, 7 * (top + 1), 2):
        rows[i] = ladder_session()
    days = 7 * (top + 1) + 2
    result = replay(journal(rows, days), {}, day(days - 1))
    kinds = [c.kind for c in result.changes if c.subject == "run"]
    assert kinds[0] == "ladder_enter" and kinds[-1] == "ladder_complete"
    assert kinds.count("ladder_advance") == top - 1
    assert not result.ladder.active
    # a limping day in the middle of stage 4 sends the runner back to stage 3
    rows[24] = {**ladder_session(), "limping": True}
    stepped = replay(journal(rows, 26), {}, day(25))
    back = [c for c in stepped.changes if c.kind == "ladder_regress"]
    assert back and back[0].before["stage"] == 4 and back[0].after["stage"] == 3


def test_several_amber_days_start_the_ladder_at_a_higher_stage() -> None:
    rows = {i: {"pain_during_run": 4, "run_distance_m": 5000} for i in (0, 2, 4)}
    result = replay(journal(rows, 6), {}, day(5))
    enter = [c for c in result.changes if c.kind == "ladder_enter"]
    assert len(enter) == 1
    assert enter[0].after["stage"] == ladder().entry_stage_after_amber
    assert "3 amber days" in enter[0].reason
