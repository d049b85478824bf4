"""Dashboard pages against a running server with five years of runs.

Fills a demo profile with the project's own generator (``backstride demo --years 5``: synthetic
runs, a screening, a plan and four weeks of check-ins), starts ``backstride serve`` on
127.0.0.1 in a subprocess, and times each page over keep-alive HTTP.

    .venv/bin/python benchmarks/bench_web.py [--years 5] [--requests 30]

Target (issue 7): every dashboard page answers in under 100 ms (we hold the 95th percentile to it).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKSTRIDE = str(ROOT / ".venv" / "bin" / "backstride")
DASHBOARD = ["/", "/today", "/activities", "/progress", "/findings", "/plan"]
OTHER = ["/activities?weeks=260", "/report", "/screening", "/data"]
TARGET_MS = 100.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


@contextmanager
def demo_data(years: float) -> Iterator[tuple[Path, dict[str, str], float]]:
    """A fresh data folder filled by ``backstride demo --years N``: (folder, environment, seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BACKSTRIDE_DATA_DIR=tmp, BACKSTRIDE_RUNNER="demo")
        t0 = time.perf_counter()
        subprocess.run([BACKSTRIDE, "demo", "--years", str(years), "--json"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        yield Path(tmp), env, time.perf_counter() - t0


@contextmanager
def serving(env: dict[str, str]) -> Iterator[int]:
    """``backstride serve`` on a free loopback port with ``env``; stopped on exit."""
    port = free_port()
    server = subprocess.Popen([BACKSTRIDE, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(10)


def time_page(conn: http.client.HTTPConnection, path: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        out.append((time.perf_counter() - t0) * 1000.0)
        if resp.status != 200:
            raise SystemExit(f"{path} answered {resp.status}: {body[:300]!r}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with demo_data(args.years) as (_data_dir, env, fill_s), serving(env) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        print(f"# {args.years:g} years of generated runs (filled in {fill_s:.1f} s); "
              f"{args.requests} requests per page after 3 warm-up requests; "
              f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
        print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  target")
        failed = []
        for path in DASHBOARD + OTHER:
            time_page(conn, path, 3)
            times = sorted(time_page(conn, path, args.requests))
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            is_dash = path in DASHBOARD
            ok = p95 < TARGET_MS
            mark = ("ok" if ok else "SLOW") if is_dash else "-"
            if is_dash and not ok:
                failed.append(path)
            print(f"{path:28} {statistics.median(times):10.1f} {p95:8.1f} {times[-1]:8.1f}  {mark}")
        conn.close()
    if failed:
        print(f"dashboard pages over {TARGET_MS:.0f} ms at p95: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
