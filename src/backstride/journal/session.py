"""A guided session as plain values: the exercises of one routine, the steps a player walks
through (work, rest, switch sides), what was done, and the pain-monitoring advice on the way.

The web player (``web/static/player.js``) and the terminal player (``cli/session.py``) both play
the steps built here, so a plank is a 30 s countdown and a bird dog is 3 counted sets in either.
What a player hands back becomes :class:`~backstride.journal.entry.ExerciseLog` rows, the same
rows ``backstride log --exercise`` stores, so adherence and the progression rules read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from backstride.journal.entry import ExerciseLog
from backstride.journal.signals import tv
from backstride.plan.model import Dose

# The routines a runner can play, with the words the pages use for them.
ROUTINES: dict[str, str] = {
    "strength": "Strength and control",
    "pre_run": "Before your run",
    "post_run": "After your run",
    "desk": "Desk break",
}

# A few seconds to swap sides between the left and the right of a one-sided exercise. Not a
# dose (no study behind it): the time it takes to turn over on a mat.
SWITCH_SIDES_S = 5
# A hold starts after a short count-in, so the countdown measures the hold, not getting into it.
GET_READY_S = 3


@dataclass(frozen=True)
class SessionItem:
    """One exercise of the session: the dose to play and what to show while playing it."""

    plan_exercise_id: str        # the plan's id (what the progression rules are keyed by)
    exercise_id: str             # the variant in use now (what gets logged)
    name: str
    dose: Dose
    why: str = ""
    start_position: str = ""
    instructions: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    stop_above_nrs: int = 5      # pain during above this ends the exercise (the rule's limit)

    @property
    def timed(self) -> bool:
        """A hold (or timed activity) counts down; anything with reps is counted by the runner."""
        return self.dose.reps is None and self.dose.hold_s is not None

    def to_dict(self) -> dict[str, Any]:
        return {"plan_exercise_id": self.plan_exercise_id, "exercise_id": self.exercise_id, "name": self.name,
                "dose": self.dose.to_dict(), "dose_text": self.dose.describe(), "why": self.why,
                "start_position": self.start_position, "instructions": list(self.instructions),
                "cues": list(self.cues), "stop_above_nrs": self.stop_above_nrs, "timed": self.timed}


@dataclass(frozen=True)
class Step:
    """One thing to do now: a set (or one side of it), a rest, or a switch of sides."""

    kind: str                    # "work" | "rest" | "switch"
    item: int                    # index into the session's items
    set_no: int                  # 1-based
    sets: int
    side: str | None = None      # "left" | "right" for one-sided exercises
    reps: int | None = None      # reps to count (work with reps)
    seconds: int | None = None   # countdown length: the hold, the rest or the switch
    hold_each_rep_s: int | None = None  # reps with a hold: how long each rep is held

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "item": self.item, "set_no": self.set_no, "sets": self.sets, "side": self.side,
                "reps": self.reps, "seconds": self.seconds, "hold_each_rep_s": self.hold_each_rep_s}


def steps_for(item: SessionItem, index: int) -> list[Step]:
    """Every set of one exercise, each side of a one-sided set, with the rests between sets."""
    dose = item.dose
    sets = max(1, dose.sets)
    sides: tuple[str | None, ...] = ("left", "right") if dose.per_side else (None,)
    out: list[Step] = []
    for set_no in range(1, sets + 1):
        for n, side in enumerate(sides):
            if n:
                out.append(Step("switch", index, set_no, sets, side, seconds=SWITCH_SIDES_S))
            if item.timed:
                out.append(Step("work", index, set_no, sets, side, seconds=dose.hold_s))
            else:
                out.append(Step("work", index, set_no, sets, side, reps=dose.reps,
                                hold_each_rep_s=dose.hold_s))
        if set_no < sets and dose.rest_s > 0:
            out.append(Step("rest", index, set_no, sets, seconds=dose.rest_s))
    return out


@dataclass(frozen=True)
class GuidedSession:
    """The exercises of one routine on one day, ready to play, or the reason it cannot be played."""

    day: dt.date
    routine: str
    title: str
    items: tuple[SessionItem, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()   # (name, why) of planned exercises left out today
    blocked: str = ""            # set when nothing may be played today (a danger sign, a referral, no plan)
    scheduled_today: bool = False  # the plan has this routine on ``day`` (else it is played as extra)
    today_routines: tuple[str, ...] = ()  # every routine the plan has on ``day``, in playing order

    @property
    def playable(self) -> bool:
        return not self.blocked and bool(self.items)

    def steps(self) -> list[Step]:
        return [s for i, item in enumerate(self.items) for s in steps_for(item, i)]

    @property
    def estimated_s(self) -> int:
        """Time of the countdowns plus about 3 s a rep (the library's own estimate is per exercise)."""
        total = 0
        for s in self.steps():
            total += s.seconds or 0
            if s.reps:
                total += s.reps * max(3, s.hold_each_rep_s or 0)
        return total

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "routine": self.routine, "title": self.title,
                "playable": self.playable, "blocked": self.blocked, "scheduled_today": self.scheduled_today,
                "today_routines": list(self.today_routines),
                "estimated_s": self.estimated_s, "items": [i.to_dict() for i in self.items],
                "skipped": [{"name": n, "why": w} for n, w in self.skipped],
                "steps": [s.to_dict() for s in self.steps()],
                "pain": pain_scale(), "get_ready_s": GET_READY_S}


