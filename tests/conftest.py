"""Shared fixtures: both databases, a fresh workspace, the CLI, and the ../shared data."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backstride.config import Settings
from backstride.workflows.workspace import Workspace

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("BACKSTRIDE_SHARED_DIR", REPO_ROOT.parent / "shared"))
POSTGRES_URL = os.environ.get("BACKSTRIDE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_reason() -> str | None:
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure means: no server to test against here
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({exc.__class__.__name__}); set BACKSTRIDE_TEST_POSTGRES_URL"
    return None


_PG_REASON: list[str | None] = []


def postgres_skip_reason() -> str | None:
    if not _PG_REASON:
        _PG_REASON.append(_postgres_reason())
    return _PG_REASON[0]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    reason = postgres_skip_reason()
    if reason:
        pytest.skip(reason)
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'data' / 'backstride.db').as_posix()}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded default: SQLite in a fresh data folder."""
    return Settings(data_dir=tmp_path / "data", database_url=None)


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    ws = Workspace.open(settings)
    yield ws
    ws.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[Any]:
    """The web app over a fresh workspace, through TestClient (see web_helpers.py)."""
    from web_helpers import client_for  # imported here so non-web tests do not load the web app

    with client_for(settings) as c:
        yield c


@pytest.fixture
def any_workspace(tmp_path: Path, database_url: str) -> Iterator[Workspace]:
    """The same test against SQLite and PostgreSQL."""
    ws = Workspace.open(Settings(data_dir=tmp_path / "data", database_url=database_url))
    yield ws
    ws.close()


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    data_dir: Path
    database_url: str | None = None

    def __call__(self, *args: str, input: str | None = None) -> CliResult:
        from backstride.cli.main import _register, app

        _register()
        runner = CliRunner()
        env = {"BACKSTRIDE_DATA_DIR": str(self.data_dir), "COLUMNS": "120", "NO_COLOR": "1"}
        if self.database_url:
            env["BACKSTRIDE_DATABASE_URL"] = self.database_url
        result = runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(data_dir=tmp_path / "data")


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip(f"real-data tests need the shared data folder at {SHARED_DIR} (absent in a plain clone)")
    return SHARED_DIR
