"""What a form check reports about the capture itself, and the coarse reading of one metric.

Separate from ``form.analysis`` so that ``form.findings`` can use them without importing the
analysis that calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CaptureReport:
    container_fps: float
    slowmo_factor: float
    real_fps: float
    timing_source: str
    duration_s: float  # playback seconds
    n_frames: int
    width_px: int
    height_px: int
    person_share: float
    view: str
    view_confidence: float
    view_source: str  # "auto" or "--view"
    setting: str  # treadmill / overground / unknown
    panning: bool
    gait: str  # "running"
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "fps": round(self.container_fps, 3), "slowmo_factor": round(self.slowmo_factor, 3),
            "real_fps": round(self.real_fps, 3), "timing_source": self.timing_source,
            "duration_s": round(self.duration_s, 3), "n_frames": self.n_frames,
            "resolution": [self.width_px, self.height_px], "person_share": round(self.person_share, 3),
            "view": self.view, "view_confidence": self.view_confidence, "view_source": self.view_source,
            "setting": self.setting, "panning": self.panning, "gait": self.gait,
            "quality_warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Category:
    """A coarse, honest reading of one metric: a label, the value behind it and how sure we are."""

    metric: str
    label: str
    value: float
    unit: str
    confidence: float
    error: float | None = None  # the measurement error either way, in ``unit``

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "label": self.label, "value": round(self.value, 2), "unit": self.unit,
                "confidence": round(self.confidence, 2),
                "error": None if self.error is None else round(self.error, 3)}
