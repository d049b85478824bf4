"""Plans stored on both databases, the screening requirement, findings from other areas, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from backstride.errors import NotFoundError, ValidationFailed
from backstride.plan.model import Plan, PlanOptions, SessionKind
from backstride.workflows import plans as wf
from backstride.workflows.workspace import Workspace
from test_plan_generate import screening

ANSWERS = Path(__file__).resolve().parents[1] / "docs" / "examples" / "answers.yaml"
START = dt.date(2026, 3, 2)


def _options() -> PlanOptions:
    return wf.make_options(start=START, equipment=["mat", "band"], run_days="tue,thu,sun")


def test_generate_stores_and_reads_back(any_workspace: Workspace) -> None:
    s = screening(codes=("screen.weak_trunk_endurance", "screen.prolonged_sitting"))
    plan_id, plan = wf.generate_plan(any_workspace, "amira", _options(), screening=s, extra_findings=())
    assert wf.current_plan(any_workspace, "amira") == plan
    assert wf.get_plan(any_workspace, plan_id) == plan
    assert wf.current_plan(any_workspace, "nobody") is None
    second_id, _ = wf.generate_plan(any_workspace, "amira", _options(), screening=s, extra_findings=())
    assert wf.require_current_plan(any_workspace, "amira")[0] == second_id > plan_id


def test_no_screening_says_what_to_run(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError) as info:
        wf.generate_plan(workspace, "amira", _options())
    assert "no screening yet" in info.value.message
    # a plain hint for every surface; the command line adds the command, the web a link to the page
    assert info.value.plain_hint == "complete the screening first"
    assert info.value.hint == "complete the screening first (run `backstride screen`)"
    assert info.value.page == ("/screening", "Start the screening")
    with pytest.raises(NotFoundError, match="no plan yet"):
        wf.require_current_plan(workspace, "amira")


def test_rejected_options_store_nothing(workspace: Workspace) -> None:
    s = screening()
    with pytest.raises(ValidationFailed):
        wf.generate_plan(workspace, "amira", wf.make_options(start=START, weeks=12), screening=s)
    assert wf.current_plan(workspace, "amira") is None
    with pytest.raises(ValidationFailed, match="not a weekday: funday"):
        wf.make_options(run_days="mon,funday")
    with pytest.raises(ValidationFailed, match="unknown item"):
        wf.make_options(equipment=["rowing machine"])


def test_option_words_are_understood() -> None:
    opts = wf.make_options(start=START, run_days="Monday, wed sat", hard_days="wed", equipment=["none"])
    assert opts.run_days == (0, 2, 5) and opts.long_run_day == 5 and opts.hard_days == (2,)
    assert opts.equipment == frozenset()
    assert wf.make_options().equipment == wf.HOUSEHOLD_EQUIPMENT
    assert wf.make_options().start_date == dt.date.today() + dt.timedelta(days=1)


def test_the_plan_is_built_from_the_assessment_with_load_findings(workspace: Workspace) -> None:
    from backstride.activities.model import Activity
    from backstride.workflows import activities
    from backstride.workflows.assessment import assess

    day = START - dt.timedelta(days=1)

    def run(days_ago: int, km: float) -> Activity:
        start = dt.datetime.combine(day - dt.timedelta(days=days_ago), dt.time(7), tzinfo=dt.UTC)
        return Activity(sport="running", start_time=start, elapsed_s=km * 360, timer_s=km * 360,
                        distance_m=km * 1000, source_format="fit")

    # 10 km runs for a month, then 16 km yesterday: a single-run spike of +60 %
    activities.store_activities(workspace, "amira", [*(run(k, 10.0) for k in range(28, 1, -3)), run(1, 16.0)])
    known = assess(workspace, "amira", day)
    assert "load.single_run_spike" in {f.code for f in known.measured_findings}
    assert known.screening is None
    with pytest.raises(NotFoundError, match="no screening yet"):
        wf.generate_plan(workspace, "amira", _options(), assessment=known)
    _, plan = wf.generate_plan(workspace, "amira", _options(), screening=screening(), assessment=known)
    assert any(a.code == "load.single_run_spike" for a in plan.load_advice)


def test_exports_parse(workspace: Workspace) -> None:
    s = screening(codes=("screen.weak_hip_abductors", "screen.prolonged_sitting"))
    _, plan = wf.generate_plan(workspace, "amira", _options(), screening=s, extra_findings=())
    cal = Calendar.from_ical(wf.plan_to_ics(plan))
    events = [e for e in cal.walk("VEVENT") if "checkin" not in str(e["UID"])]   # sessions; the check-in is one more
    assert len(events) == len(plan.sessions())
    assert len({str(e["UID"]) for e in events}) == len(events)
    first = min(events, key=lambda e: (e.decoded("DTSTART"), str(e["UID"])))
    assert first.decoded("DTSTART") == START and first.decoded("DTEND") == START + dt.timedelta(days=1)
    strength = next(e for e in events if "strength" in str(e["CATEGORIES"].to_ical()))
    assert "Strength and control" in str(strength["SUMMARY"]) and "- " in str(strength["DESCRIPTION"])
    assert wf.plan_to_ics(plan) == wf.plan_to_ics(plan)
    md = wf.plan_to_markdown(plan)
    assert md.startswith("# Your 4-week plan from 2 March 2026.") and "## Stop rules" in md
    html = wf.plan_to_html(plan)
    assert html.startswith("<!doctype html>") and "<script" not in html


def test_referral_cannot_go_in_a_calendar(workspace: Workspace) -> None:
    from backstride.errors import InputError
    from backstride.intake.model import TriageTier

    _, plan = wf.generate_plan(workspace, "amira", _options(), screening=screening(TriageTier.URGENT))
    with pytest.raises(InputError, match="referral"):
        wf.plan_to_ics(plan)
    assert "What to do now" in wf.plan_to_markdown(plan)


def test_cli_plan_show_export_and_exercises(cli: Any, tmp_path: Path) -> None:
    run = cli
    res = run("plan", "--json")
    assert res.exit_code == 1 and "backstride screen" in res.stdout
    assert run("screen", "--answers", str(ANSWERS), "--json").exit_code == 0
    res = run("plan", "--start", "2026-03-02", "--equipment", "mat,band", "--run-days", "tue,thu,sun",
              "--hard-days", "thu", "--json")
    assert res.exit_code == 0, res.stdout
    doc = res.json()
    assert doc["id"] >= 1 and doc["status"] == "plan" and doc["options"]["hard_days"] == [3]
    plan = Plan.from_dict({k: v for k, v in doc.items() if k not in ("id", "runner")})
    shown = run("plan", "show", "--json").json()
    assert shown["id"] == doc["id"] and shown["weeks"] == doc["weeks"]
    text = run("plan", "show")
    assert text.exit_code == 0 and "Strength and control" in text.stdout
    ics = tmp_path / "out" / "plan.ics"
    res = run("plan", "export", "--ics", str(ics), "--format", "html", "--output", str(tmp_path / "plan.html"))
    assert res.exit_code == 0 and ics.exists() and (tmp_path / "plan.html").read_text().startswith("<!doctype")
    assert len(list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))) == len(plan.sessions()) + 1  # + check-in
    md = run("plan", "export")
    assert md.stdout.startswith("# ")
    exported = run("plan", "export", "--json").json()
    assert exported["document"].startswith("# ")
    assert run("plan", "export", "--format", "pdf").exit_code == 1
    bad = run("plan", "--equipment", "jetpack", "--json")
    assert bad.exit_code == 1 and bad.json()["error"]["problems"][0]["field"] == "equipment"
    assert run("plan", "show", "--json").json()["id"] == doc["id"]
    listing = run("exercise", "list", "--json").json()
    assert len(listing["exercises"]) >= 50
    one = run("exercise", "show", "bird-dog", "--json").json()
    assert one["id"] == "bird_dog" and len(one["instructions"]) >= 2
    shown_text = run("exercise", "show", "bird_dog")
    assert "Start:" in shown_text.stdout and "Cues" in shown_text.stdout
    missing = run("exercise", "show", "plank", "--json")
    assert missing.exit_code == 1 and "front_plank" in json.dumps(missing.json())
    assert run("exercise", "list", "--category", "cardio").exit_code == 1
    hips = run("exercise", "list", "--addresses", "form.pelvic_drop", "--json").json()["exercises"]
    assert {"clamshell", "hip_hike", "side_plank"} <= {e["id"] for e in hips}
    assert run("exercise", "list", "--addresses", "screen.weak_hips").exit_code == 1
    assert all(s.kind in SessionKind for s in plan.sessions())


def test_ics_follows_rfc5545_framing(workspace: Workspace) -> None:
    """What strict importers (Google Calendar, Thunderbird) check first: CRLF, folding, required fields."""
    s = screening(codes=("screen.prolonged_sitting",))
    _, plan = wf.generate_plan(workspace, "amira", _options(), screening=s, extra_findings=())
    raw = wf.plan_to_ics(plan)
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"VERSION:2.0" in lines and b"PRODID:-//backstride//plan//EN" in lines
    for event in Calendar.from_ical(raw).walk("VEVENT"):
        if "checkin" in str(event["UID"]):   # the daily check-in: a short timed event, repeated
            assert {"UID", "DTSTAMP", "DTSTART", "DURATION", "RRULE", "SUMMARY"} <= set(event.keys())
            continue
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(event.keys())
        assert event["DTSTART"].params.get("VALUE") == "DATE"
