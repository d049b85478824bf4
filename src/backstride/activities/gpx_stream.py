"""Streaming GPX reading: one pass of ``lxml.etree.iterparse`` that keeps only the samples.

Every ``<trkpt>`` is read into flat arrays (time, position, elevation, heart rate, cadence)
and then removed from the tree, so memory follows the samples kept, not the file. What is
left (metadata, names, types, routes, waypoints, empty segments) is small and still goes
through ``gpxpy``, so creator, names, sport and gpxpy's own validation stay what they were.
Distance, moving time and climb are gpxpy's algorithms run on the arrays, through gpxpy's
own geometry functions, so the numbers are identical to the whole-tree reader.

The fast path models only well-formed files in the usual shape. Anything else (not
well-formed XML, a DOCTYPE, elements out of place or in another namespace, a point field it
does not check the way gpxpy does, a value gpxpy would reject) raises :class:`Unmodelled`,
and the caller falls back on the whole-tree reader, whose messages, repairs and salvage are
the reference behaviour.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

import gpxpy.geo
import gpxpy.gpx
import gpxpy.gpxfield
from lxml import etree

from backstride.activities.xmlsafe import (
    declare_prefixes,
    local,
    repair_warning,
    repairable_prefixes,
    strip_bom,
)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
_STRUCTURE = frozenset({"trk", "trkseg", "trkpt"})
_ANY_XMLNS = re.compile(rb"\sxmlns=")
# gpxpy's default (km/h): slower pairs count as stopped.
_STOPPED_KMH = gpxpy.gpx.DEFAULT_STOPPED_SPEED_THRESHOLD


class Unmodelled(Exception):
    """The file is outside what the streaming reader reproduces exactly; read it whole."""


@dataclass
class Segment:
    """One ``<trkseg>``: per-point columns; ``None`` marks a missing value as gpxpy has it."""

    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    ele: list[float | None] = field(default_factory=list)
    time_us: list[int | None] = field(default_factory=list)  # UTC microseconds since 1970
    aware: list[bool] = field(default_factory=list)          # the time carried a zone
    hr: list[float] = field(default_factory=list)
    cad: list[float] = field(default_factory=list)


@dataclass
class Streamed:
    skeleton: gpxpy.gpx.GPX             # the file without its track points, parsed by gpxpy
    root: etree._Element                # the same skeleton as an lxml tree
    tracks: list[list[Segment]]
    warnings: list[str] = field(default_factory=list)


def _field_checks(version: str | None) -> dict[str, Any]:
    """Point child tag -> gpxpy field, for the fields the fast path validates as gpxpy does."""
    fields = gpxpy.gpx.GPX_11_POINT_FIELDS if version == "1.1" else gpxpy.gpx.GPX_TRACK_POINT_FIELDS
    out: dict[str, Any] = {}
    for f in fields:
        if isinstance(f, str) or not isinstance(f, gpxpy.gpxfield.GPXField) or f.attribute:
            continue
        if f.tag in ("link", "url", "urlname", "ele", "time"):
            continue  # links are nested or not checked here; ele and time are read below
        if f.tag:
            out[f.tag] = f
    return out


def _time(text: str | None) -> dt.datetime | None:
    try:
        return gpxpy.gpxfield.parse_time(text)  # type: ignore[arg-type]
    except Exception:  # gpxpy's TimeConverter turns any failure into "no time"
        return None


def stream_gpx(data: bytes, hr_cad: Any) -> Streamed:
    """Read ``data`` in one pass; raise :class:`Unmodelled` where the whole-tree reader must decide.

    The one repair the whole-tree reader makes (declaring namespace prefixes an export forgot,
    see :mod:`xmlsafe`) is made here too, with the same warning, by streaming the repaired bytes.
    """
    data = strip_bom(data).lstrip()
    if not data.startswith(b"<") or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unmodelled
    try:
        return _stream(data, hr_cad)
    except etree.XMLSyntaxError as exc:
        prefixes = repairable_prefixes(exc)
    if not prefixes:
        raise Unmodelled
    try:
        streamed = _stream(declare_prefixes(data, prefixes), hr_cad)
    except etree.XMLSyntaxError:
        raise Unmodelled from None
    streamed.warnings.append(repair_warning(prefixes))
    return streamed


def _stream(data: bytes, hr_cad: Any) -> Streamed:
    etree.clear_error_log()  # see xmlsafe.parse_xml: only this file's errors may count
    context = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), tag=("{*}gpx", "{*}trk", "{*}trkseg", "{*}trkpt"),
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True)
    root: etree._Element | None = None
    ns = ""
    checks: dict[str, Any] = {}
    tracks: list[list[Segment]] = []
    trk_el: etree._Element | None = None
    seg_el: etree._Element | None = None
    seg: Segment | None = None
    for event, el in context:
        tag = el.tag
        if root is None:
            root = el if el.getparent() is None else None
            if root is None or tag not in ("gpx", "{http://www.topografix.com/GPX/1/1}gpx",
                                           "{http://www.topografix.com/GPX/1/0}gpx") or root.prefix:
                raise Unmodelled
            ns = tag[:-3]
            if not ns and _ANY_XMLNS.search(data):
                raise Unmodelled  # gpxpy strips the first default namespace it finds, wherever it is
            checks = _field_checks(root.get("version"))
            continue
        if el is root:
            continue  # its end
        name = local(tag)
        if name not in _STRUCTURE or tag != ns + name or el.prefix:
            raise Unmodelled
        parent = el.getparent()
        if event == "start":
            if name == "trk":
                if parent is not root:
                    raise Unmodelled
                trk_el, seg_el, seg = el, None, None
                tracks.append([])
            elif name == "trkseg":
                if trk_el is None or parent is not trk_el:
                    raise Unmodelled
                seg_el, seg = el, Segment()
                tracks[-1].append(seg)
            continue
        if name == "trkpt":
            if seg is None or parent is None or parent is not seg_el:
                raise Unmodelled
            _point(el, ns, checks, seg, hr_cad)
            parent.remove(el)  # the point is in the arrays now; the tree keeps none of them
        elif name == "trkseg":
            seg_el = seg = None
        elif name == "trk":
            trk_el = None
    root = context.root
    if root is None or local(root.tag) != "gpx":
        raise Unmodelled
    try:
        skeleton = gpxpy.parse(etree.tostring(root, encoding="unicode"))
    except Exception:
        raise Unmodelled from None  # the whole-tree reader words gpxpy's complaint
    if len(skeleton.tracks) != len(tracks) or any(
            len(t.segments) != len(s) for t, s in zip(skeleton.tracks, tracks, strict=True)):
        raise Unmodelled
    return Streamed(skeleton=skeleton, root=root, tracks=tracks)


def _point(el: etree._Element, ns: str, checks: dict[str, Any], seg: Segment, hr_cad: Any) -> None:
    try:
        lat = float(el.attrib["lat"].strip())
        lon = float(el.attrib["lon"].strip())
    except (KeyError, ValueError):
        raise Unmodelled from None
    ele: float | None = None
    when: dt.datetime | None = None
    seen_ele = seen_time = False
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # a processing instruction
        name = tag[len(ns):] if tag.startswith(ns) and "}" not in tag[len(ns):] else ""
        if name == "ele":
            if not seen_ele:
                seen_ele = True
                if child.text is not None:
                    try:
                        ele = float(child.text.strip())
                    except ValueError:
                        raise Unmodelled from None
        elif name == "time":
            if not seen_time:
                seen_time = True
                when = _time(child.text)
        elif name == "extensions":
            pass
        elif name in checks:
            f = checks[name]
            text = child.text
            if text is not None:
                try:
                    value = f.type_converter.from_string(text) if f.type_converter else text
                except Exception:
                    raise Unmodelled from None
                if f.possible and value not in f.possible:
                    raise Unmodelled
        elif local(tag) in _STRUCTURE or name:
            raise Unmodelled  # a point field the fast path does not check (a link, a nested point)
        # other namespaces (vendor data outside <extensions>) are not GPX fields; gpxpy ignores them
    hr, cad = hr_cad(el.iter())
    seg.lat.append(lat)
    seg.lon.append(lon)
    seg.ele.append(ele)
    if when is None:
        seg.time_us.append(None)
        seg.aware.append(False)
    else:
        aware = when.tzinfo is not None
        utc = when.astimezone(dt.UTC) if aware else when.replace(tzinfo=dt.UTC)
        seg.time_us.append((utc - _EPOCH) // _US)
        seg.aware.append(aware)
    seg.hr.append(hr)
    seg.cad.append(cad)


def length_2d(segments: list[Segment]) -> float:
    """gpxpy's ``GPXTrack.length_2d``: pairs inside each segment, zero lengths skipped."""
    distance = gpxpy.geo.distance
    total: float = 0
    for s in segments:
        length: float = 0
        lat, lon = s.lat, s.lon
        for i in range(1, len(lat)):
            d = distance(lat[i], lon[i], None, lat[i - 1], lon[i - 1], None)
            if d:
                length += d
        if length:
            total += length
    return total


