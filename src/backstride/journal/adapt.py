"""The plan adapts to what was logged: exercise doses and the running ladder, replayed day by day.

Everything is recomputed from the entries (a pure replay), so editing a past day gives the same
result as if it had been logged right the first time. Each change carries its reason and source;
storage keeps them so ``plan show`` can say why a dose is what it is.

Exercise rule (plan's :class:`~backstride.plan.model.ProgressionRule`, pain-monitoring model):
a session *qualifies* when its target (the current dose) was met with pain during at most the
limit and the next morning settled. After ``sessions_at_target`` qualifying sessions the exercise
advances one step. Pain above the limit, limping or nerve symptoms regress it; a red-flag day,
or a morning that did not settle, holds it and starts the count again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from backstride.journal.entry import ExerciseLog, JournalEntry
from backstride.journal.ladder import LadderState, ladder
from backstride.journal.signals import Entries, Light, journal_reasons, settled, tv, worst
from backstride.plan.model import Dose, ProgressionRule
from backstride.units import date_words


@dataclass(frozen=True)
class ExerciseSlot:
    """One exercise of the plan as the journal tracks it (keyed by the plan's exercise id)."""

    exercise_id: str
    name: str
    dose: Dose
    rule: ProgressionRule | None = None


@dataclass(frozen=True)
class DoseChange:
    """One recorded change (or deliberate hold) of an exercise dose or of running, with why."""

    day: dt.date                 # the day it takes effect
    subject: str                 # the plan's exercise id, or "run"
    kind: str                    # advance | regress | hold | ladder_enter | ladder_advance | ladder_regress | ladder_complete
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "subject": self.subject, "kind": self.kind, "before": self.before,
                "after": self.after, "reason": self.reason, "source": self.source}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DoseChange:
        return cls(day=dt.date.fromisoformat(data["day"]), subject=data["subject"], kind=data["kind"],
                   before=dict(data["before"]), after=dict(data["after"]), reason=data["reason"],
                   source=data["source"])


@dataclass(frozen=True)
class ExerciseState:
    slot_id: str
    exercise_id: str             # the variant in use now (after advance_to / regress_to swaps)
    dose: Dose
    qualifying: int = 0          # qualifying sessions since the last change
    pending: dt.date | None = None  # a session that waits for next morning's answer

    def to_dict(self) -> dict[str, Any]:
        return {"slot_id": self.slot_id, "exercise_id": self.exercise_id, "dose": self.dose.to_dict(),
                "dose_text": self.dose.describe(), "qualifying_sessions": self.qualifying}


@dataclass(frozen=True)
class Adaptation:
    exercises: dict[str, ExerciseState]
    ladder: LadderState
    changes: tuple[DoseChange, ...]
    lights: dict[dt.date, Light] = field(default_factory=dict)

    def changes_for(self, subject: str) -> tuple[DoseChange, ...]:
        return tuple(c for c in self.changes if c.subject == subject)


# ---------------------------------------------------------------- dose steps

_TARGET = re.compile(r"(?:(\d+)\s*[x×]\s*)?(\d+)\s*(reps?|s\b|sec)", re.IGNORECASE)


def parse_target(text: str) -> Dose | None:
    """``"3 x 12 reps"`` or ``"3 x 40 s"`` to a dose; None when the text says something else."""
    match = _TARGET.search(text or "")
    if match is None:
        return None
    sets = int(match.group(1) or 1)
    amount = int(match.group(2))
    if match.group(3).lower().startswith("rep"):
        return Dose(sets=sets, reps=amount)
    return Dose(sets=sets, hold_s=amount)


def _reached(dose: Dose, target: Dose | None) -> bool:
    if target is None:
        return False
    if dose.sets < target.sets:
        return False
    if target.reps is not None and (dose.reps or 0) < target.reps:
        return False
    return not (target.hold_s is not None and (dose.hold_s or 0) < target.hold_s)


def step_up(dose: Dose) -> Dose | None:
    """One step harder within the exercise, or None at the top of its range."""
    if dose.reps is None and dose.hold_s is not None and dose.hold_s < tv("hold_max"):
        return replace(dose, hold_s=int(min(dose.hold_s + tv("hold_step"), tv("hold_max"))))
    if dose.reps is not None and dose.reps < tv("rep_max"):
        return replace(dose, reps=int(min(dose.reps + tv("rep_step"), tv("rep_max"))))
    if dose.sets < tv("sets_max"):
        return replace(dose, sets=dose.sets + 1)
    return None


def step_down(dose: Dose) -> Dose | None:
    """One step easier within the exercise, or None at the bottom of its range."""
    if dose.sets > 2:
        return replace(dose, sets=dose.sets - 1)
    if dose.hold_s is not None and dose.reps is None and dose.hold_s > tv("hold_min"):
        return replace(dose, hold_s=int(max(dose.hold_s - tv("hold_step"), tv("hold_min"))))
    if dose.reps is not None and dose.reps > tv("rep_min"):
        return replace(dose, reps=int(max(dose.reps - tv("rep_step"), tv("rep_min"))))
    return None


