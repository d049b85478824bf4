"""A long GPX run written point by point (the faults test and benchmarks/bench_gpx.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def write_long_gpx(path: Path, points: int) -> Path:
    """A 1 Hz run of ``points`` track points with elevation and heart rate (Garmin's shape),
    about 206 bytes a point, written as it goes: the caller never holds the file in memory."""
    start = dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
    with path.open("w", encoding="ascii") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="long test" '
                 'xmlns="http://www.topografix.com/GPX/1/1" '
                 'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
                 "<trk><name>long</name><type>running</type><trkseg>\n")
        for i in range(points):
            t = (start + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            fh.write(f'<trkpt lat="{47 + i * 1e-6:.7f}" lon="{8 + (i % 5000) * 2e-5:.7f}">'
                     f"<ele>{400 + (i % 300) * 0.1:.1f}</ele><time>{t}</time><extensions>"
                     f"<gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + i % 20}</gpxtpx:hr>"
                     "</gpxtpx:TrackPointExtension></extensions></trkpt>\n")
        fh.write("</trkseg></trk></gpx>\n")
    return path
