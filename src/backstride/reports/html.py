"""Render a :class:`~backstride.reports.model.Report` as one self-contained HTML document.

Styles are inline, charts are inline SVG, nothing is fetched: the file can be emailed, opened
offline, printed, or turned into a PDF.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from backstride.errors import NotFoundError
from backstride.evidence import cite

if TYPE_CHECKING:
    from backstride.reports.model import Report


@cache
def environment() -> Environment:
    folder = str(resources.files("backstride.reports") / "templates")
    env = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["svg"] = lambda text: Markup(text)  # our own chart output, never user input
    env.filters["fmtnum"] = fmtnum
    env.filters["cite"] = cite_or_id
    env.globals["exercise_figure"] = exercise_figure
    return env


def exercise_figure(exercise_id: str) -> Markup:
    """A still start-to-end drawing of the exercise (reports also go to PDF, which draws no animation)."""
    from backstride.reports.figures import exercise_svg_by_id

    try:
        return Markup(exercise_svg_by_id(exercise_id, animated=False))
    except (NotFoundError, ValueError):  # an exercise no longer in the library, or not drawn
        return Markup("")


def fmtnum(value: Any) -> str:
    """Numbers for people: no trailing zeros, at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:.1f}"


def cite_or_id(ref_id: str) -> str:
    try:
        return cite(ref_id)
    except KeyError:
        return ref_id


def report_html(report: Report) -> str:
    css = (resources.files("backstride.reports") / "templates" / "report.css").read_text(encoding="utf-8")
    return environment().get_template("report.html").render(report=report, css=Markup(css))
