"""Load formulas: spikes (Frandsen bands), weekly change, EWMA, fitness/fatigue/form,
monotony and strain, session load (sRPE, TRIMP), with hand-computed values and invariants."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.activities.model import Activity
from backstride.evidence import threshold
from backstride.load.metrics import (
    change,
    daily_series,
    ewma,
    find_spikes,
    monotony,
    runs_only,
    spike_band,
    weekly_rows,
)
from backstride.load.session import session_loads, srpe, trimp
from backstride.load.summary import build_load_summary, longest_run_m, spike_band_of_latest

DAY0 = dt.date(2026, 1, 5)  # a Monday


def run(day: int, km: float, *, minutes: float | None = None, hr: float | None = 150.0, rid: int | None = None,
        sub_sport: str | None = None, downhill_km: float = 0.0) -> Activity:
    start = dt.datetime.combine(DAY0 + dt.timedelta(days=day), dt.time(7), tzinfo=dt.UTC)
    return Activity(sport="running", sub_sport=sub_sport, start_time=start, elapsed_s=(minutes or km * 6) * 60,
                    timer_s=(minutes or km * 6) * 60, distance_m=km * 1000, avg_hr_bpm=hr, id=rid if rid else day + 1,
                    downhill_m=downhill_km * 1000)


@pytest.mark.parametrize("excess, band", [
    (0.05, None), (0.10, None), (0.1001, "10-30"), (0.30, "10-30"), (0.31, "30-100"), (1.0, "30-100"),
    (1.01, ">100"),
])
def test_spike_bands_follow_frandsen(excess: float, band: str | None) -> None:
    assert spike_band(excess) == band


def test_spikes_compare_with_the_longest_run_of_the_previous_30_days() -> None:
    runs = [run(0, 20.0), run(31, 10.0), run(33, 10.0), run(35, 11.5), run(37, 16.1), run(39, 40.0)]
    spikes = find_spikes(runs_only(runs))
    # day 31: the 20 km run is 31 days back, outside the window; nothing earlier -> no spike
    assert [(s.day - DAY0).days for s in spikes] == [35, 37, 39]
    assert [s.band for s in spikes] == ["10-30", "30-100", ">100"]
    assert spikes[0].previous_longest_m == 10_000 and spikes[0].excess == pytest.approx(0.15)
    assert spikes[1].previous_longest_m == 11_500
    assert spikes[2].activity_id == 40


def test_longest_run_and_latest_band_helpers() -> None:
    runs = [run(0, 8.0), run(10, 12.0), run(20, 9.0), run(25, 15.0)]
    today = DAY0 + dt.timedelta(days=25)
    assert longest_run_m(runs, today) == 12_000  # today's run does not count
    assert spike_band_of_latest(runs) == "10-30"
    assert spike_band_of_latest(runs[:3]) == "none"
    assert spike_band_of_latest(runs[:1]) is None
    assert spike_band_of_latest([]) is None


def test_weekly_change_and_two_week_change() -> None:
    runs = [run(0, 10), run(7, 10), run(14, 10), run(21, 15), run(22, 5)]
    loads = [1.0] * len(runs)
    rows = weekly_rows(runs, loads, DAY0, DAY0 + dt.timedelta(days=21), {})
    assert [r.distance_m for r in rows] == [10_000, 10_000, 10_000, 20_000]
    assert rows[1].change == pytest.approx(0.0)
    assert rows[3].change == pytest.approx(1.0)
    assert rows[3].change_2w == pytest.approx((20 + 10) / (10 + 10) - 1)
    assert rows[3].long_run_m == 15_000 and rows[3].long_run_share == pytest.approx(0.75)
    assert rows[3].runs == 2


def test_small_base_gives_no_percentage() -> None:
    assert change(4000, 2000) is None
    assert change(6500, 5000) == pytest.approx(0.3)


def test_surface_split_in_weekly_rows() -> None:
    runs = [run(0, 10, sub_sport="treadmill"), run(1, 8, sub_sport="trail"), run(2, 6)]
    [row] = weekly_rows(runs, [1, 1, 1], DAY0, DAY0, {})
    assert (row.treadmill_m, row.trail_m, row.road_m) == (10_000, 8_000, 6_000)


def test_ewma_matches_the_hand_computation() -> None:
    assert ewma([10.0, 0.0, 0.0], 7) == pytest.approx([2.5, 1.875, 1.40625])


def test_daily_series_ratio_needs_history_and_form_uses_yesterday() -> None:
    daily = {DAY0 + dt.timedelta(days=k): 50.0 for k in range(0, 30, 2)}
    days = daily_series(daily, DAY0, DAY0 + dt.timedelta(days=29), DAY0)
    assert all(d.ratio is None for d in days[:13]) and all(d.ratio is not None for d in days[13:])
    for prev, cur in itertools.pairwise(days):
        assert cur.form == pytest.approx(prev.fitness - prev.fatigue)
    assert days[0].acute == pytest.approx(12.5) and days[0].chronic == pytest.approx(50 * 2 / 29)


def test_monotony_and_strain() -> None:
    mono, strain = monotony([60.0, 0, 60, 0, 60, 0, 60])
    assert mono == pytest.approx(1.1547005, rel=1e-6) and strain == pytest.approx(277.128129, rel=1e-6)
    assert monotony([30.0] * 7)[0] == 10.0  # capped
    assert monotony([0.0] * 7) == (None, None)


def test_session_load_formulas() -> None:
    assert srpe(5, 60) == 300
    assert trimp(60, 150, 60, 200) == pytest.approx(88.69054, rel=1e-6)
    assert trimp(60, 50, 60, 200) == 0.0


def test_session_load_basis_prefers_rpe_then_heart_rate_then_minutes() -> None:
    runs = [run(0, 10, minutes=60), run(1, 10, minutes=60, hr=None), run(2, 5, minutes=30)]
    by_rpe = session_loads(runs, {runs[0].start_date: 4.0, runs[1].start_date: 6.0})
    assert by_rpe.basis == "srpe" and by_rpe.imputed == 1
    assert by_rpe.by_activity == {0: 240.0, 1: 360.0, 2: 150.0}  # run 3 gets the median RPE, 5
    by_hr = session_loads(runs)
    assert by_hr.basis == "trimp" and by_hr.imputed == 1
    assert by_hr.by_activity[1] == pytest.approx(by_hr.by_activity[0])  # imputed from the typical per-minute value
    no_hr = session_loads([run(0, 10, minutes=50, hr=None)])
    assert no_hr.basis == "duration" and no_hr.by_activity == {0: 50.0}


def test_summary_only_counts_runs_up_to_today() -> None:
    ride = Activity(sport="cycling", start_time=dt.datetime(2026, 1, 6, tzinfo=dt.UTC), elapsed_s=7200,
                    timer_s=7200, distance_m=60_000)
    acts = [run(0, 10), ride, run(2, 8), run(40, 30)]
    summary = build_load_summary(acts, weeks=2, today=DAY0 + dt.timedelta(days=7))
    assert [r.distance_m for r in summary.runs] == [10_000, 8_000]
    assert sum(w.distance_m for w in summary.weeks) == 18_000
    assert summary.days[-1].day == DAY0 + dt.timedelta(days=7)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 500, allow_nan=False), min_size=1, max_size=60), st.sampled_from([7, 28, 42]))
def test_ewma_stays_between_zero_and_the_largest_load(loads: list[float], days: int) -> None:
    out = ewma(loads, days)
    assert len(out) == len(loads)
    assert all(-1e-9 <= x <= max(loads) + 1e-9 for x in out)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1, 40, allow_nan=False), min_size=2, max_size=25))
def test_every_spike_is_longer_than_every_run_of_its_window(kms: list[float]) -> None:
    runs = [run(2 * i, km) for i, km in enumerate(kms)]
    for s in find_spikes(runs):
        window = [r for r in runs if 0 < (s.day - r.start_date).days <= 30]
        assert s.distance_m > 1.1 * max(r.distance_m or 0 for r in window)
        assert spike_band(s.excess) == s.band


def test_sample_trimp_matches_the_formula_and_ignores_pauses() -> None:
    from backstride.activities.compute import hr_trimp
    from backstride.activities.model import Series

    t = np.arange(3601, dtype=float)
    steady = Series({"time_s": t, "heart_rate_bpm": np.full(3601, 150.0, dtype="f4")})
    assert hr_trimp(steady) == pytest.approx(trimp(60, 150, 60, 200), rel=1e-6)
    paused = np.concatenate([t[:1801], t[1801:] + 1800.0])  # a 30-minute auto-pause in the middle
    with_pause = Series({"time_s": paused, "heart_rate_bpm": np.full(3601, 150.0, dtype="f4")})
    assert hr_trimp(with_pause) == pytest.approx(trimp(60 + 10 / 60 - 1 / 60, 150, 60, 200), rel=1e-6)


def test_stored_sample_trimp_is_preferred_for_the_trimp_basis() -> None:
    import dataclasses

    runs = [dataclasses.replace(run(0, 10, minutes=60), hr_trimp=123.0), run(1, 10, minutes=60)]
    loads = session_loads(runs)
    assert loads.basis == "trimp" and loads.by_activity[0] == 123.0
    assert loads.by_activity[1] == pytest.approx(trimp(60, 150, 60, 200))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.just(0.0), st.floats(0, 2000, allow_nan=False)), min_size=7, max_size=7))
def test_monotony_gives_the_same_doubles_as_numpy(loads: list[float]) -> None:
    # The plain-Python version replaced numpy's mean/std; stored and shown values must not move.
    arr = np.array(loads)
    total = float(arr.sum())
    mono, strain = monotony(loads)
    if total <= 0:
        assert (mono, strain) == (None, None)
        return
    sd = float(arr.std())
    cap = threshold("load_monotony_cap").value
    expected = cap if sd == 0 else min(float(arr.mean()) / sd, cap)
    assert mono == expected and strain == total * expected
