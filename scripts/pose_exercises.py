"""Author the exercise poses: approximate angles in, solved contacts out, into each exercise YAML.

A maintenance tool, not part of the app. For every exercise below it takes the keyframes as
written here, moves the pelvis and the angles named in ``free`` just enough (least squares) for
every listed contact to touch its surface, rounds the result and writes it as the
``illustration:`` block of ``src/backstride/data/exercises/<id>.yaml``. The YAML is the source of
truth afterwards; edit it by hand or change this file and run it again:

    .venv/bin/python scripts/pose_exercises.py            # all exercises
    .venv/bin/python scripts/pose_exercises.py bird_dog   # some
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.optimize import least_squares

from backstride.library.figure import (
    JOINT_ANGLES,
    Illustration,
    body_model,
    contact_error,
    floor_height,
    joints,
    parse_illustration,
)

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "src" / "backstride" / "data" / "exercises"
HIP_Y = 0.928  # pelvis height standing (ankle height + shank + thigh)

FEET = {"left_heel": "floor", "left_toe": "floor", "right_heel": "floor", "right_toe": "floor"}


def feet(*sides: str, part: tuple[str, ...] = ("heel", "toe"), on: str = "floor") -> dict[str, str]:
    return {f"{s}_{p}": on for s in sides for p in part}


def kf(label: str, pelvis: tuple[float, float, float] = (0.0, HIP_Y, 0.0), contacts: dict[str, str] | None = None,
       free: tuple[str, ...] = ("pelvis.1",), hold: float | None = None, move: float | None = None,
       **angles: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"label": label, "pelvis": list(pelvis)}
    out.update(angles)
    out["contacts"] = dict(contacts or {})
    out["_free"] = free
    if hold is not None:
        out["hold_s"] = hold
    if move is not None:
        out["move_s"] = move
    return out


SPECS: dict[str, dict[str, Any]] = {}


def spec(ex_id: str, *keyframes: dict[str, Any], view: str = "side", working: tuple[str, ...] = (),
         props: tuple[dict[str, Any], ...] = (), arrows: tuple[dict[str, Any], ...] = (), note: str = "",
         animate: bool | None = None) -> None:
    body: dict[str, Any] = {"view": view}
    if note:
        body["note"] = note
    if animate is not None:
        body["animate"] = animate
    if working:
        body["working"] = list(working)
    if props:
        body["props"] = [dict(p) for p in props]
    if arrows:
        body["arrows"] = [dict(a) for a in arrows]
    body["keyframes"] = list(keyframes)
    SPECS[ex_id] = body


def arrow(point: str, a: int = 0, b: int = 1) -> dict[str, Any]:
    return {"point": point, "from": a, "to": b}


MAT = {"kind": "mat"}

# ---------------------------------------------------------------- the poses

# the long list lives in scripts/pose_specs.py; main() loads it


# ---------------------------------------------------------------- solving

def _get(k: dict[str, Any], name: str) -> float:
    base, _, idx = name.partition(".")
    i = int(idx or 0)
    if base == "pelvis":
        return float(k["pelvis"][i])
    v = k.get(base, 0)
    vals = [v] if isinstance(v, (int, float)) else list(v)
    vals += [0.0] * (JOINT_ANGLES[base] - len(vals))
    return float(vals[i])


def _set(k: dict[str, Any], name: str, value: float) -> None:
    base, _, idx = name.partition(".")
    i = int(idx or 0)
    if base == "pelvis":
        k["pelvis"][i] = value
        return
    v = k.get(base, 0)
    vals = [v] if isinstance(v, (int, float)) else list(v)
    vals += [0.0] * (JOINT_ANGLES[base] - len(vals))
    vals[i] = value
    k[base] = vals


def _surface(kind: str) -> str:
    return {"massage_ball": "roller", "doorway": "wall"}.get(kind, kind)


def _illustration(body: dict[str, Any]) -> Illustration:
    problems: list[str] = []
    clean = {**body, "keyframes": [{kk: vv for kk, vv in k.items() if not kk.startswith("_")}
                                   for k in body["keyframes"]]}
    ill = parse_illustration(clean, lambda f, m, a=None: problems.append(f"{f}: {m}"))
    if problems or ill is None:
        raise SystemExit("; ".join(problems))
    return ill


def pt(name: str, kf: int = 0, dx: float = 0.0, dy: float = 0.0, dz: float = 0.0, axis: int | None = None) -> Any:
    """A prop coordinate taken from a body point of a solved keyframe (a bar where the hands are)."""
    return {"$pt": name, "kf": kf, "d": [dx, dy, dz], "axis": axis}


def _has_marker(v: Any) -> bool:
    if isinstance(v, dict):
        return "$pt" in v or any(_has_marker(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_marker(x) for x in v)
    return False


def _resolve(v: Any, body: dict[str, Any]) -> Any:
    if isinstance(v, dict) and "$pt" in v:
        k = {kk: vv for kk, vv in body["keyframes"][v["kf"]].items() if not kk.startswith("_")}
        kf_obj = _illustration({"view": body["view"], "keyframes": [k]}).keyframes[0]
        p = joints(kf_obj)[v["$pt"]]
        q = [round(p[i] + v["d"][i], 3) for i in range(3)]
        return q if v["axis"] is None else q[v["axis"]]
    if isinstance(v, dict):
        return {kk: _resolve(vv, body) for kk, vv in v.items()}
    if isinstance(v, list):
        return [_resolve(x, body) for x in v]
    return v


def solve(ex_id: str, body: dict[str, Any]) -> dict[str, Any]:
    all_props = body.get("props", [])
    body["props"] = [p for p in all_props if not _has_marker(p)]
    resolved = False
    for i, k in enumerate(body["keyframes"]):
        if i >= 1 and not resolved:
            body["props"] = [_resolve(p, body) for p in all_props]
            resolved = True
        ill = _illustration(body)
        free = tuple(k.get("_free", ("pelvis.1",)))
        contacts = k.get("contacts", {})
        if not contacts or not free:
            continue
        # feet and hands may always turn a little so soles and palms sit flat and toes stay out of the floor
        free = free + tuple(n for n in ("left_ankle", "right_ankle", "left_wrist", "right_wrist") if n not in free)
        contacts = {p: srf for p, srf in contacts.items()
                    if srf == "floor" or any(_surface(pr["kind"]) == srf for pr in body["props"])}
        if not contacts:
            continue
        x0 = np.array([_get(k, n) for n in free])
        scale = np.array([0.1 if n.startswith("pelvis") else 10.0 for n in free])

        def resid(x: np.ndarray, k: dict[str, Any] = k, free: tuple[str, ...] = free,
                  x0: np.ndarray = x0, scale: np.ndarray = scale, contacts: dict[str, str] = contacts,
                  ill: Illustration = ill) -> np.ndarray:
            for n, v in zip(free, x, strict=True):
                _set(k, n, float(v))
            kf_obj = _illustration({**body, "arrows": [], "keyframes": [k]}).keyframes[0]
            pts = joints(kf_obj)
            r = [contact_error(p, s, pts, ill) or 0.0 for p, s in contacts.items()]
            if ill.view != "top":
                floor = floor_height(ill)
                b = body_model()
                r += [min(0.0, q[1] - b.radius(name) - floor) * 2 for name, q in pts.items() if name != "nose"]
            reg = list(0.003 * (x - x0) / scale)
            return np.array(r + reg)
        sol = least_squares(resid, x0)
        for n, v in zip(free, sol.x, strict=True):
            _set(k, n, round(float(v), 3 if n.startswith("pelvis") else 1))
    if not resolved:
        body["props"] = [_resolve(p, body) for p in all_props]
    if not body["props"]:
        del body["props"]
    for k in body["keyframes"]:
        k.pop("_free", None)
        for name in list(k):
            if name in JOINT_ANGLES:
                v = k[name]
                vals = [v] if isinstance(v, (int, float)) else [round(float(x), 1) for x in v]
                while len(vals) > 1 and vals[-1] == 0:
                    vals.pop()
                k[name] = vals[0] if len(vals) == 1 else vals
        k["pelvis"] = [round(float(v), 3) for v in k["pelvis"]]
        if not k["contacts"]:
            del k["contacts"]
    return body


def write(ex_id: str, body: dict[str, Any]) -> None:
    path = FOLDER / f"{ex_id}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^illustration:.*?(?=^\S|\Z)", "", text).rstrip("\n") + "\n"
    block = yaml.safe_dump({"illustration": body}, sort_keys=False, default_flow_style=None, width=110)
    path.write_text(text + block, encoding="utf-8")


def main(argv: list[str]) -> None:
    from pose_specs import define

    define(spec, kf, arrow, feet, FEET, MAT, HIP_Y, pt)
    ids = argv or sorted(SPECS)
    for ex_id in ids:
        write(ex_id, solve(ex_id, SPECS[ex_id]))
    missing = sorted(p.stem for p in FOLDER.glob("*.yaml") if p.stem not in SPECS)
    if missing:
        print("no pose yet:", ", ".join(missing))


if __name__ == "__main__":
    main(sys.argv[1:])
