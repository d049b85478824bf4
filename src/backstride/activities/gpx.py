"""GPX 1.0/1.1 tracks (with Garmin TrackPointExtension, Cluetrust ``gpxdata`` and similar
heart-rate and cadence extensions) through ``gpxpy``.

GPX has no laps and no device totals, so distance is the 2-D track length and the timer time
is the moving time (points slower than 1 km/h count as stopped), both as gpxpy computes
them. Each ``<trk>`` is one activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import gpxpy
import gpxpy.gpx
import numpy as np
from lxml import etree

from backstride.activities.compute import (
    add_speed,
    clean_series,
    fill_from_series,
    placeholder_elevations,
)
from backstride.activities.gpx_stream import (
    Segment,
    Streamed,
    Unmodelled,
    length_2d,
    moving_time,
    stream_gpx,
    uphill_downhill,
)
from backstride.activities.model import STEP_SPORTS, Activity, ReadResult
from backstride.activities.xmlsafe import local, parse_xml
from backstride.errors import ActivityFileError

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# <type> values seen in the wild -> (sport, sub_sport). Strava writes numeric codes.
_TYPES: dict[str, tuple[str, str | None]] = {
    "running": ("running", None), "run": ("running", None), "9": ("running", None),
    "trail_running": ("running", "trail"), "trailrun": ("running", "trail"), "trail run": ("running", "trail"),
    "treadmill_running": ("running", "treadmill"), "virtualrun": ("running", "treadmill"),
    "walking": ("walking", None), "walk": ("walking", None), "10": ("walking", None),
    "hiking": ("hiking", None), "hike": ("hiking", None), "4": ("hiking", None),
    "cycling": ("cycling", None), "biking": ("cycling", None), "ride": ("cycling", None), "1": ("cycling", None),
    "swimming": ("swimming", None), "swim": ("swimming", None),
}
_HR_TAGS = frozenset({"hr", "heartrate", "heart_rate", "heartratebpm"})
_CAD_TAGS = frozenset({"cad", "cadence", "runcadence"})


def _hr_cad(elements: Iterable[Any]) -> tuple[float, float]:
    """(heart rate, cadence) from the last readable heart-rate and cadence elements; NaN where none."""
    hr = cad = np.nan
    for el in elements:
        name = local(el.tag)  # "" for comments and processing instructions
        if name in _HR_TAGS or name in _CAD_TAGS:
            try:
                value = float((el.text or "").strip())
            except ValueError:
                continue
            if name in _HR_TAGS:
                hr = value
            else:
                cad = value
    return hr, cad


def _point_sensors(point: gpxpy.gpx.GPXTrackPoint) -> tuple[float, float]:
    return _hr_cad(el for ext in point.extensions for el in ext.iter())


def sport_from_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "unknown", None
    key = value.strip().lower()
    known = _TYPES.get(key) or _TYPES.get(key.replace(" ", "_"))
    if known:
        return known
    # Apps invent their own names ("street_running", "Indoor Run", "MountainBikeRide"):
    # fall back on the word inside.
    if "run" in key or "jog" in key:
        sub = "trail" if "trail" in key else "treadmill" if ("treadmill" in key or "indoor" in key) else None
        return "running", sub
    for word, sport in (("walk", "walking"), ("hik", "hiking"), ("bik", "cycling"), ("cycl", "cycling"),
                        ("ride", "cycling"), ("swim", "swimming")):
        if word in key:
            return sport, None
    return "other", None


def read_gpx(data: bytes, source: str, *, salvage: bool = False) -> ReadResult:
    """Read a GPX file in one streaming pass; files the stream does not model are read whole."""
    try:
        return _from_stream(stream_gpx(data, _HR_TAGS, _CAD_TAGS), source)
    except Unmodelled:
        return read_gpx_tree(data, source, salvage=salvage)


def _from_stream(streamed: Streamed, source: str) -> ReadResult:
    warnings = streamed.warnings
    gpx, root = streamed.skeleton, streamed.root
    activities: list[Activity] = []
    creator = (gpx.creator or "").strip() or None
    raw_types = [next((c.text for c in trk if isinstance(c.tag, str) and local(c.tag) == "type"), None)
                 for trk in root if isinstance(trk.tag, str) and local(trk.tag) == "trk"]
    for index, track in enumerate(gpx.tracks):
        if not track.type and index < len(raw_types) and raw_types[index]:
            track.type = (raw_types[index] or "").strip()  # type: ignore[assignment]  # gpxpy types it as None
        act = _segments_activity(track, streamed.tracks[index], index, creator, warnings)
        if act is not None:
            activities.append(act)
    return _result(source, gpx, activities, warnings)


def _result(source: str, gpx: gpxpy.gpx.GPX, activities: list[Activity], warnings: list[str]) -> ReadResult:
    """The activities read, or the refusal of a file that recorded none (both readers end here)."""
    if not activities:
        what = "routes or waypoints only" if (gpx.routes or gpx.waypoints) else "no track points"
        raise ActivityFileError(source, f"the GPX file holds no recorded activity ({what} with times)",
                                hint="export the recorded activity, not a planned route")
    return ReadResult(activities=activities, warnings=warnings)


def _segments_activity(track: gpxpy.gpx.GPXTrack, segments: list[Segment], index: int, creator: str | None,
                       warnings: list[str]) -> Activity | None:
    """The activity of one streamed track: the same columns and totals as :func:`_track_activity`."""
    def joined(name: str) -> np.ndarray:
        parts = [np.asarray(getattr(s, name)) for s in segments]  # views on the arrays, no copy
        return parts[0] if len(parts) == 1 else np.concatenate(parts) if parts else np.empty(0)

    timed = joined("timed").astype(bool)
    n = int(timed.sum())
    if n < 2:
        return None
    sport, sub_sport = sport_from_type(track.type)
    # gpxpy's totals first (they read the per-segment arrays); then the arrays become the series
    moving = moving_time(segments)
    up, down = uphill_downhill(segments)
    distance = float(length_2d(segments))
    every = bool(timed.all())

    def column(name: str) -> np.ndarray:
        values = joined(name)  # every point timed: the series column is the array itself, no copy
        return values if every else values[timed]

    us = column("time_us")
    start_us = int(us.min())
    start = _EPOCH + dt.timedelta(microseconds=start_us)
    time_s = (us - start_us) / 10**6
    del us
    # gpxpy's None elevation is NaN in the series, as is a NaN it read
    alt = np.where(column("has_ele").astype(bool), column("ele"), np.nan)
    columns = {"time_s": time_s, "lat_deg": column("lat"), "lon_deg": column("lon"), "altitude_m": alt,
               "heart_rate_bpm": column("hr")}
    if sport in STEP_SPORTS or sport == "unknown":
        columns["cadence_spm"] = column("cad") * 2.0  # per leg in the file, as in _track_activity
    segments.clear()  # the samples live on in the columns only (clean_series copies what it changes)
    series = clean_series(add_speed(columns), warnings)
    elapsed = float(time_s.max() - time_s.min())
    timer = float(moving) if moving else elapsed
    # as in _track_activity: placeholder 0 m points make gpxpy's climb meaningless
    has_alt = bool(np.isfinite(alt).any()) and not placeholder_elevations(alt).any()
    del columns, alt, time_s  # clean_series made the series' own copies; free the raw columns now
    act = Activity(
        sport=sport, sub_sport=sub_sport, start_time=start, elapsed_s=elapsed, timer_s=timer,
        distance_m=distance, laps=None,
        ascent_m=float(up) if has_alt else None,
        descent_m=float(down) if has_alt else None,
        source_format="gpx", device=creator, name=(track.name or None), leg_index=index, series=series,
    )
    return fill_from_series(act, warnings)


def read_gpx_tree(data: bytes, source: str, *, salvage: bool = False) -> ReadResult:
    """The whole-tree reader: lxml, then gpxpy over the serialised tree.

    The reference for the streaming reader, and the reader for files it does not model
    (damaged XML to salvage, undeclared prefixes to repair, DOCTYPEs, unusual structure).
    """
    warnings: list[str] = []
    root = parse_xml(data, source, "GPX", salvage=salvage, warnings=warnings)
    if local(root.tag) != "gpx":
        raise ActivityFileError(source, f"this XML file is not GPX (its root element is <{local(root.tag)}>)",
                                hint="TCX files need the .tcx extension")
    try:
        gpx = gpxpy.parse(etree.tostring(root, encoding="unicode"))
    except gpxpy.gpx.GPXException as exc:
        raise ActivityFileError(source, f"the GPX file has an invalid value ({exc}); nothing was stored",
                                hint="the app that wrote it stored text where numbers belong; export it again") from None
    except (ValueError, TypeError, AttributeError) as exc:  # gpxpy lets a few raw errors through
        raise ActivityFileError(source, f"the GPX file could not be read ({exc.__class__.__name__}: {exc})",
                                hint="export it again") from None
    activities: list[Activity] = []
    creator = (gpx.creator or "").strip() or None
    # gpxpy reads <type> only for GPX 1.1; older files and some apps still write one.
    trk_elements = [trk for trk in root if isinstance(trk.tag, str) and local(trk.tag) == "trk"]
    raw_types = [next((c.text for c in trk if isinstance(c.tag, str) and local(c.tag) == "type"), None)
                 for trk in trk_elements]
    for index, track in enumerate(gpx.tracks):
        if not track.type and index < len(raw_types) and raw_types[index]:
            track.type = (raw_types[index] or "").strip()  # type: ignore[assignment]  # gpxpy types it as None
        sensors = _sensor_values(trk_elements[index]) if index < len(trk_elements) else None
        act = _track_activity(track, index, creator, warnings, sensors)
        if act is not None:
            activities.append(act)
    return _result(source, gpx, activities, warnings)


def _sensor_values(trk: etree._Element) -> list[tuple[float, float]]:
    """(heart rate, cadence) of every trkpt, from any extension namespace.

    Read from the XML tree rather than from gpxpy, which keeps extensions only for GPX 1.1.
    """
    out: list[tuple[float, float]] = []
    for pt in trk.iter():
        if not isinstance(pt.tag, str) or local(pt.tag) != "trkpt":
            continue
        out.append(_hr_cad(pt.iter()))
    return out


def _track_activity(track: gpxpy.gpx.GPXTrack, index: int, creator: str | None,
                    warnings: list[str], sensors: list[tuple[float, float]] | None = None) -> Activity | None:
    points = [p for seg in track.segments for p in seg.points]
    if sensors is None or len(sensors) != len(points):
        sensors = [_point_sensors(p) for p in points]
    timed_idx = [i for i, p in enumerate(points) if p.time is not None]
    timed = [points[i] for i in timed_idx]
    if len(timed) < 2:
        return None
    sport, sub_sport = sport_from_type(track.type)
    steps = sport in STEP_SPORTS
    times = [_utc(p.time) for p in timed]  # type: ignore[arg-type]
    start = min(times)
    n = len(timed)
    time_s = np.fromiter(((t - start).total_seconds() for t in times), dtype="f8", count=n)
    lat = np.fromiter((p.latitude for p in timed), dtype="f8", count=n)
    lon = np.fromiter((p.longitude for p in timed), dtype="f8", count=n)
    alt = np.fromiter((np.nan if p.elevation is None else p.elevation for p in timed), dtype="f8", count=n)
    hr = np.array([sensors[i][0] for i in timed_idx], dtype="f8")
    cad = np.array([sensors[i][1] for i in timed_idx], dtype="f8")
    columns = {"time_s": time_s, "lat_deg": lat, "lon_deg": lon, "altitude_m": alt, "heart_rate_bpm": hr}
    if steps or sport == "unknown":
        # Garmin and Strava GPX store running cadence per leg (strides/min), as FIT does. An
        # untyped track keeps it as evidence for the sport; it is dropped if that is not a run.
        columns["cadence_spm"] = cad * 2.0
    series = clean_series(add_speed(columns), warnings)
    moving = track.get_moving_data()
    elapsed = float(time_s.max() - time_s.min())
    timer = float(moving.moving_time) if moving and moving.moving_time else elapsed
    distance = float(track.length_2d())
    uphill_downhill = track.get_uphill_downhill()
    # gpxpy's climb counts placeholder 0 m points as drops to sea level; then the cleaned series decides.
    has_alt = bool(np.isfinite(alt).any()) and not placeholder_elevations(alt).any()
    act = Activity(
        sport=sport, sub_sport=sub_sport, start_time=start, elapsed_s=elapsed, timer_s=timer,
        distance_m=distance, laps=None,
        ascent_m=float(uphill_downhill.uphill) if has_alt else None,
        descent_m=float(uphill_downhill.downhill) if has_alt else None,
        source_format="gpx", device=creator, name=(track.name or None), leg_index=index, series=series,
    )
    return fill_from_series(act, warnings)


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # GPX times are UTC by the standard
    return value.astimezone(dt.UTC)
