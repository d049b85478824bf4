"""Every page as a new user sees it, on a phone (390 px) and a laptop (1366 px), after `backstride demo`.

For each page and width: no sideways scrolling, no chart wider than its card, no chart label cut
off by its chart's edge, no identifier-shaped text (snake_case keys, dotted codes, citation keys,
command-line flags, file paths) in what is visible. A full-page screenshot of each lands in
test-artifacts/walkthrough/ for people to look at.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backstride.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from web_helpers import identifier_like

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "walkthrough"
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")
demo = pytest.importorskip("backstride.workflows.demo")

# Measured in the browser: sideways overflow, charts wider than their card, chart text outside
# its SVG's viewBox (in the SVG's own units, so scaling does not matter), and the visible text.
PROBE = """() => {
  const doc = document.documentElement;
  const out = {overflow: doc.scrollWidth - doc.clientWidth, wide: [], clipped: [], text: document.body.innerText};
  for (const svg of document.querySelectorAll("svg.chart-svg")) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;  // the other variant of a chart, hidden by CSS
    const card = svg.closest(".card, figure, section") || svg.parentElement;
    const cbox = card.getBoundingClientRect();
    if (box.right > cbox.right + 1 || box.left < cbox.left - 1) out.wide.push(svg.getAttribute("aria-label"));
    const vb = svg.viewBox.baseVal;
    for (const t of svg.querySelectorAll("text")) {
      const b = t.getBBox();
      let x0 = b.x, x1 = b.x + b.width, y0 = b.y, y1 = b.y + b.height;
      const ctm = t.transform && t.transform.baseVal.consolidate();
      if (ctm) {  // a rotated label: its box in the SVG's coordinates
        const m = ctm.matrix, pts = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
        x0 = Math.min(...pts.map(p => p[0])); x1 = Math.max(...pts.map(p => p[0]));
        y0 = Math.min(...pts.map(p => p[1])); y1 = Math.max(...pts.map(p => p[1]));
      }
      if (x0 < vb.x - 0.5 || y0 < vb.y - 0.5 || x1 > vb.x + vb.width + 0.5 || y1 > vb.y + vb.height + 0.5) {
        out.clipped.push(svg.getAttribute("aria-label") + ": " + t.textContent);
      }
    }
  }
  return out;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The real app under uvicorn, with the demo profile filled (as `backstride demo` does)."""
    import uvicorn

    from backstride.web.app import create_app
    from backstride.workflows import screening

    settings = Settings(data_dir=tmp_path_factory.mktemp("walk") / "data", runner="demo")
    app = create_app(settings)
    ws = app.state.workspace
    demo.fill_demo(ws, "demo", years=1.0, seed=7)
    screening_id = screening.list_screenings(ws, "demo")[-1].id
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday() + 14)
    pages = {
        "home": "/", "today": "/today", "plan": "/plan", "activities": "/activities",
        "activities-10-years": "/activities?weeks=520", "activities-week": f"/activities?week={monday.isoformat()}",
        "progress": "/progress", "findings": "/findings", "form": "/form", "report": "/report",
        "report-document": "/report.html", "data": "/data", "screening": "/screening",
        "screening-step": "/screening/step/1", "screening-result": f"/screening/result/{screening_id}",
        "not-found": "/no-such-page",
    }
    yield f"http://127.0.0.1:{port}", pages
    srv.should_exit = True
    thread.join(10)
    ws.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_fits_keeps_its_labels_and_shows_no_identifiers(
        demo_server: tuple[str, dict[str, str]], browser: Any, width: str) -> None:
    base, pages = demo_server
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, base_url=base)
    page = context.new_page()
    page.set_default_timeout(30_000)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None)
    problems: list[str] = []
    try:
        for name, path in pages.items():
            response = page.goto(path)
            assert response is not None
            expected = 404 if name == "not-found" else 200
            if response.status != expected:
                problems.append(f"{name}: HTTP {response.status}")
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            found = page.evaluate(PROBE)
            if found["overflow"] > 1:
                problems.append(f"{name}: {found['overflow']} px of sideways scrolling")
            problems.extend(f"{name}: chart wider than its card: {c}" for c in found["wide"])
            problems.extend(f"{name}: chart label cut off: {c}" for c in found["clipped"])
            problems.extend(f"{name}: {i}" for i in identifier_like(found["text"]))
    finally:
        context.close()
    assert outside == []
    assert problems == []


def test_a_week_bar_opens_that_weeks_runs(demo_server: tuple[str, dict[str, str]], browser: Any) -> None:
    base, _pages = demo_server
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=base)
    page = context.new_page()
    try:
        page.goto("/activities")
        bars = page.locator("#weekly-load .chart-wide svg a.tip")
        assert bars.count() >= 20
        bar = bars.nth(bars.count() - 3)
        href = bar.get_attribute("href")
        assert href is not None and "week=" in href
        bar.focus()   # keyboard focus shows the value in words
        tip = page.locator(".chart-tip")
        assert tip.is_visible() and "km" in tip.inner_text() and "Week of" in tip.inner_text()
        bar.click()
        page.wait_for_url("**week=**")
        heading = page.locator("#week-runs h2")
        assert heading.inner_text().startswith("Runs in the week of")
        assert page.locator("#week-runs tbody tr").count() >= 1
    finally:
        context.close()


def test_pdf_shows_progress_then_downloads(demo_server: tuple[str, dict[str, str]], browser: Any) -> None:
    base, _pages = demo_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto("/report")
        with page.expect_download() as download:
            page.get_by_role("button", name="Prepare the PDF").click()
            page.wait_for_url("**/jobs/**")
        assert download.value.suggested_filename.endswith(".pdf")
        page.locator("text=Your report is ready").wait_for()
        page.screenshot(path=str(ARTIFACTS / "report-pdf-ready-phone.png"), full_page=True)
    finally:
        context.close()