def pain_scale() -> dict[str, Any]:
    """The pain-monitoring limits a player needs, with the advice for each zone."""
    safe, acceptable = int(tv("pain_safe_max")), int(tv("pain_acceptable_max"))
    return {"safe_max": safe, "acceptable_max": acceptable,
            "advice": {zone: pain_advice(p, acceptable) for zone, p in
                       (("safe", safe), ("acceptable", acceptable), ("stop", acceptable + 1))}}


def pain_advice(pain: int, stop_above: int) -> str:
    """What to do with a pain rating given during an exercise (pain-monitoring model)."""
    safe = int(tv("pain_safe_max"))
    if pain > stop_above:
        return (f"Stop this exercise for today: {pain}/10 is above the {stop_above}/10 an exercise may cause. "
                "Ease out of the position and rest. It is logged with this pain, so next time it comes back "
                "easier. If the pain has not settled by tomorrow morning, or a leg tingles, goes numb or "
                "feels weak, check in and follow the advice on the Today page.")
    if pain > safe:
        return (f"Up to {stop_above}/10 is acceptable if it has settled by tomorrow morning. Carry on gently; "
                "skip the exercise if the pain keeps rising.")
    return f"Up to {safe}/10 is in the safe range. Carry on."


@dataclass(frozen=True)
class ItemResult:
    """What a player recorded for one exercise."""

    item: int
    sets_done: int
    reps: int | None = None      # the fewest reps in a finished set
    hold_s: int | None = None    # the shortest hold of a finished set
    pain_during: int | None = None
    stopped_for_pain: bool = False
    skipped: bool = False


def to_logs(session: GuidedSession, results: Iterable[ItemResult]) -> list[ExerciseLog]:
    """Journal rows for the exercises that were done (a skipped or untouched exercise is not logged)."""
    out: list[ExerciseLog] = []
    for r in results:
        if r.skipped or not 0 <= r.item < len(session.items):
            continue
        item = session.items[r.item]
        if r.sets_done <= 0 and r.pain_during is None:
            continue
        reps = r.reps if item.dose.reps is not None else None
        hold = r.hold_s if item.timed else (item.dose.hold_s if item.dose.hold_s is not None and reps else None)
        out.append(ExerciseLog(item.exercise_id, r.sets_done, reps, hold, r.pain_during))
    return out


def as_prescribed(session: GuidedSession, pain_during: int | None = None) -> list[ItemResult]:
    """Every exercise done exactly at its dose (the terminal's ``--done`` and the tests)."""
    return [ItemResult(i, item.dose.sets, item.dose.reps, item.dose.hold_s, pain_during)
            for i, item in enumerate(session.items)]


def build_session(day: dt.date, routine: str, planned: Sequence[Any], details: Mapping[str, Any], *,
                  scheduled_today: bool, stop_above: Mapping[str, int] | None = None,
                  blocked: str = "", today_routines: Sequence[str] = ()) -> GuidedSession:
    """A session from the day's planned exercises (journal-adjusted doses) and library details.

    ``planned`` holds :class:`~backstride.journal.decision.PlannedExercise` values; ``details``
    maps an exercise id to its library :class:`~backstride.library.model.Exercise` (or is missing it).
    """
    items: list[SessionItem] = []
    skipped: list[tuple[str, str]] = []
    limits = stop_above or {}
    default_limit = int(tv("pain_acceptable_max"))
    for p in planned:
        if p.skip:
            skipped.append((p.name, p.why))
            continue
        ex = details.get(p.exercise_id) or details.get(p.plan_exercise_id)
        items.append(SessionItem(
            plan_exercise_id=p.plan_exercise_id, exercise_id=p.exercise_id, name=p.name, dose=p.dose, why=p.why,
            start_position=getattr(ex, "start_position", "") or "",
            instructions=tuple(getattr(ex, "instructions", ()) or ()), cues=tuple(getattr(ex, "cues", ()) or ()),
            stop_above_nrs=int(limits.get(p.plan_exercise_id, default_limit))))
    return GuidedSession(day=day, routine=routine, title=ROUTINES.get(routine, routine), items=tuple(items),
                         skipped=tuple(skipped), blocked=blocked, scheduled_today=scheduled_today,
                         today_routines=tuple(today_routines))
