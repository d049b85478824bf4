"""The session player in a real browser: a whole strength session played on a test clock (no real
waiting), the pain prompt, pause, an offline save that is retried, then Today and progress show it.

Screenshots (start, a hold counting down, the pain prompt, the summary) at phone and laptop width
go to test-artifacts/e2e/ for people to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Cli

from backstride.config import Settings
from session_helpers import plan_with_strength_today

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The real app under uvicorn on loopback, for a runner whose plan has strength today."""
    import socket

    import uvicorn

    from backstride.web.app import create_app

    app = create_app(Settings(data_dir=tmp_path / "data", database_url=None))
    plan_with_strength_today(app.state.workspace, "default")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(10)
    app.state.workspace.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_play_a_whole_strength_session_on_a_test_clock_and_log_it(served: tuple[str, Any], width: int,
                                                                   tmp_path: Path) -> None:
    base, app = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": width, "height": 844 if width < 800 else 900},
                                      base_url=base)
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.clock.install(time=dt.datetime.combine(dt.date.today(), dt.time(18, 0)))

        def shot(name: str, full: bool = False) -> None:
            pg.screenshot(path=str(ARTIFACTS / f"session-{width}-{name}.png"), full_page=full)

        pg.goto("/today")
        pg.get_by_role("link", name=re.compile("Start today's session")).click()
        pg.wait_for_url("**/session?routine=strength")
        player = pg.locator("#player")
        assert player.is_visible()
        assert not pg.locator("#cards").is_visible()          # the player replaces the list of cards
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        data = pg.evaluate("JSON.parse(document.getElementById('session-data').textContent)")
        items = data["items"]
        shot("1-start")
        context.set_offline(True)   # from here on the page has no network: it must play on its own

        main = pg.locator("#p-main")
        timer = pg.locator("#p-timer")
        held_shot = pained = paused = False
        for _ in range(400):
            if pg.locator("#session-log").is_visible():
                break
            label = main.inner_text()
            where = pg.locator("#p-where").inner_text()
            if label == "Start":
                pg.keyboard.press("Enter")
            elif label == "Set done":
                reps = int(re.search(r"of (\d+)", pg.locator("#p-count-of").inner_text())[1])  # type: ignore[index]
                for _ in range(reps):
                    pg.keyboard.press("+")
                assert pg.locator("#p-count").inner_text() == str(reps)
                if not pained:   # once: "this hurts", 3/10 is acceptable, carry on
                    pg.get_by_role("button", name="This hurts").click()
                    assert pg.locator("#p-pain").is_visible()
                    pg.keyboard.press("3")
                    assert "acceptable" in pg.locator("#p-pain-advice").inner_text()
                    shot("3-pain-prompt")
                    pg.get_by_role("button", name="Carry on").click()
                    assert not pg.locator("#p-pain").is_visible()
                    pained = True
                main.click()
            else:   # a countdown: get ready, a hold, a rest or a switch of sides
                assert timer.is_visible()
                left = _seconds(timer.inner_text())
                if label == "End the hold early" and not paused:
                    pg.clock.run_for(2_000)
                    pg.keyboard.press("p")                        # pause: the clock stops
                    frozen = timer.inner_text()
                    pg.clock.run_for(10_000)
                    assert timer.inner_text() == frozen and main.is_visible()
                    pg.keyboard.press("p")
                    paused = True
                    left = _seconds(timer.inner_text())
                if label == "End the hold early" and not held_shot:
                    pg.clock.run_for(1_000)
                    shot("2-hold-countdown")
                    held_shot = True
                    left = _seconds(timer.inner_text())
                pg.clock.run_for(left * 1000 + 400)
            assert "Exercise" in where
        else:
            raise AssertionError("the session did not reach its summary")
        assert pained and (held_shot or not any(i["timed"] for i in items))
        assert "Session done" in pg.locator("#log-title").inner_text()
        summary = pg.locator("#summary-text").inner_text()
        assert f"{len(items)} of {len(items)} exercises" in summary
        for i, it in enumerate(items):   # the summary filled the log form with what was played
            assert pg.locator(f"#done-{i}").is_checked()
            assert pg.locator(f"#sets-{i}").input_value() == str(it["dose"]["sets"])
        first_pain = pg.locator("#pain-0").input_value()
        assert first_pain in ("", "3")
        shot("4-summary", full=True)

        pg.get_by_role("button", name="Save to my journal").click()   # still offline: kept, not lost
        pg.wait_for_function("document.getElementById('log-status').textContent.includes('could not be reached')")
        assert pg.evaluate("window.localStorage.getItem('backstride.session.pending')") is not None
        context.set_offline(False)   # back online: the page sends it by itself (or on "Try saving again")
        if pg.locator("#log-save").is_enabled():
            pg.get_by_role("button", name="Try saving again").click()
        pg.wait_for_function("document.getElementById('log-status').textContent.includes('Saved to your journal')")
        assert pg.evaluate("window.localStorage.getItem('backstride.session.pending')") is None

        pg.get_by_role("link", name="See Today").click()
        pg.wait_for_url("**/today*")
        done = pg.locator("#done")
        assert done.is_visible()
        for it in items:
            assert it["name"] in done.inner_text()
        shot("5-today-after", full=True)
        pg.goto("/progress")
        assert pg.locator("main").is_visible()
        context.close()
        browser.close()
    assert outside == [] and errors == []

    from backstride.workflows import journal

    ws = app.state.workspace
    entry = journal.get_entry(ws, "default", dt.date.today())
    assert entry is not None
    logged = {x.exercise_id: x for x in entry.exercises}
    for it in items:
        got = logged[it["exercise_id"]]
        dose = it["dose"]
        assert got.sets == dose["sets"]
        if dose["reps"] is not None:
            assert got.reps == dose["reps"]
        elif it["timed"]:
            assert got.hold_s == dose["hold_s"]
    cli = Cli(data_dir=tmp_path / "data")
    progress = cli("progress", "--json")
    assert progress.exit_code == 0
    this_week = progress.json()["adherence"][-1]
    assert this_week["done"] >= 1


def _seconds(text: str) -> int:
    minutes, _, seconds = text.strip().partition(":")
    return int(minutes) * 60 + int(seconds)
