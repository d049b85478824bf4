"""The :class:`Finding` value.

Every analyser (screening, load, form) produces findings; the planner consumes only findings
and preferences. A finding says what was measured, against which threshold (with its unit and
source), how sure we are, and how good the evidence is that it matters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return ["info", "low", "moderate", "high"].index(self.value)


class EvidenceLevel(StrEnum):
    """How well the link between this factor and back pain or injury is supported.

    ``high``/``moderate``/``low``/``very_low`` follow GRADE wording; ``expert_opinion`` means
    clinical convention with no trial behind it; ``none`` means we looked and found nothing,
    which we say plainly to the user.
    """

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"
    EXPERT_OPINION = "expert_opinion"
    NONE = "none"


@dataclass(frozen=True)
class Evidence:
    level: EvidenceLevel
    reference_ids: tuple[str, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level.value, "reference_ids": list(self.reference_ids), "note": self.note}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(EvidenceLevel(data["level"]), tuple(data.get("reference_ids", ())), data.get("note", ""))


@dataclass(frozen=True)
class Finding:
    """One contributing factor or pattern, with the numbers behind it.

    ``code`` is stable (``screen.hip_flexor_tightness``, ``load.single_run_spike``,
    ``form.low_cadence``) and is what the exercise library and planner key on.
    ``sources`` names what produced it: answer keys, activity ids, video frame ranges.
    """

    code: str
    title: str
    severity: Severity
    explanation: str
    evidence: Evidence
    value: float | str | None = None
    threshold: float | str | None = None
    unit: str | None = None
    sources: tuple[str, ...] = ()
    confidence: float = 1.0
    advice: str = ""
    side: str | None = None
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if "." not in self.code:
            raise ValueError(f"finding code {self.code!r} must be namespaced, e.g. 'screen.x'")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside 0..1")

    @property
    def domain(self) -> str:
        return self.code.split(".", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["severity"] = self.severity.value
        out["evidence"] = self.evidence.to_dict()
        out["sources"] = list(self.sources)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            code=data["code"],
            title=data["title"],
            severity=Severity(data["severity"]),
            explanation=data["explanation"],
            evidence=Evidence.from_dict(data["evidence"]),
            value=data.get("value"),
            threshold=data.get("threshold"),
            unit=data.get("unit"),
            sources=tuple(data.get("sources", ())),
            confidence=float(data.get("confidence", 1.0)),
            advice=data.get("advice", ""),
            side=data.get("side"),
            details=dict(data.get("details") or {}),
        )
