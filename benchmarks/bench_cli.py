"""Command-line start-up and ``backstride load`` over five years of runs, as new processes.

    .venv/bin/python benchmarks/bench_cli.py [--years 5] [--runs 15] [--keep DIR]
        [--baseline-src DIR] [--no-bytecode]

Fills a demo profile with the project's own generator (``backstride demo --years 5``: about
1,000 generated runs, a screening, a plan and check-ins) in a fresh data folder under /tmp,
then runs each command below as a new process (what a user waits for: Python start-up,
imports, opening the database, the work, the output) and reports, per command, the median,
minimum and maximum wall time over ``--runs`` runs and the median CPU time (user + system)
of the child process, which moves much less than wall time on a shared machine.

- ``backstride load --runner demo --json`` (issue 4 target: under 0.5 s)
- ``backstride load --runner demo`` (the table, 80 columns)
- ``backstride today --runner demo --json``
- ``backstride --help``
- ``backstride --version``

Two reference rows show the floor: a bare ``python -c pass`` and a process that only imports
the third-party libraries a database command cannot avoid (Typer with the pydantic it uses to
convert parameters, Rich, SQLAlchemy's ORM and its SQLite dialect).

Each command is started as the console script does it (``from backstride.cli.main import run``)
with the source folder first on ``sys.path``, so ``--baseline-src`` can time another checkout
(``git archive COMMIT src | tar -x -C /tmp/old``, then ``--baseline-src /tmp/old/src``) in
the same session, interleaved with this one, against the same data folder.

Bytecode: an installed package has its ``.pyc`` files, but this development environment sets
``PYTHONDONTWRITEBYTECODE=1``, so every start would compile backstride's own modules from
source. By default the children get a private ``PYTHONPYCACHEPREFIX`` under the temporary
folder (filled by the warm-up run, nothing written next to the sources);
``--no-bytecode`` keeps the environment as it is.

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
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BACKSTRIDE = str(ROOT / ".venv" / "bin" / "backstride")
TARGET_LOAD_S = 0.5

COMMANDS: dict[str, list[str]] = {
    "load --json": ["load", "--runner", "demo", "--json"],
    "load (table, 80 columns)": ["load", "--runner", "demo"],
    "today --json": ["today", "--runner", "demo", "--json"],
    "--help": ["--help"],
    "--version": ["--version"],
}
LAUNCH = "import sys; sys.path.insert(0, sys.argv.pop(1)); from backstride.cli.main import run; sys.exit(run())"
FLOORS: dict[str, list[str]] = {
    "python -c pass": [PYTHON, "-c", "pass"],
    "import typer (+ pydantic), rich, sqlalchemy.orm": [
        PYTHON, "-c", "import typer, typer._adapters, rich.console, rich.table, sqlalchemy.orm, "
                      "sqlalchemy.dialects.sqlite"],
}


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    cpu0 = _child_cpu()
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0, _child_cpu() - cpu0


def _stats(walls: list[float], cpus: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(walls), 3), "min_s": round(min(walls), 3),
            "max_s": round(max(walls), 3), "median_cpu_s": round(statistics.median(cpus), 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=15, help="Timed runs per command (after one warm-up).")
    parser.add_argument("--keep", type=Path, default=None,
                        help="Use (and keep) this data folder; the demo is filled only when it is empty.")
    parser.add_argument("--baseline-src", type=Path, default=None,
                        help="Another checkout's src folder, timed in the same session for comparison.")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="Keep PYTHONDONTWRITEBYTECODE as set (compile backstride from source each start).")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    data_dir = args.keep or tmp / "data"
    env = dict(os.environ, BACKSTRIDE_DATA_DIR=str(data_dir), COLUMNS="80")
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    variants = {"current": ROOT / "src"}
    if args.baseline_src is not None:
        variants["baseline"] = args.baseline_src.resolve()
    try:
        fill_s = None
        if not (data_dir / "backstride.db").exists():
            t0 = time.perf_counter()
            subprocess.run([BACKSTRIDE, "demo", "--runner", "demo", "--years", str(args.years), "--json"],
                           env=env, check=True, capture_output=True)
            fill_s = time.perf_counter() - t0
        jobs: dict[tuple[str, str], list[str]] = {}
        for variant, src in variants.items():
            for name, cmd in COMMANDS.items():
                jobs[(variant, name)] = [PYTHON, "-c", LAUNCH, str(src), *cmd]
        for name, cmd in FLOORS.items():
            jobs[("floor", name)] = cmd
        load_before = os.getloadavg()
        walls: dict[tuple[str, str], list[float]] = {key: [] for key in jobs}
        cpus: dict[tuple[str, str], list[float]] = {key: [] for key in jobs}
        for cmd in jobs.values():  # warm-up: page cache, bytecode
            _time_once(cmd, env)
        for _ in range(args.runs):
            for key, cmd in jobs.items():
                wall, cpu = _time_once(cmd, env)
                walls[key].append(wall)
                cpus[key].append(cpu)
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    result: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "bytecode": not args.no_bytecode,
        "years": args.years,
        "runs_per_command": args.runs,
        "demo_fill_s": None if fill_s is None else round(fill_s, 1),
    }
    for variant, src in variants.items():
        result[variant] = {"src": str(src),
                           **{name: _stats(walls[(variant, name)], cpus[(variant, name)]) for name in COMMANDS}}
    result["floor"] = {name: _stats(walls[("floor", name)], cpus[("floor", name)]) for name in FLOORS}
    load_median = statistics.median(walls[("current", "load --json")])
    result["target_load_s"] = TARGET_LOAD_S
    result["load_json_meets_target"] = load_median < TARGET_LOAD_S
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
