"""Developer fields written by running-sensor apps (Stryd and other Connect IQ apps).

A FIT developer field is described in the file itself (a ``field_description`` message: a
name and a unit, no fixed meaning), so we recognise the running ones by name and convert by
their stated unit. A known name in a unit we cannot convert is left out and reported, never
guessed: Stryd has written vertical oscillation in centimetres, other apps in millimetres.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DevMapping:
    channel: str      # a Series channel (model.CHANNELS)
    factor: float     # multiply the field's value by this to get the channel's unit
    source: str       # said to the runner: where the value came from


# normalised field name -> channel
_NAMES: dict[str, str] = {
    "ground time": "stance_time_ms",
    "ground contact time": "stance_time_ms",
    "gct": "stance_time_ms",
    "vertical oscillation": "vertical_oscillation_mm",
    "form power": "form_power_w",
    "leg spring stiffness": "leg_spring_stiffness_kn_m",
    "lss": "leg_spring_stiffness_kn_m",
    "power": "power_w",
}

_WATTS = {"w": 1.0, "watt": 1.0, "watts": 1.0}
# channel -> normalised unit -> factor to the channel's unit
_UNITS: dict[str, dict[str, float]] = {
    "stance_time_ms": {"ms": 1.0, "millisecond": 1.0, "milliseconds": 1.0, "s": 1000.0, "seconds": 1000.0},
    "vertical_oscillation_mm": {"mm": 1.0, "millimeter": 1.0, "millimeters": 1.0, "millimetres": 1.0,
                                "cm": 10.0, "centimeter": 10.0, "centimeters": 10.0, "centimetres": 10.0,
                                "m": 1000.0, "meters": 1000.0, "metres": 1000.0},
    "form_power_w": _WATTS,
    "power_w": _WATTS,
    "leg_spring_stiffness_kn_m": {"kn/m": 1.0, "kilonewtons per meter": 1.0, "n/m": 0.001},
}

_LABELS = {"stance_time_ms": "ground contact time", "vertical_oscillation_mm": "vertical oscillation",
           "form_power_w": "form power", "leg_spring_stiffness_kn_m": "leg spring stiffness", "power_w": "power"}


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def channel_for_name(name: str) -> str | None:
    return _NAMES.get(_norm(name))


def map_developer_field(name: str, units: str) -> DevMapping | None:
    """The channel and unit factor for a developer field, or None if it is not one we use
    (or its unit is not one we can convert: see :func:`channel_for_name`)."""
    channel = channel_for_name(name)
    if channel is None:
        return None
    factor = _UNITS[channel].get(_norm(units))
    if factor is None:
        return None
    return DevMapping(channel, factor, f"developer field '{name.strip()}' ({units.strip()})")


def describe_unmapped(name: str, units: str) -> str:
    channel = channel_for_name(name)
    what = _LABELS.get(channel or "", "a value")
    return (f"the developer field '{name}' looks like {what}, but its unit {units!r} is not one backstride "
            "can convert, so it was left out")
