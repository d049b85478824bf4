"""Today's answer to "run today?": a traffic light with reasons, what to do instead, and caps.

- red: limping, nerve symptoms, a red-flag answer, pain above 5/10 during or after the last
  run, or pain that did not settle by the next morning: no run today.
- amber: pain 3-5 during the last run, morning pain higher than last week's, a flare, or a
  load finding such as a single-run spike: a shorter, easier run under a concrete cap.
- green: run as planned, the long run no longer than the longest of the last 30 days + 10 %.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from backstride.journal.adapt import Adaptation, ExerciseState
from backstride.journal.entry import JournalEntry
from backstride.journal.ladder import LadderState, ladder
from backstride.journal.questions import red_flag_questions
from backstride.journal.signals import (
    EXTRAPOLATION_NOTE,
    Entries,
    Flare,
    Light,
    Reason,
    detect_flare,
    journal_reasons,
    tv,
    worst,
)
from backstride.plan.model import Dose, PrescribedExercise, SessionKind
from backstride.units import date_words


@dataclass(frozen=True)
class LoadSignal:
    """A load finding that matters today (e.g. ``load.single_run_spike``)."""

    code: str
    title: str
    source: str


@dataclass(frozen=True)
class DayContext:
    """What the journal cannot know by itself: load findings, recent runs, the latest triage."""

    load_signals: tuple[LoadSignal, ...] = ()
    longest_run_30d_m: float | None = None
    usual_run_m: float | None = None     # median run distance of the last 30 days
    triage_refers_now: bool = False
    triage_what_to_do: str = ""
    # The latest screening, for a day without a check-in: when it was taken, its highest pain
    # rating (0 when it reported no back pain) and whether it reported nerve symptoms.
    screening_day: dt.date | None = None
    screening_pain: int | None = None
    screening_nerve: bool = False


@dataclass(frozen=True)
class Caps:
    """The most to run today. Both None means no cap beyond the plan."""

    max_distance_m: float | None
    max_duration_s: float | None
    basis: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"max_distance_m": self.max_distance_m, "max_duration_s": self.max_duration_s,
                "basis": self.basis, "source": self.source}


@dataclass(frozen=True)
class PlannedExercise:
    """One exercise of today's session after the journal's adjustments."""

    plan_exercise_id: str
    exercise_id: str
    name: str
    session: str
    dose: Dose
    planned_dose: Dose
    why: str
    skip: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"plan_exercise_id": self.plan_exercise_id, "exercise_id": self.exercise_id, "name": self.name,
                "session": self.session, "dose": self.dose.to_dict(), "dose_text": self.dose.describe(),
                "planned_dose": self.planned_dose.to_dict(), "why": self.why, "skip": self.skip}


@dataclass(frozen=True)
class PlannedDay:
    run: str | None
    exercises: tuple[PlannedExercise, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.run, "exercises": [e.to_dict() for e in self.exercises]}


@dataclass(frozen=True)
class Decision:
    day: dt.date
    light: Light
    reasons: tuple[Reason, ...]
    what_to_do: str
    caps: Caps
    planned: PlannedDay
    checked_in: bool
    back_to_screening: bool       # a red-flag answer (or a triage that refers now)
    rescreen: bool                # a flare: repeat the screening so the plan fits
    flare: Flare | None
    ladder: LadderState
    note: str = EXTRAPOLATION_NOTE
    steps: tuple[str, ...] = ()   # what_to_do, one instruction each, most urgent first
    emergency: bool = False       # an emergency-tier danger sign: get help now, before anything else

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "light": self.light.value,
                "reasons": [r.to_dict() for r in self.reasons], "what_to_do": self.what_to_do,
                "steps": list(self.steps), "emergency": self.emergency,
                "caps": self.caps.to_dict(), "planned": self.planned.to_dict(), "checked_in": self.checked_in,
                "back_to_screening": self.back_to_screening, "rescreen": self.rescreen,
                "flare": self.flare.to_dict() if self.flare else None, "ladder": self.ladder.to_dict(),
                "note": self.note}


def _checkin_pain(entry: JournalEntry) -> int | None:
    """The highest pain rating of a check-in (waking, now, during or after a run), None without any."""
    return max((p for p in (entry.pain_morning, entry.pain_now, entry.pain_during_run, entry.pain_after_run)
                if p is not None), default=None)


def _stop_words(entry: JournalEntry) -> str:
    what = [text for flag, text in ((entry.limping, "limping"),
                                    (entry.nerve_symptoms, "new tingling, numbness or weakness"),
                                    (bool(entry.red_flags), "a danger sign")) if flag]
    return " and ".join(what)


def no_checkin_reasons(entries: Entries, day: dt.date, context: DayContext) -> list[Reason]:
    """What a day without a check-in rests on: the latest report (a check-in or the screening).

    A missing check-in alone does not make the day amber. It stays green when the latest report
    showed pain in the safe zone at most, amber when it showed more (the pain-monitoring model
    needs this morning's answer to see whether that pain settled) or when nothing is known yet,
    and red when the last check-in, with no screening since, reported limping, nerve symptoms or
    a danger sign: those are never carried over into a green day.
    """
    safe = int(tv("pain_safe_max"))
    earlier = sorted((d for d in entries if d < day), reverse=True)
    last = entries[earlier[0]] if earlier else None
    screened = context.screening_day
    reasons: list[Reason] = []
    if last is not None and last.stop_signal and (screened is None or last.day >= screened):
        code = "journal.last_checkin_red_flag" if last.red_flags else "journal.last_checkin_stop"
        reasons.append(Reason(code, Light.RED,
                              f"No check-in yet today, and your last one ({date_words(last.day, day)}) reported "
                              f"{_stop_words(last)}. Until a new check-in says that has passed, there is no run.",
                              "nice_cks_lbp" if last.red_flags else "jr_backstride_journal_design"))
        return reasons
    # The newest pain rating: the latest rated check-in or the screening, whichever is newer (both on a tie).
    rated = next((entries[d] for d in earlier if _checkin_pain(entries[d]) is not None), None)
    reports: list[tuple[str, dt.date, int]] = []
    if rated is not None and (screened is None or rated.day >= screened):
        reports.append(("check-in", rated.day, _checkin_pain(rated) or 0))
    screening_counts = (screened is not None and context.screening_pain is not None
                        and (rated is None or screened >= rated.day))
    if screening_counts and screened is not None and context.screening_pain is not None:
        reports.append(("screening", screened, context.screening_pain))
    if not reports:
        known = ("No pain rating logged yet and no screening" if earlier
                 else "Nothing logged yet: no check-in and no screening")
        reasons.append(Reason("journal.nothing_logged", Light.AMBER,
                              f"{known} to go on. Log how you feel today for a full answer.",
                              "jr_backstride_journal_design"))
        return reasons
    kind, when, pain = max(reports, key=lambda r: r[2])
    if pain > safe:
        reasons.append(Reason("journal.no_checkin_pain", Light.AMBER,
                              f"No check-in yet today, and your {kind} on {date_words(when, day)} showed pain of "
                              f"{pain}/10. Whether it settled overnight decides today, so log this morning's "
                              "check-in for a full answer.", "jr_silbernagel_crossley_2015"))
    elif screening_counts and screened is not None and context.screening_nerve:
        reasons.append(Reason("journal.no_checkin_nerve", Light.AMBER,
                              f"No check-in yet today, and your screening on {date_words(screened, day)} reported "
                              "tingling, numbness or pain below the knee. Log this morning's check-in for a "
                              "full answer.", "nice_ng59"))
    else:
        felt = "no pain" if pain == 0 else f"pain of {pain}/10, inside the safe zone (up to {safe}/10)"
        reasons.append(Reason("journal.no_checkin", Light.GREEN,
                              f"No check-in yet today, so this answer rests on your {kind} on {date_words(when, day)}, "
                              f"which showed {felt}. Log this morning's check-in to confirm it.",
                              "jr_silbernagel_crossley_2015"))
    return reasons


def day_reasons(entries: Entries, day: dt.date, context: DayContext) -> list[Reason]:
    reasons = journal_reasons(entries, day)
    if context.triage_refers_now:
        # An emergency or urgent screening is the whole answer: nothing about training or load beside it.
        reasons.append(Reason("journal.triage_refers", Light.RED,
                              "Your latest screening asks you to see someone first. "
                              + context.triage_what_to_do, "nice_cks_lbp"))
        return reasons
    if day not in entries:
        reasons.extend(no_checkin_reasons(entries, day, context))
    for signal in context.load_signals:
        reasons.append(Reason(signal.code, Light.AMBER, signal.title, signal.source))
    return reasons


def _floor_100(metres: float) -> float:
    """Caps are rounded down to 100 m: a cap should never read longer than the rule allows."""
    return float(math.floor(metres / 100.0) * 100)


def _caps(light: Light, context: DayContext, lad: LadderState) -> Caps:
    ceiling = tv("long_run_ceiling")
    longest_cap = context.longest_run_30d_m * (1 + ceiling) if context.longest_run_30d_m else None
    if light is Light.RED:
        return Caps(0.0, 0.0, "no run today", "silbernagel_2007")
    if lad.active:
        stage = ladder().stage(lad.stage)
        return Caps(None, float(stage.total_s), stage.describe(), ladder().source)
    if light is Light.AMBER:
        if context.usual_run_m:
            distance = _floor_100(context.usual_run_m * tv("amber_run_fraction"))
            if longest_cap is not None:
                distance = min(distance, _floor_100(longest_cap))
            return Caps(distance, None, f"{tv('amber_run_fraction'):.0%} of your usual run of "
                        f"{context.usual_run_m / 1000:.1f} km, at an easy pace", "jr_backstride_journal_design")
        return Caps(None, tv("amber_fallback_duration"), "20 minutes at an easy pace (no recent runs known)",
                    "jr_backstride_journal_design")
    if longest_cap is not None and context.longest_run_30d_m:
        return Caps(_floor_100(longest_cap), None, f"longest run of the last 30 days "
                    f"({context.longest_run_30d_m / 1000:.1f} km) + {ceiling:.0%}", "jr_frandsen_2025")
    return Caps(None, None, "run as planned; no recent runs known for a distance ceiling", "jr_frandsen_2025")


# Reasons that send the runner back to the screening (and triage) before any training.
BACK_TO_SCREENING = frozenset({"journal.red_flag", "journal.last_checkin_red_flag", "journal.triage_refers"})

EMERGENCY_ADVICE = ("If you have numbness around your bottom or genitals, trouble passing urine or controlling "
                    "your bowels, or weakness in both legs, go to an emergency department now.")


def _what_to_do(light: Light, reasons: Iterable[Reason], caps: Caps, lad: LadderState,
                emergency: bool = False, checked_in: bool = True, ran_today: bool = False) -> tuple[str, ...]:
    """What to do today, one instruction per item, the most urgent first."""
    codes = {r.code for r in reasons}
    acceptable = int(tv("pain_acceptable_max"))
    if light is Light.RED:
        parts = []
        if emergency:   # an emergency-tier answer comes first, before anything about training
            parts.append("Go to an emergency department now, or call your emergency number: the answer you gave "
                         "can be a sign of nerve compression that needs to be seen today.")
            parts.append("No running today, and no exercises.")
        else:
            parts.append("No running today. An easy walk is fine if it does not raise your pain, and so is the "
                         "gentle part of your plan (mobility and stretches, nothing loaded).")
        if codes & BACK_TO_SCREENING:
            if emergency:
                parts.append("Once you have been seen, repeat the screening and follow what it says.")
            else:
                parts.append("Repeat the screening now and follow what it says.")
                parts.append(EMERGENCY_ADVICE)
        if "journal.nerve_symptoms" in codes:
            parts.append("Tingling, numbness or weakness that does not ease within a few days, or gets worse, "
                         "should be checked by a GP or physiotherapist.")
        if "journal.limping" in codes:
            parts.append("Wait until you walk without a limp before running again.")
        if not emergency:
            parts.append("If the pain keeps rising over several days, book a GP or physiotherapist appointment.")
        if not emergency:
            parts.append("Check in again tomorrow morning." if checked_in
                         else "Log this morning's check-in: the answer then uses how you are today.")
        return tuple(parts)
    if lad.active:
        return (f"Today's run is {ladder().stage(lad.stage).describe()}.",
                f"Stop if pain goes above {acceptable}/10 or you start to limp, and log how many repeats you "
                "finished.")
    if light is Light.AMBER:
        limit = (f"at most {caps.max_distance_m / 1000:.1f} km" if caps.max_distance_m is not None
                 else f"at most {round((caps.max_duration_s or 0) / 60)} minutes")
        run = "Your next run shorter and easier" if ran_today else "A shorter, easier run today"
        return (f"{run}: {limit}, at a pace you can talk at, on flat ground.",
                f"Stop if pain goes above {acceptable}/10 or you start to limp.")
    ceiling = ((f"Keep any long run to {caps.max_distance_m / 1000:.1f} km or less.",)
               if caps.max_distance_m is not None else ())
    follow_up = "Check in tomorrow morning." if checked_in else "Log this morning's check-in to confirm this answer."
    return ("Run as planned.", f"Keep pain during the run at {acceptable}/10 or less.", *ceiling, follow_up)


def _exercise_why(state: ExerciseState | None, adaptation: Adaptation, plan_id: str, needed: int) -> str:
    changes = adaptation.changes_for(plan_id)
    if changes:
        last = changes[-1]
        verb = {"advance": "advanced", "regress": "made easier", "hold": "held"}.get(last.kind, last.kind)
        return f"{verb} on {date_words(last.day)}: {last.reason}"
    done = state.qualifying if state else 0
    return (f"as planned; {done} of {needed} sessions at target so far "
            "(with pain at most 5/10 and settled by the next morning)")


def adjust_exercises(exercises: Iterable[tuple[str, PrescribedExercise]], adaptation: Adaptation,
                     light: Light, names: dict[str, str] | None = None,
                     emergency: bool = False) -> tuple[PlannedExercise, ...]:
    """Today's exercises (session kind, prescription) at the journal's current dose.

    On a red day only the gentle part stays: post-run stretches and desk breaks; loaded work is
    marked to skip. On an emergency day everything is skipped.
    """
    gentle = {SessionKind.POST_RUN.value, SessionKind.DESK.value, SessionKind.PRE_RUN.value}
    out: list[PlannedExercise] = []
    for kind, ex in exercises:
        state = adaptation.exercises.get(ex.exercise_id)
        dose = state.dose if state else ex.dose
        current = state.exercise_id if state else ex.exercise_id
        name = ex.name if current == ex.exercise_id else (names or {}).get(current, current.replace("_", " "))
        why = _exercise_why(state, adaptation, ex.exercise_id, 2)
        skip = emergency or (light is Light.RED and kind not in gentle)
        if skip:
            why = ("skip today (get medical help first); " if emergency else "skip today (red day); ") + why
        out.append(PlannedExercise(ex.exercise_id, current, name, kind, dose, ex.dose, why, skip))
    return tuple(out)


def _emergency(entries: Entries, day: dt.date) -> bool:
    entry = entries.get(day)
    questions = red_flag_questions()
    return entry is not None and any(questions[c].tier == "emergency" for c in entry.red_flags if c in questions)


def decide(entries: Entries, day: dt.date, context: DayContext, adaptation: Adaptation,
           planned_run: str | None = None,
           exercises: Iterable[tuple[str, PrescribedExercise]] = (),
           names: dict[str, str] | None = None) -> Decision:
    """The whole decision for ``day`` from the journal, the day's context and the replayed plan."""
    reasons = day_reasons(entries, day, context)
    light = worst(reasons)
    lad = adaptation.ladder
    caps = _caps(light, context, lad)
    flare = detect_flare(entries, day)
    if light is Light.RED:
        run_text: str | None = "no run today"
    elif lad.active:
        run_text = ladder().stage(lad.stage).describe()
    else:
        run_text = planned_run
    back = any(r.code in BACK_TO_SCREENING for r in reasons)
    emergency = _emergency(entries, day)
    steps = _what_to_do(light, reasons, caps, lad, emergency, day in entries,
                        day in entries and entries[day].ran)
    if context.triage_refers_now and not emergency:
        # An emergency or urgent screening: its instruction first and only, no walk, no gentle exercises.
        steps = (context.triage_what_to_do, "No running and no exercises until a clinician has seen you.",
                 "Once you have been seen, repeat the screening and follow what it says.")
        emergency = True
    return Decision(day=day, light=light, reasons=tuple(sorted(reasons, key=lambda r: -r.light.rank)),
                    what_to_do=" ".join(steps), steps=steps, emergency=emergency, caps=caps,
                    planned=PlannedDay(run_text, adjust_exercises(exercises, adaptation, light, names, emergency)),
                    checked_in=day in entries, back_to_screening=back,
                    rescreen=flare is not None, flare=flare, ladder=lad)
