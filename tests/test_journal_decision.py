"""The daily decision: each rule of the pain-monitoring model, the caps, flares, and invariants."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.journal.adapt import ExerciseSlot, replay
from backstride.journal.decision import DayContext, LoadSignal, decide
from backstride.journal.entry import ExerciseLog, JournalEntry, parse_entry
from backstride.journal.signals import Light, detect_flare, settled
from backstride.plan.model import Dose
from backstride.units import date_words

D0 = dt.date(2026, 3, 2)   # a Monday


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def entries(*rows: dict[str, Any]) -> dict[dt.date, JournalEntry]:
    out = {}
    for row in rows:
        e = parse_entry(row)
        out[e.day] = e
    return out


def quiet_week(start: int = 0, n: int = 7, pain: int = 1) -> list[dict[str, Any]]:
    return [{"day": day(i).isoformat(), "pain_morning": pain, "pain_now": pain} for i in range(start, start + n)]


def verdict(es: dict[dt.date, JournalEntry], on: dt.date, context: DayContext | None = None) -> Any:
    return decide(es, on, context or DayContext(), replay(es, {}, on))


def codes(decision: Any) -> set[str]:
    return {r.code for r in decision.reasons}


def test_quiet_day_is_green_with_long_run_ceiling() -> None:
    es = entries(*quiet_week())
    d = verdict(es, day(6), DayContext(longest_run_30d_m=10_000, usual_run_m=6_000))
    assert d.light is Light.GREEN
    assert d.reasons == ()
    assert d.caps.max_distance_m == pytest.approx(11_000)   # longest of 30 days + 10 %
    assert d.caps.source == "jr_frandsen_2025"
    assert "extrapolation" in d.note and "Achilles" in d.note


@pytest.mark.parametrize(("field", "value", "code"), [
    ("limping", True, "journal.limping"),
    ("nerve_symptoms", True, "journal.nerve_symptoms"),
    ("red_flags", ["saddle_numbness"], "journal.red_flag"),
    ("pain_now", 6, "journal.pain_today_high"),
])
def test_hard_stops_are_red(field: str, value: Any, code: str) -> None:
    rows = quiet_week()
    rows[-1][field] = value
    d = verdict(entries(*rows), day(6))
    assert d.light is Light.RED
    assert code in codes(d)
    assert d.caps.max_distance_m == 0 and d.caps.max_duration_s == 0
    assert "No running today" in d.what_to_do


def test_red_flag_sends_back_to_screening_with_emergency_advice() -> None:
    rows = quiet_week()
    rows[-1]["red_flags"] = ["bladder_bowel"]
    d = verdict(entries(*rows), day(6))
    assert d.back_to_screening and d.rescreen
    assert d.emergency and d.steps[0].startswith("Go to an emergency department now")
    assert d.what_to_do == " ".join(d.steps)
    assert "repeat the screening" in d.what_to_do and "`backstride" not in d.what_to_do
    assert "walk is fine" not in d.what_to_do     # no training advice next to an emergency
    assert "New trouble passing urine" in d.reasons[0].message
    rows[-1]["red_flags"] = ["fever_unwell"]        # urgent, not an emergency: screening first
    d = verdict(entries(*rows), day(6))
    assert not d.emergency and d.what_to_do.startswith("No running today")
    assert "Repeat the screening now" in d.what_to_do and "If you have numbness around your bottom" in d.what_to_do


def test_an_emergency_day_skips_even_the_gentle_exercises() -> None:
    from backstride.plan.model import PrescribedExercise

    stretch = PrescribedExercise("hip_flexor_stretch", "Hip flexor stretch", Dose(sets=2, hold_s=30), "beginner", 90)
    bridge = PrescribedExercise("glute_bridge", "Glute bridge", Dose(sets=2, reps=10), "beginner", 120)
    planned = [("post_run", stretch), ("strength", bridge)]
    rows = quiet_week()
    for code, emergency in (("fever_unwell", False), ("bladder_bowel", True)):
        rows[-1]["red_flags"] = [code]
        es = entries(*rows)
        d = decide(es, day(6), DayContext(), replay(es, {}, day(6)), exercises=planned)
        assert d.emergency is emergency
        assert [(e.exercise_id, e.skip) for e in d.planned.exercises] == [
            ("hip_flexor_stretch", emergency), ("glute_bridge", True)]


def test_pain_during_run_zones() -> None:
    for pain, light in ((2, Light.GREEN), (3, Light.AMBER), (5, Light.AMBER), (6, Light.RED)):
        rows = quiet_week()
        rows[5].update({"pain_during_run": pain, "run_distance_m": 5000})
        d = verdict(entries(*rows), day(6), DayContext(usual_run_m=6000, longest_run_30d_m=8000))
        assert d.light is light, pain


def test_amber_cap_is_a_shorter_run_never_above_the_ceiling() -> None:
    rows = quiet_week()
    rows[5]["pain_during_run"] = 4
    d = verdict(entries(*rows), day(6), DayContext(usual_run_m=10_000, longest_run_30d_m=8_000))
    assert d.light is Light.AMBER
    # 70 % of the usual 10 km is 7 km, below the 8.8 km ceiling
    assert d.caps.max_distance_m == pytest.approx(7_000)
    d2 = verdict(entries(*rows), day(6), DayContext())
    assert d2.caps.max_distance_m is None and d2.caps.max_duration_s == 1200
    assert d2.steps[0].startswith("A shorter, easier run today: at most 20 minutes")
    rows[6].update({"pain_during_run": 4, "run_distance_m": 5000})   # today's run is already logged
    d3 = verdict(entries(*rows), day(6), DayContext())
    assert d3.light is Light.AMBER and d3.steps[0].startswith("Your next run shorter and easier: at most 20 minutes")


def test_pain_not_settled_next_morning_is_red() -> None:
    rows = quiet_week(pain=2)
    rows[5].update({"pain_during_run": 3, "pain_after_run": 4})
    rows[6]["pain_morning"] = 4          # 2 the morning before, tolerance 1 point
    es = entries(*rows)
    assert settled(es, day(5)) is False
    d = verdict(es, day(6))
    assert d.light is Light.RED and "journal.not_settled" in codes(d)
    rows[6]["pain_morning"] = 3
    es = entries(*rows)
    assert settled(es, day(5)) is True
    assert "journal.not_settled" not in codes(verdict(es, day(6)))


def test_morning_pain_creeping_up_week_to_week_is_amber() -> None:
    rows = quiet_week(0, 7, pain=1) + quiet_week(7, 7, pain=2)
    d = verdict(entries(*rows), day(13))
    assert d.light is Light.AMBER and "journal.morning_pain_rising" in codes(d)


def test_load_finding_makes_amber_and_names_its_source() -> None:
    es = entries(*quiet_week())
    spike = LoadSignal("load.single_run_spike", "Your last run was 35 % longer than your longest of 30 days.",
                       "jr_frandsen_2025")
    d = verdict(es, day(6), DayContext(load_signals=(spike,), usual_run_m=5000, longest_run_30d_m=9000))
    assert d.light is Light.AMBER
    assert [(r.code, r.source) for r in d.reasons] == [("load.single_run_spike", "jr_frandsen_2025")]


def test_no_checkin_after_pain_free_days_is_green_and_says_what_it_rests_on() -> None:
    es = entries(*quiet_week(0, 5))          # pain 1 (inside the safe zone) up to day 4
    d = verdict(es, day(6), DayContext(longest_run_30d_m=10_000, usual_run_m=6_000))
    assert d.light is Light.GREEN and not d.checked_in
    [reason] = d.reasons
    assert reason.code == "journal.no_checkin" and reason.light is Light.GREEN
    assert date_words(day(4), day(5)) in reason.message and "confirm" in reason.message
    assert d.caps.max_distance_m == pytest.approx(11_000)   # the usual long-run ceiling, no amber cap
    assert "Log this morning's check-in" in d.what_to_do and "tomorrow" not in d.what_to_do


def test_no_checkin_after_a_pain_free_screening_is_green() -> None:
    d = verdict({}, day(6), DayContext(screening_day=day(3), screening_pain=0))
    assert d.light is Light.GREEN
    assert "screening on " + date_words(day(3), day(5)) in d.reasons[0].message and "no pain" in d.reasons[0].message


@pytest.mark.parametrize("pain", [3, 5, 7])
def test_no_checkin_after_pain_above_the_safe_zone_stays_amber(pain: int) -> None:
    rows = quiet_week(0, 5)
    rows[-1]["pain_now"] = pain              # the last check-in, two days ago
    d = verdict(entries(*rows), day(6))
    assert d.light is Light.AMBER and "journal.no_checkin_pain" in codes(d)
    assert d.caps.max_duration_s == 1200 and f"{pain}/10" in d.reasons[0].message
    # the same from the screening when no check-in came after it
    d = verdict({}, day(6), DayContext(screening_day=day(5), screening_pain=pain))
    assert d.light is Light.AMBER and "journal.no_checkin_pain" in codes(d)


def test_the_newer_report_decides_between_screening_and_check_in() -> None:
    painful_screening = DayContext(screening_day=day(1), screening_pain=4)
    es = entries(*quiet_week(2, 3, pain=0))  # pain-free check-ins after the screening
    assert verdict(es, day(6), painful_screening).light is Light.GREEN
    painful = entries({"day": day(1).isoformat(), "pain_now": 4})
    assert verdict(painful, day(6), DayContext(screening_day=day(3), screening_pain=0)).light is Light.GREEN
    assert verdict(painful, day(6), DayContext(screening_day=day(0), screening_pain=0)).light is Light.AMBER
    nerve = DayContext(screening_day=day(3), screening_pain=1, screening_nerve=True)
    assert "journal.no_checkin_nerve" in codes(verdict({}, day(6), nerve))


def test_no_checkin_and_nothing_known_is_amber() -> None:
    d = verdict({}, day(6))
    assert d.light is Light.AMBER and "journal.nothing_logged" in codes(d)
    assert "Nothing logged yet" in d.reasons[0].message
    only_exercises = entries({"day": day(4).isoformat(), "notes": "did my exercises"})
    d = verdict(only_exercises, day(6))
    assert d.light is Light.AMBER and d.reasons[0].message.startswith("No pain rating logged yet")


def test_a_load_finding_still_makes_a_day_without_check_in_amber() -> None:
    spike = LoadSignal("load.single_run_spike", "Your last run was much longer than usual.", "jr_frandsen_2025")
    d = verdict(entries(*quiet_week(0, 5)), day(6), DayContext(load_signals=(spike,), usual_run_m=5000))
    assert d.light is Light.AMBER and {"load.single_run_spike", "journal.no_checkin"} <= codes(d)


@pytest.mark.parametrize(("field", "value", "code"), [
    ("limping", True, "journal.last_checkin_stop"),
    ("nerve_symptoms", True, "journal.last_checkin_stop"),
    ("red_flags", ["fever_unwell"], "journal.last_checkin_red_flag"),
])
def test_a_stop_signal_in_the_last_check_in_is_carried_to_a_day_without_one(field: str, value: Any,
                                                                          code: str) -> None:
    rows = quiet_week(0, 5)
    rows[-1][field] = value
    d = verdict(entries(*rows), day(6))
    assert d.light is Light.RED and code in codes(d)
    assert d.caps.max_distance_m == 0 and d.caps.max_duration_s == 0
    assert d.back_to_screening is (field == "red_flags")
    # a screening taken after it (which asks every danger sign again) is the newer report
    later = verdict(entries(*rows), day(6), DayContext(screening_day=day(5), screening_pain=0))
    assert later.light is Light.GREEN


def test_triage_that_refers_now_is_red() -> None:
    es = entries(*quiet_week())
    d = verdict(es, day(6), DayContext(triage_refers_now=True, triage_what_to_do="Call 111 today."))
    assert d.light is Light.RED and d.back_to_screening
    assert any("Call 111 today." in r.message for r in d.reasons)


def test_flare_needs_two_days_two_points_above_baseline() -> None:
    rows = quiet_week(0, 14, pain=2) + quiet_week(14, 7, pain=2)
    rows[19]["pain_now"] = 4
    es = entries(*rows)
    assert detect_flare(es, day(19)) is None            # one raised day is not a flare
    rows[20]["pain_now"] = 5
    flare = detect_flare(entries(*rows), day(20))
    assert flare is not None and flare.days == (day(19), day(20)) and flare.baseline_nrs == 2
    d = verdict(entries(*rows), day(20))
    assert d.rescreen and "journal.flare" in codes(d) and d.light is Light.AMBER


# ---------------------------------------------------------------- properties

pain = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def histories(draw: st.DrawFn) -> dict[dt.date, JournalEntry]:
    n = draw(st.integers(3, 21))
    base = draw(st.integers(0, 3))    # the runner's usual morning pain
    out: dict[dt.date, JournalEntry] = {}
    for i in range(n):
        if i < n - 1 and draw(st.integers(0, 9)) == 0:
            continue   # a skipped day
        ran = draw(st.booleans())
        logs = ()
        if draw(st.integers(0, 3)) > 0:   # mostly sessions that meet the target, so progressions happen
            logs = (ExerciseLog("bird_dog", draw(st.sampled_from([1, 2, 3, 3])), draw(st.integers(7, 16)), None,
                                draw(st.sampled_from([0, 1, 2, 4, 5, 6]))),)
        morning = base + draw(st.sampled_from([0, 0, 0, 1, 2, 5]))
        out[day(i)] = JournalEntry(
            day=day(i), pain_now=draw(pain), pain_morning=morning,
            pain_during_run=draw(pain) if ran else None, pain_after_run=draw(pain) if ran else None,
            run_distance_m=draw(st.sampled_from([3000.0, 6000.0, 12000.0])) if ran else None,
            runwalk_repeats=draw(st.integers(0, 12)) if ran else None,
            limping=draw(st.integers(0, 3)) == 0, nerve_symptoms=draw(st.integers(0, 5)) == 0,
            red_flags=("fever_unwell",) if draw(st.integers(0, 6)) == 0 else (), exercises=logs)
    return out


SLOTS = {"bird_dog": ExerciseSlot("bird_dog", "Bird dog", Dose(sets=2, reps=8))}
PROGRESSIONS = {"advance", "ladder_advance", "ladder_complete"}


@settings(max_examples=200, deadline=None)
@given(histories())
def test_limping_nerve_or_red_flag_day_is_never_green(es: dict[dt.date, JournalEntry]) -> None:
    adaptation = replay(es, SLOTS, max(es))
    for d, e in es.items():
        if e.stop_signal:
            assert adaptation.lights[d] is Light.RED
            decision = decide(es, d, DayContext(longest_run_30d_m=5000), replay(es, SLOTS, d))
            assert decision.light is not Light.GREEN


@settings(max_examples=200, deadline=None)
@given(histories())
def test_limping_nerve_or_red_flag_day_never_progresses_a_dose(es: dict[dt.date, JournalEntry]) -> None:
    adaptation = replay(es, SLOTS, max(es) + dt.timedelta(days=1))
    stop_days = {d for d, e in es.items() if e.stop_signal}
    for change in adaptation.changes:
        if change.kind in PROGRESSIONS:
            # a progression takes effect on the morning after its last session: neither that
            # morning nor the session day may carry a stop signal
            assert change.day not in stop_days, change
            assert change.day - dt.timedelta(days=1) not in stop_days, change


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(1, 10))
def test_a_day_without_check_in_is_never_green_after_a_stop_or_painful_last_report(
        es: dict[dt.date, JournalEntry], gap: int) -> None:
    on = max(es) + dt.timedelta(days=gap)
    last = es[max(es)]
    decision = decide(es, on, DayContext(longest_run_30d_m=5000), replay(es, SLOTS, on))
    pains = [p for p in (last.pain_morning, last.pain_now, last.pain_during_run, last.pain_after_run)
             if p is not None]
    if last.stop_signal:
        assert decision.light is Light.RED
    elif pains and max(pains) > 2:
        assert decision.light is not Light.GREEN
    assert not decision.checked_in
