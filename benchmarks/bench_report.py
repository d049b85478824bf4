"""The clinician report's PDF for a year of data: how long it takes, and where the time goes.

Fills a demo profile (``backstride demo``: a year of synthetic runs, a screening, a plan and four
weeks of check-ins) in a temporary folder, then, in one process:

- the cold first report (what the first click on the web page pays, imports included);
- warm runs: gathering the sections, rendering the HTML, laying out and writing the PDF;
- the floor, measured in the same run: WeasyPrint writing a one-page PDF of plain text, the
  fixed cost of any PDF; the ratio report / floor is what this project's report adds.

    .venv/bin/python benchmarks/bench_report.py [--years 1] [--runs 5] [--profile]

Target (issue 16): under 3 s for a year of data, with progress shown in the web app.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print where a warm PDF spends its time")
    args = parser.parse_args()

    from backstride.config import Settings
    from backstride.workflows.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Settings(data_dir=Path(tmp) / "data"))
        from backstride.workflows.demo import fill_demo

        filled = fill_demo(ws, "demo", years=args.years, seed=7)
        from backstride.workflows import reports

        t0 = time.perf_counter()
        pdf = reports.render_pdf(reports.build_report(ws, "demo"))
        cold = time.perf_counter() - t0

        from weasyprint import HTML

        floor_html = "<p>" + "A line of plain text. " * 40 + "</p>"
        floors, builds, htmls, pdfs, totals, cpus = [], [], [], [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            HTML(string=floor_html).write_pdf()
            floors.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            built = reports.build_report(ws, "demo")
            t1 = time.perf_counter()
            html = reports.render_html(built, for_print=True)
            t2 = time.perf_counter()
            c2 = time.process_time()
            pdf = _pdf(html)
            cpus.append(time.process_time() - c2)
            t3 = time.perf_counter()
            builds.append(t1 - t0)
            htmls.append(t2 - t1)
            pdfs.append(t3 - t2)
            totals.append(t3 - t0)
        pages = _pages(pdf, Path(tmp))
        # What each simplification saves, in the same run: the web variant of the HTML (both
        # drawings of every chart, hover values) and the automatic table layout.
        variants = {}
        web_html = reports.render_html(built)
        for name, text in (("PDF of the web HTML (both chart drawings, hover values)", web_html),
                           ("PDF with automatic table layout", html.replace("table-layout: fixed", "table-layout: auto")),
                           ("PDF of the web HTML with automatic table layout",
                            web_html.replace("table-layout: fixed", "table-layout: auto"))):
            times = []
            for _ in range(max(1, args.runs // 2)):
                c0 = time.process_time()
                _pdf(text)
                times.append(time.process_time() - c0)
            variants[name] = times
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            _pdf(html)
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
        ws.close()

    med = statistics.median
    print(f"# report PDF, {args.years:g} year(s): {filled.runs} runs, {filled.check_ins} check-ins; "
          f"{len(pdf) // 1024} KiB; python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")
    print("| measure | median s | min s | max s |")
    print("|---|---:|---:|---:|")
    print(f"| cold first report (imports included) | {cold:.2f} | | |")
    for name, values in (("gather the sections", builds), ("render the HTML", htmls),
                         ("lay out and write the PDF", pdfs), ("**warm total**", totals),
                         ("floor: one-page plain-text PDF", floors)):
        print(f"| {name} | {med(values):.2f} | {min(values):.2f} | {max(values):.2f} |")
    print(f"| PDF step, CPU time of this process (less load-sensitive) | {med(cpus):.2f} | {min(cpus):.2f} | {max(cpus):.2f} |")
    for name, values in variants.items():
        print(f"| {name}, CPU time | {med(values):.2f} | {min(values):.2f} | {max(values):.2f} |")
    print(f"| ratio warm total / floor | {med(totals) / med(floors):.1f} | | |")
    print(f"target < {TARGET_S:g} s warm: {'met' if med(totals) < TARGET_S else 'NOT met'}; pages counted: {pages}")
    sys.exit(0)


def _pages(pdf: bytes, folder: Path) -> str:
    """The page count from poppler's pdfinfo, where it is installed."""
    if shutil.which("pdfinfo") is None:
        return "unknown (no pdfinfo)"
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    return found.group(1) if found else "unknown"


def _pdf(html: str) -> bytes:
    from backstride.reports.pdf import html_to_pdf

    return html_to_pdf(html)


if __name__ == "__main__":
    main()
