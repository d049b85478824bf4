"""Render a :class:`~backstride.workflows.reports.Report` as one self-contained HTML document.

Styles are inline, charts are inline SVG, nothing is fetched: the file can be emailed, opened
offline, printed, or turned into a PDF.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

if TYPE_CHECKING:
    from backstride.workflows.reports import Report


@cache
def environment() -> Environment:
    folder = str(resources.files("backstride.reports") / "templates")
    env = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["svg"] = lambda text: Markup(text)  # our own chart output, never user input
    return env


def report_html(report: Report) -> str:
    css = (resources.files("backstride.reports") / "templates" / "report.css").read_text(encoding="utf-8")
    return environment().get_template("report.html").render(report=report, css=Markup(css))
