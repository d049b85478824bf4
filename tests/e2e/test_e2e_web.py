"""End to end in a real browser: Debian's Chromium driven by Playwright against a live server.

Covers the three journeys of the issue: screening to plan, an upload to the load chart, and a
check-in to the decision; screenshots go to test-artifacts/ for people to look at.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from backstride.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The real app under uvicorn on loopback, in a background thread."""
    import uvicorn

    from backstride.web.app import create_app

    app = create_app(Settings(data_dir=tmp_path / "data"))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    app.state.workspace.close()


@pytest.fixture
def browser_page(server: str) -> Iterator[object]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 412, "height": 915}, base_url=server)
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        context.close()
        browser.close()


def shot(page: object, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def gpx_run(start: dt.datetime, distance_m: float) -> str:
    pts = []
    for t in range(0, int(distance_m / 3.0) + 1, 5):
        stamp = (start + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
        pts.append(f'<trkpt lat="{52.0 + t * 3.0 / 111_320.0:.7f}" lon="13.0"><ele>30</ele><time>{stamp}</time></trkpt>')
    return ('<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="e2e" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
            f'{"".join(pts)}</trkseg></trk></gpx>')


def test_screening_to_plan(browser_page: object) -> None:
    pg = browser_page
    pg.goto("/")  # type: ignore[attr-defined]
    shot(pg, "01-home-newcomer")
    pg.get_by_role("link", name="Start the screening").first.click()  # type: ignore[attr-defined]
    pg.wait_for_url("**/screening")  # type: ignore[attr-defined]
    shot(pg, "01b-screening-intro")
    pg.locator("main").get_by_role("link", name="Start the screening").click()  # type: ignore[attr-defined]
    pg.wait_for_url("**/screening/step/1")  # type: ignore[attr-defined]
    step = 1
    while True:
        if not pg.locator("form.questionnaire").count():  # type: ignore[attr-defined]
            shot(pg, "failed-screening-step")
            raise AssertionError(f"step {step}: no questionnaire at {pg.url}: {pg.locator('main').inner_text()[:600]}")  # type: ignore[attr-defined]
        if pg.locator("#age_years").count():  # type: ignore[attr-defined]
            pg.fill("#age_years", "34")  # type: ignore[attr-defined]
        if pg.locator("#has_back_pain-no").count():  # type: ignore[attr-defined]
            pg.check("#has_back_pain-no")  # type: ignore[attr-defined]
        for radio in pg.locator('fieldset input[type=radio][id$="-no"]').all():  # type: ignore[attr-defined]
            if radio.is_visible():
                radio.check()
        if step == 1:
            shot(pg, "02-screening-warning-signs")
        finish = pg.get_by_role("button", name="See my result")  # type: ignore[attr-defined]
        if finish.count():
            finish.click()
            break
        pg.get_by_role("button", name="Save and continue").click()  # type: ignore[attr-defined]
        step += 1
        assert step < 20
    pg.wait_for_url("**/screening/result/*")  # type: ignore[attr-defined]
    assert pg.locator("#triage").is_visible()  # type: ignore[attr-defined]
    assert "not a diagnosis" in pg.content()  # type: ignore[attr-defined]
    shot(pg, "03-screening-result")
    pg.get_by_role("button", name="Build my plan").click()  # type: ignore[attr-defined]
    pg.wait_for_url("**/plan")  # type: ignore[attr-defined]
    assert pg.get_by_role("heading", name="Your plan").is_visible()  # type: ignore[attr-defined]
    assert pg.get_by_role("link", name="Add to my calendar (.ics)").is_visible()  # type: ignore[attr-defined]
    assert pg.locator("article.exercise").count() > 0  # type: ignore[attr-defined]
    shot(pg, "04-plan")


SOFTENING = ("easy walk", "gentle part of your plan", "is acceptable if", "harmless", "Build your plan",
             "Build my plan", "Check in now", "Stop and get help if", "Amber")


def shot_both(page: object, name: str) -> None:
    """The same page at phone (390 px) and laptop (1366 px) width."""
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})  # type: ignore[attr-defined]
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 412, "height": 915})  # type: ignore[attr-defined]


def test_emergency_answer_shows_the_emergency_result_as_the_very_next_page(browser_page: object) -> None:
    pg = browser_page
    pg.goto("/screening/step/1")  # type: ignore[attr-defined]
    # The warning signs are the first step: nothing about pain details or self-tests before them.
    assert pg.get_by_role("heading", name="Warning signs").is_visible()  # type: ignore[attr-defined]
    assert pg.locator("#prone_plank_s").count() == 0  # type: ignore[attr-defined]
    shot_both(pg, "10-step1-warning-signs")
    # Continue without answering: the same step says what is missing, in plain words.
    pg.get_by_role("button", name="Save and continue").click()  # type: ignore[attr-defined]
    pg.wait_for_selector("#step-problems")  # type: ignore[attr-defined]
    assert "choose No if it does not apply" in pg.locator("#step-problems").inner_text()  # type: ignore[attr-defined]
    assert "/screening/step/1" in pg.url  # type: ignore[attr-defined]
    shot_both(pg, "11-step1-missing-answers")
    # Saddle numbness, at its first appearance: the emergency result is the very next page.
    pg.check("#has_back_pain-yes")  # type: ignore[attr-defined]
    pg.check("#rf_saddle_numbness-yes")  # type: ignore[attr-defined]
    pg.get_by_role("button", name="Save and continue").click()  # type: ignore[attr-defined]
    pg.wait_for_url("**/screening/result/*")  # type: ignore[attr-defined]
    triage = pg.locator("#triage")  # type: ignore[attr-defined]
    assert "emergency" in (triage.get_attribute("class") or "")
    assert "Emergency: get medical help now" in triage.inner_text()
    main = pg.locator("main").inner_text()  # type: ignore[attr-defined]
    for text in SOFTENING:
        assert text not in main, text
    shot_both(pg, "12-emergency-result")
    for path, name in (("/today", "13-emergency-today"), ("/plan", "14-emergency-plan"), ("/", "15-emergency-home")):
        pg.goto(path)  # type: ignore[attr-defined]
        first = pg.locator("main section").first  # type: ignore[attr-defined]
        assert "emergency" in (first.get_attribute("class") or ""), path
        main = pg.locator("main").inner_text()  # type: ignore[attr-defined]
        for text in SOFTENING:
            assert text not in main, (path, text)
        shot_both(pg, name)
    pg.goto("/report.html")  # type: ignore[attr-defined]
    assert pg.locator("body > .triage.emergency").first.is_visible()  # type: ignore[attr-defined]
    shot_both(pg, "16-emergency-report")


