"""Progress data: pain trend, adherence, self-tests, load vs next-morning pain with its uncertainty."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.journal.entry import ExerciseLog, JournalEntry
from backstride.journal.progress import (
    load_vs_next_morning,
    pain_trend,
    self_test_series,
    weekly_adherence,
)

D0 = dt.date(2025, 6, 2)   # a Monday


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def test_pain_trend_is_a_7_day_mean_of_logged_days_only() -> None:
    pains = {0: 4, 1: 2, 3: 3, 8: 6}
    es = {day(i): JournalEntry(day(i), pain_now=p) for i, p in pains.items()}
    trend = {p.day: p for p in pain_trend(es, day(0), day(9))}
    assert trend[day(1)].mean_7d is None                   # two ratings are not enough
    assert trend[day(3)].mean_7d == pytest.approx(3.0)     # (4 + 2 + 3) / 3
    assert trend[day(8)].mean_7d is None                   # only days 3 and 8 in the window
    assert trend[day(2)].pain is None and trend[day(8)].pain == 6


def test_weekly_adherence_counts_sessions_with_any_planned_exercise_logged() -> None:
    planned = [(day(0), frozenset({"bird_dog"})), (day(3), frozenset({"bird_dog", "side_plank"})),
               (day(7), frozenset({"bird_dog"})), (day(20), frozenset({"bird_dog"}))]
    es = {day(0): JournalEntry(day(0), exercises=(ExerciseLog("bird_dog", 2, 8),)),
          day(3): JournalEntry(day(3), exercises=(ExerciseLog("side_plank", 2, None, 30),)),
          day(7): JournalEntry(day(7), exercises=(ExerciseLog("bird_dog", 0, 0),))}   # zero sets: not done
    weeks = weekly_adherence(planned, es, until=day(13))
    assert [(w.week_start, w.planned, w.done, w.fraction) for w in weeks] == [
        (day(0), 2, 2, 1.0), (day(7), 1, 0, 0.0)]


def test_self_tests_become_one_series_per_test() -> None:
    series = self_test_series([(day(28), {"prone_plank_s": (75.0, "s")}),
                               (day(0), {"prone_plank_s": (40.0, "s"), "sit_and_reach_cm": (-3.0, "cm")})])
    plank, reach = series
    assert plank.name == "prone_plank_s" and plank.points == ((day(0), 40.0), (day(28), 75.0))
    assert plank.change == 35.0 and reach.change is None


def _runs(changes: list[tuple[float, int]]) -> tuple[dict[dt.date, JournalEntry], dict[dt.date, float]]:
    """Runs every other day: (distance, next-morning pain), mornings otherwise 2."""
    es: dict[dt.date, JournalEntry] = {}
    distances: dict[dt.date, float] = {}
    for k, (metres, next_morning) in enumerate(changes):
        run_day = day(2 * k)
        es[run_day] = JournalEntry(run_day, pain_morning=2)
        es[run_day + dt.timedelta(days=1)] = JournalEntry(run_day + dt.timedelta(days=1), pain_morning=next_morning)
        distances[run_day] = metres
    return es, distances


def test_longer_runs_followed_by_more_morning_pain_are_reported_with_an_interval() -> None:
    pattern = [(5000, 2), (12000, 4), (6000, 3), (11000, 5), (5500, 2), (13000, 4),
               (6500, 2), (10000, 4), (5000, 3), (12500, 5), (6000, 2), (11500, 3)]
    es, distances = _runs(pattern)
    rel = load_vs_next_morning(es, distances)
    assert rel.usual_distance_m == pytest.approx(8250)
    assert (rel.n_longer, rel.n_shorter) == (6, 6)
    assert rel.mean_change_longer == pytest.approx(2.17, abs=0.01)
    assert rel.mean_change_shorter == pytest.approx(0.33, abs=0.01)
    assert rel.difference == pytest.approx(1.83, abs=0.01)
    assert rel.enough_data and rel.ci95 is not None and 0 < rel.ci95[0] < rel.difference < rel.ci95[1]
    assert "not proof" in rel.statement
    assert load_vs_next_morning(es, distances) == rel        # seeded: same log, same numbers


def test_few_runs_are_called_too_few() -> None:
    es, distances = _runs([(5000, 2), (9000, 5), (5200, 2)])
    rel = load_vs_next_morning(es, distances)
    assert not rel.enough_data and "too little" in rel.statement
    assert load_vs_next_morning({}, {}).statement.startswith("No runs")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([4000.0, 6000.0, 9000.0, 14000.0]), st.integers(0, 10)),
                min_size=2, max_size=16))
def test_interval_is_ordered_and_flips_with_the_groups(pattern: list[tuple[float, int]]) -> None:
    es, distances = _runs(pattern)
    rel = load_vs_next_morning(es, distances)
    assert rel.n_longer + rel.n_shorter == len(pattern)
    if rel.ci95 is not None:
        assert rel.ci95[0] <= rel.ci95[1]
        assert rel.difference == pytest.approx((rel.mean_change_longer or 0) - (rel.mean_change_shorter or 0),
                                               abs=0.02)
