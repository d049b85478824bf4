"""Import benchmark: a realistic export of synthetic runs, full import vs bare fitdecode.

    .venv/bin/python benchmarks/bench_import.py [--runs 1000] [--export DIR]

1. Builds (once, cached in --export) N distinct runs of 30-120 min at 1 Hz with heart rate,
   cadence and running dynamics, written as FIT with fit-tool (see tests/support/fit_writer.py),
   laid out like a Garmin export folder. Building is not timed.
2. In a fresh process, times a bare single-process fitdecode decode of every file (default
   reader settings, every field value of every data message touched).
3. In a fresh process, times ``import_paths`` into a fresh data folder (decode, analysis,
   storage), and its peak memory (this process and its worker processes).
4. In a fresh process, times re-importing the same export into the same data folder.
5. In a fresh process, watches the export folder (``FolderWatch``, as ``import --watch``
   does), copies in new runs one at a time and times until each is stored.

Wall time and CPU time (user + system, the process and its worker processes) are both
recorded; the import-to-decode ratio that matters on a shared machine is the CPU one.

Prints one JSON document with the numbers; the table in RESULTS.md is copied from it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

# The FIT writer is a test helper (tests/support), not part of the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def _write_one(args: tuple[int, str, int]) -> int:
    index, folder, seed = args
    from backstride.demo.synthetic_runs import generate_run
    from support.fit_writer import activity_to_fit

    rng = np.random.default_rng(seed * 100_003 + index)
    day = dt.date(2021, 1, 4) + dt.timedelta(days=index)  # one a day: every run distinct
    start = dt.datetime.combine(day, dt.time(6), tzinfo=dt.UTC) + dt.timedelta(minutes=int(rng.integers(0, 720)))
    minutes = float(rng.uniform(30, 120))
    kind = str(rng.choice(["easy", "easy", "tempo", "long"]))
    surface = str(rng.choice(["road"] * 8 + ["treadmill", "trail"]))
    run = generate_run(start, minutes * 60, kind=kind, surface=surface, rng=rng)
    data = activity_to_fit(run)
    path = Path(folder) / "GARMIN" / "Activity" / f"{start:%Y-%m-%d-%H-%M-%S}.fit"
    path.write_bytes(data)
    return len(data)


def build_export(folder: Path, runs: int, seed: int = 7) -> tuple[int, int]:
    target = folder / "GARMIN" / "Activity"
    target.mkdir(parents=True, exist_ok=True)
    existing = sorted(target.glob("*.fit"))
    if len(existing) == runs:
        return runs, sum(p.stat().st_size for p in existing)
    for p in existing:
        p.unlink()
    with ProcessPoolExecutor() as pool:
        sizes = list(pool.map(_write_one, [(i, str(folder), seed) for i in range(runs)], chunksize=8))
    return runs, sum(sizes)


def _peak_mb() -> tuple[float, float]:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return self_kb / 1024, children_kb / 1024


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def phase_decode(export: Path) -> dict[str, float]:
    import fitdecode

    files = sorted((export / "GARMIN" / "Activity").glob("*.fit"))
    t0 = time.perf_counter()
    c0 = _cpu_s()
    messages = 0
    for path in files:
        with fitdecode.FitReader(path.read_bytes()) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    for field in frame.fields:
                        _ = field.value
                    messages += 1
    wall = time.perf_counter() - t0
    cpu = _cpu_s() - c0
    self_mb, _ = _peak_mb()
    return {"wall_s": wall, "cpu_s": cpu, "messages": messages, "peak_rss_mb": self_mb}


def phase_import(export: Path, data_dir: Path) -> dict[str, float]:
    from backstride.config import Settings
    from backstride.workflows.activities import import_paths
    from backstride.workflows.workspace import Workspace

    ws = Workspace.open(Settings(data_dir=data_dir))
    t0 = time.perf_counter()
    c0 = _cpu_s()
    report = import_paths(ws, None, [export])
    wall = time.perf_counter() - t0
    ws.close()
    cpu = _cpu_s() - c0  # the pool has shut down: its workers' CPU is in RUSAGE_CHILDREN
    self_mb, children_mb = _peak_mb()
    return {"wall_s": wall, "cpu_s": cpu, "imported": report.count("imported"), "duplicate": report.count("duplicate"),
            "rejected": report.rejected, "peak_rss_mb": self_mb, "peak_rss_worker_mb": children_mb,
            "db_mb": (data_dir / "backstride.db").stat().st_size / 2**20}


def phase_watch(export: Path, data_dir: Path, new_runs: int = 5) -> dict[str, object]:
    """Latency from a new file appearing in the watched folder to its activity being stored."""
    import shutil
    import threading

    from backstride.config import Settings
    from backstride.workflows.activities import FolderWatch
    from backstride.workflows.workspace import Workspace

    ws = Workspace.open(Settings(data_dir=data_dir))
    watch = FolderWatch(ws, None, export)
    for _ in range(3):
        watch.poll()  # the files already there (all known: duplicates) are settled first
    stop = threading.Event()
    thread = threading.Thread(target=watch.run, args=(stop,), daemon=True)
    thread.start()
    staging = Path(tempfile.mkdtemp())
    (staging / "GARMIN" / "Activity").mkdir(parents=True)
    latencies = []
    try:
        for i in range(new_runs):
            _write_one((3000 + i, str(staging), 11))  # dated after the export
            [made] = list((staging / "GARMIN" / "Activity").glob("*.fit"))
            before = watch.handled
            target = export / "GARMIN" / "Activity" / made.name
            t0 = time.perf_counter()
            shutil.move(str(made), str(target))
            # the watcher appends a file's report once its transaction has committed; a cheap
            # check, so the measuring loop does not compete with the watcher for the GIL
            while watch.handled == before and time.perf_counter() - t0 < 30:
                time.sleep(0.01)
            latencies.append(time.perf_counter() - t0)
            assert watch.reports[-1].status == "imported", watch.reports[-1]
            target.unlink()
    finally:
        stop.set()
        thread.join()
        shutil.rmtree(staging, ignore_errors=True)
        ws.close()
    return {"latencies_s": [round(x, 2) for x in latencies], "max_s": round(max(latencies), 2),
            "watched_files": len(list((export / "GARMIN" / "Activity").glob("*.fit")))}


def _run_phase(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--export", type=Path, default=Path(tempfile.gettempdir()) / "backstride-bench-export")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        if name == "decode":
            result = phase_decode(Path(rest[0]))
        elif name == "watch":
            result = phase_watch(Path(rest[0]), Path(rest[1]))
        else:
            result = phase_import(Path(rest[0]), Path(rest[1]))
        print(json.dumps(result))
        return
    t0 = time.perf_counter()
    runs, size = build_export(args.export, args.runs)
    build_s = time.perf_counter() - t0
    decode = _run_phase("decode", str(args.export))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        first = _run_phase("import", str(args.export), str(data_dir))
        again = _run_phase("import", str(args.export), str(data_dir))
        watch = _run_phase("watch", str(args.export), str(data_dir))
    print(json.dumps({
        "runs": runs, "export_mb": round(size / 2**20, 1), "build_s": round(build_s, 1),
        "cpus": len(os.sched_getaffinity(0)),
        "bare_decode": decode, "import": first, "reimport": again, "watch": watch,
        "ratio_import_to_bare_decode": round(first["wall_s"] / decode["wall_s"], 3),
        "ratio_import_cpu_to_bare_decode_cpu": round(first["cpu_s"] / decode["cpu_s"], 3),
    }, indent=2))


if __name__ == "__main__":
    main()
