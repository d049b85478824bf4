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
    "power_w": "f4",                     # running (or cycling) power
    "form_power_w": "f4",                # Stryd: power spent on vertical and lateral movement
    "leg_spring_stiffness_kn_m": "f4",   # Stryd: kN per metre of leg compression
}

DYNAMICS_CHANNELS = (
    "stance_time_ms",
    "stance_time_balance_pct",
    "vertical_oscillation_mm",
    "vertical_ratio_pct",
    "step_length_mm",
    "form_power_w",
    "leg_spring_stiffness_kn_m",
)

# The dynamics only a sensor measures (chest strap, pod, Stryd). Step length is left out: a
# wrist watch derives it from speed and cadence, so on its own it says nothing was measured.
MEASURED_DYNAMICS = (
    "stance_time_ms",
    "stance_time_balance_pct",
    "vertical_oscillation_mm",
    "vertical_ratio_pct",
    "form_power_w",
    "leg_spring_stiffness_kn_m",
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
    """Per-run averages of running dynamics (None where the device did not record one).

    ``sources`` names where each value came from when it was not the watch's own field,
    e.g. ``{"stance_time_ms": "Stryd developer field 'Ground Time'"}``.
    """

    stance_time_ms: float | None = None
    stance_time_balance_pct: float | None = None
    vertical_oscillation_mm: float | None = None
    vertical_ratio_pct: float | None = None
    step_length_mm: float | None = None
    form_power_w: float | None = None
    leg_spring_stiffness_kn_m: float | None = None
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def present(self) -> bool:
        """Whether a sensor measured running dynamics (a derived step length alone does not count)."""
        values = self.values()
        return any(values[name] is not None for name in MEASURED_DYNAMICS)

    def values(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in DYNAMICS_CHANNELS}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.values())
        if self.sources:
            out["sources"] = dict(self.sources)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DynamicsSummary:
        data = data or {}
        values = {k: (None if data.get(k) is None else float(data[k])) for k in DYNAMICS_CHANNELS}
        sources = data.get("sources") or {}
        return cls(**values, sources={str(k): str(v) for k, v in sources.items()})


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
    avg_power_w: float | None = None
    power_source: str | None = None      # None: the device's own power field; else which developer field
    # Where the sport came from: "file" (the device said), "export" (a bulk export's index),
    # "inferred" (from the track's own evidence, with sport_confidence 0-1), "runner" (set by hand).
    sport_source: str = "file"
    sport_confidence: float | None = None
    # A "run" too fast to be running: kept out of running load until the runner confirms it.
    needs_sport_confirmation: bool = False
    warnings: tuple[str, ...] = ()       # what the import noticed or corrected about this activity
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
        """Counts as a run for running load: a run, unless its speed awaits the runner's word."""
        return self.sport == "running" and not self.needs_sport_confirmation

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
            "avg_power_w": _round(self.avg_power_w, 1),
            "avg_form_power_w": _round(self.dynamics.form_power_w, 1),
            "sport_source": self.sport_source,
            "sport_confidence": _round(self.sport_confidence, 2),
            "needs_sport_confirmation": self.needs_sport_confirmation,
            "counts_as_run": self.is_run,
            "warnings": list(self.warnings),
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


@dataclass
class ReadResult:
    """What a reader got out of one file: activities, and remarks worth showing."""

    activities: list[Activity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    decoder: str | None = None    # FIT: which decoder read it ("fitfast" or "fitdecode")
