"""Render a :class:`~backstride.workflows.reports.Report` as one self-contained HTML document.

Styles are inline, charts are inline SVG, nothing is fetched: the file can be emailed, opened
offline, printed, or turned into a PDF.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from backstride.evidence import cite

if TYPE_CHECKING:
    from backstride.workflows.reports import Report


@cache
def environment() -> Environment:
    folder = str(resources.files("backstride.reports") / "templates")
    env = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["svg"] = lambda text: Markup(text)  # our own chart output, never user input
    env.filters["fmtnum"] = fmtnum
    env.filters["cite"] = cite_or_id
    return env


def fmtnum(value: Any) -> str:
    """Numbers for people: no trailing zeros, at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:.1f}"


def cite_or_id(ref_ids: str) -> str:
    """Readable citations for one reference id or several, comma separated; an unknown id is left out."""
    out = []
    for ref_id in (r.strip() for r in str(ref_ids).split(",")):
        try:
            out.append(cite(ref_id))
        except KeyError:
            continue
    return " ".join(out) or "source on file"


def report_html(report: Report) -> str:
    css = (resources.files("backstride.reports") / "templates" / "report.css").read_text(encoding="utf-8")
    return environment().get_template("report.html").render(report=report, css=Markup(css))
