"""Issue 14: the numbers a runner sees are right.

Stryd-style developer fields (written with the project's FIT encoder), untyped GPX runs,
"runs" too fast to be running, backwards timestamps, placeholder elevations and salvaged
files; each checks what is stored and what the CLI and the web page show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.activities.model import Activity, DynamicsSummary, Series
from backstride.activities.reader import read_bytes
from backstride.demo.synthetic_runs import generate_run
from backstride.evidence import threshold
from support.fit_writer import STRYD_FIELDS, activity_to_fit

NATIVE_RD = ("stance_time_ms", "stance_time_balance_pct", "vertical_oscillation_mm", "vertical_ratio_pct",
             "step_length_mm")


def _recent(days_ago: int = 2) -> dt.datetime:
    return dt.datetime.combine(dt.date.today() - dt.timedelta(days=days_ago), dt.time(7, 0), tzinfo=dt.UTC)


def wrist_run_with_stryd(start: dt.datetime, minutes: float = 6) -> Activity:
    """A wrist watch (no native running dynamics; a derived step length in the session) with a
    Stryd pod writing power, ground time, vertical oscillation, form power and leg spring stiffness."""
    run = generate_run(start, minutes * 60, rng=np.random.default_rng(3))
    assert run.series is not None
    cols = {k: v for k, v in run.series.columns.items() if k not in NATIVE_RD}
    n = len(cols["time_s"])
    rng = np.random.default_rng(4)
    cols["power_w"] = np.round(250 + rng.normal(0, 5, n)).astype("f4")
    cols["form_power_w"] = np.round(75 + rng.normal(0, 2, n)).astype("f4")
    cols["stance_time_ms"] = np.round(240 + rng.normal(0, 4, n)).astype("f4")
    cols["vertical_oscillation_mm"] = (85 + rng.normal(0, 2, n)).astype("f4")
    cols["leg_spring_stiffness_kn_m"] = (11.5 + rng.normal(0, 0.2, n)).astype("f4")
    return replace(run, series=Series(cols), dynamics=DynamicsSummary(step_length_mm=1100.0), avg_power_w=None)


def wrist_run_without_sensors(start: dt.datetime) -> Activity:
    run = generate_run(start, 300, rng=np.random.default_rng(5))
    assert run.series is not None
    cols = {k: v for k, v in run.series.columns.items() if k not in NATIVE_RD}
    return replace(run, series=Series(cols), dynamics=DynamicsSummary(step_length_mm=1050.0))


def fast_run(start: dt.datetime) -> Activity:
    """10.2 km in 25 minutes, steady at 6-8 m/s, recorded as a run (a ride on a run-only watch)."""
    n = 1500
    t = np.arange(n, dtype="f8")
    speed = 6.8 + 0.9 * np.sin(t / 90.0)
    dist = np.cumsum(speed)
    dist *= 10_200.0 / dist[-1]
    speed = np.gradient(dist)
    cols = {"time_s": t, "distance_m": dist.astype("f4"), "speed_mps": speed.astype("f4"),
            "heart_rate_bpm": np.full(n, 128.0, dtype="f4"), "cadence_spm": np.full(n, 170.0, dtype="f4")}
    return Activity(sport="running", start_time=start, elapsed_s=float(n), timer_s=float(n),
                    distance_m=float(dist[-1]), avg_hr_bpm=128.0, avg_cadence_spm=170.0, series=Series(cols))


def untyped_gpx(start: dt.datetime, *, km: float = 15.6, pace_s_per_km: float = 290.0, creator: str = "Movescount",
                hr: int = 152, cad_strides: int = 84, every_s: int = 5) -> bytes:
    """A GPX track without <type> (as Suunto Movescount, Apple Health and Sports Tracker write them)."""
    speed = 1000.0 / pace_s_per_km
    seconds = int(km * 1000 / speed)
    points = []
    for i, sec in enumerate(range(0, seconds + 1, every_s)):
        lat = 60.0 + sec * speed / 111_320.0
        stamp = (start + dt.timedelta(seconds=sec)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(f'<trkpt lat="{lat:.7f}" lon="24.9"><ele>{20 + (i % 9)}</ele><time>{stamp}</time>'
                      f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr + i % 4}</gpxtpx:hr>"
                      f"<gpxtpx:cad>{cad_strides}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gpx version="1.1" creator="{creator}" xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
            f"<trk><name>Evening</name><trkseg>{''.join(points)}</trkseg></trk></gpx>").encode()


def _gpx_points(stamps: list[dt.datetime], elevations: list[float | None], kind: str = "running") -> bytes:
    pts = []
    for i, (stamp, ele) in enumerate(zip(stamps, elevations, strict=True)):
        ele_el = "" if ele is None else f"<ele>{ele:.1f}</ele>"
        pts.append(f'<trkpt lat="{52.0 + i * 0.00003:.6f}" lon="5.0">{ele_el}'
                   f'<time>{stamp.strftime("%Y-%m-%dT%H:%M:%SZ")}</time></trkpt>')
    return ('<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
            f"<trk><type>{kind}</type><trkseg>{''.join(pts)}</trkseg></trk></gpx>").encode()


def _import(cli, tmp_path: Path, name: str, data: bytes, *extra: str) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    result = cli("import", str(path), "--json", *extra)
    return result.json()


def _load_km(cli, weeks: int = 2) -> float:
    doc = cli("load", "--json", "--weeks", str(weeks)).json()
    return float(sum(w["distance_km"] for w in doc["summary"]["weeks"]))


# ---------------------------------------------------------------- developer fields


def test_stryd_developer_fields_fill_the_dynamics_and_power_with_their_source() -> None:
    act = wrist_run_with_stryd(_recent())
    data = activity_to_fit(act, developer_fields=STRYD_FIELDS)
    [got] = read_bytes(data, "fit", "stryd.fit").activities
    d = got.dynamics
    assert got.has_running_dynamics  # measured by the pod
    assert abs((d.stance_time_ms or 0) - 240) < 2
    assert abs((d.vertical_oscillation_mm or 0) - 85) < 1  # written in centimetres, stored in mm
    assert abs((d.form_power_w or 0) - 75) < 1
    assert abs((d.leg_spring_stiffness_kn_m or 0) - 11.5) < 0.1
    assert d.step_length_mm == 1100.0  # the watch's own session value is kept
    assert abs((got.avg_power_w or 0) - 250) < 2
    assert got.power_source == "developer field 'Power' (Watts)"
    assert d.sources["vertical_oscillation_mm"] == "developer field 'Vertical Oscillation' (Centimeters)"
    assert "step_length_mm" not in d.sources
    assert got.series is not None
    for channel in ("stance_time_ms", "vertical_oscillation_mm", "form_power_w", "leg_spring_stiffness_kn_m", "power_w"):
        assert got.series.has(channel), channel
    np.testing.assert_allclose(got.series.get("vertical_oscillation_mm")[:50],
                               act.series.get("vertical_oscillation_mm")[:50], atol=0.01)


def test_a_wrist_watch_step_length_alone_is_not_running_dynamics() -> None:
    act = wrist_run_without_sensors(_recent())
    [got] = read_bytes(activity_to_fit(act), "fit", "wrist.fit").activities
    assert got.dynamics.step_length_mm == 1050.0
    assert not got.has_running_dynamics
    assert got.richness()[0] == 0


def test_native_dynamics_win_over_developer_fields_and_units_we_cannot_convert_are_reported() -> None:
    run = generate_run(_recent(), 300, rng=np.random.default_rng(8))  # native running dynamics
    assert run.series is not None
    cols = dict(run.series.columns)
    n = len(cols["time_s"])
    cols["form_power_w"] = np.full(n, 70.0, dtype="f4")
    cols["leg_spring_stiffness_kn_m"] = np.full(n, 9.0, dtype="f4")
    fields = {"form_power_w": STRYD_FIELDS["form_power_w"],
              "leg_spring_stiffness_kn_m": ("Leg Spring Stiffness", "lbf/in", "float32", 1.0)}
    result = read_bytes(activity_to_fit(replace(run, series=Series(cols)), developer_fields=fields), "fit", "x.fit")
    [got] = result.activities
    assert got.dynamics.sources == {"form_power_w": "developer field 'Form Power' (Watts)"}
    assert abs((got.dynamics.stance_time_ms or 0) - (run.dynamics.stance_time_ms or 0)) < 1
    assert got.dynamics.leg_spring_stiffness_kn_m is None
    assert any("'Leg Spring Stiffness'" in w and "lbf/in" in w for w in result.warnings)


def test_power_and_form_power_are_shown_in_the_cli_and_on_the_activity_page(cli, tmp_path: Path) -> None:
    data = activity_to_fit(wrist_run_with_stryd(_recent()), developer_fields=STRYD_FIELDS)
    doc = _import(cli, tmp_path, "stryd.fit", data)
    [act] = doc["files"][0]["activities"]
    assert act["has_running_dynamics"] is True
    assert abs(act["avg_power_w"] - 250) < 2 and abs(act["avg_form_power_w"] - 75) < 1
    shown = cli("activity", "show", str(act["id"]))
    assert shown.exit_code == 0
    assert "Power" in shown.stdout and "250 W" in shown.stdout.replace("249 W", "250 W").replace("251 W", "250 W")
    assert "Form power" in shown.stdout and "developer field 'Form Power'" in shown.stdout
    listing = cli("activities")
    assert " W" in listing.stdout or "W:" in listing.stdout


# ---------------------------------------------------------------- sport


def test_an_untyped_gpx_run_is_inferred_as_a_run_and_counts_in_load(cli, tmp_path: Path) -> None:
    doc = _import(cli, tmp_path, "movescount.gpx", untyped_gpx(_recent()))
    f = doc["files"][0]
    [act] = f["activities"]
    assert act["sport"] == "running" and act["sport_source"] == "inferred"
    assert act["sport_confidence"] >= threshold("activities_infer_min_confidence").value
    assert act["counts_as_run"] is True
    assert abs(act["distance_m"] - 15_600) < 200
    assert any("looks like a run" in w and "confident" in w for w in f["warnings"])
    assert abs(_load_km(cli) - act["distance_m"] / 1000) < 0.01
    assert "(guessed)" in cli("activities").stdout


def test_an_untyped_fast_track_is_a_ride_and_a_vague_one_stays_unknown() -> None:
    ride = read_bytes(untyped_gpx(_recent(), km=30, pace_s_per_km=130, creator="Wahoo ELEMNT", hr=130),
                      "gpx", "ride.gpx").activities[0]
    assert ride.sport == "cycling" and ride.sport_source == "inferred"
    assert ride.avg_cadence_spm is None  # a pedalling rate is not steps
    walkish = read_bytes(untyped_gpx(_recent(), km=5, pace_s_per_km=470, hr=100, cad_strides=0),
                         "gpx", "vague.gpx")
    act = walkish.activities[0]
    assert act.sport in ("unknown", "walking")
    assert not act.is_run


def test_a_run_too_fast_for_running_is_held_until_the_runner_confirms(cli, tmp_path: Path) -> None:
    doc = _import(cli, tmp_path, "fast.fit", activity_to_fit(fast_run(_recent())))
    f = doc["files"][0]
    [act] = f["activities"]
    assert act["sport"] == "running" and act["needs_sport_confirmation"] is True and act["counts_as_run"] is False
    assert any("faster than anyone has run" in w for w in f["warnings"])
    assert _load_km(cli) == 0.0
    assert "(check)" in cli("activities").stdout
    confirmed = cli("activity", "sport", str(act["id"]), "running", "--json").json()
    assert confirmed["counts_as_run"] is True and confirmed["sport_source"] == "runner"
    assert abs(_load_km(cli) - 10.2) < 0.05
    ride = cli("activity", "sport", str(act["id"]), "ride", "--json").json()
    assert ride["sport"] == "cycling" and ride["counts_as_run"] is False and ride["avg_cadence_spm"] is None
    assert _load_km(cli) == 0.0
    # a re-import of the same file does not undo the runner's word
    again = _import(cli, tmp_path, "fast-copy.fit", activity_to_fit(fast_run(_recent())))
    assert again["files"][0]["activities"][0]["sport"] == "cycling"


def test_setting_a_sport_rejects_unknown_names_and_ids(cli) -> None:
    bad = cli("activity", "sport", "999", "running", "--json")
    assert bad.exit_code == 1 and "999" in bad.stdout
    cli("import", "--json", "/nonexistent-so-a-runner-exists")  # creates the default runner profile
    worse = cli("activity", "sport", "1", "quidditch")
    assert worse.exit_code == 1


def test_the_web_activity_page_shows_values_warnings_and_corrects_the_sport(client) -> None:
    from backstride.workflows import activities as wf
    from web_helpers import ws_of

    ws = ws_of(client)
    data = activity_to_fit(fast_run(_recent()))
    path = Path(ws.settings.data_dir) / "fast.fit"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    wf.import_paths(ws, "default", [path], workers=1)
    [act] = wf.list_activities(ws, "default")
    listing = client.get("/activities/list")
    assert listing.status_code == 200 and f"/activities/{act.id}" in listing.text and "please check" in listing.text
    page = client.get(f"/activities/{act.id}")
    assert page.status_code == 200
    assert "Was this a run?" in page.text and "faster than anyone has run" in page.text
    assert "10.20 km" in page.text
    resp = client.post(f"/activities/{act.id}/sport", data={"sport": "cycling"}, follow_redirects=False)
    assert resp.status_code == 303
    page = client.get(f"/activities/{act.id}")
    assert "set by you" in page.text and "Was this a run?" not in page.text
    assert wf.get_activity(ws, "default", act.id).sport == "cycling"
    assert client.get("/activities/424242").status_code == 404


# ---------------------------------------------------------------- plausibility


def test_a_gpx_whose_time_runs_backwards_never_moves_longer_than_it_lasts(cli, tmp_path: Path) -> None:
    start = _recent()
    stamps = [start + dt.timedelta(seconds=i * 2) for i in range(600)]
    rng = np.random.default_rng(0)
    for i in rng.choice(np.arange(1, 599), size=250, replace=False):  # clock jumps back, thousands of times in real files
        stamps[i] = stamps[i] - dt.timedelta(seconds=int(rng.integers(30, 900)))
    data = _gpx_points(stamps, [30.0] * 600)
    result = read_bytes(data, "gpx", "back.gpx")
    [act] = result.activities
    assert act.timer_s <= act.elapsed_s
    assert any("ran backwards" in w for w in result.warnings)
    doc = _import(cli, tmp_path, "back.gpx", data)
    stored = doc["files"][0]["activities"][0]
    assert stored["timer_s"] <= stored["elapsed_s"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=-600, max_value=30), min_size=10, max_size=80))
def test_moving_time_is_never_longer_than_elapsed_time(steps: list[int]) -> None:
    start = _recent()
    stamps, t = [], 0
    for s in steps:
        t += s
        stamps.append(start + dt.timedelta(seconds=t + 3600))
    try:
        result = read_bytes(_gpx_points(stamps, [10.0] * len(stamps)), "gpx", "h.gpx")
    except Exception:  # too few points with distinct times: rejected with a message, nothing stored
        return
    for act in result.activities:
        assert act.timer_s <= act.elapsed_s + 1e-6


def test_placeholder_zero_elevations_do_not_add_climb() -> None:
    start = _recent()
    stamps = [start + dt.timedelta(seconds=i * 5) for i in range(300)]
    real = [400.0 + 5.0 * np.sin(i / 20.0) for i in range(300)]
    with_holes = [0.0 if i % 10 == 5 else e for i, e in enumerate(real)]
    clean = read_bytes(_gpx_points(stamps, real), "gpx", "a.gpx").activities[0]
    result = read_bytes(_gpx_points(stamps, with_holes), "gpx", "b.gpx")
    holed = result.activities[0]
    assert clean.ascent_m is not None and holed.ascent_m is not None
    assert holed.ascent_m < clean.ascent_m + 15  # not 30 drops of 400 m
    assert any("placeholders" in w for w in result.warnings)
    coastal = [2.0 * abs(np.sin(i / 15.0)) for i in range(300)]
    coastal[7] = 0.0
    kept = read_bytes(_gpx_points(stamps, coastal), "gpx", "c.gpx")
    assert not any("placeholders" in w for w in kept.warnings)  # near sea level, 0 m can be true


def test_a_salvaged_fit_without_a_session_takes_its_totals_from_the_records_read(cli, tmp_path: Path) -> None:
    run = generate_run(_recent(), 1200, rng=np.random.default_rng(9))
    data = activity_to_fit(run)
    cut = data[: int(len(data) * 0.4)]
    result = read_bytes(cut, "fit", "cut.fit", salvage=True)
    [act] = result.activities
    assert act.series is not None
    read_dist = float(np.nanmax(act.series.get("distance_m")) - np.nanmin(act.series.get("distance_m")))
    span = float(act.series.columns["time_s"][-1] - act.series.columns["time_s"][0])
    assert act.distance_m is not None and abs(act.distance_m - read_dist) < 1.0
    assert act.elapsed_s <= span + 1 and act.timer_s <= act.elapsed_s
    assert act.distance_m < (run.distance_m or 0)
    doc = _import(cli, tmp_path, "cut.fit", cut, "--salvage")
    stored = doc["files"][0]["activities"][0]
    assert abs(stored["distance_m"] - read_dist) < 1.0 and stored["timer_s"] <= stored["elapsed_s"]
    assert any("damaged" in w for w in doc["files"][0]["warnings"])


def test_a_salvaged_truncated_tcx_does_not_mix_the_full_lap_time_with_the_points_read() -> None:
    start = _recent()
    tps = []
    for i in range(600):
        stamp = (start + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        tps.append(f"<Trackpoint><Time>{stamp}</Time><DistanceMeters>{i * 3.0}</DistanceMeters>"
                   "<HeartRateBpm><Value>150</Value></HeartRateBpm></Trackpoint>")
    text = ('<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
            f'<Activities><Activity Sport="Running"><Id>{start.strftime("%Y-%m-%dT%H:%M:%SZ")}</Id>'
            f'<Lap StartTime="{start.strftime("%Y-%m-%dT%H:%M:%SZ")}"><TotalTimeSeconds>3600</TotalTimeSeconds>'
            f"<DistanceMeters>10800</DistanceMeters><Track>{''.join(tps)}</Track></Lap></Activity></Activities>"
            "</TrainingCenterDatabase>")
    cut = text[: int(len(text) * 0.5)].encode()
    result = read_bytes(cut, "tcx", "cut.tcx", salvage=True)
    [act] = result.activities
    assert act.timer_s <= act.elapsed_s
    assert act.elapsed_s < 600 and act.distance_m is not None and act.distance_m < 1800
    assert any("samples that could be read" in w for w in result.warnings)


def test_a_fit_file_with_a_generic_sport_is_inferred_too() -> None:
    run = generate_run(_recent(), 900, rng=np.random.default_rng(12))
    [got] = read_bytes(activity_to_fit(replace(run, sport="other")), "fit", "generic.fit").activities
    assert got.sport == "running" and got.sport_source == "inferred" and got.is_run
    assert got.sport_confidence is not None and got.sport_confidence >= 0.6
