"""The start-up shortcut in ``storage.db.migrate``: skip Alembic only when nothing is left to apply."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from backstride.storage import db
from backstride.workflows.workspace import Workspace

NEW_REVISION = '''"""probe: a migration added after the database was created"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "activities_9999"
down_revision: str | None = "activities_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("probe")
'''


def _stored(workspace: Workspace) -> set[str]:
    with workspace.engine.connect() as c:
        return {row[0] for row in c.execute(text("SELECT version_num FROM alembic_version"))}


def test_script_heads_match_alembic() -> None:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    script = ScriptDirectory.from_config(db.alembic_config(create_engine("sqlite://")))
    heads = db.script_heads()
    assert heads is not None and heads
    # Alembic's "real" heads: revisions that no other revision builds on, dependencies included.
    assert heads == set(script.revision_map._real_heads)
    assert "core_0001" not in heads  # every area depends on it


def test_migrated_database_records_exactly_the_heads(any_workspace: Workspace) -> None:
    assert _stored(any_workspace) == db.script_heads()
    assert db.schema_is_current(any_workspace.engine)


def test_empty_database_is_not_current(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert not db.schema_is_current(engine)
    db.migrate(engine)
    assert db.schema_is_current(engine)
    assert "runners" in inspect(engine).get_table_names()


def test_a_new_migration_is_still_applied(workspace: Workspace, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "migrations"
    shutil.copytree(db.migrations_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "activities_9999_probe.py").write_text(NEW_REVISION, encoding="utf-8")
    monkeypatch.setattr(db, "migrations_dir", lambda: copy)

    heads = db.script_heads()
    assert heads is not None and "activities_9999" in heads and "activities_0002" not in heads
    assert not db.schema_is_current(workspace.engine)
    db.migrate(workspace.engine)
    assert "probe" in inspect(workspace.engine).get_table_names()
    assert "activities_9999" in _stored(workspace)
    assert db.schema_is_current(workspace.engine)


def test_a_downgraded_branch_is_brought_back(workspace: Workspace) -> None:
    from alembic import command

    command.downgrade(db.alembic_config(workspace.engine), "journal@base")
    assert not db.schema_is_current(workspace.engine)
    db.migrate(workspace.engine)
    assert "journal_entries" in inspect(workspace.engine).get_table_names()
    assert db.schema_is_current(workspace.engine)


@pytest.mark.parametrize("line", [
    'depends_on = "core"',                       # a branch label, not a revision id
    'depends_on = ("core_0001",\n    "x")',      # not one line
    "depends_on = SOMETHING",                    # not a literal
])
def test_unusual_revision_files_leave_the_decision_to_alembic(tmp_path: Path, line: str) -> None:
    (tmp_path / "a_0001.py").write_text('revision = "a_0001"\ndown_revision = None\n', encoding="utf-8")
    (tmp_path / "b_0001.py").write_text(f'revision = "b_0001"\ndown_revision = None\n{line}\n', encoding="utf-8")
    assert db.script_heads(tmp_path) is None


def test_simple_revision_files_give_their_heads(tmp_path: Path) -> None:
    (tmp_path / "a_0001.py").write_text('"""Revision ID: a_0001"""\nrevision: str = "a_0001"\n'
                                        "down_revision: str | None = None\n", encoding="utf-8")
    (tmp_path / "a_0002.py").write_text('revision = "a_0002"\ndown_revision = "a_0001"\n', encoding="utf-8")
    (tmp_path / "b_0001.py").write_text('revision = "b_0001"\ndown_revision = None\ndepends_on = ("a_0001",)\n',
                                        encoding="utf-8")
    assert db.script_heads(tmp_path) == {"a_0002", "b_0001"}


def test_json_columns_are_jsonb_on_postgresql_and_json_on_sqlite() -> None:
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateTable

    from backstride.storage.plans import PlanRow

    table = PlanRow.__table__
    pg = str(CreateTable(table).compile(dialect=postgresql.dialect()))  # type: ignore[arg-type]
    lite = str(CreateTable(table).compile(dialect=sqlite.dialect()))  # type: ignore[arg-type]
    assert " JSONB NOT NULL" in pg
    assert " JSON NOT NULL" in lite and "JSONB" not in lite
