"""What every page shares: templates and the chosen runner profile."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from backstride.config import Settings
from backstride.errors import InputError
from backstride.reports.html import cite_or_id, fmtnum
from backstride.web.jobs import JobQueue
from backstride.workflows import screening
from backstride.workflows.workspace import Workspace

RUNNER_COOKIE = "backstride_runner"
RUNNER_NAME = re.compile(r"^[\w .'-]{1,60}$")

# The daily things first (what a runner opens every morning), the rest behind "More" on a phone.
NAV: tuple[tuple[str, str], ...] = (
    ("/today", "Today"),
    ("/plan", "Plan"),
    ("/", "Home"),
    ("/screening", "Screening"),
    ("/findings", "Findings"),
    ("/exercises", "Exercises"),
    ("/activities", "Activities"),
    ("/form", "Form"),
    ("/progress", "Progress"),
    ("/report", "Report"),
    ("/data", "Data"),
)
NAV_PRIMARY = 3  # how many NAV items stay visible on a phone


def template_dir() -> Path:
    return Path(str(resources.files("backstride.web") / "templates"))


def static_dir() -> Path:
    return Path(str(resources.files("backstride.web") / "static"))


templates = Jinja2Templates(directory=str(template_dir()))


templates.env.filters["fmtnum"] = fmtnum
templates.env.filters["cite"] = cite_or_id
templates.env.filters["svg"] = lambda text: Markup(text)  # our own chart output, never user input


def exercise_figure(exercise_id: str, animated: bool = True) -> Markup:
    """The exercise's illustration as inline SVG (our own drawing from the library's poses)."""
    from backstride.reports.figures import exercise_svg_by_id

    return Markup(exercise_svg_by_id(exercise_id, animated=animated))


templates.env.globals["exercise_figure"] = exercise_figure


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def workspace_of(request: Request) -> Workspace:
    return request.app.state.workspace


def jobs_of(request: Request) -> JobQueue:
    return request.app.state.jobs


def valid_runner_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not RUNNER_NAME.match(cleaned):
        raise InputError(f"{name!r} cannot be a profile name",
                         hint="use 1 to 60 letters, digits, spaces, dots, dashes or apostrophes")
    return cleaned


def current_runner(request: Request) -> str:
    """The profile chosen with the picker at the top (a cookie), else the configured default."""
    name = request.cookies.get(RUNNER_COOKIE) or settings_of(request).runner
    try:
        return valid_runner_name(name)
    except InputError:
        return settings_of(request).runner


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    runner = context.pop("runner", None) or current_runner(request)
    try:
        runners = workspace_of(request).list_runners()
    except Exception:  # the error page must render even when the database is the problem
        runners = []
    if runner not in runners:
        runners = sorted([*runners, runner], key=str.lower)
    base = {"request": request, "runner": runner, "runners": runners, "nav": NAV,
            "nav_primary": NAV_PRIMARY,
            "path": request.url.path}
    base.update(context)
    return templates.TemplateResponse(request, template, base, status_code=status_code)




def referral_triage(ws: Workspace, runner: str) -> Any:
    """The latest screening's triage when it is emergency or urgent (it then replaces Today and Plan), else None."""
    latest = screening.latest_screening(ws, runner)
    return latest.triage if latest is not None and latest.triage.tier.refers_now else None


def has_screening(ws: Workspace, runner: str) -> bool:
    """Whether the runner has a stored screening."""
    return screening.latest_screening(ws, runner) is not None


def form_number(raw: str, name: str, lo: float, hi: float, *, hint: str, unit: str = "",
                range_hint: str | None = None) -> float | None:
    """An optional number typed into a form ("," taken as the decimal mark); None when the field is empty.

    Raises InputError naming the field when it is not a number (with ``hint``) or outside ``lo`` to ``hi``
    (with ``range_hint``, else ``hint``).
    """
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{name} {raw!r} is not a number", hint=hint) from None
    if not lo <= value <= hi:
        unit_text = f" {unit}" if unit else ""
        raise InputError(f"{name} {value:g}{unit_text} is outside {lo:g} to {hi:g}{unit_text}",
                         hint=range_hint or hint)
    return value

