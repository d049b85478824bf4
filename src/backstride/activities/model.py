"""The :class:`Activity` value and its time series.

An activity is what one sport leg of one recording says: totals the device wrote (preferred)
or, failing that, totals computed from the track, plus the samples as aligned numpy columns.
Everything here is a plain value: readers build it, load analysis reads it, storage packs it.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported by the code that reads or packs samples, not by summaries
    import numpy as np

# Column name -> numpy dtype. Every name carries its unit. Positions and time keep float64
# (float32 would round longitudes to about a metre and long runs' times to a few ms); the
# rest are float32, which is finer than any sensor. Missing samples are NaN.
CHANNELS: dict[str, str] = {
    "time_s": "f8",                      # seconds since the activity's start
    "lat_deg": "f8",
    "lon_deg": "f8",
    "distance_m": "f4",
    "altitude_m": "f4",
    "speed_mps": "f4",
    "heart_rate_bpm": "f4",
    "cadence_spm": "f4",                 # steps per minute (both feet) for running and walking
    "stance_time_ms": "f4",              # ground contact time
    "stance_time_balance_pct": "f4",     # share of ground contact time, % (Garmin shows it as left foot)
    "vertical_oscillation_mm": "f4",
    "vertical_ratio_pct": "f4",
    "step_length_mm": "f4",
}

DYNAMICS_CHANNELS = (
    "stance_time_ms",
    "stance_time_balance_pct",
    "vertical_oscillation_mm",
    "vertical_ratio_pct",
    "step_length_mm",
)

# Sports whose cadence a watch stores per leg (strides/min); we always report steps/min.
STEP_SPORTS = frozenset({"running", "walking", "hiking"})


@dataclass(frozen=True, eq=False)
class Series:
    """Aligned sample columns. ``columns`` maps a :data:`CHANNELS` name to a 1-D array."""

    columns: dict[str, np.ndarray]

    def __post_init__(self) -> None:
        if "time_s" not in self.columns:
            raise ValueError("a series needs a time_s column")
        n = len(self.columns["time_s"])
        for name, col in self.columns.items():
            if name not in CHANNELS:
                raise ValueError(f"unknown series channel {name!r}")
            if len(col) != n:
                raise ValueError(f"series channel {name} has {len(col)} samples, time_s has {n}")

    def __len__(self) -> int:
        return len(self.columns["time_s"])

    def get(self, name: str) -> np.ndarray | None:
        return self.columns.get(name)

    def has(self, name: str) -> bool:
        col = self.columns.get(name)
        import numpy as np

        return col is not None and bool(np.isfinite(col).any())

    @property
    def channels(self) -> list[str]:
        return [n for n in CHANNELS if self.has(n)]

    def pack(self) -> bytes:
        """Compact bytes for storage: a JSON header line, then the raw columns, zlib'd.

        zlib level 1 because import speed matters more than the last 10 % of size; 1 Hz
        series of smooth signals still shrink about 3-5x.
        """
        import numpy as np

        names = [n for n in CHANNELS if n in self.columns and (n == "time_s" or self.has(n))]
        header = json.dumps({"v": 1, "n": len(self), "cols": names}).encode()
        body = b"".join(np.ascontiguousarray(self.columns[n], dtype=CHANNELS[n]).tobytes() for n in names)
        return zlib.compress(header + b"\n" + body, 1)

    @classmethod
    def unpack(cls, blob: bytes) -> Series:
        import numpy as np

        raw = zlib.decompress(blob)
        newline = raw.index(b"\n")
        header = json.loads(raw[:newline])
        n = int(header["n"])
        offset = newline + 1
        columns: dict[str, np.ndarray] = {}
        for name in header["cols"]:
            dtype = np.dtype(CHANNELS[name])
            size = n * dtype.itemsize
            columns[name] = np.frombuffer(raw, dtype=dtype, count=n, offset=offset).copy()
            offset += size
        return cls(columns)


@dataclass(frozen=True)
class DynamicsSummary:
    """Per-run averages of running dynamics (None where the device did not record one)."""

    stance_time_ms: float | None = None
    stance_time_balance_pct: float | None = None
    vertical_oscillation_mm: float | None = None
    vertical_ratio_pct: float | None = None
    step_length_mm: float | None = None

    @property
    def present(self) -> bool:
        return any(v is not None for v in self.to_dict().values())

    def to_dict(self) -> dict[str, float | None]:
        return {
            "stance_time_ms": self.stance_time_ms,
            "stance_time_balance_pct": self.stance_time_balance_pct,
            "vertical_oscillation_mm": self.vertical_oscillation_mm,
            "vertical_ratio_pct": self.vertical_ratio_pct,
            "step_length_mm": self.step_length_mm,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DynamicsSummary:
        data = data or {}
        return cls(**{k: (None if data.get(k) is None else float(data[k])) for k in cls().to_dict()})


@dataclass(frozen=True)
class Activity:
    """One sport leg of one recording.

    ``start_time`` is timezone-aware UTC. ``distance_m`` and friends are None when neither
    the device nor the track says. ``downhill_m`` is the distance covered on a descent
    steeper than the ``downhill_grade`` threshold (computed at import, so load analysis never
    needs the series). ``cadence_speed_fit`` is (intercept_spm, slope_spm_per_mps) of
    cadence against speed while running, used for "cadence at a given speed".
    """

    sport: str
    start_time: dt.datetime
    elapsed_s: float
    timer_s: float
    sub_sport: str | None = None
    distance_m: float | None = None
    laps: int | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    avg_cadence_spm: float | None = None
    avg_speed_mps: float | None = None
    dynamics: DynamicsSummary = field(default_factory=DynamicsSummary)
    downhill_m: float | None = None
    cadence_speed_fit: tuple[float, float] | None = None
    hr_trimp: float | None = None        # Banister TRIMP from the heart-rate samples (default HR rest/max)
    source_format: str = "fit"
    device: str | None = None
    name: str | None = None
    gear: str | None = None
    leg_index: int = 0
    series: Series | None = field(default=None, compare=False, repr=False)
    id: int | None = None

    def __post_init__(self) -> None:
        if self.start_time.tzinfo is None:
            raise ValueError("activity start_time must be timezone-aware (UTC)")

    @property
    def has_running_dynamics(self) -> bool:
        return self.dynamics.present

    @property
    def is_run(self) -> bool:
        return self.sport == "running"

    @property
    def is_treadmill(self) -> bool:
        return self.sub_sport in ("treadmill", "indoor_running", "virtual_activity")

    @property
    def is_trail(self) -> bool:
        return self.sub_sport == "trail"

    @property
    def start_date(self) -> dt.date:
        return self.start_time.astimezone(dt.UTC).date()

    def richness(self) -> tuple[int, int, int]:
        """How much this record knows; the richer of two duplicates is kept.

        Order: running dynamics, then the number of recorded channels, then samples.
        """
        channels = len(self.series.channels) if self.series is not None else 0
        channels += sum(v is not None for v in (self.avg_hr_bpm, self.avg_cadence_spm, self.laps))
        samples = len(self.series) if self.series is not None else 0
        return (int(self.has_running_dynamics), channels, samples)

    def without_series(self) -> Activity:
        return replace(self, series=None)

    def summary_dict(self) -> dict[str, Any]:
        """The per-activity JSON shape of ``backstride import --json`` and ``activities``."""
        return {
            "id": self.id,
            "sport": self.sport,
            "sub_sport": self.sub_sport,
            "start_time": self.start_time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "elapsed_s": _round(self.elapsed_s, 3),
            "timer_s": _round(self.timer_s, 3),
            "distance_m": _round(self.distance_m, 2),
            "laps": self.laps,
            "avg_hr_bpm": _round(self.avg_hr_bpm, 1),
            "avg_cadence_spm": _round(self.avg_cadence_spm, 1),
            "has_running_dynamics": self.has_running_dynamics,
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


@dataclass
class ReadResult:
    """What a reader got out of one file: activities, and remarks worth showing."""

    activities: list[Activity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