def target_met(log: ExerciseLog, dose: Dose) -> bool:
    if log.sets < dose.sets:
        return False
    if dose.reps is not None and (log.reps is None or log.reps < dose.reps):
        return False
    return not (dose.hold_s is not None and dose.reps is None and (log.hold_s is None or log.hold_s < dose.hold_s))


def _advance(slot: ExerciseSlot, state: ExerciseState) -> tuple[str, Dose] | None:
    """Next (exercise id, dose): a harder variant once the rule's target is reached, else a dose step."""
    rule = slot.rule
    if rule is not None and rule.advance_to and _reached(state.dose, parse_target(rule.target)):
        return rule.advance_to, slot.dose
    nxt = step_up(state.dose)
    if nxt is not None:
        return state.exercise_id, nxt
    if rule is not None and rule.advance_to:
        return rule.advance_to, slot.dose
    return None


def _regress(slot: ExerciseSlot, state: ExerciseState) -> tuple[str, Dose] | None:
    nxt = step_down(state.dose)
    if nxt is not None:
        return state.exercise_id, nxt
    if slot.rule is not None and slot.rule.regress_to and state.exercise_id != slot.rule.regress_to:
        return slot.rule.regress_to, slot.dose
    return None


def _snapshot(exercise_id: str, dose: Dose) -> dict[str, Any]:
    return {"exercise_id": exercise_id, "dose": dose.to_dict(), "dose_text": dose.describe()}


# ---------------------------------------------------------------- replay


def _log_for(entry: JournalEntry | None, state: ExerciseState) -> ExerciseLog | None:
    if entry is None:
        return None
    return next((x for x in entry.exercises if x.exercise_id in (state.slot_id, state.exercise_id)), None)


def replay(entries: Entries, slots: Mapping[str, ExerciseSlot], until: dt.date,
           start: dt.date | None = None) -> Adaptation:
    """Walk the journal from its first day to ``until`` and apply every rule on the way."""
    days = sorted(d for d in entries if d <= until)
    states = {sid: ExerciseState(sid, sid, slot.dose) for sid, slot in slots.items()}
    lad = LadderState()
    changes: list[DoseChange] = []
    lights: dict[dt.date, Light] = {}
    if not days:
        return Adaptation(states, lad, (), lights)
    first = start or days[0]
    day = first
    while day <= until:
        entry = entries.get(day)
        if entry is not None:
            lights[day] = worst(journal_reasons(entries, day))
        for sid, slot in slots.items():
            states[sid] = _exercise_day(entries, day, slot, states[sid], changes)
        if entry is not None:
            lad = _ladder_day(entries, day, lad, lights, changes)
        day += dt.timedelta(days=1)
    return Adaptation(states, lad, tuple(changes), lights)


def _exercise_day(entries: Entries, day: dt.date, slot: ExerciseSlot, state: ExerciseState,
                  changes: list[DoseChange]) -> ExerciseState:
    entry = entries.get(day)
    limit = slot.rule.max_pain_during_nrs if slot.rule else int(tv("pain_acceptable_max"))
    needed = slot.rule.sessions_at_target if slot.rule else int(tv("sessions_at_target_default"))
    source = slot.rule.source if slot.rule else "silbernagel_2007,jr_neason_2024"
    before = _snapshot(state.exercise_id, state.dose)

    # 1. Yesterday's session waits for this morning: did it settle?
    session_day = state.pending
    if session_day is not None and session_day == day - dt.timedelta(days=1):
        outcome = settled(entries, session_day)
        if outcome is True and entry is not None and not entry.stop_signal:
            count = state.qualifying + 1
            if count >= needed:
                nxt = _advance(slot, state)
                if nxt is not None:
                    changes.append(DoseChange(day, slot.exercise_id, "advance", before, _snapshot(*nxt),
                                              f"target met in {count} sessions with pain at most {limit}/10 "
                                              "and settled by the next morning", source))
                    state = ExerciseState(slot.exercise_id, nxt[0], nxt[1])
                else:
                    state = replace(state, qualifying=count, pending=None)
            else:
                state = replace(state, qualifying=count, pending=None)
        elif outcome is False:
            changes.append(DoseChange(day, slot.exercise_id, "hold", before, before,
                                      f"pain had not settled this morning after the session on "
                                      f"{date_words(session_day, day)}; the count starts again", source))
            state = replace(state, qualifying=0, pending=None)
        else:
            state = replace(state, pending=None)
        before = _snapshot(state.exercise_id, state.dose)
    elif state.pending is not None and state.pending < day - dt.timedelta(days=1):
        state = replace(state, pending=None)   # the next morning was never logged

    if entry is None:
        return state
    log = _log_for(entry, state)
    if entry.limping or entry.nerve_symptoms:
        if log is None:
            return replace(state, qualifying=0, pending=None)
        why = "limping" if entry.limping else "new nerve symptoms"
        return _do_regress(day, slot, state, before, f"{why} on a day this exercise was done", changes)
    if entry.red_flags:
        if log is not None or state.qualifying:
            changes.append(DoseChange(day, slot.exercise_id, "hold", before, before,
                                      "a danger-sign answer: no progression until screening is repeated",
                                      "nice_cks_lbp"))
        return replace(state, qualifying=0, pending=None)
    if log is None:
        return state
    if log.pain_during is not None and log.pain_during > limit:
        return _do_regress(day, slot, state, before, f"pain during the exercise was {log.pain_during}/10, "
                           f"above {limit}/10", changes)
    if target_met(log, state.dose):
        return replace(state, pending=day)
    return state


