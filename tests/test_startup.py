"""Start-up cost of the command line: what it loads, and that the faster paths give the same values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backstride import evidence


def test_packaged_yaml_reads_the_same_with_the_fast_loader() -> None:
    from importlib import resources

    from backstride.datafiles import SafeLoader, parse_yaml

    root = resources.files("backstride") / "data"
    files = [e for sub in ("thresholds", "references", "exercises", ".") for e in (root / sub).iterdir()
             if e.name.endswith(".yaml")]
    assert len(files) > 90
    for entry in files:
        text = entry.read_text(encoding="utf-8")
        assert parse_yaml(text) == yaml.safe_load(text), entry.name
    assert SafeLoader is yaml.CSafeLoader  # the wheels ship libyaml; without it the speed-up is lost
    with pytest.raises(yaml.YAMLError):
        parse_yaml("a: [unclosed")
    thresholds = evidence.thresholds()
    assert thresholds and all(t.unit for t in thresholds.values())


def test_command_homes_match_what_each_module_registers() -> None:
    import typer

    from backstride.cli import main

    homes: dict[str, str] = {}
    for module in main._COMMAND_MODULES:
        scratch = typer.Typer()
        main._REGISTRARS[module](scratch)
        names = [c.name for c in scratch.registered_commands] + [g.name for g in scratch.registered_groups]
        assert names and all(names), module
        for name in names:
            assert name not in homes, f"{name} registered twice"
            homes[str(name)] = module
    assert homes == main._COMMAND_HOMES


def test_command_name_skips_root_options() -> None:
    from backstride.cli.main import _command_name

    assert _command_name(["load", "--json"]) == "load"
    assert _command_name(["--data-dir", "/tmp/x", "today", "--json"]) == "today"
    assert _command_name(["--data-dir=/tmp/x", "--database-url", "sqlite://", "shoes", "list"]) == "shoes"
    assert _command_name(["--", "plan"]) == "plan"
    assert _command_name(["--help"]) is None
    assert _command_name([]) is None


PROBE = """
import atexit, sys
sys.argv = ["backstride", *sys.argv[1:]]
atexit.register(lambda: sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n"))
from backstride.cli.main import run
run()
"""


def _modules_after(args: list[str], data_dir: Path) -> set[str]:
    env = dict(os.environ, BACKSTRIDE_DATA_DIR=str(data_dir), COLUMNS="80")
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    line = proc.stderr.rsplit("MODULES ", 1)[1]
    return set(line.split())


HEAVY = {"numpy", "pandas", "scipy", "matplotlib", "jinja2", "fastapi", "alembic", "mako", "cv2", "mediapipe"}


def test_load_imports_nothing_heavy_once_the_schema_is_current(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _modules_after(["load", "--json"], data)   # creates the schema: Alembic runs this once
    assert "alembic" in first
    again = _modules_after(["load", "--json"], data)
    assert not HEAVY & again
    assert "pydantic_settings" not in again
    assert "backstride.cli.plans" not in again and "backstride.cli.activities" in again


def test_help_needs_neither_database_nor_settings(tmp_path: Path) -> None:
    loaded = _modules_after(["--help"], tmp_path / "data")
    assert not {"sqlalchemy", "pydantic_settings", *HEAVY} & loaded
    assert {"backstride.cli.plans", "backstride.cli.journal"} <= loaded  # every command is listed
    assert not (tmp_path / "data").exists()


def test_settings_come_from_arguments_then_environment_then_defaults(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    from backstride.config import Settings

    monkeypatch.setenv("BACKSTRIDE_PORT", "9000")
    monkeypatch.setenv("backstride_runner", "amira")        # any letter case, as pydantic-settings read it
    monkeypatch.setenv("BACKSTRIDE_SOMETHING_ELSE", "x")    # unknown names are ignored
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(tmp_path / "env"))
    s = Settings(data_dir=tmp_path / "arg")
    assert s.port == 9000 and s.runner == "amira" and s.data_dir == tmp_path / "arg"
    assert Settings().data_dir == tmp_path / "env"
    monkeypatch.delenv("BACKSTRIDE_DATA_DIR")
    monkeypatch.delenv("BACKSTRIDE_PORT")
    assert Settings().port == 8421 and Settings().data_dir.name == "backstride"
    assert s.model_copy(update={"port": 1}).port == 1


def test_settings_reject_a_bad_environment_value(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from backstride.config import Settings

    monkeypatch.setenv("BACKSTRIDE_PORT", "eighty")
    with pytest.raises(ValidationError, match="port"):
        Settings()
