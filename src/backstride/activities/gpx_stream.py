"""Streaming GPX reading: one pass of ``lxml.etree.iterparse`` that keeps only the samples.

Every ``<trkpt>`` is read into flat arrays (time, position, elevation, heart rate, cadence)
and then removed from the tree, so memory follows the samples kept, not the file. What is
left (metadata, names, types, routes, waypoints, empty segments) is small and still goes
through ``gpxpy``, so creator, names, sport and gpxpy's own validation stay what they were.
Distance, moving time and climb are gpxpy's algorithms run on the arrays (its own distance
function per pair; its climb smoothing repeated in numpy with the same operations in the same
order), so the numbers are identical to the whole-tree reader's.

The fast path models only well-formed files in the usual shape. Anything else (not
well-formed XML, a DOCTYPE, elements out of place or in another namespace, a point field it
does not check the way gpxpy does, a value gpxpy would reject) raises :class:`Unmodelled`,
and the caller falls back on the whole-tree reader, whose messages, repairs and salvage are
the reference behaviour.
"""

from __future__ import annotations

import array
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

import gpxpy.geo
import gpxpy.gpx
import gpxpy.gpxfield
import numpy as np
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
    """One ``<trkseg>``: flat per-point columns (8 bytes a value, not a Python object each).

    ``has_ele`` and ``timed`` say where gpxpy would have ``None``; NaN is a value it read.
    """

    lat: array.array[float] = field(default_factory=lambda: array.array("d"))
    lon: array.array[float] = field(default_factory=lambda: array.array("d"))
    ele: array.array[float] = field(default_factory=lambda: array.array("d"))
    has_ele: array.array[int] = field(default_factory=lambda: array.array("b"))
    time_us: array.array[int] = field(default_factory=lambda: array.array("q"))  # UTC microseconds since 1970
    timed: array.array[int] = field(default_factory=lambda: array.array("b"))
    aware: array.array[int] = field(default_factory=lambda: array.array("b"))    # the time carried a zone
    hr: array.array[float] = field(default_factory=lambda: array.array("d"))
    cad: array.array[float] = field(default_factory=lambda: array.array("d"))


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


def stream_gpx(data: bytes, hr_tags: frozenset[str], cad_tags: frozenset[str]) -> Streamed:
    """Read ``data`` in one pass; raise :class:`Unmodelled` where the whole-tree reader must decide.

    The one repair the whole-tree reader makes (declaring namespace prefixes an export forgot,
    see :mod:`xmlsafe`) is made here too, with the same warning, by streaming the repaired bytes.
    """
    data = strip_bom(data).lstrip()
    if not data.startswith(b"<") or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unmodelled
    try:
        return _stream(data, hr_tags, cad_tags)
    except etree.XMLSyntaxError as exc:
        prefixes = repairable_prefixes(exc)
    if not prefixes:
        raise Unmodelled
    try:
        streamed = _stream(declare_prefixes(data, prefixes), hr_tags, cad_tags)
    except etree.XMLSyntaxError:
        raise Unmodelled from None
    streamed.warnings.append(repair_warning(prefixes))
    return streamed


_GPX_ROOTS = ("gpx", "{http://www.topografix.com/GPX/1/1}gpx", "{http://www.topografix.com/GPX/1/0}gpx")


def _root_namespace(root: etree._Element, data: bytes) -> str:
    """The namespace of a GPX root in the shape the fast path models (gpxpy strips one default namespace)."""
    if root.tag not in _GPX_ROOTS or root.prefix:
        raise Unmodelled
    ns = root.tag[:-3]
    if not ns and _ANY_XMLNS.search(data):
        raise Unmodelled  # gpxpy would strip the first default namespace it finds, wherever it is
    if ns and re.search(rb"xmlns:[^=\s]+\s*=\s*[\"']" + re.escape(ns[1:-1].encode()) + rb"[\"']", data):
        # The GPX namespace also bound to a prefix: gpxpy finds only the unprefixed elements,
        # and tags alone (which the fast path compares) cannot tell the two apart.
        raise Unmodelled
    return ns


class _Structure:
    """Tracks and segments as points arrive (only end events are seen: a start per point costs)."""

    def __init__(self, root: etree._Element, ns: str) -> None:
        self.root = root
        self.trk_tag, self.seg_tag, self.pt_tag = ns + "trk", ns + "trkseg", ns + "trkpt"
        self.tracks: list[list[Segment]] = []
        self.trk_el: etree._Element | None = None
        self.seg_el: etree._Element | None = None
        self.seg: Segment | None = None

    def _track(self, el: etree._Element | None) -> None:
        if el is self.trk_el:
            return
        if el is None or el.tag != self.trk_tag or el.prefix or el.getparent() is not self.root:
            raise Unmodelled
        self.trk_el = el
        self.tracks.append([])

    def segment(self, el: etree._Element | None) -> Segment:
        """The segment of a point whose parent is ``el`` (a new one at the first point)."""
        if el is not self.seg_el or self.seg is None:
            if el is None or el.tag != self.seg_tag or el.prefix:
                raise Unmodelled
            self._track(el.getparent())
            self.seg_el, self.seg = el, Segment()
            self.tracks[-1].append(self.seg)
        return self.seg

    def segment_end(self, el: etree._Element) -> None:
        if el is not self.seg_el:
            self.segment(el)  # a segment without points
        self.seg_el = self.seg = None

    def track_end(self, el: etree._Element) -> None:
        self._track(el)  # a track without segments, or the one already open
        self.trk_el = None


