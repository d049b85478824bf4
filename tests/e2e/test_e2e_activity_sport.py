"""In a real browser at phone width: a "run" too fast to be one is shown as needing a check,
and the runner corrects its sport from its page with the keyboard only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_e2e_web import browser_page, server, shot  # noqa: F401  (fixtures)


def test_correct_the_sport_of_a_held_run_at_390_px(browser_page: object, tmp_path: Path) -> None:  # noqa: F811
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from support.fit_writer import activity_to_fit
    from test_activities_round2 import fast_run

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    start = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(7), tzinfo=dt.UTC)
    path = tmp_path / "fast.fit"
    path.write_bytes(activity_to_fit(fast_run(start)))
    page.goto("/activities")  # type: ignore[attr-defined]
    page.set_input_files("#files", str(path))  # type: ignore[attr-defined]
    page.click("form[action='/activities/upload'] button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Imported 1 activit")  # type: ignore[attr-defined]
    page.goto("/activities/list")  # type: ignore[attr-defined]
    assert "please check" in page.content()  # type: ignore[attr-defined]
    page.click("table a")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Was this a run?")  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # type: ignore[attr-defined]
    shot(page, "activity-held-run-390")
    page.focus("#sport")  # type: ignore[attr-defined]
    page.select_option("#sport", "cycling")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_selector("text=set by you")  # type: ignore[attr-defined]
    assert "Was this a run?" not in page.content()  # type: ignore[attr-defined]
    shot(page, "activity-sport-corrected-390")