def _do_regress(day: dt.date, slot: ExerciseSlot, state: ExerciseState, before: dict[str, Any], why: str,
                changes: list[DoseChange]) -> ExerciseState:
    nxt = _regress(slot, state)
    source = slot.rule.source if slot.rule else "silbernagel_2007"
    if nxt is None:
        changes.append(DoseChange(day, slot.exercise_id, "hold", before, before,
                                  f"{why}; already at the easiest dose, so it stays", source))
        return replace(state, qualifying=0, pending=None)
    changes.append(DoseChange(day + dt.timedelta(days=1), slot.exercise_id, "regress", before, _snapshot(*nxt),
                              why, source))
    return ExerciseState(slot.exercise_id, nxt[0], nxt[1])


def _ladder_day(entries: Entries, day: dt.date, lad: LadderState, lights: Mapping[dt.date, Light],
                changes: list[DoseChange]) -> LadderState:
    table = ladder()
    src = table.source
    light = lights.get(day)
    entry = entries[day]

    def snap(state: LadderState) -> dict[str, Any]:
        return {"active": state.active, "stage": state.stage,
                "text": table.stage(state.stage).describe() if state.active else "ordinary running"}

    if light is Light.RED:
        if lad.active and lad.stage <= 1:
            return LadderState(True, 1, day, 0)   # already at the bottom: the stage's week starts again
        if lad.active:
            new = LadderState(True, max(1, lad.stage - 1), day, 0)
            kind, why = "ladder_regress", "a red day on the run-walk ladder: one stage back"
        else:
            new = LadderState(True, table.entry_stage_after_red, day, 0)
            kind, why = "ladder_enter", "a red day: running restarts on the run-walk ladder"
        changes.append(DoseChange(day + dt.timedelta(days=1), "run", kind, snap(lad), snap(new), why, src))
        return new
    if not lad.active:
        week = [lights.get(day - dt.timedelta(days=i)) for i in range(7)]
        ambers = sum(1 for x in week if x is Light.AMBER)
        if ambers >= tv("amber_days_for_ladder"):
            new = LadderState(True, table.entry_stage_after_amber, day, 0)
            changes.append(DoseChange(day + dt.timedelta(days=1), "run", "ladder_enter", snap(lad), snap(new),
                                      f"{ambers} amber days in the last 7: running continues on the run-walk ladder",
                                      src))
            return new
        return lad
    # On the ladder: did yesterday's ladder session reach the top of the stage, pain-free enough, and settle?
    prev = entries.get(day - dt.timedelta(days=1))
    stage = table.stage(lad.stage)
    if (prev is not None and not prev.stop_signal
            and prev.runwalk_repeats is not None and prev.runwalk_repeats >= stage.repeats
            and (prev.pain_during_run is None or prev.pain_during_run <= tv("pain_acceptable_max"))
            and settled(entries, prev.day) is True and not entry.stop_signal
            and lad.since is not None and prev.day >= lad.since):
        lad = replace(lad, sessions_done=lad.sessions_done + 1)
    assert lad.since is not None
    if lad.sessions_done >= table.sessions_at_top and (day - lad.since).days >= table.min_days_per_stage:
        if lad.stage >= table.top:
            new = LadderState()
            changes.append(DoseChange(day, "run", "ladder_complete", snap(lad), snap(new),
                                      f"top stage done in {lad.sessions_done} sessions: back to continuous easy "
                                      "runs, never more than 10 % above your longest run of the last 30 days",
                                      src))
            return new
        new = LadderState(True, lad.stage + 1, day, 0)
        changes.append(DoseChange(day, "run", "ladder_advance", snap(lad), snap(new),
                                  f"stage {lad.stage} done in {lad.sessions_done} sessions that settled; "
                                  "at most one stage a week", src))
        return new
    return lad
