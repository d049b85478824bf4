"""Video form-check benchmark: accuracy against the hand-annotated clips, throughput against a
bare MediaPipe loop, and peak memory on a 60 s 1080p clip.

    .venv/bin/python benchmarks/bench_video.py [--shared ../shared] [--runs 3] [--skip-memory]
        [--skip-accuracy] [--skip-throughput] [--skip-render]

Needs ../shared/data/videos (GROUND_TRUTH.json). Timings on a shared 2-core machine are noisy:
bare and end-to-end runs alternate and medians are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from backstride.form.analysis import AnalysisOptions, analyse_track
from backstride.video.backends import MediaPipeBackend
from backstride.video.pipeline import estimate_pose
from backstride.video.probe import CaptureTiming, probe_video
from backstride.video.rejected import VideoRejected

THROUGHPUT_CLIP = "treadmill_sagittal_left_30fps_phone.mp4"
# Slow-motion clips have no known factor; these are plausible guesses used only to check that
# the analysis is right in video frames once a factor is given (the cadence is compared in
# video time, so the guess cancels out).
ASSUMED_SLOWMO = {"treadmill_lab_sagittal_right_slowmo.mp4": 9.0,
                  "overground_sagittal_right_slowmo_silhouette.mp4": 5.0}
EXPECTED_REJECTION = {"hostile_zero_bytes.mp4": "unreadable", "hostile_text_not_a_video.mp4": "unreadable",
                      "hostile_no_person_gym_wall.mp4": "no_person", "nonrun_walking_sagittal.mp4": "walking"}


def contact_errors(found: np.ndarray, truth: list[int], lo: int, hi: int, fps_factor: float = 1.0) -> dict[str, Any]:
    frames = np.round(found).astype(int)
    inside = frames[(frames >= lo - 3) & (frames <= hi + 3)]
    errs = [int(inside[np.argmin(np.abs(inside - f))] - f) if inside.size else None for f in truth]
    good = [abs(e) for e in errs if e is not None]
    return {"n_truth": len(truth), "n_found_in_range": int(inside.size),
            "median_abs_error_frames": float(np.median(good)) if good else None,
            "max_abs_error_frames": int(max(good)) if good else None,
            "within_2_frames": int(sum(1 for e in good if e <= 2)), "errors": errs}


def accuracy(videos: Path) -> dict[str, Any]:
    truth = json.loads((videos / "GROUND_TRUTH.json").read_text())
    out: dict[str, Any] = {}
    for name in sorted(p.name for p in videos.glob("*.mp4")):
        row: dict[str, Any] = {}
        try:
            probe = probe_video(videos / name)
        except VideoRejected as exc:
            out[name] = {"rejected": exc.reason, "message": exc.message,
                         "expected": EXPECTED_REJECTION.get(name)}
            continue
        backend = MediaPipeBackend()
        t0 = time.perf_counter()
        track = estimate_pose(probe, backend)
        row["pose_s"] = round(time.perf_counter() - t0, 2)
        backend.close()
        gt = truth.get(name, {})
        factors = [1.0] + ([ASSUMED_SLOWMO[name]] if name in ASSUMED_SLOWMO else [])
        for factor in factors:
            key = "as_filed" if factor == 1.0 else f"with_slowmo_{factor:g}"
            try:
                a = analyse_track(track, CaptureTiming(probe.fps, factor, "bench"), AnalysisOptions())
            except VideoRejected as exc:
                row[key] = {"rejected": exc.reason, "message": exc.message}
                continue
            res: dict[str, Any] = {"cadence_spm": round(a.cadence_spm, 2),
                                   "apparent_cadence_spm": round(a.cadence_spm / factor, 2),
                                   "view": a.capture.view, "setting": a.capture.setting,
                                   "findings": [f.code for f in a.findings]}
            if gt.get("initial_contacts"):
                lo, hi = gt["annotated_frame_range"]
                res["gt_apparent_cadence_spm"] = gt["cadence_spm"]
                res["contacts"] = contact_errors(a.events.contact_frames, [c["frame"] for c in gt["initial_contacts"]],
                                                 lo, hi)
                # cadence over the annotated window only, in video time, as the annotation defines it
                f = a.events.contact_frames
                sel = f[(f >= lo - 3) & (f <= hi + 3)]
                if sel.size >= 2:
                    res["window_apparent_cadence_spm"] = round((sel.size - 1) / ((sel[-1] - sel[0]) / probe.fps) * 60, 2)
            row[key] = res
        row["expected"] = EXPECTED_REJECTION.get(name, "accepted")
        out[name] = row
        print(name, json.dumps(row)[:400], flush=True)
    return out


def _decode_all(path: Path, limit: int) -> list[np.ndarray]:
    import cv2

    cap = cv2.VideoCapture(str(path))
    frames: list[np.ndarray] = []
    while len(frames) < limit:
        ok, bgr = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    cap.release()
    return frames


def throughput(videos: Path, runs: int, n_frames: int) -> dict[str, Any]:
    """Bare model loop over pre-decoded frames vs the product's pipeline over the same frames."""
    path = videos / THROUGHPUT_CLIP
    probe = probe_video(path)
    frames = _decode_all(path, n_frames)
    bare, e2e_same, e2e_clip, analysis_s = [], [], [], []
    bare_cpu_ms, e2e_cpu_ms = [], []  # CPU time per frame (all threads): steadier than wall time when shared
    for _ in range(runs):
        backend = MediaPipeBackend()
        t0, c0 = time.perf_counter(), time.process_time()
        for i, f in enumerate(frames):
            backend.process(i, f)
        bare.append(len(frames) / (time.perf_counter() - t0))
        bare_cpu_ms.append((time.process_time() - c0) * 1000 / len(frames))
        backend.close()

        backend = MediaPipeBackend()
        t0, c0 = time.perf_counter(), time.process_time()
        estimate_pose(probe, backend, max_frames=len(frames))  # decode thread + model, same frames
        e2e_same.append(len(frames) / (time.perf_counter() - t0))
        e2e_cpu_ms.append((time.process_time() - c0) * 1000 / len(frames))
        backend.close()

        backend = MediaPipeBackend()
        t0 = time.perf_counter()
        track = estimate_pose(probe, backend)
        t1 = time.perf_counter()
        analyse_track(track, CaptureTiming(probe.fps, 1.0, "bench"))
        t2 = time.perf_counter()
        backend.close()
        e2e_clip.append(track.n_frames / (t2 - t0))
        analysis_s.append(t2 - t1)
    med = statistics.median
    return {
        "clip": THROUGHPUT_CLIP, "frames_bare": len(frames), "runs": runs,
        "bare_fps": [round(x, 1) for x in bare], "e2e_same_frames_fps": [round(x, 1) for x in e2e_same],
        "e2e_whole_clip_with_analysis_fps": [round(x, 1) for x in e2e_clip],
        "analysis_s": [round(x, 3) for x in analysis_s],
        "median_bare_fps": round(med(bare), 1), "median_e2e_fps": round(med(e2e_clip), 1),
        "ratio_e2e_to_bare": round(med(e2e_clip) / med(bare), 3),
        "ratio_same_frames_to_bare": round(med(e2e_same) / med(bare), 3),
        "realtime_factor": round(med(e2e_clip) / probe.fps, 2),
        "bare_cpu_ms_per_frame": [round(x, 1) for x in bare_cpu_ms],
        "e2e_cpu_ms_per_frame": [round(x, 1) for x in e2e_cpu_ms],
        "best_bare_fps": round(max(bare), 1), "best_e2e_same_frames_fps": round(max(e2e_same), 1),
        "best_e2e_whole_clip_fps": round(max(e2e_clip), 1),
    }


