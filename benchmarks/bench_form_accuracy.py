"""Form-check accuracy per clip from the recorded pose tracks (tests/fixtures/pose), no model.

    .venv/bin/python benchmarks/bench_form_accuracy.py [--shared ../shared] [--json]

Replays each recorded real clip through the analysis and compares it with the hand annotation
in ``../shared/data/videos/GROUND_TRUTH.json``: contacts found within the frame tolerance,
contact time against step time, cadence, and which metrics were reported. Slow-motion clips are
analysed with an assumed factor (the annotation is in video frames, so the factor cancels in
the contact errors). Also replays the 30 fps clip decimated to 15 fps and the lab clip (about
270 real frames a second at 9x) decimated by 3 and 9, for the frame-rate agreement of the knee
angle at contact. Runs in a few seconds.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from backstride.form.analysis import analyse_track
from backstride.video.probe import CaptureTiming
from backstride.video.rejected import VideoRejected
from backstride.video.track import PoseTrack

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pose"
CLIPS = {  # recorded track -> (assumed slow-motion factor, frame tolerance for "within")
    "treadmill_sagittal_left_30fps_phone": (1.0, 2),
    "treadmill_lab_sagittal_right_slowmo": (9.0, 4),
    "overground_sagittal_right_slowmo_silhouette": (5.0, 3),
    "sprint_100m_broadcast_panning": (1.0, 1),
}


def decimate(track: PoseTrack, step: int) -> PoseTrack:
    shift = track.camera_shift_px[::step] if len(track.camera_shift_px) else track.camera_shift_px
    return replace(track, landmarks=track.landmarks[::step], t_s=track.t_s[::step], fps=track.fps / step,
                   camera_shift_px=shift)


def one(track: PoseTrack, factor: float, truth: dict[str, Any], tol: int, step: int = 1) -> dict[str, Any]:
    try:
        a = analyse_track(track, CaptureTiming(track.fps, factor, "bench"))
    except VideoRejected as exc:
        return {"rejected": exc.reason, "message": exc.message}
    doc = a.to_dict()
    s = a.metrics.summaries
    out: dict[str, Any] = {"cadence_spm": round(a.cadence_spm, 1), "contacts_found": a.events.n_contacts,
                           "undecided_steps": a.metrics.undecided_steps, "refused": len(a.metrics.refused),
                           "reported": sorted(s), "segment": doc["segments"]["used"]}
    for k in ("contact_time_s", "step_time_s", "flight_time_s", "knee_flexion_ic_deg"):
        out[k] = round(s[k].median, 3) if k in s else None
    gt = [c["frame"] / step for c in truth.get("initial_contacts") or []]
    if gt:
        found = a.events.contact_frames
        err = np.array([found[np.argmin(np.abs(found - g))] - g for g in gt])
        out["annotated"] = len(gt)
        out["within_tolerance"] = int(np.sum(np.abs(err) <= tol / step + 1e-9))
        out["tolerance_frames"] = tol / step
        out["median_abs_error_frames"] = round(float(np.median(np.abs(err))), 2)
        out["apparent_cadence_gt_spm"] = truth["cadence_spm"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    truth = json.loads((args.shared / "data" / "videos" / "GROUND_TRUTH.json").read_text())
    rows: dict[str, Any] = {}
    for name, (factor, tol) in CLIPS.items():
        track = PoseTrack.load(FIXTURES / f"{name}.npz")
        rows[name] = one(track, factor, truth[f"{name}.mp4"], tol)
    base = PoseTrack.load(FIXTURES / "treadmill_sagittal_left_30fps_phone.npz")
    rows["treadmill 30 fps decimated to 15 fps"] = one(decimate(base, 2), 1.0,
                                                       truth["treadmill_sagittal_left_30fps_phone.mp4"], 2, 2)
    lab = PoseTrack.load(FIXTURES / "treadmill_lab_sagittal_right_slowmo.npz")
    for step in (3, 9):
        rows[f"lab clip decimated by {step} (about {270 // step} real fps)"] = one(
            decimate(lab, step), 9.0, truth["treadmill_lab_sagittal_right_slowmo.mp4"], 4, step)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    for name, r in rows.items():
        print(name, json.dumps(r))


if __name__ == "__main__":
    main()
