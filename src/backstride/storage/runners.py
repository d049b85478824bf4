"""Runner profiles: a family or a coach keeps several side by side."""

from __future__ import annotations

import datetime as dt

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
    row = get_runner(session, name)
    if row is None:
        row = RunnerRow(name=name, created_at=utcnow())
        session.add(row)
        session.flush()
    return row


def list_runners(session: Session) -> list[RunnerRow]:
    return list(session.scalars(select(RunnerRow).order_by(func.lower(RunnerRow.name))))


def delete_runner(session: Session, name: str) -> bool:
    row = get_runner(session, name)
    if row is None:
        return False
    session.delete(row)
    return True