def _stream(data: bytes, hr_tags: frozenset[str], cad_tags: frozenset[str]) -> Streamed:
    etree.clear_error_log()  # see xmlsafe.parse_xml: only this file's errors may count
    context = etree.iterparse(
        io.BytesIO(data), events=("end",), tag=("{*}gpx", "{*}trk", "{*}trkseg", "{*}trkpt"),
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True)
    names: dict[str, str] = {}
    structure: _Structure | None = None
    reader: _Reader | None = None
    for _event, el in context:
        tag = el.tag
        if structure is None or reader is None:
            root = el.getroottree().getroot()
            ns = _root_namespace(root, data)
            structure = _Structure(root, ns)
            reader = _Reader(ns, _field_checks(root.get("version")), hr_tags, cad_tags)
        name = names.get(tag)
        if name is None:
            name = names[tag] = local(tag)
        if name == "trkpt":
            parent = el.getparent()
            seg = structure.segment(parent)
            if el.prefix or tag != structure.pt_tag:
                raise Unmodelled  # a point in another namespace: gpxpy does not see it
            reader.point(el, seg)
            parent.remove(el)  # in the arrays now; the tree keeps no point
        elif name == "trkseg":
            structure.segment_end(el)
        elif name == "trk":
            structure.track_end(el)
        elif el is not structure.root:
            raise Unmodelled  # a <gpx> inside the file
    root = context.root
    if root is None:
        raise Unmodelled
    _root_namespace(root, data)
    tracks = structure.tracks if structure is not None else []
    try:
        skeleton = gpxpy.parse(etree.tostring(root, encoding="unicode"))
    except Exception:
        raise Unmodelled from None  # the whole-tree reader words gpxpy's complaint
    if len(skeleton.tracks) != len(tracks) or any(
            len(t.segments) != len(s) for t, s in zip(skeleton.tracks, tracks, strict=True)):
        raise Unmodelled
    return Streamed(skeleton=skeleton, root=root, tracks=tracks)


# The usual GPX time, "2026-03-01T07:00:00Z" with an optional fraction, read without building a
# datetime; anything else goes through gpxpy's own parser. Both give gpxpy's value.
_ZULU = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,15}))?Z")


