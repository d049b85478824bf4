"""The Activity value and the compact series format."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from backstride.activities.model import CHANNELS, Activity, Series


@settings(max_examples=80, deadline=None)
@given(n=st.integers(0, 300), names=st.sets(st.sampled_from([c for c in CHANNELS if c != "time_s"])), data=st.data())
def test_series_pack_round_trip(n: int, names: set[str], data: st.DataObject) -> None:
    columns = {"time_s": np.arange(n, dtype="f8")}
    for name in names:
        columns[name] = data.draw(hnp.arrays(np.dtype(CHANNELS[name]), n,
                                             elements=st.floats(-1e6, 1e6, width=32) | st.just(float("nan"))))
    series = Series(columns)
    again = Series.unpack(series.pack())
    assert len(again) == n
    for name in series.channels:  # channels with at least one real value survive exactly
        np.testing.assert_array_equal(again.columns[name], columns[name].astype(CHANNELS[name]))
    assert set(again.channels) == set(series.channels)


def test_series_rejects_unknown_or_misaligned_channels() -> None:
    with pytest.raises(ValueError, match="unknown"):
        Series({"time_s": np.zeros(3), "swolf": np.zeros(3)})
    with pytest.raises(ValueError, match="samples"):
        Series({"time_s": np.zeros(3), "heart_rate_bpm": np.zeros(2)})


def test_activity_needs_an_aware_start_and_reports_the_issue_json_shape() -> None:
    with pytest.raises(ValueError):
        Activity(sport="running", start_time=dt.datetime(2026, 1, 1), elapsed_s=1, timer_s=1)
    act = Activity(sport="running", start_time=dt.datetime(2026, 1, 1, 6, tzinfo=dt.UTC), elapsed_s=3600.4,
                   timer_s=3500, distance_m=10000.123, avg_cadence_spm=171.26)
    assert act.summary_dict() == {
        "id": None, "sport": "running", "sub_sport": None, "start_time": "2026-01-01T06:00:00Z",
        "elapsed_s": 3600.4, "timer_s": 3500.0, "distance_m": 10000.12, "laps": None, "avg_hr_bpm": None,
        "avg_cadence_spm": 171.3, "has_running_dynamics": False, "avg_power_w": None, "avg_form_power_w": None,
        "sport_source": "file", "sport_confidence": None, "needs_sport_confirmation": False, "counts_as_run": True,
        "warnings": []}
