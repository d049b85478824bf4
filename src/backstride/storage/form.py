"""Form-check results: one row per analysed video, with its metrics, findings and output files.

The analysis document (the same JSON the CLI prints) is kept whole in ``data``; the columns
beside it are the ones lists and the planner query on. Output files live under the data
folder's ``files/form/<uid>/`` and are referred to by paths relative to ``files_dir``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.storage.db import Base, JSONType, valid_id
from backstride.storage.runners import utcnow


class FormResultRow(Base):
    __tablename__ = "form_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    video_name: Mapped[str] = mapped_column(String(255), nullable=False)
    video_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    view: Mapped[str] = mapped_column(String(20), nullable=False)
    cadence_spm: Mapped[float] = mapped_column(Float, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    files: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False)


def add_result(session: Session, *, runner_id: int, uid: str, video_name: str, video_sha256: str, view: str,
               cadence_spm: float, data: dict[str, Any], files: dict[str, str]) -> FormResultRow:
    row = FormResultRow(uid=uid, runner_id=runner_id, created_at=utcnow(), video_name=video_name[:255],
                        video_sha256=video_sha256, view=view, cadence_spm=cadence_spm, data=data, files=files)
    session.add(row)
    session.flush()
    return row


def list_results(session: Session, runner_id: int) -> list[FormResultRow]:
    stmt = (select(FormResultRow).where(FormResultRow.runner_id == runner_id)
            .order_by(FormResultRow.created_at.desc(), FormResultRow.id.desc()))
    return list(session.scalars(stmt))


def get_result(session: Session, runner_id: int, result_id: int) -> FormResultRow | None:
    if not valid_id(result_id):
        return None
    stmt = select(FormResultRow).where(FormResultRow.runner_id == runner_id, FormResultRow.id == result_id)
    return session.scalars(stmt).one_or_none()


def latest_result(session: Session, runner_id: int) -> FormResultRow | None:
    rows = list_results(session, runner_id)
    return rows[0] if rows else None
