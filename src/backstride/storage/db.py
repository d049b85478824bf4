"""Engine, sessions and migrations.

The embedded default is a SQLite file in the data folder; a clinic points
``BACKSTRIDE_DATABASE_URL`` at PostgreSQL. The schema is owned by Alembic: every area of the
project keeps its own migration branch (``branch_labels``), so ``upgrade heads`` brings all of
them up to date.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, MetaData, create_engine, event, text
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator, TypeEngine

from backstride.errors import ConfigError, StorageError

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

class _JSONType(TypeDecorator[Any]):
    """JSON on SQLite, JSONB on PostgreSQL: one column type for both back ends.

    Chosen per dialect when the engine first uses it, so a SQLite start never imports the
    PostgreSQL dialect (about 20 ms).
    """

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


JSONType = _JSONType()


# Row ids are INTEGER columns: PostgreSQL's range, and SQLite's driver cannot bind past 2**63.
# A larger id from a URL or a flag is simply one that does not exist.
MAX_ID = 2**31 - 1


def valid_id(value: object) -> bool:
    """True when ``value`` could be a stored row id (an int from 1 to :data:`MAX_ID`)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise ConfigError(f"database URL {url!r} is not valid: {exc}",
                          hint="use sqlite:///path/to/file.db or postgresql+psycopg://user@host/db") from exc
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        db_path = parsed.database
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    elif parsed.drivername == "postgresql":
        # Plain "postgresql://" would pick psycopg2, which we do not install.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(parsed, **kwargs)
    except (ImportError, SQLAlchemyError) as exc:  # unknown dialect or missing driver
        raise ConfigError(f"database URL {url!r} cannot be used: {exc}",
                          hint="use sqlite:///path/to/file.db or postgresql+psycopg://user@host/db") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Start a write transaction explicitly where the caller asked for one (``sqlite_begin``).

    pysqlite on its own begins a transaction only at the first INSERT/UPDATE/DELETE: the reads
    before it and every CREATE TABLE run outside any transaction. ``BEGIN IMMEDIATE`` takes the
    write lock at the start, so a read-modify-write (or a migration) holds its reads, writes and
    DDL in one transaction that no other writer can enter; the other waits for the busy timeout.
    Plain transactions keep pysqlite's default, so readers never wait for writers.
    """
    if connection.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def migrations_dir() -> Path:
    return Path(str(resources.files("backstride.storage") / "migrations"))


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


_REVISION_LINE = re.compile(r"^(revision|down_revision|depends_on)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def _as_ids(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def script_heads(versions: Path | None = None) -> frozenset[str] | None:
    """The revisions nothing else builds on (neither as ``down_revision`` nor ``depends_on``).

    After ``upgrade heads`` these are exactly the rows of ``alembic_version``. Read from the
    migration files as text, so that a start-up with an up-to-date schema need not import
    Alembic. None when a file is not in the simple form this understands (the caller then
    lets Alembic decide).
    """
    folder = versions or migrations_dir() / "versions"
    revisions: set[str] = set()
    referenced: set[str] = set()
    for path in folder.glob("*.py"):
        fields: dict[str, tuple[str, ...]] = {}
        for name, literal in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            try:
                ids = _as_ids(ast.literal_eval(literal))
            except (ValueError, SyntaxError):
                return None
            if ids is None or name in fields:
                return None
            fields[name] = ids
        if len(fields.get("revision", ())) != 1:
            return None
        revisions.update(fields["revision"])
        referenced.update(fields.get("down_revision", ()))
        referenced.update(fields.get("depends_on", ()))
    if not referenced <= revisions:  # a branch label or a missing file: not for this shortcut
        return None
    return frozenset(revisions - referenced)


def schema_is_current(engine: Engine) -> bool:
    """True when the database records exactly the migration heads, so there is nothing to apply."""
    heads = script_heads()
    if not heads:
        return False
    try:
        with engine.connect() as connection:
            stored = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError:  # no table yet, or a database we cannot read: let Alembic report it
        return False
    return stored == heads


def migrate(engine: Engine) -> None:
    """Bring the schema up to date (all branches). Safe to call on every start, from any number of processes.

    When the schema is already at every head (the usual start), this costs one small query
    instead of loading Alembic and every migration script. Otherwise see
    :mod:`backstride.storage.upgrade`: locked, one transaction, backup first.
    """
    if schema_is_current(engine):
        return
    from backstride.storage import upgrade

    upgrade.upgrade(engine, alembic_config(engine), script_heads())


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool = False) -> Iterator[Session]:
    """One unit of work: committed whole or rolled back whole.

    ``write=True`` is for a transaction that reads and then writes what it read: on SQLite it takes
    the write lock at the start (``BEGIN IMMEDIATE``), so no other writer can commit in between
    (PostgreSQL callers lock the rows they read with ``FOR UPDATE``). A database that cannot be
    reached, is locked too long or is full becomes a :class:`StorageError` with a hint.
    """
    session = factory()
    if write:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        from backstride.storage.upgrade import describe, storage_hint

        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        raise StorageError(f"the database could not store or read this ({describe(exc)}); nothing was changed",
                           hint=storage_hint(engine, exc)) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
