"""Unit conversions. Names in the project carry their unit (``distance_m``, ``cadence_spm``);
these helpers are the only place a conversion factor is written down."""

from __future__ import annotations

import datetime as dt
import math

M_PER_KM = 1000.0
M_PER_MILE = 1609.344
S_PER_MIN = 60.0
S_PER_H = 3600.0


def km_to_m(distance_km: float) -> float:
    return distance_km * M_PER_KM


def m_to_km(distance_m: float) -> float:
    return distance_m / M_PER_KM


def miles_to_m(distance_mi: float) -> float:
    return distance_mi * M_PER_MILE


def m_to_miles(distance_m: float) -> float:
    return distance_m / M_PER_MILE


def strides_to_steps_per_min(cadence_strides_pm: float) -> float:
    """FIT stores running cadence per leg (strides per minute); runners talk in steps."""
    return cadence_strides_pm * 2.0


def mm_to_cm(length_mm: float) -> float:
    return length_mm / 10.0


def mps_to_pace_s_per_km(speed_mps: float) -> float:
    """Pace in seconds per kilometre; infinite when standing still."""
    return math.inf if speed_mps <= 0 else M_PER_KM / speed_mps


def bmi(weight_kg: float, height_cm: float) -> float:
    height_m = height_cm / 100.0
    return weight_kg / (height_m * height_m)


def format_duration(seconds: float) -> str:
    """``3725`` -> ``"1:02:05"``; ``125`` -> ``"2:05"``."""
    total = round(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def date_words(day: dt.date, today: dt.date | None = None) -> str:
    """A date as a reader says it, "Thursday 3 December"; the year is added when it is not
    ``today``'s year (or when there is no ``today``)."""
    text = f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"
    return text if today is not None and today.year == day.year else f"{text} {day.year}"
