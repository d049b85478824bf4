"""Command-line start-up and ``backstride load`` over five years of runs, as new processes.

    .venv/bin/python benchmarks/bench_cli.py [--years 5] [--runs 15] [--keep DIR]

Fills a demo profile with the project's own generator (``backstride demo --years 5``: about
1,000 generated runs, a screening, a plan and check-ins) in a fresh data folder under /tmp,
then runs each command below as a new process (what a user waits for: Python start-up,
imports, opening the database, the work, the output) and reports, per command, the median,
minimum and maximum wall time over ``--runs`` runs and the median CPU time (user + system)
of the child process, which moves much less than wall time on a shared machine.

- ``backstride load --runner demo --json`` (issue 4 target: under 0.5 s)
- ``backstride load --runner demo`` (the table)
- ``backstride today --runner demo --json``
- ``backstride --help``
- ``backstride --version``

The commands run in turn (load, today, help, ...; then again), so a burst of load from other
processes falls on all of them alike. The first run of each is a warm-up and not counted.
Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKSTRIDE = str(ROOT / ".venv" / "bin" / "backstride")
TARGET_LOAD_S = 0.5

COMMANDS: dict[str, list[str]] = {
    "load --json": ["load", "--runner", "demo", "--json"],
    "load (table, 80 columns)": ["load", "--runner", "demo"],
    "today --json": ["today", "--runner", "demo", "--json"],
    "--help": ["--help"],
    "--version": ["--version"],
}


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    cpu0 = _child_cpu()
    t0 = time.perf_counter()
    subprocess.run([BACKSTRIDE, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0, _child_cpu() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=15, help="Timed runs per command (after one warm-up).")
    parser.add_argument("--keep", type=Path, default=None,
                        help="Use (and keep) this data folder; the demo is filled only when it is empty.")
    args = parser.parse_args()

    tmp = None
    if args.keep is None:
        tmp = tempfile.mkdtemp(prefix="bench-cli-")
        data_dir = Path(tmp) / "data"
    else:
        data_dir = args.keep
    env = dict(os.environ, BACKSTRIDE_DATA_DIR=str(data_dir), COLUMNS="80")
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    try:
        fill_s = None
        if not (data_dir / "backstride.db").exists():
            t0 = time.perf_counter()
            subprocess.run([BACKSTRIDE, "demo", "--runner", "demo", "--years", str(args.years), "--json"],
                           env=env, check=True, capture_output=True)
            fill_s = time.perf_counter() - t0
        load_before = os.getloadavg()
        walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
        cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for cmd in COMMANDS.values():  # warm-up: page cache, .pyc files
            _time_once(cmd, env)
        for _ in range(args.runs):
            for name, cmd in COMMANDS.items():
                wall, cpu = _time_once(cmd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        load_after = os.getloadavg()
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "years": args.years,
        "runs_per_command": args.runs,
        "demo_fill_s": None if fill_s is None else round(fill_s, 1),
        "commands": {
            name: {
                "median_s": round(statistics.median(walls[name]), 3),
                "min_s": round(min(walls[name]), 3),
                "max_s": round(max(walls[name]), 3),
                "median_cpu_s": round(statistics.median(cpus[name]), 3),
            }
            for name in COMMANDS
        },
        "target_load_s": TARGET_LOAD_S,
        "load_json_meets_target": statistics.median(walls["load --json"]) < TARGET_LOAD_S,
    }
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