def moving_time(segments: list[Segment]) -> float:
    """gpxpy's ``GPXTrack.get_moving_data().moving_time`` with its default threshold."""
    distance = gpxpy.geo.distance
    total = 0.
    for s in segments:
        moving = 0.
        lat, lon, ele, t, aware = s.lat, s.lon, s.ele, s.time_us, s.aware
        for i in range(1, len(lat)):
            t1, t0 = t[i], t[i - 1]
            if t1 is None or t0 is None:
                continue
            if aware[i] != aware[i - 1]:
                raise Unmodelled  # gpxpy fails subtracting a zoned from an unzoned time
            e1, e0 = ele[i], ele[i - 1]
            if e1 and e0:
                d = distance(lat[i], lon[i], e1, lat[i - 1], lon[i - 1], e0)
            else:
                d = distance(lat[i], lon[i], None, lat[i - 1], lon[i - 1], None)
            seconds = (t1 - t0) / 10**6
            if seconds > 0 and d is not None and d:
                speed_kmh = (d / 1000) / (seconds / 60 ** 2)
                if speed_kmh > _STOPPED_KMH:
                    moving += seconds
        total += moving
    return total


def uphill_downhill(segments: list[Segment]) -> tuple[float, float]:
    """gpxpy's ``GPXTrack.get_uphill_downhill`` (its smoothing included)."""
    if not segments:
        return 0, 0
    up: float = 0
    down: float = 0
    for s in segments:
        u, d = gpxpy.geo.calculate_uphill_downhill(s.ele) if s.ele else (0., 0.)
        up += u or .0
        down += d or .0
    return up, down
