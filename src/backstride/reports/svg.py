"""A tiny, dependency-free SVG chart kit: axes with ticks and unit labels, bars, lines, points.

Hand-built SVG keeps charts crisp at any size, works offline, inlines into HTML and PDF, and
renders fast enough for a page that answers in well under 100 ms with years of data.
Everything here is pure: values in, an SVG string out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

NARROW_BELOW = 500   # px of viewBox width: charts narrower than this are the phone variant
CHAR_W = 6.8         # average advance of a 12 px DejaVu Sans character, for fitting labels
FONT = "font-family=\"DejaVu Sans, Arial, sans-serif\""
PALETTE = ("#1d5fa8", "#c2571a", "#2f8a4c", "#7b4fa0", "#a83250", "#5a6575")


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``lo..hi`` (1, 2, 2.5, 5 x 10^n steps)."""
    if not math.isfinite(lo) or not math.isfinite(hi):
        return [0.0, 1.0]
    # A span too small to draw (or to take a logarithm of, as with denormal inputs) is shown as
    # one unit above its lower end.
    if hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi)):
        hi = lo + 1.0
    raw = (hi - lo) / max(1, count)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    ticks = [round(i * step, 10) for i in range(first, last + 1)]
    return ticks


def fmt_number(value: float) -> str:
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass
class Frame:
    """A plotting area with an x range (numbers or dates) and a y range."""

    width: int = 720
    height: int = 300
    left: int = 50
    right: int = 18
    top: int = 0      # 0: room for the legend and the y-axis label above the plot, by width
    bottom: int = 52
    x_lo: float = 0.0
    x_hi: float = 1.0
    y_lo: float = 0.0
    y_hi: float = 1.0
    parts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.top:
            # a narrow chart may need a second legend row (legend rows at 16, 32; axis label below)
            self.top = 48 if self.width >= NARROW_BELOW else 64

    @property
    def max_x_ticks(self) -> int:
        """How many date labels fit side by side (about 80 px each)."""
        return max(3, min(7, int(self.plot_w // 80)))

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.height - self.top - self.bottom

    def x(self, value: float) -> float:
        span = (self.x_hi - self.x_lo) or 1.0
        return self.left + (value - self.x_lo) / span * self.plot_w

    def y(self, value: float) -> float:
        span = (self.y_hi - self.y_lo) or 1.0
        return self.top + self.plot_h - (value - self.y_lo) / span * self.plot_h

    def add(self, part: str) -> None:
        self.parts.append(part)


def day_number(day: dt.date) -> float:
    return float(day.toordinal())


def date_ticks(lo: dt.date, hi: dt.date, max_ticks: int = 7, *, weekly: bool = False) -> list[tuple[float, str]]:
    """Tick positions and labels for a date axis: days, weeks (Mondays), months or years by span."""
    span = (hi - lo).days
    out: list[tuple[float, str]] = []
    if span <= 21 and not weekly:
        step = max(1, span // max_ticks + 1)
        day = lo
        while day <= hi:
            out.append((day_number(day), day.strftime("%d %b")))
            day += dt.timedelta(days=step)
        return out
    if span <= 120:
        weeks_step = max(1, math.ceil(span / 7 / max_ticks))
        day = lo + dt.timedelta(days=(7 - lo.weekday()) % 7)  # first Monday
        while day <= hi:
            out.append((day_number(day), day.strftime("%d %b")))
            day += dt.timedelta(weeks=weeks_step)
        return out
    if span <= 800:
        months_step = max(1, math.ceil(span / 30.4 / max_ticks))
        month = dt.date(lo.year, lo.month, 1)
        while month <= hi:
            if month >= lo:
                out.append((day_number(month), month.strftime("%b %Y") if month.month == 1 or not out else month.strftime("%b")))
            total = month.month - 1 + months_step
            month = dt.date(month.year + total // 12, total % 12 + 1, 1)
        return out
    years_step = max(1, math.ceil(span / 365.25 / max_ticks))
    for year in range(lo.year + 1, hi.year + 1, years_step):
        out.append((day_number(dt.date(year, 1, 1)), str(year)))
    return out


def axes(frame: Frame, *, y_label: str, x_label: str, x_ticks: Sequence[tuple[float, str]],
         y_ticks: Sequence[float] | None = None) -> None:
    ticks = list(y_ticks) if y_ticks is not None else nice_ticks(frame.y_lo, frame.y_hi)
    decimals = next((d for d in range(4) if all(abs(round(t, d) - t) < 1e-9 for t in ticks)), 4)
    for t in ticks:
        if frame.y_lo - 1e-9 <= t <= frame.y_hi + 1e-9:
            y = frame.y(t)
            frame.add(f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e1e6ec"/>')
            frame.add(f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" {FONT} fill="#3a4452">{t:.{decimals}f}</text>')
    base = frame.top + frame.plot_h
    frame.add(f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{base}" y2="{base}" stroke="#5a6575"/>')
    frame.add(f'<line x1="{frame.left}" x2="{frame.left}" y1="{frame.top}" y2="{base}" stroke="#5a6575"/>')
    for pos, label in x_ticks:
        x = frame.x(pos)
        if frame.left - 1 <= x <= frame.width - frame.right + 1:
            frame.add(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 5}" stroke="#5a6575"/>')
            # a label at either end is moved inwards so that it is never cut off by the edge
            half = len(label) * CHAR_W / 2
            tx = min(max(x, half + 2), frame.width - half - 2)
            frame.add(f'<text x="{tx:.1f}" y="{base + 19}" text-anchor="middle" font-size="12" {FONT} fill="#3a4452">{escape(label)}</text>')
    frame.add(f'<text x="{frame.left + frame.plot_w / 2:.1f}" y="{frame.height - 8}" text-anchor="middle" font-size="13" {FONT} fill="#1c2430">{escape(x_label)}</text>')
    # the quantity and unit sit above the y axis, horizontally: a rotated label longer than a
    # small chart's height would be cut off
    frame.add(f'<text x="4" y="{frame.top - 12}" font-size="13" {FONT} fill="#1c2430">{escape(y_label)}</text>')


def polyline(frame: Frame, xs: Sequence[float], ys: Sequence[float | None], *, color: str,
             width: float = 2.0, dash: str | None = None) -> None:
    """A line that breaks where a value is missing (None or NaN)."""
    segment: list[str] = []
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""

    def flush() -> None:
        if len(segment) >= 2:
            frame.add(f'<polyline fill="none" stroke="{color}" stroke-width="{width}"{dash_attr} '
                      f'stroke-linejoin="round" points="{" ".join(segment)}"/>')
        elif len(segment) == 1:
            x, y = segment[0].split(",")
            frame.add(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{color}"/>')
        segment.clear()

    for x, y in zip(xs, ys, strict=True):
        if y is None or (isinstance(y, float) and math.isnan(y)):
            flush()
            continue
        segment.append(f"{frame.x(x):.1f},{frame.y(y):.1f}")
    flush()


def legend(frame: Frame, items: Sequence[tuple[str, str, str]]) -> None:
    """``(label, color, style)`` with style ``line``, ``dash``, ``bar`` or ``marker``."""
    x = frame.left
    y = 16
    for label, color, style in items:
        item_w = 28 + int(len(label) * CHAR_W)
        if x > frame.left and x + item_w > frame.width - 4:   # wrap to a second row
            x, y = frame.left, y + 16
        if style == "bar":
            frame.add(f'<rect x="{x}" y="{y - 9}" width="14" height="10" fill="{color}"/>')
        elif style == "marker":
            frame.add(f'<path d="M{x + 1} {y - 10} L{x + 13} {y - 10} L{x + 7} {y} Z" fill="{color}"/>')
        else:
            dash = ' stroke-dasharray="5 4"' if style == "dash" else ""
            frame.add(f'<line x1="{x}" x2="{x + 16}" y1="{y - 4}" y2="{y - 4}" stroke="{color}" stroke-width="3"{dash}/>')
        frame.add(f'<text x="{x + 20}" y="{y}" font-size="12" {FONT} fill="#1c2430">{escape(label)}</text>')
        x += item_w


def document(frame: Frame, *, title: str, description: str) -> str:
    """The finished ``<svg>`` element with an accessible title and description."""
    body = "\n".join(frame.parts)
    # no fixed size: the chart scales to its container's width through its viewBox
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
            f'width="100%" class="chart-svg" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
            f'<rect width="{frame.width}" height="{frame.height}" fill="#ffffff"/>\n{body}\n</svg>')


def empty_chart(title: str, message: str, *, width: int = 720, height: int = 120) -> str:
    frame = Frame(width=width, height=height)
    # one line per ~width of text, so a long message fits a narrow chart
    per_line = max(20, int((width - 16) / 7.6))
    lines = wrap_words(message, per_line)
    y0 = height / 2 - (len(lines) - 1) * 9
    for i, line in enumerate(lines):
        frame.add(f'<text x="{width / 2}" y="{y0 + i * 18:.1f}" text-anchor="middle" font-size="14" {FONT} fill="#5a6575">{escape(line)}</text>')
    return document(frame, title=title, description=message)


def wrap_words(text: str, per_line: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def tip(text: str) -> str:
    """A value to show on hover (the SVG title) and on tap or focus (web/static/app.js reads it)."""
    return f"<title>{escape(text)}</title>"


def responsive(wide: str, narrow: str) -> str:
    """Both variants of a chart; CSS shows the narrow one on a phone and in a half-width figure."""
    return f'<div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>'
