"""Exercise illustrations as self-contained SVG line-art, drawn from the poses in the library.

``exercise_svg(exercise)`` returns one ``<svg>``: a floor line, the props, the figure with the
working limbs in the accent colour (and a heavier stroke, so it survives greyscale), arrows that
follow the real path of the moving point, and, when ``animated``, a SMIL loop between the
keyframes with the end position as a faint ghost. SMIL needs no script and no inline style, so it
runs under a strict Content-Security-Policy and inside ``<img>``. Under
``prefers-reduced-motion`` the loop is hidden and the start position shown still (the rule is in
the SVG's own ``<style>`` and repeated in the web app's stylesheet, for pages whose policy drops
inline styles). ``animated=False`` gives one panel per keyframe, start to end, with no style at
all, for WeasyPrint (PDF), which draws no animation.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from html import escape
from typing import Any

from backstride.library.figure import (
    Body,
    Camera,
    Frame,
    Illustration,
    Prop,
    Vec,
    body_model,
    floor_height,
    frame_points,
    timeline,
    transition,
)
from backstride.library.model import Exercise

SCALE = 100.0          # pixels per metre
MARGIN = 14.0
INK, FAR_INK = "#24313d", "#8d99a6"
ACCENT, FAR_ACCENT = "#c8501a", "#eaa07c"
GHOST = "#b9c3cc"
FLOOR = "#5b6673"
PROP_FILL, PROP_LINE = "#eef1f4", "#7d8894"
MAT_FILL = "#cfe3f2"
BAND = "#2f8a4c"
WATER = "#bfe0f5"
FONT = "DejaVu Sans, Arial, sans-serif"
VIEW_NAMES = {"side": "side view", "side_left": "side view", "front": "front view", "back": "view from behind",
              "top": "view from above", "three_quarter": "three-quarter view",
              "front_high": "front view from above", "side_high": "side view from above",
              "front_left_high": "three-quarter view from above"}
REDUCED_MOTION_CSS = ("@media (prefers-reduced-motion: reduce){.bsf-anim{display:none}"
                      ".bsf-still{display:inline}}")


def reduced_motion_style_hash() -> str:
    """The CSP source for the one inline ``<style>`` an animated figure carries ("sha256-...")."""
    digest = hashlib.sha256(REDUCED_MOTION_CSS.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


_LIMB_POINTS = {
    "arm": ("shoulder", "elbow", "wrist", "hand"),
    "leg": ("hip", "knee", "ankle", "heel", "toe", "ankle"),
}


def _f(v: float) -> str:
    return f"{v:.1f}"


class _Space:
    """World metres -> SVG pixels for one panel."""

    def __init__(self, cam: Camera, lo_x: float, hi_y: float, dx: float = 0.0, width: float = 0.0) -> None:
        self.cam, self.lo_x, self.hi_y, self.dx, self.width = cam, lo_x, hi_y, dx, width
        self._frames: dict[int, tuple[Mapping[str, Vec], dict[str, str]]] = {}

    def frame(self, points: Mapping[str, Vec]) -> dict[str, str]:
        """Every body point of one frame as an "x,y" pixel string (projected once per frame)."""
        hit = self._frames.get(id(points))
        if hit is None or hit[0] is not points:
            xy = {name: "{:.1f},{:.1f}".format(*self.xy(p)) for name, p in points.items()}
            hit = (points, xy)
            self._frames[id(points)] = hit
        return hit[1]

    def xy(self, p: Vec) -> tuple[float, float]:
        x, y, _ = self.cam.project(p)
        return (self.dx + MARGIN + (x - self.lo_x) * SCALE, MARGIN + (self.hi_y - y) * SCALE)

    def pts(self, ps: Iterable[Vec]) -> str:
        return " ".join(f"{_f(a)},{_f(b)}" for a, b in (self.xy(p) for p in ps))


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _box(sp: _Space, x: Sequence[float], y: Sequence[float], z: Sequence[float], fill: str = PROP_FILL,
         line: str = PROP_LINE, cls: str = "") -> str:
    corners = [sp.xy((a, b, c)) for a in x for b in y for c in z]
    hull = _hull([(round(a, 1), round(b, 1)) for a, b in corners])
    pts = " ".join(f"{_f(a)},{_f(b)}" for a, b in hull)
    return (f'<polygon class="prop {cls}" points="{pts}" fill="{fill}" stroke="{line}" stroke-width="1.5" '
            'stroke-linejoin="round"/>')


def _capsule(sp: _Space, a: Vec, b: Vec, width_m: float, fill: str = PROP_FILL, line: str = PROP_LINE) -> str:
    (x1, y1), (x2, y2) = sp.xy(a), sp.xy(b)
    w = width_m * SCALE
    common = f'x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke-linecap="round"'
    return (f'<line {common} stroke="{line}" stroke-width="{_f(w + 3)}"/>'
            f'<line {common} stroke="{fill}" stroke-width="{_f(max(w - 0.5, 0.5))}"/>')


def _circle(sp: _Space, c: Vec, r_m: float, fill: str = PROP_FILL, line: str = PROP_LINE) -> str:
    x, y = sp.xy(c)
    return (f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r_m * SCALE)}" fill="{fill}" stroke="{line}" '
            'stroke-width="1.5"/>')


def _vec(v: Any) -> Vec:
    return (float(v[0]), float(v[1]), float(v[2]) if len(v) > 2 else 0.0)


def _static_prop(sp: _Space, pr: Prop, ill: Illustration, span: Any) -> str:
    """Props that stay where they are (drawn behind the figure)."""
    q = pr.params
    k = pr.kind
    if k == "mat":
        x0, x1 = q.get("x", span[0])
        z0, z1 = q.get("z", span[1])
        return _box(sp, (x0, x1), (0.0, floor_height(ill)), (z0, z1), MAT_FILL, "#7fa9c9", "prop-mat")
    if k in ("step", "bench"):
        x0, x1 = q["x"]
        h = float(q["height"])
        z = q.get("z", [-0.4, 0.4] if k == "step" else [-0.2, 0.2])
        return _box(sp, (x0, x1), (0.0, h), z, cls=f"prop-{k}")
    if k == "chair":
        x0, x1 = q["x"]
        h = float(q["height"])
        back_x = x0 if q.get("back", "left") == "left" else x1 - 0.04
        parts = [_box(sp, (x0 + 0.02, x0 + 0.05), (0.0, h), (-0.2, 0.2)),
                 _box(sp, (x1 - 0.05, x1 - 0.02), (0.0, h), (-0.2, 0.2)),
                 _box(sp, (x0, x1), (h - 0.05, h), (-0.22, 0.22))]
        if q.get("back", "left") != "none":
            parts.append(_box(sp, (back_x, back_x + 0.04), (h, h + 0.42), (-0.22, 0.22)))
        return f'<g class="prop prop-chair">{"".join(parts)}</g>'
    if k in ("wall", "doorway"):
        side = float(q.get("side", 1))
        thick = 0.1 * side
        top = float(q.get("height", 2.1))
        if "z" in q:  # a wall beside the body (plane z = const), seen flat from the side
            z = float(q["z"])
            xr = q.get("x_range", [-0.7, 0.7])
            return _box(sp, xr, (0.0, top), (z, z + thick), "#eef0f2", "#c3cad1", f"prop-{k}")
        x = float(q["x"])
        wall = _box(sp, (x, x + thick), (0.0, top), q.get("z_range", [-1.0, 1.0]), "#e3e7eb", PROP_LINE,
                    f"prop-{k}")
        if ill.view in ("side", "side_left"):
            # hatching on the far face says "solid wall" in greyscale too
            lines = []
            for i in range(int(top / 0.18)):
                (ax, ay), (bx, by) = sp.xy((x + thick, i * 0.18, 0.0)), sp.xy((x + thick * 0.1, i * 0.18 + 0.14, 0.0))
                lines.append(f'<line x1="{_f(ax)}" y1="{_f(ay)}" x2="{_f(bx)}" y2="{_f(by)}" stroke="{PROP_LINE}" '
                             'stroke-width="1"/>')
            wall += "".join(lines)
        return wall
    if k in ("ball", "massage_ball"):
        return _circle(sp, _vec(q["center"]), float(q["radius"]), "#f6e7c8" if k == "ball" else "#f3d6d6")
    if k == "roller":
        c = _vec(q["center"])
        r = float(q["radius"])
        half = float(q.get("length", 0.9)) / 2
        return _capsule(sp, (c[0], c[1], c[2] - half), (c[0], c[1], c[2] + half), 2 * r, "#d9e8d4", "#6f8f67")
    if k == "bar":
        c = _vec(q["center"])
        post_x = c[0] - 0.45  # the bar is held by a bracket on a wall or frame behind the body
        frame = sp.pts([(c[0], c[1], c[2]), (post_x, c[1], c[2]), (post_x, 0.0, c[2])])
        return (f'<polyline points="{frame}" fill="none" stroke="#9aa4ae" stroke-width="4" '
                'stroke-linejoin="round"/>'
                + _capsule(sp, (c[0], c[1], c[2] - 0.6), (c[0], c[1], c[2] + 0.6), 0.05, "#c9ced4", "#4d5863"))
    if k == "pool":
        top = float(q["water_y"])
        (_, ay), (_, by) = sp.xy((0.0, top, 0.0)), sp.xy((0.0, 0.0, 0.0))
        return (f'<rect class="prop prop-pool" x="{_f(sp.dx + 2)}" y="{_f(ay)}" width="{_f(sp.width - 4)}" '
                f'height="{_f(by - ay)}" fill="{WATER}" fill-opacity="0.55"/>'
                f'<line x1="{_f(sp.dx + 2)}" y1="{_f(ay)}" x2="{_f(sp.dx + sp.width - 2)}" y2="{_f(ay)}" '
                'stroke="#4f9bd0" stroke-width="2"/>')
    if k == "bike":
        parts = []
        for cx in q["wheels_x"]:
            parts.append(_circle(sp, (float(cx), 0.34, 0.15), 0.34, "none", "#6b7785"))
        saddle, crank, bars = _vec(q["saddle"]), _vec(q["crank"]), _vec(q["handlebar"])
        hub_b, hub_f = (float(q["wheels_x"][0]), 0.34, 0.15), (float(q["wheels_x"][1]), 0.34, 0.15)
        frame = sp.pts([hub_b, crank, saddle, hub_b])
        front = sp.pts([crank, bars, hub_f])
        parts.append(f'<polyline points="{frame}" fill="none" stroke="#6b7785" stroke-width="3" '
                     'stroke-linejoin="round"/>')
        parts.append(f'<polyline points="{front}" fill="none" stroke="#6b7785" stroke-width="3" '
                     'stroke-linejoin="round"/>')
        return f'<g class="prop prop-bike">{"".join(parts)}</g>'
    return ""


def _point(pts: Mapping[str, Vec], ref: Any) -> Vec:
    if isinstance(ref, str):
        return pts[ref]
    if isinstance(ref, list) and ref and all(isinstance(r, str) for r in ref):
        ps = [pts[r] for r in ref]
        return (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps), sum(p[2] for p in ps) / len(ps))
    return _vec(ref)


# Props that move with the body: a list of (tag, attribute builder) evaluated per frame.
def _moving_prop_shapes(pr: Prop, pts: Mapping[str, Vec], sp: _Space) -> list[tuple[str, dict[str, str]]]:
    q = pr.params
    k = pr.kind
    shapes: list[tuple[str, dict[str, str]]] = []

    def line(a: Vec, b: Vec, color: str, width: float) -> None:
        (x1, y1), (x2, y2) = sp.xy(a), sp.xy(b)
        shapes.append(("line", {"x1": _f(x1), "y1": _f(y1), "x2": _f(x2), "y2": _f(y2), "stroke": color,
                                "stroke-width": _f(width), "stroke-linecap": "round"}))

    def circle(c: Vec, r: float, fill: str, stroke: str) -> None:
        x, y = sp.xy(c)
        shapes.append(("circle", {"cx": _f(x), "cy": _f(y), "r": _f(r * SCALE), "fill": fill, "stroke": stroke,
                                  "stroke-width": "2"}))
    if k == "kettlebell":
        h = _point(pts, q["at"])
        bell = (h[0], h[1] - 0.15, h[2])
        line((h[0] - 0.05, h[1], h[2]), (h[0] + 0.05, h[1], h[2]), "#3d4650", 4)
        line((h[0] - 0.05, h[1], h[2]), (bell[0] - 0.06, bell[1] + 0.05, h[2]), "#3d4650", 3)
        line((h[0] + 0.05, h[1], h[2]), (bell[0] + 0.06, bell[1] + 0.05, h[2]), "#3d4650", 3)
        circle(bell, 0.09, "#5b6570", "#2b333b")
    elif k == "dumbbell":
        h = _point(pts, q["at"])
        line((h[0], h[1], h[2] - 0.12), (h[0], h[1], h[2] + 0.12), "#5b6570", 10)
        circle(h, 0.07, "#5b6570", "#2b333b")
    elif k == "barbell":
        h = _point(pts, q["at"])
        line((h[0], h[1], h[2] - 0.9), (h[0], h[1], h[2] + 0.9), "#4d5863", 4)
        for dz in (-0.65, 0.65):
            circle((h[0], h[1], h[2] + dz), 0.225, "none", "#4d5863")
    elif k in ("band", "strap", "towel"):
        color = {"band": BAND, "strap": "#8a5a2b", "towel": "#4b7fb0"}[k]
        width = {"band": 3.0, "strap": 3.0, "towel": 5.0}[k]
        if "between" in q:
            refs = q["between"]
            for a, b in itertools.pairwise(refs):
                line(_point(pts, a), _point(pts, b), color, width)
        elif "anchor" in q:
            anchor = _vec(q["anchor"])
            for ref in q["to"] if isinstance(q["to"], list) and not isinstance(q["to"][0], (int, float)) \
                    else [q["to"]]:
                line(anchor, _point(pts, ref), color, width)
            circle(anchor, 0.03, "#3d4650", "#3d4650")
        elif "under" in q:
            c = _point(pts, q["under"])
            line((c[0] - 0.12, 0.02, c[2]), (c[0] + 0.12, 0.02, c[2]), color, 8)
    return shapes


def _is_moving_prop(pr: Prop) -> bool:
    return pr.kind in ("kettlebell", "dumbbell", "barbell") or (
        pr.kind in ("band", "strap", "towel") and ("between" in pr.params or "anchor" in pr.params
                                                   or "under" in pr.params))


# ---- the figure ----

@cache
def _parts(ill: Illustration, body: Body) -> list[tuple[str, tuple[str, ...], str, float, str]]:
    """(part name, points, stroke, width px, shape) in drawing order (far to near)."""
    cam = Camera.of(ill.view)
    pts0 = frame_points(ill.keyframes[0], ill, body)
    limb_w = body.limb_radius_m * 2 * SCALE
    parts: list[tuple[float, tuple[str, tuple[str, ...], str, float, str]]] = []
    torso_depth = cam.project(pts0["chest"])[2]

    def limb_depth(side: str, names: tuple[str, ...]) -> float:
        return sum(cam.project(pts0[f"{side}_{n}"])[2] for n in names) / len(names)
    for side in ("left", "right"):
        other = "right" if side == "left" else "left"
        for limb, names in _LIMB_POINTS.items():
            key = f"{side}_{limb}"
            ps = tuple(f"{side}_{n}" for n in names)
            depth = limb_depth(side, names)
            # the farther of a pair is drawn lighter, so the near limb reads in front
            far = depth < limb_depth(other, names) - 0.08
            working = key in ill.working
            color = (FAR_ACCENT if far else ACCENT) if working else (FAR_INK if far else INK)
            parts.append((depth, (key, ps, color, limb_w * (1.35 if working else 1.0), "polyline")))
    trunk_color = ACCENT if "trunk" in ill.working else INK
    for bar in ("shoulder", "hip"):  # a bar across the shoulders and the hips (a point from the side)
        parts.append((torso_depth - 0.001, (f"{bar}s", (f"left_{bar}", f"right_{bar}"), trunk_color,
                                            limb_w * 1.2, "polyline")))
    parts.append((torso_depth + 0.001, ("spine", ("pelvis", "waist", "neck"), trunk_color,
                                        body.trunk_radius_m * 2 * SCALE * 0.8, "polyline")))
    head_depth = cam.project(pts0["head"])[2]
    parts.append((head_depth + 0.001, ("neckline", ("neck", "head"), trunk_color, limb_w * 1.2, "polyline")))
    parts.append((head_depth + 0.002, ("head", ("head",), ACCENT if "head" in ill.working else INK, 2.5, "head")))
    parts.append((head_depth + 0.003, ("nose", ("head", "nose"), ACCENT if "head" in ill.working else INK, 2.5,
                                       "nose")))
    parts.sort(key=lambda p: p[0])
    return [p for _, p in parts]


def _shape_attrs(shape: str, ps: tuple[str, ...], pts: Mapping[str, Vec], sp: _Space,
                 body: Body) -> dict[str, str]:
    if shape == "head":
        x, y = sp.xy(pts["head"])
        return {"cx": _f(x), "cy": _f(y)}
    if shape == "nose":
        h, n = pts["head"], pts["nose"]
        a = tuple(h[i] + (n[i] - h[i]) * 0.78 for i in range(3))
        return {"points": sp.pts([a, n])}  # type: ignore[list-item]
    frame = sp.frame(pts)
    return {"points": " ".join(frame[p] for p in ps)}


def _element(shape: str, color: str, width: float, attrs: Mapping[str, str], body: Body,
             anim: Mapping[str, str] | None = None, ghost: bool = False) -> str:
    inner = ""
    if anim:
        inner = "".join(f'<animate attributeName="{k}" {v}/>' for k, v in anim.items())
    stroke = GHOST if ghost else color
    w = width * (0.7 if ghost else 1.0)
    if shape == "head":
        r = body.head_radius_m * SCALE
        return (f'<circle cx="{attrs["cx"]}" cy="{attrs["cy"]}" r="{_f(r)}" fill="#ffffff" stroke="{stroke}" '
                f'stroke-width="{_f(max(w, 2))}">{inner}</circle>')
    tag = "polygon" if shape == "polygon" else "polyline"
    fill = stroke if shape == "polygon" else "none"
    return (f'<{tag} points="{attrs["points"]}" fill="{fill}" stroke="{stroke}" stroke-width="{_f(w)}" '
            f'stroke-linecap="round" stroke-linejoin="round">{inner}</{tag}>')


def _figure(ill: Illustration, pts: Mapping[str, Vec], sp: _Space, body: Body, ghost: bool = False) -> str:
    out = []
    for _name, ps, color, width, shape in _parts(ill, body):
        out.append(_element(shape, color, width, _shape_attrs(shape, ps, pts, sp, body), body, ghost=ghost))
    for pr in ill.props:
        if _is_moving_prop(pr) and not ghost:
            for tag, attrs in _moving_prop_shapes(pr, pts, sp):
                out.append(f"<{tag} " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + "/>")
    return "".join(out)


def _animated_figure(ill: Illustration, frames: list[Frame], sp: _Space, body: Body) -> str:
    total = frames[-1].time_s
    times = ";".join(f"{f.time_s / total:.4f}".rstrip("0").rstrip(".") or "0" for f in frames)
    timing = f'dur="{total:.2f}s" repeatCount="indefinite" keyTimes="{times}"'
    out = []
    for _name, ps, color, width, shape in _parts(ill, body):
        per_frame = [_shape_attrs(shape, ps, f.points, sp, body) for f in frames]
        anim = {k: f'values="{";".join(a[k] for a in per_frame)}" {timing}' for k in per_frame[0]}
        out.append(_element(shape, color, width, per_frame[0], body, anim))
    for pr in ill.props:
        if not _is_moving_prop(pr):
            continue
        per_frame_shapes = [_moving_prop_shapes(pr, f.points, sp) for f in frames]
        for i, (tag, attrs) in enumerate(per_frame_shapes[0]):
            moving = [k for k in attrs if k in ("x1", "y1", "x2", "y2", "cx", "cy")]
            inner = "".join(f'<animate attributeName="{k}" values="{";".join(s[i][1][k] for s in per_frame_shapes)}" '
                            f'{timing}/>' for k in moving)
            out.append(f"<{tag} " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + f">{inner}</{tag}>")
    return "".join(out)


def _arrow(ill: Illustration, point: str, start: int, end: int, sp: _Space) -> str:
    path = [sp.xy(p[point]) for p in transition(ill, start, end)]
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(path))
    if length < 4:
        return ""
    # keep the arrow clear of the limb tip: trim both ends a little
    trimmed = path[1:-1] if len(path) > 4 else path
    (x1, y1), (x2, y2) = trimmed[-2], trimmed[-1]
    ang = math.atan2(y2 - y1, x2 - x1)
    size = 9.0
    head = [(x2 + math.cos(ang) * size * 0.6, y2 + math.sin(ang) * size * 0.6),
            (x2 + math.cos(ang + 2.5) * size, y2 + math.sin(ang + 2.5) * size),
            (x2 + math.cos(ang - 2.5) * size, y2 + math.sin(ang - 2.5) * size)]
    line = " ".join(f"{_f(a)},{_f(b)}" for a, b in trimmed)
    tip = " ".join(f"{_f(a)},{_f(b)}" for a, b in head)
    return (f'<g class="arrow"><polyline points="{line}" fill="none" stroke="#ffffff" stroke-width="6" '
            f'stroke-linecap="round" stroke-linejoin="round"/><polyline points="{line}" fill="none" '
            f'stroke="{ACCENT}" stroke-width="2.5" stroke-dasharray="5 3" stroke-linecap="round" '
            f'stroke-linejoin="round"/><polygon points="{tip}" fill="{ACCENT}"/></g>')


def _bounds(ill: Illustration, frames: list[Frame], cam: Camera, body: Body) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    pad = body.head_radius_m
    for f in frames:
        for p in f.points.values():
            x, y, _ = cam.project(p)
            xs.append(x)
            ys.append(y)
    lo_x, hi_x, lo_y, hi_y = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    for pr in ill.props:
        q = pr.params
        extra: list[Vec] = []
        if pr.kind in ("ball", "massage_ball", "roller"):
            c, r = _vec(q["center"]), float(q["radius"])
            extra += [(c[0] - r, c[1] - r, c[2]), (c[0] + r, c[1] + r, c[2])]
        elif pr.kind in ("wall", "doorway") and "x" in q:
            x = float(q["x"])
            side = float(q.get("side", 1))
            extra += [(x, 0.0, 0.0), (x + 0.12 * side, 0.2, 0.0)]
        elif pr.kind in ("step", "bench", "chair"):
            x0, x1 = q["x"]
            extra += [(float(x0), 0.0, 0.0), (float(x1), float(q["height"]), 0.0)]
        elif pr.kind == "bar":
            c = _vec(q["center"])
            extra += [(c[0], c[1] + 0.05, c[2]), (c[0] - 0.5, 0.0, c[2])]
        elif pr.kind == "bike":
            for cx in q["wheels_x"]:
                extra += [(float(cx) - 0.36, 0.0, 0.0), (float(cx) + 0.36, 0.0, 0.0)]
        elif pr.kind == "band" and "anchor" in q:
            extra.append(_vec(q["anchor"]))
        elif pr.kind == "mat" and ill.view not in ("side", "side_left", "front", "back"):
            (x0, x1), (z0, z1) = _world_span(ill, frames)
            extra += [(x, 0.0, z) for x in q.get("x", (x0, x1)) for z in q.get("z", (z0, z1))]
        for p in extra:
            x, y, _ = cam.project(p)
            xs.append(x)
            ys.append(y)
            lo_x, hi_x, lo_y, hi_y = min(lo_x, x), max(hi_x, x), min(lo_y, y), max(hi_y, y)
    if ill.view != "top":
        lo_y = min(lo_y, -0.02)
    # a minimum size keeps a small move (a chin tuck) from being blown up to a giant head
    width, height = hi_x - lo_x, hi_y - lo_y
    if width < 1.0:
        lo_x -= (1.0 - width) / 2
        hi_x += (1.0 - width) / 2
    if height < 0.7:
        hi_y += 0.7 - height
    return lo_x, hi_x, lo_y, hi_y


def _floor(sp: _Space, lo_x: float, hi_x: float, ill: Illustration) -> str:
    if ill.camera[1] != 0:
        return ""  # seen from above, the floor is the mat or nothing; a line would cut the figure
    _, y = sp.xy((0.0, 0.0, 0.0))
    x0 = sp.dx + 2
    x1 = sp.dx + MARGIN * 2 + (hi_x - lo_x) * SCALE - 2
    return (f'<line class="floor" x1="{_f(x0)}" y1="{_f(y)}" x2="{_f(x1)}" y2="{_f(y)}" stroke="{FLOOR}" '
            'stroke-width="2" stroke-linecap="round"/>')


def _props_layer(sp: _Space, ill: Illustration, span: Any) -> str:
    return "".join(_static_prop(sp, pr, ill, span) for pr in ill.props if not _is_moving_prop(pr)
                   and pr.kind != "pool")


def _pool_layer(sp: _Space, ill: Illustration, span: Any) -> str:
    return "".join(_static_prop(sp, pr, ill, span) for pr in ill.props if pr.kind == "pool")


def _span_world(lo_x: float, hi_x: float) -> tuple[float, float]:
    return (lo_x - 0.5, hi_x + 0.5)


def _world_span(ill: Illustration, frames: list[Frame]) -> tuple[tuple[float, float], tuple[float, float]]:
    """World x and z ranges the body uses (a mat is laid under them)."""
    xs = [p[0] for f in frames for p in f.points.values()]
    zs = [p[2] for f in frames for p in f.points.values()]
    return (min(xs) - 0.2, max(xs) + 0.2), (min(zs) - 0.2, max(zs) + 0.2)


def title_of(ex: Exercise) -> str:
    ill = ex.illustration
    view = VIEW_NAMES.get(ill.view, "") if ill else ""
    return f"{ex.name}, {view}" if view else ex.name


def description_of(ex: Exercise) -> str:
    ill = ex.illustration
    steps = " ".join(ex.instructions)
    positions = ""
    if ill and len(ill.keyframes) > 1:
        positions = "Positions shown: " + ", then ".join(k.label.lower() for k in ill.keyframes) + ". "
    note = f"{ill.note} " if ill and ill.note else ""
    return f"{positions}{note}Start: {ex.start_position} {steps}".strip()


def render(ex: Exercise, *, animated: bool = True) -> str:
    ill = ex.illustration
    if ill is None:
        raise ValueError(f"{ex.id} has no illustration")
    body = body_model()
    cam = Camera.of(ill.view)
    frames = timeline(ill)
    lo_x, hi_x, lo_y, hi_y = _bounds(ill, frames, cam, body)
    panel_w = (hi_x - lo_x) * SCALE + 2 * MARGIN
    panel_h = (hi_y - lo_y) * SCALE + 2 * MARGIN
    span = _world_span(ill, frames)
    title = title_of(ex)
    label = f"{title}. {ill.note}".strip() if ill.note else title
    out: list[str] = []
    move = animated and ill.animate and len(ill.keyframes) > 1
    if not animated and len(ill.keyframes) > 1:
        n = len(ill.keyframes)
        gap = 10.0
        text_h = 20.0
        total_w = n * panel_w + (n - 1) * gap
        total_h = panel_h + text_h
        for i, kf in enumerate(ill.keyframes):
            sp = _Space(cam, lo_x, hi_y, dx=i * (panel_w + gap), width=panel_w)
            pts = frame_points(kf, ill, body)
            out.append(f'<g class="panel">{_props_layer(sp, ill, span)}{_floor(sp, lo_x, hi_x, ill)}')
            out.append(_figure(ill, pts, sp, body))
            out.append(_pool_layer(sp, ill, span))
            for a in ill.arrows:
                if a.start == i:
                    out.append(_arrow(ill, a.point, a.start, a.end, sp))
            out.append(f'<text x="{_f(sp.dx + panel_w / 2)}" y="{_f(panel_h + 14)}" text-anchor="middle" '
                       f'font-family="{FONT}" font-size="13" fill="{INK}">{i + 1}. {escape(kf.label)}</text></g>')
        if n > 1:
            for i in range(1, n):
                x = i * (panel_w + gap) - gap / 2
                out.append(f'<line x1="{_f(x)}" y1="8" x2="{_f(x)}" y2="{_f(panel_h - 4)}" stroke="#d5dbe1" '
                           'stroke-width="1"/>')
    else:
        total_w, total_h = panel_w, panel_h
        sp = _Space(cam, lo_x, hi_y, width=panel_w)
        out.append(_props_layer(sp, ill, span))
        out.append(_floor(sp, lo_x, hi_x, ill))
        first = frames[0].points
        if move:
            for kf in ill.keyframes[1:]:
                out.append(f'<g class="ghost" opacity="0.9">{_figure(ill, frame_points(kf, ill, body), sp, body, True)}</g>')
            out.append(f'<g class="bsf-anim">{_animated_figure(ill, frames, sp, body)}</g>')
            out.append(f'<g class="bsf-still" display="none">{_figure(ill, first, sp, body)}</g>')
        else:
            if len(ill.keyframes) > 1:
                for kf in ill.keyframes[1:]:
                    out.append(f'<g class="ghost">{_figure(ill, frame_points(kf, ill, body), sp, body, True)}</g>')
            out.append(_figure(ill, first, sp, body))
        out.append(_pool_layer(sp, ill, span))
        for a in ill.arrows:
            out.append(_arrow(ill, a.point, a.start, a.end, sp))
    style = f"<style>{REDUCED_MOTION_CSS}</style>" if move else ""
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="exercise-figure" viewBox="0 0 {_f(total_w)} '
            f'{_f(total_h)}" width="{_f(total_w)}" height="{_f(total_h)}" role="img" '
            f'aria-label="{escape(label)}" data-exercise="{escape(ex.id)}">'
            f"<title>{escape(title)}</title><desc>{escape(description_of(ex))}</desc>{style}"
            f'<rect width="{_f(total_w)}" height="{_f(total_h)}" fill="#ffffff"/>')
    return head + "".join(out) + "</svg>"


@cache
def _cached(exercise_id: str, animated: bool) -> str:
    from backstride.library.loader import load_library

    return render(load_library().get(exercise_id), animated=animated)


def exercise_svg(exercise: Exercise, *, animated: bool = True) -> str:
    """One self-contained ``<svg>`` for an exercise (cached for the packaged library)."""
    from backstride.library.loader import load_library

    lib = load_library()
    if exercise.id in lib and lib.get(exercise.id) is exercise:
        return _cached(exercise.id, animated)
    return render(exercise, animated=animated)


def exercise_svg_by_id(exercise_id: str, *, animated: bool = True) -> str:
    """The illustration of a library exercise; raises NotFoundError for an unknown id."""
    from backstride.library.loader import load_library

    load_library().get(exercise_id)  # the library's own message for an unknown id
    return _cached(exercise_id, animated)

