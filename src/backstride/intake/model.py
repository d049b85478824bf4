"""Values produced by screening, consumed by the planner, the journal, the web app and reports.

This is the contract between :mod:`backstride.intake` and the rest of the project; the logic
that fills it lives beside it (questionnaire, triage, pattern, factors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from backstride.findings.model import Finding


class TriageTier(StrEnum):
    """How urgently the runner should see someone, most urgent first."""

    EMERGENCY = "emergency"        # seek care now (e.g. suspected cauda equina)
    URGENT = "urgent"              # same day
    SEE_CLINICIAN = "see_clinician"  # book within days to weeks
    SELF_MANAGE = "self_manage"    # self-management with stop rules

    @property
    def rank(self) -> int:
        """0 = most urgent."""
        return [t.value for t in TriageTier].index(self.value)

    @property
    def refers_now(self) -> bool:
        """Emergency and urgent results get a referral instead of a plan."""
        return self in (TriageTier.EMERGENCY, TriageTier.URGENT)


class RunAdvice(StrEnum):
    NO_RUNNING = "no_running"
    WALK_ONLY = "walk_only"
    RUN_EASY = "run_easy"          # run easy under the pain-monitoring rules
    RUN_AS_PLANNED = "run_as_planned"


class Direction(StrEnum):
    """Spinal movement directions that may provoke symptoms (directional sensitivity)."""

    FLEXION = "flexion"
    EXTENSION = "extension"
    ROTATION = "rotation"


class Irritability(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


@dataclass(frozen=True)
class TriageReason:
    """One answer (or combination) that moved the triage, with the rule's source."""

    code: str              # e.g. "cauda_equina.saddle_numbness"
    tier: TriageTier
    message: str           # plain English: what was answered and what it means
    answer_keys: tuple[str, ...]
    source: str            # reference id, e.g. "nice_cks_lbp"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "tier": self.tier.value, "message": self.message,
                "answer_keys": list(self.answer_keys), "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TriageReason:
        return cls(code=data["code"], tier=TriageTier(data["tier"]), message=data["message"],
                   answer_keys=tuple(data.get("answer_keys", ())), source=data["source"])


@dataclass(frozen=True)
class TriageResult:
    tier: TriageTier
    reasons: tuple[TriageReason, ...]
    what_to_do: str        # the action for this tier, first thing a user reads
    run_advice: RunAdvice
    stop_rules: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()  # codes of red-flag answers that were "yes"

    @property
    def has_red_flag(self) -> bool:
        return bool(self.red_flags)

    def to_dict(self) -> dict[str, Any]:
        return {"tier": self.tier.value, "reasons": [r.to_dict() for r in self.reasons],
                "what_to_do": self.what_to_do, "run_advice": self.run_advice.value,
                "stop_rules": list(self.stop_rules), "red_flags": list(self.red_flags)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TriageResult:
        return cls(tier=TriageTier(data["tier"]),
                   reasons=tuple(TriageReason.from_dict(r) for r in data.get("reasons", ())),
                   what_to_do=data["what_to_do"], run_advice=RunAdvice(data["run_advice"]),
                   stop_rules=tuple(data.get("stop_rules", ())), red_flags=tuple(data.get("red_flags", ())))


@dataclass(frozen=True)
class PainProfile:
    """What the planner needs to keep exercises from provoking symptoms."""

    has_pain: bool
    sensitivities: frozenset[Direction] = frozenset()
    irritability: Irritability = Irritability.LOW
    nerve_symptoms: bool = False   # tingling, numbness, pain below the knee
    description: str = ""          # shown as a description only, never a diagnosis
    pain_now: int | None = None
    pain_during_run: int | None = None
    # Added by screening: which self-described pattern (a description, never a diagnosis):
    # "one_sided_spasm", "diffuse_ache", "mixed" or "" (no pain / not enough to say), and the worse side.
    pattern: str = ""
    side: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"has_pain": self.has_pain, "sensitivities": sorted(d.value for d in self.sensitivities),
                "irritability": self.irritability.value, "nerve_symptoms": self.nerve_symptoms,
                "description": self.description, "pain_now": self.pain_now,
                "pain_during_run": self.pain_during_run, "pattern": self.pattern, "side": self.side}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PainProfile:
        return cls(has_pain=bool(data["has_pain"]),
                   sensitivities=frozenset(Direction(d) for d in data.get("sensitivities", ())),
                   irritability=Irritability(data.get("irritability", "low")),
                   nerve_symptoms=bool(data.get("nerve_symptoms", False)),
                   description=data.get("description", ""), pain_now=data.get("pain_now"),
                   pain_during_run=data.get("pain_during_run"), pattern=data.get("pattern", ""),
                   side=data.get("side"))


@dataclass(frozen=True)
class ScreeningResult:
    answers: dict[str, Any]
    triage: TriageResult
    pain: PainProfile
    findings: tuple[Finding, ...]
    created_at: dt.datetime
    notes: tuple[str, ...] = ()     # e.g. where the guideline overrides the source articles
    scores: dict[str, Any] = field(default_factory=dict)  # e.g. STarT Back, NG65 feature count

    def to_dict(self) -> dict[str, Any]:
        return {"created_at": self.created_at.isoformat(), "answers": self.answers,
                "triage": self.triage.to_dict(), "pain": self.pain.to_dict(),
                "findings": [f.to_dict() for f in self.findings], "notes": list(self.notes),
                "scores": self.scores}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScreeningResult:
        return cls(answers=dict(data["answers"]), triage=TriageResult.from_dict(data["triage"]),
                   pain=PainProfile.from_dict(data["pain"]),
                   findings=tuple(Finding.from_dict(f) for f in data.get("findings", ())),
                   created_at=dt.datetime.fromisoformat(data["created_at"]),
                   notes=tuple(data.get("notes", ())), scores=dict(data.get("scores") or {}))

    def finding(self, code: str) -> Finding | None:
        """The first finding with this code, if any."""
        return next((f for f in self.findings if f.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)
