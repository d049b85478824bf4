"""Screening tables: one row per completed screening, and one draft of unfinished answers per runner.

The whole :class:`~backstride.intake.model.ScreeningResult` is stored as JSON, so history shows what
the runner was told at the time even after the rules change; ``tier`` is a column for listing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.intake.model import ScreeningResult
from backstride.storage.db import Base, JSONType, valid_id
from backstride.storage.runners import utcnow


class ScreeningRow(Base):
    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    tier: Mapped[str] = mapped_column(String(20), nullable=False)
    result: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)

    def to_result(self) -> ScreeningResult:
        return ScreeningResult.from_dict(self.result)


class ScreeningDraftRow(Base):
    __tablename__ = "screening_drafts"

    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


def add_screening(session: Session, runner_id: int, result: ScreeningResult) -> int:
    row = ScreeningRow(runner_id=runner_id, created_at=result.created_at, tier=result.triage.tier.value,
                       result=result.to_dict())
    session.add(row)
    session.flush()
    return row.id


def get_screening(session: Session, screening_id: int) -> ScreeningRow | None:
    return session.get(ScreeningRow, screening_id) if valid_id(screening_id) else None


def list_screenings(session: Session, runner_id: int) -> list[ScreeningRow]:
    """Newest first."""
    stmt = (select(ScreeningRow).where(ScreeningRow.runner_id == runner_id)
            .order_by(ScreeningRow.created_at.desc(), ScreeningRow.id.desc()))
    return list(session.scalars(stmt))


def latest_screening(session: Session, runner_id: int) -> ScreeningRow | None:
    stmt = (select(ScreeningRow).where(ScreeningRow.runner_id == runner_id)
            .order_by(ScreeningRow.created_at.desc(), ScreeningRow.id.desc()).limit(1))
    return session.scalars(stmt).first()


def save_draft(session: Session, runner_id: int, answers: dict[str, Any]) -> None:
    row = session.get(ScreeningDraftRow, runner_id)
    if row is None:
        session.add(ScreeningDraftRow(runner_id=runner_id, answers=dict(answers), updated_at=utcnow()))
    else:
        row.answers = dict(answers)
        row.updated_at = utcnow()
    session.flush()


def load_draft(session: Session, runner_id: int) -> ScreeningDraftRow | None:
    return session.get(ScreeningDraftRow, runner_id)


def delete_draft(session: Session, runner_id: int) -> bool:
    result = session.execute(delete(ScreeningDraftRow).where(ScreeningDraftRow.runner_id == runner_id))
    return bool(getattr(result, "rowcount", 0))
