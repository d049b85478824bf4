"""Load benchmark: ``backstride load`` over five years of runs.

    .venv/bin/python benchmarks/bench_load.py [--years 5]

Stores five years of synthetic runs (summaries, as an import leaves them) in a fresh data
folder, then times:

- the use case (``load_summary`` + ``load_findings``) in a warm process, for the default
  8 weeks and for every week of the five years (median of 5);
- the whole command ``backstride load --json`` as a new process (Python start-up and imports
  included, which is what a user waits for), median of 3.

Prints one JSON document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()

    from backstride.config import Settings
    from backstride.demo.synthetic_runs import generate_runs
    from backstride.load.summary import load_findings
    from backstride.workflows.activities import load_summary, store_activities
    from backstride.workflows.workspace import Workspace

    start = dt.date(2021, 1, 4)
    days = 365 * args.years
    today = start + dt.timedelta(days=days - 1)
    runs = generate_runs(start, days, seed=3, with_series=False)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        ws = Workspace.open(Settings(data_dir=data_dir))
        t0 = time.perf_counter()
        store_activities(ws, None, runs)
        store_s = time.perf_counter() - t0

        def timed(weeks: int) -> float:
            samples = []
            for _ in range(5):
                t = time.perf_counter()
                load_findings(load_summary(ws, None, weeks=weeks, today=today))
                samples.append(time.perf_counter() - t)
            return statistics.median(samples)

        default_s = timed(8)
        all_weeks = days // 7
        all_s = timed(all_weeks)
        ws.close()
        env = dict(os.environ, BACKSTRIDE_DATA_DIR=str(data_dir))
        exe = str(Path(sys.executable).parent / "backstride")  # the installed console script
        cmd = [exe, "load", "--today", today.isoformat(), "--json"]
        walls = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
        cmd_all = [*cmd, "--weeks", str(all_weeks)]
        walls_all = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(cmd_all, env=env, check=True, capture_output=True)
            walls_all.append(time.perf_counter() - t)
        startup = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([exe, "--version"], env=env, check=True, capture_output=True)
            startup.append(time.perf_counter() - t)
    print(json.dumps({
        "years": args.years, "runs": len(runs), "store_s": round(store_s, 2),
        "use_case_8_weeks_s": round(default_s, 4), f"use_case_{all_weeks}_weeks_s": round(all_s, 4),
        "command_8_weeks_s": round(statistics.median(walls), 3),
        f"command_{all_weeks}_weeks_s": round(statistics.median(walls_all), 3),
        "command_startup_only_s": round(statistics.median(startup), 3),
    }, indent=2))


if __name__ == "__main__":
    main()
