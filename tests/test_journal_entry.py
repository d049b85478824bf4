"""Check-in entries: validation that names every field, round trips, and yesterday's defaults."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.errors import ValidationFailed
from backstride.journal.entry import (
    ExerciseLog,
    JournalEntry,
    changed_fields,
    defaults_from,
    parse_entry,
)
from backstride.journal.questions import red_flag_questions

DAY = dt.date(2025, 4, 7)


def test_loose_input_is_converted() -> None:
    e = parse_entry({"day": "2025-04-07", "pain_now": "3", "pain_morning": 2.0, "limping": "no",
                     "nerve_symptoms": "yes", "red_flags": "fever_unwell, fever_unwell", "run_distance_m": "8000",
                     "exercises": [{"exercise_id": "bird_dog", "sets": "3", "reps": 10, "pain_during": "2"}],
                     "notes": "  hilly  "})
    assert e == JournalEntry(day=DAY, pain_now=3, pain_morning=2, nerve_symptoms=True, red_flags=("fever_unwell",),
                             run_distance_m=8000.0, exercises=(ExerciseLog("bird_dog", 3, 10, None, 2),),
                             notes="hilly")
    assert e.ran and e.stop_signal and e.day_pain == 3


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_entry({"day": "7 April", "pain_now": -1, "run_rpe": 11, "limping": "sometimes",
                     "exercises": [{"sets": 2}, {"exercise_id": "x", "sets": 50, "pain_during": 12}]})
    fields = [p.field for p in err.value.problems]
    assert fields == ["day", "pain_now", "run_rpe", "limping", "exercises[0].exercise_id",
                      "exercises[1].sets", "exercises[1].pain_during"]
    assert "nothing was stored" in str(err.value)


def test_red_flags_are_checked_against_the_question_set() -> None:
    known = frozenset(red_flag_questions())
    assert {"bladder_bowel", "saddle_numbness", "both_legs_weak"} <= known
    assert all(q.source == "nice_cks_lbp" for q in red_flag_questions().values())
    with pytest.raises(ValidationFailed, match="not a red-flag question"):
        parse_entry({"day": "2025-04-07", "red_flags": ["itchy"]}, known_red_flags=known)


def test_defaults_carry_slow_answers_only() -> None:
    yesterday = JournalEntry(DAY, pain_now=3, pain_morning=2, stiffness_morning_min=15, limping=True,
                             pain_during_run=4, red_flags=("fever_unwell",))
    today = defaults_from(yesterday, DAY + dt.timedelta(days=1))
    assert (today.pain_now, today.pain_morning, today.stiffness_morning_min) == (3, 2, 15)
    assert not today.limping and today.red_flags == () and today.pain_during_run is None
    assert defaults_from(None, DAY) == JournalEntry(DAY)
    assert changed_fields(yesterday, today) == ("day", "limping", "pain_during_run", "red_flags")


nrs = st.one_of(st.none(), st.integers(0, 10))


@settings(max_examples=100, deadline=None)
@given(pain_now=nrs, pain_morning=nrs, during=nrs, rpe=nrs, limping=st.booleans(), nerve=st.booleans(),
       flags=st.lists(st.sampled_from(sorted(red_flag_questions())), unique=True),
       metres=st.one_of(st.none(), st.floats(0, 100_000)), notes=st.text(max_size=50))
def test_stored_form_round_trips(pain_now: int | None, pain_morning: int | None, during: int | None,
                                 rpe: int | None, limping: bool, nerve: bool, flags: list[str],
                                 metres: float | None, notes: str) -> None:
    e = JournalEntry(DAY, pain_now=pain_now, pain_morning=pain_morning, pain_during_run=during, run_rpe=rpe,
                     run_distance_m=metres, limping=limping, nerve_symptoms=nerve, red_flags=tuple(sorted(flags)),
                     notes=notes.strip())
    assert JournalEntry.from_dict(e.to_dict()) == e
