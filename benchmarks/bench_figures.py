"""Time drawing every exercise illustration against parsing the exercise files (the floor).

    .venv/bin/python benchmarks/bench_figures.py [--runs 5]

Each run clears every cache first, so it is the cost of a cold start: forward kinematics for
every frame of every loop, the SVG text for the animated figure and for the still start-to-end
panels. The floor is reading and parsing the 81 exercise YAML files with the same libyaml
loader the app uses, measured in the same run. Target: all illustrations in under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from importlib import resources

from backstride.datafiles import parse_yaml
from backstride.library import figure
from backstride.library.loader import load_library
from backstride.reports import figures


def clear() -> None:
    figure.frame_points.cache_clear()
    figure._blend_cached.cache_clear()
    figures._parts.cache_clear()
    figures._cached.cache_clear()


def parse_all() -> float:
    folder = resources.files("backstride") / "data" / "exercises"
    t = time.perf_counter()
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            parse_yaml(entry.read_text(encoding="utf-8"))
    return time.perf_counter() - t


def render_all(animated: bool) -> tuple[float, int]:
    lib = load_library()
    clear()
    t = time.perf_counter()
    size = sum(len(figures.render(ex, animated=animated)) for ex in lib)
    return time.perf_counter() - t, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    n = len(load_library())
    floors, anim, still, both = [], [], [], []
    size_a = size_s = 0
    for _ in range(args.runs):
        floors.append(parse_all())
        a, size_a = render_all(True)
        s, size_s = render_all(False)
        clear()
        t = time.perf_counter()
        for ex in load_library():
            figures.render(ex, animated=True)
            figures.render(ex, animated=False)
        both.append(time.perf_counter() - t)
        anim.append(a)
        still.append(s)
    floor = statistics.median(floors)
    print(f"{n} exercises, {args.runs} runs, medians:")
    print(f"  floor: parse the {n} YAML files        {floor * 1000:8.1f} ms")
    for label, xs, size in (("animated SVG, all exercises", anim, size_a), ("still panels, all exercises", still, size_s),
                            ("both, all exercises", both, 0)):
        med = statistics.median(xs)
        extra = f", {size / 1024:.0f} KiB" if size else ""
        print(f"  {label:31s} {med * 1000:8.1f} ms  ({med / floor:.1f} x floor{extra})")


if __name__ == "__main__":
    main()
