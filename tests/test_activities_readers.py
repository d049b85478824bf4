"""Readers on fixtures built at test time: synthetic FIT (fit-tool), generated GPX and TCX,
gzip, zip, Strava and Garmin exports, and hostile inputs.

The helpers at the top are imported by the other activity tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from backstride.activities.fit import read_fit
from backstride.activities.gpx import read_gpx
from backstride.activities.model import Activity, Series
from backstride.activities.reader import decode_source, read_bytes
from backstride.activities.sources import discover
from backstride.activities.tcx import read_tcx
from backstride.demo.synthetic_runs import generate_run, generate_runs
from backstride.errors import ActivityFileError
from support.fit_writer import activity_to_fit

START = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)


def synthetic_run(start: dt.datetime = START, minutes: float = 10, seed: int = 1, surface: str = "road") -> Activity:
    return generate_run(start, minutes * 60, rng=np.random.default_rng(seed), surface=surface)


def fit_bytes(start: dt.datetime = START, minutes: float = 10, seed: int = 1, surface: str = "road") -> bytes:
    return activity_to_fit(synthetic_run(start, minutes, seed, surface))


def gpx_text(start: dt.datetime = START, n: int = 120, kind: str | None = "running", hr: bool = True,
             cad_strides: float = 85.0) -> str:
    """A GPX 1.1 track moving north at about 3 m/s with Garmin TrackPointExtension hr/cad."""
    points = []
    for i in range(n):
        t = (start + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        ext = ""
        if hr:
            ext = (f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + i % 5}</gpxtpx:hr>"
                   f"<gpxtpx:cad>{cad_strides:.0f}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>")
        points.append(f'<trkpt lat="{52.0 + i * 0.000027:.6f}" lon="5.0"><ele>{10 + (i % 7)}</ele><time>{t}</time>{ext}</trkpt>')
    type_el = f"<type>{kind}</type>" if kind else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
            f"<trk><name>Morning run</name>{type_el}<trkseg>{''.join(points)}</trkseg></trk></gpx>")


def tcx_text(starts: list[dt.datetime], n: int = 60, with_position: bool = True, sport: str = "Running") -> str:
    acts = []
    for start in starts:
        tps = []
        for i in range(n):
            t = (start + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            pos = (f"<Position><LatitudeDegrees>{52 + i * 0.00003:.6f}</LatitudeDegrees>"
                   "<LongitudeDegrees>5.0</LongitudeDegrees></Position>") if with_position else ""
            tps.append(f"<Trackpoint><Time>{t}</Time>{pos}<DistanceMeters>{i * 3.0}</DistanceMeters>"
                       f"<HeartRateBpm><Value>150</Value></HeartRateBpm>"
                       "<Extensions><TPX xmlns=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">"
                       "<RunCadence>86</RunCadence></TPX></Extensions></Trackpoint>")
        half = n // 2
        laps = "".join(
            f'<Lap StartTime="{(start + dt.timedelta(seconds=k * half)).strftime("%Y-%m-%dT%H:%M:%SZ")}">'
            f"<TotalTimeSeconds>{half}</TotalTimeSeconds><DistanceMeters>{half * 3.0}</DistanceMeters>"
            f"<MaximumHeartRateBpm><Value>160</Value></MaximumHeartRateBpm>"
            f"<Track>{''.join(tps[k * half:(k + 1) * half])}</Track></Lap>" for k in range(2))
        acts.append(f'<Activity Sport="{sport}"><Id>{start.strftime("%Y-%m-%dT%H:%M:%SZ")}</Id>{laps}</Activity>')
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
            f"<Activities>{''.join(acts)}</Activities></TrainingCenterDatabase>")


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# ---------------------------------------------------------------- FIT


def test_synthetic_fit_round_trips_totals_series_and_dynamics() -> None:
    original = synthetic_run(minutes=15)
    result = read_fit(activity_to_fit(original), "run.fit")
    assert result.warnings == []
    [act] = result.activities
    assert act.sport == "running" and act.start_time == START
    assert act.distance_m == pytest.approx(original.distance_m, rel=1e-4)
    assert act.timer_s == pytest.approx(original.timer_s)
    assert act.avg_cadence_spm == pytest.approx(original.avg_cadence_spm, abs=0.5)
    assert act.has_running_dynamics
    assert act.dynamics.stance_time_balance_pct == pytest.approx(original.dynamics.stance_time_balance_pct, abs=0.01)
    assert act.series is not None and len(act.series) == len(original.series or [])
    np.testing.assert_allclose(act.series.get("cadence_spm"), original.series.get("cadence_spm"), atol=1e-3)  # type: ignore[union-attr]


def test_treadmill_fit_has_no_positions_and_keeps_its_sub_sport() -> None:
    [act] = read_fit(fit_bytes(surface="treadmill"), "tm.fit").activities
    assert act.sub_sport == "treadmill" and act.is_treadmill
    assert act.series is not None and not act.series.has("lat_deg")
    assert act.distance_m and act.distance_m > 1000


def test_truncated_fit_is_rejected_and_salvage_keeps_the_samples_before_the_cut() -> None:
    data = fit_bytes(minutes=10)
    cut = data[: len(data) // 2]
    with pytest.raises(ActivityFileError) as info:
        read_fit(cut, "cut.fit")
    message = str(info.value)
    assert "cut.fit" in message and "truncated" in message and "--salvage" in message
    kept = read_fit(cut, "cut.fit", salvage=True)
    [act] = kept.activities
    assert "no session summary" in " ".join(kept.warnings)
    assert 0 < act.elapsed_s < 600
    assert act.series is not None and 100 < len(act.series) < 600


def test_flipped_byte_breaks_the_crc_and_is_rejected() -> None:
    data = bytearray(fit_bytes(minutes=2))
    data[200] ^= 0xFF
    with pytest.raises(ActivityFileError, match=r"checksum|malformed|damaged"):
        read_fit(bytes(data), "flip.fit")


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 40, "JPEG"),
    (b"PK\x03\x04" + b"\0" * 40, "zip"),
    (b"hello, this is not a fit file at all", "not a FIT file"),
])
def test_non_fit_bytes_get_a_plain_message(data: bytes, words: str) -> None:
    with pytest.raises(ActivityFileError, match=words):
        read_fit(data, "x.fit")


def test_sentinels_and_backwards_time_are_not_believed() -> None:
    run = synthetic_run(minutes=5)
    assert run.series is not None
    cols = {k: v.copy() for k, v in run.series.columns.items()}
    cols["heart_rate_bpm"][10:20] = 255
    cols["cadence_spm"][30:40] = 0  # moving at about 2.8 m/s: a sensor gap
    cols["time_s"][50] = 5  # a clock jump back
    broken = Activity(**{**run.__dict__, "series": Series(cols), "avg_hr_bpm": None, "max_hr_bpm": None})
    result = read_fit(activity_to_fit(broken), "s.fit")
    [act] = result.activities
    text = " ".join(result.warnings)
    assert "cadence" in text and "backwards" in text
    hr = act.series.get("heart_rate_bpm")  # type: ignore[union-attr]
    assert hr is not None and np.nanmax(hr) < 250
    assert act.max_hr_bpm is not None and act.max_hr_bpm < 250


# ---------------------------------------------------------------- GPX and TCX


def test_gpx_running_cadence_is_doubled_to_steps_and_hr_averaged() -> None:
    [act] = read_gpx(gpx_text().encode(), "a.gpx").activities
    assert act.sport == "running"
    assert act.avg_cadence_spm == pytest.approx(170.0)
    assert act.avg_hr_bpm == pytest.approx(np.mean([140 + i % 5 for i in range(120)]))
    assert act.distance_m == pytest.approx(119 * 0.000027 * 111_195, rel=0.01)
    assert act.timer_s == pytest.approx(119, abs=2)


def test_short_gpx_without_type_is_unknown_with_a_warning() -> None:
    # 30 s of movement is too little to tell the sport (inference is tested in test_activities_sport.py)
    result = read_bytes(gpx_text(kind=None, n=30).encode(), "gpx", "a.gpx")
    act = result.activities[0]
    assert act.sport == "unknown" and not act.is_run
    assert any("does not say which sport" in w and "too little" in w for w in result.warnings)
    assert act.warnings == tuple(result.warnings)


def test_gpx_with_only_a_route_is_not_an_activity() -> None:
    text = ('<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
            '<rte><rtept lat="52" lon="5"/><rtept lat="52.1" lon="5"/></rte></gpx>')
    with pytest.raises(ActivityFileError, match="route"):
        read_gpx(text.encode(), "r.gpx")


def test_gpx_entities_are_not_expanded() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            '<gpx version="1.1" creator="&b;" xmlns="http://www.topografix.com/GPX/1/1"></gpx>')
    with pytest.raises(ActivityFileError):
        read_gpx(bomb.encode(), "bomb.gpx")


def test_tcx_with_two_activities_and_no_positions_gives_two_runs() -> None:
    starts = [START, START + dt.timedelta(hours=5)]
    result = read_tcx(tcx_text(starts, with_position=False).encode(), "two.tcx")
    assert [a.start_time for a in result.activities] == starts
    for act in result.activities:
        assert act.laps == 2 and act.timer_s == 60 and act.distance_m == 180
        assert act.avg_cadence_spm == pytest.approx(172) and act.avg_hr_bpm == pytest.approx(150)
        assert act.max_hr_bpm == 160
        assert act.series is not None and not act.series.has("lat_deg")


def test_malformed_xml_is_rejected_naming_the_file() -> None:
    with pytest.raises(ActivityFileError, match=r"bad\.tcx.*not well-formed"):
        read_tcx(tcx_text([START]).encode()[:300], "bad.tcx")


def test_read_bytes_turns_library_surprises_into_rejections() -> None:
    with pytest.raises(ActivityFileError, match="unsupported"):
        read_bytes(b"data", "csv", "x.csv")


# ---------------------------------------------------------------- containers and exports


def test_gzip_zip_and_folder_sources(tmp_path: Path) -> None:
    (tmp_path / "a.fit.gz").write_bytes(gz(fit_bytes(seed=1)))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.gpx").write_text(gpx_text(START + dt.timedelta(days=1)))
    (tmp_path / "notes.txt").write_text("ignored")
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as zf:
        zf.writestr("c.tcx.gz", gz(tcx_text([START + dt.timedelta(days=2)]).encode()))
    sources, problems = discover([tmp_path])
    assert problems == []
    assert sorted(s.display.split(str(tmp_path))[-1] for s in sources) == ["/a.fit.gz", "/c.zip!c.tcx.gz", "/sub/b.gpx"]
    decoded = [decode_source(s, salvage=False) for s in sources]
    assert all(d.error is None for d in decoded)
    assert sorted(d.activities[0].activity.source_format for d in decoded) == ["fit", "gpx", "tcx"]


def test_damaged_gzip_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.fit.gz").write_bytes(gz(fit_bytes())[:50])
    [src], _ = discover([tmp_path / "a.fit.gz"])
    decoded = decode_source(src, salvage=False)
    assert decoded.error is not None and "gzip" in decoded.error


def test_unsupported_and_missing_paths_are_problems(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b")
    sources, problems = discover([tmp_path / "x.csv", tmp_path / "nope.fit"])
    assert sources == []
    reasons = dict(problems)
    assert "unsupported" in reasons[str(tmp_path / "x.csv")]
    assert "no such file" in reasons[str(tmp_path / "nope.fit")]


def strava_export(path: Path, runs: list[Activity]) -> None:
    """A Strava bulk export: activities.csv plus activities/<id>.fit.gz."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Gear", "Filename"])
    with zipfile.ZipFile(path, "w") as zf:
        for i, run in enumerate(runs):
            name = f"activities/{1000 + i}.fit.gz"
            kind = "Trail Run" if i == 0 else "Run"
            writer.writerow([1000 + i, run.start_time.isoformat(), f"Run number {i}", kind, "Blue Pegasus", name])
            zf.writestr(name, gz(activity_to_fit(run)))
        zf.writestr("activities.csv", buf.getvalue())
        zf.writestr("profile.csv", "not an activity")


