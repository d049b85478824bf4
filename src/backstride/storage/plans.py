"""Stored plans: one row per generated plan (or referral), newest is the current one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.plan.model import Plan
from backstride.storage.db import Base, JSONType, valid_id
from backstride.storage.runners import utcnow


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    start_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    triage_tier: Mapped[str] = mapped_column(String(20), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)

    def to_plan(self) -> Plan:
        return Plan.from_dict(self.data)


def add_plan(session: Session, runner_id: int, plan: Plan) -> int:
    row = PlanRow(runner_id=runner_id, created_at=utcnow(), start_date=plan.options.start_date,
                  end_date=plan.end_date, status=plan.status.value, triage_tier=plan.triage_tier,
                  data=plan.to_dict())
    session.add(row)
    session.flush()
    return row.id


def latest_plan(session: Session, runner_id: int) -> PlanRow | None:
    return session.scalars(select(PlanRow).where(PlanRow.runner_id == runner_id)
                           .order_by(PlanRow.created_at.desc(), PlanRow.id.desc()).limit(1)).one_or_none()


def latest_plan_key(session: Session, runner_id: int) -> tuple[int, dt.datetime] | None:
    """Id and creation time of the runner's current plan, without reading (and decoding) the plan."""
    row = session.execute(select(PlanRow.id, PlanRow.created_at).where(PlanRow.runner_id == runner_id)
                          .order_by(PlanRow.created_at.desc(), PlanRow.id.desc()).limit(1)).first()
    return None if row is None else (int(row[0]), row[1])


def get_plan(session: Session, plan_id: int) -> PlanRow | None:
    return session.get(PlanRow, plan_id) if valid_id(plan_id) else None


def list_plans(session: Session, runner_id: int) -> list[PlanRow]:
    return list(session.scalars(select(PlanRow).where(PlanRow.runner_id == runner_id)
                                .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())))
