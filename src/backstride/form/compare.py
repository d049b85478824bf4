"""Compare two form checks of the same runner filmed from the same camera position.

Each reading carries a measurement error ``e`` (``findings.ERRORS``). The difference of two
independent readings carries about ``e * sqrt(2)``, so a change counts as real only beyond
that; smaller changes are reported as "within the measurement error", never as progress or
decline. Works on the stored analysis documents (what ``backstride form --json`` prints), so
old checks can be compared without re-running the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from backstride.errors import InputError
from backstride.form.findings import ERRORS

DIFFERENCE_FACTOR = math.sqrt(2.0)  # error of a difference of two readings with the same error


@dataclass(frozen=True)
class MetricChange:
    metric: str
    unit: str
    before: float | None
    after: float | None
    change: float | None
    error: float | None  # error of the change itself
    beyond_error: bool | None  # None when either side was not measured or no error is known

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {"metric": self.metric, "unit": self.unit, "before": r(self.before), "after": r(self.after),
                "change": r(self.change), "error": r(self.error), "beyond_error": self.beyond_error}


@dataclass(frozen=True)
class FormComparison:
    view: str
    before_id: int
    after_id: int
    changes: tuple[MetricChange, ...]
    first_contact_s: tuple[float | None, float | None]  # playback time of each video's first contact

    def to_dict(self) -> dict[str, Any]:
        return {"view": self.view, "before_id": self.before_id, "after_id": self.after_id,
                "first_contact_s": list(self.first_contact_s),
                "changes": [c.to_dict() for c in self.changes],
                "n_beyond_error": sum(1 for c in self.changes if c.beyond_error)}


def _readings(doc: dict[str, Any]) -> dict[str, tuple[float, str]]:
    out: dict[str, tuple[float, str]] = {}
    metrics = doc.get("metrics", {})
    if metrics.get("cadence_spm") is not None:
        out["cadence_spm"] = (float(metrics["cadence_spm"]), "steps/min")
    for name, s in metrics.get("summaries", {}).items():
        if s.get("median") is not None:
            out[name] = (float(s["median"]), str(s.get("unit", "")))
    return out


def first_contact_s(doc: dict[str, Any]) -> float | None:
    """Playback time of the first contact: frames over the container frame rate."""
    frames = doc.get("events", {}).get("contact_frames") or []
    fps = doc.get("capture", {}).get("fps")
    return round(float(frames[0]) / float(fps), 3) if frames and fps else None


def compare(before: dict[str, Any], after: dict[str, Any], *, before_id: int = 0, after_id: int = 0) -> FormComparison:
    """Metrics side by side; raises :class:`InputError` when the two checks cannot be compared."""
    v1, v2 = before.get("view"), after.get("view")
    if v1 != v2:
        raise InputError(f"form check {before_id} was filmed {_where(v1)} and check {after_id} {_where(v2)}; "
                         "angles from different camera positions cannot be compared",
                         hint="compare two checks filmed from the same position")
    a, b = _readings(before), _readings(after)
    changes = []
    for name in [*a, *(k for k in b if k not in a)]:
        x = a.get(name)
        y = b.get(name)
        unit = (x or y or (0.0, ""))[1]
        err = ERRORS.get(name)
        change = None if x is None or y is None else y[0] - x[0]
        d_err = None if err is None else err * DIFFERENCE_FACTOR
        beyond = None if change is None or d_err is None else abs(change) > d_err
        changes.append(MetricChange(name, unit, None if x is None else x[0], None if y is None else y[0],
                                    change, d_err, beyond))
    return FormComparison(view=str(v1), before_id=before_id, after_id=after_id, changes=tuple(changes),
                          first_contact_s=(first_contact_s(before), first_contact_s(after)))


def _where(view: object) -> str:
    return {"sagittal-left": "from the runner's left side", "sagittal-right": "from the runner's right side",
            "rear": "from behind", "front": "from the front"}.get(str(view), "from an unknown position")