def render_cost(videos: Path, runs: int) -> dict[str, Any]:
    """The annotated-video pass alone (decode, draw, encode) on the 30 fps clip: H.264 vs mp4v.

    One model pass gives the track; each render then re-decodes the clip and never runs the model.
    CPU time counts this process and the ffmpeg child (the encoder runs in its own process).
    """
    import resource
    import tempfile

    from backstride.reports.form_render import render_annotated_video
    from backstride.video.encode import find_ffmpeg, video_codec

    path = videos / THROUGHPUT_CLIP
    probe = probe_video(path)
    backend = MediaPipeBackend()
    track = estimate_pose(probe, backend)
    backend.close()
    analysis = analyse_track(track, CaptureTiming(probe.fps, 1.0, "bench"))
    out: dict[str, Any] = {"clip": THROUGHPUT_CLIP, "frames": track.n_frames, "clip_s": round(track.n_frames / probe.fps, 2),
                           "ffmpeg": find_ffmpeg()}

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # finished children: ffmpeg has exited by then
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            for prefer_h264 in (True, False):
                target = Path(tmp) / f"annotated_{prefer_h264}.mp4"
                t0, c0 = time.perf_counter(), cpu()
                done = render_annotated_video(path, track, analysis, target, prefer_h264=prefer_h264)
                wall, cpu_s = time.perf_counter() - t0, cpu() - c0
                row = out.setdefault(done.codec, {"wall_s": [], "cpu_s": [], "bytes": target.stat().st_size,
                                                  "probed_codec": video_codec(target)})
                row["wall_s"].append(round(wall, 2))
                row["cpu_s"].append(round(cpu_s, 2))
    for codec in ("h264", "mp4v"):
        if codec in out:
            row = out[codec]
            row["median_wall_s"] = statistics.median(row["wall_s"])
            row["fps"] = round(track.n_frames / row["median_wall_s"], 1)
            row["x_real_time"] = round(out["clip_s"] / row["median_wall_s"], 2)
    return out


