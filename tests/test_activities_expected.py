"""The readers against the shared real files and what reference readers report (EXPECTED.json).

Tolerances from the issue: distance and timer time 1 %, cadence and heart rate 2 %, sport and
running-dynamics presence exact, and every broken file rejected with a message that names it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backstride.activities.reader import decode_source
from backstride.activities.sources import Source, discover

pytestmark = pytest.mark.shared_data


def _expected(shared_dir: Path) -> dict[str, dict]:
    return json.loads((shared_dir / "data" / "activities" / "EXPECTED.json").read_text())["files"]


def _source(shared_dir: Path, name: str) -> Source:
    sources, problems = discover([shared_dir / "data" / "activities" / name])
    assert not problems
    assert len(sources) == 1
    return sources[0]


def _close(actual: float | None, expected: float | None, rel: float) -> bool:
    if expected is None:
        return True  # the reference has no value; ours may come from the track
    return actual is not None and abs(actual - expected) <= rel * abs(expected) + 1e-9


def _valid_names(shared_dir: Path) -> list[str]:
    return [n for n, e in _expected(shared_dir).items() if str(e.get("broken", "no")).startswith("no")]


def test_every_valid_file_matches_the_reference(shared_dir: Path) -> None:
    expected = _expected(shared_dir)
    failures: list[str] = []
    checked = 0
    for name in _valid_names(shared_dir):
        exp = expected[name]
        decoded = decode_source(_source(shared_dir, name), salvage=False)
        if decoded.error:
            failures.append(f"{name}: rejected: {decoded.error}")
            continue
        acts = [d.activity for d in decoded.activities]
        legs = exp.get("sessions") or [exp]
        if len(legs) != len(acts):
            failures.append(f"{name}: {len(acts)} activities, expected {len(legs)}")
            continue
        for act, leg in zip(acts, legs, strict=True):
            sport = leg.get("sport")
            # an untyped track is "unknown" or a sport inferred from its own evidence (said so)
            ok_sport = (act.sport == "unknown" or act.sport_source == "inferred") if sport is None \
                else sport.startswith(act.sport)
            if not ok_sport:
                failures.append(f"{name}: sport {act.sport!r}, expected {sport!r}")
            sub = leg.get("sub_sport")
            if sub not in (None, "generic") and act.sub_sport != sub:
                failures.append(f"{name}: sub_sport {act.sub_sport!r}, expected {sub!r}")
            want_timer = leg.get("total_timer_time_s")
            want_elapsed = leg.get("total_elapsed_time_s")
            if want_timer is not None and want_elapsed is not None and want_timer > want_elapsed + 1:
                # the device wrote a moving time longer than the elapsed time: corrected, with a warning
                if act.timer_s > act.elapsed_s or not any("longer than the elapsed" in w for w in act.warnings):
                    failures.append(f"{name}: impossible timer {want_timer} > elapsed {want_elapsed} not corrected")
                want_timer = None
            checks = [
                ("distance", act.distance_m, leg.get("total_distance_m"), 0.01),
                ("timer", act.timer_s, want_timer, 0.01),
                ("heart rate", act.avg_hr_bpm, leg.get("avg_heart_rate"), 0.02),
                ("cadence", act.avg_cadence_spm, leg.get("avg_cadence_spm"), 0.02),
            ]
            for what, got, want, rel in checks:
                if not _close(got, want, rel):
                    failures.append(f"{name}: {what} {got}, expected {want}")
            if leg.get("num_laps") is not None and act.laps != leg["num_laps"]:
                failures.append(f"{name}: laps {act.laps}, expected {leg['num_laps']}")
            checked += 1
        # running-dynamics presence is a per-file fact in the reference
        if any(d.activity.has_running_dynamics for d in decoded.activities) != bool(exp.get("has_running_dynamics")):
            failures.append(f"{name}: running dynamics presence differs from {exp.get('has_running_dynamics')}")
        start = exp.get("start_time_utc")
        if start and len(acts) == 1:
            got = acts[0].start_time.isoformat().replace("+00:00", "Z")
            if got[:19] != start[:19]:
                failures.append(f"{name}: start {got}, expected {start}")
    assert not failures, "\n".join(failures)
    assert checked >= 28


@pytest.mark.parametrize("name, words", [
    ("empty-sessions.fit", "empty"),
    ("image_with_gps_exif.fit", "JPEG"),
    ("activity-filecrc.fit", "checksum"),
    ("activity-unexpected-eof.fit", "truncated"),
    ("activity-settings-corruptheader.fit", "header"),
    ("empty-activities.fit", "damaged"),
    ("strava-android-app-201.10-b1218918.fit", "malformed"),
    ("run_gpxtpx-truncated.gpx", "not well-formed"),
    ("bad.gpx", "invalid value"),
    ("MonitoringFile.fit", "no activity"),
])
def test_broken_files_are_rejected_with_a_clear_message(shared_dir: Path, name: str, words: str) -> None:
    decoded = decode_source(_source(shared_dir, name), salvage=False)
    assert decoded.activities == []
    assert decoded.error is not None
    assert name in decoded.error
    assert words.lower() in decoded.error.lower()


def test_damaged_fit_says_what_could_be_recovered_and_salvage_keeps_it(shared_dir: Path) -> None:
    exp = _expected(shared_dir)["activity-filecrc.fit"]["partially_recoverable_values"]
    strict = decode_source(_source(shared_dir, "activity-filecrc.fit"), salvage=False)
    assert strict.error is not None and "--salvage" in strict.error and "14 samples" in strict.error
    kept = decode_source(_source(shared_dir, "activity-filecrc.fit"), salvage=True)
    assert kept.error is None
    act = kept.activities[0].activity
    assert act.sport == exp["sport"]
    assert act.distance_m == pytest.approx(exp["total_distance_m"], rel=0.01)
    assert act.timer_s == pytest.approx(exp["total_timer_time_s"], rel=0.01)
    assert any("damaged" in w for w in kept.warnings)


def test_strava_app_fit_salvage_keeps_the_samples_before_the_bad_message(shared_dir: Path) -> None:
    kept = decode_source(_source(shared_dir, "strava-android-app-201.10-b1218918.fit"), salvage=True)
    assert kept.error is None
    act = kept.activities[0].activity
    assert act.sport == "running"
    assert act.distance_m and act.distance_m > 0
    assert "incomplete" in kept.warnings[0]


def test_gpx_with_undeclared_namespace_is_read_with_a_warning(shared_dir: Path) -> None:
    decoded = decode_source(_source(shared_dir, "6037744996.gpx"), salvage=False)
    assert decoded.error is None
    assert any("gpxdata" in w for w in decoded.warnings)
    act = decoded.activities[0].activity
    assert act.sport == "running"
    assert act.distance_m and act.distance_m > 1000


def test_multisport_file_gives_one_activity_per_leg(shared_dir: Path) -> None:
    decoded = decode_source(_source(shared_dir, "triathlon_summary_first.fit"), salvage=False)
    sports = [d.activity.sport for d in decoded.activities]
    assert sports == ["swimming", "transition", "cycling", "transition", "running"]
    run = decoded.activities[-1].activity
    assert run.has_running_dynamics and run.avg_cadence_spm == pytest.approx(161.4, rel=0.02)
    assert not decoded.activities[0].activity.has_running_dynamics


def test_whole_folder_discovery_finds_every_file_and_the_zip_member(shared_dir: Path) -> None:
    sources, problems = discover([shared_dir / "data" / "activities"])
    assert problems == []
    names = {s.display.rsplit("/", 1)[-1] for s in sources}
    assert "GarminFR955v18.zip!14211916346_ACTIVITY.fit" in names
    assert len(sources) == len(_expected(shared_dir))
