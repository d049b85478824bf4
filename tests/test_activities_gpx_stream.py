"""The streaming GPX reader stores exactly what the whole-tree reader (gpxpy) stores.

``read_gpx_tree`` is the old reader, kept as the reference and as the reader for files the
stream does not model; every case here compares the two field by field, series included,
and checks which path actually ran.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.activities import gpx_stream
from backstride.activities.gpx import _CAD_TAGS, _HR_TAGS, read_gpx, read_gpx_tree
from backstride.activities.model import Activity
from backstride.errors import ActivityFileError

NS = ('xmlns="http://www.topografix.com/GPX/1/1" '
      'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"')


def _streams(data: bytes) -> bool:
    try:
        gpx_stream.stream_gpx(data, _HR_TAGS, _CAD_TAGS)
    except gpx_stream.Unmodelled:
        return False
    return True


def _same_activity(a: Activity, b: Activity) -> None:
    for f in dataclasses.fields(Activity):
        if f.name == "series":
            continue
        assert getattr(a, f.name) == getattr(b, f.name), f.name
    assert (a.series is None) == (b.series is None)
    if a.series is not None and b.series is not None:
        assert sorted(a.series.columns) == sorted(b.series.columns)
        for name, col in a.series.columns.items():
            other = b.series.columns[name]
            assert col.dtype == other.dtype, name
            np.testing.assert_array_equal(col, other, err_msg=name, strict=True)


def assert_same(data: bytes, *, salvage: bool = False) -> str:
    """Both readers agree on ``data`` (activities, warnings, or the exact error); returns the outcome."""
    try:
        old = read_gpx_tree(data, "x.gpx", salvage=salvage)
    except Exception as exc:  # read_bytes words any other exception; it must be the same one
        with pytest.raises(type(exc)) as new_exc:
            read_gpx(data, "x.gpx", salvage=salvage)
        assert str(new_exc.value) == str(exc)
        assert getattr(new_exc.value, "hint", None) == getattr(exc, "hint", None)
        return "error"
    new = read_gpx(data, "x.gpx", salvage=salvage)
    assert new.warnings == old.warnings
    assert len(new.activities) == len(old.activities)
    for a, b in zip(new.activities, old.activities, strict=True):
        _same_activity(a, b)
    return "ok"


def _shared_gpx(shared_dir: Path) -> list[Path]:
    folder = shared_dir / "data" / "activities"
    return sorted(p for p in folder.iterdir() if p.name.endswith((".gpx", ".gpx.gz")))


def test_every_shared_gpx_file_streams_to_the_same_activities(shared_dir: Path) -> None:
    files = _shared_gpx(shared_dir)
    assert files
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if assert_same(data) == "ok":  # the hostile upstream sample is refused by both, the same way
            assert _streams(data), f"{path.name} fell back on the whole-tree reader"


def _point(i: int, *, ele: str | None = "10.0", time: str | None = None, ext: str = "") -> str:
    t = time if time is not None else (dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)
                                       + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
    e = f"<ele>{ele}</ele>" if ele is not None else ""
    return (f'<trkpt lat="{52 + i * 0.00003:.6f}" lon="{5 + i * 0.00002:.6f}">{e}<time>{t}</time>'
            f"{ext}</trkpt>")


def _doc(body: str, version: str = "1.1", ns: str = NS) -> bytes:
    return f'<?xml version="1.0"?><gpx version="{version}" creator="c" {ns}>{body}</gpx>'.encode()


CASES = {
    "plain": _doc("<trk><name>a</name><type>running</type><trkseg>"
                  + "".join(_point(i) for i in range(30)) + "</trkseg></trk>"),
    "two tracks, segments, gaps": _doc(
        "<trk><type>run</type><trkseg>" + "".join(_point(i) for i in range(10)) + "</trkseg><trkseg></trkseg>"
        "<trkseg>" + "".join(_point(i, ele=None if i % 3 else "0") for i in range(20, 40)) + "</trkseg></trk>"
        "<trk><trkseg>" + _point(1) + "</trkseg></trk><trk><type>Ride</type><trkseg>"
        + "".join(_point(i, time="bad" if i % 4 == 0 else None) for i in range(12)) + "</trkseg></trk>"),
    "gpx 1.0 with type and cluetrust": _doc(
        "<trk><type>Run</type><trkseg>" + "".join(
            _point(i, ext=f"<extensions><gpxdata:hr>{150 + i}</gpxdata:hr>"
                          "<gpxdata:cadence>88</gpxdata:cadence></extensions>") for i in range(10))
        + "</trkseg></trk>", version="1.0",
        ns='xmlns="http://www.topografix.com/GPX/1/0" xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"'),
    "zoned times and fractions": _doc("<trk><type>running</type><trkseg>" + "".join(
        _point(i, time=f"2026-03-01T09:00:{i:02d}.{i * 37 % 1000:03d}+02:00") for i in range(40)) + "</trkseg></trk>"),
    "hdop sat fix": _doc("<trk><trkseg>" + "".join(
        _point(i).replace("</trkpt>", "<sat>7</sat><hdop>1.2</hdop><fix>3d</fix></trkpt>") for i in range(8))
        + "</trkseg></trk>"),
    "invalid sat": _doc("<trk><trkseg>" + _point(0) + _point(1).replace("</trkpt>", "<sat>x</sat></trkpt>")
                        + "</trkseg></trk>"),
    "invalid elevation": _doc("<trk><trkseg>" + _point(0, ele="high") + _point(1) + "</trkseg></trk>"),
    "missing lat": _doc("<trk><trkseg>" + _point(0).replace('lat="', 'lart="') + _point(1) + "</trkseg></trk>"),
    "invalid metadata bounds": _doc('<metadata><bounds minlat="x" minlon="1" maxlat="2" maxlon="3"/></metadata>'
                                    "<trk><trkseg>" + _point(0) + _point(1) + "</trkseg></trk>"),
    "route only": _doc('<rte><rtept lat="52" lon="5"/></rte>'),
    "truncated": _doc("<trk><trkseg>" + "".join(_point(i) for i in range(9)) + "</trkseg></trk>")[:-40],
    "not gpx": b'<?xml version="1.0"?><TrainingCenterDatabase/>',
    "entity": b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY e "1">]>' + _doc(
        "<trk><trkseg>" + _point(0, ele="&e;") + _point(1) + "</trkseg></trk>").split(b"?>", 1)[1],
    "undeclared prefix": _doc("<trk><trkseg>" + "".join(
        _point(i, ext=f"<extensions><gpxdata:hr>{140 + i}</gpxdata:hr></extensions>") for i in range(5))
        + "</trkseg></trk>"),
    "foreign namespace point": _doc('<trk><trkseg><x:trkpt xmlns:x="urn:x" lat="1" lon="2"/>'
                                    + _point(0) + _point(1) + "</trkseg></trk>"),
    "point in a redeclared default namespace": _doc(
        '<trk><trkseg><trkpt xmlns="urn:x" lat="1" lon="2"><time>2026-03-01T06:59:00Z</time></trkpt>'
        + _point(0) + _point(1) + _point(2) + "</trkseg></trk>"),
    "gpx namespace also prefixed": _doc(
        "<trk><trkseg>" + _point(0) + _point(1) + _point(2).replace("<trkpt ", "<g:trkpt ").replace(
            "</trkpt>", "</g:trkpt>") + "</trkseg></trk>",
        ns=NS + ' xmlns:g="http://www.topografix.com/GPX/1/1"'),
    "empty": b"",
    "nan and inf": _doc("<trk><type>running</type><trkseg>" + _point(0, ele="nan") + _point(1, ele="inf")
                        + _point(2) + _point(3, ele="nan") + "</trkseg></trk>"),
    "odd times": _doc("<trk><type>running</type><trkseg>" + "".join(
        _point(i, time=t) for i, t in enumerate([
            "2026-03-01T07:00:00Z", "2026-02-30T07:00:01Z", "2026-03-01T25:00:02Z", " 2026-03-01T07:00:03Z",
            "2026-03-01T07:00:04Z\n", "2026-03-01 07:00:05Z", "2026-03-01T07:00:06.123456789012345Z",
            "2026-03-01T07:00:07.5Z", "2026-03-01T07:00:60Z", "0000-01-01T00:00:00Z", "2026-3-1T7:00:09Z",
            "2026-03-01T07:00:10+0100", "2026-03-01T09:00:11−02:00", "2026-03-01T07:00:12.000001Z"]))
        + "</trkseg></trk>"),
    "mixed zones": _doc("<trk><trkseg>" + _point(0) + _point(1, time="2026-03-01T07:00:05")
                        + "</trkseg></trk>"),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("salvage", [False, True])
def test_synthetic_files_give_the_same_result_or_the_same_message(name: str, salvage: bool) -> None:
    assert_same(CASES[name], salvage=salvage)


def test_a_broken_file_read_first_does_not_stop_the_prefix_repair_of_the_next() -> None:
    # lxml reports the thread's whole error log; the readers clear it before each file.
    for reader in (read_gpx, read_gpx_tree):
        with pytest.raises(ActivityFileError, match="not well-formed"):
            reader(CASES["truncated"], "t.gpx")
        result = reader(CASES["undeclared prefix"], "u.gpx")
        assert any("gpxdata" in w for w in result.warnings)


def test_the_usual_shapes_take_the_streaming_path() -> None:
    for name in ("plain", "two tracks, segments, gaps", "gpx 1.0 with type and cluetrust",
                 "zoned times and fractions", "hdop sat fix", "route only", "nan and inf", "undeclared prefix", "odd times",
                 "mixed zones"):
        assert _streams(CASES[name]), name
    for name in ("truncated", "entity", "not gpx", "invalid elevation", "missing lat", "invalid sat",
                 "point in a redeclared default namespace", "gpx namespace also prefixed"):
        assert not _streams(CASES[name]), name


_coord = st.floats(min_value=-0.001, max_value=0.001, allow_nan=False)
_points = st.lists(st.tuples(
    st.integers(min_value=-5, max_value=120),                          # seconds after the previous point
    _coord, _coord,                                                    # lat, lon step in degrees
    st.one_of(st.none(), st.floats(min_value=-50, max_value=3000, allow_nan=False), st.just(0.0)),
    st.one_of(st.none(), st.integers(min_value=40, max_value=220)),    # heart rate
    st.booleans(),                                                     # a time or none
    st.booleans(),                                                     # a jump of more than 0.2 degrees
), min_size=0, max_size=40)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(segments=st.lists(_points, min_size=1, max_size=3), kind=st.sampled_from(["running", "Ride", "", "hike"]),
       zoned=st.booleans())
def test_generated_tracks_agree(segments: list[list[tuple]], kind: str, zoned: bool) -> None:
    lat, lon = 47.0, 8.0
    t = dt.datetime(2026, 5, 1, 6, 0, tzinfo=dt.UTC)
    body = [f"<trk><type>{kind}</type>" if kind else "<trk>"]
    for seg in segments:
        body.append("<trkseg>")
        for dt_s, dlat, dlon, ele, hr, timed, jump in seg:
            t += dt.timedelta(seconds=dt_s, microseconds=1234)
            lat, lon = lat + dlat + (0.3 if jump else 0), lon + dlon
            stamp = (t.astimezone(dt.timezone(dt.timedelta(hours=-3))).isoformat() if zoned
                     else t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
            parts = [f'<trkpt lat="{lat!r}" lon="{lon!r}">']
            if ele is not None:
                parts.append(f"<ele>{ele!r}</ele>")
            if timed:
                parts.append(f"<time>{stamp}</time>")
            if hr is not None:
                parts.append(f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
                             "</gpxtpx:TrackPointExtension></extensions>")
            body.append("".join(parts) + "</trkpt>")
        body.append("</trkseg>")
    data = _doc("".join(body) + "</trk>")
    assert _streams(data)
    assert_same(data)
