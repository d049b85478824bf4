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


def step_of(section_id: str) -> int:
    qn = screening.questionnaire()
    return next(i for i, s in enumerate(qn.sections, start=1) if s.id == section_id)


def all_no(section_id: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every yes/no question of a step that always applies, answered no (as a runner without signs would)."""
    qn = screening.questionnaire()
    out = {q.id: "no" for q in qn.questions if q.section == section_id and not q.ask_if
           and q.type == "boolean" and (q.required or q.flow_required)}
    out.update(extra or {})
    return out


def red_flags_all_no(extra: dict[str, str] | None = None) -> dict[str, str]:
    return all_no("red_flags", extra)


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
    return step_of("red_flags")


def symptoms_step() -> int:
    return step_of("symptoms")


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


def test_warning_signs_are_the_first_step(client: TestClient) -> None:
    html = client.get("/screening/step/1").text
    assert "Warning signs" in html and "rf_saddle_numbness" in html
    assert "prone_plank_s" not in html and "age_years" not in html


def test_partial_answers_are_kept_as_a_draft(client: TestClient) -> None:
    profile = step_of("profile")
    r = client.post(f"/screening/step/{profile}", data={"age_years": "41", "action": "later"})
    assert r.status_code == 200
    assert "You have unfinished answers" in r.text
    assert 'value="41"' in client.get(f"/screening/step/{profile}").text
    client.post("/screening/discard")
    assert "Start the screening" in client.get("/screening").text


def test_bad_value_in_a_step_is_shown_on_that_step(client: TestClient) -> None:
    profile = step_of("profile")
    r = client.post(f"/screening/step/{profile}", data={"age_years": "7"})
    assert r.status_code == 422
    assert f"Screening, step {profile} of" in r.text  # still the same step, not an error page
    summary = r.text.split('id="step-problems"', 1)[1].split("</section>", 1)[0]
    assert "How old are you?" in summary and "out of range" in summary and "16 to 100" in summary
    assert 'aria-invalid="true"' in r.text
    assert screening.load_draft(ws_of(client), "default") is None


def test_missing_warning_sign_answers_are_asked_for_on_the_same_step(client: TestClient) -> None:
    r = client.post("/screening/step/1", data={"has_back_pain": "yes", "rf_saddle_numbness": "no"})
    assert r.status_code == 422
    assert "Screening, step 1 of" in r.text
    assert "Please answer each warning-sign question; choose No if it does not apply." in r.text
    summary = r.text.split('id="step-problems"', 1)[1].split("</section>", 1)[0]
    assert "bladder" in summary and "saddle" not in summary
    # answering them carries on to the next step
    r = client.post("/screening/step/1", data=red_flags_all_no({"has_back_pain": "no"}))
    assert r.status_code == 200 and "Screening, step 2 of" in r.text


def test_the_primary_button_comes_first_so_enter_goes_forward(client: TestClient) -> None:
    html = client.get("/screening/step/2").text
    form = html.split('class="questionnaire"', 1)[1]
    buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"', form)
    assert buttons[0] == "next" and "back" in buttons


def test_self_manage_result_offers_the_plan(client: TestClient) -> None:
    r = answer_all(client, {step_of("profile"): {"age_years": "34"}, red_flag_step(): red_flags_all_no(
        {"has_back_pain": "no"}), step_of("bone_stress"): all_no("bone_stress")})
    assert r.status_code == 200
    assert "/screening/result/" in str(r.url)
    html = r.text
    assert 'class="triage self_manage"' in html
    assert "not a diagnosis" in html
    assert screening.latest_screening(ws_of(client), "default") is not None


def test_emergency_answer_ends_the_questionnaire_at_once(client: TestClient) -> None:
    # Saddle numbness answered yes at its first appearance; nothing else on the page.
    r = client.post("/screening/step/1", data={"has_back_pain": "yes", "rf_saddle_numbness": "yes"})
    assert r.status_code == 200
    assert "/screening/result/" in str(r.url)
    main = r.text.split('<main id="main"', 1)[1]
    first_section = main.split("<section", 2)[1]
    assert 'triage emergency' in first_section
    assert 'role="alert"' in first_section
    assert "Build my plan" not in main and "Stop and get help if" not in main
    assert "pain during a run" not in main.lower() and "harmless" not in main
    stored = screening.latest_screening(ws_of(client), "default")
    assert stored.scores["decided_by"] == "rf_saddle_numbness" and stored.pain.nerve_symptoms


def test_urgent_bone_stress_answer_ends_the_questionnaire(client: TestClient) -> None:
    client.post("/screening/step/1", data=red_flags_all_no({"has_back_pain": "no"}))
    r = client.post(f"/screening/step/{step_of('bone_stress')}", data={"bsi_groin_pain_weight_bearing": "yes"})
    assert "/screening/result/" in str(r.url)
    assert 'triage urgent' in r.text and "stress fracture" in r.text
    assert screening.latest_screening(ws_of(client), "default").triage.run_advice.value == "no_running"


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
    """A full walk through the steps; ``has_back_pain`` is asked with the warning signs, on step 1."""
    first = {k: v for k, v in symptoms.items() if k == "has_back_pain"}
    rest = {k: v for k, v in symptoms.items() if k != "has_back_pain"}
    answer_all(client, {step_of("profile"): {"age_years": "34"}, symptoms_step(): rest,
                        red_flag_step(): red_flags_all_no(first), step_of("bone_stress"): all_no("bone_stress")})


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
    answer_all(client, {step_of("profile"): {"age_years": "34", "sitting_hours_per_day": "11",
                                             "strength_sessions_per_week": "0"},
                        red_flag_step(): red_flags_all_no({"has_back_pain": "no"}),
                        step_of("bone_stress"): all_no("bone_stress")})
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