class _Reader:
    """Per-file state of the point reader: tag classifications and dates already seen."""

    def __init__(self, ns: str, checks: dict[str, Any], hr_tags: frozenset[str], cad_tags: frozenset[str]) -> None:
        self.ns = ns
        self.checks = checks
        self.hr_tags, self.cad_tags = hr_tags, cad_tags
        self.kinds: dict[Any, Any] = {}     # point child tag -> "ele", "time", "skip" or a gpxpy field
        self.sensor: dict[Any, int] = {}    # any tag -> 1 heart rate, 2 cadence, 0 neither
        self.days: dict[str, int | None] = {}

    def kind(self, tag: Any) -> Any:
        if not isinstance(tag, str):
            return "skip"  # a processing instruction
        ns = self.ns
        name = tag[len(ns):] if tag.startswith(ns) and "}" not in tag[len(ns):] else ""
        if name in ("ele", "time"):
            return name
        if name == "extensions":
            return "skip"
        if name in self.checks:
            return self.checks[name]
        if local(tag) in _STRUCTURE or name:
            return "bad"  # a point field the fast path does not check (a link, a nested point)
        return "skip"  # another namespace outside <extensions>: not a GPX field, gpxpy ignores it

    def sensor_kind(self, tag: Any) -> int:
        name = local(tag)  # "" for processing instructions
        return 1 if name in self.hr_tags else 2 if name in self.cad_tags else 0

    def time_us(self, text: str | None) -> tuple[int | None, bool]:
        """(UTC microseconds since 1970, whether the text carried a zone), as gpxpy reads the text."""
        m = _ZULU.fullmatch(text) if text else None
        if m is not None:
            day, hh, mm, ss, frac = m.groups()
            days = self.days.get(day, -1)
            if days == -1:
                try:
                    days = (dt.date(int(day[:4]), int(day[5:7]), int(day[8:])) - dt.date(1970, 1, 1)).days
                except ValueError:
                    days = None
                self.days[day] = days
            h, mi, sec = int(hh), int(mm), int(ss)
            if days is None or h > 23 or mi > 59 or sec > 59:
                return None, False  # datetime() refuses it, so gpxpy has no time
            us = int(frac[:6] + "0" * (6 - len(frac[:6]))) if frac else 0
            return ((days * 86400 + h * 3600 + mi * 60 + sec) * 10**6 + us), True
        when = _time(text)
        if when is None:
            return None, False
        if when.tzinfo is None:
            return (when.replace(tzinfo=dt.UTC) - _EPOCH) // _US, False
        return (when.astimezone(dt.UTC) - _EPOCH) // _US, True

    def point(self, el: etree._Element, seg: Segment) -> None:
        try:
            lat = float(el.get("lat").strip())
            lon = float(el.get("lon").strip())
        except (AttributeError, ValueError):
            raise Unmodelled from None
        ele: float | None = None
        t_text: str | None = None
        seen_ele = seen_time = False
        kinds = self.kinds
        for child in el:
            tag = child.tag
            kind = kinds.get(tag)
            if kind is None:
                kind = kinds[tag] = self.kind(tag)
            if kind == "skip":
                continue
            if kind == "ele":
                if not seen_ele:
                    seen_ele = True
                    text = child.text
                    if text is not None:
                        try:
                            ele = float(text.strip())
                        except ValueError:
                            raise Unmodelled from None
            elif kind == "time":
                if not seen_time:
                    seen_time = True
                    t_text = child.text
            elif kind == "bad":
                raise Unmodelled
            else:
                text = child.text
                if text is not None:
                    try:
                        value = kind.type_converter.from_string(text) if kind.type_converter else text
                    except Exception:
                        raise Unmodelled from None
                    if kind.possible and value not in kind.possible:
                        raise Unmodelled
        # Heart rate and cadence: the last readable value of any element so named, at any depth
        # and in any namespace, as the whole-tree reader's _hr_cad takes them.
        hr = cad = math.nan
        sensor = self.sensor
        for node in el.iter():
            tag = node.tag
            which = sensor.get(tag)
            if which is None:
                which = sensor[tag] = self.sensor_kind(tag)
            if which:
                try:
                    value = float((node.text or "").strip())
                except ValueError:
                    continue
                if which == 1:
                    hr = value
                else:
                    cad = value
        us, aware = self.time_us(t_text)
        seg.lat.append(lat)
        seg.lon.append(lon)
        if ele is None:
            seg.ele.append(math.nan)
            seg.has_ele.append(0)
        else:
            seg.ele.append(ele)
            seg.has_ele.append(1)
        if us is None:
            seg.time_us.append(0)
            seg.timed.append(0)
        else:
            seg.time_us.append(us)
            seg.timed.append(1)
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
        lat, lon, ele, has_ele, t, timed, aware = s.lat, s.lon, s.ele, s.has_ele, s.time_us, s.timed, s.aware
        for i in range(1, len(lat)):
            if not (timed[i] and timed[i - 1]):
                continue
            if aware[i] != aware[i - 1]:
                raise Unmodelled  # gpxpy fails subtracting a zoned from an unzoned time
            t1, t0 = t[i], t[i - 1]
            e1, e0 = ele[i], ele[i - 1]
            if has_ele[i] and has_ele[i - 1] and e1 and e0:  # gpxpy: "if point.elevation and previous.elevation"
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


def _climb(elevations: np.ndarray) -> tuple[float, float]:
    """gpxpy's ``calculate_uphill_downhill`` on the elevations that are not ``None``, in numpy.

    Each inner point is smoothed as ``prev*.3 + cur*.4 + next*.3`` (the same operations in the
    same order), and the climbs are summed in order (``cumsum`` is sequential), so the floats
    are gpxpy's to the last bit; the differential tests check it.
    """
    e = elevations
    if len(e) == 0:
        return 0., 0.
    smooth = e.copy()
    if len(e) > 2:
        smooth[1:-1] = e[:-2] * .3 + e[1:-1] * .4 + e[2:] * .3
    d = smooth[1:] - smooth[:-1]
    rising = d > 0
    up = float(np.cumsum(d[rising])[-1]) if rising.any() else 0.
    falling = -d[~rising]
    down = float(np.cumsum(falling)[-1]) if len(falling) else 0.
    return up, down


def uphill_downhill(segments: list[Segment]) -> tuple[float, float]:
    """gpxpy's ``GPXTrack.get_uphill_downhill`` (its smoothing included)."""
    if not segments:
        return 0, 0
    up: float = 0
    down: float = 0
    for s in segments:
        if len(s.ele):
            u, d = _climb(np.asarray(s.ele)[np.asarray(s.has_ele).astype(bool)])
        else:
            u, d = 0., 0.
        up += u or .0
        down += d or .0
    return up, down
