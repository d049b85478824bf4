"""The charts of the web app and the report. Pure functions: plain values in, SVG text out.

Every chart names its quantity and unit on the axis, has an accessible title and description,
and says so plainly when there is nothing to draw.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from backstride.reports.svg import (
    FONT,
    PALETTE,
    Frame,
    axes,
    date_ticks,
    day_number,
    document,
    empty_chart,
    fmt_number,
    legend,
    nice_ticks,
    polyline,
    responsive,
    tip,
)

EWMA_CAVEAT = (
    "The load ratio compares the last week's load with the last four weeks' average, both "
    "exponentially weighted. It is shown for orientation only: studies disagree on whether it "
    "predicts injury, and the commonly quoted 0.8 to 1.3 range is a convention, not a safe zone. "
    "A single run much longer than your recent longest run is the better-supported warning sign."
)

BAR = PALETTE[0]
NARROW_WIDTH = 320   # px: a phone card is about 310 to 360 px wide, so its text stays near 12 px
SPIKE = "#b3261e"


def _finite(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]


def weekly_load_chart(week_starts: Sequence[dt.date], distance_km: Sequence[float],
                      spike_weeks: Sequence[dt.date] = (), *,
                      longest_run_km: Sequence[float | None] | None = None,
                      title: str = "Weekly running distance", width: int = 720,
                      week_link: str | None = None) -> str:
    """Bars of km per week (Monday start); a red triangle over each week with a single-run spike.

    ``week_link`` (with ``{week}`` for the Monday's ISO date) makes each bar a link to that week's runs.
    """
    if len(week_starts) != len(distance_km):
        raise ValueError("week_starts and distance_km must have the same length")
    if not week_starts:
        return empty_chart(title, width=width, message="No runs imported yet.")
    first, last = min(week_starts), max(week_starts) + dt.timedelta(days=7)
    top = max([*_finite(distance_km), *(_finite(longest_run_km) if longest_run_km else [])], default=1.0)
    frame = Frame(width=width, x_lo=day_number(first), x_hi=day_number(last), y_lo=0.0)
    frame.y_hi = nice_ticks(0.0, top * 1.15 or 1.0)[-1]
    axes(frame, y_label="Distance per week (km)", x_label="Week", x_ticks=date_ticks(first, last, frame.max_x_ticks, weekly=True))
    bar_w = max(1.0, frame.plot_w / max(1, (last - first).days) * 7 * 0.8)
    base = frame.y(0.0)
    spikes = set(spike_weeks)
    for week, km in zip(week_starts, distance_km, strict=True):
        x = frame.x(day_number(week) + 0.7)
        y = frame.y(max(0.0, km))
        label = f"Week of {week.strftime('%d %b %Y')}: {km:.1f} km"
        # the bar reaches up to the plot's top as a transparent target, so a short week is easy to tap
        bar = f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{base - y:.1f}" fill="{BAR}"/>'
        if week_link:
            bar = (f'<rect x="{x:.1f}" y="{frame.top}" width="{bar_w:.1f}" height="{base - frame.top:.1f}" '
                   f'fill="transparent"/>{bar}')
            href = escape(week_link.format(week=week.isoformat()))
            frame.add(f'<a href="{href}" class="tip" aria-label="{escape(label)}, show its runs">{tip(label + " (open to see its runs)")}{bar}</a>')
        else:
            frame.add(f'<g class="tip" tabindex="0">{tip(label)}{bar}</g>')
        if week in spikes:
            cx = x + bar_w / 2
            ty = y - 4
            frame.add(f'<path d="M{cx - 6:.1f} {ty - 10:.1f} L{cx + 6:.1f} {ty - 10:.1f} L{cx:.1f} {ty:.1f} Z" fill="{SPIKE}">'
                      + tip(f"Week of {week:%d %b %Y}: a single run much longer than the recent longest run") + "</path>")
    items = [("km per week", BAR, "bar")]
    if longest_run_km is not None:
        xs = [day_number(w) + 3.5 for w in week_starts]
        polyline(frame, xs, list(longest_run_km), color=PALETTE[1], width=1.6)
        items.append(("longest single run (km)", PALETTE[1], "line"))
    if spikes:
        items.append(("single-run spike", SPIKE, "marker"))
    legend(frame, items)
    total = sum(_finite(distance_km))
    return document(frame, title=title,
                    description=f"{len(week_starts)} weeks from {first.isoformat()}, {total:.0f} km in total, "
                                f"{len(spikes)} weeks with a single-run spike.")


def ewma_ratio_chart(days: Sequence[dt.date], ratio: Sequence[float | None], *,
                     band: tuple[float, float] = (0.8, 1.3),
                     title: str = "Load ratio (EWMA, acute to chronic)", width: int = 720) -> str:
    """The daily ratio as a line, with the commonly quoted band shaded and labelled as a convention."""
    if len(days) != len(ratio):
        raise ValueError("days and ratio must have the same length")
    values = _finite(ratio)
    if not values:
        return empty_chart(title, width=width, message="Not enough running history for a load ratio yet (about four weeks are needed).")
    first, last = min(days), max(days)
    frame = Frame(width=width, x_lo=day_number(first), x_hi=day_number(last) + 1, y_lo=0.0)
    frame.y_hi = nice_ticks(0.0, max(2.0, max(values) * 1.1))[-1]
    lo, hi = band
    frame.add(f'<rect x="{frame.left}" y="{frame.y(hi):.1f}" width="{frame.plot_w:.1f}" '
              f'height="{frame.y(lo) - frame.y(hi):.1f}" fill="#dde7f3"/>')
    axes(frame, y_label="Ratio (no unit)", x_label="Date", x_ticks=date_ticks(first, last, frame.max_x_ticks))
    frame.add(f'<text x="{frame.width - frame.right - 4}" y="{frame.y(hi) - 5:.1f}" text-anchor="end" font-size="11" {FONT} '
              f'fill="#3a4452">{fmt_number(lo)} to {fmt_number(hi)}: a convention, not a safe zone</text>')
    polyline(frame, [day_number(d) for d in days], list(ratio), color=PALETTE[0])
    legend(frame, [("load ratio", PALETTE[0], "line"), ("commonly quoted range", "#c9d6e8", "bar")])
    return document(frame, title=title,
                    description=f"Daily ratio from {first.isoformat()} to {last.isoformat()}; latest "
                                f"{values[-1]:.2f}. {EWMA_CAVEAT}")


def trend_chart(dates: Sequence[dt.date], values: Sequence[float | None], *, label: str, unit: str,
                reference: float | None = None, reference_label: str = "",
                title: str | None = None, width: int = 720) -> str:
    """One running-dynamics (or any) metric over time, per run, with an optional reference line."""
    if len(dates) != len(values):
        raise ValueError("dates and values must have the same length")
    title = title or f"{label} per run"
    finite = _finite(values)
    if not finite:
        return empty_chart(title, width=width, message=f"No {label.lower()} recorded in the imported runs.", height=100)
    first, last = min(dates), max(dates)
    lo, hi = min(finite), max(finite)
    if reference is not None:
        lo, hi = min(lo, reference), max(hi, reference)
    pad = (hi - lo) * 0.1 or abs(hi) * 0.05 or 1.0
    ticks = nice_ticks(lo - pad, hi + pad)
    frame = Frame(width=width, height=220, x_lo=day_number(first), x_hi=day_number(last) + 1, y_lo=ticks[0], y_hi=ticks[-1])
    axes(frame, y_label=f"{label} ({unit})", x_label="Date", x_ticks=date_ticks(first, last, frame.max_x_ticks), y_ticks=ticks)
    items = [(f"{label} ({unit})", PALETTE[0], "line")]
    if reference is not None:
        y = frame.y(reference)
        frame.add(f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
                  f'stroke="{PALETTE[1]}" stroke-width="1.5" stroke-dasharray="5 4"/>')
        items.append((reference_label or f"reference {fmt_number(reference)} {unit}", PALETTE[1], "dash"))
    xs = [day_number(d) for d in dates]
    polyline(frame, xs, list(values), color=PALETTE[0], width=1.6)
    if len(finite) <= 120:
        for day, x, v in zip(dates, xs, values, strict=True):
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                frame.add(f'<circle cx="{frame.x(x):.1f}" cy="{frame.y(v):.1f}" r="2.6" fill="{PALETTE[0]}" class="tip dot">'
                          + tip(f"{day:%d %b %Y}: {fmt_number(v)} {unit}") + "</circle>")
    if reference is not None:   # one series alone is named by its axis label already
        legend(frame, items)
    return document(frame, title=title,
                    description=f"{len(finite)} values from {first.isoformat()} to {last.isoformat()}, "
                                f"range {fmt_number(min(finite))} to {fmt_number(max(finite))} {unit}.")


def pain_chart(days: Sequence[dt.date], pain: Sequence[float | None],
               mean_7d: Sequence[float | None] | None = None, *, acceptable: float | None = 5.0,
               title: str = "Pain over time", width: int = 720) -> str:
    """Daily pain 0-10 from the journal, its 7-day mean, and the pain-monitoring limit (dashed)."""
    if len(days) != len(pain) or (mean_7d is not None and len(mean_7d) != len(days)):
        raise ValueError("days, pain and mean_7d must have the same length")
    if not _finite(pain):
        return empty_chart(title, width=width, message="No pain scores logged yet. Use the Today page to check in.")
    first, last = min(days), max(days)
    frame = Frame(width=width, x_lo=day_number(first), x_hi=day_number(last) + 1, y_lo=0.0, y_hi=10.0)
    axes(frame, y_label="Pain (0-10 scale)", x_label="Date", x_ticks=date_ticks(first, last, frame.max_x_ticks),
         y_ticks=[0, 2, 4, 6, 8, 10])
    items = [("pain that day", PALETTE[0], "line")]
    if acceptable is not None:
        y = frame.y(acceptable)
        frame.add(f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
                  f'stroke="{SPIKE}" stroke-width="1.5" stroke-dasharray="5 4"/>')
        items.append((f"acceptable limit ({fmt_number(acceptable)}/10)", SPIKE, "dash"))
    xs = [day_number(d) + 0.5 for d in days]
    polyline(frame, xs, list(pain), color=PALETTE[0], width=1.4)
    for day, x, v in zip(days, xs, pain, strict=True):
        if v is not None:
            frame.add(f'<circle cx="{frame.x(x):.1f}" cy="{frame.y(v):.1f}" r="3" fill="{PALETTE[0]}" class="tip">'
                      + tip(f"{day:%a %d %b}: pain {fmt_number(v)}/10") + "</circle>")
    if mean_7d is not None and _finite(mean_7d):
        polyline(frame, xs, list(mean_7d), color=PALETTE[2], width=2.6)
        items.append(("7-day average", PALETTE[2], "line"))
    legend(frame, items)
    logged = _finite(pain)
    return document(frame, title=title,
                    description=f"{len(logged)} days with a pain score from {first.isoformat()} to "
                                f"{last.isoformat()}, on a 0 to 10 scale; latest {fmt_number(logged[-1])}.")


def adherence_chart(week_starts: Sequence[dt.date], planned: Sequence[int], done: Sequence[int], *,
                    title: str = "Plan sessions done per week", width: int = 720) -> str:
    """Planned sessions (outline) against sessions logged as done (filled), per week."""
    if not (len(week_starts) == len(planned) == len(done)):
        raise ValueError("week_starts, planned and done must have the same length")
    if not week_starts:
        return empty_chart(title, width=width, message="No plan weeks yet.")
    first, last = min(week_starts), max(week_starts) + dt.timedelta(days=7)
    frame = Frame(width=width, x_lo=day_number(first), x_hi=day_number(last), y_lo=0.0)
    frame.y_hi = nice_ticks(0.0, max([*planned, *done, 1]) * 1.1)[-1]
    axes(frame, y_label="Sessions per week (count)", x_label="Week", x_ticks=date_ticks(first, last, frame.max_x_ticks, weekly=True))
    bar_w = max(2.0, frame.plot_w / max(1, (last - first).days) * 7 * 0.7)
    base = frame.y(0.0)
    for week, p, d in zip(week_starts, planned, done, strict=True):
        x = frame.x(day_number(week) + 1)
        yp, yd = frame.y(p), frame.y(d)
        pct = f"{100 * d / p:.0f}%" if p else "no sessions planned"
        frame.add(f'<rect x="{x:.1f}" y="{yp:.1f}" width="{bar_w:.1f}" height="{base - yp:.1f}" fill="none" stroke="{PALETTE[5]}" stroke-width="1.5"/>')
        frame.add(f'<rect x="{x + 2:.1f}" y="{yd:.1f}" width="{max(1.0, bar_w - 4):.1f}" height="{base - yd:.1f}" fill="{PALETTE[2]}">'
                  + tip(f"Week of {week:%d %b %Y}: {d} of {p} sessions ({pct})") + "</rect>")
    legend(frame, [("planned", PALETTE[5], "dash"), ("done", PALETTE[2], "bar")])
    total_p, total_d = sum(planned), sum(done)
    share = f"{100 * total_d / total_p:.0f}%" if total_p else "n/a"
    return document(frame, title=title, description=f"{total_d} of {total_p} planned sessions done ({share}).")


def load_pain_chart(distance_km: Sequence[float], pain_change: Sequence[float], *,
                    usual_km: float | None = None,
                    title: str = "Run distance and next-morning pain", width: int = 720) -> str:
    """One point per run: its distance against the change in morning pain the next day."""
    if len(distance_km) != len(pain_change):
        raise ValueError("distance_km and pain_change must have the same length")
    if not distance_km:
        return empty_chart(title, width=width, message="Needs runs with a morning pain score the day before and the day after.")
    reach = max(3.0, max(abs(c) for c in pain_change))
    ticks = nice_ticks(-reach, reach)
    frame = Frame(width=width, x_lo=0.0, y_lo=ticks[0], y_hi=ticks[-1])
    frame.x_hi = nice_ticks(0.0, max(distance_km) * 1.1 or 1.0)[-1]
    axes(frame, y_label="Morning pain change (points)", x_label="Run distance (km)",
         x_ticks=[(t, fmt_number(t)) for t in nice_ticks(0.0, frame.x_hi)], y_ticks=ticks)
    y0 = frame.y(0.0)
    frame.add(f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="#5a6575"/>')
    items = [("one run", PALETTE[0], "bar")]
    if usual_km is not None:
        x = frame.x(usual_km)
        frame.add(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top}" y2="{frame.top + frame.plot_h}" '
                  f'stroke="{PALETTE[1]}" stroke-width="1.5" stroke-dasharray="5 4"/>')
        items.append((f"your usual run ({fmt_number(usual_km)} km)", PALETTE[1], "dash"))
    for km, change in zip(distance_km, pain_change, strict=True):
        frame.add(f'<circle cx="{frame.x(km):.1f}" cy="{frame.y(change):.1f}" r="4" fill="{PALETTE[0]}" fill-opacity="0.6" class="tip">'
                  + tip(f"{km:.1f} km, morning pain {change:+g} points the next day") + "</circle>")
    legend(frame, items)
    return document(frame, title=title,
                    description=f"{len(distance_km)} runs; points above the middle line mean more pain the next morning.")


def both(chart: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    """A chart drawn for a wide card and for a phone (or half-width figure); CSS shows one."""
    return responsive(chart(*args, width=720, **kwargs), chart(*args, width=NARROW_WIDTH, **kwargs))
