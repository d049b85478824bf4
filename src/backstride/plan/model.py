"""The plan as plain values: what the generator produces, what storage keeps, what the journal
adapts and what the web app, reports and calendar export render.

Everything here is a frozen dataclass with ``to_dict``/``from_dict`` so a stored plan reads back
equal to the one that was generated. Names carry their unit (``hold_s``, ``duration_min``).

The journal adapts a plan exercise by exercise with :class:`ProgressionRule`: each rule names
the exercise one step harder (``advance_to``) and one step easier (``regress_to``) and the pain
limits that decide between advancing, holding and regressing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

PLAN_SCHEMA_VERSION = 1


class SessionKind(StrEnum):
    PRE_RUN = "pre_run"        # 5-8 min dynamic mobility and activation before a run
    POST_RUN = "post_run"      # 5-10 min stretches and soft tissue after a run
    STRENGTH = "strength"      # strength and control, 2-3 a week on easy or rest days
    DESK = "desk"              # short breaks spread over a sitting day
    RUN = "run"                # the run itself, with the advice that applies to it


class PlanStatus(StrEnum):
    PLAN = "plan"              # a plan to follow
    REFERRAL = "referral"      # triage said emergency or urgent: see someone, no exercise plan


class AddressedBy(StrEnum):
    EXERCISE = "exercise"      # one or more exercises in the plan target it
    ADVICE = "advice"          # explicit advice (load, form, habits) targets it
    NOT_ADDRESSED = "not_addressed"  # neither; ``reason`` says why


@dataclass(frozen=True)
class Dose:
    """How much of one exercise in one session.

    ``reps`` and ``hold_s`` are per set (and per side when ``per_side``); a timed activity such
    as a walking break uses ``hold_s`` for its duration. ``sessions_per_week`` is how often the
    exercise comes back in a week.
    """

    sets: int
    reps: int | None = None
    hold_s: int | None = None
    rest_s: int = 0
    sessions_per_week: int = 1
    per_side: bool = False

    def describe(self) -> str:
        """``"3 x 10 each side, rest 45 s"`` style text for people."""
        if self.reps is not None and self.hold_s is not None:
            work = f"{self.reps} reps with a {self.hold_s} s hold"
        elif self.reps is not None:
            work = f"{self.reps} reps"
        elif self.hold_s is not None:
            work = f"{self.hold_s} s"
        else:
            work = "as described"
        text = f"{self.sets} x {work}" if self.sets > 1 else work
        if self.per_side:
            text += " each side"
        if self.rest_s and self.sets > 1:
            text += f", rest {self.rest_s} s"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"sets": self.sets, "reps": self.reps, "hold_s": self.hold_s, "rest_s": self.rest_s,
                "sessions_per_week": self.sessions_per_week, "per_side": self.per_side}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dose:
        return cls(sets=int(data["sets"]), reps=data.get("reps"), hold_s=data.get("hold_s"),
                   rest_s=int(data.get("rest_s", 0)), sessions_per_week=int(data.get("sessions_per_week", 1)),
                   per_side=bool(data.get("per_side", False)))


@dataclass(frozen=True)
class PrescribedExercise:
    """One exercise in one session: which one, how much, at which level, and why it is there."""

    exercise_id: str
    name: str
    dose: Dose
    level: str                   # "beginner" | "intermediate" | "advanced" (the library's dosage level)
    estimated_s: int             # time it takes including rests, used for the session budget
    addresses: tuple[str, ...] = ()  # finding codes of this runner that it targets
    note: str = ""

    def with_dose(self, dose: Dose, estimated_s: int) -> PrescribedExercise:
        return replace(self, dose=dose, estimated_s=estimated_s)

    def to_dict(self) -> dict[str, Any]:
        return {"exercise_id": self.exercise_id, "name": self.name, "dose": self.dose.to_dict(),
                "dose_text": self.dose.describe(), "level": self.level, "estimated_s": self.estimated_s,
                "addresses": list(self.addresses), "note": self.note}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrescribedExercise:
        return cls(exercise_id=data["exercise_id"], name=data["name"], dose=Dose.from_dict(data["dose"]),
                   level=data["level"], estimated_s=int(data["estimated_s"]),
                   addresses=tuple(data.get("addresses", ())), note=data.get("note", ""))


@dataclass(frozen=True)
class ScheduledSession:
    """One dated session. A ``run`` session has no exercises, only advice."""

    date: dt.date
    kind: SessionKind
    title: str
    exercises: tuple[PrescribedExercise, ...] = ()
    advice: str = ""

    @property
    def duration_min(self) -> float:
        return round(sum(e.estimated_s for e in self.exercises) / 60.0, 1)

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "kind": self.kind.value, "title": self.title,
                "duration_min": self.duration_min, "exercises": [e.to_dict() for e in self.exercises],
                "advice": self.advice}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScheduledSession:
        return cls(date=dt.date.fromisoformat(data["date"]), kind=SessionKind(data["kind"]),
                   title=data["title"],
                   exercises=tuple(PrescribedExercise.from_dict(e) for e in data.get("exercises", ())),
                   advice=data.get("advice", ""))


@dataclass(frozen=True)
class PlanWeek:
    number: int                  # 1-based
    start: dt.date
    focus: str
    sessions: tuple[ScheduledSession, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "start": self.start.isoformat(), "focus": self.focus,
                "sessions": [s.to_dict() for s in self.sessions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanWeek:
        return cls(number=int(data["number"]), start=dt.date.fromisoformat(data["start"]), focus=data["focus"],
                   sessions=tuple(ScheduledSession.from_dict(s) for s in data["sessions"]))


@dataclass(frozen=True)
class ProgressionRule:
    """When to make one exercise harder, keep it, or make it easier (pain-monitoring model).

    Advance one step (``advance_to``, or the top of the dose range) when ``target`` is met in
    ``sessions_at_target`` sessions with pain during at most ``max_pain_during_nrs`` and
    next-morning pain back to baseline. Hold when pain reaches that limit or morning pain rises.
    Regress (``regress_to``) when pain goes above it, with limping, or with nerve symptoms.
    """

    exercise_id: str
    target: str                  # e.g. "3 x 12 reps" or "3 x 40 s"
    advance_to: str | None
    regress_to: str | None
    sessions_at_target: int
    max_pain_during_nrs: int
    weekly_increment: str        # e.g. "+2 reps a week" (ACSM-style), shown to the runner
    source: str                  # reference id(s), comma separated

    def to_dict(self) -> dict[str, Any]:
        return {"exercise_id": self.exercise_id, "target": self.target, "advance_to": self.advance_to,
                "regress_to": self.regress_to, "sessions_at_target": self.sessions_at_target,
                "max_pain_during_nrs": self.max_pain_during_nrs, "weekly_increment": self.weekly_increment,
                "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProgressionRule:
        return cls(exercise_id=data["exercise_id"], target=data["target"], advance_to=data.get("advance_to"),
                   regress_to=data.get("regress_to"), sessions_at_target=int(data["sessions_at_target"]),
                   max_pain_during_nrs=int(data["max_pain_during_nrs"]),
                   weekly_increment=data["weekly_increment"], source=data["source"])


@dataclass(frozen=True)
class LoadAdvice:
    """One piece of running-load advice, with the number it rests on and its source."""

    code: str                    # the finding it answers, or "general.*"
    text: str
    source: str                  # reference id
    value: float | None = None
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "source": self.source, "value": self.value, "unit": self.unit}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoadAdvice:
        return cls(code=data["code"], text=data["text"], source=data["source"], value=data.get("value"),
                   unit=data.get("unit"))


@dataclass(frozen=True)
class FormCue:
    """A running-form cue tied to a form finding, with drills from the library."""

    code: str                    # the form finding it answers
    cue: str
    drill_ids: tuple[str, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "cue": self.cue, "drill_ids": list(self.drill_ids), "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FormCue:
        return cls(code=data["code"], cue=data["cue"], drill_ids=tuple(data.get("drill_ids", ())),
                   source=data["source"])


@dataclass(frozen=True)
class AddressedFinding:
    """How the plan answers one finding. Every input finding gets exactly one of these."""

    code: str
    title: str
    by: AddressedBy
    exercise_ids: tuple[str, ...] = ()
    advice: str = ""
    reason: str = ""             # why not addressed (or what limited the choice)
    side: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "by": self.by.value,
                "exercise_ids": list(self.exercise_ids), "advice": self.advice, "reason": self.reason,
                "side": self.side}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AddressedFinding:
        return cls(code=data["code"], title=data["title"], by=AddressedBy(data["by"]),
                   exercise_ids=tuple(data.get("exercise_ids", ())), advice=data.get("advice", ""),
                   reason=data.get("reason", ""), side=data.get("side"))


@dataclass(frozen=True)
class Referral:
    """Given instead of a plan when triage says emergency or urgent."""

    tier: str
    what_to_do: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"tier": self.tier, "what_to_do": self.what_to_do, "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Referral:
        return cls(tier=data["tier"], what_to_do=data["what_to_do"], reasons=tuple(data.get("reasons", ())))


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class PlanOptions:
    """The runner's preferences and schedule. Weekdays are 0 = Monday ... 6 = Sunday."""

    start_date: dt.date
    weeks: int = 4
    minutes_per_session: int = 20
    equipment: frozenset[str] = frozenset()
    run_days: tuple[int, ...] = (1, 3, 6)
    long_run_day: int | None = 6
    hard_days: tuple[int, ...] = ()
    strength_sessions_per_week: int = 2
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)

    def to_dict(self) -> dict[str, Any]:
        return {"start_date": self.start_date.isoformat(), "weeks": self.weeks,
                "minutes_per_session": self.minutes_per_session, "equipment": sorted(self.equipment),
                "run_days": list(self.run_days), "long_run_day": self.long_run_day,
                "hard_days": list(self.hard_days), "strength_sessions_per_week": self.strength_sessions_per_week,
                "work_days": list(self.work_days)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanOptions:
        return cls(start_date=dt.date.fromisoformat(data["start_date"]), weeks=int(data["weeks"]),
                   minutes_per_session=int(data["minutes_per_session"]),
                   equipment=frozenset(data.get("equipment", ())), run_days=tuple(data.get("run_days", ())),
                   long_run_day=data.get("long_run_day"), hard_days=tuple(data.get("hard_days", ())),
                   strength_sessions_per_week=int(data.get("strength_sessions_per_week", 2)),
                   work_days=tuple(data.get("work_days", (0, 1, 2, 3, 4))))


@dataclass(frozen=True)
class Plan:
    """A 4-6 week block, or a referral when triage forbids a plan.

    ``pre_run``, ``post_run``, ``strength`` and ``desk`` are the routine templates at their
    week-1 dose; ``weeks`` holds the dated sessions with the dose of that week.
    """

    status: PlanStatus
    options: PlanOptions
    triage_tier: str
    requires_clinician_agreement: bool
    headline: str
    weeks: tuple[PlanWeek, ...] = ()
    pre_run: tuple[PrescribedExercise, ...] = ()
    post_run: tuple[PrescribedExercise, ...] = ()
    strength: tuple[PrescribedExercise, ...] = ()
    desk: tuple[PrescribedExercise, ...] = ()
    progression_rules: tuple[ProgressionRule, ...] = ()
    load_advice: tuple[LoadAdvice, ...] = ()
    form_cues: tuple[FormCue, ...] = ()
    addressed: tuple[AddressedFinding, ...] = ()
    stop_rules: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    referral: Referral | None = None
    schema_version: int = PLAN_SCHEMA_VERSION

    @property
    def is_referral(self) -> bool:
        return self.status is PlanStatus.REFERRAL

    @property
    def end_date(self) -> dt.date:
        return self.options.start_date + dt.timedelta(days=7 * len(self.weeks) - 1) if self.weeks \
            else self.options.start_date

    def sessions(self) -> tuple[ScheduledSession, ...]:
        return tuple(s for w in self.weeks for s in w.sessions)

    def rule_for(self, exercise_id: str) -> ProgressionRule | None:
        return next((r for r in self.progression_rules if r.exercise_id == exercise_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version, "status": self.status.value, "options": self.options.to_dict(),
            "triage_tier": self.triage_tier, "requires_clinician_agreement": self.requires_clinician_agreement,
            "headline": self.headline, "weeks": [w.to_dict() for w in self.weeks],
            "pre_run": [e.to_dict() for e in self.pre_run], "post_run": [e.to_dict() for e in self.post_run],
            "strength": [e.to_dict() for e in self.strength], "desk": [e.to_dict() for e in self.desk],
            "progression_rules": [r.to_dict() for r in self.progression_rules],
            "load_advice": [a.to_dict() for a in self.load_advice],
            "form_cues": [c.to_dict() for c in self.form_cues],
            "addressed": [a.to_dict() for a in self.addressed], "stop_rules": list(self.stop_rules),
            "notes": list(self.notes), "referral": self.referral.to_dict() if self.referral else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        def exercises(key: str) -> tuple[PrescribedExercise, ...]:
            return tuple(PrescribedExercise.from_dict(e) for e in data.get(key, ()))

        return cls(
            status=PlanStatus(data["status"]), options=PlanOptions.from_dict(data["options"]),
            triage_tier=data["triage_tier"], requires_clinician_agreement=bool(data["requires_clinician_agreement"]),
            headline=data["headline"], weeks=tuple(PlanWeek.from_dict(w) for w in data.get("weeks", ())),
            pre_run=exercises("pre_run"), post_run=exercises("post_run"), strength=exercises("strength"),
            desk=exercises("desk"),
            progression_rules=tuple(ProgressionRule.from_dict(r) for r in data.get("progression_rules", ())),
            load_advice=tuple(LoadAdvice.from_dict(a) for a in data.get("load_advice", ())),
            form_cues=tuple(FormCue.from_dict(c) for c in data.get("form_cues", ())),
            addressed=tuple(AddressedFinding.from_dict(a) for a in data.get("addressed", ())),
            stop_rules=tuple(data.get("stop_rules", ())), notes=tuple(data.get("notes", ())),
            referral=Referral.from_dict(data["referral"]) if data.get("referral") else None,
            schema_version=int(data.get("schema_version", PLAN_SCHEMA_VERSION)),
        )
