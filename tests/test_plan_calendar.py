"""Calendar export: alarms for the morning check-in and each session, and the subscribable feed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from tests.conftest import Cli

from backstride.errors import ValidationFailed
from backstride.reports.plan_export import Reminders
from backstride.workflows import calendar, journal, plans, sessions
from backstride.workflows.workspace import Workspace
from session_helpers import plan_with_strength_today

TODAY = dt.date.today()


def events(body: bytes) -> list[Any]:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def alarms(event: Any) -> list[Any]:
    return [c for c in event.subcomponents if c.name == "VALARM"]


@pytest.fixture
def planned(workspace: Workspace) -> tuple[Workspace, Any]:
    return workspace, plan_with_strength_today(workspace, None)


def test_default_reminders_alarm_each_session_kind_and_a_daily_check_in(planned: tuple[Workspace, Any]) -> None:
    ws, plan = planned
    evs = events(calendar.calendar(ws, None))
    checkin = [e for e in evs if "checkin" in str(e["uid"])]
    assert len(checkin) == 1
    ci = checkin[0]
    assert ci.decoded("dtstart") == dt.datetime.combine(plan.options.start_date, dt.time(7, 30))   # floating local time
    assert ci["rrule"]["FREQ"] == ["DAILY"]
    assert ci["rrule"]["UNTIL"][0].date() == plan.end_date
    assert [a.decoded("trigger") for a in alarms(ci)] == [dt.timedelta(0)]
    by_kind: dict[str, list[Any]] = {}
    for e in evs:
        by_kind.setdefault(str(e["categories"].cats[0]), []).append(e)
    strength = by_kind["strength"]
    assert strength and all([a.decoded("trigger") for a in alarms(e)] == [dt.timedelta(hours=18)] for e in strength)
    assert all(str(alarms(e)[0]["action"]) == "DISPLAY" and alarms(e)[0]["description"] for e in strength)
    assert all(alarms(e) for e in by_kind["desk"])
    assert not any(alarms(e) for e in by_kind.get("post_run", []))   # it follows the run: no second nudge
    run_days = {e.decoded("dtstart") for e in by_kind.get("run", [])}
    reminded = [e.decoded("dtstart") for e in evs if alarms(e) and str(e["categories"].cats[0]) in ("pre_run", "run")]
    assert sorted(reminded) == sorted(run_days)                      # one nudge per run day
    assert len(evs) == len(plan.sessions()) + 1


def test_chosen_times_and_off(planned: tuple[Workspace, Any]) -> None:
    ws, _plan = planned
    chosen = plans.parse_reminders(["checkin=6:45", "strength=19:15,desk=off", "run=none"])
    assert chosen == Reminders(dt.time(6, 45), dt.time(19, 15), None, None)
    evs = events(calendar.calendar(ws, None, chosen))
    strength = [e for e in evs if str(e["categories"].cats[0]) == "strength"]
    assert {a.decoded("trigger") for e in strength for a in alarms(e)} == {dt.timedelta(hours=19, minutes=15)}
    assert not any(alarms(e) for e in evs if str(e["categories"].cats[0]) in ("desk", "run", "pre_run"))
    quiet = events(calendar.calendar(ws, None, plans.parse_reminders(["none"])))
    assert not any(alarms(e) for e in quiet) and not any("checkin" in str(e["uid"]) for e in quiet)


def test_bad_reminders_are_named() -> None:
    with pytest.raises(ValidationFailed) as err:
        plans.parse_reminders(["lunch=12:00", "strength=25:00", "desk"])
    fields = sorted(p.field for p in err.value.problems)
    assert fields == ["remind", "remind", "remind strength"]


def test_export_writes_the_alarms_and_reports_the_times(cli: Cli, tmp_path: Path) -> None:
    ws = Workspace.open(_settings(cli))
    try:
        plan_with_strength_today(ws, None)
    finally:
        ws.close()
    out = tmp_path / "plan.ics"
    res = cli("plan", "export", "--ics", str(out), "--remind", "strength=17:00", "--remind", "checkin=off", "--json")
    assert res.exit_code == 0, res.stdout
    assert res.json()["reminders"] == {"checkin": None, "strength": "17:00", "run": "17:30", "desk": "10:30"}
    cal = Calendar.from_ical(out.read_bytes())
    assert any(a.decoded("trigger") == dt.timedelta(hours=17) for e in cal.walk("VEVENT") for a in alarms(e))
    assert cli("plan", "export", "--remind", "strength=17:00", "--json").exit_code == 1   # --remind needs --ics
    assert cli("plan", "export", "--ics", str(out), "--remind", "brunch=9", "--json").exit_code == 1


def _settings(cli: Cli) -> Any:
    from backstride.config import Settings

    return Settings(data_dir=cli.data_dir, database_url=None)


def test_a_calendar_subscribes_to_the_feed_and_sees_plan_changes(client: Any) -> None:
    from web_helpers import ws_of

    ws = ws_of(client)
    plan_with_strength_today(ws, "Mara Lee")
    client.cookies.set("backstride_runner", "Mara Lee")
    page = client.get("/plan").text
    assert "webcal://127.0.0.1/plan.ics?runner=Mara+Lee" in page
    feed = "/plan.ics?runner=Mara+Lee&checkin=07:00&strength=18:30&run=off&desk=off"
    client.cookies.clear()   # a calendar app sends no cookies: the address alone names the profile
    first = client.get(feed)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/calendar")
    assert first.headers["content-disposition"].startswith("inline")
    cal = Calendar.from_ical(first.content)
    assert "Mara Lee" in str(cal["x-wr-calname"])
    strength = [e for e in cal.walk("VEVENT") if str(e["categories"].cats[0]) == "strength"]
    assert {a.decoded("trigger") for e in strength for a in alarms(e)} == {dt.timedelta(hours=18, minutes=30)}
    assert client.get(feed).content == first.content   # stable: the same plan gives the same feed
    # The journal moves a dose: the next refresh of the same address carries it.
    guided = sessions.guided_session(ws, "Mara Lee", "strength", TODAY)
    target = guided.items[0]
    day = TODAY - dt.timedelta(days=5)
    while day <= TODAY:
        journal.log_answers(ws, "Mara Lee", day, {"pain_morning": 1}, today=TODAY)
        day += dt.timedelta(days=1)
    for back in (4, 2):
        amount = {"reps": target.dose.reps} if target.dose.reps is not None else {"hold_s": target.dose.hold_s}
        journal.log_answers(ws, "Mara Lee", TODAY - dt.timedelta(days=back),
                            {"exercises": [{"exercise_id": target.exercise_id, "sets": target.dose.sets,
                                            "pain_during": 1, **amount}]}, today=TODAY)
    moved = journal.explain_doses(ws, "Mara Lee", TODAY)[target.plan_exercise_id]
    assert moved.changes and moved.changes[-1].kind == "advance"
    second = client.get(feed)
    assert second.content != first.content
    coming = [e for e in Calendar.from_ical(second.content).walk("VEVENT")
              if str(e["categories"].cats[0]) == "strength" and e.decoded("dtstart") >= TODAY]
    assert coming and all(f"{target.name}: {moved.dose.describe()}" in str(e["description"]) for e in coming)
    # A new plan replaces the old one at the same address.
    plans.generate_plan(ws, "Mara Lee", plans.make_options(start=TODAY + dt.timedelta(days=1), weeks=4))
    third = Calendar.from_ical(client.get(feed).content)
    starts = sorted(e.decoded("dtstart") for e in third.walk("VEVENT") if isinstance(e.decoded("dtstart"), dt.date)
                    and not isinstance(e.decoded("dtstart"), dt.datetime))
    tomorrow = TODAY + dt.timedelta(days=1)
    assert starts and starts[0] >= tomorrow
    assert all(str(e["uid"]).startswith(f"{tomorrow:%Y%m%d}-") for e in third.walk("VEVENT"))


def test_the_feed_names_a_bad_profile_or_time(client: Any) -> None:
    assert client.get("/plan.ics?runner=%3Cx%3E").status_code == 400
    from web_helpers import ws_of

    plan_with_strength_today(ws_of(client), "default")
    res = client.get("/plan.ics?strength=27:00", headers={"Accept": "application/json"})
    assert res.status_code == 400 and "remind strength" in str(res.json())
    assert client.get("/plan.ics?download=1").headers["content-disposition"].startswith("attachment")