def make_1080p_minute(src: Path, out: Path, seconds: float = 60.0) -> Path:
    """Loop the clip, scaled to 1080x1920, for ``seconds``; streamed, one frame in memory at a time."""
    import cv2

    if out.exists():
        return out
    fps = 30.0
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), fps, (1080, 1920))
    written = 0
    while written < int(seconds * fps):
        cap = cv2.VideoCapture(str(src))
        while written < int(seconds * fps):
            ok, bgr = cap.read()
            if not ok:
                break
            writer.write(cv2.resize(bgr, (1080, 1920)))
            written += 1
        cap.release()
    writer.release()
    return out


# The child watches its own resident memory with psutil: ru_maxrss would also count memory the
# parent held when it forked, which is not the product's. The ffmpeg encoder of the annotated
# video is a child of its own: counted by proportional set size (PSS), because for an instant
# after fork it shares, and RSS would count twice, all of the parent's pages.
_MEMORY_CHILD = """
import sys, threading, time, tempfile
from pathlib import Path
import psutil
proc, peak = psutil.Process(), {"own": 0, "encoder": 0, "total": 0}
def watch():
    while True:
        own, enc = proc.memory_info().rss, 0
        for child in proc.children(recursive=True):
            try:
                enc += child.memory_full_info().pss
            except psutil.Error:
                pass
        peak["own"], peak["encoder"] = max(peak["own"], own), max(peak["encoder"], enc)
        peak["total"] = max(peak["total"], own + enc)
        time.sleep(0.02)
threading.Thread(target=watch, daemon=True).start()
from backstride.config import Settings
from backstride.workflows.workspace import Workspace
from backstride.workflows import form as wf
ws = Workspace.open(Settings(data_dir=Path(tempfile.mkdtemp())))
t = time.perf_counter()
r = wf.analyse_video(ws, "bench", Path(sys.argv[1]))
print("elapsed_s", round(time.perf_counter() - t, 1))
print("cadence_spm", round(r.cadence_spm, 1))
print("annotated_codec", r.document.get("annotated_video", {}).get("codec"))
time.sleep(0.1)
print("peak_rss_mb", round(peak["own"] / 2**20, 1))
print("peak_encoder_pss_mb", round(peak["encoder"] / 2**20, 1))
print("peak_total_mb", round(peak["total"] / 2**20, 1))
"""


def memory(videos: Path) -> dict[str, Any]:
    clip = make_1080p_minute(videos / THROUGHPUT_CLIP, Path("/tmp/backstride_bench_1080p_60s.mp4"))
    proc = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(clip)], capture_output=True, text=True,
                          check=False)
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    return {"clip": str(clip), "returncode": proc.returncode, "stdout": proc.stdout.strip(),
            "stderr_tail": proc.stderr.strip()[-500:] if proc.returncode else "",
            "peak_rss_mb": float(lines["peak_rss_mb"]) if "peak_rss_mb" in lines else None,
            "peak_total_mb": float(lines["peak_total_mb"]) if "peak_total_mb" in lines else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frames", type=int, default=150)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-render", action="store_true")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    videos = args.shared / "data" / "videos"
    if not (videos / "GROUND_TRUTH.json").is_file():
        sys.exit(f"no annotated clips at {videos}")
    report: dict[str, Any] = {"cpu_count": os.cpu_count(), "load_avg_start": os.getloadavg()}
    if not args.skip_accuracy:
        report["accuracy"] = accuracy(videos)
    if not args.skip_throughput:
        report["throughput"] = throughput(videos, args.runs, args.frames)
        print(json.dumps(report["throughput"], indent=1), flush=True)
    if not args.skip_render:
        report["render"] = render_cost(videos, args.runs)
        print(json.dumps(report["render"], indent=1), flush=True)
    if not args.skip_memory:
        report["memory"] = memory(videos)
        print(json.dumps(report["memory"], indent=1), flush=True)
    report["load_avg_end"] = os.getloadavg()
    text = json.dumps(report, indent=1)
    if args.json_out:
        args.json_out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
