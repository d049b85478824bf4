"""Screening in steps, the triage result, the Today check-in and decision, findings and progress."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web_helpers import ws_of

screening = pytest.importorskip("backstride.workflows.screening")
journal = pytest.importorskip("backstride.workflows.journal")

NO_PAIN_ANSWERS: dict[str, str] = {"age_years": "34", "has_back_pain": "no"}


def steps(client: TestClient) -> int:
    return len(screening.questionnaire().sections)


def red_flags_all_no(extra: dict[str, str] | None = None) -> dict[str, str]:
    qn = screening.questionnaire()
    out = {q.id: "no" for q in qn.questions if q.section == "red_flags" and not q.ask_if}
    out.update(extra or {})
    return out


def answer_all(client: TestClient, overrides: dict[int, dict[str, Any]]) -> Any:
    """Walk every step; return the response after the last one."""
    n = steps(client)
    response = None
    for step in range(1, n + 1):
        data = dict(overrides.get(step, {}))
        data["action"] = "finish" if step == n else "next"
        response = client.post(f"/screening/step/{step}", data=data)
    return response


def red_flag_step() -> int:
    qn = screening.questionnaire()
    return next(i for i, s in enumerate(qn.sections, start=1) if s.id == "red_flags")


def symptoms_step() -> int:
    qn = screening.questionnaire()
    return next(i for i, s in enumerate(qn.sections, start=1) if s.id == "symptoms")


def test_every_step_renders_with_labelled_fields(client: TestClient) -> None:
    assert "Start the screening" in client.get("/screening").text
    for step in range(1, steps(client) + 1):
        r = client.get(f"/screening/step/{step}")
        assert r.status_code == 200, step
        html = r.text
        for field_id in re.findall(r'<input type="number" id="([^"]+)"', html):
            assert f'<label for="{field_id}">' in html, field_id
        for radio_id in re.findall(r'<input type="radio" id="([^"]+)"', html):
            assert f'<label for="{radio_id}">' in html, radio_id
    assert client.get(f"/screening/step/{steps(client) + 1}").status_code == 404


def test_self_test_step_shows_instructions(client: TestClient) -> None:
    qn = screening.questionnaire()
    step = next(i for i, s in enumerate(qn.sections, start=1) if s.id == "self_tests")
    html = client.get(f"/screening/step/{step}").text
    assert "How to do this test" in html
    assert "<ol>" in html


def test_partial_answers_are_kept_as_a_draft(client: TestClient) -> None:
    r = client.post("/screening/step/1", data={"age_years": "41", "action": "later"})
    assert r.status_code == 200
    assert "You have unfinished answers" in r.text
    assert 'value="41"' in client.get("/screening/step/1").text
    client.post("/screening/discard")
    assert "Start the screening" in client.get("/screening").text


def test_bad_value_in_a_step_is_rejected_with_the_field_named(client: TestClient) -> None:
    r = client.post("/screening/step/1", data={"age_years": "7"})
    assert r.status_code == 400
    assert "step 1, \u201cHow old are you?\u201d" in r.text
    assert screening.load_draft(ws_of(client), "default") is None


def test_missing_required_answers_are_listed_by_wording(client: TestClient) -> None:
    r = answer_all(client, {1: {"age_years": "30"}})
    assert r.status_code == 400
    assert "Some answers need another look" in r.text
    assert "is required but missing" in r.text
    assert f"step {red_flag_step()}" in r.text


def test_self_manage_result_offers_the_plan(client: TestClient) -> None:
    r = answer_all(client, {1: {"age_years": "34"}, symptoms_step(): {"has_back_pain": "no"},
                            red_flag_step(): red_flags_all_no()})
    assert r.status_code == 200
    assert "/screening/result/" in str(r.url)
    html = r.text
    assert 'class="triage self_manage"' in html
    assert "not a diagnosis" in html
    assert screening.latest_screening(ws_of(client), "default") is not None


def test_emergency_result_comes_first_and_offers_no_plan(client: TestClient) -> None:
    r = answer_all(client, {1: {"age_years": "50"}, symptoms_step(): {"has_back_pain": "no"},
                            red_flag_step(): red_flags_all_no({"rf_saddle_numbness": "yes"})})
    assert r.status_code == 200
    main = r.text.split('<main id="main"', 1)[1]
    first_section = main.split("<section", 2)[1]
    assert 'triage emergency' in first_section
    assert 'role="alert"' in first_section
    assert "Build my plan" not in main


def test_today_without_a_check_in_then_with_one(client: TestClient) -> None:
    r = client.get("/today")
    assert r.status_code == 200
    main = r.text.split('<main id="main"', 1)[1]
    decision = main.split('id="decision"', 1)[1].split("</section>", 1)[0]   # after the opening tag
    # nothing is known yet: the answer says so and offers the check-in and the screening
    assert "Nothing logged yet" in main and 'href="#checkin"' in decision and 'href="/screening"' in decision
    r = client.post("/today", data={"pain_morning": "2", "run_distance_km": "8", "pain_during_run": "7"})
    assert r.status_code == 200
    assert 'class="light red"' in r.text
    assert "Red: no run today" in r.text
    entry = journal.get_entry(ws_of(client), "default", dt.date.today())
    assert entry is not None and entry.run_distance_m == pytest.approx(8000.0)


def test_today_green_when_nothing_hurts(client: TestClient) -> None:
    r = client.post("/today", data={"pain_morning": "0", "pain_now": "0"})
    assert r.status_code == 200
    assert re.search(r'class="light (green|amber)"', r.text)


def test_today_red_flag_sends_back_to_screening(client: TestClient) -> None:
    for code, question in journal.red_flag_questions().items():
        r = client.post("/today", data={"pain_morning": "1", "red_flags": code})
        main = r.text.split('<main id="main"', 1)[1]
        first = main.split("<section", 2)[1]
        assert "triage emergency" in first and 'role="alert"' in first
        assert 'href="/screening"' in first and "Repeat the screening" in first
        assert ("Get medical help now" in first) is (question.tier == "emergency")
        assert "`backstride" not in r.text and "backstride screen" not in r.text   # no terminal commands


def today_sections(client: TestClient) -> tuple[str, str]:
    """The decision box and the rest of the Today page, in page order."""
    main = client.get("/today").text.split('<main id="main"', 1)[1]
    found = re.search(r'<section[^>]*id="decision"', main)
    assert found is not None
    assert 'id="checkin"' not in main[:found.start()]   # the answer comes before the check-in form
    after = main[found.start():]
    return after.split("</section>", 1)[0], after


def screen(client: TestClient, symptoms: dict[str, str]) -> None:
    answer_all(client, {1: {"age_years": "34"}, symptoms_step(): symptoms, red_flag_step(): red_flags_all_no()})


def test_today_without_check_in_after_a_pain_free_screening_is_green_with_a_prompt(client: TestClient) -> None:
    screen(client, {"has_back_pain": "no"})
    decision, rest = today_sections(client)
    assert "light green" in decision and "Green: run as planned" in decision
    assert 'href="#checkin"' in decision and "Start the screening" not in decision
    assert "confirm this answer" in decision
    assert "rests on your screening on" in rest and "showed no pain" in rest
    assert "`backstride" not in rest
    form = rest.split('id="checkin"', 1)[1]
    # a quick morning check-in reaches the warning signs before the optional run details
    assert form.index("Pain when you woke up") < form.index("I am limping") < form.index("Distance (km)")


def test_today_without_check_in_after_a_painful_screening_stays_amber(client: TestClient) -> None:
    answers = screening.read_answers_file(Path(__file__).parents[1] / "docs" / "examples" / "answers.yaml")
    screening.run_screening(ws_of(client), "default", answers)
    decision, rest = today_sections(client)
    assert "light amber" in decision and "at most 20 minutes" in decision
    assert 'href="#checkin"' in decision
    assert "showed pain of 4/10" in rest   # the highest rating of the example answers


def test_today_bad_values_store_nothing(client: TestClient) -> None:
    r = client.post("/today", data={"pain_morning": "12", "run_distance_km": "far"})
    assert r.status_code == 400
    assert "Distance (km)" in r.text and "Pain when you woke up" in r.text
    assert journal.list_entries(ws_of(client), "default") == []


def test_progress_and_report_show_logged_pain(client: TestClient) -> None:
    ws = ws_of(client)
    today = dt.date.today()
    for i in range(10, -1, -1):
        day = today - dt.timedelta(days=i)
        journal.log_entry(ws, "default", {"day": day.isoformat(), "pain_morning": i % 4,
                                          "run_distance_m": 6000 + 500 * i if i % 2 else None}, today=day)
    html = client.get("/progress").text
    assert "11 check-ins logged" in html
    assert "Pain (0-10 scale)" in html
    assert "<svg" in html
    assert client.get("/progress?days=3").status_code == 200  # clamped, not an error
    assert "Pain and adherence" in client.get("/report").text


def test_findings_page_lists_screening_findings(client: TestClient) -> None:
    answer_all(client, {1: {"age_years": "34", "sitting_hours_per_day": "11", "strength_sessions_per_week": "0"},
                        symptoms_step(): {"has_back_pain": "no"}, red_flag_step(): red_flags_all_no()})
    html = client.get("/findings").text
    result = screening.latest_screening(ws_of(client), "default")
    assert result is not None
    if result.findings:
        assert result.findings[0].title in html
        assert "Evidence:" in html
    else:
        assert "No findings yet" in html


def test_an_error_page_links_to_the_page_that_helps_instead_of_a_command(client: TestClient) -> None:
    r = client.post("/plan/generate", data={"weeks": "4"})   # no screening yet
    assert r.status_code == 404
    assert "complete the screening first" in r.text and 'href="/screening"' in r.text
    assert "`backstride" not in r.text and "backstride screen" not in r.text
    doc = client.post("/plan/generate", data={"weeks": "4"}, headers={"accept": "application/json"}).json()
    assert doc["error"]["hint"] == "complete the screening first"
    r = client.get("/screening/result/999")
    assert r.status_code == 404 and "backstride history" not in r.text


def test_today_on_the_run_walk_ladder_names_the_stage_not_run_as_planned(client: TestClient) -> None:
    ws = ws_of(client)
    today = dt.date.today()
    journal.log_entry(ws, "default", {"day": (today - dt.timedelta(days=1)).isoformat(), "pain_morning": 1,
                                      "limping": True}, today=today)   # a red day starts the ladder
    assert client.post("/today", data={"pain_morning": "1"}).status_code == 200
    decision, _rest = today_sections(client)
    assert "light green" in decision
    assert "run-walk stage 1 today" in decision and "run as planned" not in decision
    screen(client, {"has_back_pain": "no"})   # the home page shows the light once a screening exists
    home = client.get("/").text
    assert "Run-walk stage 1 today" in home and "Run as planned today" not in home
