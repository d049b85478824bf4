"""Alembic environment: runs on the connection (already in its locked transaction) handed over by
:func:`backstride.storage.upgrade.upgrade`, or on its own engine when Alembic is run by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    # On a connection that is already in a transaction this joins it, so the whole upgrade
    # commits or rolls back as one.
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = config.attributes.get("engine")
    if engine is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        _run(connection)


run_migrations()
