"""Running the schema migrations so that an interruption or a second process cannot break the database.

- **One at a time.** The whole upgrade runs in one transaction that first takes a lock: SQLite's
  write lock (``BEGIN IMMEDIATE``) or a PostgreSQL advisory lock for the current schema. A second
  process waits, then finds the schema current and does nothing.
- **All or nothing.** SQLite and PostgreSQL both roll DDL back with the transaction, so a kill at
  any point leaves the database as it was before the upgrade.
- **Half-made databases** (tables but no recorded version: an older backstride killed during its
  first start) are rebuilt when every table is empty; when any holds data nothing is touched and
  the error says what to do.
- **Backup.** Before migrating a SQLite file that holds data, a copy is written beside it with the
  SQLite backup API (consistent even while other readers are open).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from backstride.errors import StorageError

VERSION_TABLE = "alembic_version"
BACKUP_SUFFIX = ".backup-"
# Backups kept beside the database; older ones are removed after a new one is written.
KEEP_BACKUPS = 3


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for PostgreSQL and in-memory databases)."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    database = engine.url.database
    return Path(database) if database and database != ":memory:" else None


def _stored_versions(conn: Connection, tables: set[str]) -> set[str]:
    if VERSION_TABLE not in tables:
        return set()
    return {row[0] for row in conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}


def _has_rows(conn: Connection, table: str) -> bool:
    quoted = conn.dialect.identifier_preparer.quote(table)
    return conn.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1")).first() is not None


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        # Held until the transaction ends; keyed by schema so separate schemas do not wait on each other.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('backstride-migrate:' || current_schema()))"))
    # SQLite: the connection began with BEGIN IMMEDIATE, which is the lock.


def _user_tables(conn: Connection) -> set[str]:
    return {t for t in inspect(conn).get_table_names() if not t.startswith("sqlite_")}


def _repair_half_made(conn: Connection, tables: set[str], where: str) -> None:
    """Drop the tables of an interrupted first start, or refuse when any of them holds data."""
    holding = sorted(t for t in tables if _has_rows(conn, t))
    if holding:
        raise StorageError(
            f"the database {where} has tables but no record of which schema version they are "
            f"(an earlier start was interrupted, or it is not a backstride database), and it holds data "
            f"in {', '.join(holding)}; nothing was changed",
            hint="keep the file, move it out of the data folder and restore your latest backup into it "
                 "(see 'Back up and restore' in the backstride guide); a backup file ends in "
                 f"'{BACKUP_SUFFIX}<date>' beside the database")
    for table in sorted(tables):  # all empty: the leftovers of a first start that never finished
        conn.execute(text(f"DROP TABLE {conn.dialect.identifier_preparer.quote(table)}"))


def backup_sqlite(path: Path, *, now: dt.datetime | None = None) -> Path:
    """A consistent copy of the SQLite file at ``path`` beside it; returns the copy's path.

    Written to a temporary name and renamed, so a kill never leaves a half backup under the final name.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}{BACKUP_SUFFIX}{stamp}")
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(str(path), timeout=30)
    try:
        copy = sqlite3.connect(str(partial))
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    old = sorted(p for p in path.parent.glob(f"{path.name}{BACKUP_SUFFIX}*") if not p.name.endswith(".partial"))
    for stale in old[:-KEEP_BACKUPS]:
        stale.unlink(missing_ok=True)
    return target


def upgrade(engine: Engine, config: Any, heads: frozenset[str] | None) -> Path | None:
    """Apply every pending migration under the lock, in one transaction. Returns the backup made, if any."""
    from alembic import command

    path = sqlite_path(engine)
    where = str(path) if path else engine.url.render_as_string(hide_password=True)
    backup: Path | None = None
    try:
        with engine.connect() as conn:
            raw: Any = None
            if conn.dialect.name == "sqlite":
                # Foreign keys off while tables are rebuilt (SQLite ignores this pragma inside a
                # transaction, so it is set before BEGIN): a batch migration drops and recreates a
                # table, which with foreign keys on would cascade-delete the rows that point at it.
                raw = conn.connection.dbapi_connection
                raw.execute("PRAGMA foreign_keys=OFF")
                conn.execution_options(sqlite_begin="IMMEDIATE")
            try:
                with conn.begin():
                    _lock(conn)
                    tables = _user_tables(conn)
                    versions = _stored_versions(conn, tables)
                    if heads is not None and versions == heads:
                        return None  # another process finished the upgrade while we waited for the lock
                    if not versions and tables - {VERSION_TABLE}:
                        _repair_half_made(conn, tables, where)
                    elif path is not None and versions and any(_has_rows(conn, t) for t in tables - {VERSION_TABLE}):
                        backup = backup_sqlite(path)
                    config.attributes["connection"] = conn
                    command.upgrade(config, "heads")
                    if raw is not None:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise StorageError(f"upgrading the database {where} would leave {len(broken)} rows "
                                               "pointing at nothing; nothing was changed",
                                               hint="report this as a bug; the database is as it was")
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys=ON")
    except SQLAlchemyError as exc:
        raise StorageError(f"could not prepare the database {where} ({describe(exc)}); it was left as it was",
                           hint=storage_hint(engine, exc)) from exc
    return backup


def describe(exc: BaseException) -> str:
    """The driver's own words for a database error, without SQLAlchemy's SQL echo and links."""
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).splitlines()[0] if str(orig or exc) else type(exc).__name__


def storage_hint(engine: Engine, exc: BaseException) -> str:
    """What to do about a database error, true for the back end in use."""
    text_ = str(exc).lower()
    path = sqlite_path(engine)
    if path is None:
        if engine.url.get_backend_name() == "postgresql":
            return "check BACKSTRIDE_DATABASE_URL and that the PostgreSQL server is running and reachable"
        return "check BACKSTRIDE_DATABASE_URL"
    if "locked" in text_ or "busy" in text_:
        return "another backstride command or the web app is writing to the same data folder; try again in a moment"
    if "readonly" in text_ or "read-only" in text_ or "permission" in text_ or "unable to open" in text_:
        return f"check that {path.parent} is writable by you"
    if "disk" in text_ and "full" in text_:
        return f"free some disk space where {path.parent} lives and try again"
    if "malformed" in text_ or "not a database" in text_:
        return (f"the file {path} is damaged; move it aside and restore your latest backup "
                "(see 'Back up and restore' in the backstride guide)")
    return f"check that {path} is a backstride database and that its folder is writable"
