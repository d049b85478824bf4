"""The core pages and commands with five years of runs, against floors measured in the same run.

    .venv/bin/python benchmarks/bench_core.py [--years 5] [--requests 30] [--cli-runs 9]
        [--baseline-src DIR]

Fills a fresh data folder with ``backstride demo --years 5`` (about 1,000 generated runs, a
screening, a plan, four weeks of check-ins), then:

- **web**: starts ``backstride serve`` (this checkout, and ``--baseline-src`` when given) and a
  floor server, a trivial FastAPI app on the same uvicorn that answers ``/{size}`` with a page of
  that many bytes. For ``/``, ``/today`` and ``/report`` it asks the floor for a page of the same
  size, then the pages, in turn (floor, baseline, current; over and over), so a burst of load from
  other processes falls on all alike. Keep-alive HTTP, 3 warm-up requests each.
  Targets (issue 10): median at most 5x the floor (``/report`` 10x), ``/report`` p95 < 100 ms.
- **cli**: ``backstride load --json`` and ``backstride today --json`` as new processes against
  the floor ``python -c "import sqlalchemy, typer, rich"``, in turn, after a warm-up, with
  bytecode in a private ``PYTHONPYCACHEPREFIX`` (as an installed package has). Target: 1.3x.

``--baseline-src`` is another checkout's ``src`` folder (``git archive COMMIT src | tar -x -C
/tmp/old``), timed in the same session against the same data folder. Prints one JSON document.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PAGES = {"/": 5.0, "/today": 5.0, "/report": 10.0}   # page -> target ratio to the floor (median)
REPORT_P95_MS = 100.0
CLI_TARGET = 1.3
LAUNCH = "import sys; sys.path.insert(0, sys.argv.pop(1)); from backstride.cli.main import run; sys.exit(run())"
FLOOR_APP = """
import sys, uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
app = FastAPI()
@app.get("/{size}", response_class=HTMLResponse)
def page(size: int) -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>floor</title>" + "x" * max(0, size - 35))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""
CLI = {"load --json": ["load", "--runner", "demo", "--json"], "today --json": ["today", "--runner", "demo", "--json"]}
CLI_FLOOR = [PYTHON, "-c", "import sqlalchemy, typer, rich"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no server on port {port}")


def get(conn: http.client.HTTPConnection, path: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    ms = (time.perf_counter() - t0) * 1000.0
    if resp.status != 200:
        raise SystemExit(f"{path} answered {resp.status}: {body[:300]!r}")
    return ms, len(body)


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2), "max_ms": round(ordered[-1], 2)}


def bench_web(variants: dict[str, Path], env: dict[str, str], requests: int) -> dict[str, object]:
    servers: list[subprocess.Popen[bytes]] = []
    conns: dict[str, http.client.HTTPConnection] = {}
    try:
        port = free_port()
        servers.append(subprocess.Popen([PYTHON, "-c", FLOOR_APP, str(port)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for(port)
        conns["floor"] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for name, src in variants.items():
            port = free_port()
            servers.append(subprocess.Popen([PYTHON, "-c", LAUNCH, str(src), "serve", "--port", str(port)], env=env,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for(port)
            conns[name] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out: dict[str, object] = {}
        for page, target in PAGES.items():
            size = get(conns["current"], page)[1]
            paths = {name: (f"/{size}" if name == "floor" else page) for name in conns}
            times: dict[str, list[float]] = {name: [] for name in conns}
            for _ in range(3):
                for name, conn in conns.items():
                    get(conn, paths[name])
            for _ in range(requests):
                for name, conn in conns.items():
                    times[name].append(get(conn, paths[name])[0])
            row: dict[str, object] = {"bytes": size, **{name: summary(t) for name, t in times.items()}}
            floor = statistics.median(times["floor"])
            for name in variants:
                row[f"{name}_ratio"] = round(statistics.median(times[name]) / floor, 2)
            row["target_ratio"] = target
            row["meets_target"] = row["current_ratio"] <= target and (  # type: ignore[operator]
                page != "/report" or summary(times["current"])["p95_ms"] < REPORT_P95_MS)
            out[page] = row
        return out
    finally:
        for conn in conns.values():
            conn.close()
        for server in servers:
            server.terminate()
            server.wait(10)


def bench_cli(variants: dict[str, Path], env: dict[str, str], runs: int) -> dict[str, object]:
    jobs = {("floor", "import sqlalchemy, typer, rich"): CLI_FLOOR}
    for name, src in variants.items():
        for label, args in CLI.items():
            jobs[(name, label)] = [PYTHON, "-c", LAUNCH, str(src), *args]
    walls: dict[tuple[str, str], list[float]] = {key: [] for key in jobs}
    for cmd in jobs.values():   # warm-up: page cache, bytecode
        subprocess.run(cmd, env=env, check=True, capture_output=True)
    for _ in range(runs):
        for key, cmd in jobs.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            walls[key].append(time.perf_counter() - t0)
    floor = statistics.median(walls[("floor", "import sqlalchemy, typer, rich")])
    out: dict[str, object] = {"floor_median_s": round(floor, 3), "target_ratio": CLI_TARGET}
    for (name, label), times in walls.items():
        if name == "floor":
            continue
        med = statistics.median(times)
        out[f"{name}: {label}"] = {"median_s": round(med, 3), "min_s": round(min(times), 3),
                                   "ratio": round(med / floor, 2)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--cli-runs", type=int, default=9)
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--skip-web", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-core-"))
    env = dict(os.environ, BACKSTRIDE_DATA_DIR=str(tmp / "data"), BACKSTRIDE_RUNNER="demo", COLUMNS="80")
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    variants = {"current": ROOT / "src"}
    if args.baseline_src is not None:
        variants = {"baseline": args.baseline_src.resolve(), **variants}
    try:
        t0 = time.perf_counter()
        subprocess.run([PYTHON, "-c", LAUNCH, str(ROOT / "src"), "demo", "--runner", "demo", "--years",
                        str(args.years), "--json"], env=env, check=True, capture_output=True)
        result: dict[str, object] = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "years": args.years, "demo_fill_s": round(time.perf_counter() - t0, 1),
            "load_average_before": round(os.getloadavg()[0], 2),
        }
        if not args.skip_web:
            result["web"] = bench_web(variants, env, args.requests)
        if not args.skip_cli:
            result["cli"] = bench_cli(variants, env, args.cli_runs)
        result["load_average_after"] = round(os.getloadavg()[0], 2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
