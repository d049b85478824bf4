"""Long-GPX benchmark: a 1 M-point run imported, against a bare lxml iterparse pass.

    .venv/bin/python benchmarks/bench_gpx.py [--points 1000000] [--reference-points 100000]

1. Writes the file point by point (tests/support/long_gpx.py; not timed).
2. Floor, in a fresh process: read the bytes and run a bare ``lxml.etree.iterparse`` over
   them with the readers' safe parser options, removing every ``<trkpt>`` as it ends
   (nothing read out of it).
3. In a fresh process: ``read_gpx`` on the same bytes (the streaming reader), time and the
   process's peak RSS.
4. ``backstride import FILE --json`` into a fresh data folder: wall time and the peak RSS of
   the whole process tree (sampled every 10 ms, as tests/test_faults.py measures it).
5. The whole-tree reader (``read_gpx_tree``, the old path) on a --reference-points file, in
   a fresh process, for the before/after line.

Prints one JSON document; the table in RESULTS.md is copied from it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.long_gpx import write_long_gpx

FLOOR = """
import io, resource, sys, time
from lxml import etree
t = time.perf_counter()
data = open(sys.argv[1], "rb").read()
for _, el in etree.iterparse(io.BytesIO(data), tag="{*}trkpt", resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=True, remove_comments=True):
    el.getparent().remove(el)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""

READ = """
import resource, sys, time
from backstride.activities import gpx
t = time.perf_counter()
data = open(sys.argv[1], "rb").read()
[act] = getattr(gpx, sys.argv[2])(data, "long.gpx").activities
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def _run(code: str, *args: str) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    seconds, rss = out.stdout.split()
    return float(seconds), int(rss)


def _import(path: Path) -> tuple[float, int]:
    import psutil

    with tempfile.TemporaryDirectory() as data_dir:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", "from backstride.cli.main import run; run()",
                                 "--data-dir", data_dir, "import", str(path), "--json"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        root, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            total = 0
            with contextlib.suppress(psutil.NoSuchProcess):
                for p in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += p.memory_info().rss
            peak = max(peak, total)
            time.sleep(0.01)
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            raise SystemExit(f"import failed ({proc.returncode})")
    return wall, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--reference-points", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_long_gpx(Path(tmp) / "long.gpx", args.points)
        floor_s, floor_rss = _run(FLOOR, str(path))
        read_s, read_rss = _run(READ, str(path), "read_gpx")
        import_s, import_peak = _import(path)
        ref = write_long_gpx(Path(tmp) / "ref.gpx", args.reference_points)
        ref_floor_s, _ = _run(FLOOR, str(ref))
        old_s, old_rss = _run(READ, str(ref), "read_gpx_tree")
        new_s, new_rss = _run(READ, str(ref), "read_gpx")
        print(json.dumps({
            "points": args.points, "file_mb": round(path.stat().st_size / 1e6, 1),
            "floor_iterparse_s": round(floor_s, 2), "floor_rss_mb": round(floor_rss / 1e6),
            "read_gpx_s": round(read_s, 2), "read_gpx_rss_mb": round(read_rss / 1e6),
            "read_over_floor": round(read_s / floor_s, 2),
            "import_s": round(import_s, 2), "import_tree_peak_mb": round(import_peak / 1e6),
            "import_over_floor": round(import_s / floor_s, 2),
            "reference_points": args.reference_points,
            "reference_floor_s": round(ref_floor_s, 2),
            "whole_tree_s": round(old_s, 2), "whole_tree_rss_mb": round(old_rss / 1e6),
            "streaming_s": round(new_s, 2), "streaming_rss_mb": round(new_rss / 1e6),
        }, indent=2))


if __name__ == "__main__":
    main()
