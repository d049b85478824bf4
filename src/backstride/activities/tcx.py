"""Garmin Training Center XML (TCX) through ``lxml``.

Each ``<Activity>`` is one activity (a file may hold several). Totals come from the laps
(timer time and distance are sums of ``TotalTimeSeconds`` and ``DistanceMeters``), samples
from every ``<Trackpoint>``, including those without a position (treadmill, indoor).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from lxml import etree

from backstride.activities.compute import add_speed, clean_series, fill_from_series
from backstride.activities.model import STEP_SPORTS, Activity, ReadResult
from backstride.activities.xmlsafe import local, parse_xml
from backstride.errors import ActivityFileError

_SPORTS = {"running": "running", "biking": "cycling", "other": "other", "walking": "walking",
           "hiking": "hiking", "swimming": "swimming"}


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and local(c.tag) == name]


def _child(el: etree._Element, name: str) -> etree._Element | None:
    for c in el:
        if isinstance(c.tag, str) and local(c.tag) == name:
            return c
    return None


def _text(el: etree._Element | None, *path: str) -> str | None:
    for name in path:
        if el is None:
            return None
        el = _child(el, name)
    if el is None or el.text is None:
        return None
    return el.text.strip() or None


def _float(text: str | None) -> float:
    if text is None:
        return np.nan
    try:
        return float(text)
    except ValueError:
        return np.nan


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def read_tcx(data: bytes, source: str, *, salvage: bool = False) -> ReadResult:
    warnings: list[str] = []
    root = parse_xml(data, source, "TCX", salvage=salvage, warnings=warnings)
    recovered = any(w.startswith("recovered from") for w in warnings)  # a salvaged, cut-short file
    if local(root.tag) != "trainingcenterdatabase":
        raise ActivityFileError(source, f"this XML file is not TCX (its root element is <{local(root.tag)}>)",
                                hint="GPX files need the .gpx extension")
    activities: list[Activity] = []
    for index, el in enumerate(e for e in root.iter() if isinstance(e.tag, str) and local(e.tag) == "activity"):
        act = _activity(el, index, warnings, salvaged=recovered)
        if act is not None:
            activities.append(act)
    if not activities:
        raise ActivityFileError(source, "the TCX file holds no recorded activity (no laps with times or track points)",
                                hint="courses and workouts are plans, not recordings; export the activity")
    return ReadResult(activities=activities, warnings=warnings)


def _activity(el: etree._Element, index: int, warnings: list[str], *, salvaged: bool = False) -> Activity | None:
    sport_attr = (el.get("Sport") or "").strip().lower()
    sport = _SPORTS.get(sport_attr, "other" if sport_attr else "unknown")
    steps = sport in STEP_SPORTS
    laps = _children(el, "lap")
    starts = [_time(lap.get("StartTime")) for lap in laps]
    times: list[dt.datetime | None] = []
    rows: list[tuple[float, ...]] = []
    for lap in laps:
        for track in _children(lap, "track"):
            for tp in _children(track, "trackpoint"):
                t = _time(_text(tp, "time"))
                if t is None:
                    continue
                ext = _child(tp, "extensions")
                tpx = None
                if ext is not None:
                    tpx = next((c for c in ext if isinstance(c.tag, str) and local(c.tag) == "tpx"), None)
                cadence = _float(_text(tp, "cadence"))
                if np.isnan(cadence) and tpx is not None:
                    cadence = _float(_text(tpx, "runcadence"))
                times.append(t)
                rows.append((
                    _float(_text(tp, "position", "latitudedegrees")),
                    _float(_text(tp, "position", "longitudedegrees")),
                    _float(_text(tp, "altitudemeters")),
                    _float(_text(tp, "distancemeters")),
                    _float(_text(tp, "heartratebpm", "value")),
                    cadence,
                    _float(_text(tpx, "speed")) if tpx is not None else np.nan,
                ))
    if not rows and not any(_text(lap, "totaltimeseconds") for lap in laps):
        return None  # an empty shell (no samples, no lap totals): nothing was recorded
    candidates = [s for s in starts if s is not None] + [t for t in times if t is not None]
    if not candidates:
        start = _time(_text(el, "id"))
        if start is None:
            return None
    else:
        start = min(candidates)
    timer = sum(_nan0(_float(_text(lap, "totaltimeseconds"))) for lap in laps)
    distance_laps = [_float(_text(lap, "distancemeters")) for lap in laps]
    distance = float(np.nansum(distance_laps)) if laps and not np.isnan(distance_laps).all() else None
    max_hr_laps = [_float(_text(lap, "maximumheartratebpm", "value")) for lap in laps]
    arr = np.array(rows, dtype="f8") if rows else np.empty((0, 7))
    time_s = np.array([(t - start).total_seconds() for t in times if t is not None], dtype="f8")
    columns = {"time_s": time_s, "lat_deg": arr[:, 0], "lon_deg": arr[:, 1], "altitude_m": arr[:, 2],
               "distance_m": arr[:, 3], "heart_rate_bpm": arr[:, 4], "speed_mps": arr[:, 6]}
    if steps:
        columns["cadence_spm"] = arr[:, 5] * 2.0  # Garmin TCX running cadence is per leg
    series = clean_series(add_speed(columns), warnings)
    elapsed = float(time_s.max()) if len(time_s) else timer
    max_hr = float(np.nanmax(max_hr_laps)) if laps and not np.isnan(max_hr_laps).all() else None
    creator = _text(el, "creator", "name")
    act = Activity(
        sport=sport, start_time=start, elapsed_s=elapsed, timer_s=timer or elapsed, distance_m=distance,
        laps=len(laps) or None, max_hr_bpm=max_hr, source_format="tcx", device=creator, leg_index=index,
        series=series,
    )
    return fill_from_series(act, warnings, salvaged=salvaged)


def _nan0(value: float) -> float:
    return 0.0 if np.isnan(value) else value
