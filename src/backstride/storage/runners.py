"""Runner profiles: a family or a coach keeps several side by side."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.storage.db import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RunnerRow(Base):
    __tablename__ = "runners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


def get_runner(session: Session, name: str) -> RunnerRow | None:
    return session.scalars(select(RunnerRow).where(RunnerRow.name == name)).one_or_none()


def get_or_create_runner(session: Session, name: str) -> RunnerRow:
    """The named profile, created if missing; safe when several processes create it at once.

    ``INSERT ... ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL): a concurrent creator's row wins
    and this one reads it, instead of failing on the unique name.
    """
    row = get_runner(session, name)
    if row is not None:
        return row
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(RunnerRow)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(RunnerRow)
    session.execute(stmt.values(name=name, created_at=utcnow()).on_conflict_do_nothing(index_elements=["name"]))
    row = get_runner(session, name)
    if row is None:  # pragma: no cover - the insert or the concurrent one must have left a row
        raise RuntimeError(f"runner {name!r} was neither created nor found")
    return row


def list_runners(session: Session) -> list[RunnerRow]:
    return list(session.scalars(select(RunnerRow).order_by(func.lower(RunnerRow.name))))


def delete_runner(session: Session, name: str) -> bool:
    row = get_runner(session, name)
    if row is None:
        return False
    session.delete(row)
    return True
