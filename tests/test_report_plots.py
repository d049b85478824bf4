"""The pure chart functions: valid SVG, labelled axes with units, honest empty states."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from backstride.reports import plots
from backstride.reports.svg import date_ticks, nice_ticks

SVG_NS = "{http://www.w3.org/2000/svg}"
MONDAY = dt.date(2025, 1, 6)


def parse(svg: str) -> etree._Element:
    root = etree.fromstring(svg.encode())
    assert root.tag == f"{SVG_NS}svg"
    assert root.find(f"{SVG_NS}title") is not None and root.find(f"{SVG_NS}desc") is not None
    return root


def texts(root: etree._Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG_NS}text")]


def weeks(n: int) -> list[dt.date]:
    return [MONDAY + dt.timedelta(weeks=i) for i in range(n)]


def test_weekly_load_marks_spike_weeks_and_labels_units() -> None:
    ws = weeks(10)
    svg = plots.weekly_load_chart(ws, [20, 22, 25, 24, 30, 18, 26, 28, 27, 31], [ws[4], ws[9]],
                                  longest_run_km=[8, 8, 9, 9, 15, 7, 10, 10, 10, 16])
    root = parse(svg)
    labels = texts(root)
    assert "Distance per week (km)" in labels
    assert "single-run spike" in labels
    spikes = [p for p in root.iter(f"{SVG_NS}path") if "single run much longer" in (p.findtext(f"{SVG_NS}title") or "")]
    assert len(spikes) == 2
    bars = week_bars(root)
    assert len(bars) == 10


def week_bars(root: etree._Element) -> list[etree._Element]:
    """The visible bar of each week (a group or link whose title names the week)."""
    out = []
    for group in root.iter():
        if group.tag in (f"{SVG_NS}g", f"{SVG_NS}a") and (group.findtext(f"{SVG_NS}title") or "").startswith("Week of"):
            out.append([r for r in group.iter(f"{SVG_NS}rect") if r.get("fill") != "transparent"][-1])
    return out


def test_week_bars_link_to_their_runs_only_when_asked() -> None:
    ws = weeks(3)
    linked = parse(plots.weekly_load_chart(ws, [10, 12, 14], week_link="/activities?week={week}"))
    hrefs = [a.get("href") for a in linked.iter(f"{SVG_NS}a")]
    assert hrefs == [f"/activities?week={w.isoformat()}" for w in ws]
    assert [a.findtext(f"{SVG_NS}title") for a in linked.iter(f"{SVG_NS}a")][1].startswith(f"Week of {ws[1]:%d %b %Y}: 12.0 km")
    plain = parse(plots.weekly_load_chart(ws, [10, 12, 14]))
    assert not list(plain.iter(f"{SVG_NS}a"))
    assert len(week_bars(plain)) == 3


def test_charts_scale_to_their_container() -> None:
    svg = plots.weekly_load_chart(weeks(3), [10, 12, 14])
    root = parse(svg)
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox") == "0 0 720 300"


def test_trend_points_carry_their_value_and_unit() -> None:
    days = [MONDAY + dt.timedelta(days=7 * i) for i in range(4)]
    root = parse(plots.trend_chart(days, [7.2, 7.4, None, 7.9], label="Vertical oscillation", unit="cm"))
    tips = [c.findtext(f"{SVG_NS}title") for c in root.iter(f"{SVG_NS}circle")]
    assert f"{days[1]:%d %b %Y}: 7.4 cm" in tips and len([t for t in tips if t]) == 3


def test_the_narrow_variant_has_fewer_date_labels_and_both_are_emitted() -> None:
    days = [MONDAY + dt.timedelta(days=i) for i in range(300)]
    values = [1.0 + (i % 7) * 0.05 for i in range(300)]
    wide = parse(plots.ewma_ratio_chart(days, values))
    narrow = parse(plots.ewma_ratio_chart(days, values, width=320))
    assert narrow.get("viewBox") == "0 0 320 300"
    assert len(texts(narrow)) < len(texts(wide))
    both = plots.both(plots.ewma_ratio_chart, days, values)
    assert both.count("<svg") == 2 and 'class="chart-narrow"' in both


def test_weekly_bars_scale_with_distance() -> None:
    root = parse(plots.weekly_load_chart(weeks(2), [10, 40]))
    bars = week_bars(root)
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] == pytest.approx(4 * heights[0], rel=0.01)


def test_ewma_chart_carries_its_caveat() -> None:
    days = [MONDAY + dt.timedelta(days=i) for i in range(60)]
    ratio = [None] * 14 + [1.0 + 0.01 * i for i in range(46)]
    root = parse(plots.ewma_ratio_chart(days, ratio))
    assert "Ratio (no unit)" in texts(root)
    assert any("not a safe zone" in t for t in texts(root))
    assert "convention" in root.findtext(f"{SVG_NS}desc")


def test_pain_chart_fixed_scale_and_limit_line() -> None:
    days = [MONDAY + dt.timedelta(days=i) for i in range(14)]
    root = parse(plots.pain_chart(days, [3, None, 4, 2] * 3 + [1, 1], [None] * 6 + [2.5] * 8))
    labels = texts(root)
    assert "Pain (0-10 scale)" in labels and "10" in labels and "0" in labels
    assert "acceptable limit (5/10)" in labels


def test_adherence_and_scatter_and_trend() -> None:
    root = parse(plots.adherence_chart(weeks(3), [4, 4, 4], [4, 2, 0]))
    assert "Sessions per week (count)" in texts(root)
    assert "6 of 12" in root.findtext(f"{SVG_NS}desc")
    root = parse(plots.load_pain_chart([5.0, 10.0, 21.1], [0, 1, -2], usual_km=8.0))
    assert "Run distance (km)" in texts(root)
    days = [MONDAY + dt.timedelta(days=2 * i) for i in range(10)]
    root = parse(plots.trend_chart(days, [170 + i for i in range(10)], label="Cadence", unit="steps/min", reference=172))
    assert "Cadence (steps/min)" in texts(root)


@pytest.mark.parametrize("svg", [
    plots.weekly_load_chart([], []),
    plots.ewma_ratio_chart([MONDAY], [None]),
    plots.pain_chart([MONDAY], [None]),
    plots.adherence_chart([], [], []),
    plots.load_pain_chart([], []),
    plots.trend_chart([MONDAY], [None], label="Cadence", unit="steps/min"),
])
def test_empty_data_says_so_instead_of_drawing(svg: str) -> None:
    root = parse(svg)
    assert len(texts(root)) == 1
    assert not list(root.iter(f"{SVG_NS}polyline"))


def test_mismatched_lengths_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        plots.weekly_load_chart(weeks(2), [1.0])
    with pytest.raises(ValueError):
        plots.pain_chart([MONDAY], [1, 2])


@settings(max_examples=60, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(0.001, 1e6))
def test_nice_ticks_cover_the_range(lo: float, width: float) -> None:
    ticks = nice_ticks(lo, lo + width)
    # nice_ticks snaps a bound that sits within float noise of a tick (1e-9 of the range) onto it.
    slack = 1e-9 * max(1.0, abs(lo), abs(lo + width), width)
    assert ticks[0] <= lo + slack
    assert ticks[-1] >= lo + width - slack
    assert 2 <= len(ticks) <= 12


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4000))
def test_date_ticks_stay_inside_and_few(span_days: int) -> None:
    lo = dt.date(2021, 3, 17)
    hi = lo + dt.timedelta(days=span_days)
    ticks = date_ticks(lo, hi)
    assert len(ticks) <= 12
    assert all(lo.toordinal() <= pos <= hi.toordinal() for pos, _ in ticks)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 300), min_size=1, max_size=60))
def test_weekly_chart_is_valid_svg_for_any_distances(kms: list[float]) -> None:
    parse(plots.weekly_load_chart(weeks(len(kms)), kms))
