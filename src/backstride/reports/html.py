"""Render a :class:`~backstride.reports.model.Report` as one self-contained HTML document.

Styles are inline, charts are inline SVG, nothing is fetched: the file can be emailed, opened
offline, printed, or turned into a PDF.
"""

from __future__ import annotations

import re
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
    env.filters["chart"] = chart_variant
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


def cite_or_id(ref_ids: str) -> str:
    """Readable citations for one reference id or several, comma separated; an unknown id is left out."""
    out = []
    for ref_id in (r.strip() for r in str(ref_ids).split(",")):
        try:
            out.append(cite(ref_id))
        except KeyError:
            continue
    return " ".join(out) or "source on file"


_TIP = re.compile(r"<title>[^<]*</title>")
_DOT = re.compile(r'<circle [^>]*class="tip dot"></circle>')   # a trend's per-run dots: the line shows it
_VARIANT = re.compile(r'<div class="chart-(wide|narrow)">(.*?</svg>)</div>', re.S)


def chart_variant(svg: str, variant: str) -> Markup:
    """One drawing of a chart made by ``plots.both`` ("wide" or "narrow"), or both ("both").

    The PDF gets only the drawing it shows: hidden SVG would still cost WeasyPrint its parsing.
    """
    if variant != "both":
        for found in _VARIANT.finditer(svg):
            if found.group(1) == variant:
                # paper has no hover: the per-point values go, the chart's own title and
                # description stay (a third fewer elements for WeasyPrint to style and draw)
                head, body = found.group(2).split("</desc>", 1)
                return Markup(head + "</desc>" + _DOT.sub("", _TIP.sub("", body)))
    return Markup(svg)  # our own chart output, never user input


def report_html(report: Report, *, for_print: bool = False) -> str:
    """The report as HTML; ``for_print`` (the PDF) keeps one drawing per chart instead of two."""
    css = (resources.files("backstride.reports") / "templates" / "report.css").read_text(encoding="utf-8")
    return environment().get_template("report.html").render(report=report, css=Markup(css),
                                                            wide="wide" if for_print else "both",
                                                            narrow="narrow" if for_print else "both")
