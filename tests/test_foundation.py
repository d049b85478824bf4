"""The foundation: settings, storage on both databases, evidence data, the CLI contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from backstride.config import Settings
from backstride.errors import ConfigError, Problem, ValidationFailed
from backstride.evidence import references, thresholds
from backstride.findings import Evidence, EvidenceLevel, Finding, Severity
from backstride.workflows.workspace import Workspace


def test_settings_read_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(tmp_path / "elsewhere"))
    s = Settings()
    assert s.data_dir == tmp_path / "elsewhere"
    assert s.resolved_database_url == f"sqlite:///{tmp_path / 'elsewhere' / 'backstride.db'}"
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Settings().resolved_database_url == "postgresql+psycopg://u@h/db"


def test_migrations_create_schema_and_runner_roundtrip(any_workspace: Workspace) -> None:
    tables = set(inspect(any_workspace.engine).get_table_names())
    assert {"runners", "alembic_version"} <= tables
    with any_workspace.transaction() as s:
        first = any_workspace.runner_id(s, "amira")
    with any_workspace.transaction() as s:
        assert any_workspace.runner_id(s, "amira") == first
    assert any_workspace.list_runners() == ["amira"]


def test_migrate_twice_is_harmless(any_workspace: Workspace) -> None:
    from backstride.storage.db import migrate

    migrate(any_workspace.engine)
    assert "runners" in inspect(any_workspace.engine).get_table_names()


def test_failed_transaction_stores_nothing(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError), workspace.transaction() as s:
        workspace.runner_id(s, "half-written")
        raise RuntimeError("crash mid-write")
    assert workspace.list_runners() == []


def test_bad_database_url_is_a_clear_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not valid|cannot be used"):
        Workspace.open(Settings(data_dir=tmp_path, database_url="nonsense://"))


def test_finding_round_trips_and_validates_code() -> None:
    f = Finding(code="screen.example", title="Example", severity=Severity.MODERATE,
                explanation="why", evidence=Evidence(EvidenceLevel.LOW, ("nice_ng59",)),
                value=3.0, threshold=5.0, unit="km", sources=("answers.x",), confidence=0.7)
    assert Finding.from_dict(f.to_dict()) == f
    with pytest.raises(ValueError, match="namespaced"):
        Finding(code="nodot", title="", severity=Severity.LOW, explanation="",
                evidence=Evidence(EvidenceLevel.NONE, ()))


def test_every_threshold_names_a_known_reference_and_unit() -> None:
    refs = references()
    for name, t in thresholds().items():
        assert t.unit, name
        assert t.source in refs, f"threshold {name} cites unknown reference {t.source}"


def test_validation_failed_lists_every_problem() -> None:
    exc = ValidationFailed("answers.yaml", [Problem("age", "must be 16-100", "16..100"), Problem("x", "unknown key")])
    assert "age: must be 16-100 (allowed: 16..100)" in exc.message
    assert "x: unknown key" in exc.message
    assert exc.to_dict()["problems"][1]["field"] == "x"


def test_cli_runners_json_is_one_document(cli) -> None:
    result = cli("runners", "--json")
    assert result.exit_code == 0
    assert result.json() == {"runners": []}


def test_cli_unknown_command_is_usage_error(cli) -> None:
    assert cli("no-such-command").exit_code == 2
