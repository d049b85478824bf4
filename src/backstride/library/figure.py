"""A small body model for the exercise illustrations: fixed segments posed by joint angles.

Pure geometry, no drawing. A pose is the pelvis position and orientation plus relative joint
angles in degrees; :func:`joints` runs forward kinematics in 3D and returns every joint in world
metres (x forward, y up, z to the body's right, floor at y = 0). A camera (side, front, back,
top or any yaw/pitch) projects them orthographically, so a side plank or a clamshell can be
seen from the front while the segment lengths stay those of one body (``data/body_model.yaml``).

Angle conventions (0 = standing in anatomical neutral):
- ``body`` [pitch, roll, yaw]: the whole figure about the pelvis; pitch +90 lies face down,
  -90 face up; roll + tips towards the right side; yaw turns about the body's own long axis
  (+ to the right), so a figure lying on its back can let its knees fall to one side.
- ``trunk`` (lower back, at the pelvis), ``spine`` (upper back, at the waist) and ``neck``
  [flexion, side bend to the right, rotation to the right]; ``head`` nods (+ chin down);
  ``shrug`` lifts both shoulders (degrees about the base of the neck).
- shoulders and hips [flexion, abduction, external rotation]; elbows and knees flexion;
  wrists bend the hand forwards (+90 puts a palm flat under a vertical arm); ankles + lift the
  toes (dorsiflexion).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from backstride.datafiles import parse_yaml
from backstride.errors import Problem

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]

SIDES = ("left", "right")
# side sign along z (z points to the body's right)
_SIGN = {"left": -1.0, "right": 1.0}
JOINT_ANGLES: dict[str, int] = {  # angle name -> how many values
    "body": 3, "trunk": 3, "spine": 3, "neck": 3, "head": 1, "shrug": 1,
    "left_shoulder": 3, "right_shoulder": 3, "left_elbow": 1, "right_elbow": 1,
    "left_wrist": 1, "right_wrist": 1,
    "left_hip": 3, "right_hip": 3, "left_knee": 1, "right_knee": 1, "left_ankle": 1, "right_ankle": 1,
}
LIMBS = ("left_arm", "right_arm", "left_leg", "right_leg")
WORKING_PARTS = (*LIMBS, "trunk", "head")
POINTS = ("pelvis", "waist", "chest", "neck", "head", "nose",
          *(f"{s}_{p}" for s in SIDES for p in ("shoulder", "elbow", "wrist", "hand", "hip", "thigh", "knee",
                                                  "calf", "ankle", "heel", "toe")))
SURFACES = ("floor", "chair", "step", "bench", "ball", "roller", "wall", "bar")
VIEWS: dict[str, tuple[float, float]] = {  # name -> camera (yaw, pitch) in degrees
    "side": (0.0, 0.0), "side_left": (180.0, 0.0), "front": (90.0, 0.0), "back": (-90.0, 0.0),
    "top": (0.0, 90.0), "three_quarter": (40.0, 12.0), "front_high": (90.0, 35.0), "side_high": (0.0, 30.0),
    "front_left_high": (60.0, 30.0),
}
PROP_KINDS = ("mat", "wall", "chair", "step", "bench", "ball", "roller", "massage_ball", "kettlebell",
              "dumbbell", "barbell", "bar", "band", "towel", "strap", "bike", "pool", "doorway")
MAT_THICKNESS_M = 0.012
LOWER_BACK_SHARE = 0.4  # of the trunk, pelvis to waist: enough to round or arch the back
CONTACT_TOLERANCE_M = 0.03  # a cued contact may float or sink this much (stroke width scale)


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Body:
    height_m: float
    lengths_m: Mapping[str, float]
    ankle_along_foot: float
    trunk_radius_m: float
    limb_radius_m: float

    @property
    def head_radius_m(self) -> float:
        return self.lengths_m["head"] / 2

    def radius(self, point: str) -> float:
        """How far the drawn outline reaches beyond a joint point (for contacts)."""
        if point in ("head", "nose"):
            return self.head_radius_m if point == "head" else 0.0
        if point in ("pelvis", "waist", "chest", "neck"):
            return self.trunk_radius_m
        return self.limb_radius_m


@cache
def body_model() -> Body:
    raw = parse_yaml((resources.files("backstride") / "data" / "body_model.yaml").read_text(encoding="utf-8"))
    h = float(raw["height_m"])
    lengths = {k: float(v) * h for k, v in raw["segments_fraction_of_height"].items()}
    radius = raw["drawing_radius_m"]
    return Body(h, lengths, float(raw["ankle_along_foot"]), float(radius["trunk"]), float(radius["limb"]))


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Keyframe:
    label: str
    pelvis: Vec
    angles: Mapping[str, tuple[float, ...]]
    contacts: Mapping[str, str]           # point -> surface it rests on
    hold_s: float = 0.8
    move_s: float = 1.2                   # time to move from the previous keyframe

    def angle(self, name: str) -> tuple[float, ...]:
        return self.angles.get(name, (0.0,) * JOINT_ANGLES[name])


@dataclass(frozen=True)
class Prop:
    kind: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Arrow:
    point: str
    start: int        # keyframe index
    end: int


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Illustration:
    view: str
    keyframes: tuple[Keyframe, ...]
    working: tuple[str, ...] = ()
    props: tuple[Prop, ...] = ()
    arrows: tuple[Arrow, ...] = ()
    note: str = ""                        # e.g. "Shown for the left leg; then change sides."
    animate: bool = True                  # a hold or a stretch is shown still

    @property
    def camera(self) -> tuple[float, float]:
        return VIEWS[self.view]

    @property
    def has_mat(self) -> bool:
        return any(p.kind == "mat" for p in self.props)


# ---- rotations (3x3 as tuples: plain floats are faster than numpy at this size) ----

def _rx(a: float) -> Mat:
    if a == 0:
        return _I
    c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(a: float) -> Mat:
    if a == 0:
        return _I
    c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rz(a: float) -> Mat:
    if a == 0:
        return _I
    c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


_I: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Mat, b: Mat) -> Mat:
    if b is _I:
        return a
    if a is _I:
        return b
    (a0, a1, a2), (a3, a4, a5), (a6, a7, a8) = a
    (b0, b1, b2), (b3, b4, b5), (b6, b7, b8) = b
    return ((a0 * b0 + a1 * b3 + a2 * b6, a0 * b1 + a1 * b4 + a2 * b7, a0 * b2 + a1 * b5 + a2 * b8),
            (a3 * b0 + a4 * b3 + a5 * b6, a3 * b1 + a4 * b4 + a5 * b7, a3 * b2 + a4 * b5 + a5 * b8),
            (a6 * b0 + a7 * b3 + a8 * b6, a6 * b1 + a7 * b4 + a8 * b7, a6 * b2 + a7 * b5 + a8 * b8))


def _app(m: Mat, v: Vec) -> Vec:
    return (m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2])


def _add(p: Vec, m: Mat, v: Vec) -> Vec:
    d = _app(m, v)
    return (p[0] + d[0], p[1] + d[1], p[2] + d[2])


def _joint3(flex: float, abd: float, rot: float, sign: float) -> Mat:
    # flexion swings the limb forwards (about z), abduction away from the midline (about x),
    # external rotation turns the front of the limb outwards (about its long axis).
    return _mul(_mul(_rz(flex), _rx(-sign * abd)), _ry(-sign * rot))


def joints(pose: Keyframe, body: Body | None = None) -> dict[str, Vec]:
    """Forward kinematics: every point of :data:`POINTS` in world metres."""
    b = body or body_model()
    L = b.lengths_m
    pelvis, get = pose.pelvis, pose.angle
    pitch, roll, yaw = get("body")
    r0 = _mul(_mul(_rz(-pitch), _rx(roll)), _ry(-yaw))
    tf, ts, tt = get("trunk")
    rlow = _mul(r0, _mul(_mul(_rz(-tf), _rx(ts)), _ry(-tt)))
    out: dict[str, Vec] = {"pelvis": pelvis}
    waist = _add(pelvis, rlow, (0.0, L["trunk"] * LOWER_BACK_SHARE, 0.0))
    sf, ss, st = get("spine")
    rt = _mul(rlow, _mul(_mul(_rz(-sf), _rx(ss)), _ry(-st)))
    upper = L["trunk"] * (1 - LOWER_BACK_SHARE)
    neck = _add(waist, rt, (0.0, upper, 0.0))
    out["waist"], out["neck"] = waist, neck
    out["chest"] = _add(waist, rt, (0.0, upper * 0.45, 0.0))
    nf, ns, nt = get("neck")
    rn = _mul(rt, _mul(_mul(_rz(-nf), _rx(ns)), _ry(-nt)))
    top = _add(neck, rn, (0.0, L["neck"], 0.0))
    rhead = _mul(rn, _rz(-get("head")[0]))
    head = _add(top, rhead, (0.0, L["head"] / 2, 0.0))
    out["head"] = head
    out["nose"] = _add(head, rhead, (L["head"] / 2 * 1.25, -L["head"] * 0.05, 0.0))
    shrug = get("shrug")[0]
    for side in SIDES:
        s = _SIGN[side]
        sh = _add(neck, _mul(rt, _rx(s * shrug)), (0.0, 0.0, s * L["shoulder_width"] / 2))
        f, a, r = get(f"{side}_shoulder")
        ra = _mul(rt, _joint3(f, a, r, s))
        el = _add(sh, ra, (0.0, -L["upper_arm"], 0.0))
        rf = _mul(ra, _rz(get(f"{side}_elbow")[0]))
        wr = _add(el, rf, (0.0, -L["forearm"], 0.0))
        rh = _mul(rf, _rz(get(f"{side}_wrist")[0]))
        out[f"{side}_shoulder"], out[f"{side}_elbow"], out[f"{side}_wrist"] = sh, el, wr
        out[f"{side}_hand"] = _add(wr, rh, (0.0, -L["hand"] * 0.8, 0.0))
        hip = _add(pelvis, r0, (0.0, 0.0, s * L["hip_width"] / 2))
        f, a, r = get(f"{side}_hip")
        rl = _mul(r0, _joint3(f, a, r, s))
        kn = _add(hip, rl, (0.0, -L["thigh"], 0.0))
        rs = _mul(rl, _rz(-get(f"{side}_knee")[0]))
        an = _add(kn, rs, (0.0, -L["shank"], 0.0))
        rfoot = _mul(rs, _rz(get(f"{side}_ankle")[0]))
        along = b.ankle_along_foot
        out[f"{side}_hip"], out[f"{side}_knee"], out[f"{side}_ankle"] = hip, kn, an
        out[f"{side}_thigh"] = _add(hip, rl, (0.0, -L["thigh"] / 2, 0.0))
        out[f"{side}_calf"] = _add(kn, rs, (0.0, -L["shank"] / 2, 0.0))
        out[f"{side}_heel"] = _add(an, rfoot, (-L["foot"] * along, -L["ankle_height"], 0.0))
        out[f"{side}_toe"] = _add(an, rfoot, (L["foot"] * (1 - along), -L["ankle_height"], 0.0))
    return out


SEGMENTS: tuple[tuple[str, str, str], ...] = (  # (name, from point, to point) with a fixed length
    ("lower_back", "pelvis", "waist"), ("upper_back", "waist", "neck"),
    ("left_collarbone", "neck", "left_shoulder"), ("right_collarbone", "neck", "right_shoulder"),
    ("hips", "left_hip", "right_hip"),
    *((f"{s}_upper_arm", f"{s}_shoulder", f"{s}_elbow") for s in SIDES),
    *((f"{s}_forearm", f"{s}_elbow", f"{s}_wrist") for s in SIDES),
    *((f"{s}_thigh", f"{s}_hip", f"{s}_knee") for s in SIDES),
    *((f"{s}_shank", f"{s}_knee", f"{s}_ankle") for s in SIDES),
    *((f"{s}_foot", f"{s}_heel", f"{s}_toe") for s in SIDES),
)


def segment_lengths(points: Mapping[str, Vec]) -> dict[str, float]:
    return {name: math.dist(points[a], points[b]) for name, a, b in SEGMENTS}


# ---- motion between keyframes ----

def _ease(t: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * t)


def blend(a: Keyframe, b: Keyframe, t: float) -> Keyframe:
    """A pose between two keyframes (angles and pelvis interpolated; contacts those of ``a``)."""
    u = _ease(t)
    names = set(a.angles) | set(b.angles)
    angles = {n: tuple(x + (y - x) * u for x, y in zip(a.angle(n), b.angle(n), strict=True)) for n in names}
    pelvis = tuple(x + (y - x) * u for x, y in zip(a.pelvis, b.pelvis, strict=True))
    return Keyframe(a.label, pelvis, angles, a.contacts if t < 0.5 else b.contacts)  # type: ignore[arg-type]


def floor_height(ill: Illustration) -> float:
    return MAT_THICKNESS_M if ill.has_mat else 0.0


def lowest_clearance(points: Mapping[str, Vec], ill: Illustration, body: Body | None = None) -> float:
    """Smallest gap between the drawn body and the floor (negative = through it)."""
    b = body or body_model()
    floor = floor_height(ill)
    return min(p[1] - b.radius(name) - floor for name, p in points.items() if name != "nose")


@lru_cache(maxsize=8192)
def frame_points(pose: Keyframe, ill: Illustration, body: Body | None = None) -> dict[str, Vec]:
    """Joints of a pose, lifted if an in-between pose would dip through the floor (cached: do not mutate)."""
    pts = joints(pose, body)
    gap = lowest_clearance(pts, ill, body)
    if gap < 0 and ill.view != "top":
        pts = {k: (v[0], v[1] - gap, v[2]) for k, v in pts.items()}
    return pts


@dataclass(frozen=True)
class Frame:
    pose: Keyframe
    points: Mapping[str, Vec]
    time_s: float


@lru_cache(maxsize=512)
def _blend_cached(a: Keyframe, b: Keyframe, k: int, steps: int) -> Keyframe:
    return blend(a, b, k / steps)


MAX_STEP_DEG = 15.0  # average joint turn between two frames; the browser draws straight lines between them


def steps_between(a: Keyframe, b: Keyframe) -> int:
    """Enough frames that no joint turns more than about MAX_STEP_DEG per frame (3 to 12)."""
    turn = max((abs(x - y) for n in set(a.angles) | set(b.angles) for x, y in zip(a.angle(n), b.angle(n),
                                                                                   strict=True)), default=0.0)
    return max(3, min(12, math.ceil(turn / MAX_STEP_DEG)))


def timeline(ill: Illustration) -> list[Frame]:
    """Frames of one loop: each keyframe held, then eased to the next, and back to the first."""
    frames: list[Frame] = []
    t = 0.0
    kfs = ill.keyframes
    n = len(kfs)
    for i, kf in enumerate(kfs):
        pts = frame_points(kf, ill)
        frames.append(Frame(kf, pts, t))
        t += kf.hold_s
        frames.append(Frame(kf, pts, t))
        if n == 1:
            break
        nxt = kfs[(i + 1) % n]
        steps = steps_between(kf, nxt)
        for k in range(1, steps):
            pose = _blend_cached(kf, nxt, k, steps)
            t_k = t + nxt.move_s * k / steps
            frames.append(Frame(pose, frame_points(pose, ill), t_k))
        t += nxt.move_s
    if n > 1:
        frames.append(Frame(kfs[0], frames[0].points, t))
    return frames


def transition(ill: Illustration, start: int, end: int, steps: int = 4) -> list[dict[str, Vec]]:
    """Poses from keyframe ``start`` to ``end`` (for arrows that follow the real path)."""
    a, b = ill.keyframes[start], ill.keyframes[end]
    return [frame_points(_blend_cached(a, b, k, steps), ill) for k in range(steps + 1)]


# ---- contacts ----

def contact_error(point: str, surface: str, pts: Mapping[str, Vec], ill: Illustration,
                  body: Body | None = None) -> float | None:
    """Signed gap (m) between a body point's outline and the surface it should rest on.

    None when the illustration has no such surface (a data error the tests report)."""
    b = body or body_model()
    p = pts[point]
    r = b.radius(point)
    if surface == "floor":
        return p[1] - r - floor_height(ill)
    props = [pr for pr in ill.props if _surface_of(pr.kind) == surface]
    if not props:
        return None
    best: float | None = None
    for pr in props:
        gap = _prop_gap(pr, p, r)
        if gap is not None and (best is None or abs(gap) < abs(best)):
            best = gap
    return best


def _surface_of(kind: str) -> str:
    return {"massage_ball": "roller", "doorway": "wall"}.get(kind, kind)


def _prop_gap(pr: Prop, p: Vec, r: float) -> float | None:
    q = pr.params
    if pr.kind in ("chair", "bench", "step"):
        return p[1] - r - float(q["height"])
    if pr.kind in ("ball", "massage_ball"):
        c = q["center"]
        return math.dist(p, c) - r - float(q["radius"])
    if pr.kind == "roller":
        c = q["center"]
        return math.dist((p[0], p[1]), (c[0], c[1])) - r - float(q["radius"])
    if pr.kind in ("wall", "doorway"):
        return abs(p[2] - float(q["z"])) - r if "z" in q else abs(p[0] - float(q["x"])) - r
    if pr.kind == "bar":
        c = q["center"]
        return max(0.0, math.dist((p[0], p[1]), (c[0], c[1])) - 0.06)
    return None


def check_illustration(ill: Illustration, body: Body | None = None) -> list[Problem]:
    """Every cued contact touches its surface in its keyframe; nothing sinks through the floor."""
    b = body or body_model()
    problems: list[Problem] = []
    for i, kf in enumerate(ill.keyframes):
        pts = joints(kf, b)
        for point, surface in kf.contacts.items():
            gap = contact_error(point, surface, pts, ill, b)
            if gap is None:
                problems.append(Problem(f"illustration.keyframes[{i}].contacts.{point}",
                                        f"rests on a {surface}, but no {surface} is drawn"))
            elif abs(gap) > CONTACT_TOLERANCE_M:
                problems.append(Problem(f"illustration.keyframes[{i}].contacts.{point}",
                                        f"should touch the {surface} but is {gap * 100:+.1f} cm from it"))
        if ill.view != "top":
            gap = lowest_clearance(pts, ill, b)
            if gap < -CONTACT_TOLERANCE_M:
                problems.append(Problem(f"illustration.keyframes[{i}]",
                                        f"goes {-gap * 100:.1f} cm through the floor"))
    return problems


# ---- reading the ``illustration`` block of an exercise file ----

def _floats(value: Any, n: int) -> tuple[float, ...] | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (float(value),) + (0.0,) * (n - 1)
    if isinstance(value, list) and 1 <= len(value) <= n and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return tuple(float(v) for v in value) + (0.0,) * (n - len(value))
    return None


def parse_illustration(raw: Any, fail: Any) -> Illustration | None:
    """Build an :class:`Illustration`; ``fail(field, message, allowed=None)`` collects problems."""
    if not isinstance(raw, dict):
        fail("illustration", "must be a mapping with view and keyframes")
        return None
    view = raw.get("view", "side")
    if view not in VIEWS:
        fail("illustration.view", f"{view!r} is not a view", ", ".join(VIEWS))
        view = "side"
    kf_raw = raw.get("keyframes")
    if not isinstance(kf_raw, list) or not 1 <= len(kf_raw) <= 4:
        fail("illustration.keyframes", "must list 1 to 4 poses")
        return None
    keyframes: list[Keyframe] = []
    for i, k in enumerate(kf_raw):
        where = f"illustration.keyframes[{i}]"
        if not isinstance(k, dict):
            fail(where, "must be a mapping of joint angles")
            continue
        pelvis = _floats(k.get("pelvis"), 3)
        if pelvis is None or not isinstance(k.get("pelvis"), list) or len(k["pelvis"]) != 3:
            fail(f"{where}.pelvis", "must be [x, y, z] in metres")
            pelvis = (0.0, 1.0, 0.0)
        angles: dict[str, tuple[float, ...]] = {}
        for name, n in JOINT_ANGLES.items():
            if name in k:
                vals = _floats(k[name], n)
                if vals is None or any(abs(v) > 360 for v in vals):
                    fail(f"{where}.{name}", f"must be up to {n} angles in degrees")
                    continue
                angles[name] = vals
        contacts_raw = k.get("contacts", {}) or {}
        contacts: dict[str, str] = {}
        if not isinstance(contacts_raw, dict):
            fail(f"{where}.contacts", "must map a body point to the surface it rests on")
        else:
            for point, surface in contacts_raw.items():
                if point not in POINTS:
                    fail(f"{where}.contacts", f"{point!r} is not a body point", ", ".join(POINTS))
                elif surface not in SURFACES:
                    fail(f"{where}.contacts.{point}", f"{surface!r} is not a surface", ", ".join(SURFACES))
                else:
                    contacts[point] = surface
        unknown = set(k) - set(JOINT_ANGLES) - {"label", "pelvis", "contacts", "hold_s", "move_s"}
        for key in sorted(unknown):
            fail(f"{where}.{key}", "is not a keyframe field", ", ".join(sorted(JOINT_ANGLES)))
        hold, move = k.get("hold_s", 0.8), k.get("move_s", 1.2)
        if not isinstance(hold, (int, float)) or not 0 <= hold <= 10 or not isinstance(move, (int, float)) \
                or not 0.2 <= move <= 10:
            fail(where, "hold_s must be 0-10 s and move_s 0.2-10 s")
            hold, move = 0.8, 1.2
        label = str(k.get("label") or ("Start" if i == 0 else f"Position {i + 1}"))
        keyframes.append(Keyframe(label, (pelvis[0], pelvis[1], pelvis[2]), angles, contacts, float(hold),
                                  float(move)))
    working = raw.get("working", []) or []
    if not isinstance(working, list) or any(w not in WORKING_PARTS for w in working):
        fail("illustration.working", "must list body parts", ", ".join(WORKING_PARTS))
        working = []
    props: list[Prop] = []
    for j, p in enumerate(raw.get("props", []) or []):
        if not isinstance(p, dict) or p.get("kind") not in PROP_KINDS:
            fail(f"illustration.props[{j}]", "must have a known kind", ", ".join(PROP_KINDS))
            continue
        props.append(Prop(str(p["kind"]), {k: v for k, v in p.items() if k != "kind"}))
    arrows: list[Arrow] = []
    for j, a in enumerate(raw.get("arrows", []) or []):
        ok = (isinstance(a, dict) and a.get("point") in POINTS and isinstance(a.get("from", 0), int)
              and isinstance(a.get("to", 1), int)
              and 0 <= a.get("from", 0) < len(keyframes) and 0 <= a.get("to", 1) < len(keyframes))
        if not ok:
            fail(f"illustration.arrows[{j}]", "must name a body point and two keyframe numbers (from 0)")
            continue
        arrows.append(Arrow(a["point"], a.get("from", 0), a.get("to", 1)))
    unknown = set(raw) - {"view", "keyframes", "working", "props", "arrows", "note", "animate"}
    for key in sorted(unknown):
        fail(f"illustration.{key}", "is not an illustration field")
    if not keyframes:
        return None
    return Illustration(view=view, keyframes=tuple(keyframes), working=tuple(working), props=tuple(props),
                        arrows=tuple(arrows), note=str(raw.get("note", "") or ""),
                        animate=bool(raw.get("animate", len(keyframes) > 1)))


def iter_points(frames: list[Frame]) -> Iterator[Vec]:
    for f in frames:
        yield from f.points.values()


@dataclass(frozen=True)
class Camera:
    right: Vec
    up: Vec
    toward: Vec   # from the scene to the camera (depth: larger is nearer)
    mirror: bool = field(default=False)

    @classmethod
    def of(cls, view: str) -> Camera:
        yaw, pitch = VIEWS[view]
        cy, sy = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
        cp, sp = math.cos(math.radians(pitch)), math.sin(math.radians(pitch))
        toward = (sy * cp, sp, cy * cp)
        right = (cy, 0.0, -sy)
        up = (toward[1] * right[2] - toward[2] * right[1], toward[2] * right[0] - toward[0] * right[2],
              toward[0] * right[1] - toward[1] * right[0])
        return cls(right, up, toward)

    def project(self, p: Vec) -> tuple[float, float, float]:
        """(image x, image y up, depth) in metres."""
        r, u, t = self.right, self.up, self.toward
        return (p[0] * r[0] + p[1] * r[1] + p[2] * r[2], p[0] * u[0] + p[1] * u[1] + p[2] * u[2],
                p[0] * t[0] + p[1] * t[1] + p[2] * t[2])
