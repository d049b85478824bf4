"""Outputs for people: an annotated MP4 and a PNG of the key signals with the detected events.

Both are drawn in a second pass from the stored pose track and analysis; the model never runs
again. The video is decoded once more (streamed, a few frames in memory) and drawn at most
720 px on its long side to keep files small. It is encoded as H.264 so that browsers play it
(see :mod:`backstride.video.encode`), or as mp4v when no H.264 encoder is installed. OpenCV and
matplotlib are imported lazily.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from backstride.video import track as lm
from backstride.video.track import SKELETON, PoseTrack

if TYPE_CHECKING:
    from backstride.form.analysis import FormAnalysis

MAX_SIDE_PX = 720
CONTACT_MARK_S = 0.12  # how long a contact marker stays on screen (playback seconds)
_LEFT_BGR, _RIGHT_BGR, _MID_BGR = (255, 140, 30), (40, 60, 235), (240, 240, 240)


@dataclass(frozen=True)
class RenderedVideo:
    path: Path
    codec: str  # "h264" (browsers play it) or "mp4v" (desktop players only)
    n_frames: int

    @property
    def browser_playable(self) -> bool:
        from backstride.video.encode import H264

        return self.codec == H264


def _colour(a: int, b: int) -> tuple[int, int, int]:
    left = {lm.LEFT_SHOULDER, lm.LEFT_ELBOW, lm.LEFT_WRIST, lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE,
            lm.LEFT_HEEL, lm.LEFT_FOOT}
    right = {lm.RIGHT_SHOULDER, lm.RIGHT_ELBOW, lm.RIGHT_WRIST, lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE,
             lm.RIGHT_HEEL, lm.RIGHT_FOOT}
    if a in left and b in left:
        return _LEFT_BGR
    if a in right and b in right:
        return _RIGHT_BGR
    return _MID_BGR


def render_annotated_video(video: Path, track: PoseTrack, analysis: FormAnalysis, out: Path,
                           *, progress: Callable[[int, int], None] | None = None,
                           prefer_h264: bool = True, poster: Path | None = None) -> RenderedVideo:
    """Skeleton, contact markers and live angles over the original frames.

    ``poster``: where to write the annotated frame of the first foot contact as a JPEG, the still a
    page shows before the video plays (a clip's first frame is often empty, before the runner
    arrives)."""
    import cv2

    from backstride.video.decode import FrameStream
    from backstride.video.encode import VideoWriter

    scale = min(1.0, MAX_SIDE_PX / max(track.width_px, track.height_px))
    size = (max(2, int(track.width_px * scale) // 2 * 2), max(2, int(track.height_px * scale) // 2 * 2))
    writer = VideoWriter(out, size, float(track.fps), prefer_h264=prefer_h264)
    sig = analysis.signals
    contacts = analysis.events.contact_frames
    sides = analysis.events.sides
    mark_frames = max(1, round(CONTACT_MARK_S * track.fps))
    trunk = _trunk_angle_series(analysis)
    sx, sy = size[0] / track.width_px, size[1] / track.height_px
    font = cv2.FONT_HERSHEY_SIMPLEX
    # Readable on a phone: about 1/24 of the frame height per line, white on a dark band.
    fs = max(0.5, size[1] / 560)
    longest = "knee flexion 180 deg, cadence 200 steps/min"[:24]   # the widest line drawn
    fs = min(fs, fs * (size[0] - 24) / max(1, cv2.getTextSize(longest, font, fs, 2)[0][0]))
    thick = max(1, round(fs * 1.8))
    poster_frame = round(float(contacts[0])) if poster is not None and len(contacts) else -1
    written = 0
    with writer:
        for frame in FrameStream(video, fps=track.fps, estimate_motion=False, max_frames=track.n_frames):
            i = frame.index
            img = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2BGR)
            if img.shape[1] != size[0] or img.shape[0] != size[1]:
                img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
            row = track.landmarks[i] if i < track.n_frames else None
            if row is not None and np.isfinite(row[0, 0]):
                pts = {k: (int(row[k, 0] * track.width_px * sx), int(row[k, 1] * track.height_px * sy))
                       for k in range(row.shape[0]) if row[k, 3] >= 0.3}
                for a, b in SKELETON:
                    if a in pts and b in pts:
                        cv2.line(img, pts[a], pts[b], _colour(a, b), 2, cv2.LINE_AA)
                for p in pts.values():
                    cv2.circle(img, p, 3, _MID_BGR, -1, cv2.LINE_AA)
            recent = np.nonzero((contacts <= i + 0.5) & (contacts > i - mark_frames))[0]
            for k in recent:
                side = sides[k]
                feet = analysis.events.feet
                if len(feet) == len(sides) and feet[k] is None:
                    continue  # the foot in contact could not be told: ring nothing rather than a guess
                seen = feet[k] if len(feet) == len(sides) else side
                ankle = lm.LEFT_ANKLE if seen == "L" else lm.RIGHT_ANKLE
                f = round(contacts[k])
                if 0 <= f < sig.n_frames and np.all(np.isfinite(sig.xy[ankle][f])):
                    p = (int(sig.xy[ankle][f][0] * sx), int(sig.xy[ankle][f][1] * sy))
                    colour = _LEFT_BGR if side == "L" else _RIGHT_BGR if side == "R" else (0, 220, 255)
                    cv2.circle(img, p, int(10 * fs + 6), colour, 3, cv2.LINE_AA)
                    cv2.putText(img, f"{side or ''} contact", (p[0] + 12, p[1] - 12), font, fs, colour, 2, cv2.LINE_AA)
            lines = [f"cadence {analysis.cadence_spm:.0f} steps/min"]
            if trunk is not None and i < trunk.size and np.isfinite(trunk[i]):
                lines.append(f"trunk {trunk[i]:+.0f} deg")
            knee = _knee_angle(sig, i)
            if knee is not None:
                lines.append(f"knee flexion {knee:.0f} deg")
            line_h = int(34 * fs)
            width = max(cv2.getTextSize(t, font, fs, thick)[0][0] for t in lines) + 20
            band = img[0:line_h * len(lines) + 12, 0:min(width, img.shape[1])]
            band[:] = (band * 0.35).astype(band.dtype)   # darken behind the text for contrast
            for n_line, text in enumerate(lines):
                y = int(line_h * (n_line + 1) - 6 * fs + 4)
                cv2.putText(img, text, (10, y), font, fs, (255, 255, 255), thick, cv2.LINE_AA)
            if i == poster_frame and poster is not None:
                cv2.imwrite(str(poster), img, [cv2.IMWRITE_JPEG_QUALITY, 85])
            writer.write(img)
            written += 1
            if progress is not None and i % 30 == 0:
                progress(i + 1, track.n_frames)
    return RenderedVideo(Path(out), writer.codec, written)


def _trunk_angle_series(analysis: FormAnalysis) -> np.ndarray | None:
    sig = analysis.signals
    hip, sh = sig.hip_mid(), sig.shoulder_mid()
    if analysis.capture.view.startswith("sagittal"):
        return np.asarray(np.degrees(np.arctan2((sh[:, 0] - hip[:, 0]) * sig.direction, hip[:, 1] - sh[:, 1])))
    return np.asarray(np.degrees(np.arctan2(sh[:, 0] - hip[:, 0], hip[:, 1] - sh[:, 1])))


def _knee_angle(sig: object, i: int) -> float | None:
    from backstride.form.metrics import angle_at
    from backstride.form.signals import Signals

    assert isinstance(sig, Signals)
    if not 0 <= i < sig.n_frames:
        return None
    best = None
    for h, k, a in ((lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE), (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE)):
        ang = angle_at(sig.xy[h][i], sig.xy[k][i], sig.xy[a][i])
        if np.isfinite(ang):
            flex = 180.0 - ang
            best = flex if best is None else min(best, flex)  # the straighter leg: usually the stance leg
    return best


def render_signals_png(analysis: FormAnalysis, out: Path) -> Path:
    """Three panels: foot position (the contact signal), pelvis height, trunk angle; contacts marked."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from backstride.form.events import forward_ankles

    sig = analysis.signals
    t = sig.t_s
    fig, axes = plt.subplots(3, 1, figsize=(10, 7), sharex=True)
    try:
        if analysis.capture.view.startswith("sagittal"):
            fl, fr = forward_ankles(sig)
            axes[0].plot(t, fl, color="#1f77b4", label="left ankle")
            axes[0].plot(t, fr, color="#d62728", label="right ankle")
            axes[0].set_ylabel("ahead of hip\n(leg lengths)")
        else:
            axes[0].plot(t, -sig.xy[lm.LEFT_ANKLE][:, 1] / sig.leg_px, color="#1f77b4", label="left ankle")
            axes[0].plot(t, -sig.xy[lm.RIGHT_ANKLE][:, 1] / sig.leg_px, color="#d62728", label="right ankle")
            axes[0].set_ylabel("ankle height\n(leg lengths)")
        hip_y = -sig.hip_mid()[:, 1] / sig.leg_px
        axes[1].plot(t, hip_y - np.nanmedian(hip_y), color="#444444")
        axes[1].set_ylabel("pelvis height\n(leg lengths)")
        trunk = _trunk_angle_series(analysis)
        if trunk is not None:
            axes[2].plot(t, trunk, color="#2ca02c")
        axes[2].set_ylabel("trunk angle\n(deg)")
        axes[2].set_xlabel("time (s, real time)")
        for f, side in zip(analysis.events.contact_frames, analysis.events.sides, strict=True):
            colour = "#1f77b4" if side == "L" else "#d62728" if side == "R" else "#999999"
            for ax in axes:
                ax.axvline(f / sig.real_fps, color=colour, linestyle="--", linewidth=0.8, alpha=0.7)
        axes[0].legend(loc="upper right", fontsize=8)
        axes[0].set_title(f"Contacts (dashed: blue left, red right) - cadence {analysis.cadence_spm:.0f} steps/min, "
                          f"view {analysis.capture.view}")
        fig.tight_layout()
        fig.savefig(out, dpi=90)
    finally:
        plt.close(fig)
    return out