def test_strava_export_takes_names_gear_and_sport_from_the_csv(tmp_path: Path) -> None:
    runs = [synthetic_run(START + dt.timedelta(days=i), minutes=3, seed=i) for i in range(3)]
    strava_export(tmp_path / "export.zip", runs)
    sources, problems = discover([tmp_path / "export.zip"])
    assert problems == [] and len(sources) == 3
    decoded = [decode_source(s, salvage=False).activities[0].activity for s in sources]
    assert [a.name for a in decoded] == ["Run number 0", "Run number 1", "Run number 2"]
    assert {a.gear for a in decoded} == {"Blue Pegasus"}
    assert decoded[0].sub_sport == "trail" and decoded[1].sub_sport is None


def test_garmin_export_zip_of_zips(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("12345_ACTIVITY.fit", fit_bytes(seed=4, minutes=3))
    with zipfile.ZipFile(tmp_path / "garmin.zip", "w") as zf:
        zf.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", inner.getvalue())
    sources, problems = discover([tmp_path / "garmin.zip"])
    assert problems == []
    [src] = sources
    assert src.display.endswith("UploadedFiles_0-_Part1.zip!12345_ACTIVITY.fit")
    assert decode_source(src, salvage=False).error is None


def test_broken_zip_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04garbage")
    sources, problems = discover([tmp_path / "x.zip"])
    assert sources == [] and "zip" in problems[0][1]


def test_generate_runs_is_deterministic_and_realistic() -> None:
    a = generate_runs(dt.date(2026, 1, 5), 28, seed=3, with_series=False)
    b = generate_runs(dt.date(2026, 1, 5), 28, seed=3, with_series=False)
    assert [r.start_time for r in a] == [r.start_time for r in b]
    assert 10 <= len(a) <= 24
    for run in a:
        assert 1800 <= run.timer_s <= 7200 + 60
        assert 150 < (run.avg_cadence_spm or 0) < 190
        assert run.has_running_dynamics and run.series is None


def test_fit_checksum_matches_the_sdk_form_and_catches_damage() -> None:
    import os

    from fit_tool.utils.crc import crc16

    from backstride.activities.fit import ChecksumMismatch, fit_crc16, verify_checksums

    blob = os.urandom(2000)
    assert fit_crc16(blob) == crc16(blob)
    good = fit_bytes(minutes=1)
    verify_checksums(good)  # no exception
    chained = good + fit_bytes(START + dt.timedelta(hours=2), minutes=1, seed=3)
    verify_checksums(chained)
    bad = bytearray(chained)
    bad[len(good) + 40] ^= 0x01  # damage inside the second file of the chain
    with pytest.raises(ChecksumMismatch):
        verify_checksums(bytes(bad))


def test_chained_fit_files_are_read_whole() -> None:
    first, second = START, START + dt.timedelta(hours=3)
    data = fit_bytes(first, minutes=2, seed=1) + fit_bytes(second, minutes=3, seed=2)
    acts = read_fit(data, "chained.fit").activities
    assert [a.start_time for a in acts] == [first, second]
    assert [round(a.timer_s) for a in acts] == [120, 180]


def test_gpx_1_0_with_cluetrust_extensions() -> None:
    points = "".join(
        f'<trkpt lat="{52 + i * 0.00003:.6f}" lon="5.0"><ele>3</ele>'
        f"<time>{(START + dt.timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
        f"<extensions><gpxdata:hr>{150}</gpxdata:hr><gpxdata:cadence>88</gpxdata:cadence></extensions></trkpt>"
        for i in range(90))
    text = ('<?xml version="1.0"?><gpx version="1.0" creator="old" xmlns="http://www.topografix.com/GPX/1/0" '
            'xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0">'
            f"<trk><type>Run</type><trkseg>{points}</trkseg></trk></gpx>")
    [act] = read_gpx(text.encode(), "old.gpx").activities
    assert act.sport == "running" and act.avg_hr_bpm == 150 and act.avg_cadence_spm == 176
    assert act.distance_m == pytest.approx(89 * 0.00003 * 111_195, rel=0.01)


@pytest.mark.parametrize("value, expected", [
    ("running", ("running", None)), ("9", ("running", None)), ("Trail Running", ("running", "trail")),
    ("Indoor Run", ("running", "treadmill")), ("street_running", ("running", None)), ("Walk", ("walking", None)),
    ("MountainBikeRide", ("cycling", None)), ("yoga", ("other", None)), (None, ("unknown", None)),
])
def test_gpx_track_types(value: str | None, expected: tuple[str, str | None]) -> None:
    from backstride.activities.gpx import sport_from_type

    assert sport_from_type(value) == expected


def test_tcx_activity_shell_without_data_is_not_an_activity() -> None:
    text = ('<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
            '<Activities><Activity Sport="Running"><Id>2026-03-02T07:00:00Z</Id></Activity></Activities>'
            "</TrainingCenterDatabase>")
    with pytest.raises(ActivityFileError, match="no recorded activity"):
        read_tcx(text.encode(), "shell.tcx")
