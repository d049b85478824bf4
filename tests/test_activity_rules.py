"""The pure rules the import applies: when two records are one activity, and which pair of shoes a run counts on."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from backstride.activities.matching import first_same, same_activity
from backstride.activities.model import Activity
from backstride.load.shoes import Shoe, ShoeChoice, shoe_for_run

T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
WINDOW_S = 120.0


def act(sport: str = "running", offset_s: float = 0.0, gear: str | None = None, days: int = 0) -> Activity:
    return Activity(sport=sport, start_time=T0 + dt.timedelta(days=days, seconds=offset_s), elapsed_s=1800,
                    timer_s=1800, distance_m=5000, gear=gear)


def test_a_gpx_without_sport_is_the_same_run_as_its_fit_twin() -> None:
    assert same_activity(act("running"), act("unknown", 30), WINDOW_S)
    assert not same_activity(act("running"), act("cycling", 30), WINDOW_S)
    assert not same_activity(act("running"), act("running", WINDOW_S + 1), WINDOW_S)


def test_a_naive_start_time_is_read_as_utc() -> None:
    class Row:
        sport = "running"
        start_time = T0.replace(tzinfo=None) + dt.timedelta(seconds=10)

    assert same_activity(act(), Row(), WINDOW_S)


def test_the_oldest_matching_record_wins() -> None:
    stored = [act("cycling", 5), act("running", 60), act("unknown", 10)]
    assert first_same(act("running"), stored, WINDOW_S) is stored[1]
    assert first_same(act("swimming"), stored, WINDOW_S) is stored[2]
    assert first_same(act("running", 3600), stored, WINDOW_S) is None


@given(st.floats(-600, 600), st.sampled_from(["running", "cycling", "unknown"]),
       st.sampled_from(["running", "cycling", "unknown"]))
def test_sameness_is_symmetric_and_bounded_by_the_window(offset_s: float, a: str, b: str) -> None:
    x, y = act(a), act(b, offset_s)
    assert same_activity(x, y, WINDOW_S) == same_activity(y, x, WINDOW_S)
    if abs(offset_s) > WINDOW_S:
        assert not same_activity(x, y, WINDOW_S)


def shoe(shoe_id: int, name: str, added: int = -100, *, current: bool = False, retired: int | None = None) -> Shoe:
    return Shoe(id=shoe_id, name=name, added_on=(T0 + dt.timedelta(days=added)).date(), retirement_km=800,
                retired_on=None if retired is None else (T0 + dt.timedelta(days=retired)).date(), is_current=current)


def test_the_exports_gear_names_the_pair_or_adds_one() -> None:
    pairs = [shoe(1, "Pegasus 40"), shoe(2, "Trail", current=True)]
    assert shoe_for_run(act(gear="pegasus 40"), pairs) == ShoeChoice(1)
    assert shoe_for_run(act(gear="Vaporfly"), pairs) == ShoeChoice(new_pair="Vaporfly")


def test_without_gear_the_newest_pair_current_on_that_day_counts() -> None:
    pairs = [shoe(1, "Old", current=True), shoe(2, "New", added=5, current=True)]
    assert shoe_for_run(act(), pairs) == ShoeChoice(1)          # "New" was added after this run
    assert shoe_for_run(act(days=6), pairs) == ShoeChoice(2)
    retired = [shoe(3, "Done", current=True, retired=-1)]
    assert shoe_for_run(act(), retired) == ShoeChoice()
    assert shoe_for_run(act(), [shoe(4, "Spare")]) == ShoeChoice()


def test_only_runs_count_on_shoes() -> None:
    assert shoe_for_run(act("cycling", gear="Pegasus 40"), [shoe(1, "Pegasus 40", current=True)]) == ShoeChoice()
