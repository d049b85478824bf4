"""The session player's pages against a running server, with a floor measured in the same run.

Fills a demo profile (``backstride demo --years N``: generated runs, a screening, a plan and
check-ins), starts ``backstride serve`` on 127.0.0.1 in a subprocess and times keep-alive GETs:

- the floor: ``/static/player.js`` (the same server, HTTP round trip and a file read, no app work);
- ``/session`` (today's session), ``/session?routine=strength`` and ``?routine=desk``: the page with
  every exercise card, its illustration and the embedded session JSON;
- ``/plan.ics`` (the calendar feed a calendar app refreshes) and ``/today`` for comparison (it also
  reads the watch files for load findings, which the session page leaves out).

    .venv/bin/python benchmarks/bench_session.py [--years 5] [--requests 40]

Target (issue 12): a session page under 100 ms at the 95th percentile. The ratio to the floor is
printed beside it, so a slow machine (or a busy one) can be told apart from a slow page.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import demo_data, serving, time_page

FLOOR = "/static/player.js"
PAGES = ["/session", "/session?routine=strength", "/session?routine=desk", "/plan.ics", "/today"]
SESSION_PAGES = PAGES[:3]
TARGET_MS = 100.0


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def cpu_table(data_dir: Path, n: int) -> None:
    """CPU time per request in one process (client and app threads together): unlike wall time, it
    does not grow when other programs take the CPU, so it shows the page's own cost on a busy machine."""
    from fastapi.testclient import TestClient

    from backstride.config import Settings
    from backstride.web.app import create_app

    app = create_app(Settings(data_dir=data_dir, database_url=None, runner="demo"))
    print(f"\n{'page (in process)':28} {'CPU ms median':>14} {'CPU ms p95':>11}")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for path in [FLOOR, *PAGES]:
            for _ in range(3):
                client.get(path)
            times = []
            for _ in range(n):
                t0 = time.process_time()
                client.get(path)
                times.append((time.process_time() - t0) * 1000.0)
            print(f"{path:28} {statistics.median(times):14.1f} {p95(times):11.1f}")
    app.state.workspace.close()


def main() -> int:
    import http.client

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    failed: list[str] = []
    with demo_data(args.years) as (data_dir, env, fill_s):
        with serving(env) as port:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            print(f"# {args.years:g} years of generated runs (filled in {fill_s:.1f} s); {args.requests} requests "
                  f"per page after 3 warm-up requests; load average {os.getloadavg()[0]:.1f}; "
                  f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
                  f"Python {platform.python_version()}")
            time_page(conn, FLOOR, 3)
            floor = time_page(conn, FLOOR, args.requests)
            print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'p95/floor':>10}  target")
            print(f"{FLOOR + ' (floor)':28} {statistics.median(floor):10.1f} {p95(floor):8.1f} {max(floor):8.1f} "
                  f"{1.0:10.1f}  -")
            for path in PAGES:
                time_page(conn, path, 3)
                times = time_page(conn, path, args.requests)
                ok = p95(times) < TARGET_MS
                mark = ("ok" if ok else "SLOW") if path in SESSION_PAGES else "-"
                if path in SESSION_PAGES and not ok:
                    failed.append(path)
                print(f"{path:28} {statistics.median(times):10.1f} {p95(times):8.1f} {max(times):8.1f} "
                      f"{p95(times) / p95(floor):10.1f}  {mark}")
            conn.close()
        cpu_table(data_dir, args.requests)
    if failed:
        print(f"session pages over {TARGET_MS:.0f} ms at p95: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
