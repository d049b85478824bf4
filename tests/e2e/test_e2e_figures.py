"""Exercise illustrations in a real browser at phone width: drawn, moving, still under reduced motion.

Screenshots of a handful of figures go to test-artifacts/e2e/figures-*.png for people to look at.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from test_e2e_web import ARGS, ARTIFACTS, CHROMIUM, server  # noqa: F401  (server is a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

SHOWN = ("bird_dog", "front_plank", "side_plank", "kneeling_hip_flexor_stretch", "glute_bridge", "clamshell")
# The policy the app is heading for: no inline script at all, styles only from the app (and the
# hash of the SVG's one reduced-motion rule).
STRICT = "default-src 'self'; script-src 'self'; style-src 'self' {hash}; img-src 'self' data:"


def _context(p: object, server_url: str, reduced: bool) -> object:
    browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)  # type: ignore[attr-defined]
    return browser.new_context(viewport={"width": 390, "height": 844}, base_url=server_url,
                               reduced_motion="reduce" if reduced else "no-preference")


@pytest.fixture
def pages(server: str) -> Iterator[tuple[object, object, list[str]]]:  # noqa: F811
    from backstride.reports.figures import reduced_motion_style_hash

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    policy = STRICT.format(hash=f"'{reduced_motion_style_hash()}'")
    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        moving, still = _context(p, server, False), _context(p, server, True)
        out = []
        for ctx in (moving, still):
            def add_policy(route: object) -> None:
                resp = route.fetch()  # type: ignore[attr-defined]
                route.fulfill(response=resp, headers={**resp.headers,  # type: ignore[attr-defined]
                                                      "content-security-policy": policy})
            ctx.route("**/exercises**", add_policy)  # type: ignore[attr-defined]
            pg = ctx.new_page()  # type: ignore[attr-defined]
            pg.set_default_timeout(20_000)
            pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            out.append(pg)
        yield out[0], out[1], errors
        for ctx in (moving, still):
            ctx.close()  # type: ignore[attr-defined]


def _points(pg: object) -> str:
    return str(pg.evaluate(  # type: ignore[attr-defined]
        "() => Array.from(document.querySelectorAll('svg.exercise-figure .bsf-anim polyline'))"
        ".map(p => Array.from(p.animatedPoints).map(q => q.x.toFixed(1) + ',' + q.y.toFixed(1)).join(' '))"
        ".join('|')"))


def test_figures_draw_move_and_hold_still_under_reduced_motion(pages: tuple[object, object, list[str]]) -> None:
    moving, still, errors = pages
    for ex_id in SHOWN:
        for pg, label in ((moving, "moving"), (still, "still")):
            pg.goto(f"/exercises/{ex_id}")  # type: ignore[attr-defined]
            svg = pg.locator("main svg.exercise-figure").first  # type: ignore[attr-defined]
            box = svg.bounding_box()
            assert box and box["width"] > 250 and box["height"] > 80, (ex_id, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the figure fits the phone screen"
            name = svg.get_attribute("aria-label")
            assert name and name.startswith(pg.locator("h1").inner_text())  # type: ignore[attr-defined]
            anim = pg.locator("main svg.exercise-figure .bsf-anim")  # type: ignore[attr-defined]
            still_fig = pg.locator("main svg.exercise-figure .bsf-still")  # type: ignore[attr-defined]
            if anim.count():
                if label == "moving":
                    assert anim.first.is_visible() and not still_fig.first.is_visible()
                    before = _points(pg)
                    time.sleep(0.9)
                    assert _points(pg) != before, f"{ex_id} does not move"
                else:
                    assert still_fig.first.is_visible() and not anim.first.is_visible(), ex_id
            svg.screenshot(path=str(ARTIFACTS / f"figures-{ex_id}-{label}.png"))  # type: ignore[attr-defined]
    moving.goto("/exercises")  # type: ignore[attr-defined]
    assert moving.locator("svg.exercise-figure").count() == 81  # type: ignore[attr-defined]
    moving.screenshot(path=str(ARTIFACTS / "figures-library.png"))  # type: ignore[attr-defined]
    blocked = [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    assert not blocked, blocked

