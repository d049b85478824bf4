"""The clinician report: gather every area's latest results for one runner, render HTML or PDF.

Each area contributes a section through the same workflow functions the CLI and the web app
call. An area that is not installed, or has nothing stored yet, gives a section that says so
in words; the report never invents numbers.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from backstride import __version__
from backstride.workflows.workspace import Workspace


@dataclass(frozen=True)
class Area:
    """An optional area of the product: its workflow module, or why it is not available."""

    module: ModuleType | None
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.module is not None


def optional_workflow(name: str, *, missing: str | None = None) -> Area:
    """Import ``backstride.workflows.<name>``; say plainly why not when it cannot be imported."""
    full = f"backstride.workflows.{name}"
    try:
        return Area(importlib.import_module(full))
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return Area(None, missing or "This part of backstride is not available in this version yet.")
        return Area(None, f"This feature needs the Python package {exc.name!r}, which is not installed. "
                          "Run scripts/setup.sh to install everything.")


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


SectionBuilder = Callable[[Workspace, str, dt.date], ReportSection]


def build_report(ws: Workspace, runner: str, *, today: dt.date | None = None) -> Report:
    """Everything the report shows, gathered from the areas' workflows."""
    day = today or dt.date.today()
    with ws.transaction() as session:
        ws.runner_id(session, runner, create=False)   # NotFoundError names the profile
    sections = tuple(builder(ws, runner, day) for builder in BUILDERS)
    return Report(runner=runner, generated_at=dt.datetime.now(dt.UTC), sections=sections)


def render_html(report: Report) -> str:
    from backstride.reports.html import report_html

    return report_html(report)


def render_pdf(report: Report) -> bytes:
    from backstride.reports.pdf import html_to_pdf

    return html_to_pdf(render_html(report))


def report_filename(report: Report, fmt: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in report.runner)
    return f"backstride-report-{safe}-{report.generated_at.date().isoformat()}.{fmt}"


# --------------------------------------------------------------------------- sections


def _unavailable(section_id: str, title: str, reason: str) -> ReportSection:
    return ReportSection(id=section_id, title=title, available=False, reason=reason)


def screening_section(ws: Workspace, runner: str, today: dt.date) -> ReportSection:
    title = "Screening and triage"
    area = optional_workflow("screening")
    if area.module is None:
        return _unavailable("screening", title, area.reason)
    return _unavailable("screening", title, "Not wired yet.")


def findings_section(ws: Workspace, runner: str, today: dt.date) -> ReportSection:
    return _unavailable("findings", "Findings", "Not wired yet.")


def plan_section(ws: Workspace, runner: str, today: dt.date) -> ReportSection:
    return _unavailable("plan", "Current plan", "Not wired yet.")


def load_section(ws: Workspace, runner: str, today: dt.date) -> ReportSection:
    return _unavailable("load", "Training load", "Not wired yet.")


def form_section(ws: Workspace, runner: str, today: dt.date) -> ReportSection:
    return _unavailable("form", "Running form", "Not wired yet.")


def progress_section(ws: Workspace, runner: str, today: dt.date) -> ReportSection:
    return _unavailable("progress", "Pain and adherence", "Not wired yet.")


BUILDERS: tuple[SectionBuilder, ...] = (screening_section, findings_section, plan_section,
                                        load_section, form_section, progress_section)
