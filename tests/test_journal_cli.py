"""``backstride log``, ``today`` and ``progress`` from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from syrupy.assertion import SnapshotAssertion
from tests.conftest import Cli

DAYS = [dt.date(2025, 5, 5) + dt.timedelta(days=i) for i in range(10)]


def test_log_with_flags_prints_one_json_document(cli: Cli) -> None:
    res = cli("log", "--day", DAYS[0].isoformat(), "--pain-now", "2", "--pain-morning", "1", "--pain-during-run", "3",
              "--distance-km", "6.5", "--rpe", "5", "--exercise", "bird_dog:3x10:2", "--exercise",
              "side_plank:2x30s", "--json")
    assert res.exit_code == 0, res.stdout
    doc = res.json()
    (entry,) = doc["entries"]
    assert entry["id"] >= 1 and doc["runner"] == "default"
    assert entry["pain_during_run"] == 3 and entry["run_distance_m"] == 6500.0 and entry["run_rpe"] == 5
    assert entry["exercises"] == [
        {"exercise_id": "bird_dog", "sets": 3, "reps": 10, "hold_s": None, "pain_during": 2},
        {"exercise_id": "side_plank", "sets": 2, "reps": None, "hold_s": 30, "pain_during": None},
    ]
    assert doc["today"]["light"] in ("green", "amber", "red")


def test_flags_on_a_logged_day_change_only_those_answers(cli: Cli) -> None:
    cli("log", "--day", DAYS[0].isoformat(), "--pain-now", "2", "--pain-morning", "1")
    res = cli("log", "--day", DAYS[0].isoformat(), "--limping", "--json")
    entry = res.json()["entries"][0]
    assert entry["limping"] is True and entry["pain_now"] == 2 and entry["pain_morning"] == 1


def test_bad_input_exits_1_names_the_fields_and_stores_nothing(cli: Cli) -> None:
    res = cli("log", "--day", DAYS[0].isoformat(), "--pain-now", "14", "--red-flag", "headache", "--json")
    assert res.exit_code == 1
    err = res.json()["error"]
    assert {p["field"] for p in err["problems"]} == {"pain_now", "red_flags"}
    assert "nothing was stored" in err["message"]
    res = cli("log", "--exercise", "bird dog three sets", "--json")
    assert res.exit_code == 1 and res.json()["error"]["problems"][0]["field"] == "exercise"
    today = cli("today", "--day", DAYS[0].isoformat(), "--json").json()
    assert today["checked_in"] is False
    assert "`backstride" not in today["what_to_do"]
    assert "Log today's check-in with `backstride log`." in cli("today", "--day", DAYS[0].isoformat()).stdout


def test_interactive_log_offers_yesterdays_answers(cli: Cli) -> None:
    cli("log", "--day", DAYS[0].isoformat(), "--pain-now", "3", "--pain-morning", "2", "--stiffness-min", "10")
    # Enter keeps yesterday's pain and stiffness; a run with pain 4; no symptoms; no danger signs; a note.
    answers = "\n\n-\ny\n4\n3\n6\n5\nn\nn\n\nwindy\n"
    res = cli("log", "--day", DAYS[1].isoformat(), "--json", input=answers)
    assert res.exit_code == 0, res.stdout + res.stderr
    entry = json.loads(res.stdout)["entries"][0]
    assert entry["pain_now"] == 3 and entry["pain_morning"] == 2 and entry["stiffness_morning_min"] is None
    assert entry["pain_during_run"] == 4 and entry["run_distance_m"] == 5000.0 and entry["notes"] == "windy"
    assert entry["red_flags"] == [] and entry["limping"] is False


def test_interactive_danger_sign_answer_sends_back_to_screening(cli: Cli) -> None:
    answers = "1\n1\n-\nn\nn\nn\n2\n\n"
    res = cli("log", "--day", DAYS[2].isoformat(), input=answers)
    assert res.exit_code == 0, res.stdout + res.stderr
    res = cli("today", "--day", DAYS[2].isoformat(), "--json")
    doc = res.json()
    assert doc["light"] == "red" and doc["back_to_screening"] is True
    assert "repeat the screening" in doc["what_to_do"] and "`backstride" not in doc["what_to_do"]
    text = cli("today", "--day", DAYS[2].isoformat()).stdout
    assert "RED" in text and "Please run `backstride screen` now." in text   # the command hint is the CLI's own


def test_log_from_a_file_checks_every_entry_before_storing(cli: Cli, tmp_path: Path) -> None:
    good = [{"day": d.isoformat(), "pain_morning": 1, "pain_now": 1} for d in DAYS[:3]]
    bad = [*good, {"day": DAYS[3].isoformat(), "pain_morning": "high"}]
    path = tmp_path / "week.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    res = cli("log", "--file", str(path), "--json")
    assert res.exit_code == 1 and res.json()["error"]["problems"][0]["field"] == "pain_morning"
    assert cli("progress", "--day", DAYS[3].isoformat(), "--json").json()["entries_logged"] == 0
    yaml_path = tmp_path / "week.yaml"
    yaml_path.write_text("\n".join(f"- {{day: {e['day']}, pain_morning: 1, pain_now: 1}}" for e in good),
                         encoding="utf-8")
    res = cli("log", "--file", str(yaml_path), "--json")
    assert res.exit_code == 0 and len(res.json()["entries"]) == 3


def _week(cli: Cli) -> None:
    rows: list[dict[str, Any]] = []
    for i, d in enumerate(DAYS[:8]):
        row: dict[str, Any] = {"day": d.isoformat(), "pain_morning": 1, "pain_now": 2}
        if i % 2 == 0:
            row.update({"pain_during_run": 2, "run_distance_m": 5000 + 500 * i, "run_rpe": 4})
        rows.append(row)
    rows[-1].update({"pain_during_run": 4})
    cli.data_dir.mkdir(parents=True, exist_ok=True)
    path = cli.data_dir.parent / "weeks.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert cli("log", "--file", str(path)).exit_code == 0


def test_today_json_snapshot(cli: Cli, snapshot: SnapshotAssertion) -> None:
    _week(cli)
    res = cli("today", "--day", DAYS[7].isoformat(), "--json")
    assert res.exit_code == 0
    assert res.json() == snapshot


def test_today_text_names_light_reasons_and_cap(cli: Cli) -> None:
    _week(cli)
    out = cli("today", "--day", DAYS[7].isoformat()).stdout
    assert "AMBER" in out and "4/10" in out and "Cap: 4.5 km" in out and "extrapolation" in out


def test_progress_json_snapshot(cli: Cli, snapshot: SnapshotAssertion) -> None:
    _week(cli)
    res = cli("progress", "--day", DAYS[8].isoformat(), "--weeks", "2", "--json")
    assert res.exit_code == 0
    assert res.json() == snapshot
    text = cli("progress", "--day", DAYS[8].isoformat()).stdout
    assert "7-day mean" in text and "too little to read anything into" in text


def test_pressing_enter_throughout_logs_a_day_like_yesterday(cli: Cli) -> None:
    """The fast path: every question has a default, so Enter alone completes the check-in."""
    cli("log", "--day", DAYS[0].isoformat(), "--pain-now", "2", "--pain-morning", "1", "--stiffness-min", "5")
    res = cli("log", "--day", DAYS[1].isoformat(), "--json", input="\n" * 12)
    assert res.exit_code == 0, res.stderr
    entry = json.loads(res.stdout)["entries"][0]
    assert (entry["pain_now"], entry["pain_morning"], entry["stiffness_morning_min"]) == (2, 1, 5)
    assert not entry["limping"] and not entry["nerve_symptoms"] and entry["red_flags"] == []
    assert entry["pain_during_run"] is None and entry["notes"] == ""
