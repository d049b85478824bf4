"""The shape of what a FIT decoder hands to :mod:`backstride.activities.fit`: the record
columns, the summary fields used, and the decoded file. Shared by the fitdecode path and the
fitfast path (:mod:`backstride.activities.fitfast_path`), so both fill the same structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

FIT_EPOCH_UNIX_S = 631065600  # 1989-12-31T00:00:00Z, the FIT time origin
FIT_RELATIVE_TIME_MAX = 0x10000000  # smaller timestamps count from device power-on
SEMICIRCLE_TO_DEG = 180.0 / 2**31

MESG_FILE_ID, MESG_SESSION, MESG_LAP, MESG_RECORD, MESG_SPORT, MESG_ACTIVITY = 0, 18, 19, 20, 12, 34

# record field name -> column in a decoded row
_REC_FIELDS = (
    "timestamp", "position_lat", "position_long", "distance", "altitude", "enhanced_altitude",
    "speed", "enhanced_speed", "heart_rate", "cadence", "fractional_cadence", "stance_time",
    "stance_time_balance", "vertical_oscillation", "vertical_ratio", "step_length", "power",
    # developer fields (Stryd and similar Connect IQ apps), already converted to our units
    "dev:stance_time_ms", "dev:vertical_oscillation_mm", "dev:form_power_w", "dev:leg_spring_stiffness_kn_m",
    "dev:power_w",
)
_REC_INDEX = {name: i for i, name in enumerate(_REC_FIELDS)}
_NAN_ROW = [float("nan")] * len(_REC_FIELDS)

_SESSION_FIELDS = frozenset({
    "timestamp", "start_time", "total_elapsed_time", "total_timer_time", "total_distance", "sport",
    "sub_sport", "avg_heart_rate", "max_heart_rate", "avg_running_cadence", "avg_cadence",
    "avg_fractional_cadence", "total_ascent", "total_descent", "num_laps", "avg_stance_time",
    "avg_stance_time_balance", "avg_vertical_oscillation", "avg_vertical_ratio", "avg_step_length",
    "enhanced_avg_speed", "avg_speed", "avg_power",
})

@dataclass
class _Decoded:
    file_type: str | None = None
    device: str | None = None
    sessions: list[dict[str, Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    rows: list[list[float]] = field(default_factory=list)
    sport_names: list[str] = field(default_factory=list)
    headers: int = 0
    # Watches without a clock (old Forerunner 70-class) write times since power-on and put
    # the local wall-clock time only in the activity message: this is the difference.
    clock_offset_s: float | None = None
    dev_sources: dict[str, str] = field(default_factory=dict)       # channel -> which developer field
    dev_unmapped: list[tuple[str, str]] = field(default_factory=list)  # a known name in units we cannot convert
    rec: np.ndarray | None = None       # the records as one array (the fast path fills this instead of rows)