def test_enter_in_a_screening_field_goes_forward(browser_page: object) -> None:
    pg = browser_page
    from backstride.workflows.screening import questionnaire

    qn = questionnaire()
    profile = next(i for i, s in enumerate(qn.sections, start=1) if s.id == "profile")
    pg.goto(f"/screening/step/{profile}")  # type: ignore[attr-defined]
    pg.fill("#age_years", "34")  # type: ignore[attr-defined]
    pg.press("#age_years", "Enter")  # type: ignore[attr-defined]
    pg.wait_for_url(f"**/screening/step/{profile + 1}")  # type: ignore[attr-defined]
    bones = next(i for i, s in enumerate(qn.sections, start=1) if s.id == "bone_stress")
    pg.goto(f"/screening/step/{bones}")  # type: ignore[attr-defined]
    shot_both(pg, "17-step-bones-and-energy")


def test_upload_to_load_chart(browser_page: object, tmp_path: Path) -> None:
    pg = browser_page
    files = []
    for i in range(5):
        start = dt.datetime.combine(dt.date.today() - dt.timedelta(days=2 * i), dt.time(7), tzinfo=dt.UTC)
        path = tmp_path / f"run{i}.gpx"
        path.write_text(gpx_run(start, 5000 + 1500 * i), encoding="utf-8")
        files.append(str(path))
    pg.goto("/activities")  # type: ignore[attr-defined]
    pg.set_input_files("#files", files)  # type: ignore[attr-defined]
    shot(pg, "05-activities-before-import")
    pg.get_by_role("button", name="Import", exact=True).click()  # type: ignore[attr-defined]
    pg.wait_for_url("**/activities", timeout=60_000)  # the job page forwards when the import is done
    chart = pg.locator("#weekly-load svg:visible")  # type: ignore[attr-defined]  # the drawing for this width
    assert chart.is_visible()
    assert "Distance per week (km)" in chart.inner_html()
    assert "5 runs" in pg.content()  # type: ignore[attr-defined]
    shot(pg, "06-load-chart")


def test_check_in_to_decision(browser_page: object) -> None:
    pg = browser_page
    pg.goto("/today")  # type: ignore[attr-defined]
    pg.get_by_label("Pain when you woke up").fill("2")  # type: ignore[attr-defined]
    pg.get_by_label("Distance (km)").fill("7.5")  # type: ignore[attr-defined]
    pg.get_by_label("Pain during the run (0-10)").fill("7")  # type: ignore[attr-defined]
    pg.get_by_role("button", name="Save check-in and see today's answer").click()  # type: ignore[attr-defined]
    pg.wait_for_selector("#decision")  # type: ignore[attr-defined]
    decision = pg.locator("#decision")  # type: ignore[attr-defined]
    assert "light red" in (decision.get_attribute("class") or "")
    assert "no run today" in decision.inner_text().lower()
    assert pg.get_by_label("Distance (km)").input_value() == "7.5"  # type: ignore[attr-defined]
    shot(pg, "07-today-decision")


def screening_steps() -> int:
    from backstride.workflows.screening import questionnaire

    return len(questionnaire().sections)


def test_keyboard_reaches_content_and_labels_exist(browser_page: object) -> None:
    pg = browser_page
    outside: list[str] = []
    pg.on("request", lambda req: outside.append(req.url) if not req.url.startswith(("http://127.0.0.1:", "data:")) else None)  # type: ignore[attr-defined]
    pg.goto("/today")  # type: ignore[attr-defined]
    pg.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert pg.evaluate("document.activeElement.textContent") == "Skip to content"  # type: ignore[attr-defined]
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert pg.evaluate("document.activeElement.id") == "main"  # type: ignore[attr-defined]
    pages = ["/", "/today", "/activities", "/form", "/plan", "/progress", "/report", "/data", "/findings",
             "/screening", *[f"/screening/step/{i}" for i in range(1, screening_steps() + 1)]]
    for path in pages:
        response = pg.goto(path)  # type: ignore[attr-defined]
        assert response is not None and response.status == 200, path
        unlabeled = pg.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(el => !(el.labels && el.labels.length)).map(el => el.name || el.id)""")  # type: ignore[attr-defined]
        assert unlabeled == [], (path, unlabeled)
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")  # type: ignore[attr-defined]
        assert overflow <= 1, (path, overflow)  # nothing wider than a phone screen
    assert outside == []  # every asset comes from the app itself: no CDN, no network
