"""Every result command follows the one ``--json`` convention of docs/development.md.

One JSON object on stdout and nothing else; one stored record flat with its own ``id`` (and
``runner``); several under a plural key, each with its own ``id``; an error as
``{"error": {...}}`` with exit code 1. A command added without a case here fails the
completeness test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Cli

REPO = Path(__file__).resolve().parents[1]
ANSWERS = REPO / "docs" / "examples" / "answers.yaml"

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><type>running</type><trkseg>
{points}
 </trkseg></trk>
</gpx>
"""


def _gpx(path: Path) -> Path:
    points = "\n".join(f'  <trkpt lat="{52.0 + k * 0.00003:.6f}" lon="5.1"><time>2026-02-02T07:{k // 60:02d}:'
                       f'{k % 60:02d}Z</time></trkpt>' for k in range(0, 1200, 5))
    path.write_text(GPX.format(points=points), encoding="utf-8")
    return path


def cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """Command -> (arguments, expected shape): "record", "list:<key>" (of records with ids),
    "values:<key>" (a list of plain values), "result" (a computed answer) or "error".

    Run in this order over one data folder filled by ``demo`` (``shoes assign`` needs the pair
    ``shoes add`` made; ``import`` reads the GPX the fixture writes).
    """
    return {
        "runners": (["runners"], "values:runners"),
        "demo": (["demo", "--runner", "other", "--years", "0.1"], "result"),
        "screen": (["screen", "--answers", str(ANSWERS), "--runner", "demo", "--restart"], "record"),
        "history": (["history", "--runner", "demo"], "list:screenings"),
        "history --show": (["history", "--show", "1"], "record"),
        "import": (["import", str(tmp / "run.gpx"), "--runner", "demo"], "values:files"),
        "activities": (["activities", "--runner", "demo"], "list:activities"),
        "activity show": (["activity", "show", "1", "--runner", "demo"], "record"),
        "activity sport": (["activity", "sport", "1", "running", "--runner", "demo"], "record"),
        "load": (["load", "--runner", "demo"], "result"),
        "shoes add": (["shoes", "add", "Test pair", "--runner", "demo"], "record"),
        "shoes list": (["shoes", "list", "--runner", "demo"], "list:shoes"),
        "shoes assign": (["shoes", "assign", "Test pair", "--runner", "demo", "--since", "2020-01-01"], "result"),
        "shoes retire": (["shoes", "retire", "Test pair", "--runner", "demo"], "record"),
        "plan": (["plan", "--runner", "demo"], "record"),
        "plan show": (["plan", "show", "--runner", "demo"], "record"),
        "plan export": (["plan", "export", "--runner", "demo"], "record"),
        "exercise list": (["exercise", "list"], "list:exercises"),
        "exercise show": (["exercise", "show", "bird_dog"], "record"),
        "log": (["log", "--runner", "demo", "--pain-now", "1", "--pain-morning", "1"], "list:entries"),
        "today": (["today", "--runner", "demo"], "result"),
        "progress": (["progress", "--runner", "demo"], "result"),
        "session": (["session", "--runner", "demo", "--routine", "desk"], "result"),
        "form": (["form", str(tmp / "missing.mp4"), "--runner", "demo"], "error"),
        "form-list": (["form-list", "--runner", "demo"], "list:results"),   # empty: the demo has no video
        "form-compare": (["form-compare", "1", "2", "--runner", "demo"], "error"),   # no form checks to compare
        "report": (["report", "--runner", "demo", "--out", str(tmp / "report.html")], "result"),
    }


def json_commands() -> set[str]:
    """Every command (and group with its own action) that takes --json."""
    from typer.main import get_command

    from backstride.cli.main import _register, app

    _register()
    found: set[str] = set()

    def takes_json(command: Any) -> bool:
        return any("--json" in getattr(p, "opts", ()) for p in command.params)

    def walk(command: Any, path: str) -> None:
        if path and takes_json(command):
            found.add(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(get_command(app), "")
    return found


def test_every_json_command_has_a_case(tmp_path: Path) -> None:
    listed = {name.split(" --")[0] for name in cases(tmp_path)}
    assert json_commands() == listed


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    tmp = tmp_path_factory.mktemp("convention")
    cli = Cli(data_dir=tmp / "data")
    _gpx(tmp / "run.gpx")
    res = cli("demo", "--runner", "demo", "--years", "0.2", "--json")
    assert res.exit_code == 0, res.stdout + res.stderr
    return cli, tmp


def _own_id_aliases(doc: dict[str, Any]) -> list[str]:
    """Keys other than ``id`` that repeat the record's own id (``plan_id`` on a plan, say)."""
    return [k for k, v in doc.items() if k.endswith("_id") and v == doc.get("id") and k != "id"]


@pytest.mark.parametrize("name", list(cases(Path("/unused"))))
def test_the_command_follows_the_convention(name: str, filled: tuple[Cli, Path]) -> None:
    cli, tmp = filled
    args, shape = cases(tmp)[name]
    res = cli(*args, "--json")
    doc = json.loads(res.stdout)   # exactly one document: anything else on stdout fails here
    assert isinstance(doc, dict), f"{name}: the document is one object"
    if shape == "error":
        assert res.exit_code == 1 and set(doc) == {"error"} and doc["error"]["message"]
        return
    assert res.exit_code == 0, res.stdout + res.stderr
    if shape == "record":
        assert "id" in doc and doc["id"] is not None, f"{name}: a record carries its own id as 'id'"
        assert not _own_id_aliases(doc), f"{name}: the own id is named 'id' only"
        assert next(iter(doc)) == "id"
    elif shape.startswith(("list:", "values:")):
        key = shape.split(":")[1]
        assert isinstance(doc[key], list), f"{name}: several results go under {key!r}"
        assert doc[key] or name == "form-list", f"{name}: the demo data gives something to list"
        if shape.startswith("list:"):
            for item in doc[key]:
                assert "id" in item and not _own_id_aliases(item), f"{name}: each item carries its own 'id'"
    if "runner" in doc:
        assert isinstance(doc["runner"], str)
