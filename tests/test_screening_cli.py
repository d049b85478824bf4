"""`backstride screen` and `backstride history` from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from personas import MILD_PAIN, NO_PAIN, PERSONAS

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "answers.yaml"


def write(tmp_path: Path, answers: dict[str, Any], name: str = "answers.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    return str(path)


def test_example_file_screens_and_is_stored(cli: Any) -> None:
    res = cli("screen", "--answers", str(EXAMPLE), "--json")
    assert res.exit_code == 0, res.stderr
    doc = res.json()
    assert doc["id"] == 1 and doc["runner"] == "default"
    assert doc["triage"]["tier"] == "self_manage" and doc["triage"]["run_advice"] == "run_easy"
    assert "screen.long_run_spike" in [f["code"] for f in doc["findings"]]
    hist = cli("history", "--json").json()
    assert [s["id"] for s in hist["screenings"]] == [1]
    assert hist["screenings"][0]["tier"] == "self_manage"
    shown = cli("history", "--show", "1", "--json").json()
    assert shown["findings"] == doc["findings"] and shown["triage"] == doc["triage"]
    assert "Long run much longer than before" in cli("history", "--show", "1").stdout
    missing = cli("history", "--show", "7")
    assert missing.exit_code == 1 and "screening 7 does not exist" in missing.stderr


def test_readable_output_puts_an_emergency_first(cli: Any, tmp_path: Path) -> None:
    res = cli("screen", "--answers", write(tmp_path, PERSONAS["cauda_equina_signs"].answers), "--runner", "kim")
    assert res.exit_code == 0
    out = res.stdout
    assert out.index("EMERGENCY") < out.index("Running today") < out.index("Your back")
    assert "No running for now." in out
    assert "saddle" in out


def test_self_managed_output_lists_stop_rules_and_findings(cli: Any, tmp_path: Path) -> None:
    answers = MILD_PAIN | {"strength_sessions_per_week": 0}
    out = cli("screen", "--answers", write(tmp_path, answers)).stdout
    assert "Self-manage" in out and "Stop rules" in out and "5/10" in out
    assert "Little strength work" in out and "measured: 0 sessions/week (threshold 2 sessions/week)" in out


def test_bad_answers_file_names_every_key_and_stores_nothing(cli: Any, tmp_path: Path) -> None:
    bad = dict(NO_PAIN) | {"pain_now": 11, "colour": "red", "age_years": 9}
    del bad["rf_bowel_change"]
    path = write(tmp_path, bad)
    res = cli("screen", "--answers", path)
    assert res.exit_code == 1
    for key in ("pain_now", "colour", "age_years", "rf_bowel_change"):
        assert key in res.stderr
    assert "16 to 100" in res.stderr and "nothing was stored" in res.stderr
    js = cli("screen", "--answers", path, "--json")
    assert js.exit_code == 1
    fields = {p["field"] for p in js.json()["error"]["problems"]}
    assert fields == {"pain_now", "colour", "age_years", "rf_bowel_change"}
    assert cli("history", "--json").exit_code == 1  # no runner was created


def test_unreadable_files_are_clear_errors(cli: Any, tmp_path: Path) -> None:
    missing = cli("screen", "--answers", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("age_years: [30\nsex: male\n", encoding="utf-8")
    res = cli("screen", "--answers", str(broken), "--json")
    assert res.exit_code == 1 and "not valid YAML" in res.json()["error"]["message"]
    listed = tmp_path / "list.yaml"
    listed.write_text("- age_years\n- 30\n", encoding="utf-8")
    assert cli("screen", "--answers", str(listed)).exit_code == 1


def test_questions_listing(cli: Any) -> None:
    doc = cli("screen", "--questions", "--json").json()
    ids = [q["id"] for s in doc["sections"] for q in s["questions"]]
    assert "rf_saddle_numbness" in ids and "startback_items" in ids
    assert "prone_plank_s" in cli("screen", "--questions").stdout


def _interactive_input(answers: dict[str, Any], upto: int | None = None) -> str:
    """Answer the questions in questionnaire order as a person would type them."""
    from backstride.intake.questionnaire import load_questionnaire

    lines = []
    given: dict[str, Any] = {}
    for q in load_questionnaire().questions:
        if not q.is_asked(given):
            continue
        value = answers.get(q.id)
        if value is None and q.flow_required and q.type == "boolean":
            value = False  # a person answers no to a warning sign that does not apply
        if value is None:
            lines.append("")
        elif isinstance(value, bool):
            lines.append("y" if value else "n")
        elif isinstance(value, list):
            lines.append(", ".join(str(v) for v in value) if q.type == "multi" else " ".join(map(str, value)))
        else:
            lines.append(str(value))
        if value is not None:
            given[q.id] = value
        if upto is not None and len(lines) == upto:
            lines.append("stop")
            break
    return "\n".join(lines) + "\n"


def test_interactive_screen_can_stop_and_resume(cli: Any) -> None:
    answers = PERSONAS["mild_one_sided_pain_with_spasm"].answers
    first = cli("screen", input=_interactive_input(answers, upto=5))
    assert first.exit_code == 0 and "Paused with 5 answers saved" in first.stdout
    assert cli("history", "--json").json()["screenings"] == []
    full = _interactive_input(answers).splitlines()[5:]
    second = cli("screen", input="\n".join(full) + "\n")
    assert second.exit_code == 0, second.stdout[-2000:]
    assert "Resuming" in second.stdout and "Self-manage" in second.stdout
    hist = cli("history", "--json").json()["screenings"]
    assert len(hist) == 1 and hist[0]["tier"] == "self_manage"


def test_interactive_reasks_invalid_and_required_answers(cli: Any) -> None:
    typed = _interactive_input(NO_PAIN).splitlines()
    # the first question (back pain, required): empty, then not yes or no, then valid
    typed = ["", "maybe", *typed]
    res = cli("screen", "--runner", "lee", input="\n".join(typed) + "\n")
    assert res.exit_code == 0
    assert "needed for your safety check" in res.stdout and "is not yes or no" in res.stdout
    assert cli("history", "--runner", "lee", "--json").json()["screenings"][0]["tier"] == "self_manage"


def test_interactive_emergency_answer_warns_at_once(cli: Any) -> None:
    answers = NO_PAIN | {"rf_saddle_numbness": True}
    res = cli("screen", input=_interactive_input(answers))
    assert res.exit_code == 0
    out = res.stdout
    # The questions stop at the emergency answer: no pain details, no self-tests, straight to the result.
    assert "This answer is a warning sign" in out and "EMERGENCY" in out
    assert "Self-tests at home" not in out and "Your back right now" not in out
    assert "How bad is the pain" not in out and "Stop rules" not in out
    stored = cli("history", "--json").json()["screenings"]
    assert stored[0]["tier"] == "emergency"


def test_json_without_answers_is_refused(cli: Any) -> None:
    res = cli("screen", "--json")
    assert res.exit_code == 1 and "--answers" in res.json()["error"]["message"]


def test_today_after_an_emergency_answers_file_gives_only_the_instruction(cli: Any, tmp_path: Path) -> None:
    # An answers file stopped at its second answer: nothing after it is needed, nothing after it counts.
    path = write(tmp_path, {"has_back_pain": True, "rf_saddle_numbness": True, "pain_now": 2})
    res = cli("screen", "--answers", path, "--json")
    assert res.exit_code == 0 and res.json()["triage"]["tier"] == "emergency"
    assert res.json()["scores"]["decided_by"] == "rf_saddle_numbness" and res.json()["triage"]["stop_rules"] == []
    today = cli("today")
    assert today.exit_code == 0 and "Seek emergency care now" in today.stdout
    for text in ("easy walk", "gentle part", "Log today's check-in", "acceptable", "Cap:"):
        assert text not in today.stdout, text
