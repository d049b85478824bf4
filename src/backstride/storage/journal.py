"""Journal tables and their repository: one row per runner and day, edits audited, dose changes kept.

An edit never overwrites silently: the previous values go to ``journal_entry_edits`` first.
Dose changes are derived from the entries (see :mod:`backstride.journal.adapt`) and replaced
as a whole in the same transaction as the check-in that changed them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.journal.adapt import DoseChange
from backstride.journal.entry import EntryEdit, JournalEntry, changed_fields
from backstride.storage.db import Base, JSONType, valid_id
from backstride.storage.runners import utcnow


class JournalEntryRow(Base):
    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("runner_id", "day", name="uq_journal_entries_runner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), nullable=False)
    day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)

    # Optimistic version check: every UPDATE is "... WHERE id = ? AND revision = <read>" and bumps it,
    # so a write based on a stale read fails (StaleDataError) instead of overwriting silently.
    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012  (read once by the mapper)

    def entry(self) -> JournalEntry:
        return JournalEntry.from_dict(self.data)


class JournalEditRow(Base):
    __tablename__ = "journal_entry_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id", ondelete="CASCADE"), nullable=False,
                                          index=True)
    edited_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    previous: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    changed_fields: Mapped[list[str]] = mapped_column(JSONType, nullable=False)


class DoseChangeRow(Base):
    __tablename__ = "journal_dose_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), nullable=False)
    day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    subject: Mapped[str] = mapped_column(String(120), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    before: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    after: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    def change(self) -> DoseChange:
        return DoseChange(day=self.day, subject=self.subject, kind=self.kind, before=dict(self.before),
                          after=dict(self.after), reason=self.reason, source=self.source)


def get_row(session: Session, runner_id: int, day: dt.date, *, for_update: bool = False) -> JournalEntryRow | None:
    """The day's row; ``for_update`` locks it on PostgreSQL until the transaction ends (SQLite callers
    hold the database write lock instead, see :func:`backstride.storage.db.transaction`)."""
    query = select(JournalEntryRow).where(JournalEntryRow.runner_id == runner_id, JournalEntryRow.day == day)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def revision_data(session: Session, row: JournalEntryRow, revision: int) -> dict[str, Any] | None:
    """The entry as it was at ``revision`` (from the audit trail), or None when that revision is unknown."""
    if revision == row.revision:
        return dict(row.data)
    edit = session.scalars(select(JournalEditRow).where(JournalEditRow.entry_id == row.id,
                                                        JournalEditRow.revision == revision)).first()
    return None if edit is None else dict(edit.previous)


def get_row_by_id(session: Session, entry_id: int) -> JournalEntryRow | None:
    return session.get(JournalEntryRow, entry_id) if valid_id(entry_id) else None


def save_entry(session: Session, runner_id: int, entry: JournalEntry) -> tuple[JournalEntryRow, bool]:
    """Insert the day's entry, or replace it after keeping the previous values. Returns (row, was_edit)."""
    row = get_row(session, runner_id, entry.day, for_update=True)
    now = utcnow()
    if row is None:
        row = JournalEntryRow(runner_id=runner_id, day=entry.day, data=entry.to_dict(), revision=1,
                              created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        return row, False
    before = row.entry()
    changed = changed_fields(before, entry)
    if not changed:
        return row, False
    session.add(JournalEditRow(entry_id=row.id, edited_at=now, revision=row.revision, previous=row.data,
                               changed_fields=list(changed)))
    row.data = entry.to_dict()
    row.updated_at = now   # revision is bumped by the version check (version_id_col)
    session.flush()
    return row, True


def list_rows(session: Session, runner_id: int, start: dt.date | None = None,
              end: dt.date | None = None) -> list[JournalEntryRow]:
    query = select(JournalEntryRow).where(JournalEntryRow.runner_id == runner_id)
    if start is not None:
        query = query.where(JournalEntryRow.day >= start)
    if end is not None:
        query = query.where(JournalEntryRow.day <= end)
    return list(session.scalars(query.order_by(JournalEntryRow.day)))


def list_edits(session: Session, entry_id: int) -> list[EntryEdit]:
    rows = session.scalars(select(JournalEditRow).where(JournalEditRow.entry_id == entry_id)
                           .order_by(JournalEditRow.revision))
    out: list[EntryEdit] = []
    for r in rows:
        out.append(EntryEdit(day=dt.date.fromisoformat(r.previous["day"]), edited_at=r.edited_at,
                             previous=dict(r.previous), changed_fields=tuple(r.changed_fields)))
    return out


def replace_changes(session: Session, runner_id: int, changes: Iterable[DoseChange]) -> None:
    """Store the replayed dose changes in place of the previous set (same transaction as the check-in)."""
    session.execute(delete(DoseChangeRow).where(DoseChangeRow.runner_id == runner_id))
    now = utcnow()
    for c in changes:
        session.add(DoseChangeRow(runner_id=runner_id, day=c.day, subject=c.subject, kind=c.kind,
                                  before=c.before, after=c.after, reason=c.reason, source=c.source,
                                  recorded_at=now))
    session.flush()


def list_changes(session: Session, runner_id: int) -> list[DoseChange]:
    rows = session.scalars(select(DoseChangeRow).where(DoseChangeRow.runner_id == runner_id)
                           .order_by(DoseChangeRow.day, DoseChangeRow.id))
    return [r.change() for r in rows]
