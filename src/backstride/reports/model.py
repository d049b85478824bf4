"""The clinician report as plain values: sections of template-ready data and inline SVG charts.

Built by ``workflows.reports.build_report``, rendered by ``reports.html`` and ``reports.pdf``;
it lives here so that rendering never imports a use case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from backstride import __version__


@dataclass(frozen=True)
class ReportSection:
    """One part of the report: template-ready values, charts as inline SVG, or why it is empty."""

    id: str
    title: str
    available: bool
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    charts: tuple[tuple[str, str], ...] = ()   # (caption, svg)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "available": self.available, "reason": self.reason,
                "data": self.data, "charts": [caption for caption, _svg in self.charts]}


@dataclass(frozen=True)
class Report:
    runner: str
    generated_at: dt.datetime
    sections: tuple[ReportSection, ...]
    version: str = __version__

    def section(self, section_id: str) -> ReportSection:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def to_dict(self) -> dict[str, Any]:
        return {"runner": self.runner, "generated_at": self.generated_at.isoformat(),
                "version": self.version, "sections": [s.to_dict() for s in self.sections]}
