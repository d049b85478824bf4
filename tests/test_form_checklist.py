"""The form checklist's newer points on synthetic runners whose answer is set by the test:
shoulder height and rounded shoulders and leaning back (side view), pelvis and trunk turning
(rear and front views), each with its error and confidence, and what a view cannot measure."""

from __future__ import annotations

import json

import pytest

from backstride.form.analysis import FormAnalysis, analyse_track
from backstride.video.probe import CaptureTiming
from support.synthetic_form import SyntheticRunner, make_track

TRUNK_LEG = 0.75  # the synthetic runner's hip-to-shoulder length, leg lengths


def _run(**kw: object) -> FormAnalysis:
    spec = SyntheticRunner(**kw)  # type: ignore[arg-type]
    return analyse_track(make_track(spec).track, CaptureTiming(spec.fps, spec.slowmo_factor, "test"))


def _category(a: FormAnalysis, metric: str) -> dict[str, object]:
    for c in a.to_dict()["categories"]:
        if c["metric"] == metric:
            return c
    raise AssertionError(f"{metric} not in the checklist")


def test_shoulders_raised_towards_the_ears_are_read_from_the_side() -> None:
    relaxed = _run(ear_above_shoulder_leg=0.22, head_forward_leg=0.0, trunk_lean_deg=0.0)
    raised = _run(ear_above_shoulder_leg=0.12, head_forward_leg=0.0, trunk_lean_deg=0.0)
    r, s = _category(relaxed, "ear_shoulder_gap_trunk"), _category(raised, "ear_shoulder_gap_trunk")
    assert r["value"] == pytest.approx(0.22 / TRUNK_LEG, abs=0.01)
    assert s["value"] == pytest.approx(0.12 / TRUNK_LEG, abs=0.01)
    assert s["label"] == "shoulders raised towards the ears" and r["label"].startswith("shoulders relaxed")
    assert s["error"] == pytest.approx(0.05) and 0 < s["confidence"] <= 1


def test_rounded_shoulders_are_read_against_the_hip_ear_line() -> None:
    square = _run(shoulder_forward_leg=0.0, head_forward_leg=0.0, trunk_lean_deg=0.0)
    rounded = _run(shoulder_forward_leg=0.08, head_forward_leg=0.0, trunk_lean_deg=0.0)
    a, b = _category(square, "shoulder_forward_trunk"), _category(rounded, "shoulder_forward_trunk")
    assert a["value"] == pytest.approx(0.0, abs=0.01)
    # the shoulder sits 0.08 leg lengths ahead; the line from hip to ear moves a little with it
    assert b["value"] == pytest.approx(0.08 / TRUNK_LEG, abs=0.02)
    assert b["label"] == "shoulders rounded forward" and a["label"] == "shoulders in line with the trunk"


@pytest.mark.parametrize("lean,label", [(-8.0, "leaning back"), (-2.0, "upright"), (8.0, "slight forward lean")])
def test_leaning_back_is_not_called_upright(lean: float, label: str) -> None:
    c = _category(_run(trunk_lean_deg=lean), "trunk_lean_deg")
    assert c["value"] == pytest.approx(lean, abs=0.5)
    assert c["label"] == label
    assert c["error"] == pytest.approx(6.0)


@pytest.mark.parametrize("view", ["rear", "front"])
def test_pelvis_and_trunk_turning_from_behind_or_in_front(view: str) -> None:
    a = _run(view=view, pelvis_rotation_deg=20.0, trunk_rotation_deg=30.0)
    pel, tru = _category(a, "pelvis_rotation_deg"), _category(a, "trunk_rotation_deg")
    assert pel["value"] == pytest.approx(20.0, abs=2.0) and tru["value"] == pytest.approx(30.0, abs=2.0)
    assert pel["label"] == "hips turn a lot with each step"
    assert tru["label"] == "shoulders twist a lot at the waist"
    calm = _run(view=view)
    assert _category(calm, "pelvis_rotation_deg")["label"] == "hips face forward"
    assert _category(calm, "pelvis_rotation_deg")["value"] == pytest.approx(0.0, abs=2.0)
    assert pel["error"] == pytest.approx(10.0)


def test_each_view_says_plainly_what_it_cannot_measure() -> None:
    side = _run().to_dict()["metrics"]
    rear = _run(view="rear").to_dict()["metrics"]
    assert {"pelvis_rotation_deg", "trunk_rotation_deg", "pelvic_drop_deg"} <= set(side["not_measured"])
    assert {"ear_shoulder_gap_trunk", "shoulder_forward_trunk", "knee_flexion_ic_deg"} <= set(rear["not_measured"])
    for doc in (side, rear):
        assert any("direction" in line or "way the trunk" in line for line in doc["cannot_measure"])
        json.dumps(doc, allow_nan=False)
